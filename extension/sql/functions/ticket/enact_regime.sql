CREATE FUNCTION ticket.enact_regime(regime text) RETURNS bigint
    LANGUAGE plpgsql STRICT SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    drafted text;
    starts date;
    ends date;
    was_pending boolean := coalesce(pg_catalog.current_setting('ticket.reprice_pending', true), '')
                           OPERATOR(pg_catalog.=) 'on';
    was_internal boolean;
    repriced bigint;
BEGIN
    PERFORM ticket.refuse_long_text('ticket.enact_regime', 'regime', regime, 100);
    SELECT r.status, r.effective_from INTO drafted, starts
      FROM ticket.regime r WHERE r.regime_id OPERATOR(pg_catalog.=) enact_regime.regime FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM ticket.raise_error('P0002', 'regime % does not exist', ARRAY[regime]);
    ELSIF drafted OPERATOR(pg_catalog.<>) 'draft' THEN
        PERFORM ticket.raise_error('55000', 'regime % is already enacted', ARRAY[regime],
                                   hint => 'Only a draft (ticket.draft_regime) is enacted; correct an enacted regime with a later one.');
    END IF;
    -- The bookings it prices: from its date to the next enacted regime's.
    SELECT pg_catalog.min(r.effective_from) INTO ends
      FROM ticket.regime r
     WHERE r.status OPERATOR(pg_catalog.=) 'enacted' AND r.effective_from OPERATOR(pg_catalog.>) starts;

    -- Audited (ticket.regime's audit trigger); every session's rules follow
    -- at commit, this one's now: 22000 here if they contradict each other.
    UPDATE ticket.regime r SET status = 'enacted' WHERE r.regime_id OPERATOR(pg_catalog.=) enact_regime.regime;
    PERFORM ticket.rules_cache_reset();
    PERFORM ticket.rules_cache_info();

    -- The unpaid bookings of its period get the bill the engine gives now
    -- (cup.booking_expected: ticket.price, as the re-pricing of every rule
    -- change does), in one statement; their outbox events come from
    -- cup.booking_events, their audit rows (lean: the key and the bill)
    -- from the audit trigger of cup.booking.  OFFSET 0 prices each booking
    -- once (flattened, the planner copies expected_bill into the SET and
    -- the WHERE) and only those of the period (the filters stay below it).
    was_internal := ticket.internal_write(true);
    UPDATE cup.booking b SET bill = e.expected_bill, priced_at = pg_catalog.now()
      FROM (SELECT x.booking_id, x.bill, x.expected_bill FROM cup.booking_expected x
             WHERE x.status OPERATOR(pg_catalog.=) 'booked'
               AND x.service_date OPERATOR(pg_catalog.>=) starts
               AND (ends IS NULL OR x.service_date OPERATOR(pg_catalog.<) ends)
            OFFSET 0) e
     WHERE b.booking_id OPERATOR(pg_catalog.=) e.booking_id
       AND e.bill IS DISTINCT FROM e.expected_bill;
    GET DIAGNOSTICS repriced = ROW_COUNT;
    -- Which declared band a regime charges is rule data too: the band boxes
    -- of the prescriptions of its period.
    UPDATE fse.prescription p
       SET band = e.expected_band, exemptions = e.expected_exemptions
      FROM fse.prescription_expected e
     WHERE p.nre OPERATOR(pg_catalog.=) e.nre
       AND e.prescribed_on OPERATOR(pg_catalog.>=) starts
       AND (ends IS NULL OR e.prescribed_on OPERATOR(pg_catalog.<) ends)
       AND NOT (coalesce(e.band OPERATOR(ticket.=) e.expected_band,
                                    (e.band IS NULL) OPERATOR(pg_catalog.=) (e.expected_band IS NULL))
                AND coalesce(e.exemptions OPERATOR(pg_catalog.=) e.expected_exemptions,
                                        (e.exemptions IS NULL) OPERATOR(pg_catalog.=) (e.expected_exemptions IS NULL)));
    was_internal := ticket.internal_write(was_internal);
    -- Done for this change: the deferred reprice_bookings trigger has
    -- nothing left to do at commit, unless other rules changed before.
    IF NOT was_pending THEN
        PERFORM pg_catalog.set_config('ticket.reprice_pending', 'off', true);
    END IF;
    RETURN repriced;
END;
$$;

COMMENT ON FUNCTION ticket.enact_regime(regime text) IS 'puts a draft regime in force from its effective_from (P0002 unknown, 55000 already enacted, 23505 another regime enacted from that date, 22000 rules that contradict each other): the unpaid bookings from that date to the next regime''s are re-priced at once by the engine (each an audit-log row and, if its amount changed, a repriced event), paid ones never; returns the number of bookings re-priced; runs as the owner (it writes bookings); VOLATILE because it writes';

REVOKE ALL ON FUNCTION ticket.enact_regime(regime text) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.enact_regime(regime text) TO ticket_rules_admin;
