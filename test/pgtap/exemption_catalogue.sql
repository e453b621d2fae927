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

SELECT plan(31);

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

SELECT * FROM finish();
ROLLBACK;
