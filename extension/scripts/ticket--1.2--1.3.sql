/* extension/scripts/ticket--1.2--1.3.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION ticket UPDATE TO '1.3'" to load this file. \quit

--------------------------------------------------------------------------
-- 1.3: PostgreSQL 15, 17 and 18; failover slots; the rules of 2011-2025
-- as the December 2026 review corrected them; the rules administrator's
-- what-if.
--------------------------------------------------------------------------

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
