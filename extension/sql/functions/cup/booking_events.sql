CREATE FUNCTION cup.booking_events() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{cup.booking}',
                                   '{"AFTER STATEMENT UPDATE"}');
    -- EXECUTE: planned for each statement's transition tables.  A kept plan
    -- is made on the row count of the first call in the session (a move of
    -- one booking: a nested loop) and kept for a million completions, old
    -- rows times new rows (issue 19).
    EXECUTE $q$
    -- A payload is built for the events that happened only (the target
    -- list runs after the filter; in the VALUES it ran for all three).
    INSERT INTO ticket.event (kind, subject, fiscal_code, payload)
    SELECT e.kind, n.booking_id::text, n.fiscal_code,
           CASE e.what
                WHEN 'status' THEN jsonb_build_object('from', o.status, 'amount', n.amount,
                                                      'paid_amount', n.paid_amount)
                WHEN 'moved' THEN jsonb_build_object('from', o.service_date, 'to', n.service_date)
                WHEN 'repriced' THEN jsonb_build_object('old_amount', o.amount, 'new_amount', n.amount,
                                                        'service_date', n.service_date, 'regime', (n.bill).regime)
           END
      FROM old_bookings o JOIN new_bookings n USING (booking_id)
     CROSS JOIN LATERAL (VALUES
            (CASE WHEN n.status <> o.status THEN n.status
                  WHEN n.paid_at IS NOT NULL AND o.paid_at IS NULL THEN 'paid' END, 'status'),
            (CASE WHEN n.service_date <> o.service_date THEN 'moved' END, 'moved'),
            (CASE WHEN n.amount <> o.amount THEN 'repriced' END, 'repriced'))
            AS e(kind, what)
     WHERE e.kind IS NOT NULL
     ORDER BY n.booking_id
    $q$;
    -- Cancelling a paid booking refunds what was paid and adjusted.
    EXECUTE $q$
    INSERT INTO cup.adjustment (booking_id, amount, reason)
    SELECT n.booking_id, -(n.paid_amount + coalesce(a.adjusted, 0)), 'cancellation'
      FROM old_bookings o JOIN new_bookings n USING (booking_id)
      LEFT JOIN LATERAL (SELECT sum(a.amount) AS adjusted FROM cup.adjustment a
                          WHERE a.booking_id = n.booking_id) a ON true
     WHERE o.status = 'paid' AND n.status = 'cancelled'
       AND n.paid_amount + coalesce(a.adjusted, 0) <> 0
    $q$;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION cup.booking_events() IS 'trigger: outbox events for changed bookings (paid, cancelled, done, missed, moved, repriced; booked is written at insert; paid also for the charge of a missed appointment); refund adjustment when a paid booking is cancelled; VOLATILE because it writes';

REVOKE ALL ON FUNCTION cup.booking_events() FROM PUBLIC;
