CREATE FUNCTION registry.self_certify(citizen ticket.fiscal_code, band ticket.income_band, channel text, operator text DEFAULT NULL::text, applies_from date DEFAULT CURRENT_DATE, declarant ticket.fiscal_code DEFAULT NULL::ticket.fiscal_code, income_year integer DEFAULT NULL::integer, signed_at timestamp with time zone DEFAULT now()) RETURNS registry.declaration
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    declared registry.declaration;
BEGIN
    PERFORM ticket.refuse_long_text('registry.self_certify', 'channel', channel, 32);
    PERFORM ticket.refuse_long_text('registry.self_certify', 'operator', operator, 63);
    INSERT INTO registry.declaration (fiscal_code, band, declarant, channel, operator, signed_at,
                                      applies_from, income_year)
    VALUES (citizen, band, coalesce(declarant, citizen), channel, operator, signed_at,
            applies_from, income_year)
    RETURNING * INTO declared;
    RETURN declared;
END;
$$;

COMMENT ON FUNCTION registry.self_certify(citizen ticket.fiscal_code, band ticket.income_band, channel text, operator text, applies_from date, declarant ticket.fiscal_code, income_year integer, signed_at timestamp with time zone) IS 'records a self-certification of the income band (declarant defaults to the citizen); everything downstream follows; VOLATILE because it writes';

REVOKE ALL ON FUNCTION registry.self_certify(citizen ticket.fiscal_code, band ticket.income_band, channel text, operator text, applies_from date, declarant ticket.fiscal_code, income_year integer, signed_at timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION registry.self_certify(citizen ticket.fiscal_code, band ticket.income_band, channel text, operator text, applies_from date, declarant ticket.fiscal_code, income_year integer, signed_at timestamp with time zone) TO ticket_registry_operator;
GRANT ALL ON FUNCTION registry.self_certify(citizen ticket.fiscal_code, band ticket.income_band, channel text, operator text, applies_from date, declarant ticket.fiscal_code, income_year integer, signed_at timestamp with time zone) TO ticket_cup_operator;
GRANT ALL ON FUNCTION registry.self_certify(citizen ticket.fiscal_code, band ticket.income_band, channel text, operator text, applies_from date, declarant ticket.fiscal_code, income_year integer, signed_at timestamp with time zone) TO ticket_gp;
