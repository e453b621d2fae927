-- test/pgtap/exemption_catalogue.sql
--
-- Issue 18, "Missing today": the exemption catalogue is data, and the
-- validity periods of exemptions (../shared/docs/ticket-rules.md §4.1, §4.2,
-- §9 items 3 and 4).  ticket.exemption accepts any code of the catalogue's
-- shape; a code ticket.exemption_catalogue does not hold on the service date
-- is TK008 at pricing and at granting; the catalogue dates the grants
-- (fiscal year 1 April - 31 March, E99 by edition), at their boundaries.
--
-- Assumes CREATE EXTENSION ticket CASCADE and pgtap.  Run: pg_prove -d DB test/pgtap/

\set ON_ERROR_STOP 1
BEGIN;
\ir ../fixtures/birthplaces.sql
SET search_path = ticket, public;

SELECT plan(46);

-- ---------- the type: the catalogue's shape, not the families ----------

-- T12 (2012 earthquake, §4.2 [U], §9 item 4) used to be refused by the type
-- itself ("T + 2 digits, not T01"): now it parses, and so does a code no row
-- holds; the catalogue answers at pricing.
SELECT is(ticket.text('t12'::ticket.exemption), 'T12', 'T12 parses (the type no longer knows the families)');
SELECT is(ticket.exemption_is_valid('E05'), true, 'E05 parses: the catalogue refuses it at pricing');
SELECT throws_ok($$SELECT 'RE1'::ticket.exemption$$, '22P02', NULL,
                 'an income band is still not an exemption (22P02)');
SELECT throws_ok($$SELECT 'T1-2'::ticket.exemption$$, '22P02', NULL,
                 'nor is a code of other characters');
SELECT is(ticket.exemption_family('T12'), 'regional', 'the family of T12 is the catalogue''s');
SELECT is(ticket.exemption_family('E05'), NULL, 'a code the catalogue does not hold has no family');

-- ---------- pricing: the catalogue on the service date ----------

-- T12 from 11 June 2012 [C S53]: visits and exams exempt (rule 'all').
SELECT throws_ok($$SELECT ticket.price(ARRAY['89.7'], 'RE2', ARRAY['T12']::ticket.exemption[], '2012-06-10')$$,
                 'TK008', 'exemption T12 is not in the exemption catalogue on 2012-06-10',
                 'T12 the day before the earthquake exemption began: TK008 [S53]');
SELECT is((ticket.price(ARRAY['89.7'], 'RE2', ARRAY['T12']::ticket.exemption[], '2012-06-11')).total, 0.00,
          'T12 on 11 June 2012: the visit is exempt [S53]');
SELECT throws_ok($$SELECT ticket.price(ARRAY['89.7'], NULL, ARRAY['E05']::ticket.exemption[], '2015-03-01')$$,
                 'TK008', 'exemption E05 is not in the exemption catalogue on 2015-03-01',
                 'a code no row holds: a clear error at pricing, not a parse error');
-- E99: the 2024-25 edition to 31 March 2025, the 2025-26 edition from
-- 15 September 2025 to 31 August 2026 [C S36, S33]; none in between.
SELECT is((ticket.price(ARRAY['89.7'], NULL, ARRAY['E99']::ticket.exemption[], '2025-03-31')).total, 0.00,
          'E99 on 31 March 2025, last day of the 2024-25 edition: exempt [S36]');
SELECT throws_ok($$SELECT ticket.price(ARRAY['89.7'], NULL, ARRAY['E99']::ticket.exemption[], '2025-04-01')$$,
                 'TK008', NULL, 'E99 on 1 April 2025: no edition (TK008) [S36]');
SELECT throws_ok($$SELECT ticket.price(ARRAY['89.7'], NULL, ARRAY['E99']::ticket.exemption[], '2025-09-14')$$,
                 'TK008', NULL, 'E99 on 14 September 2025: not yet the 2025-26 edition [S36]');
SELECT is((ticket.price(ARRAY['89.7'], NULL, ARRAY['E99']::ticket.exemption[], '2025-09-15')).total, 0.00,
          'E99 on 15 September 2025, first day of the 2025-26 edition: exempt [S36]');
SELECT is((ticket.price(ARRAY['89.7'], NULL, ARRAY['E99']::ticket.exemption[], '2026-08-31')).total, 0.00,
          'E99 on 31 August 2026, its last day: exempt [S36]');
