CREATE FUNCTION ticket.citizen_status(citizen ticket.fiscal_code, on_date date, OUT declared_band ticket.income_band, OUT exemptions ticket.exemption[]) RETURNS record
    LANGUAGE c STABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'ticket_citizen_status';

COMMENT ON FUNCTION ticket.citizen_status(citizen ticket.fiscal_code, on_date date, OUT declared_band ticket.income_band, OUT exemptions ticket.exemption[]) IS 'the band declared for a date and the exemptions in effect that day, read through the indexes on the citizen (C: every prescription and booking asks); internal: roles ask fse.status';

REVOKE ALL ON FUNCTION ticket.citizen_status(citizen ticket.fiscal_code, on_date date, OUT declared_band ticket.income_band, OUT exemptions ticket.exemption[]) FROM PUBLIC;
