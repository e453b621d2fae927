CREATE FUNCTION cup.move(booking bigint, service_date date) RETURNS cup.booking
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    moved cup.booking;
BEGIN
    PERFORM cup.locked_booking(booking, 'booking');
    UPDATE cup.booking b SET service_date = move.service_date WHERE b.booking_id = booking
    RETURNING * INTO moved;
    RETURN moved;
END;
$$;

COMMENT ON FUNCTION cup.move(booking bigint, service_date date) IS 'moves a booking to another date: an unpaid one is re-priced, a paid one keeps its amount; VOLATILE because it writes';

REVOKE ALL ON FUNCTION cup.move(booking bigint, service_date date) FROM PUBLIC;
GRANT ALL ON FUNCTION cup.move(booking bigint, service_date date) TO ticket_cup_operator;
