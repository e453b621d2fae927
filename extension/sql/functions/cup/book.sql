CREATE FUNCTION cup.book(nre text, service_date date, asl_code text DEFAULT NULL::text) RETURNS cup.booking
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    booked cup.booking;
BEGIN
    PERFORM ticket.refuse_long_text('cup.book', 'nre', nre, 64);
    PERFORM ticket.refuse_long_text('cup.book', 'asl_code', asl_code, 16);
    INSERT INTO cup.booking (nre, service_date, asl_code)
    VALUES (upper(btrim(nre)), service_date, asl_code)
    RETURNING * INTO booked;
    RETURN booked;
END;
$$;

COMMENT ON FUNCTION cup.book(nre text, service_date date, asl_code text) IS 'books a prescription on a service date (ASL default: the patient''s residence) and prices it; VOLATILE because it writes';

REVOKE ALL ON FUNCTION cup.book(nre text, service_date date, asl_code text) FROM PUBLIC;
GRANT ALL ON FUNCTION cup.book(nre text, service_date date, asl_code text) TO ticket_cup_operator;
