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
                               er_chargeable_codes, max_items, adjustment_grace_days, adjustment_until, er_consultation,
                               er_exam_cap, not_substitutable_spares_brand_difference, status)
    SELECT new_regime, draft_regime.effective_from, r.legal_reference,
           pg_catalog.concat('draft copied from ', r.regime_id),
           r.default_band, r.specialist_cap, r.quota_threshold, r.quota, r.ct_mri, r.first_visit,
           r.control_visit, r.ambulatory_surgery, r.surgery_fixed_codes, r.drug_per_pack, r.drug_cap,
           r.er_access, r.er_chargeable_codes, r.max_items, r.adjustment_grace_days, r.adjustment_until,
           r.er_consultation, r.er_exam_cap, r.not_substitutable_spares_brand_difference, 'draft'
      FROM ticket.regime r
     WHERE r.regime_id OPERATOR(pg_catalog.=) from_regime;
    IF NOT FOUND THEN
        PERFORM ticket.raise_error('P0002', 'regime % does not exist', ARRAY[from_regime]);
    END IF;
    INSERT INTO ticket.regime_band (regime_id, band, income_range, quota, ct_mri, drug_per_pack, drug_cap,
                                    replaces)
    SELECT new_regime, b.band, b.income_range, b.quota, b.ct_mri, b.drug_per_pack, b.drug_cap, b.replaces
      FROM ticket.regime_band b
     WHERE b.regime_id OPERATOR(pg_catalog.=) from_regime;
    INSERT INTO ticket.exemption_rule (regime_id, exemption, family, coverage, spares_band_quota,
                                       spares_drugs, spares_er, note, covers_all_drugs, max_age,
                                       spares_brand_difference)
    SELECT new_regime, e.exemption, e.family, e.coverage, e.spares_band_quota, e.spares_drugs,
           e.spares_er, e.note, e.covers_all_drugs, e.max_age, e.spares_brand_difference
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
    -- a declared band the regime neither defines nor replaces is its default
    -- band, as ticket.effective_band has it for the regime in force.
    RETURN QUERY
    SELECT d.band, pg_catalog.count(*), pg_catalog.sum((b.bill).total), pg_catalog.sum(d.total),
           pg_catalog.sum(d.total) OPERATOR(pg_catalog.-) pg_catalog.sum((b.bill).total)
      FROM cup.booking b
      JOIN fse.prescription p ON p.nre OPERATOR(pg_catalog.=) b.nre
     CROSS JOIN LATERAL ticket.citizen_status(b.fiscal_code, b.service_date) s
      -- the band charged: the declared one if the regime defines it, else
      -- the band of the regime that replaces it (2019: QB replaces RE1-RE3,
      -- as ticket.effective_band has it for the regimes in force)
      LEFT JOIN LATERAL (
            SELECT rb.band FROM ticket.regime_band rb
             WHERE rb.regime_id OPERATOR(pg_catalog.=) simulate.regime
               AND (rb.band OPERATOR(ticket.=) s.declared_band
                    OR s.declared_band OPERATOR(ticket.=) ANY (rb.replaces))
             ORDER BY (rb.band OPERATOR(ticket.=) s.declared_band) DESC
             LIMIT 1) rb ON true
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

-- Issue 18: the status of a regime changes through ticket.enact_regime
-- only: ticket_rules_admin updates every column of ticket.regime but
-- status.
REVOKE UPDATE ON TABLE ticket.regime FROM ticket_rules_admin;
GRANT UPDATE(regime_id, effective_from, legal_reference, description, default_band, specialist_cap, quota_threshold,
             quota, ct_mri, first_visit, control_visit, ambulatory_surgery, surgery_fixed_codes, drug_per_pack,
             drug_cap, er_access, er_chargeable_codes, max_items, shipped, adjustment_grace_days)
    ON TABLE ticket.regime TO ticket_rules_admin;

-- Issue 18: alternative drafts for one date.  One enacted regime per
-- date (the rule cache's date look-up reads enacted regimes only, by
-- date); drafts, priced by name, may share it.
ALTER TABLE ticket.regime DROP CONSTRAINT regime_effective_from_key;
CREATE UNIQUE INDEX regime_effective_from_key ON ticket.regime USING btree (effective_from) WHERE (status = 'enacted'::text);

