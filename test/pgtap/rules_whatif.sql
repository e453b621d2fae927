-- test/pgtap/rules_whatif.sql
--
-- Issue 18: the what-if of a rules administrator.  As a login that is a
-- member of ticket_rules_admin only, the manual's guide "Enacting a new
-- decree" step by step on its data: ticket.draft_regime copies a regime
-- into a draft, the draft's rows are edited, ticket.simulate gives per band
-- the bookings, their bills, their bills under the draft and the difference
-- (checked against an independent computation of the fixture's bills), the
-- draft prices no real booking (the date look-up, a new booking, the
-- deferred re-pricing trigger all ignore it; its inconsistent rules break
-- nobody's prices), ticket.enact_regime re-prices the unpaid bookings of its
-- period and leaves paid and earlier ones, with audit rows and events, and
-- ticket.discard_regime deletes a draft only.  Every other shipped role, and
-- PUBLIC, is refused (42501) each function.
--
-- Assumes CREATE EXTENSION ticket CASCADE and pgtap.  Run: pg_prove -d DB test/pgtap/

\set ON_ERROR_STOP 1
BEGIN;
\ir ../fixtures/birthplaces.sql
SET search_path = ticket, public;

SELECT plan(49);

--------------------------------------------------------------------------
-- The data of the guide (as in the manual), written by the superuser.
--------------------------------------------------------------------------
\o /dev/null
INSERT INTO registry.gp (gp_code, fiscal_code, surname, given_name, asl_code)
VALUES ('GP0002', ticket.fiscal_code_encode('Neri', 'Paola', 'F', '1966-06-01', 'F257'),
        'Neri', 'Paola', '080104');
CREATE TEMPORARY TABLE patient AS
SELECT i, ticket.fiscal_code_encode('Verdi', 'Paolo', 'M', date '1945-03-10' + 365 * i, 'F257') AS fiscal_code,
       date '1945-03-10' + 365 * i AS birth_date,
       (ARRAY['{89.7}', '{88.74.1}', '{89.52,89.50}', '{90.27.1,90.62.2}'])[1 + i % 4]::text[] AS services
  FROM generate_series(1, 40) AS i;
INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace,
                              residence_asl, gp_code)
SELECT fiscal_code, 'Verdi', 'Paolo', 'M', birth_date, 'F257', '080104', 'GP0002' FROM patient;
INSERT INTO registry.declaration (fiscal_code, band, declarant, channel, applies_from, signed_at)
SELECT fiscal_code, CASE WHEN i % 3 = 0 THEN 'QM' ELSE 'QB' END, fiscal_code, 'revenue_agency',
       '2019-01-01', '2018-12-20'
  FROM patient;
INSERT INTO registry.exemption_grant (fiscal_code, exemption, valid, source)
-- E02 is self-certified, never from the MEF list (issue 18, §3.5 S33-S35)
SELECT fiscal_code, 'E02', '[2026-04-01,)', 'self_certification' FROM patient WHERE i % 10 = 3;
INSERT INTO fse.prescription (nre, fiscal_code, gp_code, prescribed_on, priority, services)
SELECT '080B26' || lpad(i::text, 9, '0'), fiscal_code, 'GP0002', date '2026-01-05' + 7 * i, 'D', services
  FROM patient;
INSERT INTO cup.booking (nre, service_date)
SELECT nre, prescribed_on + 20 FROM fse.prescription WHERE nre LIKE '080B26%';
SELECT count(*) AS paid
  FROM cup.booking b, cup.pay(b.booking_id, paid_at => b.service_date) WHERE b.nre LIKE '080B26%';
SELECT count(*) AS done FROM cup.booking b, cup.complete(b.booking_id) WHERE b.nre LIKE '080B26%';
INSERT INTO fse.prescription (nre, fiscal_code, gp_code, prescribed_on, priority, services)
SELECT '080B27' || lpad(i::text, 9, '0'), fiscal_code, 'GP0002', '2026-11-20', 'P', services
  FROM patient WHERE i <= 10;
INSERT INTO cup.booking (nre, service_date)
SELECT '080B27' || lpad(i::text, 9, '0'), date '2027-01-10' + i FROM generate_series(1, 10) AS i;
-- Not in the guide: one January booking is paid before the decree.
SELECT cup.pay(booking_id) FROM cup.booking WHERE nre = '080B27000000009';
\o

-- The login of the guide: a rules administrator, nothing else.
CREATE ROLE whatif_admin LOGIN IN ROLE ticket_rules_admin;
SELECT coalesce(max(audit_id), 0) AS audit0, (SELECT coalesce(max(event_id), 0) FROM ticket.event) AS event0
  FROM ticket.audit_log \gset
CREATE TEMPORARY TABLE before_decree AS
SELECT booking_id, service_date, status, bill, amount FROM cup.booking;
GRANT SELECT ON before_decree TO whatif_admin;

--------------------------------------------------------------------------
-- 2. The draft, and its edits.
--------------------------------------------------------------------------
SET LOCAL ROLE whatif_admin;
SELECT is(ticket.draft_regime('ER-2019-01-01', 'ER-2027-01-01', '2027-01-01'), 'ER-2027-01-01',
          'draft_regime: a rules administrator copies the 2019 regime into a draft from 2027');
-- A draft is a whole copy: every column of the regime, its bands and its
-- exemption rules but the name, the date, the description, the status and
-- shipped (a column added later is copied too, or these fail).  The 2025
-- regime has what the 1.3 corrections added (covers_all_drugs; the 2019
-- one, replaces).
SELECT ticket.draft_regime('ER-2025-05-02', 'COPY-CHECK-2025', '2030-01-01') \g /dev/null
SELECT ticket.draft_regime('ER-2019-01-01', 'COPY-CHECK-2019', '2030-01-01') \g /dev/null
SELECT is((SELECT count(*) FROM (
             (SELECT pg_catalog.to_jsonb(r) - '{regime_id,effective_from,description,status,shipped}'::text[]
                FROM ticket.regime r WHERE r.regime_id IN ('ER-2025-05-02', 'ER-2019-01-01')
              EXCEPT
              SELECT pg_catalog.to_jsonb(r) - '{regime_id,effective_from,description,status,shipped}'::text[]
                FROM ticket.regime r WHERE r.regime_id IN ('COPY-CHECK-2025', 'COPY-CHECK-2019'))
             UNION ALL
             (SELECT pg_catalog.to_jsonb(r) - '{regime_id,effective_from,description,status,shipped}'::text[]
                FROM ticket.regime r WHERE r.regime_id IN ('COPY-CHECK-2025', 'COPY-CHECK-2019')
              EXCEPT
              SELECT pg_catalog.to_jsonb(r) - '{regime_id,effective_from,description,status,shipped}'::text[]
                FROM ticket.regime r WHERE r.regime_id IN ('ER-2025-05-02', 'ER-2019-01-01'))) d),
          0::bigint, 'draft_regime copies every column of the regime row');
SELECT is((SELECT count(*) FROM (
             (SELECT pg_catalog.to_jsonb(b) - '{regime_id,shipped}'::text[]
                FROM ticket.regime_band b WHERE b.regime_id IN ('ER-2025-05-02', 'ER-2019-01-01')
              EXCEPT ALL
              SELECT pg_catalog.to_jsonb(b) - '{regime_id,shipped}'::text[]
                FROM ticket.regime_band b WHERE b.regime_id IN ('COPY-CHECK-2025', 'COPY-CHECK-2019'))
             UNION ALL
             (SELECT pg_catalog.to_jsonb(b) - '{regime_id,shipped}'::text[]
                FROM ticket.regime_band b WHERE b.regime_id IN ('COPY-CHECK-2025', 'COPY-CHECK-2019')
              EXCEPT ALL
              SELECT pg_catalog.to_jsonb(b) - '{regime_id,shipped}'::text[]
                FROM ticket.regime_band b WHERE b.regime_id IN ('ER-2025-05-02', 'ER-2019-01-01'))) d),
          0::bigint, 'draft_regime copies every column of the bands (replaces among them)');
SELECT is((SELECT count(*) FROM (
             (SELECT pg_catalog.to_jsonb(e) - '{regime_id,shipped}'::text[]
                FROM ticket.exemption_rule e WHERE e.regime_id IN ('ER-2025-05-02', 'ER-2019-01-01')
              EXCEPT ALL
              SELECT pg_catalog.to_jsonb(e) - '{regime_id,shipped}'::text[]
                FROM ticket.exemption_rule e WHERE e.regime_id IN ('COPY-CHECK-2025', 'COPY-CHECK-2019'))
             UNION ALL
             (SELECT pg_catalog.to_jsonb(e) - '{regime_id,shipped}'::text[]
                FROM ticket.exemption_rule e WHERE e.regime_id IN ('COPY-CHECK-2025', 'COPY-CHECK-2019')
              EXCEPT ALL
              SELECT pg_catalog.to_jsonb(e) - '{regime_id,shipped}'::text[]
                FROM ticket.exemption_rule e WHERE e.regime_id IN ('ER-2025-05-02', 'ER-2019-01-01'))) d),
          0::bigint, 'draft_regime copies every column of the exemption rules (covers_all_drugs among them)');
SELECT ticket.discard_regime('COPY-CHECK-2025') \g /dev/null
SELECT ticket.discard_regime('COPY-CHECK-2019') \g /dev/null
UPDATE ticket.regime
   SET legal_reference = 'draft DGR (2026), modelled on DGR 2075 of 3 December 2018',
       description = 'QB/QM bands again; quota 20.00 for QM'
 WHERE regime_id = 'ER-2027-01-01';
UPDATE ticket.regime_band SET quota = 20.00 WHERE regime_id = 'ER-2027-01-01' AND band::text = 'QM';
SELECT results_eq(
    $$SELECT r.status, r.effective_from, r.default_band::text, r.specialist_cap, r.first_visit, r.shipped
        FROM ticket.regime r WHERE r.regime_id = 'ER-2027-01-01'$$,
    $$VALUES ('draft'::text, date '2027-01-01', 'QM'::text, 36.15::numeric(8,2), 23.00::numeric(8,2), false)$$,
    'the draft is the 2019 regime''s copy, status draft, not shipped');
SELECT results_eq(
    $$SELECT band::text, income_range::text, quota FROM ticket.regime_band
       WHERE regime_id = 'ER-2027-01-01' ORDER BY band$$,
    $$VALUES ('QB', '[0,100000.00]', 0.00::numeric(8,2)), ('QM', '(100000.00,)', 20.00)$$,
    'its bands are copied, and the administrator edits them');
SELECT is((SELECT count(*) FROM ticket.exemption_rule WHERE regime_id = 'ER-2027-01-01'),
          (SELECT count(*) FROM ticket.exemption_rule WHERE regime_id = 'ER-2019-01-01'),
          'its exemption rules are copied');

--------------------------------------------------------------------------
-- A draft prices no real booking.
--------------------------------------------------------------------------
SELECT is(ticket.regime_for('2027-01-15'), 'ER-2025-05-02', 'the date look-up ignores the draft');
SELECT is((ticket.price(ARRAY['88.74.1'], NULL, NULL, '2027-03-01')).regime, 'ER-2025-05-02',
          'ticket.price on a date of the draft prices under the regime in force');
SELECT ok(coalesce(current_setting('ticket.reprice_pending', true), '') IN ('', 'off'),
          'the draft''s rows mark nothing to re-price');
RESET ROLE;
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
INSERT INTO fse.prescription (nre, fiscal_code, gp_code, prescribed_on, priority, services)
SELECT '080B27000000099', fiscal_code, 'GP0002', '2026-11-21', 'P', '{88.74.1}' FROM patient WHERE i = 3;
SELECT booking_id AS new_booking FROM cup.book('080B27000000099', '2027-01-25') \gset
SELECT is((SELECT count(*) FROM cup.booking b JOIN before_decree o USING (booking_id)
            WHERE b.bill IS DISTINCT FROM o.bill), 0::bigint,
          'the deferred re-pricing of the rule changes leaves every booking as it was');
SELECT is((SELECT (bill).regime FROM cup.booking WHERE booking_id = :new_booking), 'ER-2025-05-02',
          'a booking made while the draft exists is priced by the regime in force');
-- Independent of the engine: the fixture's bookings of 2026 were priced by
-- ER-2025-05-02 (no bands); the draft charges the same but for the QM
-- quota, 20.00 on a prescription that is not visits only and whose
-- tariffs exceed 10.00, unless an exemption covers it (E02, from April
-- 2026).  Everyone has declared QB or QM, which the draft defines.
CREATE TEMPORARY TABLE expected_2026 AS
SELECT d.band::text AS band, count(*) AS bookings, sum(b.amount) AS current_total,
       sum(b.amount + CASE WHEN d.band = 'QM' AND g.fiscal_code IS NULL AND NOT t.visits_only
                                AND t.tariffs > 10.00 THEN 20.00 ELSE 0 END) AS draft_total
  FROM cup.booking b
  JOIN fse.prescription p ON p.nre = b.nre
  JOIN registry.declaration d ON d.fiscal_code = b.fiscal_code AND d.valid @> b.service_date
  LEFT JOIN registry.exemption_grant g ON g.fiscal_code = b.fiscal_code AND g.valid @> b.service_date
 CROSS JOIN LATERAL (SELECT sum(s.tariff) AS tariffs, bool_and(s.kind IN ('first_visit', 'control_visit')) AS visits_only
                       FROM unnest(p.services) AS c(code)
                       JOIN LATERAL (SELECT * FROM ticket.service s WHERE s.code = c.code AND s.effective_from <= b.service_date
                                      ORDER BY s.effective_from DESC LIMIT 1) s ON true) t
 WHERE b.status <> 'cancelled' AND b.service_date BETWEEN '2026-01-01' AND '2026-12-31'
 GROUP BY d.band;
GRANT SELECT ON expected_2026 TO whatif_admin;
SET LOCAL ROLE whatif_admin;

--------------------------------------------------------------------------
-- 3. The what-if.
--------------------------------------------------------------------------
SELECT results_eq(
    $$SELECT band::text, bookings, current_total, draft_total, difference
        FROM ticket.simulate('ER-2027-01-01', '2026-01-01', '2026-12-31')$$,
    $$SELECT band, bookings, current_total, draft_total, draft_total - current_total FROM expected_2026 ORDER BY band$$,
    'simulate: per band of the draft, the bookings of 2026, their bills, their bills under the draft, the difference');
SELECT results_eq(
    $$SELECT band::text, bookings, draft_total - current_total = difference FROM ticket.simulate('ER-2027-01-01', '2026-01-01', '2026-12-31')$$,
    $$VALUES ('QB', 27::bigint, true), ('QM', 13::bigint, true)$$,
    'the fixture: 27 QB bookings, 13 QM');
SELECT ok((SELECT sum(difference) > 0 FROM ticket.simulate('ER-2027-01-01', '2026-01-01', '2026-12-31')),
          'the draft''s quota shows (not the rules in force)');
SELECT is((SELECT sum(bookings) FROM ticket.simulate('ER-2027-01-01', '2027-01-01', '2027-12-31')),
          11::numeric, 'simulate over 2027: the eleven live bookings of January');
SELECT is((SELECT count(*) FROM ticket.regime WHERE regime_id = 'ER-2027-01-01' AND status = 'draft'), 1::bigint,
          'simulate leaves the draft a draft');

-- A draft whose rules contradict each other: its what-if is 22000, nobody
-- else's price is touched.
SELECT ticket.draft_regime('ER-2027-01-01', 'ER-2028-01-01', '2028-01-01') \g /dev/null
UPDATE ticket.regime_band SET income_range = '[0,200000]' WHERE regime_id = 'ER-2028-01-01' AND band = 'QB';
SELECT throws_ok($$SELECT * FROM ticket.simulate('ER-2028-01-01', '2026-01-01', '2026-12-31')$$, '22000', NULL,
                 'simulate of a draft with overlapping bands: 22000');
SELECT is((ticket.price(ARRAY['88.74.1'], NULL, NULL, '2028-03-01')).total, 36.15::numeric(8,2),
          'meanwhile the rules in force price as before');

--------------------------------------------------------------------------
-- Discarding.
--------------------------------------------------------------------------
SELECT lives_ok($$SELECT ticket.discard_regime('ER-2028-01-01')$$, 'discard_regime: a draft');
SELECT is((SELECT count(*) FROM ticket.regime WHERE regime_id = 'ER-2028-01-01')
          + (SELECT count(*) FROM ticket.regime_band WHERE regime_id = 'ER-2028-01-01')
          + (SELECT count(*) FROM ticket.exemption_rule WHERE regime_id = 'ER-2028-01-01'), 0::bigint,
          'the draft, its bands and its exemption rules are gone');
SELECT throws_ok($$SELECT ticket.discard_regime('ER-2019-01-01')$$, '55000',
                 'regime ER-2019-01-01 is enacted: it cannot be discarded', 'an enacted regime is not discarded (55000)');
SELECT throws_ok($$SELECT ticket.discard_regime('ER-2099')$$, 'P0002', 'regime ER-2099 does not exist',
                 'an unknown regime: P0002');
SELECT throws_ok($$SELECT ticket.enact_regime('ER-2025-05-02')$$, '55000', 'regime ER-2025-05-02 is already enacted',
                 'enact_regime of an enacted regime: 55000');
SELECT throws_ok($$SELECT ticket.draft_regime('ER-2099', 'ER-2029-01-01', '2029-01-01')$$, 'P0002', NULL,
                 'draft_regime of an unknown regime: P0002');
SELECT throws_ok($$SELECT ticket.simulate(repeat('x', 101), '2026-01-01', '2026-12-31')$$, '22001', NULL,
                 'a regime name past 100 characters: 22001');

--------------------------------------------------------------------------
-- Alternative drafts for one date: one date, one enacted regime.
--------------------------------------------------------------------------
SELECT lives_ok($$SELECT ticket.draft_regime('ER-2027-01-01', 'ER-2027-01-01-B', '2027-01-01')$$,
                'a second draft for the date of a draft (an alternative decree)');
SELECT lives_ok($$SELECT ticket.draft_regime('ER-2025-05-02', 'ER-2025-05-02-B', '2025-05-02')$$,
                'a draft for the date of an enacted regime');
SELECT is((SELECT sum(bookings) FROM ticket.simulate('ER-2027-01-01-B', '2027-01-01', '2027-12-31')),
          11::numeric, 'the alternative is simulated by its name');
SELECT throws_ok($$SELECT ticket.enact_regime('ER-2025-05-02-B')$$, '23505', NULL,
                 'a draft is not enacted on the date of an enacted regime (23505)');
SELECT throws_ok($$INSERT INTO ticket.regime (regime_id, effective_from, legal_reference, description)
                   VALUES ('ER-2025-05-02-C', '2025-05-02', 'none', 'a second enacted regime for one date')$$,
                 '23505', NULL, 'nor is a second enacted regime inserted for one date (23505)');
SELECT ticket.discard_regime('ER-2027-01-01-B'), ticket.discard_regime('ER-2025-05-02-B') \g /dev/null

--------------------------------------------------------------------------
-- The status changes through ticket.enact_regime only.
--------------------------------------------------------------------------
-- A draft put in force by hand would price bookings without the
-- re-pricing of enact_regime; an enacted regime set back to draft would
-- be deleted by discard_regime after pricing bookings.  The column is not
-- the administrator's to update (42501); the rest of the row is.
SELECT throws_ok($$UPDATE ticket.regime SET status = 'enacted' WHERE regime_id = 'ER-2027-01-01'$$, '42501', NULL,
                 'a draft is not enacted by an UPDATE of its status (42501)');
SELECT throws_ok($$UPDATE ticket.regime SET status = 'draft' WHERE regime_id = 'ER-2025-05-02'$$, '42501', NULL,
                 'an enacted regime is not made a draft by an UPDATE of its status (42501)');
SELECT lives_ok($$UPDATE ticket.regime SET description = 'QB/QM bands again; quota 20.00 for QM (annex pending)'
                   WHERE regime_id = 'ER-2027-01-01'$$,
                'the administrator still edits the draft''s other columns');

--------------------------------------------------------------------------
-- 4. Enacting.
--------------------------------------------------------------------------
INSERT INTO ticket.service (code, effective_from, description, branch, kind, tariff, synthetic, source)
VALUES ('87.43.1', '2027-01-01', 'X-ray of ribs, sternum, clavicle', 'radiology', 'exam', 30.50, true,
        'draft annex (invented for this guide)');
SELECT is(ticket.enact_regime('ER-2027-01-01'), 10::bigint,
          'enact_regime: the ten unpaid bookings from 1 January 2027 are re-priced');
SELECT is(ticket.regime_for('2027-01-15'), 'ER-2027-01-01', 'the regime is in force from its date');
RESET ROLE;
SELECT is((SELECT count(*) FROM cup.booking_expected
            WHERE status = 'booked' AND service_date >= '2027-01-01'
              AND (bill).regime = 'ER-2027-01-01' AND bill = expected_bill), 10::bigint,
          'the unpaid bookings of 2027 carry the bill of the new regime');
SELECT results_eq(
    $$SELECT b.bill = o.bill FROM cup.booking b JOIN before_decree o USING (booking_id)
       WHERE b.status IN ('paid', 'done') GROUP BY 1$$,
    $$VALUES (true)$$,
    'paid bookings, of 2026 and of January 2027, keep their bill');
SELECT results_eq(
    $$SELECT b.booking_id, o.amount, b.amount FROM cup.booking b JOIN before_decree o USING (booking_id)
       WHERE b.service_date >= '2027-01-01' AND b.status = 'booked' AND o.amount <> b.amount ORDER BY 1$$,
    $$SELECT b.booking_id, o.amount, o.amount + 20.00 FROM cup.booking b JOIN before_decree o USING (booking_id)
       JOIN registry.declaration d ON d.fiscal_code = b.fiscal_code AND d.band = 'QM'
      WHERE b.service_date >= '2027-01-01' AND b.status = 'booked' AND o.amount > 0 AND o.amount <> 23.00
      ORDER BY 1$$,
    'the QM patients'' unpaid exams of 2027 cost 20.00 more');
SELECT results_eq(
    $$SELECT row_key::bigint, acting_role = 'whatif_admin', session_role = current_user, old_row -> 'bill' ->> 'regime', new_row -> 'bill' ->> 'regime'
        FROM ticket.audit_log WHERE audit_id > $$ || :audit0 || $$ AND table_name = 'cup.booking' AND operation = 'UPDATE'
       ORDER BY 1$$,
    $$SELECT booking_id, true, true, 'ER-2025-05-02'::text, 'ER-2027-01-01'::text
        FROM cup.booking WHERE service_date >= '2027-01-01' AND status = 'booked' ORDER BY 1$$,
    'each re-priced booking is an audit row, old and new bill, by the administrator');
SELECT results_eq(
    $$SELECT operation, old_row ->> 'status', new_row ->> 'status', acting_role = 'whatif_admin' FROM ticket.audit_log
       WHERE audit_id > $$ || :audit0 || $$ AND table_name = 'ticket.regime' AND row_key = 'ER-2027-01-01'
       ORDER BY audit_id$$,
    $$VALUES ('INSERT', NULL, 'draft', true), ('UPDATE', 'draft', 'draft', true), ('UPDATE', 'draft', 'draft', true),
             ('UPDATE', 'draft', 'enacted', true)$$,
    'the regime''s draft, its two edits and its enactment are audited');
SELECT is((SELECT count(*) FROM ticket.event WHERE event_id > :event0 AND kind = 'repriced'
              AND payload ->> 'regime' = 'ER-2027-01-01'),
          (SELECT count(*) FROM cup.booking b JOIN before_decree o USING (booking_id)
            WHERE b.status = 'booked' AND b.amount <> o.amount),
          'a repriced event for each booking whose amount changed');
SELECT is_empty($$SELECT * FROM ticket.check_consistency()$$, 'the consistency check is empty after enacting');
SET CONSTRAINTS ALL IMMEDIATE;
SELECT is((SELECT count(*) FROM ticket.audit_log WHERE audit_id > :audit0 AND table_name = 'cup.booking'
              AND operation = 'UPDATE'), 10::bigint,
          'the deferred trigger has nothing left to re-price');
SET CONSTRAINTS ALL DEFERRED;
SET LOCAL ROLE whatif_admin;
SELECT throws_ok($$SELECT ticket.discard_regime('ER-2027-01-01')$$, '55000',
                 'regime ER-2027-01-01 is enacted: it cannot be discarded', 'once enacted, it cannot be discarded');
SELECT throws_ok($$UPDATE ticket.regime SET status = 'draft' WHERE regime_id = 'ER-2027-01-01'$$, '42501', NULL,
                 'nor set back to draft by hand (42501)');
SELECT is((SELECT status FROM ticket.regime WHERE regime_id = 'ER-2027-01-01'), 'enacted',
          'it stays enacted');
RESET ROLE;

--------------------------------------------------------------------------
-- Everybody else is refused.
--------------------------------------------------------------------------
CREATE ROLE whatif_nobody LOGIN;
CREATE FUNCTION pg_temp.refused_as(who text, call text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('SET LOCAL ROLE %I', who);
    BEGIN
        EXECUTE call;
    EXCEPTION WHEN OTHERS THEN
        RESET ROLE;
        RETURN SQLSTATE;
    END;
    RESET ROLE;
    RETURN 'ran';
END;
$$;
SELECT results_eq(
    $$SELECT r, c, pg_temp.refused_as(r, c) = '42501'
        FROM unnest(ARRAY['ticket_registry_operator', 'ticket_cup_operator', 'ticket_gp', 'ticket_fse_portal',
                          'ticket_auditor', 'ticket_pgaudit', 'ticket_library', 'ticket_event_consumer',
                          'whatif_nobody']) AS r
       CROSS JOIN unnest(ARRAY[$q$SELECT ticket.draft_regime('ER-2019-01-01', 'X-1', '2030-01-01')$q$,
                               $q$SELECT * FROM ticket.simulate('ER-2019-01-01', '2026-01-01', '2026-12-31')$q$,
                               $q$SELECT ticket.price_under('ER-2019-01-01', '{89.7}', NULL, NULL, '2026-01-01')$q$,
                               $q$SELECT ticket.enact_regime('ER-2019-01-01')$q$,
                               $q$SELECT ticket.discard_regime('ER-2019-01-01')$q$]) AS c
       ORDER BY 1, 2$$,
    $$SELECT r, c, true
        FROM unnest(ARRAY['ticket_registry_operator', 'ticket_cup_operator', 'ticket_gp', 'ticket_fse_portal',
                          'ticket_auditor', 'ticket_pgaudit', 'ticket_library', 'ticket_event_consumer',
                          'whatif_nobody']) AS r
       CROSS JOIN unnest(ARRAY[$q$SELECT ticket.draft_regime('ER-2019-01-01', 'X-1', '2030-01-01')$q$,
                               $q$SELECT * FROM ticket.simulate('ER-2019-01-01', '2026-01-01', '2026-12-31')$q$,
                               $q$SELECT ticket.price_under('ER-2019-01-01', '{89.7}', NULL, NULL, '2026-01-01')$q$,
                               $q$SELECT ticket.enact_regime('ER-2019-01-01')$q$,
                               $q$SELECT ticket.discard_regime('ER-2019-01-01')$q$]) AS c
       ORDER BY 1, 2$$,
    'every other shipped role, and PUBLIC, is refused each function of the what-if (42501)');
SELECT results_eq(
    $$SELECT p.proname = 'simulate', p.proname = 'price_under', bool_and(a.grantee = 'ticket_rules_admin'::regrole), count(*)
        FROM pg_proc p CROSS JOIN LATERAL aclexplode(p.proacl) a
       WHERE p.pronamespace = 'ticket'::regnamespace
         AND p.proname IN ('draft_regime', 'simulate', 'price_under', 'enact_regime', 'discard_regime')
         AND a.privilege_type = 'EXECUTE' AND a.grantee <> p.proowner
       GROUP BY p.oid, p.proname ORDER BY p.proname$$,
    $$VALUES (false, false, true, 1::bigint), (false, false, true, 1), (false, false, true, 1),
             (false, true, true, 1), (true, false, true, 1)$$,
    'EXECUTE is granted to ticket_rules_admin only');

SELECT * FROM finish();
ROLLBACK;
