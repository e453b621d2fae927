CREATE FUNCTION cup.propagate_bookings(citizens ticket.fiscal_code[], from_dates date[], known_dates date[], cause text) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
BEGIN
    -- Unpaid bookings: the new price (events come from cup.booking_events).
    UPDATE cup.booking b SET bill = e.expected_bill, priced_at = now()
      FROM (SELECT u.fiscal_code, min(u.from_date) AS from_date
              FROM unnest(citizens, from_dates) AS u(fiscal_code, from_date)
             GROUP BY u.fiscal_code) c,
           cup.booking_expected e
     WHERE e.fiscal_code = c.fiscal_code AND e.service_date >= c.from_date
       AND e.status = 'booked' AND b.booking_id = e.booking_id
       AND b.bill IS DISTINCT FROM e.expected_bill;

    -- Paid bookings that one of the changes reaches inside the grace window
    -- of the booking's regime (days after the service, and the regime's last
    -- day of adjustments: the 2011 transition, S3 S4 S5; later regimes have
    -- none): the difference between the new price and what was paid and
    -- adjusted so far.
    INSERT INTO cup.adjustment (booking_id, amount, reason)
    SELECT e.booking_id, (e.expected_bill).total - b.paid_amount - coalesce(a.adjusted, 0), cause
      FROM (SELECT u.fiscal_code, min(u.from_date) AS from_date
              FROM unnest(citizens, from_dates) AS u(fiscal_code, from_date)
             GROUP BY u.fiscal_code) c
      JOIN cup.booking_expected e ON e.fiscal_code = c.fiscal_code
      JOIN cup.booking b ON b.booking_id = e.booking_id
      JOIN ticket.regime r ON r.regime_id = (e.expected_bill).regime
      LEFT JOIN LATERAL (SELECT sum(a.amount) AS adjusted FROM cup.adjustment a
                          WHERE a.booking_id = e.booking_id) a ON true
     WHERE e.status IN ('paid', 'done') AND e.service_date >= c.from_date
       AND EXISTS (SELECT 1 FROM unnest(citizens, from_dates, known_dates) AS u(fiscal_code, from_date, known_on)
                    WHERE u.fiscal_code = c.fiscal_code AND u.from_date <= e.service_date
                      AND u.known_on <= e.service_date + r.adjustment_grace_days
                      AND (r.adjustment_until IS NULL OR u.known_on <= r.adjustment_until))
       AND (e.expected_bill).total - b.paid_amount - coalesce(a.adjusted, 0) <> 0;
END;
$$;

COMMENT ON FUNCTION cup.propagate_bookings(citizens ticket.fiscal_code[], from_dates date[], known_dates date[], cause text) IS 'carries registry changes to the bookings: unpaid ones re-priced, paid ones inside the grace window adjusted (cause: the adjustment''s reason); called inside ticket.internal_write; VOLATILE because it writes';

REVOKE ALL ON FUNCTION cup.propagate_bookings(citizens ticket.fiscal_code[], from_dates date[], known_dates date[], cause text) FROM PUBLIC;
