CREATE FUNCTION fse.portal_status(authenticated ticket.fiscal_code, citizen ticket.fiscal_code, on_date date DEFAULT CURRENT_DATE, OUT band ticket.income_band, OUT declared_band ticket.income_band, OUT exemptions ticket.exemption[], OUT regime text) RETURNS record
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
BEGIN
    PERFORM fse.portal_check(authenticated, citizen);
    PERFORM ticket.audit_read('fse.portal_status', citizen, jsonb_build_object('authenticated', authenticated, 'on_date', on_date));
    SELECT s.declared_band, s.exemptions INTO declared_band, exemptions
      FROM registry.status_on(citizen, on_date) s;
    band := ticket.effective_band(declared_band, on_date);
    regime := ticket.regime_for(on_date);
END;
$$;

COMMENT ON FUNCTION fse.portal_status(authenticated ticket.fiscal_code, citizen ticket.fiscal_code, on_date date, OUT band ticket.income_band, OUT declared_band ticket.income_band, OUT exemptions ticket.exemption[], OUT regime text) IS 'the portal: a citizen''s ticket status on a date (as fse.status), for the authenticated person (fse.portal_check); VOLATILE because it records the read';

REVOKE ALL ON FUNCTION fse.portal_status(authenticated ticket.fiscal_code, citizen ticket.fiscal_code, on_date date, OUT band ticket.income_band, OUT declared_band ticket.income_band, OUT exemptions ticket.exemption[], OUT regime text) FROM PUBLIC;
GRANT ALL ON FUNCTION fse.portal_status(authenticated ticket.fiscal_code, citizen ticket.fiscal_code, on_date date, OUT band ticket.income_band, OUT declared_band ticket.income_band, OUT exemptions ticket.exemption[], OUT regime text) TO ticket_fse_portal;
