CREATE FUNCTION cup.locked_booking(booking bigint, what text) RETURNS cup.booking
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    found_booking cup.booking;
    asl text := cup.acting_asl();
BEGIN
    SELECT * INTO found_booking FROM cup.booking b
     WHERE b.booking_id = booking AND (asl IS NULL OR b.asl_code = asl);
    IF NOT FOUND THEN
        PERFORM ticket.raise_error('P0002', 'booking % does not exist', ARRAY[booking::text]);
    END IF;
    PERFORM registry.lock_citizen(found_booking.fiscal_code, '-infinity', what);
    SELECT * INTO found_booking FROM cup.booking b WHERE b.booking_id = booking FOR UPDATE;
    RETURN found_booking;
END;
$$;

COMMENT ON FUNCTION cup.locked_booking(booking bigint, what text) IS 'a booking of the acting role''s ASL (P0002 for another ASL''s, as for a missing one: no oracle), locked after its patient (the lock order of every write about a citizen); VOLATILE because it writes';

REVOKE ALL ON FUNCTION cup.locked_booking(booking bigint, what text) FROM PUBLIC;