SELECT throws_ok($$SELECT ticket.price(ARRAY['89.7'], NULL, ARRAY['E99']::ticket.exemption[], '2026-09-01')$$,
                 'TK008', NULL, 'E99 on 1 September 2026: the edition has ended [S36]');
SELECT throws_ok($$SELECT ticket.price_under('ER-2025-05-02', ARRAY['89.7'], NULL, ARRAY['E99']::ticket.exemption[], '2026-09-01')$$,
                 'TK008', NULL, 'the what-if prices with the same catalogue');

-- A municipal indigence exemption (§9 items 4 and 5: no code in the sources)
-- is expressible without changing a type: a local catalogue row and a rule.
INSERT INTO ticket.exemption_catalogue (code_pattern, family, valid, period, grant_sources, description, note)
VALUES ('^IC[0-9]{3}$', 'regional', '[2026-01-01,)', 'fiscal_year', '{asl_certificate}',
        'municipal indigence (a test code)', 'pgTAP: a code the region adds');
INSERT INTO ticket.exemption_rule (regime_id, exemption, family, coverage, spares_band_quota, spares_drugs, spares_er, note)
VALUES ('ER-2025-05-02', 'IC001', NULL, 'all', true, true, true, 'pgTAP: municipal indigence');
SELECT is((ticket.price(ARRAY['89.7'], NULL, ARRAY['IC001']::ticket.exemption[], '2026-01-01')).total, 0.00,
          'a code added as data is priced on its terms');
SELECT throws_ok($$SELECT ticket.price(ARRAY['89.7'], NULL, ARRAY['IC001']::ticket.exemption[], '2025-12-31')$$,
                 'TK008', NULL, '... and refused before its row begins');
SELECT throws_ok($$UPDATE ticket.exemption_catalogue SET valid = '(,)' WHERE code_pattern = '^T12$'$$,
                 'TK007', NULL, 'a shipped row of the catalogue cannot change');

-- ---------- grants: the periods of the catalogue ----------

INSERT INTO registry.gp (gp_code, fiscal_code, surname, given_name, asl_code)
VALUES ('GP001', ticket.fiscal_code_encode('Bianchi', 'Luca', 'M', '1960-02-03', 'F257'),
        'Bianchi', 'Luca', '080105');
INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl, gp_code)
VALUES (ticket.fiscal_code_encode('Rossi', 'Maria', 'F', '1970-05-01', 'A944'), 'Rossi', 'Maria', 'F',
        '1970-05-01', 'A944', '080105', 'GP001');
CREATE FUNCTION pg_temp.grant_(exemption text, valid_from date, valid_until date, source text)
RETURNS daterange LANGUAGE sql AS $$
    SELECT (registry.grant_exemption(ticket.fiscal_code_encode('Rossi', 'Maria', 'F', '1970-05-01', 'A944'),
                                     exemption::ticket.exemption, valid_from, source, valid_until,
                                     valid_from::timestamptz)).valid $$;

-- E02 is never from the MEF lists: self-certified [C S33, S34, S35].
SELECT throws_ok($$SELECT pg_temp.grant_('E02', '2022-04-01', NULL, 'mef_list')$$,
                 '22023', 'exemption E02 is not granted from source mef_list: its sources are asl_certificate, self_certification',
                 'E02 from the MEF list is refused');
SELECT is(pg_temp.grant_('E02', '2022-04-01', NULL, 'self_certification'), '[2022-04-01,2023-04-01)'::daterange,
          'E02 self-certified on 1 April: the fiscal year, to 31 March [S33, S35]');
SELECT is(pg_temp.grant_('E02', '2024-03-31', NULL, 'self_certification'), '[2024-03-31,2024-04-01)'::daterange,
          '... on 31 March: one day');
SELECT is(pg_temp.grant_('E02', '2024-04-01', '2025-04-01', 'self_certification'), '[2024-04-01,2025-04-01)'::daterange,
          '... to 31 March exactly: as asked');
SELECT throws_ok($$SELECT pg_temp.grant_('E02', '2025-04-01', '2026-04-02', 'self_certification')$$,
                 '22023', 'income exemption E02 runs at most to 31 March 2026: [2025-04-01,2026-04-02) asks until 2026-04-01',
                 '... one day past 31 March: refused');
-- E99 by edition [C S36].
SELECT is(pg_temp.grant_('E99', '2025-09-15', NULL, 'self_certification'), '[2025-09-15,2026-09-01)'::daterange,
          'E99 self-certified in the 2025-26 edition ends with it, 31 August 2026');
