CREATE FUNCTION cup.price_for(citizen ticket.fiscal_code, services text[], on_date date) RETURNS ticket.bill
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    status record := ticket.citizen_status(citizen, on_date);
BEGIN
    RETURN ticket.price(services, ticket.effective_band(status.declared_band, on_date),
                        status.exemptions, on_date);
END;
$$;

COMMENT ON FUNCTION cup.price_for(citizen ticket.fiscal_code, services text[], on_date date) IS 'the bill of services for a citizen on a service date, with the registry''s band and exemptions of that date; internal (the booking triggers): roles see the price on the booking';

REVOKE ALL ON FUNCTION cup.price_for(citizen ticket.fiscal_code, services text[], on_date date) FROM PUBLIC;
