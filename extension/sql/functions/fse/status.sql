CREATE FUNCTION fse.status(citizen ticket.fiscal_code, on_date date DEFAULT CURRENT_DATE, OUT band ticket.income_band, OUT declared_band ticket.income_band, OUT exemptions ticket.exemption[], OUT regime text) RETURNS record
    LANGUAGE plpgsql STRICT SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
BEGIN
    PERFORM registry.check_may_see(citizen);
    PERFORM ticket.audit_read('fse.status', citizen, jsonb_build_object('on_date', on_date));
    SELECT s.declared_band, s.exemptions INTO declared_band, exemptions
      FROM registry.status_on(citizen, on_date) s;
    band := ticket.effective_band(declared_band, on_date);
    regime := ticket.regime_for(on_date);
END;
$$;

COMMENT ON FUNCTION fse.status(citizen ticket.fiscal_code, on_date date, OUT band ticket.income_band, OUT declared_band ticket.income_band, OUT exemptions ticket.exemption[], OUT regime text) IS 'what the GP and the CUP desk see for a citizen on a date: the band the regime charges, the declared band, the exemptions, the regime (42501 for a citizen the acting role may not see); VOLATILE because it records the read in ticket.audit_log';

REVOKE ALL ON FUNCTION fse.status(citizen ticket.fiscal_code, on_date date, OUT band ticket.income_band, OUT declared_band ticket.income_band, OUT exemptions ticket.exemption[], OUT regime text) FROM PUBLIC;
GRANT ALL ON FUNCTION fse.status(citizen ticket.fiscal_code, on_date date, OUT band ticket.income_band, OUT declared_band ticket.income_band, OUT exemptions ticket.exemption[], OUT regime text) TO ticket_registry_operator;
GRANT ALL ON FUNCTION fse.status(citizen ticket.fiscal_code, on_date date, OUT band ticket.income_band, OUT declared_band ticket.income_band, OUT exemptions ticket.exemption[], OUT regime text) TO ticket_cup_operator;
GRANT ALL ON FUNCTION fse.status(citizen ticket.fiscal_code, on_date date, OUT band ticket.income_band, OUT declared_band ticket.income_band, OUT exemptions ticket.exemption[], OUT regime text) TO ticket_gp;
