CREATE FUNCTION cup.pay(booking bigint, expected_amount numeric DEFAULT NULL::numeric, channel text DEFAULT 'cup_desk'::text, paid_at timestamp with time zone DEFAULT now()) RETURNS cup.booking
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    locked cup.booking;
    paid cup.booking;
BEGIN
    PERFORM ticket.refuse_long_text('cup.pay', 'channel', channel, 32);
    locked := cup.locked_booking(booking, 'payment');
    IF locked.status = 'missed' AND locked.paid_at IS NOT NULL THEN
        PERFORM ticket.raise_error('TK013', 'booking %: its missed-appointment charge is already paid',
                                   ARRAY[booking::text]);
    ELSIF locked.status NOT IN ('booked', 'missed') THEN
        PERFORM ticket.raise_error('TK013', 'booking % is %: only a booked booking can be paid',
                                   ARRAY[booking::text, locked.status]);
    END IF;
    -- A missed booking stays missed: its charge is paid.
    UPDATE cup.booking b
       SET status = CASE WHEN locked.status = 'missed' THEN 'missed' ELSE 'paid' END,
           paid_amount = expected_amount, payment_channel = channel, paid_at = pay.paid_at
     WHERE b.booking_id = booking
    RETURNING * INTO paid;
    RETURN paid;
END;
$$;

COMMENT ON FUNCTION cup.pay(booking bigint, expected_amount numeric, channel text, paid_at timestamp with time zone) IS 'pays a booked booking and freezes its amount, or the charge of a missed one (which stays missed): TK013 for one that is neither (paid, cancelled, done) or whose charge is paid; with expected_amount, refuses (TK014) if the price is no longer the one shown; VOLATILE because it writes';

REVOKE ALL ON FUNCTION cup.pay(booking bigint, expected_amount numeric, channel text, paid_at timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION cup.pay(booking bigint, expected_amount numeric, channel text, paid_at timestamp with time zone) TO ticket_cup_operator;