COMMENT ON INDEX ticket.regime_effective_from_key IS 'one enacted regime per date (the date look-up); drafts may share a date, with each other and with an enacted regime, as alternatives';

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
-- ticket_rules_admin updates every column of ticket.regime but status.
GRANT UPDATE(adjustment_until) ON TABLE ticket.regime TO ticket_rules_admin;
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
-- (registry.declaration_before_insert's TK004 check follows effective_band:
-- its 1.3 definition is below, with the batch of 1 April's.)
ALTER TABLE ticket.regime_band ADD COLUMN replaces ticket.income_band[] DEFAULT '{}'::ticket.income_band[] NOT NULL;
COMMENT ON COLUMN ticket.regime_band.replaces IS 'bands of earlier regimes a declaration of which is charged as this band (2019: QB replaces RE1, RE2, RE3); a declared band neither defined nor replaced gets the default band';
UPDATE ticket.regime_band SET replaces = '{RE1,RE2,RE3}' WHERE regime_id = 'ER-2019-01-01' AND band = 'QB';
COMMENT ON FUNCTION ticket.effective_band(declared ticket.income_band, on_date date) IS 'the band the regime in force on on_date charges for a declared one: the band itself if the regime defines it, the band that replaces it (RE2 in 2019: QB, DGR 2075/2018), else NULL (the regime''s default applies)';

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
-- Issue 18, missed appointments (mancata disdetta, LR 2/2016 art. 23): the
-- working-day calendar (ticket.public_holiday, ticket.working_days), the
-- dated rule (ticket.missed_appointment_rule), the status 'missed' of
-- cup.booking and its event, cup.mark_missed, and cup.pay of the charge.
--------------------------------------------------------------------------

CREATE TABLE ticket.public_holiday (
    day date NOT NULL,
    name text NOT NULL,
    source text NOT NULL,
    shipped boolean DEFAULT false NOT NULL,
    CONSTRAINT public_holiday_day_check CHECK (isfinite(day)),
    CONSTRAINT public_holiday_name_check CHECK ((name <> ''::text)),
    CONSTRAINT public_holiday_source_check CHECK ((source <> ''::text))
);

ALTER TABLE ONLY ticket.public_holiday REPLICA IDENTITY FULL;

COMMENT ON TABLE ticket.public_holiday IS 'the working-day calendar: Italian national public holidays, one row a day (ticket.working_days); Sundays are never working days, Saturdays and local patron saints'' days are (AUSL Reggio Emilia''s reading of LR 2/2016 art. 23)';

COMMENT ON COLUMN ticket.public_holiday.day IS 'the holiday';

COMMENT ON COLUMN ticket.public_holiday.name IS 'which holiday (two on one day are one row naming both)';

COMMENT ON COLUMN ticket.public_holiday.source IS 'the law that makes the day a national holiday';

COMMENT ON COLUMN ticket.public_holiday.shipped IS 'true for rows the extension ships (not dumped, not editable)';

ALTER TABLE ONLY ticket.public_holiday
    ADD CONSTRAINT public_holiday_pkey PRIMARY KEY (day);

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE ticket.public_holiday TO ticket_rules_admin;
GRANT SELECT ON TABLE ticket.public_holiday TO ticket_library;

SELECT pg_catalog.pg_extension_config_dump('ticket.public_holiday', 'WHERE NOT shipped');

CREATE TABLE ticket.missed_appointment_rule (
    effective_from date NOT NULL,
    notice_days integer,
    legal_reference text NOT NULL,
    note text NOT NULL,
    shipped boolean DEFAULT false NOT NULL,
    CONSTRAINT missed_appointment_rule_effective_from_check CHECK (isfinite(effective_from)),
    CONSTRAINT missed_appointment_rule_notice_days_check CHECK (((notice_days >= 1) AND (notice_days <= 30)))
);

ALTER TABLE ONLY ticket.missed_appointment_rule REPLICA IDENTITY FULL;

COMMENT ON TABLE ticket.missed_appointment_rule IS 'the missed-appointment (mancata disdetta) rule in force from effective_from until the next row: a booking neither attended nor cancelled notice_days working days before its service is charged the lowest band''s ordinary ticket of its services, exemptions ignored (cup.mark_missed)';

COMMENT ON COLUMN ticket.missed_appointment_rule.effective_from IS 'first service date the rule covers';

COMMENT ON COLUMN ticket.missed_appointment_rule.notice_days IS 'a cancellation is in time when at least this many working days (ticket.working_days) lie from its day up to the day before the service; NULL: no charge for missed appointments from effective_from (a suspension)';

COMMENT ON COLUMN ticket.missed_appointment_rule.legal_reference IS 'the act that makes the rule';

COMMENT ON COLUMN ticket.missed_appointment_rule.note IS 'the sources and the choices made where they are uncertain';

COMMENT ON COLUMN ticket.missed_appointment_rule.shipped IS 'true for rows the extension ships (not dumped, not editable)';

ALTER TABLE ONLY ticket.missed_appointment_rule
    ADD CONSTRAINT missed_appointment_rule_pkey PRIMARY KEY (effective_from);

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE ticket.missed_appointment_rule TO ticket_rules_admin;
GRANT SELECT ON TABLE ticket.missed_appointment_rule TO ticket_library;

SELECT pg_catalog.pg_extension_config_dump('ticket.missed_appointment_rule', 'WHERE NOT shipped');

-- The working-day calendar (ticket.working_days): Italian national public
-- holidays 2011-2030, the years the shipped rules cover.  Sundays are never
-- working days (the function's rule, no rows); Saturdays and the patron
-- saint's day of each town are working days (AUSL Reggio Emilia on LR 2/2016
-- art. 23: 'Il sabato e le festivita dei Santi patroni sono considerati
-- giorni lavorativi'), so no local holiday is listed.  Easter Monday is
-- computed (Gregorian computus) and listed per year; 4 October from 2026
-- (Law 151/2025); 17 March 2011 once.  A year after 2030 is added as rows:
-- ticket.working_days refuses dates outside the years listed here.
INSERT INTO ticket.public_holiday (day, name, source, shipped) VALUES
    ('2011-01-01', 'New Year''s Day (Capodanno)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2011-01-06', 'Epiphany (Epifania)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2011-03-17', '150th anniversary of the unification of Italy (2011 only)', 'DL 5/2011 converted by Law 47/2011', true),
    ('2011-04-25', 'Liberation Day (Festa della Liberazione); Easter Monday (Lunedì dell''Angelo)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2011-05-01', 'Labour Day (Festa del Lavoro)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2011-06-02', 'Republic Day (Festa della Repubblica)', 'Law 260/1949 as amended by Law 336/2000', true),
    ('2011-08-15', 'Assumption (Ferragosto)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2011-11-01', 'All Saints'' Day (Ognissanti)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2011-12-08', 'Immaculate Conception (Immacolata)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2011-12-25', 'Christmas Day (Natale)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2011-12-26', 'St Stephen''s Day (Santo Stefano)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2012-01-01', 'New Year''s Day (Capodanno)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2012-01-06', 'Epiphany (Epifania)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2012-04-09', 'Easter Monday (Lunedì dell''Angelo)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2012-04-25', 'Liberation Day (Festa della Liberazione)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2012-05-01', 'Labour Day (Festa del Lavoro)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2012-06-02', 'Republic Day (Festa della Repubblica)', 'Law 260/1949 as amended by Law 336/2000', true),
    ('2012-08-15', 'Assumption (Ferragosto)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2012-11-01', 'All Saints'' Day (Ognissanti)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2012-12-08', 'Immaculate Conception (Immacolata)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2012-12-25', 'Christmas Day (Natale)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2012-12-26', 'St Stephen''s Day (Santo Stefano)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2013-01-01', 'New Year''s Day (Capodanno)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2013-01-06', 'Epiphany (Epifania)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2013-04-01', 'Easter Monday (Lunedì dell''Angelo)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2013-04-25', 'Liberation Day (Festa della Liberazione)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2013-05-01', 'Labour Day (Festa del Lavoro)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2013-06-02', 'Republic Day (Festa della Repubblica)', 'Law 260/1949 as amended by Law 336/2000', true),
    ('2013-08-15', 'Assumption (Ferragosto)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2013-11-01', 'All Saints'' Day (Ognissanti)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2013-12-08', 'Immaculate Conception (Immacolata)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2013-12-25', 'Christmas Day (Natale)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2013-12-26', 'St Stephen''s Day (Santo Stefano)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2014-01-01', 'New Year''s Day (Capodanno)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2014-01-06', 'Epiphany (Epifania)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2014-04-21', 'Easter Monday (Lunedì dell''Angelo)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2014-04-25', 'Liberation Day (Festa della Liberazione)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2014-05-01', 'Labour Day (Festa del Lavoro)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2014-06-02', 'Republic Day (Festa della Repubblica)', 'Law 260/1949 as amended by Law 336/2000', true),
    ('2014-08-15', 'Assumption (Ferragosto)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2014-11-01', 'All Saints'' Day (Ognissanti)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2014-12-08', 'Immaculate Conception (Immacolata)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2014-12-25', 'Christmas Day (Natale)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2014-12-26', 'St Stephen''s Day (Santo Stefano)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2015-01-01', 'New Year''s Day (Capodanno)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2015-01-06', 'Epiphany (Epifania)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2015-04-06', 'Easter Monday (Lunedì dell''Angelo)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2015-04-25', 'Liberation Day (Festa della Liberazione)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2015-05-01', 'Labour Day (Festa del Lavoro)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2015-06-02', 'Republic Day (Festa della Repubblica)', 'Law 260/1949 as amended by Law 336/2000', true),
    ('2015-08-15', 'Assumption (Ferragosto)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2015-11-01', 'All Saints'' Day (Ognissanti)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2015-12-08', 'Immaculate Conception (Immacolata)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2015-12-25', 'Christmas Day (Natale)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2015-12-26', 'St Stephen''s Day (Santo Stefano)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2016-01-01', 'New Year''s Day (Capodanno)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2016-01-06', 'Epiphany (Epifania)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2016-03-28', 'Easter Monday (Lunedì dell''Angelo)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2016-04-25', 'Liberation Day (Festa della Liberazione)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2016-05-01', 'Labour Day (Festa del Lavoro)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2016-06-02', 'Republic Day (Festa della Repubblica)', 'Law 260/1949 as amended by Law 336/2000', true),
    ('2016-08-15', 'Assumption (Ferragosto)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2016-11-01', 'All Saints'' Day (Ognissanti)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2016-12-08', 'Immaculate Conception (Immacolata)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2016-12-25', 'Christmas Day (Natale)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2016-12-26', 'St Stephen''s Day (Santo Stefano)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2017-01-01', 'New Year''s Day (Capodanno)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2017-01-06', 'Epiphany (Epifania)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2017-04-17', 'Easter Monday (Lunedì dell''Angelo)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2017-04-25', 'Liberation Day (Festa della Liberazione)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2017-05-01', 'Labour Day (Festa del Lavoro)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2017-06-02', 'Republic Day (Festa della Repubblica)', 'Law 260/1949 as amended by Law 336/2000', true),
    ('2017-08-15', 'Assumption (Ferragosto)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2017-11-01', 'All Saints'' Day (Ognissanti)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2017-12-08', 'Immaculate Conception (Immacolata)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2017-12-25', 'Christmas Day (Natale)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2017-12-26', 'St Stephen''s Day (Santo Stefano)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2018-01-01', 'New Year''s Day (Capodanno)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2018-01-06', 'Epiphany (Epifania)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2018-04-02', 'Easter Monday (Lunedì dell''Angelo)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2018-04-25', 'Liberation Day (Festa della Liberazione)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2018-05-01', 'Labour Day (Festa del Lavoro)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2018-06-02', 'Republic Day (Festa della Repubblica)', 'Law 260/1949 as amended by Law 336/2000', true),
    ('2018-08-15', 'Assumption (Ferragosto)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2018-11-01', 'All Saints'' Day (Ognissanti)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2018-12-08', 'Immaculate Conception (Immacolata)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2018-12-25', 'Christmas Day (Natale)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2018-12-26', 'St Stephen''s Day (Santo Stefano)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2019-01-01', 'New Year''s Day (Capodanno)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2019-01-06', 'Epiphany (Epifania)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2019-04-22', 'Easter Monday (Lunedì dell''Angelo)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2019-04-25', 'Liberation Day (Festa della Liberazione)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2019-05-01', 'Labour Day (Festa del Lavoro)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2019-06-02', 'Republic Day (Festa della Repubblica)', 'Law 260/1949 as amended by Law 336/2000', true),
    ('2019-08-15', 'Assumption (Ferragosto)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2019-11-01', 'All Saints'' Day (Ognissanti)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2019-12-08', 'Immaculate Conception (Immacolata)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2019-12-25', 'Christmas Day (Natale)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2019-12-26', 'St Stephen''s Day (Santo Stefano)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2020-01-01', 'New Year''s Day (Capodanno)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2020-01-06', 'Epiphany (Epifania)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2020-04-13', 'Easter Monday (Lunedì dell''Angelo)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2020-04-25', 'Liberation Day (Festa della Liberazione)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2020-05-01', 'Labour Day (Festa del Lavoro)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2020-06-02', 'Republic Day (Festa della Repubblica)', 'Law 260/1949 as amended by Law 336/2000', true),
    ('2020-08-15', 'Assumption (Ferragosto)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2020-11-01', 'All Saints'' Day (Ognissanti)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2020-12-08', 'Immaculate Conception (Immacolata)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2020-12-25', 'Christmas Day (Natale)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2020-12-26', 'St Stephen''s Day (Santo Stefano)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2021-01-01', 'New Year''s Day (Capodanno)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2021-01-06', 'Epiphany (Epifania)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2021-04-05', 'Easter Monday (Lunedì dell''Angelo)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2021-04-25', 'Liberation Day (Festa della Liberazione)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2021-05-01', 'Labour Day (Festa del Lavoro)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2021-06-02', 'Republic Day (Festa della Repubblica)', 'Law 260/1949 as amended by Law 336/2000', true),
    ('2021-08-15', 'Assumption (Ferragosto)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2021-11-01', 'All Saints'' Day (Ognissanti)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2021-12-08', 'Immaculate Conception (Immacolata)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2021-12-25', 'Christmas Day (Natale)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2021-12-26', 'St Stephen''s Day (Santo Stefano)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2022-01-01', 'New Year''s Day (Capodanno)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2022-01-06', 'Epiphany (Epifania)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2022-04-18', 'Easter Monday (Lunedì dell''Angelo)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2022-04-25', 'Liberation Day (Festa della Liberazione)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2022-05-01', 'Labour Day (Festa del Lavoro)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2022-06-02', 'Republic Day (Festa della Repubblica)', 'Law 260/1949 as amended by Law 336/2000', true),
    ('2022-08-15', 'Assumption (Ferragosto)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2022-11-01', 'All Saints'' Day (Ognissanti)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2022-12-08', 'Immaculate Conception (Immacolata)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2022-12-25', 'Christmas Day (Natale)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2022-12-26', 'St Stephen''s Day (Santo Stefano)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2023-01-01', 'New Year''s Day (Capodanno)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2023-01-06', 'Epiphany (Epifania)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2023-04-10', 'Easter Monday (Lunedì dell''Angelo)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2023-04-25', 'Liberation Day (Festa della Liberazione)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2023-05-01', 'Labour Day (Festa del Lavoro)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2023-06-02', 'Republic Day (Festa della Repubblica)', 'Law 260/1949 as amended by Law 336/2000', true),
    ('2023-08-15', 'Assumption (Ferragosto)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2023-11-01', 'All Saints'' Day (Ognissanti)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2023-12-08', 'Immaculate Conception (Immacolata)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2023-12-25', 'Christmas Day (Natale)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2023-12-26', 'St Stephen''s Day (Santo Stefano)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2024-01-01', 'New Year''s Day (Capodanno)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2024-01-06', 'Epiphany (Epifania)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2024-04-01', 'Easter Monday (Lunedì dell''Angelo)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2024-04-25', 'Liberation Day (Festa della Liberazione)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2024-05-01', 'Labour Day (Festa del Lavoro)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2024-06-02', 'Republic Day (Festa della Repubblica)', 'Law 260/1949 as amended by Law 336/2000', true),
    ('2024-08-15', 'Assumption (Ferragosto)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2024-11-01', 'All Saints'' Day (Ognissanti)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2024-12-08', 'Immaculate Conception (Immacolata)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2024-12-25', 'Christmas Day (Natale)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2024-12-26', 'St Stephen''s Day (Santo Stefano)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2025-01-01', 'New Year''s Day (Capodanno)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2025-01-06', 'Epiphany (Epifania)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2025-04-21', 'Easter Monday (Lunedì dell''Angelo)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2025-04-25', 'Liberation Day (Festa della Liberazione)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2025-05-01', 'Labour Day (Festa del Lavoro)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2025-06-02', 'Republic Day (Festa della Repubblica)', 'Law 260/1949 as amended by Law 336/2000', true),
    ('2025-08-15', 'Assumption (Ferragosto)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2025-11-01', 'All Saints'' Day (Ognissanti)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2025-12-08', 'Immaculate Conception (Immacolata)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2025-12-25', 'Christmas Day (Natale)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2025-12-26', 'St Stephen''s Day (Santo Stefano)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2026-01-01', 'New Year''s Day (Capodanno)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2026-01-06', 'Epiphany (Epifania)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2026-04-06', 'Easter Monday (Lunedì dell''Angelo)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2026-04-25', 'Liberation Day (Festa della Liberazione)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2026-05-01', 'Labour Day (Festa del Lavoro)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2026-06-02', 'Republic Day (Festa della Repubblica)', 'Law 260/1949 as amended by Law 336/2000', true),
    ('2026-08-15', 'Assumption (Ferragosto)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2026-10-04', 'St Francis of Assisi (San Francesco)', 'Law 151/2025 (from 2026)', true),
    ('2026-11-01', 'All Saints'' Day (Ognissanti)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2026-12-08', 'Immaculate Conception (Immacolata)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2026-12-25', 'Christmas Day (Natale)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2026-12-26', 'St Stephen''s Day (Santo Stefano)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2027-01-01', 'New Year''s Day (Capodanno)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2027-01-06', 'Epiphany (Epifania)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2027-03-29', 'Easter Monday (Lunedì dell''Angelo)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2027-04-25', 'Liberation Day (Festa della Liberazione)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2027-05-01', 'Labour Day (Festa del Lavoro)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2027-06-02', 'Republic Day (Festa della Repubblica)', 'Law 260/1949 as amended by Law 336/2000', true),
    ('2027-08-15', 'Assumption (Ferragosto)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2027-10-04', 'St Francis of Assisi (San Francesco)', 'Law 151/2025 (from 2026)', true),
    ('2027-11-01', 'All Saints'' Day (Ognissanti)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2027-12-08', 'Immaculate Conception (Immacolata)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2027-12-25', 'Christmas Day (Natale)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2027-12-26', 'St Stephen''s Day (Santo Stefano)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2028-01-01', 'New Year''s Day (Capodanno)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2028-01-06', 'Epiphany (Epifania)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2028-04-17', 'Easter Monday (Lunedì dell''Angelo)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2028-04-25', 'Liberation Day (Festa della Liberazione)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2028-05-01', 'Labour Day (Festa del Lavoro)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2028-06-02', 'Republic Day (Festa della Repubblica)', 'Law 260/1949 as amended by Law 336/2000', true),
    ('2028-08-15', 'Assumption (Ferragosto)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2028-10-04', 'St Francis of Assisi (San Francesco)', 'Law 151/2025 (from 2026)', true),
    ('2028-11-01', 'All Saints'' Day (Ognissanti)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2028-12-08', 'Immaculate Conception (Immacolata)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2028-12-25', 'Christmas Day (Natale)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2028-12-26', 'St Stephen''s Day (Santo Stefano)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2029-01-01', 'New Year''s Day (Capodanno)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2029-01-06', 'Epiphany (Epifania)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2029-04-02', 'Easter Monday (Lunedì dell''Angelo)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2029-04-25', 'Liberation Day (Festa della Liberazione)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2029-05-01', 'Labour Day (Festa del Lavoro)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2029-06-02', 'Republic Day (Festa della Repubblica)', 'Law 260/1949 as amended by Law 336/2000', true),
    ('2029-08-15', 'Assumption (Ferragosto)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2029-10-04', 'St Francis of Assisi (San Francesco)', 'Law 151/2025 (from 2026)', true),
    ('2029-11-01', 'All Saints'' Day (Ognissanti)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2029-12-08', 'Immaculate Conception (Immacolata)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2029-12-25', 'Christmas Day (Natale)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2029-12-26', 'St Stephen''s Day (Santo Stefano)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2030-01-01', 'New Year''s Day (Capodanno)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2030-01-06', 'Epiphany (Epifania)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2030-04-22', 'Easter Monday (Lunedì dell''Angelo)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2030-04-25', 'Liberation Day (Festa della Liberazione)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2030-05-01', 'Labour Day (Festa del Lavoro)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2030-06-02', 'Republic Day (Festa della Repubblica)', 'Law 260/1949 as amended by Law 336/2000', true),
    ('2030-08-15', 'Assumption (Ferragosto)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2030-10-04', 'St Francis of Assisi (San Francesco)', 'Law 151/2025 (from 2026)', true),
    ('2030-11-01', 'All Saints'' Day (Ognissanti)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2030-12-08', 'Immaculate Conception (Immacolata)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2030-12-25', 'Christmas Day (Natale)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true),
    ('2030-12-26', 'St Stephen''s Day (Santo Stefano)', 'Law 260/1949 as amended by Law 54/1977 and DPR 792/1985', true);

INSERT INTO ticket.missed_appointment_rule (effective_from, notice_days, legal_reference, note, shipped) VALUES
    ('2016-04-04', 3, 'LR Emilia-Romagna 2/2016 art. 23 and its 2016 implementing DGR', 'ticket-rules.md §9 item 1 [P]. Art. 23 (text in GU 3rd special series of 30-07-2016): the patient, exempt or not, who does not attend and did not cancel at least two working days before pays an administrative sanction equal to the ordinary ticket in force on the appointment date for the booked service, at the amount of the lowest income band, no reduced payment; the Giunta sets the start. Start 4 April 2016 (ilpiacenza.it: from 4 April whoever does not cancel pays the ticket of the lowest bands) [P]. Notice: AUSL Reggio Emilia counts back three working days from the appointment (x-3), national holidays excluded, Saturdays and patron saints working days: notice_days 3 = at least three working days from the cancellation''s day to the day before the service (the law''s two full working days in between, the issue''s three working days). The charge: the services priced on the service date with the lowest band of the regime in force and no exemption (so no band quota in 2016-2018, QB in 2019-2020); the issue''s "full ticket" read as the law''s ordinary ticket. Justified absences are the AUSL''s decision: the operator does not mark them. The Covid suspension (from February 2020, resumed by AUSL on different dates) is [U] and not shipped: a row with notice_days NULL enacts a suspension.', true);

CREATE TRIGGER audit_delete AFTER DELETE ON ticket.public_holiday REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_delete('day');

CREATE TRIGGER audit_insert AFTER INSERT ON ticket.public_holiday REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_insert('day');

CREATE TRIGGER audit_update AFTER UPDATE ON ticket.public_holiday REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_update('day');

CREATE TRIGGER protect_shipped_rows BEFORE INSERT OR DELETE OR UPDATE ON ticket.public_holiday FOR EACH ROW EXECUTE FUNCTION ticket.protect_shipped_rows();

CREATE TRIGGER protect_shipped_rows_truncate BEFORE TRUNCATE ON ticket.public_holiday FOR EACH STATEMENT EXECUTE FUNCTION ticket.protect_shipped_rows();

CREATE TRIGGER audit_delete AFTER DELETE ON ticket.missed_appointment_rule REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_delete('effective_from');

CREATE TRIGGER audit_insert AFTER INSERT ON ticket.missed_appointment_rule REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_insert('effective_from');

CREATE TRIGGER audit_update AFTER UPDATE ON ticket.missed_appointment_rule REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_update('effective_from');

CREATE TRIGGER protect_shipped_rows BEFORE INSERT OR DELETE OR UPDATE ON ticket.missed_appointment_rule FOR EACH ROW EXECUTE FUNCTION ticket.protect_shipped_rows();

CREATE TRIGGER protect_shipped_rows_truncate BEFORE TRUNCATE ON ticket.missed_appointment_rule FOR EACH STATEMENT EXECUTE FUNCTION ticket.protect_shipped_rows();

ALTER TABLE cup.booking DROP CONSTRAINT booking_check2;
ALTER TABLE cup.booking ADD CONSTRAINT booking_check2 CHECK ((((status = 'cancelled'::text) <= (cancelled_at IS NOT NULL)) AND ((cancelled_at IS NOT NULL) <= (status = ANY (ARRAY['cancelled'::text, 'missed'::text])))));
ALTER TABLE cup.booking DROP CONSTRAINT booking_status_check;
ALTER TABLE cup.booking ADD CONSTRAINT booking_status_check CHECK ((status = ANY (ARRAY['booked'::text, 'paid'::text, 'cancelled'::text, 'done'::text, 'missed'::text])));
DROP INDEX cup.booking_one_live_per_prescription;
CREATE UNIQUE INDEX booking_one_live_per_prescription ON cup.booking USING btree (nre) WHERE (status <> ALL (ARRAY['cancelled'::text, 'missed'::text]));

COMMENT ON COLUMN cup.booking.status IS 'booked (unpaid, re-priced when data change), paid (amount frozen), cancelled, done, missed (not attended and not cancelled in time: the bill is the missed-appointment charge, cup.mark_missed)';

COMMENT ON COLUMN cup.booking.cancelled_at IS 'when it was cancelled (its day in Italy decides whether the cancellation was in time for the missed-appointment rule; a missed booking keeps the time of its late cancellation)';

ALTER TABLE ticket.event DROP CONSTRAINT event_kind_check;
ALTER TABLE ticket.event ADD CONSTRAINT event_kind_check CHECK ((kind = ANY (ARRAY['declaration'::text, 'exemption_granted'::text, 'exemption_revoked'::text, 'booked'::text, 'moved'::text, 'repriced'::text, 'paid'::text, 'cancelled'::text, 'done'::text, 'adjustment'::text, 'missed'::text])));

COMMENT ON COLUMN ticket.event.kind IS 'declaration, exemption_granted, exemption_revoked, booked, moved, repriced, paid, cancelled, done, adjustment or missed';

CREATE FUNCTION ticket.working_days(from_day date, to_day date) RETURNS integer
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    first_year integer;
    last_year integer;
    days integer;
BEGIN
    IF NOT isfinite(from_day) OR NOT isfinite(to_day) THEN
        PERFORM ticket.raise_error('22023', 'working days between % and %: the dates must be finite',
                                   ARRAY[from_day::text, to_day::text]);
    END IF;
    IF to_day <= from_day THEN
        RETURN 0;
    END IF;
    SELECT extract(year FROM min(h.day))::integer, extract(year FROM max(h.day))::integer
      INTO first_year, last_year
      FROM ticket.public_holiday h;
    IF first_year IS NULL OR extract(year FROM from_day) < first_year
       OR extract(year FROM to_day - 1) > last_year THEN
        PERFORM ticket.raise_error('22023', 'working days between % and %: the calendar of public holidays covers % to %',
                                   ARRAY[from_day::text, to_day::text, coalesce(first_year::text, 'no year'),
                                         coalesce(last_year::text, 'no year')],
                                   hint => 'Add the holidays of the missing years to ticket.public_holiday.');
    END IF;
    SELECT count(*)::integer INTO days
      FROM generate_series(from_day, to_day - 1, interval '1 day') AS g(d)
     WHERE extract(isodow FROM g.d) <> 7
       AND NOT EXISTS (SELECT 1 FROM ticket.public_holiday h WHERE h.day = g.d::date);
    RETURN days;
END;
$$;

COMMENT ON FUNCTION ticket.working_days(from_day date, to_day date) IS 'the working days from from_day up to the day before to_day (0 when to_day is not later): every day but Sundays and the national holidays of ticket.public_holiday (Saturdays work); 22023 for a range outside the years the calendar lists; STABLE because it reads the calendar';

REVOKE ALL ON FUNCTION ticket.working_days(from_day date, to_day date) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.working_days(from_day date, to_day date) TO ticket_library;

CREATE FUNCTION cup.mark_missed(booking bigint) RETURNS cup.booking
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    missed cup.booking;
BEGIN
    PERFORM cup.locked_booking(booking, 'booking');
    UPDATE cup.booking b SET status = 'missed' WHERE b.booking_id = booking
    RETURNING * INTO missed;
    RETURN missed;
END;
$$;

COMMENT ON FUNCTION cup.mark_missed(booking bigint) IS 'marks a booking missed (mancata disdetta, LR 2/2016 art. 23): not attended and not cancelled in time, its bill becomes the missed-appointment charge, exempt or not (the lowest band''s ordinary ticket of its services on the service date), paid with cup.pay; TK013 for a booking paid, done, missed, cancelled in time or whose service date has not passed, TK005 on a date no ticket.missed_appointment_rule covers; VOLATILE because it writes';

REVOKE ALL ON FUNCTION cup.mark_missed(booking bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION cup.mark_missed(booking bigint) TO ticket_cup_operator;

CREATE OR REPLACE FUNCTION ticket.audited_tables() RETURNS regclass[]
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
    SELECT '{cup.adjustment, cup.booking, fse.prescription, registry.asl, registry.citizen, registry.declaration,
             registry.exemption_grant, registry.gp, registry.guardian, registry.household,
             registry.household_member, ticket.exemption_rule, ticket.exemption_scope,
             ticket.missed_appointment_rule, ticket.nre_region, ticket.priority_class, ticket.public_holiday, ticket.regime,
             ticket.regime_band, ticket.role_binding,
             ticket.service}'::regclass[]
$$;

COMMENT ON FUNCTION ticket.audited_tables() IS 'the tables whose writes the audit triggers record: the contract of ticket.audit_insert, audit_update and audit_delete; internal';

REVOKE ALL ON FUNCTION ticket.audited_tables() FROM PUBLIC;

CREATE OR REPLACE FUNCTION cup.booking_before_update() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    prescription fse.prescription;
    patient registry.citizen;
    rule ticket.missed_appointment_rule;
    notice integer;
    lowest_band ticket.income_band;
    sanction ticket.bill;
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{cup.booking}',
                                   '{"BEFORE ROW UPDATE"}');
    IF (NEW.booking_id, NEW.nre, NEW.fiscal_code, NEW.booked_at)
       IS DISTINCT FROM (OLD.booking_id, OLD.nre, OLD.fiscal_code, OLD.booked_at) THEN
        PERFORM ticket.raise_error('TK018', 'booking %: the prescription, the patient and the booking time cannot change',
                                   ARRAY[OLD.booking_id::text], hint => 'Cancel it and book again.');
    END IF;
    -- Final, except: a late cancellation can still be marked missed, and a
    -- missed booking's charge is paid once (nothing else of it changes).
    IF OLD.status IN ('cancelled', 'done', 'missed')
       AND NOT (OLD.status = 'cancelled' AND NEW.status = 'missed')
       AND NOT (OLD.status = 'missed' AND OLD.paid_at IS NULL AND NEW.paid_at IS NOT NULL
                AND (NEW.status, NEW.service_date, NEW.asl_code, NEW.bill, NEW.priced_at,
                     NEW.cancelled_at, NEW.cancel_reason)
                    IS NOT DISTINCT FROM (OLD.status, OLD.service_date, OLD.asl_code, OLD.bill, OLD.priced_at,
                                          OLD.cancelled_at, OLD.cancel_reason)) THEN
        PERFORM ticket.raise_error('TK013', 'booking % is %: it cannot change', ARRAY[OLD.booking_id::text, OLD.status]);
    END IF;
    -- Re-pricing and cancellations by propagation.  The trigger's WHEN
    -- skips this function for an internal write to a booked booking that
    -- keeps its identity (the checks above pass it: a re-pricing costs
    -- no call per booking); keep the two in step.
    IF ticket.in_internal_write() THEN
        RETURN NEW;
    END IF;
    -- The payment is written once, by booked -> paid/done below.
    IF NEW.bill IS DISTINCT FROM OLD.bill
       OR ((NEW.paid_amount, NEW.paid_at) IS DISTINCT FROM (OLD.paid_amount, OLD.paid_at)
           AND (OLD.status <> 'booked' OR NEW.status = OLD.status) AND OLD.status <> 'missed') THEN
        PERFORM ticket.raise_error('428C9', 'booking %: the bill and the payment are filled in by CUP',
                                   ARRAY[OLD.booking_id::text], hint => 'Use cup.move, cup.pay, cup.cancel, cup.complete.');
    END IF;

    SELECT * INTO prescription FROM fse.prescription p WHERE p.nre = NEW.nre;
    IF NEW.service_date < prescription.prescribed_on THEN
        PERFORM ticket.raise_error('22023', 'booking on % of prescription % written on %: a service cannot precede its prescription',
                                   ARRAY[NEW.service_date::text, NEW.nre, prescription.prescribed_on::text]);
    END IF;
    -- A move is a write about the patient on the new date (refused once
    -- they died); any other change takes the lock without a date.
    patient := registry.lock_citizen(NEW.fiscal_code,
                                     CASE WHEN NEW.service_date <> OLD.service_date
                                          THEN NEW.service_date ELSE '-infinity' END,
                                     'booking');

    -- Status changes, and paying the charge of a missed appointment (missed
    -- to missed: the check at the top let nothing else change).
    IF NEW.status <> OLD.status OR OLD.status = 'missed' THEN
        IF (OLD.status, NEW.status) NOT IN (('booked', 'paid'), ('booked', 'cancelled'),
                                             ('booked', 'done'), ('paid', 'done'), ('paid', 'cancelled'),
                                             ('booked', 'missed'), ('cancelled', 'missed'), ('missed', 'missed'))
           OR (NEW.status = 'missed' AND NEW.service_date <> OLD.service_date) THEN
            PERFORM ticket.raise_error('TK013', 'booking % cannot go from % to %',
                                       ARRAY[OLD.booking_id::text, OLD.status, NEW.status]);
        END IF;
        IF NEW.status = 'missed' AND OLD.status <> 'missed' THEN
            -- LR 2/2016 art. 23 (ticket.missed_appointment_rule): not
            -- attended and not cancelled in time, exempt or not, the
            -- ordinary ticket of the lowest band on the service date.
            IF OLD.service_date >= ticket.local_day(now()) THEN
                PERFORM ticket.raise_error('TK013', 'booking %: its service on % has not passed: it cannot be missed yet',
                                           ARRAY[OLD.booking_id::text, OLD.service_date::text]);
            END IF;
            SELECT * INTO rule FROM ticket.missed_appointment_rule r
             WHERE r.effective_from <= OLD.service_date ORDER BY r.effective_from DESC LIMIT 1;
            IF NOT FOUND OR rule.notice_days IS NULL THEN
                PERFORM ticket.raise_error('TK005', 'no missed-appointment rule covers %', ARRAY[OLD.service_date::text],
                                           hint => 'See ticket.missed_appointment_rule.');
            END IF;
            IF OLD.status = 'cancelled' THEN
                notice := ticket.working_days(ticket.local_day(OLD.cancelled_at), OLD.service_date);
                IF notice >= rule.notice_days THEN
                    PERFORM ticket.raise_error('TK013', 'booking % was cancelled in time: % working days before its service on % (% needed)',
                                               ARRAY[OLD.booking_id::text, notice::text, OLD.service_date::text,
                                                     rule.notice_days::text]);
                END IF;
            END IF;
            SELECT rb.band INTO lowest_band FROM ticket.regime_band rb
             WHERE rb.regime_id = ticket.regime_for(OLD.service_date)
             ORDER BY lower(rb.income_range) NULLS FIRST, rb.band LIMIT 1;
            sanction := ticket.price(prescription.services, lowest_band, NULL::ticket.exemption[], OLD.service_date);
            sanction.explanation := 'missed appointment (' || rule.legal_reference || '): ' || sanction.explanation;
            NEW.bill := sanction;
            NEW.priced_at := now();
            NEW.paid_amount := NULL;    -- a payment before a late cancellation was refunded by it
            NEW.paid_at := NULL;
            NEW.payment_channel := NULL;
            RETURN NEW;
        END IF;
        IF NEW.status = 'cancelled' THEN
            NEW.cancelled_at := coalesce(NEW.cancelled_at, now());
            RETURN NEW;
        END IF;
        IF OLD.status = 'booked' AND NEW.status = 'done' AND OLD.amount <> 0 THEN
            PERFORM ticket.raise_error('TK013', 'booking % owes %: it must be paid before it is done',
                                       ARRAY[OLD.booking_id::text, OLD.amount::text], hint => 'Pay it with cup.pay.');
        END IF;
        IF OLD.status IN ('booked', 'missed') THEN
            -- Paying (or completing a free booking) freezes the amount.
            IF NEW.paid_amount IS NOT NULL AND NEW.paid_amount <> (OLD.bill).total THEN
                PERFORM ticket.raise_error('TK014', 'booking % costs %, not %',
                                           ARRAY[OLD.booking_id::text, (OLD.bill).total::text, NEW.paid_amount::text],
                    hint => 'The price changed since it was shown: show the new bill and pay that.');
            END IF;
            NEW.paid_amount := (OLD.bill).total;
            NEW.paid_at := coalesce(NEW.paid_at, now());
        END IF;
        RETURN NEW;
    END IF;

    -- Moving an unpaid booking re-prices it; a paid one keeps its amount.
    IF NEW.service_date <> OLD.service_date AND NEW.status = 'booked' THEN
        NEW.bill := cup.price_for(NEW.fiscal_code, prescription.services, NEW.service_date);
        NEW.priced_at := now();
    END IF;
    RETURN NEW;
END;
$$;

COMMENT ON FUNCTION cup.booking_before_update() IS 'trigger: the prescription, patient and booking time never change (TK018); status rules (TK013), payment of the shown amount (TK014), bill and payment not written by hand (428C9), moves re-price; a missed appointment (booked, or cancelled late, service passed) gets the missed-appointment charge (ticket.missed_appointment_rule; TK005 without one); VOLATILE because it writes';

REVOKE ALL ON FUNCTION cup.booking_before_update() FROM PUBLIC;

CREATE OR REPLACE FUNCTION cup.booking_events() RETURNS trigger
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

CREATE OR REPLACE FUNCTION cup.pay(booking bigint, expected_amount numeric DEFAULT NULL::numeric, channel text DEFAULT 'cup_desk'::text, paid_at timestamp with time zone DEFAULT now()) RETURNS cup.booking
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

CREATE OR REPLACE FUNCTION ticket.check_consistency() RETURNS TABLE(invariant text, subject text, detail text)
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $_$
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
     WHERE (b.status IN ('paid', 'done') OR (b.status = 'missed' AND b.paid_amount IS NOT NULL)) AND b.paid_amount IS DISTINCT FROM b.amount;

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
             ON ev.kind IN ('booked', 'moved', 'repriced', 'paid', 'cancelled', 'done', 'missed')
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
$_$;

COMMENT ON FUNCTION ticket.check_consistency() IS 'one row per violated invariant of the network (prices of unpaid bookings, payments, FSE profiles, prescription boxes, declaration overlaps, deaths, fiscal codes, events; on an ASL node the FSE profiles and registry events are the region''s and not checked); empty on a healthy database';

REVOKE ALL ON FUNCTION ticket.check_consistency() FROM PUBLIC;

CREATE OR REPLACE FUNCTION ticket.events_after(last_id bigint, max_events integer DEFAULT 1000) RETURNS SETOF ticket.event
    LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    horizon xid8 := pg_snapshot_xmin(pg_current_snapshot());
    everything boolean := ticket.acting_superuser();
    acting name := ticket.acting_role();
    asl text;
    gp text;
BEGIN
    IF NOT everything THEN
        asl := ticket.bound_asl(acting);
        gp := ticket.bound_gp(acting);
        IF asl IS NULL AND gp IS NULL THEN
            PERFORM ticket.raise_error('42501', 'role % is not bound to an ASL or a GP: it may not read events',
                                       ARRAY[acting::text],
                                       hint => 'A DBA binds an event consumer to the ASL or the GP it serves: INSERT INTO ticket.role_binding.');
        END IF;
    END IF;
    -- Event ids are taken before commit, so a transaction still running may
    -- hold ids below ones already committed.  Deliver in id order only the
    -- events of transactions older than every running one, and stop at the
    -- first visible event that is newer: a reader that resumes from the
    -- last id it got then skips nothing that was visible to it.
    RETURN QUERY
    SELECT e.* FROM ticket.event e
     WHERE e.event_id > last_id AND e.txid < horizon
       AND e.event_id < coalesce((SELECT min(f.event_id) FROM ticket.event f
                                   WHERE f.event_id > last_id AND f.txid >= horizon), 9223372036854775807)
       AND (everything
            OR EXISTS (SELECT 1 FROM registry.citizen c
                        WHERE c.fiscal_code = e.fiscal_code AND (c.residence_asl = asl OR c.gp_code = gp))
            OR (asl IS NOT NULL AND e.kind IN ('booked', 'moved', 'repriced', 'paid', 'cancelled', 'done', 'missed')
                AND EXISTS (SELECT 1 FROM cup.booking b
                             WHERE b.booking_id = e.subject::bigint AND b.asl_code = asl))
            OR (asl IS NOT NULL AND e.kind = 'adjustment'
                AND EXISTS (SELECT 1 FROM cup.adjustment a JOIN cup.booking b USING (booking_id)
                             WHERE a.adjustment_id = e.subject::bigint AND b.asl_code = asl)))
     ORDER BY e.event_id
     LIMIT max_events;
END;
$$;

COMMENT ON FUNCTION ticket.events_after(last_id bigint, max_events integer) IS 'the settled outbox events after an id, in id order, at most max_events: for a member of ticket_event_consumer those of its binding (an ASL''s residents and bookings, a GP''s patients; 42501 unbound), for a superuser all';

REVOKE ALL ON FUNCTION ticket.events_after(last_id bigint, max_events integer) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.events_after(last_id bigint, max_events integer) TO ticket_event_consumer;

--------------------------------------------------------------------------
-- The ASL nodes need the holidays and missed-appointment rules the region
-- adds (a node marks a booking missed on its own calendar): published like
-- the other rule tables, WHERE NOT shipped.  A region's existing
-- publications gain the two tables here; each ASL node then runs
-- ALTER SUBSCRIPTION ... REFRESH PUBLICATION (manual, "Upgrading").
--------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION ticket.create_asl_publication(asl_code text) RETURNS name
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    publication name := ('ticket_asl_' || asl_code)::name;
BEGIN
    PERFORM ticket.refuse_long_text('ticket.create_asl_publication', 'asl_code', asl_code, 16);
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
        ' ticket.priority_class WHERE (NOT shipped),'
        ' ticket.public_holiday WHERE (NOT shipped), ticket.missed_appointment_rule WHERE (NOT shipped)'
        ' WITH (publish = ''insert, update, delete'')',
        publication, asl_code);
    RETURN publication;
END;
$$;

COMMENT ON FUNCTION ticket.create_asl_publication(asl_code text) IS 'at the region: creates the publication ticket_asl_<code> an ASL node subscribes to (its residents, every declaration, grant and prescription, the GPs, the rules and holidays the region added) and returns its name; VOLATILE because it creates an object';

REVOKE ALL ON FUNCTION ticket.create_asl_publication(asl_code text) FROM PUBLIC;

DO $publications$
DECLARE
    publication name;
BEGIN
    FOR publication IN SELECT p.pubname FROM pg_catalog.pg_publication p
                        WHERE p.pubname OPERATOR(pg_catalog.~) '^ticket_asl_'
    LOOP
        EXECUTE pg_catalog.format('ALTER PUBLICATION %I ADD TABLE ticket.public_holiday WHERE (NOT shipped),'
                                  ' ticket.missed_appointment_rule WHERE (NOT shipped)', publication);
    END LOOP;
END;
$publications$;

--------------------------------------------------------------------------
-- Issue 18, "wrong today": FA2 (§3.3, §3.6, §4.2, §9; S29 S30 S48).
-- From 2 May 2025 children up to 14 only, expiring at 15 (parents no
-- longer): exemption_rule.max_age, applied where a citizen's exemptions on a
-- day are read (ticket.citizen_status, with the birth date).  Grants by
-- fiscal year, 1 April - 31 March, since 2022: the exemption catalogue's
-- period (below, ticket.exemption_catalogue).
--------------------------------------------------------------------------

SET CONSTRAINTS ALL IMMEDIATE;
ALTER TABLE ticket.exemption_rule DISABLE TRIGGER audit_insert, DISABLE TRIGGER audit_update;

ALTER TABLE ticket.exemption_rule ADD COLUMN max_age integer,
    ADD CONSTRAINT exemption_rule_max_age_check CHECK (((max_age >= 0) AND (max_age <= 150)));
COMMENT ON COLUMN ticket.exemption_rule.max_age IS 'the exemption applies only to citizens of this age or less on the service date (2025: FA2, children up to 14, S29 S30); NULL = any age; applied by ticket.citizen_status';

UPDATE ticket.exemption_rule SET note = 'families with two or more dependent children (DGR 2076/2018): first visit; grants by fiscal year, 1 April - 31 March, since 2022 (§3.3, §9; S29 S48)'
 WHERE regime_id = 'ER-2020-09-01' AND exemption = 'FA2';
UPDATE ticket.exemption_rule SET max_age = 14,
       note = 'families with two or more dependent children (DGR 2076/2018): first visit; from 2 May 2025 children up to 14 only, not at 15 (max_age); grants by fiscal year, 1 April - 31 March, since 2022 (§3.3, §3.6, §9; S29 S30 S48)'
 WHERE regime_id = 'ER-2025-05-02' AND exemption = 'FA2';

ALTER TABLE ticket.exemption_rule ENABLE TRIGGER audit_insert, ENABLE TRIGGER audit_update;




--------------------------------------------------------------------------
-- Issue 18, "wrong today": the emergency room (§2.5, §9; S25 S26 S61).  The
-- white-code-only ticket until April 2011 (ER-BASELINE); from 1 May 2011 the
-- ticket follows the appropriateness of the access (DGR 389/2011): white and
-- green triage pay, a new regime ER-2011-05-01, otherwise ER-BASELINE's.
--------------------------------------------------------------------------

SET CONSTRAINTS ALL IMMEDIATE;
ALTER TABLE ticket.regime DISABLE TRIGGER audit_insert, DISABLE TRIGGER audit_update;
ALTER TABLE ticket.exemption_rule DISABLE TRIGGER audit_insert, DISABLE TRIGGER audit_update;

UPDATE ticket.regime SET er_chargeable_codes = '{PS-WHITE}',
       description = 'before the income bands; emergency room: white triage only (S25 S26 S61)'
 WHERE regime_id = 'ER-BASELINE';
INSERT INTO ticket.regime (regime_id, effective_from, legal_reference, description, default_band, specialist_cap, quota_threshold, quota, ct_mri, first_visit, control_visit, ambulatory_surgery, surgery_fixed_codes, drug_per_pack, drug_cap, er_access, er_chargeable_codes, max_items, shipped, adjustment_grace_days, adjustment_until) VALUES
    ('ER-2011-05-01', '2011-05-01', 'DGR 389/2011 (emergency room by appropriateness); national rules otherwise', 'emergency room: white and green triage pay (S25 S26 S61)', NULL, 36.15, 10.00, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 25.00, '{PS-WHITE,PS-GREEN}', 8, true, NULL, NULL);
INSERT INTO ticket.exemption_rule (regime_id, exemption, family, coverage, spares_band_quota, spares_drugs, spares_er, note, shipped)
SELECT 'ER-2011-05-01', e.exemption, e.family, e.coverage, e.spares_band_quota, e.spares_drugs, e.spares_er, e.note, e.shipped
  FROM ticket.exemption_rule e
 WHERE e.regime_id = 'ER-BASELINE';

ALTER TABLE ticket.regime ENABLE TRIGGER audit_insert, ENABLE TRIGGER audit_update;
ALTER TABLE ticket.exemption_rule ENABLE TRIGGER audit_insert, ENABLE TRIGGER audit_update;

--------------------------------------------------------------------------
-- Issue 18: the exemption catalogue as data, and the validity periods of
-- exemptions.  ticket.exemption accepts any code of the catalogue's shape
-- (1 to 6 letters and digits, not an income band: the C library); which
-- codes exist on a service date, their family and how their grants are
-- dated are rows of ticket.exemption_catalogue (§4, §9 items 3 and 4).
--------------------------------------------------------------------------

CREATE TABLE ticket.exemption_catalogue (
    code_pattern text NOT NULL,
    family text NOT NULL,
    valid daterange NOT NULL,
    period text NOT NULL,
    grant_sources text[] NOT NULL,
    description text NOT NULL,
    note text NOT NULL,
    shipped boolean DEFAULT false NOT NULL,
    CONSTRAINT exemption_catalogue_code_pattern_check CHECK (((code_pattern ~ '^\^.*\$$'::text) AND (length(code_pattern) <= 100))),
    CONSTRAINT exemption_catalogue_family_check CHECK ((family = ANY (ARRAY['income'::text, 'regional'::text, 'invalidity'::text, 'pregnancy'::text, 'prevention'::text, 'other'::text, 'chronic'::text, 'rare'::text]))),
    CONSTRAINT exemption_catalogue_grant_sources_check CHECK (((cardinality(grant_sources) > 0) AND (grant_sources <@ ARRAY['asl_certificate'::text, 'mef_list'::text, 'self_certification'::text]))),
    CONSTRAINT exemption_catalogue_period_check CHECK ((period = ANY (ARRAY['fiscal_year'::text, 'edition'::text, 'as_granted'::text]))),
    CONSTRAINT exemption_catalogue_valid_check CHECK ((NOT isempty(valid)))
);

ALTER TABLE ONLY ticket.exemption_catalogue REPLICA IDENTITY FULL;

COMMENT ON TABLE ticket.exemption_catalogue IS 'the exemption codes in force, as data: a code written on a prescription or granted is accepted on a service date only if a row holds it then; the row gives its family and how its grants are dated';

COMMENT ON COLUMN ticket.exemption_catalogue.code_pattern IS 'the codes of the row: an anchored regular expression over the upper-case code (^E0[1-4]$, ^T12$)';

COMMENT ON COLUMN ticket.exemption_catalogue.family IS 'the family of its codes (income, regional, invalidity, pregnancy, prevention, other, chronic, rare): what a family rule of ticket.exemption_rule matches';

COMMENT ON COLUMN ticket.exemption_catalogue.valid IS 'the service dates on which its codes exist (an edition of E99: the edition''s dates)';

COMMENT ON COLUMN ticket.exemption_catalogue.period IS 'how a grant is dated: fiscal_year = ends by the next 1 April (an open grant is closed there); edition = ends by the end of the row (an open grant is closed there); as_granted = as the certificate says';

COMMENT ON COLUMN ticket.exemption_catalogue.grant_sources IS 'the sources a grant of its codes may come from (registry.exemption_grant.source)';

COMMENT ON COLUMN ticket.exemption_catalogue.description IS 'what the codes are';

COMMENT ON COLUMN ticket.exemption_catalogue.note IS 'where the row comes from (the source ids of ticket-rules.md), or why it was chosen';

COMMENT ON COLUMN ticket.exemption_catalogue.shipped IS 'true for rows the extension ships (not dumped, not editable)';

ALTER TABLE ONLY ticket.exemption_catalogue
    ADD CONSTRAINT exemption_catalogue_no_overlap EXCLUDE USING gist (code_pattern WITH =, valid WITH &&);

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE ticket.exemption_catalogue TO ticket_rules_admin;
GRANT SELECT ON TABLE ticket.exemption_catalogue TO ticket_library;

SELECT pg_catalog.pg_extension_config_dump('ticket.exemption_catalogue', 'WHERE NOT shipped');

INSERT INTO ticket.exemption_catalogue (code_pattern, family, valid, period, grant_sources, description, note, shipped) VALUES
    ('^E0[134]$', 'income', '(,)', 'fiscal_year', '{asl_certificate,mef_list,self_certification}', 'E01 age under 6 or over 65, E03 social allowance, E04 minimum pension over 60, with the income limits of §4.1', '§4.1 [C S31, S32, S37]; since October 2021 registered from the MEF lists, valid 1 April - 31 March, renewed if still due [C S33, S34, S35]', true),
    ('^E02$', 'income', '(,)', 'fiscal_year', '{asl_certificate,self_certification}', 'E02 unemployed and dependants, with the income limits of §4.1', '§4.1 [C S31, S37]; never from the MEF lists: self-certified every year, valid to 31 March like the other income exemptions [C S33, S34, S35] (§9 item 3: "E02 by annual self-certification"; the year read as the 1 April - 31 March year: a choice, see the manual)', true),
    ('^E99$', 'regional', '(,2025-04-01)', 'edition', '{asl_certificate,self_certification}', 'E99 workers hit by the crisis, editions up to 2024-25', '§4.2 [C S36, S33]: the 2024-25 edition is valid to 31 March 2025; earlier editions are not dated by the sources, so a grant may run as granted up to that day (a choice)', true),
    ('^E99$', 'regional', '[2025-09-15,2026-09-01)', 'edition', '{asl_certificate,self_certification}', 'E99 workers hit by the crisis, 2025-26 edition (job lost after 1 January 2015)', '§4.2 [C S36]: the 2025-26 edition runs 15 September 2025 - 31 August 2026; between the editions there is no E99', true),
    ('^F[A-Z][0-9]$', 'regional', '(,2022-04-01)', 'as_granted', '{asl_certificate,mef_list,self_certification}', 'FA2 families with at least two dependent children (first visits)', '§3.3, §3.6, §9 [C S29, S30, S48]: before the 2022 fiscal year grants are dated as the AUSL gives them', true),
    ('^F[A-Z][0-9]$', 'regional', '[2022-04-01,)', 'fiscal_year', '{asl_certificate,mef_list,self_certification}', 'FA2 families with at least two dependent children (first visits; children up to 14 from 2 May 2025)', '§9 "FA2": grants by fiscal year 1 April - 31 March since 2022 [C S29, S30, S48]', true),
    ('^T12$', 'regional', '[2012-06-11,)', 'as_granted', '{asl_certificate,self_certification}', 'T12 residents of the 2012 earthquake municipalities and listed workers', '§4.2, §9 item 4: exempt from 11 June 2012, renewed yearly (12th year in 2023) [C S53]; the code is [U]: T12 as some AUSL pages use it; renewals dated as the AUSL grants them (a choice)', true),
    ('^(C0[1-7]|G0[12]|L0[1-4]|S0[1-4]|N01|V0[12])$', 'invalidity', '(,)', 'as_granted', '{asl_certificate,mef_list,self_certification}', 'invalidity: civil C01-C07, war G01-G02, work L01-L04, service S01-S04, L. 210/1992 N01, victims V01-V02', '§4.3 [C S37]', true),
    ('^(M[0-3][0-9]|M4[01]|M50|M52|M99)$', 'pregnancy', '(,)', 'as_granted', '{asl_certificate,mef_list,self_certification}', 'pregnancy: M00 pre-conception, M01-M41 week, M50 at risk, M52 seafaring staff, M99 week unknown', '§4.3 [C S37, S39]', true),
    ('^(D0[1-6]|D01[BC])$', 'prevention', '(,)', 'as_granted', '{asl_certificate,mef_list,self_certification}', 'early cancer diagnosis D01-D06, D01B, D01C', '§4.3 [C S37; ages P S40]', true),
    ('^(B01|T01|I01|P0[1-3]|F01|X01|TDL01|PML)$', 'other', '(,)', 'as_granted', '{asl_certificate,mef_list,self_certification}', 'other national codes: HIV testing, donors, fitness certificates, public health, prisoners, STP, pain therapy, seafarers', '§4.3 [C S37]', true),
    ('^0([0-9][1-9]|[1-9]0|[A-Z][0-9][0-9])$', 'chronic', '(,)', 'as_granted', '{asl_certificate,mef_list,self_certification}', 'chronic diseases: 0 + two digits (001-099, DM 329/1999), 0 + letter + two digits (DPCM 2017 Allegato 8)', '§4.4 [C S37, S38, S42, S55]', true),
    ('^(R[A-Q][0-9]{4}|R[A-Q]G[0-9]{3}|R99)$', 'rare', '(,)', 'as_granted', '{asl_certificate,mef_list,self_certification}', 'rare diseases: R + group A-Q + 4 digits, R + group + G + 3 digits, R99 suspected', '§4.4 [C S37, S38]; R99 for a suspected rare disease is [U] (ER practice)', true);

CREATE TRIGGER audit_delete AFTER DELETE ON ticket.exemption_catalogue REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_delete('code_pattern,valid');

CREATE TRIGGER audit_insert AFTER INSERT ON ticket.exemption_catalogue REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_insert('code_pattern,valid');

CREATE TRIGGER audit_update AFTER UPDATE ON ticket.exemption_catalogue REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_update('code_pattern,valid');

CREATE TRIGGER protect_shipped_rows BEFORE INSERT OR DELETE OR UPDATE ON ticket.exemption_catalogue FOR EACH ROW EXECUTE FUNCTION ticket.protect_shipped_rows();

CREATE TRIGGER protect_shipped_rows_truncate BEFORE TRUNCATE ON ticket.exemption_catalogue FOR EACH STATEMENT EXECUTE FUNCTION ticket.protect_shipped_rows();

CREATE TRIGGER rules_changed AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON ticket.exemption_catalogue FOR EACH STATEMENT EXECUTE FUNCTION ticket.rules_changed();

-- T12, the 2012 earthquake exemption, in the regimes from 2012 (§4.2, S53):
-- shipped rows, not changes to audit or re-price (a fresh install loads
-- them before its triggers); then the rule caches are told.
SET LOCAL session_replication_role = replica;
INSERT INTO ticket.exemption_rule (regime_id, exemption, family, coverage, spares_band_quota, spares_drugs, spares_er, note, shipped) VALUES
    ('ER-2012-02-01', 'T12', NULL, 'all', true, true, false, '2012 earthquake: visits, exams and drugs from 11 June 2012 (§4.2 [C S53]; the code T12 is [U], §9 item 4; its dates are ticket.exemption_catalogue''s)', true),
    ('ER-2019-01-01', 'T12', NULL, 'all', true, true, false, '2012 earthquake: visits, exams and drugs from 11 June 2012 (§4.2 [C S53]; the code T12 is [U], §9 item 4; its dates are ticket.exemption_catalogue''s)', true),
    ('ER-2020-09-01', 'T12', NULL, 'all', true, true, false, '2012 earthquake: visits, exams and drugs from 11 June 2012 (§4.2 [C S53]; the code T12 is [U], §9 item 4; its dates are ticket.exemption_catalogue''s)', true),
    ('ER-2025-05-02', 'T12', NULL, 'all', true, true, false, '2012 earthquake: visits, exams and drugs from 11 June 2012 (§4.2 [C S53]; the code T12 is [U], §9 item 4; its dates are ticket.exemption_catalogue''s)', true);
SET LOCAL session_replication_role = origin;
UPDATE ticket.exemption_rule SET note = note WHERE false;

CREATE OR REPLACE FUNCTION ticket.audited_tables() RETURNS regclass[]
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
    SELECT '{cup.adjustment, cup.booking, fse.prescription, registry.asl, registry.citizen, registry.declaration,
             registry.exemption_grant, registry.gp, registry.guardian, registry.household,
             registry.household_member, ticket.exemption_catalogue, ticket.exemption_rule, ticket.exemption_scope,
             ticket.missed_appointment_rule, ticket.nre_region, ticket.priority_class, ticket.public_holiday, ticket.regime,
             ticket.regime_band, ticket.role_binding,
             ticket.service}'::regclass[]
