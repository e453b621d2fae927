CREATE FUNCTION cup.complete(booking bigint) RETURNS cup.booking
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    done cup.booking;
BEGIN
    PERFORM cup.locked_booking(booking, 'booking');
    UPDATE cup.booking b SET status = 'done' WHERE b.booking_id = booking
    RETURNING * INTO done;
    RETURN done;
END;
$$;

COMMENT ON FUNCTION cup.complete(booking bigint) IS 'marks a booking done (paid, or free of charge); VOLATILE because it writes';

REVOKE ALL ON FUNCTION cup.complete(booking bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION cup.complete(booking bigint) TO ticket_cup_operator;
