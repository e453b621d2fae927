/* extension/scripts/ticket--1.2--1.3.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION ticket UPDATE TO '1.3'" to load this file. \quit

--------------------------------------------------------------------------
-- 1.3: PostgreSQL 15, 17 and 18; failover slots; the rules of 2011-2025
-- as the December 2026 review corrected them; the rules administrator's
-- what-if.
--------------------------------------------------------------------------

--------------------------------------------------------------------------
-- ticket.replication_health: failover, synced and invalidation_reason
-- (PostgreSQL 17's failover slots), and a row per logical slot at the
-- region and its standby.  New result columns: dropped and made again,
-- closed to PUBLIC as before.
--------------------------------------------------------------------------

DROP FUNCTION ticket.replication_health();
CREATE FUNCTION ticket.replication_health() RETURNS TABLE(subscription name, state text, enabled boolean, disable_on_error boolean, worker_pid integer, received_lsn pg_lsn, last_applied_lsn pg_lsn, last_message_at timestamp with time zone, reported_at timestamp with time zone, lag interval, apply_errors bigint, sync_errors bigint, tables_not_ready bigint, failover boolean, synced boolean, invalidation_reason text)
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $_$
DECLARE
    -- Failover slots are PostgreSQL 17's: pg_subscription.subfailover and
    -- pg_replication_slots.failover, .synced and .invalidation_reason do not
    -- exist on 15, and one source serves every major, so the query names
    -- them only where they exist (dynamic SQL).
    v17 boolean := current_setting('server_version_num')::integer >= 170000;
BEGIN
    RETURN QUERY EXECUTE format($q$
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
           (SELECT count(*) FROM pg_subscription_rel r WHERE r.srsubid = s.oid AND r.srsubstate <> 'r'),
           %1$s, NULL::boolean, NULL::text
      FROM pg_subscription s
      LEFT JOIN pg_stat_subscription w ON w.subid = s.oid AND w.relid IS NULL
      LEFT JOIN pg_stat_subscription_stats ss ON ss.subid = s.oid
      LEFT JOIN pg_replication_origin_status o ON o.external_id = 'pg_' || s.oid
     WHERE s.subdbid = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())
    UNION ALL
    -- The publisher's side (the region, or its standby): one row per
    -- logical slot of this database, the subscriptions' slots.
    SELECT rs.slot_name,
           CASE WHEN rs.invalidation_reason IS NOT NULL THEN 'slot invalidated'
                WHEN pg_is_in_recovery() AND rs.synced AND NOT rs.temporary THEN 'slot synchronised'
                WHEN pg_is_in_recovery() AND rs.synced THEN 'slot synchronising'
                WHEN pg_is_in_recovery() THEN 'slot not synchronised'
                WHEN rs.active THEN 'slot in use'
                ELSE 'slot idle' END,
           NULL, NULL, rs.active_pid, NULL, rs.confirmed_flush_lsn, NULL, NULL, NULL, NULL, NULL, NULL,
           rs.failover, rs.synced, rs.invalidation_reason
      FROM (SELECT r.slot_name, r.temporary, r.active, r.active_pid, r.confirmed_flush_lsn,
                   %2$s AS failover, %3$s AS synced, %4$s AS invalidation_reason
              FROM pg_replication_slots r
             WHERE r.slot_type = 'logical' AND r.database = current_database()) rs
     ORDER BY 1$q$,
        CASE WHEN v17 THEN 's.subfailover' ELSE 'NULL::boolean' END,
        CASE WHEN v17 THEN 'r.failover' ELSE 'NULL::boolean' END,
        CASE WHEN v17 THEN 'r.synced' ELSE 'NULL::boolean' END,
        -- before 17 the one invalidation a slot of the region can suffer:
        -- its WAL removed (max_slot_wal_keep_size)
        CASE WHEN v17 THEN 'r.invalidation_reason'
             ELSE $$CASE WHEN r.wal_status = 'lost' THEN 'wal_removed' END$$ END);
END;
$_$;

COMMENT ON FUNCTION ticket.replication_health() IS 'one row per subscription of this database: state (streaming, copying tables, no worker, disabled, disabled after an error), the worker, the last LSN received and applied, when the publisher was last heard from and the lag since, apply and sync errors, tables not yet copied, failover (17 and later); and one row per logical slot of this database (the region and its standby): state (slot in use, slot idle, slot synchronised, slot synchronising, slot not synchronised, slot invalidated), failover, synced, invalidation_reason (17 and later; NULL before, but wal_removed)';

REVOKE ALL ON FUNCTION ticket.replication_health() FROM PUBLIC;

--------------------------------------------------------------------------
-- Issue 18: the rules administrator's what-if.  A regime is a draft or
-- enacted; a draft prices no booking (the rule cache's date look-up sees
-- enacted regimes only) and its rows re-price nothing; ticket.draft_regime,
-- ticket.simulate (ticket.price_under), ticket.enact_regime,
-- ticket.discard_regime.
--------------------------------------------------------------------------

ALTER TABLE ticket.regime ADD COLUMN status text DEFAULT 'enacted'::text NOT NULL;

ALTER TABLE ticket.regime ADD CONSTRAINT regime_status_check CHECK ((status = ANY (ARRAY['draft'::text, 'enacted'::text])));

COMMENT ON COLUMN ticket.regime.status IS 'enacted: in force from effective_from; draft: a copy being edited (ticket.draft_regime), priced only by name (ticket.simulate) until ticket.enact_regime';

CREATE OR REPLACE FUNCTION cup.rules_dirty() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{ticket.exemption_rule,ticket.exemption_scope,ticket.regime,
                                     ticket.regime_band,ticket.service}',
                                   '{"BEFORE ROW INSERT","BEFORE ROW UPDATE","BEFORE ROW DELETE"}');
    -- A draft regime prices no booking: its own rows change no bill (the
    -- regime's row, before and after, and its bands and exemption rules).
    IF TG_TABLE_NAME = 'regime' THEN
        IF coalesce(to_jsonb(OLD) ->> 'status', 'draft') = 'draft'
           AND coalesce(to_jsonb(NEW) ->> 'status', 'draft') = 'draft' THEN
            RETURN coalesce(NEW, OLD);
        END IF;
    ELSIF TG_TABLE_NAME IN ('regime_band', 'exemption_rule') THEN
        IF (SELECT count(*) FROM ticket.regime r
             WHERE r.regime_id IN (to_jsonb(OLD) ->> 'regime_id', to_jsonb(NEW) ->> 'regime_id')
               AND r.status = 'draft')
           = (SELECT count(DISTINCT i) FROM unnest(ARRAY[to_jsonb(OLD) ->> 'regime_id',
                                                        to_jsonb(NEW) ->> 'regime_id']) AS i
               WHERE i IS NOT NULL) THEN
            RETURN coalesce(NEW, OLD);
        END IF;
    END IF;
    PERFORM set_config('ticket.reprice_pending', 'on', true);
    RETURN coalesce(NEW, OLD);
END;
$$;

COMMENT ON FUNCTION cup.rules_dirty() IS 'trigger: notes that the rules changed since the bookings were last re-priced in this transaction (not for the rows of a draft regime, which price no booking); VOLATILE because it changes a setting';

REVOKE ALL ON FUNCTION cup.rules_dirty() FROM PUBLIC;

CREATE FUNCTION ticket.price_under(regime text, codes text[], band ticket.income_band, exemptions ticket.exemption[], on_date date) RETURNS ticket.bill
    LANGUAGE c STABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'ticket_price_under';

COMMENT ON FUNCTION ticket.price_under(regime text, codes text[], band ticket.income_band, exemptions ticket.exemption[], on_date date) IS 'the bill of catalogue services as ticket.price gives it, under the named regime (enacted or draft) instead of the date''s, with the catalogue of on_date; NULL for a NULL regime, codes or date; P0002 for an unknown regime, 22000 for a draft whose rules contradict each other; the what-if of ticket.simulate';

REVOKE ALL ON FUNCTION ticket.price_under(regime text, codes text[], band ticket.income_band, exemptions ticket.exemption[], on_date date) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.price_under(regime text, codes text[], band ticket.income_band, exemptions ticket.exemption[], on_date date) TO ticket_rules_admin;

CREATE FUNCTION ticket.draft_regime(from_regime text, new_regime text, effective_from date) RETURNS text
    LANGUAGE plpgsql STRICT SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
BEGIN
    PERFORM ticket.refuse_long_text('ticket.draft_regime', 'from_regime', from_regime, 100);
    PERFORM ticket.refuse_long_text('ticket.draft_regime', 'new_regime', new_regime, 100);
    -- Everything of from_regime but its name, its date and its status: the
    -- rows a rules administrator edits before ticket.simulate.
    INSERT INTO ticket.regime (regime_id, effective_from, legal_reference, description, default_band,
                               specialist_cap, quota_threshold, quota, ct_mri, first_visit, control_visit,
                               ambulatory_surgery, surgery_fixed_codes, drug_per_pack, drug_cap, er_access,
                               er_chargeable_codes, max_items, adjustment_grace_days, status)
    SELECT new_regime, draft_regime.effective_from, r.legal_reference,
           pg_catalog.concat('draft copied from ', r.regime_id),
           r.default_band, r.specialist_cap, r.quota_threshold, r.quota, r.ct_mri, r.first_visit,
           r.control_visit, r.ambulatory_surgery, r.surgery_fixed_codes, r.drug_per_pack, r.drug_cap,
           r.er_access, r.er_chargeable_codes, r.max_items, r.adjustment_grace_days, 'draft'
      FROM ticket.regime r
     WHERE r.regime_id OPERATOR(pg_catalog.=) from_regime;
    IF NOT FOUND THEN
        PERFORM ticket.raise_error('P0002', 'regime % does not exist', ARRAY[from_regime]);
    END IF;
    INSERT INTO ticket.regime_band (regime_id, band, income_range, quota, ct_mri, drug_per_pack, drug_cap)
    SELECT new_regime, b.band, b.income_range, b.quota, b.ct_mri, b.drug_per_pack, b.drug_cap
      FROM ticket.regime_band b
     WHERE b.regime_id OPERATOR(pg_catalog.=) from_regime;
    INSERT INTO ticket.exemption_rule (regime_id, exemption, family, coverage, spares_band_quota,
                                       spares_drugs, spares_er, note)
    SELECT new_regime, e.exemption, e.family, e.coverage, e.spares_band_quota, e.spares_drugs,
           e.spares_er, e.note
      FROM ticket.exemption_rule e
     WHERE e.regime_id OPERATOR(pg_catalog.=) from_regime;
    RETURN new_regime;
END;
$$;

COMMENT ON FUNCTION ticket.draft_regime(from_regime text, new_regime text, effective_from date) IS 'copies a regime, its bands and its exemption rules into a draft regime new_regime from effective_from, not in force (status draft: no booking, price or date look-up sees it) until ticket.enact_regime; returns new_regime; runs as the owner, audited as the caller; VOLATILE because it writes';

REVOKE ALL ON FUNCTION ticket.draft_regime(from_regime text, new_regime text, effective_from date) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.draft_regime(from_regime text, new_regime text, effective_from date) TO ticket_rules_admin;

CREATE FUNCTION ticket.simulate(regime text, services_from date, services_to date) RETURNS TABLE(band ticket.income_band, bookings bigint, current_total numeric, draft_total numeric, difference numeric)
    LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
BEGIN
    PERFORM ticket.refuse_long_text('ticket.simulate', 'regime', regime, 100);
    IF NOT EXISTS (SELECT 1 FROM ticket.regime r WHERE r.regime_id OPERATOR(pg_catalog.=) simulate.regime) THEN
        PERFORM ticket.raise_error('P0002', 'regime % does not exist', ARRAY[regime]);
    END IF;
    -- One statement over the bookings of the period: each priced under the
    -- regime by name (ticket.price_under: the C engine, the catalogue of the
    -- service date), with the citizen's band and exemptions of that date;
    -- a declared band the regime does not define is its default band, as
    -- ticket.effective_band has it for the regime in force.
    RETURN QUERY
    SELECT d.band, pg_catalog.count(*), pg_catalog.sum((b.bill).total), pg_catalog.sum(d.total),
           pg_catalog.sum(d.total) OPERATOR(pg_catalog.-) pg_catalog.sum((b.bill).total)
      FROM cup.booking b
      JOIN fse.prescription p ON p.nre OPERATOR(pg_catalog.=) b.nre
     CROSS JOIN LATERAL ticket.citizen_status(b.fiscal_code, b.service_date) s
      LEFT JOIN ticket.regime_band rb
             ON rb.regime_id OPERATOR(pg_catalog.=) simulate.regime
            AND rb.band OPERATOR(ticket.=) s.declared_band
     CROSS JOIN LATERAL ticket.price_under(simulate.regime, p.services, rb.band, s.exemptions, b.service_date) d
     WHERE b.status OPERATOR(pg_catalog.<>) 'cancelled'
       AND b.service_date OPERATOR(pg_catalog.>=) services_from
       AND b.service_date OPERATOR(pg_catalog.<=) services_to
     GROUP BY d.band
     ORDER BY d.band;
END;
$$;

COMMENT ON FUNCTION ticket.simulate(regime text, services_from date, services_to date) IS 'the what-if of a regime (a draft, usually): the live bookings with a service date from services_from to services_to, per band the regime would charge (NULL: none), their number, their bills now (current_total), their bills under the regime (draft_total, ticket.price_under on the service date) and the difference; writes nothing; runs as the owner (it reads every booking) and returns only totals';

REVOKE ALL ON FUNCTION ticket.simulate(regime text, services_from date, services_to date) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.simulate(regime text, services_from date, services_to date) TO ticket_rules_admin;

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
    -- cup.booking_events.  The audit trigger of cup.booking does not watch
    -- the bill: each re-priced booking is a row of the audit log here.
    was_internal := ticket.internal_write(true);
    WITH done AS (
        UPDATE cup.booking b SET bill = e.expected_bill, priced_at = pg_catalog.now()
          FROM cup.booking_expected e
          JOIN cup.booking o ON o.booking_id OPERATOR(pg_catalog.=) e.booking_id
         WHERE e.status OPERATOR(pg_catalog.=) 'booked' AND b.booking_id OPERATOR(pg_catalog.=) e.booking_id
           AND e.service_date OPERATOR(pg_catalog.>=) starts
           AND (ends IS NULL OR e.service_date OPERATOR(pg_catalog.<) ends)
           AND b.bill IS DISTINCT FROM e.expected_bill
        RETURNING b.booking_id, pg_catalog.to_jsonb(o.*) AS old_row, pg_catalog.to_jsonb(b.*) AS new_row)
    INSERT INTO ticket.audit_log (table_name, operation, row_key, old_row, new_row)
    SELECT 'cup.booking', 'UPDATE', x.booking_id::text, x.old_row, x.new_row FROM done x;
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

COMMENT ON FUNCTION ticket.enact_regime(regime text) IS 'puts a draft regime in force from its effective_from (P0002 unknown, 55000 already enacted, 22000 rules that contradict each other): the unpaid bookings from that date to the next regime''s are re-priced at once by the engine (each an audit-log row and, if its amount changed, a repriced event), paid ones never; returns the number of bookings re-priced; runs as the owner (it writes bookings); VOLATILE because it writes';

REVOKE ALL ON FUNCTION ticket.enact_regime(regime text) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.enact_regime(regime text) TO ticket_rules_admin;

CREATE FUNCTION ticket.discard_regime(regime text) RETURNS void
    LANGUAGE plpgsql STRICT SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    drafted text;
BEGIN
    PERFORM ticket.refuse_long_text('ticket.discard_regime', 'regime', regime, 100);
    SELECT r.status INTO drafted
      FROM ticket.regime r WHERE r.regime_id OPERATOR(pg_catalog.=) discard_regime.regime FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM ticket.raise_error('P0002', 'regime % does not exist', ARRAY[regime]);
    ELSIF drafted OPERATOR(pg_catalog.<>) 'draft' THEN
        PERFORM ticket.raise_error('55000', 'regime % is enacted: it cannot be discarded', ARRAY[regime],
                                   hint => 'Only a draft (ticket.draft_regime) is discarded; correct an enacted regime with a later one.');
    END IF;
    -- Its rows first, while the regime still says draft (cup.rules_dirty).
    DELETE FROM ticket.exemption_rule e WHERE e.regime_id OPERATOR(pg_catalog.=) discard_regime.regime;
    DELETE FROM ticket.regime_band b WHERE b.regime_id OPERATOR(pg_catalog.=) discard_regime.regime;
    DELETE FROM ticket.regime r WHERE r.regime_id OPERATOR(pg_catalog.=) discard_regime.regime;
END;
$$;

COMMENT ON FUNCTION ticket.discard_regime(regime text) IS 'deletes a draft regime with its bands and exemption rules (P0002 unknown, 55000 enacted: an enacted regime is corrected by a later one); runs as the owner, audited as the caller; VOLATILE because it writes';

REVOKE ALL ON FUNCTION ticket.discard_regime(regime text) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.discard_regime(regime text) TO ticket_rules_admin;

--------------------------------------------------------------------------
-- Issue 18, "wrong today": rules that charged real citizens wrong amounts,
-- corrected as data with their source (../shared/docs/ticket-rules.md §9,
-- source ids S..) in the rule's note or the column's comment.
--------------------------------------------------------------------------

-- Shipped rows change as the fresh install has them: the audit triggers of
-- the rule tables stay off for these statements (a fresh 1.3 has no audit
-- rows for its shipped data either) and are on again at the end.  The
-- deferred re-pricing of bookings the rule changes queue (and any an
-- earlier script of the chain queued) runs at once, so that the tables
-- can be altered.
SET CONSTRAINTS ALL IMMEDIATE;
ALTER TABLE ticket.regime DISABLE TRIGGER audit_insert, DISABLE TRIGGER audit_update;
ALTER TABLE ticket.regime_band DISABLE TRIGGER audit_insert, DISABLE TRIGGER audit_update;
ALTER TABLE ticket.exemption_rule DISABLE TRIGGER audit_insert, DISABLE TRIGGER audit_update;

-- The 2011 retroactive adjustment was a transition, not a permanent window
-- (§1.4, §9; S3 S4 S5): a self-certification delivered by 30 September 2011
-- (the deadline of 18 September extended "to 1 October") still adjusted the
-- paid services from 29 August; afterwards the band had to be known at
-- booking.  Later regimes have no window: paid bookings are final.
ALTER TABLE ticket.regime ADD COLUMN adjustment_until date;
COMMENT ON COLUMN ticket.regime.adjustment_grace_days IS 'days after a service within which a later band or exemption still adjusts a paid booking (2011 transition: 60); NULL = paid bookings are final';
COMMENT ON COLUMN ticket.regime.adjustment_until IS 'last day a later band or exemption still adjusts a paid booking of this regime (2011 transition: 2011-09-30, S3 S4 S5); NULL = only adjustment_grace_days limits it';
UPDATE ticket.regime SET adjustment_until = '2011-09-30' WHERE regime_id = 'ER-2011-08-29';
UPDATE ticket.regime SET adjustment_grace_days = NULL
 WHERE regime_id IN ('ER-2012-02-01', 'ER-2019-01-01', 'ER-2020-09-01', 'ER-2025-05-02');

CREATE OR REPLACE FUNCTION cup.propagate_bookings(citizens ticket.fiscal_code[], from_dates date[], known_dates date[], cause text) RETURNS void
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

-- 1 January 2019: the former RE1-RE3 declarations became QB automatically;
-- QM only for the top income and no declaration (§3.3, §9; S15 S48).
ALTER TABLE ticket.regime_band ADD COLUMN replaces ticket.income_band[] DEFAULT '{}'::ticket.income_band[] NOT NULL;
COMMENT ON COLUMN ticket.regime_band.replaces IS 'bands of earlier regimes a declaration of which is charged as this band (2019: QB replaces RE1, RE2, RE3); a declared band neither defined nor replaced gets the default band';
UPDATE ticket.regime_band SET replaces = '{RE1,RE2,RE3}' WHERE regime_id = 'ER-2019-01-01' AND band = 'QB';
COMMENT ON FUNCTION ticket.effective_band(declared ticket.income_band, on_date date) IS 'the band the regime in force on on_date charges for a declared one: the band itself if the regime defines it, the band that replaces it (RE2 in 2019: QB, DGR 2075/2018), else NULL (the regime''s default applies)';

CREATE OR REPLACE FUNCTION registry.declaration_before_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    current_declaration registry.declaration;
    was_internal boolean;
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{registry.declaration}',
                                   '{"BEFORE ROW INSERT"}');
    IF NEW.valid_until IS NOT NULL THEN
        PERFORM ticket.raise_error('428C9', 'valid_until of a declaration is set by the next declaration',
            hint => 'Insert the declaration without valid_until.');
    END IF;
    -- Every channel, the Revenue Agency's too, and superusers' batches.
    IF NEW.signed_at > now() THEN
        PERFORM ticket.raise_error('22023', 'a self-certification cannot be signed in the future (%)',
                                   ARRAY[NEW.signed_at::text]);
    END IF;
    PERFORM registry.lock_citizen(NEW.fiscal_code, NEW.applies_from, 'declaration');
    IF NOT registry.may_declare_for(NEW.declarant, NEW.fiscal_code, ticket.local_day(NEW.signed_at)) THEN
        PERFORM ticket.raise_error('TK011', '% may not self-certify the income band of %',
                                   ARRAY[NEW.declarant::text, NEW.fiscal_code::text],
            detail => 'Only the citizen, or for a minor a parent in the same fiscal household or an appointed guardian, may.');
    END IF;
    -- A band the regime replaces (RE2 in 2019: QB) is charged, not declared anew.
    IF ticket.effective_band(NEW.band, NEW.applies_from) IS DISTINCT FROM NEW.band THEN
        PERFORM ticket.raise_error('TK004', 'regime % in force on % does not define income band %',
                                   ARRAY[ticket.regime_for(NEW.applies_from), NEW.applies_from::text, NEW.band::text],
            detail => CASE WHEN regime_bands.bands IS NULL THEN 'It defines no income bands.'
                           ELSE 'Its bands are %.' END,
            detail_args => ARRAY[regime_bands.bands])
          FROM (SELECT string_agg(rb.band::text, ', ' ORDER BY rb.band) AS bands
                  FROM ticket.regime_band rb
                 WHERE rb.regime_id = ticket.regime_for(NEW.applies_from)) AS regime_bands;
    END IF;
    SELECT * INTO current_declaration FROM registry.declaration d
     WHERE d.fiscal_code = NEW.fiscal_code AND d.valid_until IS NULL;
    IF FOUND THEN
        IF NEW.applies_from < current_declaration.applies_from THEN
            PERFORM ticket.raise_error('TK012', 'a declaration for % from % would apply before the current one (from %)',
                                       ARRAY[NEW.fiscal_code::text, NEW.applies_from::text,
                                             current_declaration.applies_from::text],
                hint => 'History is not rewritten: declare from the current one''s date or later.');
        END IF;
        was_internal := ticket.internal_write(true);
        UPDATE registry.declaration SET valid_until = NEW.applies_from
         WHERE declaration_id = current_declaration.declaration_id;
        was_internal := ticket.internal_write(was_internal);
    END IF;
    RETURN NEW;
END;
$$;

-- From 2 May 2025 every invalidity exemption spares the drug ticket for all
-- fascia A drugs, the codes partial for specialist services included (G02,
-- L03, S03, S04, N01, V01); chronic and rare diseases, chronic pain (TDL01)
-- and work injury (L04) spare only the related drugs (§3.6, §9; S14 S27
-- S28).  C07 (services for the invalidity assessment) is no invalidity: it
-- keeps its related services (a choice).
ALTER TABLE ticket.exemption_rule ADD COLUMN covers_all_drugs boolean DEFAULT false NOT NULL,
    ADD CONSTRAINT exemption_rule_covers_all_drugs_check CHECK (((NOT covers_all_drugs) OR spares_drugs));
COMMENT ON COLUMN ticket.exemption_rule.covers_all_drugs IS 'every drug item pays no drug ticket, whatever coverage says for services (2025: invalidity codes partial for services, S14 S27); needs spares_drugs';
UPDATE ticket.exemption_rule SET covers_all_drugs = true,
       note = 'every invalidity code (civil, war, work, service; G02 L03 S03 S04 N01 V01 too, partial for services): related services, every fascia A drug (§3.6, §9; S14 S27 S28)'
 WHERE regime_id = 'ER-2025-05-02' AND family = 'invalidity';
UPDATE ticket.exemption_rule SET note = 'chronic diseases: related services and related drugs only (§3.6, §4.4, §9; S27)'
 WHERE regime_id = 'ER-2025-05-02' AND family = 'chronic';
UPDATE ticket.exemption_rule SET note = 'rare diseases: related services and related drugs only (§3.6, §4.4, §9; S27)'
 WHERE regime_id = 'ER-2025-05-02' AND family = 'rare';
INSERT INTO ticket.exemption_rule (regime_id, exemption, family, coverage, spares_band_quota, spares_drugs, spares_er, note, shipped, covers_all_drugs) VALUES
    ('ER-2025-05-02', 'C07', NULL, 'listed', false, true, false, 'services for the invalidity assessment: not an invalidity, related services only as before (choice, §4.3)', true, false),
    ('ER-2025-05-02', 'L04', NULL, 'listed', false, true, false, 'work injury or occupational disease: related services and related drugs only (§3.6, §9; S27 S28)', true, false),
    ('ER-2025-05-02', 'TDL01', NULL, 'listed', false, true, false, 'chronic pain therapy: related services and related drugs only (§3.6, §9; S27 S28)', true, false);

-- FA2: its legal reference is DGR 2076/2018 (§9; S29 S48).
UPDATE ticket.exemption_rule SET note = 'families with two or more dependent children (DGR 2076/2018): first visit (§3.3, §9; S29 S48)'
 WHERE exemption = 'FA2' AND regime_id IN ('ER-2019-01-01', 'ER-2020-09-01');
UPDATE ticket.exemption_rule SET note = 'families with two or more dependent children (DGR 2076/2018): first visit; from 2 May 2025 children up to 14 only (§3.3, §3.6, §9; S29 S30 S48)'
 WHERE exemption = 'FA2' AND regime_id = 'ER-2025-05-02';

ALTER TABLE ticket.regime ENABLE TRIGGER audit_insert, ENABLE TRIGGER audit_update;
ALTER TABLE ticket.regime_band ENABLE TRIGGER audit_insert, ENABLE TRIGGER audit_update;
ALTER TABLE ticket.exemption_rule ENABLE TRIGGER audit_insert, ENABLE TRIGGER audit_update;

--------------------------------------------------------------------------
-- Issue 18, "missing today": brand versus generic.  The difference between
-- a drug's price and the reference price of its class (L. 405/2001 art. 7)
-- is paid on top of the drug ticket, outside its cap, by exempt and
-- non-exempt alike, except war invalids (G01, G02) and victims of terrorism
-- (V01, V02) (../shared/docs/ticket-rules.md §2.6, §4.3, §9 item 2; S13
-- S46 S19).  ticket.item is not extended (a ROW(...)::ticket.item of five
-- values would stop working): drugs with prices go through
-- ticket.price_drugs and its type ticket.drug.
--------------------------------------------------------------------------

CREATE TYPE ticket.drug AS (
	code text,
	packs integer,
	price numeric(8,2),
	reference_price numeric(8,2),
	not_substitutable boolean
);

COMMENT ON TYPE ticket.drug IS 'one fascia A drug line of a prescription, for ticket.price_drugs: its code, packs (NULL = 1), the price of the pack dispensed, the reference price of its class (NULL = none: no brand difference) and the prescriber''s not-substitutable mark (does not spare the difference, L. 405/2001 art. 7 c. 4)';

SET CONSTRAINTS ALL IMMEDIATE;
ALTER TABLE ticket.exemption_rule DISABLE TRIGGER audit_insert, DISABLE TRIGGER audit_update;

ALTER TABLE ticket.exemption_rule ADD COLUMN spares_brand_difference boolean DEFAULT false NOT NULL;
COMMENT ON COLUMN ticket.exemption_rule.spares_brand_difference IS 'no brand difference (price over reference price) on any drug of a prescription carrying the exemption, whatever coverage and spares_drugs say: war invalids and terrorism victims (2.6, 9: S13 S46 S19)';

-- Per shipped regime, as its data file has it: G01 and V02 spare it; G02
-- and V01 get rows of their own, the invalidity family's copied (an
-- administrator's own row for them is kept).
UPDATE ticket.exemption_rule SET spares_brand_difference = true,
       note = note || '; no brand difference (§2.6, §9; S13 S46 S19)'
 WHERE regime_id = 'ER-BASELINE' AND exemption IN ('G01', 'V02');
INSERT INTO ticket.exemption_rule (regime_id, exemption, family, coverage, spares_band_quota, spares_drugs, spares_er, note, shipped, covers_all_drugs, spares_brand_difference) VALUES
    ('ER-BASELINE', 'G02', NULL, 'listed', false, true, false, 'war invalids cat. 6-8: as the invalidity family, related services (§4.3); no brand difference (§2.6, §9; S13 S46 S19)', true, false, true),
    ('ER-BASELINE', 'V01', NULL, 'listed', false, true, false, 'victims of terrorism: as the invalidity family, related services (§4.3); no brand difference (§2.6, §9; S13 S46 S19)', true, false, true)
    ON CONFLICT (regime_id, exemption) DO NOTHING;
UPDATE ticket.exemption_rule SET spares_brand_difference = true,
       note = note || '; no brand difference (§2.6, §9; S13 S46 S19)'
 WHERE regime_id = 'ER-2011-08-29' AND exemption IN ('G01', 'V02');
INSERT INTO ticket.exemption_rule (regime_id, exemption, family, coverage, spares_band_quota, spares_drugs, spares_er, note, shipped, covers_all_drugs, spares_brand_difference) VALUES
    ('ER-2011-08-29', 'G02', NULL, 'listed', false, true, false, 'war invalids cat. 6-8: as the invalidity family, related services (§4.3); no brand difference (§2.6, §9; S13 S46 S19)', true, false, true),
    ('ER-2011-08-29', 'V01', NULL, 'listed', false, true, false, 'victims of terrorism: as the invalidity family, related services (§4.3); no brand difference (§2.6, §9; S13 S46 S19)', true, false, true)
    ON CONFLICT (regime_id, exemption) DO NOTHING;
UPDATE ticket.exemption_rule SET spares_brand_difference = true,
       note = note || '; no brand difference (§2.6, §9; S13 S46 S19)'
 WHERE regime_id = 'ER-2012-02-01' AND exemption IN ('G01', 'V02');
INSERT INTO ticket.exemption_rule (regime_id, exemption, family, coverage, spares_band_quota, spares_drugs, spares_er, note, shipped, covers_all_drugs, spares_brand_difference) VALUES
    ('ER-2012-02-01', 'G02', NULL, 'listed', false, true, false, 'war invalids cat. 6-8: as the invalidity family, related services (§4.3); no brand difference (§2.6, §9; S13 S46 S19)', true, false, true),
    ('ER-2012-02-01', 'V01', NULL, 'listed', false, true, false, 'victims of terrorism: as the invalidity family, related services (§4.3); no brand difference (§2.6, §9; S13 S46 S19)', true, false, true)
    ON CONFLICT (regime_id, exemption) DO NOTHING;
UPDATE ticket.exemption_rule SET spares_brand_difference = true,
       note = note || '; no brand difference (§2.6, §9; S13 S46 S19)'
 WHERE regime_id = 'ER-2019-01-01' AND exemption IN ('G01', 'V02');
INSERT INTO ticket.exemption_rule (regime_id, exemption, family, coverage, spares_band_quota, spares_drugs, spares_er, note, shipped, covers_all_drugs, spares_brand_difference) VALUES
    ('ER-2019-01-01', 'G02', NULL, 'listed', false, true, false, 'war invalids cat. 6-8: as the invalidity family, related services (§4.3); no brand difference (§2.6, §9; S13 S46 S19)', true, false, true),
    ('ER-2019-01-01', 'V01', NULL, 'listed', false, true, false, 'victims of terrorism: as the invalidity family, related services (§4.3); no brand difference (§2.6, §9; S13 S46 S19)', true, false, true)
    ON CONFLICT (regime_id, exemption) DO NOTHING;
UPDATE ticket.exemption_rule SET spares_brand_difference = true,
       note = note || '; no brand difference (§2.6, §9; S13 S46 S19)'
 WHERE regime_id = 'ER-2020-09-01' AND exemption IN ('G01', 'V02');
INSERT INTO ticket.exemption_rule (regime_id, exemption, family, coverage, spares_band_quota, spares_drugs, spares_er, note, shipped, covers_all_drugs, spares_brand_difference) VALUES
    ('ER-2020-09-01', 'G02', NULL, 'listed', false, true, false, 'war invalids cat. 6-8: as the invalidity family, related services (§4.3); no brand difference (§2.6, §9; S13 S46 S19)', true, false, true),
    ('ER-2020-09-01', 'V01', NULL, 'listed', false, true, false, 'victims of terrorism: as the invalidity family, related services (§4.3); no brand difference (§2.6, §9; S13 S46 S19)', true, false, true)
    ON CONFLICT (regime_id, exemption) DO NOTHING;
UPDATE ticket.exemption_rule SET spares_brand_difference = true,
       note = note || '; no brand difference (§2.6, §9; S13 S46 S19)'
 WHERE regime_id = 'ER-2025-05-02' AND exemption IN ('G01', 'V02');
INSERT INTO ticket.exemption_rule (regime_id, exemption, family, coverage, spares_band_quota, spares_drugs, spares_er, note, shipped, covers_all_drugs, spares_brand_difference) VALUES
    ('ER-2025-05-02', 'G02', NULL, 'listed', false, true, false, 'war invalids cat. 6-8: as the invalidity family, every invalidity code: related services, every fascia A drug (§3.6, §9; S14 S27 S28); no brand difference (§2.6, §9; S13 S46 S19)', true, true, true),
    ('ER-2025-05-02', 'V01', NULL, 'listed', false, true, false, 'victims of terrorism: as the invalidity family, every invalidity code: related services, every fascia A drug (§3.6, §9; S14 S27 S28); no brand difference (§2.6, §9; S13 S46 S19)', true, true, true)
    ON CONFLICT (regime_id, exemption) DO NOTHING;

ALTER TABLE ticket.exemption_rule ENABLE TRIGGER audit_insert, ENABLE TRIGGER audit_update;

CREATE FUNCTION ticket.price_drugs(drugs ticket.drug[], band ticket.income_band, exemptions ticket.exemption[], on_date date) RETURNS ticket.bill
    LANGUAGE c STABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'ticket_price_drugs';

COMMENT ON FUNCTION ticket.price_drugs(drugs ticket.drug[], band ticket.income_band, exemptions ticket.exemption[], on_date date) IS 'the co-payment of one prescription of fascia A drugs under the regime in force on on_date, as ticket.price of drug items, plus the brand difference: price over reference price, per pack, outside the drug cap, paid by exempt citizens too unless an exemption rule spares it (war invalids, terrorism victims; ticket-rules.md 2.6, 9: S13 S46 S19; L. 405/2001 art. 7)';

REVOKE ALL ON FUNCTION ticket.price_drugs(drugs ticket.drug[], band ticket.income_band, exemptions ticket.exemption[], on_date date) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.price_drugs(drugs ticket.drug[], band ticket.income_band, exemptions ticket.exemption[], on_date date) TO ticket_library;

--------------------------------------------------------------------------
-- Born closed: every function of the extension, whatever script made it,
-- is taken from PUBLIC.  Keep this block at the end of every script.
--------------------------------------------------------------------------

DO $close$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT d.objid::regprocedure FROM pg_catalog.pg_depend d
              WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.deptype = 'e'
                AND d.refclassid = 'pg_catalog.pg_extension'::regclass
                AND d.refobjid = (SELECT e.oid FROM pg_catalog.pg_extension e WHERE e.extname = 'ticket')
    LOOP
        EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
END;
$close$;