$$;

COMMENT ON FUNCTION ticket.audited_tables() IS 'the tables whose writes the audit triggers record: the contract of ticket.audit_insert, audit_update and audit_delete; internal';

REVOKE ALL ON FUNCTION ticket.audited_tables() FROM PUBLIC;

CREATE OR REPLACE FUNCTION ticket.exemption_family(ticket.exemption) RETURNS text
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $_$
    SELECT c.family FROM ticket.exemption_catalogue c
     WHERE ticket.text($1) OPERATOR(pg_catalog.~) c.code_pattern
     ORDER BY pg_catalog.upper_inf(c.valid) DESC, pg_catalog.upper(c.valid) DESC
     LIMIT 1
$_$;

COMMENT ON FUNCTION ticket.exemption_family(ticket.exemption) IS 'income, regional, invalidity, pregnancy, prevention, other, chronic or rare: the family ticket.exemption_catalogue gives the code (its latest row); NULL for a code the catalogue does not hold';

REVOKE ALL ON FUNCTION ticket.exemption_family(ticket.exemption) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.exemption_family(ticket.exemption) TO ticket_library;

CREATE OR REPLACE FUNCTION registry.exemption_grant_before_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    patient registry.citizen;
    next_april date;
    code text;
    entry record;
    last_day date;
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{registry.exemption_grant}',
                                   '{"BEFORE ROW INSERT"}');
    IF NEW.revoked_on IS NOT NULL OR NEW.revoked_at IS NOT NULL THEN
        PERFORM ticket.raise_error('22023', 'a grant is inserted unrevoked',
            hint => 'Grant it, then revoke it with registry.revoke_exemption.');
    END IF;
    -- An assignment, not PERFORM: PL/pgSQL evaluates it without the executor.
    patient := registry.lock_citizen(NEW.fiscal_code, lower(NEW.valid), 'exemption');
    -- The catalogue (data) holds the code on the first day, and says where
    -- its grants come from and how they are dated (§4.1, §4.2, §9 item 3).
    -- A range without a start is the table's CHECK (23514), after this.
    IF lower_inf(NEW.valid) THEN
        RETURN NEW;
    END IF;
    code := ticket.text(NEW.exemption);
    SELECT c.family, c.valid, c.period, c.grant_sources INTO entry
      FROM ticket.exemption_catalogue c
     WHERE code OPERATOR(pg_catalog.~) c.code_pattern
       AND c.valid OPERATOR(pg_catalog.@>) lower(NEW.valid)
     ORDER BY c.code_pattern COLLATE "C"
     LIMIT 1;
    IF NOT FOUND THEN
        PERFORM ticket.raise_error('TK008', 'exemption % is not in the exemption catalogue on %',
                                   ARRAY[code, lower(NEW.valid)::text],
            hint => 'A code the region adds is a row of ticket.exemption_catalogue, with its rule in ticket.exemption_rule.');
    END IF;
    -- An unknown source is the table's CHECK (23514), after this.
    IF NOT NEW.source OPERATOR(pg_catalog.=) ANY (entry.grant_sources)
       AND NEW.source OPERATOR(pg_catalog.=) ANY ('{asl_certificate,mef_list,self_certification}'::text[]) THEN
        PERFORM ticket.raise_error('22023', 'exemption % is not granted from source %: its sources are %',
                                   ARRAY[code, NEW.source, pg_catalog.array_to_string(entry.grant_sources, ', ')]);
    END IF;
    IF entry.period OPERATOR(pg_catalog.=) 'fiscal_year' THEN
        -- 1 April to 31 March (§4.1; ../shared performance-reliability §5):
        -- the next 1 April after the start.
        next_april := make_date(extract(year FROM lower(NEW.valid) - interval '3 months')::integer + 1, 4, 1);
        last_day := next_april;
    ELSIF entry.period OPERATOR(pg_catalog.=) 'edition' THEN
        last_day := upper(entry.valid);     -- NULL for an edition without end
    END IF;
    IF last_day IS NOT NULL THEN
        IF upper_inf(NEW.valid) THEN
            NEW.valid := daterange(lower(NEW.valid), last_day);
        ELSIF upper(NEW.valid) > last_day THEN
            IF entry.family OPERATOR(pg_catalog.=) 'income' THEN
                PERFORM ticket.raise_error('22023', 'income exemption % runs at most to 31 March %: % asks until %',
                                           ARRAY[code, extract(year FROM next_april)::text,
                                                 NEW.valid::text, (upper(NEW.valid) - 1)::text],
                    hint => 'Grant the next year as a new row.');
            ELSE
                PERFORM ticket.raise_error('22023', 'exemption % runs at most to %: % asks until %',
                                           ARRAY[code, (last_day - 1)::text,
                                                 NEW.valid::text, (upper(NEW.valid) - 1)::text],
                    hint => 'Grant the next year or edition as a new row.');
            END IF;
        END IF;
    END IF;
    RETURN NEW;
