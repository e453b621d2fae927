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
             registry.household_member, ticket.exemption_catalogue, ticket.exemption_rule, ticket.exemption_scope, ticket.nre_region,
             ticket.priority_class, ticket.regime, ticket.regime_band, ticket.role_binding,
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
    PERFORM registry.lock_citizen(NEW.fiscal_code, lower(NEW.valid), 'exemption');
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
