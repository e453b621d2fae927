-- The tariff engine through SQL: one bill per regime, the error of each bad
-- prescription, and the rule cache under a hostile search_path.
\set VERBOSITY terse

-- Callers need not have ticket on their search_path, and look-alike
-- operators earlier on it do not reach the engine's own queries.
SET search_path = public;
CREATE FUNCTION public.evil_lt(ticket.income_band, ticket.income_band) RETURNS boolean
    LANGUAGE sql AS 'SELECT true';
CREATE OPERATOR public.< (LEFTARG = ticket.income_band, RIGHTARG = ticket.income_band,
                          FUNCTION = public.evil_lt);
SELECT total, base, band_quota, regime, band, exemption
  FROM ticket.price(ARRAY['88.74.1'], 'RE2', NULL, '2015-03-01');
DROP OPERATOR public.< (ticket.income_band, ticket.income_band);
DROP FUNCTION public.evil_lt(ticket.income_band, ticket.income_band);

SET search_path = ticket, public;

-- One prescription, every regime: ultrasound 45.00 (capped), no band.  The
-- emergency room: white triage only until April 2011, white and green from
-- 1 May 2011 (DGR 389/2011; ticket-rules §2.5, §9; S25 S26 S61).
SELECT regime_for(d) AS regime, (price(ARRAY['88.74.1'], NULL, NULL, d)).total AS ultrasound,
       (price(ARRAY['89.7'], NULL, NULL, d)).total AS first_visit_only,
       (price(ARRAY['88.91.1'], NULL, NULL, d)).total AS mri,
       (price(ARRAY['04.43'], NULL, NULL, d)).total AS carpal_tunnel,
       (price(ARRAY['77.56'], NULL, NULL, d)).total AS hammer_toe,
       (price(ARRAY[ROW('A-0001', 'drug', 'pharmacy', 7.50, 3)::item], NULL, NULL, d)).total AS three_packs,
       (price(ARRAY['PS-WHITE'], NULL, NULL, d)).total AS er_white,
       (price(ARRAY['PS-GREEN'], NULL, NULL, d)).total AS er_green,
       (price(ARRAY['PS-RED'], NULL, NULL, d)).total AS er_red
  FROM unnest(ARRAY['2011-04-30', '2011-05-01', '2011-08-28', '2011-08-29', '2012-01-31', '2012-02-01', '2018-12-31',
                    '2019-01-01', '2020-08-31', '2020-09-01', '2025-05-01', '2025-05-02']::date[]) AS d;

-- A bill in full, with its explanation.
\x on
SELECT * FROM price(ARRAY['89.52'], 'RE3', NULL, '2015-03-01');
SELECT * FROM price(ARRAY['90.27.1', '90.28.1', '90.62.2'], 'RE3', ARRAY['013', 'FA2']::exemption[], '2015-03-01');
\x off
SELECT * FROM price(ARRAY['90.27.1', '90.28.1', '90.62.2'], 'RE3', ARRAY['013', 'L03']::exemption[], '2015-03-01');

-- Income to band, on the boundaries.
SELECT income, income_band_for(income, '2015-01-01') AS in_2015, income_band_for(income, '2019-06-01') AS in_2019,
       income_band_for(income, '2021-06-01') AS in_2021
  FROM unnest(ARRAY[0, 36152.00, 36152.01, 70000.00, 70000.01, 100000.00, 100000.01]::numeric[]) AS income;
SELECT income_band_for(-1, '2015-01-01');

-- Every error.
SELECT price(ARRAY[]::text[], NULL, NULL, '2015-03-01');
SELECT price(ARRAY['89.52'], NULL, NULL, '2008-12-31');
SELECT price(ARRAY['89.52'], NULL, NULL, 'infinity');
SELECT price(ARRAY['89.52'], 'QB', NULL, '2015-03-01');
SELECT price(ARRAY['89.52'], 'RE1', NULL, '2021-03-01');
SELECT price(ARRAY['89.52', '90.62.2'], NULL, NULL, '2015-03-01');
SELECT price(ARRAY['89.52', 'A-0001'], NULL, NULL, '2015-03-01');
SELECT price(ARRAY['89.52','89.52','89.52','89.52','89.52','89.52','89.52','89.52','89.52'], NULL, NULL, '2015-03-01');
SELECT price(ARRAY['99.99'], NULL, NULL, '2015-03-01');
SELECT price(ARRAY[ROW('X', 'exam', 'lab', -0.01, 1)::item], NULL, NULL, '2015-03-01');
SELECT price(ARRAY[ROW('X', 'exam', 'lab', 1, 1001)::item], NULL, NULL, '2015-03-01');
SELECT price(ARRAY[ROW('X', 'scan', 'lab', 1, 1)::item], NULL, NULL, '2015-03-01');
SELECT price(ARRAY[ROW('X', 'exam', NULL, 1, 1)::item], NULL, NULL, '2015-03-01');
SELECT price(ARRAY[NULL::item], NULL, NULL, '2015-03-01');
SELECT price(ARRAY[ROW('X', 'exam', 'lab', 999999.99, 2)::item], NULL, NULL, '2015-03-01');
SELECT price(NULL::item[], NULL, NULL, '2015-03-01') IS NULL AS null_items_give_null;

-- Shipped rows are read-only; user rows are not.
UPDATE regime SET quota = 1 WHERE regime_id = 'ER-2019-01-01';
DELETE FROM service WHERE code = '89.52';
TRUNCATE exemption_scope;
INSERT INTO service (code, effective_from, description, branch, kind, tariff, synthetic, source, shipped)
VALUES ('X.1', '2020-01-01', 'x', 'lab', 'exam', 1, true, 'test', true);
INSERT INTO service (code, effective_from, description, branch, kind, tariff, synthetic, source)
VALUES ('X.1', '2020-01-01', 'a new lab test', 'laboratory', 'exam', 12.50, true, 'test');
SELECT total FROM price(ARRAY['X.1'], NULL, NULL, '2021-01-01');
UPDATE service SET tariff = 5.00 WHERE code = 'X.1';
SELECT total FROM price(ARRAY['X.1'], NULL, NULL, '2021-01-01');
DELETE FROM service WHERE code = 'X.1';
SELECT price(ARRAY['X.1'], NULL, NULL, '2021-01-01');

-- Inconsistent rules are refused when the cache is rebuilt.
BEGIN;
INSERT INTO regime (regime_id, effective_from, legal_reference, description, default_band, specialist_cap)
VALUES ('BAD', '2030-01-01', 'test', 'test', 'ZZ', 36.15);
SELECT price(ARRAY['89.52'], NULL, NULL, '2030-03-01');
ROLLBACK;
SELECT regimes, bands, bytes < 1000000 AS under_1_mb FROM rules_cache_info();
