-- test/pgtap/pricing_differential.sql
--
-- Differential test: the C tariff engine (ticket.price) against the PL/pgSQL
-- reference in test/reference/pricing_reference.sql.  For a valid
-- prescription both must give the same (total, base, band_quota, regime,
-- band, exemption); for an invalid one both must raise the same SQLSTATE.
--   * 100,000 generated prescriptions on the shipped rules (tests 1-15,
--     with the vacuity guards: valid/invalid split, regimes, first and last
--     days, kinds, bands, the rules that fire, tariff sums on the
--     thresholds, exemption families, SQLSTATEs, several defects at once;
--     emergency-room consultations and exams, their cap, TK009);
--   * 20,000 of them as catalogue codes, price(codes text[], ...) (16-17);
--   * 30,000 more after inserting two user regimes of unusual shape, with
--     their bands, exemption rules and scope rows (18-20).
-- Disagreements are counted and up to 10 are shown with diag(), each as a
-- ticket.price call that reproduces it.
-- The reference is loaded with psql's \ir (relative to this file), inside
-- the transaction, and everything is rolled back.  About 25 s.
--
-- Assumes CREATE EXTENSION ticket and pgtap.  Run: pg_prove -d DB test/pgtap/

\set ON_ERROR_STOP 1
BEGIN;
SET search_path = ticket, public;

SET client_min_messages = warning;
\ir ../reference/pricing_reference.sql
RESET client_min_messages;

SELECT plan(20);

-- The sample: fixed size and seed, so a failure reproduces.
CREATE TEMP TABLE diff_sample ON COMMIT DROP AS
SELECT * FROM ticket_reference.random_prescriptions(100000, 0.2011);

-- Both implementations on one prescription, each call in its own
-- subtransaction: the bills, or the SQLSTATEs they raise.
CREATE FUNCTION pg_temp.compare(items ticket.item[], band ticket.income_band,
                                exemptions ticket.exemption[], on_date date,
                                OUT c_bill ticket.bill, OUT c_state text, OUT c_error text,
                                OUT r_bill ticket.bill, OUT r_state text)
LANGUAGE plpgsql
AS $$
BEGIN
    BEGIN
        c_bill := ticket.price(items, band, exemptions, on_date);
    EXCEPTION WHEN OTHERS THEN
        c_state := SQLSTATE;
        c_error := SQLERRM;
    END;
    BEGIN
        r_bill := ticket_reference.price(items, band, exemptions, on_date);
    EXCEPTION WHEN OTHERS THEN
        r_state := SQLSTATE;
    END;
END;
$$;

CREATE FUNCTION pg_temp.compare(codes text[], band ticket.income_band,
                                exemptions ticket.exemption[], on_date date,
                                OUT c_bill ticket.bill, OUT c_state text, OUT c_error text,
                                OUT r_bill ticket.bill, OUT r_state text)
LANGUAGE plpgsql
AS $$
BEGIN
    BEGIN
        c_bill := ticket.price(codes, band, exemptions, on_date);
    EXCEPTION WHEN OTHERS THEN
        c_state := SQLSTATE;
        c_error := SQLERRM;
    END;
    BEGIN
        r_bill := ticket_reference.price(codes, band, exemptions, on_date);
    EXCEPTION WHEN OTHERS THEN
        r_state := SQLSTATE;
    END;
END;
$$;

CREATE TEMP TABLE diff_result ON COMMIT DROP AS
SELECT s.id, c.*
  FROM diff_sample s CROSS JOIN LATERAL pg_temp.compare(s.items, s.band, s.exemptions, s.on_date) c;
ALTER TABLE diff_sample ADD PRIMARY KEY (id);
ALTER TABLE diff_result ADD PRIMARY KEY (id);
ANALYZE diff_sample;
ANALYZE diff_result;