END;
$$;

COMMENT ON FUNCTION registry.exemption_grant_before_insert() IS 'trigger: a living citizen; the code in ticket.exemption_catalogue on the first day (TK008), from one of its sources; a fiscal-year code ends by the next 1 April, an edition by the edition''s end (an open range is closed there); VOLATILE because it writes';

REVOKE ALL ON FUNCTION registry.exemption_grant_before_insert() FROM PUBLIC;

COMMENT ON FUNCTION ticket.exemption_in(cstring) IS 'input function of exemption: trims ASCII whitespace, folds case, accepts 1 to 6 letters and digits but an income band; 22P02 with the reason on invalid input; which codes exist is ticket.exemption_catalogue''s, at pricing';

COMMENT ON TYPE ticket.exemption IS 'exemption code (codice di esenzione): 1 to 6 letters and digits, not an income band; its family and the dates it exists are rows of ticket.exemption_catalogue, checked at pricing (TK008)';

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

COMMENT ON TYPE ticket.drug IS 'one fascia A drug line of a prescription, for ticket.price_drugs: its code, packs (NULL = 1), the price of the pack dispensed, the reference price of its class (NULL = none: no brand difference) and the prescriber''s not-substitutable mark (spares the difference only under a regime whose not_substitutable_spares_brand_difference is true; no shipped one: L. 405/2001 art. 7 c. 4)';

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
 WHERE regime_id = 'ER-2011-05-01' AND exemption IN ('G01', 'V02');
