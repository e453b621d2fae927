CREATE FUNCTION cup.cancel(booking bigint, reason text DEFAULT NULL::text) RETURNS cup.booking
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    cancelled cup.booking;
BEGIN
    PERFORM ticket.refuse_long_text('cup.cancel', 'reason', reason, 500);
    PERFORM cup.locked_booking(booking, 'booking');
    UPDATE cup.booking b SET status = 'cancelled', cancel_reason = reason
     WHERE b.booking_id = booking
    RETURNING * INTO cancelled;
    RETURN cancelled;
END;
$$;

COMMENT ON FUNCTION cup.cancel(booking bigint, reason text) IS 'cancels a booking (kept as history); a paid one gets a refund adjustment; VOLATILE because it writes';

REVOKE ALL ON FUNCTION cup.cancel(booking bigint, reason text) FROM PUBLIC;
GRANT ALL ON FUNCTION cup.cancel(booking bigint, reason text) TO ticket_cup_operator;