-- The compared part of a bill (the explanation is each side's own prose).
CREATE FUNCTION pg_temp.key(b ticket.bill) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$ SELECT format('total %s base %s quota %s regime %s band %s exemption %s',
                    b.total, b.base, b.band_quota, b.regime, b.band, b.exemption) $$;

CREATE TEMP VIEW diff_view AS
SELECT s.*, r.c_bill, r.c_state, r.c_error, r.r_bill, r.r_state,
       r.c_state IS NULL AND r.r_state IS NULL                         AS both_valid,
       (r.r_bill).explanation                                           AS why
  FROM diff_sample s JOIN diff_result r USING (id);

SELECT is((SELECT count(*) FROM diff_result), 100000::bigint,
          'both implementations priced the 100000 generated prescriptions');

-- 1. Valid prescriptions: the same bill.
SELECT is((SELECT count(*) FROM diff_view
            WHERE both_valid AND pg_temp.key(c_bill) IS DISTINCT FROM pg_temp.key(r_bill)),
          0::bigint,
          'ticket.price and ticket_reference.price give the same bill for every valid prescription');
SELECT diag(format('prescription %s: price(%L::ticket.item[], %L, %L, %L): C %s / reference %s (%s)',
                   id, items, band, exemptions, on_date, pg_temp.key(c_bill), pg_temp.key(r_bill), why))
  FROM (SELECT * FROM diff_view
         WHERE both_valid AND pg_temp.key(c_bill) IS DISTINCT FROM pg_temp.key(r_bill)
         ORDER BY id LIMIT 10) d;

-- 2. Invalid prescriptions: the same SQLSTATE (or one side raising alone).
-- NULL items and fields are compared in the next test (a known bug).
SELECT is((SELECT count(*) FROM diff_view
            WHERE c_state IS DISTINCT FROM r_state AND r_state IS DISTINCT FROM '22004'),
          0::bigint,
          'ticket.price and the reference raise the same SQLSTATE on every other prescription (or neither raises)');
SELECT diag(format('prescription %s: price(%L::ticket.item[], %L, %L, %L): C %s (%s) / reference %s',
                   id, items, band, exemptions, on_date, coalesce(c_state, 'no error'), c_error,
                   coalesce(r_state, 'no error: ' || pg_temp.key(r_bill))))
  FROM (SELECT * FROM diff_view
         WHERE c_state IS DISTINCT FROM r_state AND r_state IS DISTINCT FROM '22004'
         ORDER BY id LIMIT 10) d;

-- A NULL item or a NULL field of an item is SQLSTATE 22004
-- (null_value_not_allowed, extension/doc/ticket.md "Errors and SQLSTATEs").
SELECT is((SELECT count(*) FROM diff_view
            WHERE r_state = '22004' AND c_state IS DISTINCT FROM r_state),
          0::bigint,
          'a NULL item or item field: ticket.price raises 22004 like the reference');
SELECT diag(format('prescription %s: price(%L::ticket.item[], %L, %L, %L): C %s (%s) / reference %s',
                   id, items, band, exemptions, on_date, coalesce(c_state, 'no error'), c_error, r_state))
  FROM (SELECT * FROM diff_view
         WHERE r_state = '22004' AND c_state IS DISTINCT FROM r_state
         ORDER BY id LIMIT 3) d;

-- 3. Not vacuous: the split, the regimes, the boundary days.
SELECT ok((SELECT count(*) FILTER (WHERE both_valid)::numeric / count(*) FROM diff_view) BETWEEN 0.70 AND 0.90,
          format('between 70%% and 90%% of the prescriptions are valid (%s of %s)',
                 (SELECT count(*) FILTER (WHERE both_valid) FROM diff_view),
                 (SELECT count(*) FROM diff_view)));

SELECT is((SELECT array_agg(regime_id ORDER BY regime_id) FROM ticket.regime g
            WHERE (SELECT count(*) FROM diff_view WHERE both_valid AND (r_bill).regime = g.regime_id) < 3000),
          NULL,
          'every regime prices at least 3000 valid prescriptions');

SELECT is((SELECT array_agg(day ORDER BY day) FROM (
               SELECT effective_from AS day FROM ticket.regime
               UNION
               SELECT lead(effective_from) OVER (ORDER BY effective_from) - 1 FROM ticket.regime
               UNION
               SELECT date '2027-12-31') d
            WHERE day IS NOT NULL
              AND (SELECT count(*) FROM diff_view WHERE both_valid AND on_date = d.day) < 300),
          NULL,
          'the first and the last day of every regime carry at least 300 valid prescriptions each');

-- 4. Every kind, band, rule of the engine and exemption family is reached.
SELECT is((SELECT array_agg(want.k ORDER BY want.k) FROM
               unnest(ARRAY['first_visit', 'control_visit', 'exam', 'ct_mri', 'ambulatory_surgery',
                            'drug', 'er_access', 'er_consultation', 'er_exam']) want(k)
            WHERE (SELECT count(*) FROM diff_view v
                    WHERE both_valid AND EXISTS (SELECT FROM unnest(v.items) i WHERE i.kind = want.k)) < 2000),
          NULL,
          'every kind appears in at least 2000 valid prescriptions');

SELECT is((SELECT array_agg(b ORDER BY b) FROM (
               SELECT DISTINCT band::text AS b FROM ticket.regime_band
               UNION ALL SELECT 'no band 2009-2011'
               UNION ALL SELECT 'no band 2011-2018'
               UNION ALL SELECT 'no band 2019-2020 (default QM)'
               UNION ALL SELECT 'no band since 2020') want
            WHERE (SELECT count(*) FROM diff_view v
                    WHERE both_valid
                      AND CASE want.b
                            WHEN 'no band 2009-2011' THEN v.band IS NULL AND (r_bill).regime = 'ER-BASELINE'
                            WHEN 'no band 2011-2018' THEN v.band IS NULL AND (r_bill).regime IN ('ER-2011-08-29', 'ER-2012-02-01')
                            WHEN 'no band 2019-2020 (default QM)' THEN v.band IS NULL AND (r_bill).band = 'QM'
                            WHEN 'no band since 2020' THEN v.band IS NULL AND (r_bill).regime IN ('ER-2020-09-01', 'ER-2025-05-02')
                            ELSE v.band::text = want.b
                          END) < 500),
          NULL,
          'every band, and no band in every era, in at least 500 valid prescriptions');

-- The reference tags the rules that fired in its explanation.  (A quota
-- spared by an exemption is not among them: the shipped rules that spare it
-- cover every item, so it is reached only in the user regimes of part 7.)
SELECT is((SELECT array_agg(tag ORDER BY tag) FROM
               unnest(ARRAY['surgery', 'visits', 'ct', 'cap', 'tariffs', 'quota',
                            'drug', 'drug-cap', 'drug-free', 'er', 'er-free', 'er-consult', 'er-exam',
                            'er-exam-cap', 'all-exempt',
                            'ex-applied', 'ex-idle', 'ex-unknown', 'default-band', 'no-band']) tag
            WHERE (SELECT count(*) FROM diff_view WHERE both_valid AND position('[' || tag || ']' IN why) > 0) < 150),
          NULL,
          'every rule of the engine fires in at least 150 valid prescriptions');

SELECT is((SELECT array_agg(sum_ ORDER BY sum_) FROM
               unnest(ARRAY['tariffs 0.00 [', 'tariffs 9.99 [', 'tariffs 10.00 [', 'tariffs 10.01 [',
                            'tariffs 36.14 [', 'tariffs 36.15 [', 'tariffs 36.16, cap 36.15 [']) sum_
            WHERE (SELECT count(*) FROM diff_view WHERE both_valid AND position(sum_ IN why) > 0) < 100),
          NULL,
          'tariff sums of exactly 0.00, 9.99, 10.00, 10.01, 36.14, 36.15 and 36.16 in at least 100 valid prescriptions each');

SELECT is((SELECT array_agg(fam ORDER BY fam) FROM
               unnest(ARRAY['income', 'regional', 'invalidity', 'pregnancy', 'prevention', 'other',
                            'chronic', 'rare']) fam
            WHERE (SELECT count(*) FROM diff_view v
                    WHERE both_valid
                      AND EXISTS (SELECT FROM unnest(v.exemptions) e WHERE ticket.exemption_family(e) = fam)) < 1000),
          NULL,
          'every exemption family is written on at least 1000 valid prescriptions');

-- Applied (the bill names it): the families whose shipped rules can cover
-- something (prevention and rare codes have no scope rows).
SELECT is((SELECT array_agg(w ORDER BY w) FROM
               unnest(ARRAY['family income', 'family regional', 'family invalidity', 'family pregnancy',
                            'family other', 'family chronic', 'E01', 'E99', 'FA2', '013', '0A31', 'M12', 'L03',
                            'FA2 ignored before 2019', 'code without rule ignored']) w
            WHERE (SELECT count(*) FROM diff_view v
                    WHERE both_valid
                      AND CASE
                            WHEN w LIKE 'family %' THEN ticket.exemption_family((c_bill).exemption) = substr(w, 8)
                            WHEN w = 'FA2 ignored before 2019' THEN 'FA2' = ANY (v.exemptions::text[])
                                 AND v.on_date < '2019-01-01' AND position('exemption FA2 ignored' IN why) > 0
                            WHEN w = 'code without rule ignored' THEN v.exemptions::text[] && ARRAY['FB1', 'FC3']
                                 AND v.on_date >= '2019-01-01' AND position('[ex-unknown]' IN why) > 0
                            ELSE (c_bill).exemption::text = w
                          END) < 100),
          NULL,
          'exemptions of six families, E01, E99, FA2 and the scoped codes 013, 0A31, M12, L03 applied, FA2 before 2019 and codes without rules ignored, at least 100 times each');

-- 5. The errors: every SQLSTATE, and prescriptions with two defects (where
-- the order of the checks decides).
SELECT is((SELECT array_agg(st ORDER BY st) FROM
               unnest(ARRAY['22023', '22004', 'TK001', 'TK002', 'TK003', 'TK004', 'TK005', 'TK009']) st
            WHERE (SELECT count(*) FROM diff_view WHERE r_state = st) < 100),
          NULL,
          'the reference raises 22023, 22004, TK001 to TK005 and TK009 at least 100 times each');

CREATE FUNCTION pg_temp.cat(kind text) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$ SELECT CASE WHEN kind = 'drug' THEN 'drugs' WHEN kind IN ('er_access', 'er_consultation', 'er_exam') THEN 'er'
                  ELSE 'specialist' END $$;

CREATE TEMP VIEW diff_defects AS
SELECT v.id, v.r_state,
       (SELECT count(*) FROM unnest(v.items) i WHERE i.tariff < 0) > 0                AS negative,
       (SELECT count(*) FROM unnest(v.items) i
         WHERE pg_temp.cat(i.kind) <> pg_temp.cat((v.items[1]).kind)) > 0             AS category,
       (SELECT count(*) FROM unnest(v.items) i
         WHERE pg_temp.cat(i.kind) = 'specialist' AND pg_temp.cat((v.items[1]).kind) = 'specialist'
           AND i.branch <> (v.items[1]).branch) > 0                                    AS branch,
       coalesce((SELECT sum(coalesce(i.quantity, 1)) FROM unnest(v.items) i
                  WHERE pg_temp.cat(i.kind) = 'specialist'), 0) > 8                   AS services,
       v.band IS NOT NULL AND NOT EXISTS (
           SELECT FROM ticket.regime_band b
            WHERE b.band = v.band
              AND b.regime_id = (SELECT g.regime_id FROM ticket.regime g WHERE g.effective_from <= v.on_date
                                  ORDER BY g.effective_from DESC LIMIT 1))            AS band
  FROM diff_view v;

SELECT cmp_ok((SELECT count(*) FROM diff_defects
                WHERE r_state IS NOT NULL
                  AND negative::int + category::int + branch::int + services::int + band::int >= 2),
              '>=', 300::bigint,
              'at least 300 invalid prescriptions have two or more defects');

-- 6. The catalogue variant, price(codes text[], ...), on 20,000 code lists.
-- Synthetic codes (T-, X-) are kept in a third of the lists (TK006) and
-- replaced by a laboratory test in the others.
CREATE TEMP TABLE diff_codes_sample ON COMMIT DROP AS
SELECT id, ARRAY(SELECT CASE WHEN id % 3 > 0 AND u.code ~ '^[TX]-' THEN '90.62.2' ELSE u.code END
                   FROM unnest(items) WITH ORDINALITY AS u(code, kind, branch, tariff, quantity, n)
                  ORDER BY u.n) AS codes,
       band, exemptions, on_date
  FROM diff_sample
 WHERE id <= 20000;

CREATE TEMP TABLE diff_codes_result ON COMMIT DROP AS
SELECT s.id, c.*
  FROM diff_codes_sample s CROSS JOIN LATERAL pg_temp.compare(s.codes, s.band, s.exemptions, s.on_date) c;
ALTER TABLE diff_codes_result ADD PRIMARY KEY (id);
ANALYZE diff_codes_sample;
ANALYZE diff_codes_result;

CREATE TEMP VIEW diff_codes AS
SELECT * FROM diff_codes_sample JOIN diff_codes_result USING (id);

SELECT is((SELECT count(*) FROM diff_codes
            WHERE pg_temp.key(c_bill) IS DISTINCT FROM pg_temp.key(r_bill)
               OR (c_state IS DISTINCT FROM r_state AND r_state IS DISTINCT FROM '22004')),
          0::bigint,
          'price(codes text[], ...) agrees with the reference on 20000 code lists (bill or SQLSTATE)');
SELECT diag(format('codes %s: price(%L::text[], %L, %L, %L): C %s / reference %s',
                   id, codes, band, exemptions, on_date,
                   coalesce(c_state, pg_temp.key(c_bill)), coalesce(r_state, pg_temp.key(r_bill))))
  FROM (SELECT * FROM diff_codes
         WHERE pg_temp.key(c_bill) IS DISTINCT FROM pg_temp.key(r_bill)
            OR (c_state IS DISTINCT FROM r_state AND r_state IS DISTINCT FROM '22004')
         ORDER BY id LIMIT 10) d;
SELECT ok((SELECT count(*) FILTER (WHERE r_state IS NULL) BETWEEN 5000 AND 15000
                  AND count(*) FILTER (WHERE r_state = 'TK006') >= 1000
             FROM diff_codes),
          format('the code lists are not vacuous: %s priced, %s unknown codes (TK006)',
                 (SELECT count(*) FILTER (WHERE r_state IS NULL) FROM diff_codes),
                 (SELECT count(*) FILTER (WHERE r_state = 'TK006') FROM diff_codes)));

-- 7. Rules as data: two user regimes of unusual shape (no cap, a cap under
-- the threshold, a threshold of 0, NULL visit and CT/MRI tickets, band
-- amounts NULL, a default band, surgery codes, 12 services, family and code
-- rules of every coverage, new scope rows, a 12.00 emergency-room
-- consultation and a 5.00 cap on its exams; no access ticket but a
-- consultation one), priced over 30,000 more
-- prescriptions (the generator reads the regimes, so it covers their first
-- and last days and their bands).  All rules of one regime agree on
-- spares_band_quota: pricing_rules.sql tests the order of exemptions whose
-- rules disagree.
INSERT INTO ticket.regime (regime_id, effective_from, legal_reference, description, default_band,
    specialist_cap, quota_threshold, quota, ct_mri, first_visit, control_visit, ambulatory_surgery,
    surgery_fixed_codes, drug_per_pack, drug_cap, er_access, er_chargeable_codes, max_items,
    er_consultation, er_exam_cap)
VALUES ('T-2026', '2026-01-01', 'test draft', 'cap under the threshold', NULL,
        8.00, 12.50, 7.00, NULL, 20.00, NULL, 30.00, '{13.41,77.56}', 1.10, NULL, 30.00, '{PS-WHITE,PS-BLUE}', 3,
        12.00, 5.00),
       ('T-2027', '2027-01-01', 'test draft', 'no cap, threshold 0, default band', 'Z2',
        NULL, 0.00, NULL, NULL, NULL, 10.00, NULL, NULL, NULL, NULL, NULL, '{}', 12,
        7.00, NULL);
INSERT INTO ticket.regime_band (regime_id, band, income_range, quota, ct_mri, drug_per_pack, drug_cap)
VALUES ('T-2026', 'W1', '(0,50000]', NULL, 12.00, NULL, NULL),
       ('T-2026', 'W2', '(50000,)', 3.00, NULL, 0.50, 1.20),
       ('T-2026', 'RE1', '[0,0]', 1.00, 1.00, 1.00, 1.00),
       ('T-2027', 'Z1', '[0,20000]', 0.00, 20.00, 1.00, NULL),
       ('T-2027', 'Z2', '(20000,)', 6.00, NULL, 2.00, 5.00);
INSERT INTO ticket.exemption_rule (regime_id, exemption, family, coverage, spares_band_quota, spares_drugs, spares_er)
VALUES ('T-2026', NULL, 'regional', 'first_visit', false, true, true),
       ('T-2026', 'E01', NULL, 'listed', false, false, true),
       ('T-2026', NULL, 'income', 'all', false, false, false),
       ('T-2026', NULL, 'chronic', 'listed', false, true, false),
       ('T-2026', 'M12', NULL, 'all', false, false, false),
       ('T-2026', NULL, 'invalidity', 'first_visit', false, true, true),
       ('T-2027', NULL, 'rare', 'listed', true, true, true),
       ('T-2027', 'E02', NULL, 'listed', true, false, false),
       ('T-2027', NULL, 'pregnancy', 'first_visit', true, false, false),
       ('T-2027', 'FA2', NULL, 'all', true, false, true),
       ('T-2027', NULL, 'chronic', 'listed', true, false, false),
       ('T-2027', NULL, 'other', 'all', true, true, true);
INSERT INTO ticket.exemption_scope (exemption, service_code)
VALUES ('E01', '89.52'), ('E01', 'PS-WHITE'), ('013', '89.7'), ('013', 'T-1'), ('E02', 'T-2'),
       ('RI0050', '88.74.1'), ('RI0050', 'A-0001'), ('RIG010', 'PS-BLUE');

CREATE TEMP TABLE diff_rules_sample ON COMMIT DROP AS
SELECT * FROM ticket_reference.random_prescriptions(30000, -0.2027);
CREATE TEMP TABLE diff_rules_result ON COMMIT DROP AS
SELECT s.id, c.*
  FROM diff_rules_sample s CROSS JOIN LATERAL pg_temp.compare(s.items, s.band, s.exemptions, s.on_date) c;
ALTER TABLE diff_rules_result ADD PRIMARY KEY (id);
ANALYZE diff_rules_sample;
ANALYZE diff_rules_result;
CREATE TEMP VIEW diff_rules AS
SELECT s.*, r.c_bill, r.c_state, r.c_error, r.r_bill, r.r_state,
       r.c_state IS NULL AND r.r_state IS NULL AS both_valid, (r.r_bill).explanation AS why
  FROM diff_rules_sample s JOIN diff_rules_result r USING (id);

SELECT is((SELECT count(*) FROM diff_rules
            WHERE both_valid AND pg_temp.key(c_bill) IS DISTINCT FROM pg_temp.key(r_bill)),
          0::bigint,
          'with two user regimes: the same bill for every valid prescription');
SELECT diag(format('prescription %s: price(%L::ticket.item[], %L, %L, %L): C %s / reference %s (%s)',
                   id, items, band, exemptions, on_date, pg_temp.key(c_bill), pg_temp.key(r_bill), why))
  FROM (SELECT * FROM diff_rules
         WHERE both_valid AND pg_temp.key(c_bill) IS DISTINCT FROM pg_temp.key(r_bill)
         ORDER BY id LIMIT 10) d;
SELECT is((SELECT count(*) FROM diff_rules
            WHERE c_state IS DISTINCT FROM r_state AND r_state IS DISTINCT FROM '22004'),
          0::bigint,
          'with two user regimes: the same SQLSTATE on every other prescription');
SELECT diag(format('prescription %s: price(%L::ticket.item[], %L, %L, %L): C %s (%s) / reference %s',
                   id, items, band, exemptions, on_date, coalesce(c_state, 'no error'), c_error,
                   coalesce(r_state, 'no error: ' || pg_temp.key(r_bill))))
  FROM (SELECT * FROM diff_rules
         WHERE c_state IS DISTINCT FROM r_state AND r_state IS DISTINCT FROM '22004'
         ORDER BY id LIMIT 10) d;
SELECT is((SELECT array_agg(w ORDER BY w) FROM
               unnest(ARRAY['T-2026 [cap]', 'T-2026 [quota]', 'T-2026 [visits]', 'T-2026 [surgery]', 'T-2026 [ct]',
                            'T-2026 [drug]', 'T-2026 [er]', 'T-2026 [er-consult]', 'T-2026 [er-exam-cap]',
                            'T-2026 [ex-applied]', 'T-2026 [no-band]', 'T-2026 TK001',
                            'T-2027 [tariffs]', 'T-2027 [quota]', 'T-2027 [quota-spared]', 'T-2027 [visits]',
                            'T-2027 [ct]', 'T-2027 [drug]', 'T-2027 [er-free]', 'T-2027 [default-band]',
                            'T-2027 [ex-applied]', 'T-2027 TK004']) w
            WHERE (SELECT count(*) FROM diff_rules
                    WHERE coalesce((r_bill).regime, (SELECT g.regime_id FROM ticket.regime g
                                                      WHERE g.effective_from <= on_date
                                                      ORDER BY g.effective_from DESC LIMIT 1)) = split_part(w, ' ', 1)
                      AND CASE WHEN split_part(w, ' ', 2) LIKE 'TK%' THEN r_state = split_part(w, ' ', 2)
                               ELSE both_valid AND position(split_part(w, ' ', 2) IN why) > 0 END) < 50),
          NULL,
          'the user regimes are not vacuous: each of their rules fires, and their errors are raised, at least 50 times');

SELECT * FROM finish();
ROLLBACK;