INSERT INTO ticket.exemption_rule (regime_id, exemption, family, coverage, spares_band_quota, spares_drugs, spares_er, note, shipped, covers_all_drugs, spares_brand_difference) VALUES
    ('ER-2011-05-01', 'G02', NULL, 'listed', false, true, false, 'war invalids cat. 6-8: as the invalidity family, related services (§4.3); no brand difference (§2.6, §9; S13 S46 S19)', true, false, true),
    ('ER-2011-05-01', 'V01', NULL, 'listed', false, true, false, 'victims of terrorism: as the invalidity family, related services (§4.3); no brand difference (§2.6, §9; S13 S46 S19)', true, false, true)
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

-- The audit triggers convert each row to jsonb once (OFFSET 0 keeps the
-- planner from copying to_jsonb into every use of it): issue 19, the main job.

CREATE OR REPLACE FUNCTION ticket.audit_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   ticket.audited_tables(),
                                   '{"AFTER STATEMENT INSERT"}');
    -- new_rows is a row of the extension's own table (the check above):
    -- to_jsonb runs no code of the caller's.
    INSERT INTO ticket.audit_log (table_name, operation, row_key, new_row)
    SELECT TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, 'INSERT', CASE WHEN strpos(TG_ARGV[0], ',') = 0 THEN n.r ->> TG_ARGV[0] ELSE ticket.audit_key(n.r, TG_ARGV[0]) END, n.r
      FROM (SELECT to_jsonb(x) AS r FROM new_rows x OFFSET 0) n;   -- OFFSET 0: one to_jsonb a row, not one per use
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION ticket.audit_delete() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   ticket.audited_tables(),
                                   '{"AFTER STATEMENT DELETE"}');
    INSERT INTO ticket.audit_log (table_name, operation, row_key, old_row)
    SELECT TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, 'DELETE', CASE WHEN strpos(TG_ARGV[0], ',') = 0 THEN o.r ->> TG_ARGV[0] ELSE ticket.audit_key(o.r, TG_ARGV[0]) END, o.r
      FROM (SELECT to_jsonb(x) AS r FROM old_rows x OFFSET 0) o;   -- OFFSET 0: one to_jsonb a row, not one per use
    RETURN NULL;
