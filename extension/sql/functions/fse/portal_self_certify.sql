CREATE FUNCTION fse.portal_self_certify(authenticated ticket.fiscal_code, citizen ticket.fiscal_code, band ticket.income_band, applies_from date DEFAULT CURRENT_DATE, income_year integer DEFAULT NULL::integer) RETURNS registry.declaration
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    declared registry.declaration;
BEGIN
    PERFORM fse.portal_check(authenticated, citizen);
    INSERT INTO registry.declaration (fiscal_code, band, declarant, channel, operator, signed_at,
                                      applies_from, income_year)
    VALUES (citizen, band, authenticated, 'fse_online', NULL, now(), applies_from, income_year)
    RETURNING * INTO declared;
    RETURN declared;
END;
$$;

COMMENT ON FUNCTION fse.portal_self_certify(authenticated ticket.fiscal_code, citizen ticket.fiscal_code, band ticket.income_band, applies_from date, income_year integer) IS 'the portal: the authenticated person self-certifies the band of the citizen (themselves, or a minor they may declare for), signed now, channel fse_online; VOLATILE because it writes';

REVOKE ALL ON FUNCTION fse.portal_self_certify(authenticated ticket.fiscal_code, citizen ticket.fiscal_code, band ticket.income_band, applies_from date, income_year integer) FROM PUBLIC;
GRANT ALL ON FUNCTION fse.portal_self_certify(authenticated ticket.fiscal_code, citizen ticket.fiscal_code, band ticket.income_band, applies_from date, income_year integer) TO ticket_fse_portal;
