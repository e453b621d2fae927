CREATE FUNCTION cup.queue_replicated() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    setting text;
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{registry.citizen,registry.declaration,registry.exemption_grant,
                                     ticket.exemption_rule,ticket.exemption_scope,ticket.regime,
                                     ticket.regime_band,ticket.service,ticket.exemption_catalogue}',
                                   '{"AFTER ROW INSERT","AFTER ROW UPDATE","AFTER ROW DELETE"}');
    -- The day a change became known opens the grace window of paid
    -- bookings, as at the region: a new declaration's signature, a grant's
    -- or a revocation's date.  Any other change (the region closing the
    -- previous declaration when it records the next one, a correction by
    -- hand) re-prices unpaid bookings and adjusts nothing: known 'infinity'.
    IF TG_TABLE_NAME = 'declaration' THEN
        INSERT INTO cup.replica_queue
        SELECT r.fiscal_code, r.applies_from, r.known_on, 'declaration'
          FROM (SELECT OLD.fiscal_code, OLD.applies_from, date 'infinity' AS known_on WHERE TG_OP <> 'INSERT'
                UNION ALL
                SELECT NEW.fiscal_code, NEW.applies_from,
                       CASE WHEN TG_OP = 'INSERT' THEN ticket.local_day(NEW.signed_at) ELSE 'infinity' END
                 WHERE TG_OP <> 'DELETE') r;
    ELSIF TG_TABLE_NAME = 'exemption_grant' THEN
        IF TG_OP = 'UPDATE' AND NEW.revoked_on IS NOT NULL AND OLD.revoked_on IS NULL THEN
            INSERT INTO cup.replica_queue
            VALUES (NEW.fiscal_code, NEW.revoked_on, ticket.local_day(NEW.revoked_at), 'exemption_revoked');
        ELSE
            INSERT INTO cup.replica_queue
            SELECT r.fiscal_code, lower(r.valid), r.known_on, 'exemption_granted'
              FROM (SELECT OLD.fiscal_code, OLD.valid, date 'infinity' AS known_on WHERE TG_OP <> 'INSERT'
                    UNION ALL
                    SELECT NEW.fiscal_code, NEW.valid,
                           CASE WHEN TG_OP = 'INSERT' THEN ticket.local_day(NEW.granted_at) ELSE 'infinity' END
                     WHERE TG_OP <> 'DELETE') r;
        END IF;
    ELSIF TG_TABLE_NAME = 'citizen' THEN
        -- A resident arriving (INSERT) or leaving (DELETE), or a death: the
        -- bookings are re-priced (a resident's unpaid bookings stay where
        -- they were made), not adjusted.
        IF TG_OP = 'UPDATE' AND NEW.death_date IS NOT NULL
           AND NEW.death_date IS DISTINCT FROM OLD.death_date THEN
            INSERT INTO cup.replica_queue VALUES (NEW.fiscal_code, NEW.death_date, 'infinity', 'death');
        ELSE
            INSERT INTO cup.replica_queue VALUES (coalesce(NEW.fiscal_code, OLD.fiscal_code), '-infinity',
                                                  'infinity', 'residence');
        END IF;
    ELSE
        -- A rule: the cache is stale and every unpaid booking may change.
        PERFORM ticket.rules_cache_reset();
        INSERT INTO cup.replica_queue VALUES (NULL, '-infinity', 'infinity', 'rules');
    END IF;
    setting := set_config('ticket.replica_pending', 'on', true);
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION cup.queue_replicated() IS 'trigger (enabled ALWAYS on an ASL node, disabled at the region): queues the citizens whose bookings a replicated registry or rule change may reach; VOLATILE because it writes';

REVOKE ALL ON FUNCTION cup.queue_replicated() FROM PUBLIC;