END;
$$;

-- Issue 19: the audit of an UPDATE turns into jsonb only the rows it records,
-- and pairs old and new rows by position (C), not by a join on the key.
CREATE FUNCTION ticket.audit_update_query(audit_arguments text[], paired boolean) RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $_$
DECLARE
    key_columns text[] := string_to_array(audit_arguments[1], ',');
    watched text[];
    alone text[];
    side text;
    row_key text[];
    changed text[];
    lean text[];
    pairs text;
BEGIN
    -- audit_arguments: the trigger's arguments (ticket.audit_update).  The
    -- statement reads pairs (o, n) of the table's rows, old and new, from
    -- the transition table audit_pairs that ticket.audit_update filled by
    -- position (paired; same: no watched column changed, byte for byte),
    -- or else from old_rows FULL JOIN new_rows on the key: a row whose key
    -- changed is recorded as the old row's DELETE and the new row's
    -- INSERT.  Watched columns (audit_arguments[2..]; none: any change
    -- counts): only the rows where one of them changed become jsonb,
    -- whole.  Columns marked '+' are recorded alone: a row where one of
    -- them changed, and no watched column, is a lean row, old_row and
    -- new_row holding just the key and those columns (a booking's
    -- re-pricing, audited at the cost of its bill, not of two whole rows).
    -- Key and columns compared as jsonb, as the rows are recorded: no
    -- operator of the table's types is evaluated.  The key's text is the
    -- one the whole row's jsonb gives (ticket.audit_key).
    SELECT coalesce(array_agg(a) FILTER (WHERE left(a, 1) <> '+'), '{}'),
           coalesce(array_agg(substr(a, 2)) FILTER (WHERE left(a, 1) = '+'), '{}')
      INTO watched, alone FROM unnest(audit_arguments[2:]) a;
    FOREACH side IN ARRAY '{o,n}'::text[] LOOP
        IF cardinality(key_columns) = 1 THEN
            row_key := row_key || format('to_jsonb((p.%s).%I) #>> ''{}''', side, key_columns[1]);
        ELSE
            row_key := row_key || (SELECT format('ticket.audit_key(jsonb_build_object(%s), %L)',
                                                 string_agg(format('%L, to_jsonb((p.%s).%I)', c, side, c), ', '),
                                                 audit_arguments[1])
                                     FROM unnest(key_columns) c);
        END IF;
        -- Any change counts: the whole row's jsonb, computed once.
        changed := changed || CASE WHEN cardinality(audit_arguments) = 1 THEN format('to_jsonb(p.%s)', side)
                                   ELSE coalesce((SELECT format('jsonb_build_array(%s)',
                                                                string_agg(format('(p.%s).%I', side, c), ', '))
                                                    FROM unnest(watched) c), '''[]''::jsonb') END;
        lean := lean || CASE WHEN cardinality(alone) = 0 THEN 'NULL::jsonb'
                             ELSE (SELECT format('jsonb_build_object(%s)',
                                                 string_agg(format('%L, (p.%s).%I', c, side, c), ', '))
                                     FROM unnest(key_columns || alone) c) END;
    END LOOP;
    pairs := CASE WHEN paired THEN 'audit_pairs p'
                  ELSE format('(SELECT o.t AS o, n.t AS n, false AS same
                                  FROM (SELECT t, %s AS k FROM old_rows t OFFSET 0) o
                                  FULL JOIN (SELECT t, %s AS k FROM new_rows t OFFSET 0) n ON n.k = o.k) p',
                              replace(row_key[1], '(p.o)', 't'), replace(row_key[2], '(p.n)', 't')) END;
    RETURN format('INSERT INTO ticket.audit_log (table_name, operation, row_key, old_row, new_row)
                   SELECT $1, CASE WHEN y.ok IS NULL THEN ''INSERT'' WHEN y.nk IS NULL THEN ''DELETE'' ELSE ''UPDATE'' END,
                          coalesce(y.nk, y.ok), CASE WHEN y.w THEN %s ELSE y.ol END, CASE WHEN y.w THEN %s ELSE y.nl END
                     FROM (SELECT x.*, (x.ok IS NULL OR x.nk IS NULL OR x.ow IS DISTINCT FROM x.nw) AS w
                             FROM (SELECT p.o, p.n, %s AS ok, %s AS nk, CASE WHEN NOT p.same THEN %s END AS ow,
                                          CASE WHEN NOT p.same THEN %s END AS nw, %s AS ol, %s AS nl
                                     FROM %s OFFSET 0) x
                           OFFSET 0) y
                    WHERE y.w OR y.ol IS DISTINCT FROM y.nl',
                  CASE WHEN cardinality(audit_arguments) = 1 THEN 'y.ow' ELSE 'to_jsonb(y.o)' END,
                  CASE WHEN cardinality(audit_arguments) = 1 THEN 'y.nw' ELSE 'to_jsonb(y.n)' END,
                  row_key[1], row_key[2], changed[1], changed[2], lean[1], lean[2], pairs);
END;
$_$;

COMMENT ON FUNCTION ticket.audit_update_query(audit_arguments text[], paired boolean) IS 'the INSERT into ticket.audit_log that ticket.audit_update runs for the arguments of an audit_update trigger: over the rows it paired by position (paired), or over old_rows FULL JOIN new_rows on the key; internal';

REVOKE ALL ON FUNCTION ticket.audit_update_query(audit_arguments text[], paired boolean) FROM PUBLIC;

CREATE OR REPLACE FUNCTION ticket.audit_update() RETURNS trigger
    LANGUAGE c SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS 'MODULE_PATHNAME', 'ticket_audit_update';

COMMENT ON FUNCTION ticket.audit_update() IS 'statement trigger: records the updated rows (old_rows, new_rows, paired by position when every pair has the same key, else joined on the key columns TG_ARGV[0]) whose watched columns (TG_ARGV[1..]; none: any) changed, whole, and as lean rows (the key and those columns) the rows where only columns marked ''+'' (recorded alone) changed: the statement of ticket.audit_update_query; VOLATILE because it writes';

--------------------------------------------------------------------------
-- Issue 18, the emergency room from May 2011 (§2.5, §9; S25 S26 S61): each
-- further consultant visit the PS doctor asks for costs 25.00 (S25; S13,
-- an older regional page, says 23.00: the Region's current page is taken)
-- and the exams PS prescribes are charged by tariff up to 36.15 a
-- prescription, both only with an access that pays: new item kinds
-- er_consultation and er_exam, and two amounts of the regime (NULL: no such
-- rule, as in ER-BASELINE, before DGR 389/2011).  And the prescriber's
-- "not substitutable" mark as a rule of the regime (§9 item 2: S13 S46
-- against L. 405/2001 art. 7 c. 4): false, the law's reading, in every
-- shipped regime.  Regimes an administrator added get NULL amounts (no
-- consultation or exam ticket) and false: the manual's "Upgrading" says so.
--------------------------------------------------------------------------

SET CONSTRAINTS ALL IMMEDIATE;
ALTER TABLE ticket.regime DISABLE TRIGGER audit_insert, DISABLE TRIGGER audit_update;

ALTER TABLE ticket.regime ADD COLUMN er_consultation numeric(8,2),
    ADD COLUMN er_exam_cap numeric(8,2),
    ADD COLUMN not_substitutable_spares_brand_difference boolean DEFAULT false NOT NULL,
    ADD CONSTRAINT regime_er_consultation_check CHECK ((er_consultation >= (0)::numeric)),
    ADD CONSTRAINT regime_er_exam_cap_check CHECK ((er_exam_cap >= (0)::numeric));
-- ticket_rules_admin updates every column of ticket.regime but status.
GRANT UPDATE(er_consultation, er_exam_cap, not_substitutable_spares_brand_difference)
    ON TABLE ticket.regime TO ticket_rules_admin;
COMMENT ON COLUMN ticket.regime.er_consultation IS 'emergency room: ticket of each further consultant visit the PS doctor asks for, charged only with an access that pays (from May 2011: 25.00, S25); NULL = no such ticket';
COMMENT ON COLUMN ticket.regime.er_exam_cap IS 'emergency room: the exams PS prescribes are charged by tariff up to this amount a prescription, only with an access that pays (from May 2011: 36.15, S25); NULL = no exam ticket';
COMMENT ON COLUMN ticket.regime.not_substitutable_spares_brand_difference IS 'true: a drug the prescriber marked not substitutable pays no brand difference (regional pages S13 S46, issue 18); false: it pays it (L. 405/2001 art. 7 c. 4), every shipped regime';
UPDATE ticket.regime SET er_consultation = 25.00, er_exam_cap = 36.15
 WHERE shipped AND regime_id IN ('ER-2011-05-01', 'ER-2011-08-29', 'ER-2012-02-01', 'ER-2019-01-01',
                                 'ER-2020-09-01', 'ER-2025-05-02');
UPDATE ticket.regime SET description = 'emergency room: white and green triage pay 25.00 an access, 25.00 a further consultation, PS exams up to 36.15 (S25 S26 S61; S13 23.00 not taken)'
 WHERE shipped AND regime_id = 'ER-2011-05-01';

ALTER TABLE ticket.regime ENABLE TRIGGER audit_insert, ENABLE TRIGGER audit_update;

ALTER TABLE ticket.service DROP CONSTRAINT service_kind_check;
ALTER TABLE ticket.service ADD CONSTRAINT service_kind_check CHECK ((kind = ANY (ARRAY['first_visit'::text, 'control_visit'::text, 'exam'::text, 'ct_mri'::text, 'ambulatory_surgery'::text, 'drug'::text, 'er_access'::text, 'er_consultation'::text, 'er_exam'::text])));
COMMENT ON COLUMN ticket.service.kind IS 'first_visit, control_visit, exam, ct_mri, ambulatory_surgery, drug, er_access, er_consultation or er_exam: which rule prices it';
COMMENT ON TYPE ticket.item IS 'one line of a prescription: kind is first_visit, control_visit, exam, ct_mri, ambulatory_surgery, drug, er_access, er_consultation (a further consultation asked for in the emergency room) or er_exam (an exam the emergency room prescribed)';

--------------------------------------------------------------------------
-- Issue 18, the exemption catalogue finished.
-- 1. The rows the region adds to ticket.exemption_catalogue (a municipal
--    code, a new edition of E99) and its changes reach the ASL nodes like
--    the other rule tables: published WHERE NOT shipped, the same row
--    triggers (queued, re-priced at the node, the node's rule caches
--    invalidated).  A region's existing ticket_asl_* publications gain the
--    table here; an existing ASL node gets its triggers enabled ALWAYS;
--    each ASL node then runs ALTER SUBSCRIPTION ... REFRESH PUBLICATION.
-- 2. An edit of the catalogue is a rule change: unpaid bookings re-priced
--    at commit (cup.rules_dirty, cup.reprice_after_rule_change), and a
--    change or deletion that would leave a grant in effect the catalogue
--    no longer allows is refused (23001,
--    ticket.exemption_catalogue_keeps_grants).
-- 3. ticket.check_consistency() reports the grants the catalogue does not
--    allow (exemption_grant_catalogue, ticket.exemption_grant_problems);
--    this update says how many there are.
--------------------------------------------------------------------------

CREATE FUNCTION ticket.exemption_grant_problems(code_patterns text[] DEFAULT NULL::text[]) RETURNS TABLE(grant_id bigint, problem text)
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $_$
    -- What registry.exemption_grant_before_insert checks of a new grant,
    -- over every day a grant is in effect (issue 18): the code held by a
    -- row of ticket.exemption_catalogue on each day, the first day's row
    -- allowing the source, the span within that row's period (fiscal year:
    -- to the next 1 April; edition: to the row's end).  Set-wise: the
    -- patterns are matched once per distinct code, the days the catalogue
    -- holds it computed once, then joined to the grants by hash.
    WITH codes AS MATERIALIZED (
        SELECT k.exemption, ticket.text(k.exemption) AS code
          FROM (SELECT DISTINCT g.exemption FROM registry.exemption_grant g) k
         WHERE $1 IS NULL OR ticket.text(k.exemption) OPERATOR(pg_catalog.~) ANY ($1)),
    code_rows AS MATERIALIZED (
        SELECT k.exemption, c.code_pattern, c.valid, c.period, c.grant_sources
          FROM codes k JOIN ticket.exemption_catalogue c ON k.code OPERATOR(pg_catalog.~) c.code_pattern),
    held AS MATERIALIZED (
        SELECT k.exemption, k.code,
               coalesce((SELECT pg_catalog.range_agg(r.valid) FROM code_rows r
                          WHERE r.exemption OPERATOR(ticket.=) k.exemption),
                        '{}'::pg_catalog.datemultirange) AS days
          FROM codes k),
    g AS MATERIALIZED (
        SELECT g.grant_id, g.exemption, h.code, g.effective, g.source,
               pg_catalog.datemultirange(g.effective) OPERATOR(pg_catalog.-) h.days AS missing
          FROM registry.exemption_grant g JOIN held h ON h.exemption OPERATOR(ticket.=) g.exemption
         WHERE NOT pg_catalog.isempty(g.effective)),
    first_row AS (
        SELECT DISTINCT ON (g.grant_id) g.grant_id, r.period, r.grant_sources, r.valid
          FROM g JOIN code_rows r ON r.exemption OPERATOR(ticket.=) g.exemption
                                 AND r.valid OPERATOR(pg_catalog.@>) pg_catalog.lower(g.effective)
         ORDER BY g.grant_id, r.code_pattern COLLATE "C"),
    checked AS (
        SELECT g.grant_id, g.code, g.effective, g.source, g.missing,
               f.period, f.grant_sources,
               CASE f.period
                 WHEN 'fiscal_year' THEN pg_catalog.make_date(
                     extract(year FROM pg_catalog.lower(g.effective) - interval '3 months')::integer + 1, 4, 1)
                 WHEN 'edition' THEN pg_catalog.upper(f.valid)
               END AS until
          FROM g LEFT JOIN first_row f ON f.grant_id OPERATOR(pg_catalog.=) g.grant_id),
    judged AS (
        SELECT c.grant_id,
               CASE
                 WHEN NOT pg_catalog.isempty(c.missing)
                   THEN pg_catalog.format('exemption %s is not in the exemption catalogue on the days %s (in effect %s)',
                                          c.code, c.missing, c.effective)
                 WHEN NOT c.source OPERATOR(pg_catalog.=) ANY (c.grant_sources)
                   THEN pg_catalog.format('exemption %s is not granted from source %s: its sources are %s',
                                          c.code, c.source, pg_catalog.array_to_string(c.grant_sources, ', '))
                 WHEN c.until IS NOT NULL
                      AND (pg_catalog.upper_inf(c.effective) OR pg_catalog.upper(c.effective) OPERATOR(pg_catalog.>) c.until)
                   THEN pg_catalog.format('exemption %s (%s) runs at most to %s: in effect %s',
                                          c.code, c.period, c.until - 1, c.effective)
               END AS problem
          FROM checked c)
    SELECT j.grant_id, j.problem FROM judged j WHERE j.problem IS NOT NULL ORDER BY j.grant_id
$_$;

COMMENT ON FUNCTION ticket.exemption_grant_problems(code_patterns text[]) IS 'the grants in effect (of the codes matching one of code_patterns; NULL: every grant) that ticket.exemption_catalogue does not allow, with why in English: the code not held on some of its days, a source not among the first day''s row''s, a span beyond its fiscal year or edition (ticket.check_consistency, the catalogue''s edits, the update to 1.3)';

REVOKE ALL ON FUNCTION ticket.exemption_grant_problems(code_patterns text[]) FROM PUBLIC;

CREATE FUNCTION ticket.exemption_catalogue_keeps_grants() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    stranded bigint;
    first_grant bigint;
    problem text;
    patterns text[];
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{ticket.exemption_catalogue}',
                                   '{"AFTER STATEMENT UPDATE","AFTER STATEMENT DELETE"}');
    -- A change of the catalogue may not leave a grant in effect that it no
    -- longer allows (issue 18): pricing a day the code is not held is
    -- TK008, so every booking of the holder on that day could no longer be
    -- priced.  Only the grants of the codes the changed rows match are
    -- read (an insert only adds days: no trigger).  The grants are ended
    -- first (registry.revoke_exemption), in the same transaction.
    patterns := ARRAY(SELECT o.code_pattern FROM old_rows o);
    IF TG_OP OPERATOR(pg_catalog.=) 'UPDATE' THEN   -- a DELETE has no new_rows
        patterns := patterns OPERATOR(pg_catalog.||) ARRAY(SELECT n.code_pattern FROM new_rows n);
    END IF;
    SELECT count(*), min(p.grant_id), (array_agg(p.problem ORDER BY p.grant_id))[1]
      INTO stranded, first_grant, problem
      FROM ticket.exemption_grant_problems(patterns) p;
    IF stranded OPERATOR(pg_catalog.>) 0 THEN
        PERFORM ticket.raise_error('23001', 'this change of ticket.exemption_catalogue leaves % grants in effect that it does not allow; grant %: %',
                                   ARRAY[stranded::text, first_grant::text, problem],
            hint => 'End those grants first (registry.revoke_exemption from the day the catalogue ends them), in the same transaction; ticket.check_consistency() lists them as exemption_grant_catalogue.');
    END IF;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION ticket.exemption_catalogue_keeps_grants() IS 'trigger: refuses a change or deletion of catalogue rows that leaves a grant in effect the catalogue no longer allows (23001: its code not held on one of its days, its source, its span), so that no booking of its holder is stranded unpriceable; VOLATILE because it guards writes';

REVOKE ALL ON FUNCTION ticket.exemption_catalogue_keeps_grants() FROM PUBLIC;

CREATE OR REPLACE FUNCTION cup.rules_dirty() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{ticket.exemption_rule,ticket.exemption_scope,ticket.regime,
                                     ticket.regime_band,ticket.service,ticket.exemption_catalogue}',
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

CREATE OR REPLACE FUNCTION cup.reprice_after_rule_change() RETURNS trigger
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

CREATE OR REPLACE FUNCTION cup.queue_replicated() RETURNS trigger
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

CREATE OR REPLACE FUNCTION cup.apply_replicated() RETURNS trigger
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

CREATE OR REPLACE FUNCTION ticket.become_asl_node(asl_code text) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    t regclass;
BEGIN
    PERFORM ticket.refuse_long_text('ticket.become_asl_node', 'asl_code', asl_code, 16);
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
                             'ticket.exemption_scope', 'ticket.service',
                             'ticket.exemption_catalogue']::regclass[] LOOP
        EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER replica_queue, ENABLE ALWAYS TRIGGER replica_apply,'
                       ' ENABLE ALWAYS TRIGGER rules_replicated', t);
    END LOOP;
    EXECUTE 'ALTER TABLE ticket.nre_region ENABLE ALWAYS TRIGGER rules_replicated';
    EXECUTE 'ALTER TABLE ticket.priority_class ENABLE ALWAYS TRIGGER rules_replicated';
END;
$$;

COMMENT ON FUNCTION ticket.become_asl_node(asl_code text) IS 'makes this database the CUP node of an ASL: records it in ticket.node and enables ALWAYS the row triggers that re-price its bookings when replicated changes arrive (run it before CREATE SUBSCRIPTION, and again after a restore); VOLATILE because it changes the database';

REVOKE ALL ON FUNCTION ticket.become_asl_node(asl_code text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION ticket.create_asl_publication(asl_code text) RETURNS name
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    publication name := ('ticket_asl_' || asl_code)::name;
BEGIN
    PERFORM ticket.refuse_long_text('ticket.create_asl_publication', 'asl_code', asl_code, 16);
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
        ' ticket.priority_class WHERE (NOT shipped),'
        ' ticket.public_holiday WHERE (NOT shipped), ticket.missed_appointment_rule WHERE (NOT shipped),'
        ' ticket.exemption_catalogue WHERE (NOT shipped)'
        ' WITH (publish = ''insert, update, delete'')',
        publication, asl_code);
    RETURN publication;
END;
$$;

COMMENT ON FUNCTION ticket.create_asl_publication(asl_code text) IS 'at the region: creates the publication ticket_asl_<code> an ASL node subscribes to (its residents, every declaration, grant and prescription, the GPs, the rules, holidays and exemption codes the region added) and returns its name; VOLATILE because it creates an object';

REVOKE ALL ON FUNCTION ticket.create_asl_publication(asl_code text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION ticket.check_consistency() RETURNS TABLE(invariant text, subject text, detail text)
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $_$
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
     WHERE (b.status IN ('paid', 'done') OR (b.status = 'missed' AND b.paid_amount IS NOT NULL)) AND b.paid_amount IS DISTINCT FROM b.amount;

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
             ON ev.kind IN ('booked', 'moved', 'repriced', 'paid', 'cancelled', 'done', 'missed')
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

    -- Every grant in effect is one the exemption catalogue allows on each
    -- of its days (issue 18): grants recorded before 1.3 were never checked
    -- against it, and pricing a day it does not hold the code is TK008.
    RETURN QUERY
    SELECT 'exemption_grant_catalogue', 'grant ' || p.grant_id, p.problem
      FROM ticket.exemption_grant_problems() p;

    -- An ASL node: nothing left in the queue of replicated changes.
    RETURN QUERY
    SELECT 'replica_queue', coalesce(q.fiscal_code::text, 'rules'), 'replicated change not re-priced: ' || q.cause
      FROM cup.replica_queue q;
END;
$_$;

COMMENT ON FUNCTION ticket.check_consistency() IS 'one row per violated invariant of the network (prices of unpaid bookings, payments, FSE profiles, prescription boxes, declaration overlaps, deaths, fiscal codes, events, grants the exemption catalogue does not allow; on an ASL node the FSE profiles and registry events are the region''s and not checked); empty on a healthy database';

REVOKE ALL ON FUNCTION ticket.check_consistency() FROM PUBLIC;

CREATE TRIGGER keeps_grants_delete AFTER DELETE ON ticket.exemption_catalogue REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.exemption_catalogue_keeps_grants();

CREATE TRIGGER keeps_grants_update AFTER UPDATE ON ticket.exemption_catalogue REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.exemption_catalogue_keeps_grants();

CREATE CONSTRAINT TRIGGER replica_apply AFTER INSERT OR DELETE OR UPDATE ON ticket.exemption_catalogue DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cup.apply_replicated();

ALTER TABLE ticket.exemption_catalogue DISABLE TRIGGER replica_apply;

CREATE TRIGGER replica_queue AFTER INSERT OR DELETE OR UPDATE ON ticket.exemption_catalogue FOR EACH ROW EXECUTE FUNCTION cup.queue_replicated();

ALTER TABLE ticket.exemption_catalogue DISABLE TRIGGER replica_queue;

CREATE CONSTRAINT TRIGGER reprice_bookings AFTER INSERT OR DELETE OR UPDATE ON ticket.exemption_catalogue DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cup.reprice_after_rule_change();

CREATE TRIGGER rules_dirty BEFORE INSERT OR DELETE OR UPDATE ON ticket.exemption_catalogue FOR EACH ROW EXECUTE FUNCTION cup.rules_dirty();

CREATE TRIGGER rules_replicated AFTER INSERT OR DELETE OR UPDATE ON ticket.exemption_catalogue FOR EACH ROW EXECUTE FUNCTION ticket.rules_changed();

ALTER TABLE ticket.exemption_catalogue DISABLE TRIGGER rules_replicated;

DO $catalogue_network$
DECLARE
    publication name;
BEGIN
    FOR publication IN SELECT p.pubname FROM pg_catalog.pg_publication p
                        WHERE p.pubname OPERATOR(pg_catalog.~) '^ticket_asl_'
    LOOP
        EXECUTE pg_catalog.format('ALTER PUBLICATION %I ADD TABLE ticket.exemption_catalogue WHERE (NOT shipped)',
                                  publication);
    END LOOP;
    IF ticket.node_role() OPERATOR(pg_catalog.=) 'asl' THEN
        ALTER TABLE ticket.exemption_catalogue ENABLE ALWAYS TRIGGER replica_queue,
            ENABLE ALWAYS TRIGGER replica_apply, ENABLE ALWAYS TRIGGER rules_replicated;
    END IF;
END;
$catalogue_network$;

-- Grants recorded before 1.3 were never checked against the catalogue:
-- say how many it does not allow (nothing if none), for the DBA to revoke
-- (manual, "Upgrading").
DO $catalogue_grants$
DECLARE
    problems bigint;
BEGIN
    SELECT count(*) INTO problems FROM ticket.exemption_grant_problems();
    IF problems OPERATOR(pg_catalog.>) 0 THEN
        RAISE WARNING 'ticket 1.3: % exemption grant(s) in effect not allowed by ticket.exemption_catalogue (pricing their days may fail with TK008)', problems
            USING HINT = 'SELECT * FROM ticket.check_consistency() WHERE invariant = ''exemption_grant_catalogue'' lists them; end each with registry.revoke_exemption.';
    END IF;
END;
$catalogue_grants$;

-- Issue 19: the re-pricing of a booking is audited, by the table's audit
-- trigger, as a lean row (the key and the bill: '+' columns), whoever
-- writes it; the internal re-pricing of a booked booking skips the
-- row trigger booking_before_update (its WHEN), which would return it.
DROP TRIGGER audit_update ON cup.booking;
CREATE TRIGGER audit_update AFTER UPDATE ON cup.booking REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_update('booking_id', 'status', 'service_date', 'paid_amount', 'paid_at', 'payment_channel', 'cancelled_at', '+bill', '+amount', '+priced_at');
DROP TRIGGER booking_before_update ON cup.booking;
CREATE TRIGGER booking_before_update BEFORE UPDATE ON cup.booking FOR EACH ROW WHEN (((current_setting('ticket.internal_write'::text, true) IS DISTINCT FROM 'on'::text) OR (old.status <> 'booked'::text) OR (ROW(new.booking_id, new.nre, new.fiscal_code, new.booked_at) IS DISTINCT FROM ROW(old.booking_id, old.nre, old.fiscal_code, old.booked_at)))) EXECUTE FUNCTION cup.booking_before_update();

--------------------------------------------------------------------------
-- The batch of 1 April set-based (issue 19): a statement's new declarations
-- close their predecessors in one UPDATE, after the statement
-- (declaration_close_previous), not one UPDATE per row; so the rows are
-- inserted before their predecessors are closed and declaration_no_overlap
-- is checked at commit.  The unique index declaration_one_current, which
-- cannot be deferred, goes: declaration_no_overlap already allows one open
-- declaration per citizen; a plain partial index keeps the look-up.  The
-- closing passes declaration_history by its WHEN (no function call per
-- closed row); deletions get their own trigger, declaration_no_delete.
ALTER TABLE registry.declaration DROP CONSTRAINT declaration_no_overlap;
ALTER TABLE ONLY registry.declaration
    ADD CONSTRAINT declaration_no_overlap EXCLUDE USING gist (((fiscal_code)::text) WITH =, valid WITH &&) DEFERRABLE INITIALLY DEFERRED;

COMMENT ON CONSTRAINT declaration_no_overlap ON registry.declaration IS 'no two declarations of a citizen overlap, so at most one is current (open ranges always overlap); checked at commit: a statement''s new rows are inserted before its trigger declaration_close_previous closes their predecessors';

DROP INDEX registry.declaration_one_current;
CREATE INDEX declaration_current_idx ON registry.declaration USING btree (fiscal_code) WHERE (valid_until IS NULL);

CREATE OR REPLACE FUNCTION registry.declaration_before_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    patient registry.citizen;
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
    -- An assignment, not PERFORM: PL/pgSQL evaluates it without the executor.
    patient := registry.lock_citizen(NEW.fiscal_code, NEW.applies_from, 'declaration');
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
    RETURN NEW;
END;
$$;

COMMENT ON FUNCTION registry.declaration_before_insert() IS 'trigger: a living citizen, an entitled declarant (TK011), a band the regime defines (TK004), the citizen locked; the statement trigger declaration_close_previous (registry.declarations_close) closes the previous declaration; VOLATILE because it writes';

REVOKE ALL ON FUNCTION registry.declaration_before_insert() FROM PUBLIC;

CREATE FUNCTION registry.declarations_close() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    refused record;
    was_internal boolean;
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{registry.declaration}',
                                   '{"AFTER STATEMENT INSERT"}');
    -- One UPDATE for the whole statement (the 1 April batch is 100,000 rows
    -- in one INSERT): each new row closes its predecessor, the citizen's
    -- previous row of this statement in the order the statement produced
    -- them, or for the citizen's first row the declaration current before
    -- the statement.  Until this runs the new rows overlap their
    -- predecessors: declaration_no_overlap is checked at commit.
    -- The row trigger declaration_before_insert has locked each citizen;
    -- this trigger (declaration_close_previous) fires before
    -- declarations_propagate, triggers of one event firing in name order.
    was_internal := ticket.internal_write(true);
    -- EXECUTE: planned for each statement's rows, as cup.booking_events: a
    -- plan kept from a big statement (a hash join) read all of
    -- registry.declaration twice for each later single declaration.
    EXECUTE $q$
    WITH new_rows AS MATERIALIZED (
        SELECT n.declaration_id, n.fiscal_code, n.applies_from,
               row_number() OVER () AS position      -- the order of production
          FROM new_declarations n
    ), in_statement AS (
        SELECT r.position, r.fiscal_code, r.applies_from,
               lag(r.declaration_id) OVER citizen_rows AS previous_id,
               lag(r.applies_from) OVER citizen_rows AS previous_from,
               array_agg(r.declaration_id) OVER citizen AS citizen_new_ids
          FROM new_rows r
        WINDOW citizen AS (PARTITION BY r.fiscal_code),
               citizen_rows AS (citizen ORDER BY r.position)
    ), closing AS (
        -- A citizen's first row closes the declaration current before the
        -- statement: declaration_no_overlap leaves one open besides the
        -- statement's own, found by one probe of declaration_current_idx
        -- (OFFSET 0: a look-up per row, never joined as a whole).  No row
        -- of the statement is compared with the others, whatever the
        -- estimates: the semi-join against the statement's rows it
        -- replaces became, planned for one row, a scan of them for each
        -- row (issue 19: 523 million comparisons of fiscal codes in a
        -- 50,000-citizen replay, a third of its time).
        SELECT s.position, s.fiscal_code, s.applies_from,
               coalesce(s.previous_id, c.declaration_id) AS closed_id,
               coalesce(s.previous_from, c.applies_from) AS closed_from
          FROM in_statement s
          LEFT JOIN LATERAL (
                SELECT d.declaration_id, d.applies_from
                  FROM registry.declaration d
                 WHERE s.previous_id IS NULL
                   AND d.fiscal_code = s.fiscal_code AND d.valid_until IS NULL
                   AND d.declaration_id <> ALL (s.citizen_new_ids)
                OFFSET 0
          ) c ON true
    ), closed AS (
        UPDATE registry.declaration d SET valid_until = x.applies_from
          FROM closing x
         WHERE d.declaration_id = x.closed_id AND x.closed_from <= x.applies_from
    )
    -- History is not rewritten: the first row, in the statement's order,
    -- that would apply before its predecessor fails the statement.
    SELECT x.fiscal_code, x.applies_from, x.closed_from
      FROM closing x
     WHERE x.closed_from > x.applies_from
     ORDER BY x.position LIMIT 1
    $q$ INTO refused;
    was_internal := ticket.internal_write(was_internal);
    IF refused.fiscal_code IS NOT NULL THEN         -- EXECUTE does not set FOUND
        PERFORM ticket.raise_error('TK012', 'a declaration for % from % would apply before the current one (from %)',
                                   ARRAY[refused.fiscal_code::text, refused.applies_from::text, refused.closed_from::text],
            hint => 'History is not rewritten: declare from the current one''s date or later.');
    END IF;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION registry.declarations_close() IS 'trigger: after an insert of declarations (statement), each new one closes its predecessor (valid_until = its applies_from) in one UPDATE; TK012 for one that would apply before it; VOLATILE because it writes';

REVOKE ALL ON FUNCTION registry.declarations_close() FROM PUBLIC;

CREATE OR REPLACE FUNCTION registry.declarations_propagate() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{registry.declaration}',
                                   '{"AFTER STATEMENT INSERT"}');
    -- The cause's events first, then its consequences' (from propagate).
    INSERT INTO ticket.event (kind, subject, fiscal_code, payload)
    SELECT 'declaration', n.declaration_id::text, n.fiscal_code,
           jsonb_build_object('band', n.band::text, 'applies_from', n.applies_from,
                              'declarant', n.declarant::text, 'channel', n.channel)
      FROM new_declarations n ORDER BY n.declaration_id;
    INSERT INTO fse.event (fiscal_code, kind, detail)
    SELECT n.fiscal_code, 'declaration',
           jsonb_build_object('declaration_id', n.declaration_id, 'band', n.band::text,
                              'applies_from', n.applies_from, 'channel', n.channel)
      FROM new_declarations n ORDER BY n.declaration_id;
    -- A citizen whose new declarations all declare the band of the one they
    -- close changes status on no date (80 % of the 1 April batch): NULL for
    -- the date of the change, so that registry.propagate refreshes the
    -- profile (it names the declaration) and re-prices nothing.  The one
    -- they close is the citizen's only older declaration ending on the day
    -- the first new one applies from; with two or more (one closed on the
    -- day it began) or none, the change counts as a change.  Window
    -- functions and one look-up per row: no join of the statement's rows,
    -- whatever the size of the statement the kept plan was made for.
    PERFORM registry.propagate(array_agg(s.fiscal_code),
                               array_agg(CASE WHEN s.band = ALL (s.citizen_bands)
                                                   AND closed.count = 1 AND closed.same_band
                                              THEN NULL ELSE s.applies_from END),
                               array_agg(s.known_on), 'declaration')
       FROM (SELECT n.fiscal_code, n.band, n.applies_from, ticket.local_day(n.signed_at) AS known_on,
                    min(n.applies_from) OVER citizen AS first_from,
                    array_agg(n.band) OVER citizen AS citizen_bands,
                    array_agg(n.declaration_id) OVER citizen AS citizen_new_ids
               FROM new_declarations n
             WINDOW citizen AS (PARTITION BY n.fiscal_code)) s
       CROSS JOIN LATERAL (
             SELECT count(*) AS count, bool_and(d.band = s.band) AS same_band
               FROM registry.declaration d
              WHERE d.fiscal_code = s.fiscal_code AND d.valid_until = s.first_from
                AND d.declaration_id <> ALL (s.citizen_new_ids)
             OFFSET 0) closed;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION registry.declarations_propagate() IS 'trigger: new declarations reach the FSE, the prescriptions and the bookings (nothing re-priced for a citizen whose band they leave as it was); FSE events and outbox events; VOLATILE because it writes';

REVOKE ALL ON FUNCTION registry.declarations_propagate() FROM PUBLIC;

CREATE FUNCTION registry.lock_citizen_in_full(citizen ticket.fiscal_code, on_date date, what text) RETURNS registry.citizen
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    locked registry.citizen;
    remembered text;
BEGIN
    -- registry.lock_citizen (C) takes the usual way; here come the citizens
    -- it found without a lock row, unknown or deceased.  An UPDATE, not
    -- SELECT FOR UPDATE: under REPEATABLE READ a concurrent committed write
    -- about the same citizen must be a serialization failure, and only a
    -- changed row version makes it one.
    UPDATE registry.citizen_lock l SET revision = l.revision + 1
      FROM registry.citizen c
     WHERE l.fiscal_code = citizen AND c.fiscal_code = citizen
    RETURNING c.* INTO locked;
    IF NOT FOUND THEN
        PERFORM FROM registry.citizen c WHERE c.fiscal_code = citizen;
        IF NOT FOUND THEN
            PERFORM ticket.raise_error('23503', 'citizen % is not in the registry', ARRAY[citizen::text],
                hint => CASE what
                            WHEN 'booking' THEN 'Register the citizen in registry.citizen before the booking.'
                            WHEN 'declaration' THEN 'Register the citizen in registry.citizen before the declaration.'
                            WHEN 'exemption' THEN 'Register the citizen in registry.citizen before the exemption.'
                            WHEN 'payment' THEN 'Register the citizen in registry.citizen before the payment.'
                            WHEN 'prescription' THEN 'Register the citizen in registry.citizen before the prescription.'
                            WHEN 'revocation' THEN 'Register the citizen in registry.citizen before the revocation.'
                            ELSE 'Register the citizen in registry.citizen before the %.'
                        END,
                hint_args => ARRAY[coalesce(what, '')]);  -- a NULL what: nothing, as format() gave
        END IF;
        INSERT INTO registry.citizen_lock AS l VALUES (citizen, 1)
            ON CONFLICT (fiscal_code) DO UPDATE SET revision = l.revision + 1;
        SELECT * INTO locked FROM registry.citizen c WHERE c.fiscal_code = citizen;
    END IF;
    IF locked.death_date <= on_date THEN
        IF what IN ('booking', 'declaration', 'exemption', 'payment', 'prescription', 'revocation') THEN
            PERFORM ticket.raise_error('TK010',
                CASE what
                    WHEN 'booking' THEN 'citizen % died on %: no booking on %'
                    WHEN 'declaration' THEN 'citizen % died on %: no declaration on %'
                    WHEN 'exemption' THEN 'citizen % died on %: no exemption on %'
                    WHEN 'payment' THEN 'citizen % died on %: no payment on %'
                    WHEN 'prescription' THEN 'citizen % died on %: no prescription on %'
                    WHEN 'revocation' THEN 'citizen % died on %: no revocation on %'
                END,
                ARRAY[citizen::text, locked.death_date::text, on_date::text]);
        END IF;
        PERFORM ticket.raise_error('TK010', 'citizen % died on %: no % on %',
                                   ARRAY[citizen::text, locked.death_date::text, what, on_date::text]);
    END IF;
    -- Held until the transaction ends; a setting of the transaction (undone
    -- with it, or with a rolled-back savepoint) remembers whose.
    remembered := set_config('ticket.locked_citizen', citizen::text, true);
    RETURN locked;
END;
$$;

COMMENT ON FUNCTION registry.lock_citizen_in_full(citizen ticket.fiscal_code, on_date date, what text) IS 'registry.lock_citizen''s way for the unusual cases (1.3): creates a missing lock row, refuses unknown citizens (23503) and the deceased (TK010), else takes the lock and returns the citizen; VOLATILE because it updates the lock row';

REVOKE ALL ON FUNCTION registry.lock_citizen_in_full(citizen ticket.fiscal_code, on_date date, what text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION registry.lock_citizen(citizen ticket.fiscal_code, on_date date, what text) RETURNS registry.citizen
    LANGUAGE c
    AS 'MODULE_PATHNAME', 'ticket_lock_citizen';

COMMENT ON FUNCTION registry.lock_citizen(citizen ticket.fiscal_code, on_date date, what text) IS 'takes the citizen''s lock row for a write about them (serialising such writes) and returns the citizen, refusing unknown citizens (23503) and the deceased (TK010) through registry.lock_citizen_in_full, which also creates a missing lock row (C from 1.3: every row trigger of the registry and the bookings calls it); VOLATILE because it updates the lock row';

REVOKE ALL ON FUNCTION registry.lock_citizen(citizen ticket.fiscal_code, on_date date, what text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION registry.refuse_history_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{fse.prescription,registry.declaration,registry.exemption_grant}',
                                   '{"BEFORE ROW UPDATE","BEFORE ROW DELETE"}');
    IF TG_OP = 'DELETE' THEN
        PERFORM ticket.raise_error('TK018', '%.% rows are history: they cannot be deleted',
                                   ARRAY[TG_TABLE_SCHEMA::text, TG_TABLE_NAME::text], hint => TG_ARGV[0]);
    END IF;
    -- A declaration's closing (the network's own write of valid_until
    -- alone) never reaches here: declaration_history's WHEN lets it through.
    IF TG_TABLE_NAME = 'exemption_grant' THEN  -- (NEW.grant_id exists only there)
        IF (NEW.grant_id, NEW.fiscal_code, NEW.exemption, NEW.valid, NEW.source, NEW.granted_at)
           IS NOT DISTINCT FROM
           (OLD.grant_id, OLD.fiscal_code, OLD.exemption, OLD.valid, OLD.source, OLD.granted_at)
           AND OLD.revoked_on IS NULL AND NEW.revoked_on IS NOT NULL THEN
            PERFORM registry.lock_citizen(NEW.fiscal_code, '-infinity', 'revocation');
            NEW.revoked_at := coalesce(NEW.revoked_at, now());
            RETURN NEW;
        END IF;
    END IF;
    PERFORM ticket.raise_error('TK018', '%.% rows are history: they cannot be changed',
                               ARRAY[TG_TABLE_SCHEMA::text, TG_TABLE_NAME::text], hint => TG_ARGV[0]);
END;
$$;

COMMENT ON FUNCTION registry.refuse_history_change() IS 'trigger: declarations never change (their closing by the next one passes declaration_history''s WHEN, not this function); grants only by one revocation; neither is deleted (TK018); VOLATILE because it guards writes';

REVOKE ALL ON FUNCTION registry.refuse_history_change() FROM PUBLIC;

CREATE TRIGGER declaration_close_previous AFTER INSERT ON registry.declaration REFERENCING NEW TABLE AS new_declarations FOR EACH STATEMENT EXECUTE FUNCTION registry.declarations_close();

DROP TRIGGER declaration_history ON registry.declaration;
CREATE TRIGGER declaration_history BEFORE UPDATE ON registry.declaration FOR EACH ROW WHEN (((current_setting('ticket.internal_write'::text, true) IS DISTINCT FROM 'on'::text) OR (ROW(new.declaration_id, new.fiscal_code, new.band, new.declarant, new.channel, new.operator, new.signed_at, new.applies_from, new.income_year) IS DISTINCT FROM ROW(old.declaration_id, old.fiscal_code, old.band, old.declarant, old.channel, old.operator, old.signed_at, old.applies_from, old.income_year)))) EXECUTE FUNCTION registry.refuse_history_change('Record a new declaration instead (registry.self_certify).');

CREATE TRIGGER declaration_no_delete BEFORE DELETE ON registry.declaration FOR EACH ROW EXECUTE FUNCTION registry.refuse_history_change('Record a new declaration instead (registry.self_certify).');

--------------------------------------------------------------------------
-- The batch of 1 April (issue 19): no search for profiles to delete after
-- a new declaration or grant, which never leaves a citizen without one.
CREATE OR REPLACE FUNCTION registry.propagate(citizens ticket.fiscal_code[], from_dates date[], known_dates date[], cause text) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
DECLARE
    was_internal boolean := ticket.internal_write(true);
BEGIN
    -- from_dates: the day from which each citizen's status changed; NULL
    -- when it changed on no day (a declaration of the band of the one it
    -- closes): the profile is refreshed, no prescription or booking looked at.
    -- FSE profile: what the registry says now; none for a citizen left with
    -- neither a declaration nor an exemption (only a revocation leaves one
    -- so: a new declaration or grant never does, and the search is a pass
    -- over every citizen's profile for nothing).
    IF cause NOT IN ('declaration', 'exemption_granted') THEN
        DELETE FROM fse.profile p
         USING (SELECT DISTINCT u.fiscal_code FROM unnest(citizens) AS u(fiscal_code)) c
         WHERE p.fiscal_code = c.fiscal_code
           AND NOT EXISTS (SELECT 1 FROM fse.profile_expected e WHERE e.fiscal_code = c.fiscal_code);
    END IF;
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
