-- test/pgtap/pricing_rules.sql
--
-- The tariff engine on hand-written prescriptions: every worked example of
-- /work/shared/docs/ticket-rules.md §2.7, the boundaries (income thresholds,
-- the 10.00 quota threshold, the 36.15 cap, 8 vs 9 services, the first and
-- last day of every regime), each exemption family, no band in each regime,
-- every error and its SQLSTATE, the protection of shipped rule rows and the
-- what-if recipe (a regime inserted and rolled back to a savepoint).
--
-- Most groups are tables of cases: one row, one test.  Every assertion is
-- is(), ok((...)), throws_ok(..., 'SQLSTATE', NULL, ...) or lives_ok(), so
-- that a mechanical mutation of the file (is -> isnt, ok((c)) -> ok(NOT (c)),
-- another SQLSTATE, lives_ok -> throws_ok) makes every test fail.
--
-- Assumes CREATE EXTENSION ticket and pgtap.  Run: pg_prove -d DB test/pgtap/

\set ON_ERROR_STOP 1
BEGIN;
SET search_path = ticket, public;

SELECT plan(229);

-- A bill as one line of text: total = base + quota; regime; band; exemption.
CREATE FUNCTION pg_temp.bill(b ticket.bill) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$ SELECT format('%s = %s + %s; %s; band %s; exemption %s', b.total, b.base, b.band_quota,
                    b.regime, coalesce(b.band::text, '-'), coalesce(b.exemption::text, '-')) $$;

-- An item of a prescription.
CREATE FUNCTION pg_temp.it(code text, kind text, branch text, tariff numeric, quantity int DEFAULT 1)
RETURNS ticket.item
LANGUAGE sql IMMUTABLE
AS $$ SELECT ROW(code, kind, branch, tariff, quantity)::ticket.item $$;

-- An exam of the laboratory with a given tariff.
CREATE FUNCTION pg_temp.exam(tariff numeric, quantity int DEFAULT 1) RETURNS ticket.item
LANGUAGE sql IMMUTABLE
AS $$ SELECT ROW('X-' || tariff, 'exam', 'laboratory', tariff, quantity)::ticket.item $$;

