CREATE FUNCTION cup.reprice_after_rule_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    was_internal boolean;
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{ticket.exemption_rule,ticket.exemption_scope,ticket.regime,
                                     ticket.regime_band,ticket.service,ticket.exemption_catalogue}',
                                   '{"AFTER ROW INSERT","AFTER ROW UPDATE","AFTER ROW DELETE"}');
    -- Deferred row trigger, one event per changed rule row: the first to
    -- fire (at commit, or at SET CONSTRAINTS ... IMMEDIATE) re-prices for
    -- every rule change so far (cup.rules_dirty marked them); the others
    -- find nothing pending.
    IF coalesce(current_setting('ticket.reprice_pending', true), '') <> 'on' THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('ticket.reprice_pending', 'off', true);
    -- In IMMEDIATE mode this fires before the statement trigger that
    -- invalidates the rule cache: read the tables afresh.
    PERFORM ticket.rules_cache_reset();
    was_internal := ticket.internal_write(true);
    UPDATE cup.booking b SET bill = e.expected_bill, priced_at = now()
      FROM cup.booking_expected e
     WHERE e.status = 'booked' AND b.booking_id = e.booking_id
       AND b.bill IS DISTINCT FROM e.expected_bill;
    -- Which declared band a regime charges is rule data too.
    UPDATE fse.prescription p
       SET band = e.expected_band, exemptions = e.expected_exemptions
      FROM fse.prescription_expected e
     WHERE p.nre = e.nre
       AND (e.band, e.exemptions) IS DISTINCT FROM (e.expected_band, e.expected_exemptions);
    was_internal := ticket.internal_write(was_internal);
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION cup.reprice_after_rule_change() IS 'trigger: at commit of a change to the rules, unpaid bookings get the bill the new rules give (paid ones are final) and prescriptions the band box; VOLATILE because it writes';

REVOKE ALL ON FUNCTION cup.reprice_after_rule_change() FROM PUBLIC;
