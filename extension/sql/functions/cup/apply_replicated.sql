CREATE FUNCTION cup.apply_replicated() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    replication_role text := current_setting('session_replication_role');
    setting text;
    was_internal boolean;
    cause_now text;
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{registry.citizen,registry.declaration,registry.exemption_grant,
                                     ticket.exemption_rule,ticket.exemption_scope,ticket.regime,
                                     ticket.regime_band,ticket.service,ticket.exemption_catalogue}',
                                   '{"AFTER ROW INSERT","AFTER ROW UPDATE","AFTER ROW DELETE"}');
    -- Deferred, one event per replicated row: the first to fire at the
    -- commit of the applied transaction does the work, the others find
    -- nothing pending.
    IF coalesce(current_setting('ticket.replica_pending', true), '') <> 'on' THEN
        RETURN NULL;
    END IF;
    setting := set_config('ticket.replica_pending', 'off', true);
    -- The apply worker runs as replica: the bookings' own triggers (guards,
    -- events, adjustments' events, audit) must fire for these writes, as
    -- for every write of the network.  Back to replica before the next
    -- replicated change.
    setting := set_config('session_replication_role', 'origin', true);
    was_internal := ticket.internal_write(true);
    PERFORM ticket.rules_cache_reset();
    IF EXISTS (SELECT 1 FROM cup.replica_queue q WHERE q.cause = 'rules') THEN
        UPDATE cup.booking b SET bill = e.expected_bill, priced_at = now()
          FROM cup.booking_expected e
         WHERE e.status = 'booked' AND b.booking_id = e.booking_id
           AND b.bill IS DISTINCT FROM e.expected_bill;
    END IF;
    UPDATE cup.booking b
       SET status = 'cancelled', cancelled_at = now(), cancel_reason = 'death of the patient'
      FROM cup.replica_queue q
     WHERE q.cause = 'death' AND b.fiscal_code = q.fiscal_code
       AND b.status = 'booked' AND b.service_date >= q.from_date;
    FOR cause_now IN SELECT DISTINCT q.cause FROM cup.replica_queue q
                      WHERE q.cause NOT IN ('rules', 'death') ORDER BY 1 LOOP
        PERFORM cup.propagate_bookings(array_agg(q.fiscal_code), array_agg(q.from_date),
                                       array_agg(q.known_on), cause_now)
           FROM cup.replica_queue q WHERE q.cause = cause_now;
    END LOOP;
    DELETE FROM cup.replica_queue;
    was_internal := ticket.internal_write(was_internal);
    setting := set_config('session_replication_role', replication_role, true);
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION cup.apply_replicated() IS 'deferred trigger (enabled ALWAYS on an ASL node, disabled at the region): at the commit of an applied transaction, re-prices the bookings the queued changes reach, with the bookings'' triggers firing; VOLATILE because it writes';

REVOKE ALL ON FUNCTION cup.apply_replicated() FROM PUBLIC;
