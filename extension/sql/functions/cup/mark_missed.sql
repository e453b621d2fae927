CREATE FUNCTION cup.mark_missed(booking bigint) RETURNS cup.booking
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    missed cup.booking;
BEGIN
    PERFORM cup.locked_booking(booking, 'booking');
    UPDATE cup.booking b SET status = 'missed' WHERE b.booking_id = booking
    RETURNING * INTO missed;
    RETURN missed;
END;
$$;

COMMENT ON FUNCTION cup.mark_missed(booking bigint) IS 'marks a booking missed (mancata disdetta, LR 2/2016 art. 23): not attended and not cancelled in time, its bill becomes the missed-appointment charge, exempt or not (the lowest band''s ordinary ticket of its services on the service date), paid with cup.pay; TK013 for a booking paid, done, missed, cancelled in time or whose service date has not passed, TK005 on a date no ticket.missed_appointment_rule covers; VOLATILE because it writes';

REVOKE ALL ON FUNCTION cup.mark_missed(booking bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION cup.mark_missed(booking bigint) TO ticket_cup_operator;