SELECT throws_ok($$SELECT pg_temp.grant_('E99', '2025-05-01', NULL, 'self_certification')$$,
                 'TK008', 'exemption E99 is not in the exemption catalogue on 2025-05-01',
                 'E99 between the editions cannot be granted');
SELECT is(pg_temp.grant_('E99', '2024-06-01', NULL, 'self_certification'), '[2024-06-01,2025-04-01)'::daterange,
          'E99 of the 2024-25 edition ends on 31 March 2025');
SELECT throws_ok($$SELECT pg_temp.grant_('E99', '2024-04-01', '2025-04-02', 'self_certification')$$,
                 '22023', 'exemption E99 runs at most to 2025-03-31: [2024-04-01,2025-04-02) asks until 2025-04-01',
                 '... and past it is refused');
-- FA2 by fiscal year since 2022 [C S29, S30, S48].
SELECT is(pg_temp.grant_('FA2', '2022-04-01', NULL, 'asl_certificate'), '[2022-04-01,2023-04-01)'::daterange,
          'FA2 from 1 April 2022 runs to 31 March 2023 [S48]');
SELECT is(pg_temp.grant_('FA2', '2021-05-01', '2022-04-01', 'asl_certificate'), '[2021-05-01,2022-04-01)'::daterange,
          'FA2 before the 2022 fiscal year: as granted');
SELECT throws_ok($$SELECT pg_temp.grant_('T12', '2012-06-10', NULL, 'asl_certificate')$$,
                 'TK008', NULL, 'T12 before 11 June 2012 cannot be granted [S53]');

-- ---------- editing the catalogue: the bookings and the grants ----------

-- A catalogue edit is a rule change (issue 18, item 2): at commit the
-- unpaid bookings are re-priced as the edited catalogue says.  IC002 has
-- no rule of its own; its row is 'regional' (ER-2025-05-02 has no family
-- rule for it: the visit is charged), then the region files it with the
-- income exemptions, whose family rule covers everything (§4.1).
SELECT is(pg_temp.grant_('IC002', '2026-09-01', NULL, 'asl_certificate'), '[2026-09-01,2027-04-01)'::daterange,
          'a municipal code granted: fiscal year, to 31 March (the row''s period)');
SELECT (fse.prescribe('080000000000901', ticket.fiscal_code_encode('Rossi', 'Maria', 'F', '1970-05-01', 'A944'),
                      'GP001', ARRAY['89.7'], NULL, '2026-09-15')).nre AS rx \gset
SELECT (cup.book(:'rx', '2026-10-05')).booking_id AS bk \gset
SELECT is((SELECT amount FROM cup.booking WHERE booking_id = :bk), (ticket.price(ARRAY['89.7'], NULL, '{}', '2026-10-05')).total,
          'IC002 in the regional family, no rule: the visit is charged');
