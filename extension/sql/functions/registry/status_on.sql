CREATE FUNCTION registry.status_on(citizen ticket.fiscal_code, on_date date, OUT declared_band ticket.income_band, OUT exemptions ticket.exemption[]) RETURNS record
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    status record := ticket.citizen_status(citizen, on_date);
BEGIN
    declared_band := status.declared_band;
    exemptions := status.exemptions;
END;
$$;

COMMENT ON FUNCTION registry.status_on(citizen ticket.fiscal_code, on_date date, OUT declared_band ticket.income_band, OUT exemptions ticket.exemption[]) IS 'the band declared for a date (whether its regime charges it: ticket.effective_band) and the exemptions in effect that day; internal: roles ask fse.status';

REVOKE ALL ON FUNCTION registry.status_on(citizen ticket.fiscal_code, on_date date, OUT declared_band ticket.income_band, OUT exemptions ticket.exemption[]) FROM PUBLIC;