--------------------------------------------------------------------------
-- 1. The worked examples of §2.7 (and the manual's example)
--------------------------------------------------------------------------
SELECT is(pg_temp.bill(b), expected, label)
  FROM (VALUES
    ('§2.7 2011-18, RE3, ECG only (11.62): 11.62 + 10 = 21.62',
     ticket.price(ARRAY['89.52'], 'RE3', NULL, '2015-03-01'),
     '21.62 = 11.62 + 10.00; ER-2012-02-01; band RE3; exemption -'),
    ('§2.7 same, RE1: 11.62 + 0',
     ticket.price(ARRAY['89.52'], 'RE1', NULL, '2015-03-01'),
     '11.62 = 11.62 + 0.00; ER-2012-02-01; band RE1; exemption -'),
    ('§2.7 no declaration (over 100k), one lab test 3.00: no quota under 10',
     ticket.price(ARRAY['90.62.2'], NULL, NULL, '2015-03-01'),
     '3.00 = 3.00 + 0.00; ER-2012-02-01; band -; exemption -'),
    ('§2.7 RE2, ultrasound 45.00: min(45, 36.15) + 5 = 41.15',
     ticket.price(ARRAY['88.74.1'], 'RE2', NULL, '2015-03-01'),
     '41.15 = 36.15 + 5.00; ER-2012-02-01; band RE2; exemption -'),
    ('§2.7 any band, first visit only: 23.00 (RE1)',
     ticket.price(ARRAY['89.7'], 'RE1', NULL, '2015-03-01'),
     '23.00 = 23.00 + 0.00; ER-2012-02-01; band RE1; exemption -'),
    ('§2.7 any band, first visit only: 23.00 (RE2)',
     ticket.price(ARRAY['89.7'], 'RE2', NULL, '2015-03-01'),
     '23.00 = 23.00 + 0.00; ER-2012-02-01; band RE2; exemption -'),
    ('§2.7 any band, first visit only: 23.00 (RE3)',
     ticket.price(ARRAY['89.7'], 'RE3', NULL, '2015-03-01'),
     '23.00 = 23.00 + 0.00; ER-2012-02-01; band RE3; exemption -'),
    ('§2.7 any band, first visit only: 23.00 (no band)',
     ticket.price(ARRAY['89.7'], NULL, NULL, '2015-03-01'),
     '23.00 = 23.00 + 0.00; ER-2012-02-01; band -; exemption -'),
    ('§2.2 control visit only: 18.00',
     ticket.price(ARRAY['89.01'], 'RE3', NULL, '2015-03-01'),
     '18.00 = 18.00 + 0.00; ER-2012-02-01; band RE3; exemption -'),
    ('§2.7 RE2, MRI: fixed 50.00',
     ticket.price(ARRAY['88.91.1'], 'RE2', NULL, '2015-03-01'),
     '50.00 = 50.00 + 0.00; ER-2012-02-01; band RE2; exemption -'),
    ('§2.7 RE3, 2 packs fascia A (two codes): 2 x 2 = 4.00',
     ticket.price(ARRAY['A-0001', 'A-0002'], 'RE3', NULL, '2015-03-01'),
     '4.00 = 4.00 + 0.00; ER-2012-02-01; band RE3; exemption -'),
    ('§2.7 RE3, 2 packs fascia A (quantity 2): 4.00',
     ticket.price(ARRAY[pg_temp.it('A-0001', 'drug', 'pharmacy', 7.50, 2)], 'RE3', NULL, '2015-03-01'),
     '4.00 = 4.00 + 0.00; ER-2012-02-01; band RE3; exemption -'),
    ('§2.7 2019-Aug 2020, QM, exams 20.00: 20 + 15 = 35.00',
     ticket.price(ARRAY[pg_temp.exam(20.00)], 'QM', NULL, '2019-06-01'),
     '35.00 = 20.00 + 15.00; ER-2019-01-01; band QM; exemption -'),
    ('§2.7 2019-Aug 2020, FA2 child, first visit: exempt',
     ticket.price(ARRAY['89.7'], NULL, '{FA2}', '2019-06-01'),
     '0.00 = 0.00 + 0.00; ER-2019-01-01; band QM; exemption FA2'),
    ('§2.7 from Sept 2020, exams 50.00: min(50, 36.15)',
     ticket.price(ARRAY[pg_temp.exam(50.00)], NULL, NULL, '2020-10-01'),
     '36.15 = 36.15 + 0.00; ER-2020-09-01; band -; exemption -'),
    ('§2.7 from 2 May 2025, 2 packs fascia A: min(2 x 2.20, 4.00)',
     ticket.price(ARRAY[pg_temp.it('A-0001', 'drug', 'pharmacy', 7.50, 2)], NULL, NULL, '2025-06-01'),
     '4.00 = 4.00 + 0.00; ER-2025-05-02; band -; exemption -'),
    ('from 2 May 2025, 1 pack: 2.20',
     ticket.price(ARRAY['A-0002'], NULL, NULL, '2025-06-01'),
     '2.20 = 2.20 + 0.00; ER-2025-05-02; band -; exemption -'),
    ('manual: ultrasound, RE2, 2015-03-01 (catalogue codes and explicit items agree)',
     ticket.price(ARRAY[pg_temp.it('88.74.1', 'exam', 'radiology', 45.00)], 'RE2', NULL, '2015-03-01'),
     pg_temp.bill(ticket.price(ARRAY['88.74.1'], 'RE2', NULL, '2015-03-01')))
  ) AS t(label, b, expected);

--------------------------------------------------------------------------
-- 2. Income thresholds (income_band_for)
--------------------------------------------------------------------------
SELECT is(ticket.income_band_for(income, on_date)::text, expected,
          format('income_band_for(%s, %s) = %s', income, on_date, coalesce(expected, 'NULL')))
  FROM (VALUES
    (0.00,      date '2015-03-01', 'RE1'),
    (36152.00,  date '2015-03-01', 'RE1'),
    (36152.01,  date '2015-03-01', 'RE2'),
    (70000.00,  date '2015-03-01', 'RE2'),
    (70000.01,  date '2015-03-01', 'RE3'),
    (100000.00, date '2015-03-01', 'RE3'),
    (100000.01, date '2015-03-01', NULL),
    (36152.00,  date '2011-08-29', 'RE1'),
    (100000.01, date '2011-08-29', NULL),
    (70000.01,  date '2018-12-31', 'RE3'),
    (100000.01, date '2018-12-31', NULL),
    (36152.00,  date '2011-08-28', NULL),
    (0.00,      date '2019-01-01', 'QB'),
    (70000.01,  date '2019-01-01', 'QB'),
    (100000.00, date '2019-01-01', 'QB'),
    (100000.01, date '2019-01-01', 'QM'),
    (100000.00, date '2020-08-31', 'QB'),
    (100000.01, date '2020-08-31', 'QM'),
    (100000.00, date '2020-09-01', NULL),
    (20000.00,  date '2020-09-01', NULL),
    (20000.00,  date '2025-05-02', NULL)
  ) AS t(income, on_date, expected);

--------------------------------------------------------------------------
-- 3. The quota threshold, the cap, the number of services
--------------------------------------------------------------------------
SELECT is(pg_temp.bill(b), expected, label)
  FROM (VALUES
    ('tariffs exactly 10.00: no quota (RE3)',
     ticket.price(ARRAY[pg_temp.exam(10.00)], 'RE3', NULL, '2015-03-01'),
     '10.00 = 10.00 + 0.00; ER-2012-02-01; band RE3; exemption -'),
    ('tariffs 10.01: quota (RE3)',
     ticket.price(ARRAY[pg_temp.exam(10.01)], 'RE3', NULL, '2015-03-01'),
     '20.01 = 10.01 + 10.00; ER-2012-02-01; band RE3; exemption -'),
    ('two tariffs adding up to 10.00: no quota (no band, 2011)',
     ticket.price(ARRAY[pg_temp.exam(4.00), pg_temp.exam(6.00)], NULL, NULL, '2011-09-15'),
     '10.00 = 10.00 + 0.00; ER-2011-08-29; band -; exemption -'),
    ('two tariffs adding up to 10.01: quota 15 (no band, 2011)',
     ticket.price(ARRAY[pg_temp.exam(4.00), pg_temp.exam(6.01)], NULL, NULL, '2011-09-15'),
     '25.01 = 10.01 + 15.00; ER-2011-08-29; band -; exemption -'),
    ('quantity counts in the threshold: 2 x 5.01 = 10.02 (QM)',
     ticket.price(ARRAY[pg_temp.exam(5.01, 2)], 'QM', NULL, '2019-06-01'),
     '25.02 = 10.02 + 15.00; ER-2019-01-01; band QM; exemption -'),
    ('tariffs 10.01 in 2020: no quota any more',
     ticket.price(ARRAY[pg_temp.exam(10.01)], NULL, NULL, '2020-09-01'),
     '10.01 = 10.01 + 0.00; ER-2020-09-01; band -; exemption -'),
    ('tariffs 36.14: under the cap (RE2)',
     ticket.price(ARRAY[pg_temp.exam(36.14)], 'RE2', NULL, '2015-03-01'),
     '41.14 = 36.14 + 5.00; ER-2012-02-01; band RE2; exemption -'),
    ('tariffs exactly 36.15: the cap reached (RE2)',
     ticket.price(ARRAY[pg_temp.exam(36.15)], 'RE2', NULL, '2015-03-01'),
     '41.15 = 36.15 + 5.00; ER-2012-02-01; band RE2; exemption -'),
    ('tariffs 36.16: capped at 36.15, the quota on top (RE2)',
     ticket.price(ARRAY[pg_temp.exam(36.16)], 'RE2', NULL, '2015-03-01'),
     '41.15 = 36.15 + 5.00; ER-2012-02-01; band RE2; exemption -'),
    ('three tariffs adding up to 36.15 (2009: no quota)',
     ticket.price(ARRAY[pg_temp.exam(12.05), pg_temp.exam(12.05), pg_temp.exam(12.05)], NULL, NULL, '2009-06-01'),
     '36.15 = 36.15 + 0.00; ER-BASELINE; band -; exemption -'),
    ('8 services (8 ECG codes): allowed, capped',
     ticket.price(ARRAY['89.52', '89.52', '89.52', '89.52', '89.52', '89.52', '89.52', '89.52'], 'RE1', NULL, '2015-03-01'),
     '36.15 = 36.15 + 0.00; ER-2012-02-01; band RE1; exemption -'),
    ('8 services as 4 lines of quantity 2: allowed',
     ticket.price(ARRAY[pg_temp.exam(1.00, 2), pg_temp.exam(1.00, 2), pg_temp.exam(1.00, 2), pg_temp.exam(1.00, 2)], 'RE3', NULL, '2015-03-01'),
     '8.00 = 8.00 + 0.00; ER-2012-02-01; band RE3; exemption -'),
    ('drugs: packs are not services (20 packs, RE3: cap 4.00)',
     ticket.price(ARRAY[pg_temp.it('A-0001', 'drug', 'pharmacy', 7.50, 20)], 'RE3', NULL, '2015-03-01'),
     '4.00 = 4.00 + 0.00; ER-2012-02-01; band RE3; exemption -'),
    ('the largest total: 39,999 chargeable accesses x 25.00 = 999,975.00',
     ticket.price((SELECT array_agg(pg_temp.it('PS-WHITE', 'er_access', 'emergency', 0, CASE WHEN g = 40 THEN 999 ELSE 1000 END))
                     FROM generate_series(1, 40) g), NULL, NULL, '2015-03-01'),
     '999975.00 = 999975.00 + 0.00; ER-2012-02-01; band -; exemption -')
  ) AS t(label, b, expected);

SELECT throws_ok(sql, 'TK001', NULL, label)
  FROM (VALUES
    ('9 services (9 ECG codes): TK001',
     $q$SELECT ticket.price(ARRAY['89.52', '89.52', '89.52', '89.52', '89.52', '89.52', '89.52', '89.52', '89.52'], 'RE1', NULL, '2015-03-01')$q$),
    ('9 services as one line of quantity 9: TK001',
     $q$SELECT ticket.price(ARRAY[pg_temp.exam(1.00, 9)], 'RE1', NULL, '2015-03-01')$q$),
    ('9 services as 4 lines of 2 and one of 1: TK001',
     $q$SELECT ticket.price(ARRAY[pg_temp.exam(1.00, 2), pg_temp.exam(1.00, 2), pg_temp.exam(1.00, 2), pg_temp.exam(1.00, 2), pg_temp.exam(1.00)], 'RE1', NULL, '2015-03-01')$q$),
    ('9 visits in 2009: TK001',
     $q$SELECT ticket.price(ARRAY[pg_temp.it('89.7', 'first_visit', 'cardiology', 20.66, 9)], NULL, NULL, '2009-06-01')$q$),
    ('65 lines of drugs: TK001',
     $q$SELECT ticket.price((SELECT array_agg(pg_temp.it('A-0001', 'drug', 'pharmacy', 7.50)) FROM generate_series(1, 65)), NULL, NULL, '2015-03-01')$q$)
  ) AS t(label, sql);

--------------------------------------------------------------------------
-- 4. The first and the last day of each regime
--------------------------------------------------------------------------
SELECT is(ticket.regime_for(on_date), expected, format('regime_for(%s) = %s', on_date, expected))
  FROM (VALUES
    (date '2009-01-01', 'ER-BASELINE'),
    (date '2011-04-30', 'ER-BASELINE'),
    -- the emergency room by appropriateness from May 2011 (DGR 389/2011;
    -- ticket-rules §2.5, §9; S25 S26 S61): 1.2 had ER-BASELINE to 28 August
    (date '2011-05-01', 'ER-2011-05-01'),
    (date '2011-08-28', 'ER-2011-05-01'),
    (date '2011-08-29', 'ER-2011-08-29'),
    (date '2012-01-31', 'ER-2011-08-29'),
    (date '2012-02-01', 'ER-2012-02-01'),
    (date '2018-12-31', 'ER-2012-02-01'),
    (date '2019-01-01', 'ER-2019-01-01'),
    (date '2020-08-31', 'ER-2019-01-01'),
    (date '2020-09-01', 'ER-2020-09-01'),
    (date '2025-05-01', 'ER-2020-09-01'),
    (date '2025-05-02', 'ER-2025-05-02'),
    (date '2027-12-31', 'ER-2025-05-02')
  ) AS t(on_date, expected);

-- The same prescription on the last day of a regime and the first of the next.
SELECT is(pg_temp.bill(b), expected, label)
  FROM (VALUES
    ('2009-01-01, first day of ER-BASELINE: ECG 11.62',
     ticket.price(ARRAY['89.52'], NULL, NULL, '2009-01-01'),
     '11.62 = 11.62 + 0.00; ER-BASELINE; band -; exemption -'),
    -- ER-2011-05-01 (DGR 389/2011, S25 S26 S61) changed only the emergency
    -- room: the ECG of its last day costs what ER-BASELINE charged
    ('2011-08-28, last day before the bands (ER-2011-05-01): ECG without band, no quota',
     ticket.price(ARRAY['89.52'], NULL, NULL, '2011-08-28'),
     '11.62 = 11.62 + 0.00; ER-2011-05-01; band -; exemption -'),
    ('2011-08-29, first day of the bands: ECG without band, quota 15',
     ticket.price(ARRAY['89.52'], NULL, NULL, '2011-08-29'),
     '26.62 = 11.62 + 15.00; ER-2011-08-29; band -; exemption -'),
    ('2011-08-28: first visit by tariff (no fixed visit ticket yet)',
     ticket.price(ARRAY['89.7'], NULL, NULL, '2011-08-28'),
     '20.66 = 20.66 + 0.00; ER-2011-05-01; band -; exemption -'),
    ('2011-08-29: first visit fixed 23.00',
     ticket.price(ARRAY['89.7'], NULL, NULL, '2011-08-29'),
     '23.00 = 23.00 + 0.00; ER-2011-08-29; band -; exemption -'),
    ('2012-01-31: hammer toe (not cataract or carpal tunnel) by tariff, capped, quota',
     ticket.price(ARRAY['77.56'], NULL, NULL, '2012-01-31'),
     '51.15 = 36.15 + 15.00; ER-2011-08-29; band -; exemption -'),
    ('2012-02-01: hammer toe gets the fixed surgery ticket 46.15',
     ticket.price(ARRAY['77.56'], NULL, NULL, '2012-02-01'),
     '46.15 = 46.15 + 0.00; ER-2012-02-01; band -; exemption -'),
    ('2012-01-31: cataract already fixed 46.15',
     ticket.price(ARRAY['13.41'], 'RE1', NULL, '2012-01-31'),
     '46.15 = 46.15 + 0.00; ER-2011-08-29; band RE1; exemption -'),
    ('2012-01-31: rib X-ray at the old tariff 24.25',
     ticket.price(ARRAY['87.43.1'], 'RE1', NULL, '2012-01-31'),
     '24.25 = 24.25 + 0.00; ER-2011-08-29; band RE1; exemption -'),
    ('2012-02-01: rib X-ray at the new tariff 29.10',
     ticket.price(ARRAY['87.43.1'], 'RE1', NULL, '2012-02-01'),
     '29.10 = 29.10 + 0.00; ER-2012-02-01; band RE1; exemption -'),
    ('2018-12-31: FA2 not recognised, first visit 23.00',
     ticket.price(ARRAY['89.7'], NULL, '{FA2}', '2018-12-31'),
     '23.00 = 23.00 + 0.00; ER-2012-02-01; band -; exemption -'),
    ('2019-01-01: FA2 first visit free, default band QM',
     ticket.price(ARRAY['89.7'], NULL, '{FA2}', '2019-01-01'),
     '0.00 = 0.00 + 0.00; ER-2019-01-01; band QM; exemption FA2'),
    ('2020-08-31: ECG without band: QM, quota 15',
     ticket.price(ARRAY['89.52'], NULL, NULL, '2020-08-31'),
     '26.62 = 11.62 + 15.00; ER-2019-01-01; band QM; exemption -'),
    ('2020-09-01: ECG without band: no quota',
     ticket.price(ARRAY['89.52'], NULL, NULL, '2020-09-01'),
     '11.62 = 11.62 + 0.00; ER-2020-09-01; band -; exemption -'),
    ('2020-08-31: MRI without band: QM 70.00',
     ticket.price(ARRAY['88.91.1'], NULL, NULL, '2020-08-31'),
     '70.00 = 70.00 + 0.00; ER-2019-01-01; band QM; exemption -'),
    ('2020-09-01: MRI 36.15 for everyone',
     ticket.price(ARRAY['88.91.1'], NULL, NULL, '2020-09-01'),
     '36.15 = 36.15 + 0.00; ER-2020-09-01; band -; exemption -'),
    ('2025-05-01: 2 packs, no drug ticket',
     ticket.price(ARRAY['A-0001', 'A-0002'], NULL, NULL, '2025-05-01'),
     '0.00 = 0.00 + 0.00; ER-2020-09-01; band -; exemption -'),
    ('2025-05-02: 2 packs, 4.00',
     ticket.price(ARRAY['A-0001', 'A-0002'], NULL, NULL, '2025-05-02'),
     '4.00 = 4.00 + 0.00; ER-2025-05-02; band -; exemption -'),
    ('2027-12-31: last day generated, still ER-2025-05-02',
     ticket.price(ARRAY['A-0001', 'A-0002'], NULL, NULL, '2027-12-31'),
     '4.00 = 4.00 + 0.00; ER-2025-05-02; band -; exemption -')
  ) AS t(label, b, expected);

SELECT throws_ok(sql, 'TK005', NULL, label)
  FROM (VALUES
    ('2008-12-31, the day before the first regime: price raises TK005',
     $q$SELECT ticket.price(ARRAY['89.52'], NULL, NULL, '2008-12-31')$q$),
    ('2008-12-31: regime_for raises TK005',
     $q$SELECT ticket.regime_for('2008-12-31')$q$),
    ('2008-12-31: income_band_for raises TK005',
     $q$SELECT ticket.income_band_for(1000, '2008-12-31')$q$),
    ('2008-12-31: price of explicit items raises TK005 before looking at them',
     $q$SELECT ticket.price(ARRAY[pg_temp.exam(-1)], 'XX', NULL, '2008-12-31')$q$)
  ) AS t(label, sql);

--------------------------------------------------------------------------
-- 5. Exemptions, one family at a time
--------------------------------------------------------------------------
SELECT is(pg_temp.bill(b), expected, label)
  FROM (VALUES
    ('income E01 (total): ECG with RE3 costs nothing',
     ticket.price(ARRAY['89.52'], 'RE3', '{E01}', '2015-03-01'),
     '0.00 = 0.00 + 0.00; ER-2012-02-01; band RE3; exemption E01'),
    ('income E01 (total): drugs free in 2025',
     ticket.price(ARRAY['A-0001', 'A-0002'], NULL, '{E01}', '2025-06-01'),
     '0.00 = 0.00 + 0.00; ER-2025-05-02; band -; exemption E01'),
    ('income E01 (total): chargeable emergency-room access free',
     ticket.price(ARRAY['PS-WHITE'], NULL, '{E01}', '2015-03-01'),
     '0.00 = 0.00 + 0.00; ER-2012-02-01; band -; exemption E01'),
    ('income E03, matched by the family rule',
     ticket.price(ARRAY['89.50'], NULL, '{E03}', '2015-03-01'),
     '0.00 = 0.00 + 0.00; ER-2012-02-01; band -; exemption E03'),
    ('regional E99: specialist services free',
     ticket.price(ARRAY['89.50'], 'QM', '{E99}', '2019-06-01'),
     '0.00 = 0.00 + 0.00; ER-2019-01-01; band QM; exemption E99'),
    ('regional E99: does not spare the drug ticket',
     ticket.price(ARRAY['A-0001'], 'QM', '{E99}', '2019-06-01'),
     '3.00 = 3.00 + 0.00; ER-2019-01-01; band QM; exemption -'),
    ('chronic 013, glucose 90.27.1 in scope: free',
     ticket.price(ARRAY['90.27.1'], 'RE3', '{013}', '2015-03-01'),
     '0.00 = 0.00 + 0.00; ER-2012-02-01; band RE3; exemption 013'),
    ('chronic 013, blood count 90.62.2 out of scope: charged',
     ticket.price(ARRAY['90.62.2'], 'RE3', '{013}', '2015-03-01'),
     '3.00 = 3.00 + 0.00; ER-2012-02-01; band RE3; exemption -'),
    ('chronic 013, ECG out of scope: charged with the quota',
     ticket.price(ARRAY['89.52'], 'RE3', '{013}', '2015-03-01'),
     '21.62 = 11.62 + 10.00; ER-2012-02-01; band RE3; exemption -'),
    ('chronic 013, glucose in scope + blood count out of scope: the blood count charged',
     ticket.price(ARRAY['90.27.1', '90.62.2'], 'RE3', '{013}', '2015-03-01'),
     '3.00 = 3.00 + 0.00; ER-2012-02-01; band RE3; exemption 013'),
    ('chronic 013 covers the glucose; the exam out of its scope pays, band quota included (§4.4 "within their scope")',
     ticket.price(ARRAY[pg_temp.it('90.27.1', 'exam', 'laboratory', 1.17), pg_temp.exam(20.00)], 'RE3', '{013}', '2015-03-01'),
     '30.00 = 20.00 + 10.00; ER-2012-02-01; band RE3; exemption 013'),
    ('FA2 covers the first visit; the exam beside it pays, band quota included (QM)',
     ticket.price(ARRAY[pg_temp.it('89.7', 'first_visit', 'cardiology', 20.66), pg_temp.it('X', 'exam', 'cardiology', 20.00)], 'QM', '{FA2}', '2019-06-01'),
     '35.00 = 20.00 + 15.00; ER-2019-01-01; band QM; exemption FA2'),
    ('chronic 013, metformin A-0002 in scope: no drug ticket (2025)',
     ticket.price(ARRAY['A-0002'], NULL, '{013}', '2025-06-01'),
     '0.00 = 0.00 + 0.00; ER-2025-05-02; band -; exemption 013'),
    ('chronic 013, other drug A-0001: 2.20 (2025)',
     ticket.price(ARRAY['A-0001'], NULL, '{013}', '2025-06-01'),
     '2.20 = 2.20 + 0.00; ER-2025-05-02; band -; exemption -'),
    ('chronic 013 does not spare the emergency-room ticket',
     ticket.price(ARRAY['PS-GREEN'], NULL, '{013}', '2015-03-01'),
     '25.00 = 25.00 + 0.00; ER-2012-02-01; band -; exemption -'),
    ('chronic 0A31, ECG in scope: free',
     ticket.price(ARRAY['89.52'], NULL, '{0A31}', '2015-03-01'),
     '0.00 = 0.00 + 0.00; ER-2012-02-01; band -; exemption 0A31'),
    ('chronic 0A31, Holter out of scope: capped, quota',
     ticket.price(ARRAY['89.50'], NULL, '{0A31}', '2015-03-01'),
     '51.15 = 36.15 + 15.00; ER-2012-02-01; band -; exemption -'),
    ('chronic 0A31: control visit in scope free, first visit alone pays its fixed ticket',
     ticket.price(ARRAY['89.01', '89.7'], NULL, '{0A31}', '2015-03-01'),
     '23.00 = 23.00 + 0.00; ER-2012-02-01; band -; exemption 0A31'),
    ('pregnancy M12, ultrasound 88.74.1 in scope: free',
     ticket.price(ARRAY['88.74.1'], 'RE2', '{M12}', '2015-03-01'),
     '0.00 = 0.00 + 0.00; ER-2012-02-01; band RE2; exemption M12'),
    ('pregnancy M30 (no scope rows): ultrasound charged',
     ticket.price(ARRAY['88.74.1'], 'RE2', '{M30}', '2015-03-01'),
     '41.15 = 36.15 + 5.00; ER-2012-02-01; band RE2; exemption -'),
    ('invalidity L03, carpal tunnel 04.43 in scope: free',
     ticket.price(ARRAY['04.43'], NULL, '{L03}', '2015-03-01'),
     '0.00 = 0.00 + 0.00; ER-2012-02-01; band -; exemption L03'),
    ('invalidity L03, hammer toe out of scope: fixed surgery 46.15',
     ticket.price(ARRAY['77.56'], NULL, '{L03}', '2015-03-01'),
     '46.15 = 46.15 + 0.00; ER-2012-02-01; band -; exemption -'),
    ('invalidity C01 (total): hammer toe free',
     ticket.price(ARRAY['77.56'], NULL, '{C01}', '2015-03-01'),
     '0.00 = 0.00 + 0.00; ER-2012-02-01; band -; exemption C01'),
    ('invalidity G02 (family rule, no scope rows): charged',
     ticket.price(ARRAY['89.52'], 'RE2', '{G02}', '2015-03-01'),
     '16.62 = 11.62 + 5.00; ER-2012-02-01; band RE2; exemption -'),
    ('prevention D03 (no scope rows): charged',
     ticket.price(ARRAY['88.74.1'], NULL, '{D03}', '2021-03-01'),
     '36.15 = 36.15 + 0.00; ER-2020-09-01; band -; exemption -'),
    ('other F01 (prisoners, total): free',
     ticket.price(ARRAY['88.91.1'], NULL, '{F01}', '2015-03-01'),
     '0.00 = 0.00 + 0.00; ER-2012-02-01; band -; exemption F01'),
    ('rare RI0050 (no scope rows): charged',
     ticket.price(ARRAY['89.52'], NULL, '{RI0050}', '2021-03-01'),
     '11.62 = 11.62 + 0.00; ER-2020-09-01; band -; exemption -'),
    ('regional FA2 in 2019: first visit free',
     ticket.price(ARRAY['89.7'], 'QB', '{FA2}', '2019-06-01'),
     '0.00 = 0.00 + 0.00; ER-2019-01-01; band QB; exemption FA2'),
    ('regional FA2 in 2019: a control visit is not a first visit',
     ticket.price(ARRAY['89.01'], 'QB', '{FA2}', '2019-06-01'),
     '18.00 = 18.00 + 0.00; ER-2019-01-01; band QB; exemption -'),
    ('regional FA2 in 2018: not recognised, first visit 23.00',
     ticket.price(ARRAY['89.7'], 'RE1', '{FA2}', '2018-06-01'),
     '23.00 = 23.00 + 0.00; ER-2012-02-01; band RE1; exemption -'),
    ('regional FB1, a code with no rule: ignored',
     ticket.price(ARRAY['89.52'], 'RE3', '{FB1}', '2015-03-01'),
     '21.62 = 11.62 + 10.00; ER-2012-02-01; band RE3; exemption -'),
    ('two exemptions: the first one that covers something is named',
     ticket.price(ARRAY['90.27.1', '90.62.2'], 'RE3', '{FB1,013,E01}', '2015-03-01'),
     '0.00 = 0.00 + 0.00; ER-2012-02-01; band RE3; exemption 013'),
    ('NULL elements of the exemption array are skipped',
     ticket.price(ARRAY['89.52'], 'RE3', '{NULL,E01}', '2015-03-01'),
     '0.00 = 0.00 + 0.00; ER-2012-02-01; band RE3; exemption E01'),
    ('emergency room: white triage pays 25.00 per access',
     ticket.price(ARRAY[pg_temp.it('PS-WHITE', 'er_access', 'emergency', 0, 2)], NULL, NULL, '2015-03-01'),
     '50.00 = 50.00 + 0.00; ER-2012-02-01; band -; exemption -'),
    ('emergency room: red triage pays nothing',
     ticket.price(ARRAY['PS-RED'], NULL, NULL, '2015-03-01'),
     '0.00 = 0.00 + 0.00; ER-2012-02-01; band -; exemption -')
  ) AS t(label, b, expected);

SELECT ok((position('FB1' IN (ticket.price(ARRAY['89.52'], 'RE3', '{FB1}', '2015-03-01')).explanation) > 0),
          'the explanation mentions the ignored exemption FB1');
SELECT ok(((SELECT bool_and(spares_band_quota = (coverage = 'all')) FROM ticket.exemption_rule WHERE shipped)),
          'shipped rules: the total exemptions spare the band quota, the partial ones do not');

--------------------------------------------------------------------------
-- 6. No band in each regime
--------------------------------------------------------------------------
SELECT is(pg_temp.bill(b), expected, label)
  FROM (VALUES
    ('2010, no band: ECG by tariff',
     ticket.price(ARRAY['89.52'], NULL, NULL, '2010-06-01'),
     '11.62 = 11.62 + 0.00; ER-BASELINE; band -; exemption -'),
    ('2010, no band: CT by tariff, capped',
     ticket.price(ARRAY['88.01.1'], NULL, NULL, '2010-06-01'),
     '36.15 = 36.15 + 0.00; ER-BASELINE; band -; exemption -'),
    ('2010, no band: no drug ticket',
     ticket.price(ARRAY['A-0001', 'A-0002'], NULL, NULL, '2010-06-01'),
     '0.00 = 0.00 + 0.00; ER-BASELINE; band -; exemption -'),
    ('2011, no band: quota 15',
     ticket.price(ARRAY['89.52'], NULL, NULL, '2011-09-15'),
     '26.62 = 11.62 + 15.00; ER-2011-08-29; band -; exemption -'),
    ('2011, no band: CT/MRI 70',
     ticket.price(ARRAY['88.01.1'], NULL, NULL, '2011-09-15'),
     '70.00 = 70.00 + 0.00; ER-2011-08-29; band -; exemption -'),
    ('2011, no band: CT/MRI 70 once for CT + MRI',
     ticket.price(ARRAY['88.01.1', '88.91.1'], NULL, NULL, '2011-09-15'),
     '70.00 = 70.00 + 0.00; ER-2011-08-29; band -; exemption -'),
    ('2011, no band: CT 70 + ultrasound capped + quota',
     ticket.price(ARRAY['88.01.1', '88.74.1'], NULL, NULL, '2011-09-15'),
     '121.15 = 106.15 + 15.00; ER-2011-08-29; band -; exemption -'),
    ('2011, no band: drugs 3 per pack (1 pack)',
     ticket.price(ARRAY['A-0001'], NULL, NULL, '2011-09-15'),
     '3.00 = 3.00 + 0.00; ER-2011-08-29; band -; exemption -'),
    ('2011, no band: drugs 3 per pack (2 packs)',
     ticket.price(ARRAY['A-0001', 'A-0002'], NULL, NULL, '2011-09-15'),
     '6.00 = 6.00 + 0.00; ER-2011-08-29; band -; exemption -'),
    ('2011, no band: drugs capped at 6 (3 packs)',
     ticket.price(ARRAY[pg_temp.it('A-0001', 'drug', 'pharmacy', 7.50, 3)], NULL, NULL, '2011-09-15'),
     '6.00 = 6.00 + 0.00; ER-2011-08-29; band -; exemption -'),
    ('2011, RE1: no drug ticket',
     ticket.price(ARRAY['A-0001', 'A-0002'], 'RE1', NULL, '2011-09-15'),
     '0.00 = 0.00 + 0.00; ER-2011-08-29; band RE1; exemption -'),
    ('2011, RE1: CT/MRI 36.15',
     ticket.price(ARRAY['88.91.1'], 'RE1', NULL, '2011-09-15'),
     '36.15 = 36.15 + 0.00; ER-2011-08-29; band RE1; exemption -'),
    ('2019, no band: QM by default, quota 15',
     ticket.price(ARRAY['89.52'], NULL, NULL, '2019-06-01'),
     '26.62 = 11.62 + 15.00; ER-2019-01-01; band QM; exemption -'),
    ('2019, no band: QM drugs capped at 6',
     ticket.price(ARRAY[pg_temp.it('A-0001', 'drug', 'pharmacy', 7.50, 3)], NULL, NULL, '2019-06-01'),
     '6.00 = 6.00 + 0.00; ER-2019-01-01; band QM; exemption -'),
    ('2019, QB: no quota',
     ticket.price(ARRAY['89.52'], 'QB', NULL, '2019-06-01'),
     '11.62 = 11.62 + 0.00; ER-2019-01-01; band QB; exemption -'),
    ('2019, QB: CT/MRI 36.15',
     ticket.price(ARRAY['88.91.1'], 'QB', NULL, '2019-06-01'),
     '36.15 = 36.15 + 0.00; ER-2019-01-01; band QB; exemption -'),
    ('2020, no band: no quota',
     ticket.price(ARRAY['89.54'], NULL, NULL, '2020-12-01'),
     '36.15 = 36.15 + 0.00; ER-2020-09-01; band -; exemption -'),
    ('2020, no band: no drug ticket',
     ticket.price(ARRAY['A-0001'], NULL, NULL, '2020-12-01'),
     '0.00 = 0.00 + 0.00; ER-2020-09-01; band -; exemption -'),
    ('2020, no band: ambulatory surgery 36.15',
     ticket.price(ARRAY['13.41'], NULL, NULL, '2020-12-01'),
     '36.15 = 36.15 + 0.00; ER-2020-09-01; band -; exemption -'),
    ('2011, cataract with its first visit: the surgery ticket covers both',
     ticket.price(ARRAY['13.41', '95.02'], NULL, NULL, '2011-09-15'),
     '46.15 = 46.15 + 0.00; ER-2011-08-29; band -; exemption -'),
    ('2015, visit and exam: the visit contributes its tariff',
     ticket.price(ARRAY['89.7', '89.52'], 'RE2', NULL, '2015-03-01'),
     '37.28 = 32.28 + 5.00; ER-2012-02-01; band RE2; exemption -')
  ) AS t(label, b, expected);

--------------------------------------------------------------------------
-- 7. Errors and their SQLSTATEs
--------------------------------------------------------------------------
SELECT throws_ok(sql, 'TK002', NULL, label)
  FROM (VALUES
    ('ECG and blood count (cardiology, laboratory): TK002',
     $q$SELECT ticket.price(ARRAY['89.52', '90.62.2'], NULL, NULL, '2015-03-01')$q$),
    ('explicit items of two branches: TK002',
     $q$SELECT ticket.price(ARRAY[pg_temp.exam(1.00), pg_temp.it('89.52', 'exam', 'cardiology', 11.62)], NULL, NULL, '2015-03-01')$q$)
  ) AS t(label, sql);

SELECT throws_ok(sql, 'TK003', NULL, label)
  FROM (VALUES
    ('an exam and a drug: TK003',
     $q$SELECT ticket.price(ARRAY['89.52', 'A-0001'], NULL, NULL, '2015-03-01')$q$),
    ('a drug and an emergency-room access: TK003',
     $q$SELECT ticket.price(ARRAY['A-0001', 'PS-WHITE'], NULL, NULL, '2015-03-01')$q$),
    ('an emergency-room access and a visit: TK003',
     $q$SELECT ticket.price(ARRAY['PS-WHITE', '89.7'], NULL, NULL, '2015-03-01')$q$)
  ) AS t(label, sql);

SELECT throws_ok(sql, 'TK004', NULL, label)
  FROM (VALUES
    ('QM in 2015: TK004',
     $q$SELECT ticket.price(ARRAY['89.52'], 'QM', NULL, '2015-03-01')$q$),
    ('RE1 in 2019: TK004',
     $q$SELECT ticket.price(ARRAY['89.52'], 'RE1', NULL, '2019-06-01')$q$),
    ('RE1 in 2021 (no bands at all): TK004',
     $q$SELECT ticket.price(ARRAY['89.52'], 'RE1', NULL, '2021-03-01')$q$),
    ('RE1 in 2010 (before the bands): TK004',
     $q$SELECT ticket.price(ARRAY['89.52'], 'RE1', NULL, '2010-06-01')$q$),
    ('RE4 (never attested): TK004',
     $q$SELECT ticket.price(ARRAY['89.52'], 'RE4', NULL, '2015-03-01')$q$)
  ) AS t(label, sql);

SELECT throws_ok(sql, 'TK006', NULL, label)
  FROM (VALUES
    ('a code not in the catalogue: TK006',
     $q$SELECT ticket.price(ARRAY['89.52', 'NOPE'], NULL, NULL, '2015-03-01')$q$),
    ('codes are case-sensitive: TK006',
     $q$SELECT ticket.price(ARRAY['a-0001'], NULL, NULL, '2015-03-01')$q$)
  ) AS t(label, sql);

SELECT throws_ok(sql, '22023', NULL, label)
  FROM (VALUES
    ('no items: 22023',
     $q$SELECT ticket.price('{}'::ticket.item[], NULL, NULL, '2015-03-01')$q$),
    ('no codes: 22023',
     $q$SELECT ticket.price('{}'::text[], NULL, NULL, '2015-03-01')$q$),
    ('a negative tariff: 22023',
     $q$SELECT ticket.price(ARRAY[pg_temp.exam(5.00), pg_temp.exam(-0.01)], NULL, NULL, '2015-03-01')$q$),
    ('quantity 0: 22023',
     $q$SELECT ticket.price(ARRAY[pg_temp.exam(5.00, 0)], NULL, NULL, '2015-03-01')$q$),
    ('quantity 1001 packs: 22023',
     $q$SELECT ticket.price(ARRAY[pg_temp.it('A-0001', 'drug', 'pharmacy', 7.50, 1001)], NULL, NULL, '2015-03-01')$q$),
    ('an unknown kind: 22023',
     $q$SELECT ticket.price(ARRAY[pg_temp.it('X', 'visit', 'laboratory', 5.00)], NULL, NULL, '2015-03-01')$q$),
    ('a NaN tariff: 22023',
     $q$SELECT ticket.price(ARRAY[pg_temp.exam('NaN')], NULL, NULL, '2015-03-01')$q$),
    ('an infinite date: 22023',
     $q$SELECT ticket.price(ARRAY['89.52'], NULL, NULL, 'infinity')$q$),
    ('regime_for an infinite date: 22023',
     $q$SELECT ticket.regime_for('-infinity')$q$),
    ('a negative income: 22023',
     $q$SELECT ticket.income_band_for(-0.01, '2015-03-01')$q$),
    ('a NaN income: 22023',
     $q$SELECT ticket.income_band_for('NaN', '2015-03-01')$q$)
  ) AS t(label, sql);

SELECT throws_ok(sql, '22003', NULL, label)
  FROM (VALUES
    ('40,000 chargeable accesses: 1,000,000.00 exceeds numeric(8,2): 22003',
     $q$SELECT ticket.price((SELECT array_agg(pg_temp.it('PS-GREEN', 'er_access', 'emergency', 0, 1000)) FROM generate_series(1, 40)), NULL, NULL, '2015-03-01')$q$)
  ) AS t(label, sql);

-- A NULL item or a NULL field: 22004 null_value_not_allowed (extension/doc/
-- ticket.md, "Errors and SQLSTATEs").
SELECT throws_ok(sql, '22004', NULL, label)
  FROM (VALUES
    ('a NULL item: 22004',
     $q$SELECT ticket.price(ARRAY[pg_temp.exam(5.00), NULL], NULL, NULL, '2015-03-01')$q$),
    ('a NULL code: 22004',
     $q$SELECT ticket.price(ARRAY[pg_temp.it(NULL, 'exam', 'laboratory', 5.00)], NULL, NULL, '2015-03-01')$q$),
    ('a NULL kind: 22004',
     $q$SELECT ticket.price(ARRAY[pg_temp.it('X', NULL, 'laboratory', 5.00)], NULL, NULL, '2015-03-01')$q$),
    ('a NULL branch: 22004',
     $q$SELECT ticket.price(ARRAY[pg_temp.it('X', 'exam', NULL, 5.00)], NULL, NULL, '2015-03-01')$q$),
    ('a NULL tariff: 22004',
     $q$SELECT ticket.price(ARRAY[pg_temp.it('X', 'exam', 'laboratory', NULL)], NULL, NULL, '2015-03-01')$q$),
    ('a NULL service code: 22004',
     $q$SELECT ticket.price(ARRAY['89.52', NULL], NULL, NULL, '2015-03-01')$q$)
  ) AS t(label, sql);

SELECT ok(((ticket.price(ARRAY[pg_temp.it('X', 'exam', 'laboratory', 5.00, NULL)], 'RE3', NULL, '2015-03-01')).total = 5.00),
          'a NULL quantity is 1');
SELECT ok((ticket.price(NULL::ticket.item[], 'RE3', NULL, '2015-03-01') IS NULL
           AND ticket.price(ARRAY['89.52'], 'RE3', NULL, NULL) IS NULL
           AND ticket.income_band_for(NULL, '2015-03-01') IS NULL),
          'NULL items, a NULL date or a NULL income give NULL');

--------------------------------------------------------------------------
-- 8. Shipped rows are read-only; user rows are not
--------------------------------------------------------------------------
SET client_min_messages = warning;   -- TRUNCATE ... CASCADE notices
SELECT throws_ok(sql, 'TK007', NULL, label)
  FROM (VALUES
    ('UPDATE of a shipped regime: TK007',
     $q$UPDATE ticket.regime SET specialist_cap = 40.00 WHERE regime_id = 'ER-2025-05-02'$q$),
    ('DELETE of a shipped regime: TK007',
     $q$DELETE FROM ticket.regime WHERE regime_id = 'ER-2025-05-02'$q$),
    ('UPDATE of a shipped band: TK007',
     $q$UPDATE ticket.regime_band SET quota = 0 WHERE band = 'RE3'$q$),
    ('DELETE of a shipped band: TK007',
     $q$DELETE FROM ticket.regime_band WHERE band = 'QM'$q$),
    ('UPDATE of a shipped exemption rule: TK007',
     $q$UPDATE ticket.exemption_rule SET coverage = 'all' WHERE exemption = 'FA2'$q$),
    ('DELETE of a shipped exemption rule: TK007',
     $q$DELETE FROM ticket.exemption_rule WHERE family = 'chronic'$q$),
    ('DELETE of a shipped scope row: TK007',
     $q$DELETE FROM ticket.exemption_scope WHERE exemption = '013'$q$),
    ('UPDATE of a shipped service: TK007',
     $q$UPDATE ticket.service SET tariff = 12.00 WHERE code = '89.52'$q$),
    ('UPDATE shipped = false on a shipped service: TK007',
     $q$UPDATE ticket.service SET shipped = false WHERE code = '89.52'$q$),
    ('DELETE of a shipped service: TK007',
     $q$DELETE FROM ticket.service WHERE code = '89.52'$q$),
    ('TRUNCATE ticket.service: TK007',
     $q$TRUNCATE ticket.service$q$),
    ('TRUNCATE ticket.exemption_scope: TK007',
     $q$TRUNCATE ticket.exemption_scope$q$),
    ('TRUNCATE ticket.regime CASCADE: TK007',
     $q$TRUNCATE ticket.regime CASCADE$q$),
    ('INSERT of a service with shipped = true: TK007',
     $q$INSERT INTO ticket.service (code, effective_from, description, branch, kind, tariff, synthetic, source, shipped)
        VALUES ('99.99', '2015-01-01', 'test', 'laboratory', 'exam', 1.00, true, 'test', true)$q$),
    ('INSERT of a regime with shipped = true: TK007',
     $q$INSERT INTO ticket.regime (regime_id, effective_from, legal_reference, description, shipped)
        VALUES ('T-SHIPPED', '2030-01-01', 'test', 'test', true)$q$),
    ('INSERT of a scope row with shipped = true: TK007',
     $q$INSERT INTO ticket.exemption_scope (exemption, service_code, shipped) VALUES ('013', '90.62.2', true)$q$)
  ) AS t(label, sql);
RESET client_min_messages;

SELECT lives_ok($q$INSERT INTO ticket.service (code, effective_from, description, branch, kind, tariff, synthetic, source)
                   VALUES ('99.99', '2015-01-01', 'user test', 'laboratory', 'exam', 4.00, true, 'test')$q$,
                'a user service row can be inserted');
SELECT is(pg_temp.bill(ticket.price(ARRAY['99.99', '90.62.2'], 'RE3', NULL, '2015-03-01')),
          '7.00 = 7.00 + 0.00; ER-2012-02-01; band RE3; exemption -',
          'the new service is priced at once (the cache follows the insert)');
SELECT lives_ok($q$UPDATE ticket.service SET tariff = 8.00 WHERE code = '99.99'$q$,
                'a user service row can be updated');
SELECT is(pg_temp.bill(ticket.price(ARRAY['99.99', '90.62.2'], 'RE3', NULL, '2015-03-01')),
          '21.00 = 11.00 + 10.00; ER-2012-02-01; band RE3; exemption -',
          'the updated tariff is priced at once, now over the threshold');
SELECT throws_ok($q$UPDATE ticket.service SET shipped = true WHERE code = '99.99'$q$, 'TK007', NULL,
                 'a user row cannot be turned into a shipped one: TK007');
SELECT lives_ok($q$INSERT INTO ticket.service (code, effective_from, description, branch, kind, tariff, withdrawn, synthetic, source)
                   VALUES ('99.99', '2016-01-01', 'user test withdrawn', 'laboratory', 'exam', NULL, true, true, 'test')$q$,
                'a user row can withdraw a code');
SELECT throws_ok($q$SELECT ticket.price(ARRAY['99.99'], 'RE3', NULL, '2016-01-01')$q$, 'TK006', NULL,
                 'a withdrawn code: TK006');
SELECT lives_ok($q$DELETE FROM ticket.service WHERE code = '99.99'$q$,
                'user service rows can be deleted');
SELECT throws_ok($q$SELECT ticket.price(ARRAY['99.99'], 'RE3', NULL, '2015-03-01')$q$, 'TK006', NULL,
                 'a deleted code: TK006');

SELECT lives_ok($q$INSERT INTO ticket.exemption_scope (exemption, service_code) VALUES ('013', '90.62.2')$q$,
                'a user scope row can be inserted');
SELECT is(pg_temp.bill(ticket.price(ARRAY['90.62.2'], 'RE3', '{013}', '2015-03-01')),
          '0.00 = 0.00 + 0.00; ER-2012-02-01; band RE3; exemption 013',
          '013 now covers the blood count');
SELECT lives_ok($q$DELETE FROM ticket.exemption_scope WHERE exemption = '013' AND service_code = '90.62.2'$q$,
                'a user scope row can be deleted');
SELECT is(pg_temp.bill(ticket.price(ARRAY['90.62.2'], 'RE3', '{013}', '2015-03-01')),
          '3.00 = 3.00 + 0.00; ER-2012-02-01; band RE3; exemption -',
          '013 no longer covers the blood count');

--------------------------------------------------------------------------
-- 9. What-if: a regime from 2027, inserted and rolled back to a savepoint
--------------------------------------------------------------------------
-- pgTAP records its results in tables, which ROLLBACK TO SAVEPOINT would
-- undo: the prices seen inside the savepoint are kept in psql variables
-- (\gset) and asserted after it.
SAVEPOINT what_if;

INSERT INTO ticket.regime (regime_id, effective_from, legal_reference, description, default_band,
                           specialist_cap, quota_threshold, quota, ct_mri, first_visit, control_visit,
                           ambulatory_surgery, drug_per_pack, drug_cap, er_access, er_chargeable_codes)
VALUES ('ER-2027-01-01', '2027-01-01', 'DGR draft', 'what-if: cap 30, bands W1/W2', NULL,
        30.00, 10.00, NULL, 30.00, 20.00, 15.00, 30.00, 1.00, 3.00, 20.00, '{PS-WHITE,PS-GREEN}');
INSERT INTO ticket.regime_band (regime_id, band, income_range, quota, ct_mri, drug_per_pack, drug_cap)
VALUES ('ER-2027-01-01', 'W1', '[0,50000.00]', 2.00, 25.00, 0.50, 1.00),
       ('ER-2027-01-01', 'W2', '(50000.00,)', 8.00, 60.00, 2.00, 4.00);
INSERT INTO ticket.exemption_rule (regime_id, exemption, family, coverage, spares_band_quota, spares_drugs, spares_er)
SELECT 'ER-2027-01-01', exemption, family, coverage, spares_band_quota, spares_drugs, spares_er
  FROM ticket.exemption_rule WHERE regime_id = 'ER-2025-05-02';

SELECT ticket.regime_for('2026-12-31') || ', ' || ticket.regime_for('2027-01-01')        AS wi_regimes,
       pg_temp.bill(ticket.price(ARRAY['88.74.1'], 'W2', NULL, '2027-03-01'))             AS wi_w2,
       pg_temp.bill(ticket.price(ARRAY['88.74.1'], NULL, NULL, '2027-03-01'))             AS wi_no_band,
       pg_temp.bill(ticket.price(ARRAY['88.91.1'], 'W1', NULL, '2027-03-01'))             AS wi_w1_mri,
       pg_temp.bill(ticket.price(ARRAY['88.74.1'], 'W2', '{E01}', '2027-03-01'))          AS wi_e01,
       pg_temp.bill(ticket.price(ARRAY['88.74.1'], NULL, NULL, '2026-12-31'))             AS wi_day_before,
       ticket.income_band_for(50000.01, '2027-03-01')::text                               AS wi_income
\gset

ROLLBACK TO SAVEPOINT what_if;

SELECT is(got, expected, label)
  FROM (VALUES
    ('what-if: the draft regime is in force from 2027-01-01',
     :'wi_regimes', 'ER-2025-05-02, ER-2027-01-01'),
    ('what-if: ultrasound, W2: capped at 30 + quota 8',
     :'wi_w2', '38.00 = 30.00 + 8.00; ER-2027-01-01; band W2; exemption -'),
    ('what-if: ultrasound, no band: the regime has no quota',
     :'wi_no_band', '30.00 = 30.00 + 0.00; ER-2027-01-01; band -; exemption -'),
    ('what-if: MRI, W1: 25.00',
     :'wi_w1_mri', '25.00 = 25.00 + 0.00; ER-2027-01-01; band W1; exemption -'),
    ('what-if: ultrasound with E01: exempt under the copied rules',
     :'wi_e01', '0.00 = 0.00 + 0.00; ER-2027-01-01; band W2; exemption E01'),
    ('what-if: the day before, the shipped regime',
     :'wi_day_before', '36.15 = 36.15 + 0.00; ER-2025-05-02; band -; exemption -'),
    ('what-if: income_band_for follows the draft bands',
     :'wi_income', 'W2')
  ) AS t(label, got, expected);

SELECT is(ticket.regime_for('2027-01-01'), 'ER-2025-05-02',
          'after ROLLBACK TO SAVEPOINT: 2027-01-01 is ER-2025-05-02 again');
SELECT is(pg_temp.bill(ticket.price(ARRAY['88.74.1'], NULL, NULL, '2027-03-01')),
          '36.15 = 36.15 + 0.00; ER-2025-05-02; band -; exemption -',
          'after ROLLBACK TO SAVEPOINT: the 2027 prescription is priced under the old regime');
SELECT throws_ok($q$SELECT ticket.price(ARRAY['88.74.1'], 'W2', NULL, '2027-03-01')$q$, 'TK004', NULL,
                 'after ROLLBACK TO SAVEPOINT: band W2 no longer exists (TK004)');

--------------------------------------------------------------------------
-- 10. A partial rule that spares the quota, and the order of the exemptions
--------------------------------------------------------------------------
-- A user rule for the "regional" family (FB1 ...): first visits, and it
-- spares the band quota, which (extension/doc/ticket.md) "would waive the
-- quota for the whole prescription".  The shipped FA2 rule covers the same
-- first visits without sparing the quota.
--
-- The total must not depend on the order the exemptions are written in: an
-- exemption applies when its rule covers an item, even one another
-- exemption covers too (FA2 first, FB1 still waives the quota).
SAVEPOINT exemption_order;
INSERT INTO ticket.exemption_rule (regime_id, family, coverage, spares_band_quota, spares_drugs, spares_er)
VALUES ('ER-2019-01-01', 'regional', 'first_visit', true, false, false);
SELECT pg_temp.bill(ticket.price(ARRAY[pg_temp.it('89.7', 'first_visit', 'cardiology', 20.66),
                                       pg_temp.it('X', 'exam', 'cardiology', 20.00)], 'QM', '{FB1}', '2019-06-01'))
           AS order_fb1,
       pg_temp.bill(ticket.price(ARRAY[pg_temp.it('89.7', 'first_visit', 'cardiology', 20.66),
                                       pg_temp.it('X', 'exam', 'cardiology', 20.00)], 'QM', '{FB1,FA2}', '2019-06-01'))
           AS order_fb1_fa2,
       pg_temp.bill(ticket.price(ARRAY[pg_temp.it('89.7', 'first_visit', 'cardiology', 20.66),
                                       pg_temp.it('X', 'exam', 'cardiology', 20.00)], 'QM', '{FA2,FB1}', '2019-06-01'))
           AS order_fa2_fb1
\gset
ROLLBACK TO SAVEPOINT exemption_order;
SELECT is(:'order_fb1'::text, '20.00 = 20.00 + 0.00; ER-2019-01-01; band QM; exemption FB1',
          'a user partial rule with spares_band_quota waives the quota of the whole prescription');
SELECT is(:'order_fb1_fa2'::text, '20.00 = 20.00 + 0.00; ER-2019-01-01; band QM; exemption FB1',
          'FB1 then FA2: FB1 covers the visit and waives the quota');
SELECT is(split_part(:'order_fa2_fb1', ';', 1), split_part(:'order_fb1_fa2', ';', 1),
          'FA2 then FB1 costs the same as FB1 then FA2 (the total does not depend on the order of the exemptions)');

--------------------------------------------------------------------------
-- 11. The rule cache
--------------------------------------------------------------------------
SELECT ok(((SELECT bytes FROM ticket.rules_cache_info()) BETWEEN 1 AND 999999),
          format('the rule cache takes less than 1,000,000 bytes (%s)', (SELECT bytes FROM ticket.rules_cache_info())));
SELECT is((SELECT ARRAY[regimes, bands, scope_entries] FROM ticket.rules_cache_info()),
          ARRAY[7, 8, 8],
          'the cache holds the 7 shipped regimes (ER-2011-05-01 since 1.3), 8 bands and 8 scope rows after the rollbacks');

SELECT * FROM finish();
ROLLBACK;
