/* extension/scripts/ticket--1.0--1.1.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION ticket UPDATE TO '1.1'" to load this file. \quit

--------------------------------------------------------------------------
-- 1.1: the regional network on logical replication (manual: "The regional
-- network: one region, one CUP node per ASL").
--
-- The region's database is what 1.0 was: registry, FSE, rules, and every
-- trigger.  Each ASL runs its own database with the same extension, made an
-- ASL node by ticket.become_asl_node(asl_code); it subscribes to the
-- region's publication for it (ticket.create_asl_publication(asl_code)):
--   * the residents of the ASL (registry.citizen, row filter on
--     residence_asl: a resident who moves is a DELETE at the old ASL and an
--     INSERT at the new one);
--   * every declaration, exemption grant and prescription (the band must
--     reach every CUP, and any CUP books any prescription);
--   * the GPs, the ASLs and the rules the region added (not the shipped
--     rows, which every node's install script creates).
-- The ASL node holds its own bookings.  When replicated rows arrive, row
-- triggers enabled ALWAYS on the ASL node (the apply worker runs with
-- session_replication_role = replica, so ORIGIN triggers and statement
-- triggers never fire there) queue the citizens whose bookings may change;
-- a deferred constraint trigger re-prices them at the commit of the applied
-- transaction, set-wise, with the bookings' own triggers (events, guards,
-- adjustments, audit) firing as for any write of the network.
--------------------------------------------------------------------------

--------------------------------------------------------------------------
-- Which node this database is
--------------------------------------------------------------------------

CREATE TABLE ticket.node (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    role       text NOT NULL CHECK (role IN ('region', 'asl')),
    asl_code   text REFERENCES registry.asl,
    since      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT node_asl_has_code CHECK ((role = 'asl') = (asl_code IS NOT NULL))
);
COMMENT ON TABLE ticket.node IS
'what this database is in the regional network: no row (or role region) the region, role asl an ASL''s CUP node (ticket.become_asl_node)';
COMMENT ON COLUMN ticket.node.singleton IS 'always true: one row at most';
COMMENT ON COLUMN ticket.node.role IS 'region or asl';
COMMENT ON COLUMN ticket.node.asl_code IS 'for an ASL node: its ASL';
COMMENT ON COLUMN ticket.node.since IS 'when the database became what it is';
SELECT pg_catalog.pg_extension_config_dump('ticket.node', '');

CREATE FUNCTION ticket.node_role()
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    found_role text;
BEGIN
    SELECT n.role INTO found_role FROM ticket.node n;
    RETURN coalesce(found_role, 'region');
END;
$$;
COMMENT ON FUNCTION ticket.node_role() IS 'region (the default) or asl: what this database is (ticket.node)';

--------------------------------------------------------------------------
-- Replica identities: a row filter's columns must be in the replica
-- identity for UPDATE and DELETE to be published.
--------------------------------------------------------------------------

CREATE UNIQUE INDEX citizen_replica_identity ON registry.citizen (fiscal_code, residence_asl);
ALTER TABLE registry.citizen REPLICA IDENTITY USING INDEX citizen_replica_identity;
-- The tables with shipped rows are published WHERE NOT shipped; they are
-- small, so the whole row is their identity.
ALTER TABLE ticket.regime REPLICA IDENTITY FULL;
ALTER TABLE ticket.regime_band REPLICA IDENTITY FULL;
ALTER TABLE ticket.exemption_rule REPLICA IDENTITY FULL;
ALTER TABLE ticket.exemption_scope REPLICA IDENTITY FULL;
ALTER TABLE ticket.service REPLICA IDENTITY FULL;
ALTER TABLE ticket.nre_region REPLICA IDENTITY FULL;
ALTER TABLE ticket.priority_class REPLICA IDENTITY FULL;
ALTER TABLE registry.asl REPLICA IDENTITY FULL;

--------------------------------------------------------------------------
-- The region: one publication per ASL
--------------------------------------------------------------------------

CREATE FUNCTION ticket.create_asl_publication(asl_code text)
RETURNS name
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    publication name := ('ticket_asl_' || asl_code)::name;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM registry.asl a WHERE a.asl_code = create_asl_publication.asl_code) THEN
        PERFORM ticket.raise_error('23503', 'ASL % is not in registry.asl', ARRAY[coalesce(asl_code, 'NULL')]);
    END IF;
    IF ticket.node_role() <> 'region' THEN
        PERFORM ticket.raise_error('55000', 'this database is an ASL node: publications are made at the region');
    END IF;
    EXECUTE format(
        'CREATE PUBLICATION %I FOR TABLE'
        ' registry.citizen WHERE (residence_asl = %L),'
        ' registry.declaration, registry.exemption_grant, fse.prescription, registry.gp,'
        ' registry.asl WHERE (NOT shipped),'
        ' ticket.regime WHERE (NOT shipped), ticket.regime_band WHERE (NOT shipped),'
        ' ticket.exemption_rule WHERE (NOT shipped), ticket.exemption_scope WHERE (NOT shipped),'
        ' ticket.service WHERE (NOT shipped), ticket.nre_region WHERE (NOT shipped),'
        ' ticket.priority_class WHERE (NOT shipped)'
        ' WITH (publish = ''insert, update, delete'')',
        publication, asl_code);
    RETURN publication;
END;
$$;
COMMENT ON FUNCTION ticket.create_asl_publication(text) IS
'at the region: creates the publication ticket_asl_<code> an ASL node subscribes to (its residents, every declaration, grant and prescription, the GPs, the rules the region added) and returns its name; VOLATILE because it creates an object';

--------------------------------------------------------------------------
-- The ASL node: re-pricing what replication changes
--------------------------------------------------------------------------

-- The bookings part of registry.propagate, for the region and the ASL
-- nodes alike: unpaid bookings re-priced, paid ones inside the grace window
-- adjusted.
CREATE FUNCTION cup.propagate_bookings(citizens ticket.fiscal_code[], from_dates date[], known_dates date[],
                                       cause text)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
SET plan_cache_mode = force_generic_plan
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
    -- of the booking's regime: the difference between the new price and
    -- what was paid and adjusted so far.
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
                      AND u.known_on <= e.service_date + r.adjustment_grace_days)
       AND (e.expected_bill).total - b.paid_amount - coalesce(a.adjusted, 0) <> 0;
END;
$$;
COMMENT ON FUNCTION cup.propagate_bookings(ticket.fiscal_code[], date[], date[], text) IS
'carries registry changes to the bookings: unpaid ones re-priced, paid ones inside the grace window adjusted (cause: the adjustment''s reason); called inside ticket.internal_write; VOLATILE because it writes';

DROP FUNCTION registry.propagate(ticket.fiscal_code[], date[], date[], text);
CREATE FUNCTION registry.propagate(citizens ticket.fiscal_code[], from_dates date[], known_dates date[],
                                   cause text)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
-- Its statements join views on unnest() of the arrays: custom plans would
-- re-plan them at every call (5 ms each) for the plan the generic one is.
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    was_internal boolean := ticket.internal_write(true);
BEGIN
    -- FSE profile: what the registry says now; none for a citizen left with
    -- neither a declaration nor an exemption.
    DELETE FROM fse.profile p
     USING (SELECT DISTINCT u.fiscal_code FROM unnest(citizens) AS u(fiscal_code)) c
     WHERE p.fiscal_code = c.fiscal_code
       AND NOT EXISTS (SELECT 1 FROM fse.profile_expected e WHERE e.fiscal_code = c.fiscal_code);
    INSERT INTO fse.profile AS p (fiscal_code, declaration_id, band, band_from, exemptions, updated_at)
    SELECT e.fiscal_code, e.declaration_id, e.band, e.band_from, e.exemptions, now()
      FROM (SELECT DISTINCT u.fiscal_code FROM unnest(citizens) AS u(fiscal_code)) c
      JOIN fse.profile_expected e ON e.fiscal_code = c.fiscal_code
        ON CONFLICT (fiscal_code) DO UPDATE
       SET declaration_id = excluded.declaration_id, band = excluded.band,
           band_from = excluded.band_from, exemptions = excluded.exemptions,
           updated_at = excluded.updated_at;

    -- Prescription boxes: the registry as of each prescription date.
    UPDATE fse.prescription p
       SET band = e.expected_band, exemptions = e.expected_exemptions
      FROM (SELECT u.fiscal_code, min(u.from_date) AS from_date
              FROM unnest(citizens, from_dates) AS u(fiscal_code, from_date)
             GROUP BY u.fiscal_code) c,
           fse.prescription_expected e
     WHERE e.fiscal_code = c.fiscal_code AND e.prescribed_on >= c.from_date
       AND p.nre = e.nre
       AND (e.band, e.exemptions) IS DISTINCT FROM (e.expected_band, e.expected_exemptions);

    -- The bookings (the same function the ASL nodes run).
    PERFORM cup.propagate_bookings(citizens, from_dates, known_dates, cause);
    was_internal := ticket.internal_write(was_internal);
END;
$$;
COMMENT ON FUNCTION registry.propagate(ticket.fiscal_code[], date[], date[], text) IS
'carries registry changes to the FSE profile, the prescription boxes, the unpaid bookings (re-priced) and the paid ones inside the grace window (adjustments: cup.propagate_bookings); VOLATILE because it writes';
REVOKE EXECUTE ON FUNCTION registry.propagate(ticket.fiscal_code[], date[], date[], text) FROM PUBLIC;

-- What replication changed in this transaction, waiting for the commit.
-- Unlogged: it is empty whenever no transaction runs.
CREATE UNLOGGED TABLE cup.replica_queue (
    fiscal_code  ticket.fiscal_code,
    from_date    date NOT NULL,
    known_on     date NOT NULL,
    cause        text NOT NULL CHECK (cause IN ('declaration', 'exemption_granted', 'exemption_revoked',
                                                'residence', 'death', 'rules'))
);
COMMENT ON TABLE cup.replica_queue IS
'on an ASL node, the citizens whose bookings a replicated change may reach, until the commit of the applied transaction re-prices them (cup.apply_replicated); empty between transactions';
COMMENT ON COLUMN cup.replica_queue.fiscal_code IS 'the citizen; NULL for a rule change (every booking)';
COMMENT ON COLUMN cup.replica_queue.from_date IS 'the first service date the change reaches';
COMMENT ON COLUMN cup.replica_queue.known_on IS 'the day it became known (the grace window of paid bookings); infinity: adjust nothing';
COMMENT ON COLUMN cup.replica_queue.cause IS 'declaration, exemption_granted, exemption_revoked (the adjustment''s reason), residence, death, rules';

CREATE FUNCTION cup.queue_replicated()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    setting text;
BEGIN
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
COMMENT ON FUNCTION cup.queue_replicated() IS
'trigger (enabled ALWAYS on an ASL node, disabled at the region): queues the citizens whose bookings a replicated registry or rule change may reach; VOLATILE because it writes';

CREATE FUNCTION cup.apply_replicated()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    replication_role text := current_setting('session_replication_role');
    setting text;
    was_internal boolean;
    cause_now text;
BEGIN
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
COMMENT ON FUNCTION cup.apply_replicated() IS
'deferred trigger (enabled ALWAYS on an ASL node, disabled at the region): at the commit of an applied transaction, re-prices the bookings the queued changes reach, with the bookings'' triggers firing; VOLATILE because it writes';

-- The triggers exist everywhere and are disabled; ticket.become_asl_node
-- enables them ALWAYS.  Row triggers only: the apply worker fires no
-- statement trigger.  An UPDATE fires them only when what prices changed.
CREATE TRIGGER replica_queue AFTER INSERT OR DELETE ON registry.declaration
    FOR EACH ROW EXECUTE FUNCTION cup.queue_replicated();
CREATE TRIGGER replica_queue_update AFTER UPDATE ON registry.declaration
    FOR EACH ROW WHEN ((OLD.band, OLD.applies_from, OLD.valid_until) IS DISTINCT FROM
                       (NEW.band, NEW.applies_from, NEW.valid_until))
    EXECUTE FUNCTION cup.queue_replicated();
CREATE TRIGGER replica_queue AFTER INSERT OR DELETE ON registry.exemption_grant
    FOR EACH ROW EXECUTE FUNCTION cup.queue_replicated();
CREATE TRIGGER replica_queue_update AFTER UPDATE ON registry.exemption_grant
    FOR EACH ROW WHEN ((OLD.exemption, OLD.valid, OLD.revoked_on) IS DISTINCT FROM
                       (NEW.exemption, NEW.valid, NEW.revoked_on))
    EXECUTE FUNCTION cup.queue_replicated();
CREATE TRIGGER replica_queue AFTER INSERT OR DELETE ON registry.citizen
    FOR EACH ROW EXECUTE FUNCTION cup.queue_replicated();
CREATE TRIGGER replica_queue_update AFTER UPDATE ON registry.citizen
    FOR EACH ROW WHEN (OLD.death_date IS DISTINCT FROM NEW.death_date)
    EXECUTE FUNCTION cup.queue_replicated();
CREATE CONSTRAINT TRIGGER replica_apply AFTER INSERT OR UPDATE OR DELETE ON registry.declaration
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cup.apply_replicated();
CREATE CONSTRAINT TRIGGER replica_apply AFTER INSERT OR UPDATE OR DELETE ON registry.exemption_grant
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cup.apply_replicated();
CREATE CONSTRAINT TRIGGER replica_apply AFTER INSERT OR UPDATE OR DELETE ON registry.citizen
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cup.apply_replicated();
ALTER TABLE registry.declaration DISABLE TRIGGER replica_queue, DISABLE TRIGGER replica_queue_update,
    DISABLE TRIGGER replica_apply;
ALTER TABLE registry.exemption_grant DISABLE TRIGGER replica_queue, DISABLE TRIGGER replica_queue_update,
    DISABLE TRIGGER replica_apply;
ALTER TABLE registry.citizen DISABLE TRIGGER replica_queue, DISABLE TRIGGER replica_queue_update,
    DISABLE TRIGGER replica_apply;

CREATE TRIGGER replica_queue AFTER INSERT OR UPDATE OR DELETE ON ticket.regime
    FOR EACH ROW EXECUTE FUNCTION cup.queue_replicated();
CREATE TRIGGER replica_queue AFTER INSERT OR UPDATE OR DELETE ON ticket.regime_band
    FOR EACH ROW EXECUTE FUNCTION cup.queue_replicated();
CREATE TRIGGER replica_queue AFTER INSERT OR UPDATE OR DELETE ON ticket.exemption_rule
    FOR EACH ROW EXECUTE FUNCTION cup.queue_replicated();
CREATE TRIGGER replica_queue AFTER INSERT OR UPDATE OR DELETE ON ticket.exemption_scope
    FOR EACH ROW EXECUTE FUNCTION cup.queue_replicated();
CREATE TRIGGER replica_queue AFTER INSERT OR UPDATE OR DELETE ON ticket.service
    FOR EACH ROW EXECUTE FUNCTION cup.queue_replicated();
CREATE CONSTRAINT TRIGGER replica_apply AFTER INSERT OR UPDATE OR DELETE ON ticket.regime
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cup.apply_replicated();
CREATE CONSTRAINT TRIGGER replica_apply AFTER INSERT OR UPDATE OR DELETE ON ticket.regime_band
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cup.apply_replicated();
CREATE CONSTRAINT TRIGGER replica_apply AFTER INSERT OR UPDATE OR DELETE ON ticket.exemption_rule
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cup.apply_replicated();
CREATE CONSTRAINT TRIGGER replica_apply AFTER INSERT OR UPDATE OR DELETE ON ticket.exemption_scope
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cup.apply_replicated();
CREATE CONSTRAINT TRIGGER replica_apply AFTER INSERT OR UPDATE OR DELETE ON ticket.service
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cup.apply_replicated();
-- Every backend's compiled rules go stale with a replicated rule row: the
-- statement trigger rules_changed does that at the region, a row trigger
-- (same C function) on the ASL node.
CREATE TRIGGER rules_replicated AFTER INSERT OR UPDATE OR DELETE ON ticket.regime
    FOR EACH ROW EXECUTE FUNCTION ticket.rules_changed();
CREATE TRIGGER rules_replicated AFTER INSERT OR UPDATE OR DELETE ON ticket.regime_band
    FOR EACH ROW EXECUTE FUNCTION ticket.rules_changed();
CREATE TRIGGER rules_replicated AFTER INSERT OR UPDATE OR DELETE ON ticket.exemption_rule
    FOR EACH ROW EXECUTE FUNCTION ticket.rules_changed();
CREATE TRIGGER rules_replicated AFTER INSERT OR UPDATE OR DELETE ON ticket.exemption_scope
    FOR EACH ROW EXECUTE FUNCTION ticket.rules_changed();
CREATE TRIGGER rules_replicated AFTER INSERT OR UPDATE OR DELETE ON ticket.service
    FOR EACH ROW EXECUTE FUNCTION ticket.rules_changed();
CREATE TRIGGER rules_replicated AFTER INSERT OR UPDATE OR DELETE ON ticket.nre_region
    FOR EACH ROW EXECUTE FUNCTION ticket.rules_changed();
CREATE TRIGGER rules_replicated AFTER INSERT OR UPDATE OR DELETE ON ticket.priority_class
    FOR EACH ROW EXECUTE FUNCTION ticket.rules_changed();
ALTER TABLE ticket.regime DISABLE TRIGGER replica_queue, DISABLE TRIGGER replica_apply,
    DISABLE TRIGGER rules_replicated;
ALTER TABLE ticket.regime_band DISABLE TRIGGER replica_queue, DISABLE TRIGGER replica_apply,
    DISABLE TRIGGER rules_replicated;
ALTER TABLE ticket.exemption_rule DISABLE TRIGGER replica_queue, DISABLE TRIGGER replica_apply,
    DISABLE TRIGGER rules_replicated;
ALTER TABLE ticket.exemption_scope DISABLE TRIGGER replica_queue, DISABLE TRIGGER replica_apply,
    DISABLE TRIGGER rules_replicated;
ALTER TABLE ticket.service DISABLE TRIGGER replica_queue, DISABLE TRIGGER replica_apply,
    DISABLE TRIGGER rules_replicated;
ALTER TABLE ticket.nre_region DISABLE TRIGGER rules_replicated;
ALTER TABLE ticket.priority_class DISABLE TRIGGER rules_replicated;

CREATE FUNCTION ticket.become_asl_node(asl_code text)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    t regclass;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM registry.asl a WHERE a.asl_code = become_asl_node.asl_code) THEN
        PERFORM ticket.raise_error('23503', 'ASL % is not in registry.asl', ARRAY[coalesce(asl_code, 'NULL')]);
    END IF;
    INSERT INTO ticket.node (role, asl_code) VALUES ('asl', asl_code)
        ON CONFLICT (singleton) DO UPDATE SET role = 'asl', asl_code = excluded.asl_code, since = now();
    FOREACH t IN ARRAY ARRAY['registry.declaration', 'registry.exemption_grant', 'registry.citizen']::regclass[] LOOP
        EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER replica_queue, ENABLE ALWAYS TRIGGER replica_queue_update,'
                       ' ENABLE ALWAYS TRIGGER replica_apply', t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['ticket.regime', 'ticket.regime_band', 'ticket.exemption_rule',
                             'ticket.exemption_scope', 'ticket.service']::regclass[] LOOP
        EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER replica_queue, ENABLE ALWAYS TRIGGER replica_apply,'
                       ' ENABLE ALWAYS TRIGGER rules_replicated', t);
    END LOOP;
    EXECUTE 'ALTER TABLE ticket.nre_region ENABLE ALWAYS TRIGGER rules_replicated';
    EXECUTE 'ALTER TABLE ticket.priority_class ENABLE ALWAYS TRIGGER rules_replicated';
END;
$$;
COMMENT ON FUNCTION ticket.become_asl_node(text) IS
'makes this database the CUP node of an ASL: records it in ticket.node and enables ALWAYS the row triggers that re-price its bookings when replicated changes arrive (run it before CREATE SUBSCRIPTION, and again after a restore); VOLATILE because it changes the database';

--------------------------------------------------------------------------
-- Replication health, per subscription
--------------------------------------------------------------------------

CREATE FUNCTION ticket.replication_health()
RETURNS TABLE (subscription name, state text, enabled boolean, disable_on_error boolean, worker_pid integer,
               received_lsn pg_lsn, last_applied_lsn pg_lsn, last_message_at timestamptz,
               reported_at timestamptz, lag interval, apply_errors bigint, sync_errors bigint,
               tables_not_ready bigint)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    RETURN QUERY
    SELECT s.subname,
           CASE WHEN NOT s.subenabled AND coalesce(ss.apply_error_count + ss.sync_error_count, 0) > 0
                     THEN 'disabled after an error'
                WHEN NOT s.subenabled THEN 'disabled'
                WHEN w.pid IS NULL THEN 'no worker'
                WHEN (SELECT count(*) FROM pg_subscription_rel r
                       WHERE r.srsubid = s.oid AND r.srsubstate <> 'r') > 0 THEN 'copying tables'
                ELSE 'streaming' END,
           s.subenabled, s.subdisableonerr, w.pid, w.received_lsn, o.remote_lsn, w.last_msg_receipt_time,
           w.latest_end_time, now() - w.latest_end_time,
           coalesce(ss.apply_error_count, 0), coalesce(ss.sync_error_count, 0),
           (SELECT count(*) FROM pg_subscription_rel r WHERE r.srsubid = s.oid AND r.srsubstate <> 'r')
      FROM pg_subscription s
      LEFT JOIN pg_stat_subscription w ON w.subid = s.oid AND w.relid IS NULL
      LEFT JOIN pg_stat_subscription_stats ss ON ss.subid = s.oid
      LEFT JOIN pg_replication_origin_status o ON o.external_id = 'pg_' || s.oid
     WHERE s.subdbid = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())
     ORDER BY s.subname;
END;
$$;
COMMENT ON FUNCTION ticket.replication_health() IS
'one row per subscription of this database: state (streaming, copying tables, no worker, disabled, disabled after an error), the worker, the last LSN received and applied, when the publisher was last heard from and the lag since, apply and sync errors, tables not yet copied';

--------------------------------------------------------------------------
-- The consistency check knows the node: an ASL node holds no FSE profile
-- and no registry events (they are the region's), the rest holds.
--------------------------------------------------------------------------

DROP FUNCTION ticket.check_consistency();
CREATE FUNCTION ticket.check_consistency()
RETURNS TABLE (invariant text, subject text, detail text)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    at_region boolean := ticket.node_role() = 'region';
BEGIN
    -- Unpaid bookings hold the price the rules and the registry give now.
    RETURN QUERY
    SELECT 'booking_price', 'booking ' || e.booking_id,
           format('holds %s (%s), current data give %s (%s)', (e.bill).total, (e.bill).regime,
                  (e.expected_bill).total, (e.expected_bill).regime)
      FROM cup.booking_expected e
     WHERE e.status = 'booked' AND e.bill IS DISTINCT FROM e.expected_bill;

    -- A paid booking paid its bill.
    RETURN QUERY
    SELECT 'booking_payment', 'booking ' || b.booking_id,
           format('status %s, paid %s of %s', b.status, b.paid_amount, b.amount)
      FROM cup.booking b
     WHERE b.status IN ('paid', 'done') AND b.paid_amount IS DISTINCT FROM b.amount;

    -- A booking is for its prescription's patient, on or after its date.
    RETURN QUERY
    SELECT 'booking_prescription', 'booking ' || b.booking_id,
           format('booking for %s on %s, prescription %s for %s on %s', b.fiscal_code, b.service_date,
                  p.nre, p.fiscal_code, p.prescribed_on)
      FROM cup.booking b JOIN fse.prescription p ON p.nre = b.nre
     WHERE b.fiscal_code <> p.fiscal_code OR b.service_date < p.prescribed_on;

    -- The FSE profile says what the registry says (the region's).
    RETURN QUERY
    SELECT 'fse_profile', coalesce(e.fiscal_code, p.fiscal_code)::text,
           CASE WHEN p.fiscal_code IS NULL THEN 'no FSE profile'
                WHEN e.fiscal_code IS NULL THEN 'FSE profile of a citizen with no declaration or exemption'
                ELSE format('FSE shows %s from %s %s, registry %s from %s %s', p.band, p.band_from,
                            p.exemptions, e.band, e.band_from, e.exemptions) END
      FROM fse.profile_expected e
      FULL JOIN fse.profile p ON p.fiscal_code = e.fiscal_code
     WHERE at_region
       AND (p.fiscal_code IS NULL OR e.fiscal_code IS NULL
            OR (p.declaration_id, p.band, p.band_from, p.exemptions)
               IS DISTINCT FROM (e.declaration_id, e.band, e.band_from, e.exemptions));

    -- Prescription boxes are the registry's as of the prescription date.
    RETURN QUERY
    SELECT 'prescription_boxes', 'prescription ' || e.nre,
           format('boxes %s %s, registry on %s gives %s %s', e.band, e.exemptions, e.prescribed_on,
                  e.expected_band, e.expected_exemptions)
      FROM fse.prescription_expected e
     WHERE (e.band, e.exemptions) IS DISTINCT FROM (e.expected_band, e.expected_exemptions);

    -- Declarations of one citizen never overlap; at most one is current.
    RETURN QUERY
    SELECT 'declaration_overlap', a.fiscal_code::text,
           format('declarations %s %s and %s %s overlap', a.declaration_id, a.valid, b.declaration_id, b.valid)
      FROM registry.declaration a
      JOIN registry.declaration b ON b.fiscal_code = a.fiscal_code
                                 AND b.declaration_id > a.declaration_id AND b.valid && a.valid;

    -- Nothing declared, prescribed or booked (unpaid) for the dead.
    RETURN QUERY
    SELECT 'after_death', c.fiscal_code::text, format('%s on %s, died %s', w.what, w.on_date, c.death_date)
      FROM registry.citizen c
      JOIN LATERAL (SELECT 'declaration ' || d.declaration_id AS what, d.applies_from AS on_date
                      FROM registry.declaration d WHERE d.fiscal_code = c.fiscal_code
                    UNION ALL
                    SELECT 'prescription ' || p.nre, p.prescribed_on
                      FROM fse.prescription p WHERE p.fiscal_code = c.fiscal_code
                    UNION ALL
                    SELECT 'unpaid booking ' || b.booking_id, b.service_date
                      FROM cup.booking b
                     WHERE b.fiscal_code = c.fiscal_code AND b.status = 'booked') w
        ON w.on_date >= c.death_date
     WHERE c.death_date IS NOT NULL;

    -- Fiscal codes match the personal data unless a reason is recorded.
    RETURN QUERY
    SELECT 'fiscal_code_data', c.fiscal_code::text, 'the code does not match the personal data'
      FROM registry.citizen c
     WHERE c.code_mismatch_reason IS NULL AND ticket.fiscal_code_kind(c.fiscal_code) = 'personal'
       AND NOT ticket.fiscal_code_matches(c.fiscal_code, c.surname, c.given_name, c.sex,
                                          c.birth_date, c.birthplace);

    -- Every event is about a row that exists, and of its citizen (outer
    -- joins on the id: linear, not a probe per event).
    RETURN QUERY
    SELECT 'orphan_event', 'event ' || ev.event_id, format('%s %s of %s', ev.kind, ev.subject, ev.fiscal_code)
      FROM (SELECT e.*, CASE WHEN e.subject ~ '^[0-9]{1,18}$' THEN e.subject::bigint END AS id
              FROM ticket.event e) ev
      LEFT JOIN registry.declaration d
             ON ev.kind = 'declaration' AND d.declaration_id = ev.id AND d.fiscal_code = ev.fiscal_code
      LEFT JOIN registry.exemption_grant g
             ON ev.kind IN ('exemption_granted', 'exemption_revoked') AND g.grant_id = ev.id
            AND g.fiscal_code = ev.fiscal_code
      LEFT JOIN (cup.adjustment a JOIN cup.booking ab ON ab.booking_id = a.booking_id)
             ON ev.kind = 'adjustment' AND a.adjustment_id = ev.id AND ab.fiscal_code = ev.fiscal_code
      LEFT JOIN cup.booking b
             ON ev.kind IN ('booked', 'moved', 'repriced', 'paid', 'cancelled', 'done')
            AND b.booking_id = ev.id AND b.fiscal_code = ev.fiscal_code
     WHERE d.declaration_id IS NULL AND g.grant_id IS NULL AND a.adjustment_id IS NULL
       AND b.booking_id IS NULL;

    -- Every declaration, grant and revocation reached the outbox and the FSE
    -- log (the region's).  Outer joins, not correlated NOT EXISTS: hash
    -- joins that spill to disk keep this linear at the size of the region.
    RETURN QUERY
    SELECT 'missing_event', 'declaration ' || d.declaration_id, 'no outbox or FSE event'
      FROM registry.declaration d
      LEFT JOIN ticket.event ev ON ev.kind = 'declaration' AND ev.subject = d.declaration_id::text
      LEFT JOIN fse.event fe ON fe.kind = 'declaration' AND fe.fiscal_code = d.fiscal_code
                            AND (fe.detail ->> 'declaration_id')::bigint = d.declaration_id
     WHERE at_region AND (ev.event_id IS NULL OR fe.event_id IS NULL);
    RETURN QUERY
    SELECT 'missing_event', 'grant ' || g.grant_id, 'no outbox or FSE event exemption_granted'
      FROM registry.exemption_grant g
      LEFT JOIN ticket.event ev ON ev.kind = 'exemption_granted' AND ev.subject = g.grant_id::text
      LEFT JOIN fse.event fe ON fe.kind = 'exemption_granted' AND fe.fiscal_code = g.fiscal_code
                            AND (fe.detail ->> 'grant_id')::bigint = g.grant_id
     WHERE at_region AND (ev.event_id IS NULL OR fe.event_id IS NULL);
    RETURN QUERY
    SELECT 'missing_event', 'grant ' || g.grant_id, 'no outbox or FSE event exemption_revoked'
      FROM registry.exemption_grant g
      LEFT JOIN ticket.event ev ON ev.kind = 'exemption_revoked' AND ev.subject = g.grant_id::text
      LEFT JOIN fse.event fe ON fe.kind = 'exemption_revoked' AND fe.fiscal_code = g.fiscal_code
                            AND (fe.detail ->> 'grant_id')::bigint = g.grant_id
     WHERE at_region AND g.revoked_on IS NOT NULL AND (ev.event_id IS NULL OR fe.event_id IS NULL);

    -- An ASL node: nothing left in the queue of replicated changes.
    RETURN QUERY
    SELECT 'replica_queue', coalesce(q.fiscal_code::text, 'rules'), 'replicated change not re-priced: ' || q.cause
      FROM cup.replica_queue q;
END;
$$;
COMMENT ON FUNCTION ticket.check_consistency() IS
'one row per violated invariant of the network (prices of unpaid bookings, payments, FSE profiles, prescription boxes, declaration overlaps, deaths, fiscal codes, events; on an ASL node the FSE profiles and registry events are the region''s and not checked); empty on a healthy database';

REVOKE EXECUTE ON FUNCTION
    ticket.check_consistency(),
    ticket.create_asl_publication(text),
    ticket.become_asl_node(text),
    ticket.replication_health(),
    cup.propagate_bookings(ticket.fiscal_code[], date[], date[], text)
FROM PUBLIC;

--------------------------------------------------------------------------
-- The audit of updates plans each statement for its own transition
-- tables.  A PL/pgSQL statement keeps the plan of its first execution:
-- made for a one-row update (a payment at the desk), it joined the old and
-- new rows of a 30,000-row re-pricing with a nested loop (minutes; the
-- apply worker of an ASL node, a long-lived session, met it first).  EXECUTE
-- plans each time, with the transition tables' row counts: a hash join.
-- And the re-pricing of unpaid bookings, the network's own write, is not a
-- payment: the booking's audit trigger skips it, as the declaration's skips
-- the closing of a declaration.
--------------------------------------------------------------------------

DROP TRIGGER audit_update ON registry.declaration;
DROP TRIGGER audit_update ON registry.exemption_grant;
DROP TRIGGER audit_update ON cup.booking;
DROP TRIGGER audit_update ON cup.adjustment;
DROP FUNCTION ticket.audit_update();
CREATE FUNCTION ticket.audit_update()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    EXECUTE 'INSERT INTO ticket.audit_log (table_name, operation, row_key, old_row, new_row)
             SELECT $1, ''UPDATE'', n.r ->> $2, o.r, n.r
               FROM (SELECT to_jsonb(x) AS r FROM old_rows x) o
               JOIN (SELECT to_jsonb(x) AS r FROM new_rows x) n ON (n.r -> $2) = (o.r -> $2)
              WHERE CASE WHEN cardinality($3) = 0 THEN o.r <> n.r
                         ELSE EXISTS (SELECT 1 FROM unnest($3) c WHERE (o.r -> c) IS DISTINCT FROM (n.r -> c)) END'
      USING TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, TG_ARGV[0], TG_ARGV[1:];
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION ticket.audit_update() IS
'statement trigger: records the updated rows (old_rows, new_rows joined on the key column TG_ARGV[0]) whose watched columns (TG_ARGV[1..]; none: any) changed, planned for each statement''s row counts; VOLATILE because it writes';
CREATE TRIGGER audit_update AFTER UPDATE ON registry.declaration
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT
    WHEN (pg_catalog.current_setting('ticket.internal_write', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION ticket.audit_update('declaration_id');
CREATE TRIGGER audit_update AFTER UPDATE ON registry.exemption_grant
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_update('grant_id');
CREATE TRIGGER audit_update AFTER UPDATE ON cup.booking
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT
    WHEN (pg_catalog.current_setting('ticket.internal_write', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION ticket.audit_update('booking_id', 'status', 'paid_amount', 'paid_at',
                                         'payment_channel', 'cancelled_at');
CREATE TRIGGER audit_update AFTER UPDATE ON cup.adjustment
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_update('adjustment_id');