-- (the re-pricing the rule rows above left pending done first: the edit's own is tested)
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT coalesce(max(event_id), 0) AS ev0 FROM ticket.event \gset
SELECT coalesce(max(audit_id), 0) AS au0 FROM ticket.audit_log \gset
UPDATE ticket.exemption_catalogue SET family = 'income' WHERE code_pattern = '^IC[0-9]{3}$';
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT is((SELECT amount FROM cup.booking WHERE booking_id = :bk), 0.00,
          'the catalogue edited: at commit the unpaid booking is re-priced (income family rule: all)');
SELECT results_eq(format($$SELECT kind, subject FROM ticket.event WHERE event_id > %s ORDER BY event_id$$, :ev0),
                  format($$VALUES ('repriced'::text, '%s'::text)$$, :bk),
                  '... with its repriced event');
SELECT results_eq(format($$SELECT table_name, operation, CASE WHEN table_name = 'cup.booking' THEN row_key END,
                                   (new_row ->> 'amount')::numeric
                              FROM ticket.audit_log WHERE audit_id > %s ORDER BY audit_id$$, :au0),
                  format($$VALUES ('ticket.exemption_catalogue'::text, 'UPDATE'::text, NULL::text, NULL::numeric),
                                  ('cup.booking', 'UPDATE', '%s', 0.00)$$, :bk),
                  '... and the edit audited, and the re-pricing at commit (since 1.3)');

-- An edit may not strand a grant (23001): closing the code before the
-- grant ends would make every day after it TK008 at pricing.  The grant is
-- ended first, in the same transaction; then the edit passes.
SELECT throws_ok($$UPDATE ticket.exemption_catalogue SET valid = '[2026-01-01,2026-12-01)' WHERE code_pattern = '^IC[0-9]{3}$'$$,
                 '23001', NULL, 'closing a code while a grant runs past the new end is refused');
SELECT throws_ok($$DELETE FROM ticket.exemption_catalogue WHERE code_pattern = '^IC[0-9]{3}$'$$,
                 '23001', NULL, '... and so is deleting its row');
SELECT throws_ok($$UPDATE ticket.exemption_catalogue SET grant_sources = '{self_certification}' WHERE code_pattern = '^IC[0-9]{3}$'$$,
                 '23001', NULL, '... or taking away the source a grant came from');
SELECT lives_ok($$SELECT registry.revoke_exemption(g.grant_id, '2026-12-01', 'the municipal measure ends')
                    FROM registry.exemption_grant g WHERE g.exemption = 'IC002'$$,
                'the grant ended on the new last day');
SELECT lives_ok($$UPDATE ticket.exemption_catalogue SET valid = '[2026-01-01,2026-12-01)' WHERE code_pattern = '^IC[0-9]{3}$'$$,
                '... then the code is closed');
SELECT is_empty($$SELECT * FROM ticket.exemption_grant_problems()$$, 'no grant the catalogue does not allow');

-- Grants recorded before 1.3 (or by the owner, bypassing the trigger) are
-- not checked at their insert: ticket.check_consistency reports them
-- (issue 18, item 3).  The kinds: a day the catalogue does not hold the code
-- (E99 between the editions, S36), a source its row does not allow (E02
-- from the MEF list, S33-S35), a span beyond the period (E02 past 31 March).
ALTER TABLE registry.exemption_grant DISABLE TRIGGER exemption_grant_before_insert;
INSERT INTO registry.exemption_grant (fiscal_code, exemption, valid, source, granted_at)
VALUES (ticket.fiscal_code_encode('Rossi', 'Maria', 'F', '1970-05-01', 'A944'), 'E99', '[2025-04-01,2025-09-15)', 'self_certification', '2025-04-01'),
       (ticket.fiscal_code_encode('Rossi', 'Maria', 'F', '1970-05-01', 'A944'), 'E02', '[2021-04-01,2022-04-01)', 'mef_list', '2021-04-01'),
       (ticket.fiscal_code_encode('Rossi', 'Maria', 'F', '1970-05-01', 'A944'), 'E02', '[2019-04-01,2020-06-01)', 'self_certification', '2019-04-01');
ALTER TABLE registry.exemption_grant ENABLE TRIGGER exemption_grant_before_insert;
SELECT results_eq($$SELECT c.detail FROM ticket.check_consistency() c
                     WHERE c.invariant = 'exemption_grant_catalogue'
                     ORDER BY substr(c.subject, 7)::bigint$$,
                  $$VALUES ('exemption E99 is not in the exemption catalogue on the days {[2025-04-01,2025-09-15)} (in effect [2025-04-01,2025-09-15))'),
                           ('exemption E02 is not granted from source mef_list: its sources are asl_certificate, self_certification'),
                           ('exemption E02 (fiscal_year) runs at most to 2020-03-31: in effect [2019-04-01,2020-06-01)')$$,
                  'check_consistency reports the grants the catalogue does not allow, with why');
SELECT is((SELECT count(*) FROM ticket.check_consistency() c
            WHERE c.invariant = 'exemption_grant_catalogue'
              AND c.subject = 'grant ' || (SELECT max(grant_id) FROM registry.exemption_grant)), 1::bigint,
          '... one row per grant, named by its id');
-- A revoked grant counts for the days it was in effect only: revoked from
-- its first day, the E99 grant is no longer reported.
SELECT lives_ok($$SELECT registry.revoke_exemption(g.grant_id, '2025-04-01', 'granted between the editions')
                    FROM registry.exemption_grant g WHERE g.exemption = 'E99' AND g.valid = '[2025-04-01,2025-09-15)'$$,
                'the E99 grant between the editions revoked from its first day');
SELECT is((SELECT count(*) FROM ticket.check_consistency() c WHERE c.invariant = 'exemption_grant_catalogue'), 2::bigint,
          '... is no longer reported');

SELECT * FROM finish();
ROLLBACK;
