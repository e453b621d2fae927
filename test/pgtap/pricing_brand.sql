-- test/pgtap/pricing_brand.sql
--
-- Issue 18, "missing today": brand versus generic.  ticket.price_drugs on
-- the shipped rules: the difference between a drug's price and the
-- reference price of its class is paid on top of the drug ticket, outside
-- its cap, by exempt and non-exempt alike, except war invalids (G01, G02)
-- and victims of terrorism (V01, V02).  Sources
-- (../shared/docs/ticket-rules.md): §2.6 and §9 item 2 [C S13, S46]; §4.3
-- for the codes [C S37]; AUSL Romagna, ticket farmaci (S19): "anche gli
-- assistiti titolari di esenzione (con la sola eccezione degli invalidi di
-- guerra e delle vittime del terrorismo)"; L. 405/2001 art. 7 c. 4 (the
-- difference is the patient's also when the prescriber marks the drug not
-- substitutable).  Drug prices are hypothetical: a brand pack at 12.50
-- whose class has the reference price 8.50, 4.00 of difference a pack.
-- Then a differential test against ticket_reference.price_drugs
-- (test/reference/pricing_reference.sql) on 6,000 generated prescriptions.
--
-- Assumes CREATE EXTENSION ticket and pgtap.  Run: pg_prove -d DB test/pgtap/

\set ON_ERROR_STOP 1
BEGIN;
SET search_path = ticket, public;

SET client_min_messages = warning;
\ir ../reference/pricing_reference.sql
RESET client_min_messages;

SELECT plan(32);

CREATE FUNCTION pg_temp.brand(packs int, not_substitutable boolean DEFAULT false) RETURNS ticket.drug[]
LANGUAGE sql IMMUTABLE
AS $$ SELECT ARRAY[ROW('A-0003', packs, 12.50, 8.50, not_substitutable)::ticket.drug] $$;

CREATE FUNCTION pg_temp.total(drugs ticket.drug[], band text, exemptions text[], on_date date) RETURNS numeric
LANGUAGE sql STABLE
AS $$ SELECT (ticket.price_drugs(drugs, band::ticket.income_band, exemptions::ticket.exemption[], on_date)).total $$;

-- 2025 (DGR 390/2025: 2.20 a pack, at most 4.00; §3.6, S14 S27)
SELECT is(pg_temp.total(pg_temp.brand(1), NULL, NULL, '2025-06-03'), 6.20,
          '2025, one brand pack: 2.20 ticket + 4.00 difference (§2.6, §3.6; S13 S46 S27)');
SELECT is(pg_temp.total(pg_temp.brand(2), NULL, NULL, '2025-06-03'), 12.00,
          '2025, two brand packs: the 4.00 cap + 8.00, the difference outside the cap (§2.6 "always extra")');
SELECT is(pg_temp.total(pg_temp.brand(2), NULL, '{E01}', '2025-06-03'), 8.00,
          '2025, E01 (income, total): no ticket, the difference all the same (S13 S46 S19)');
SELECT is(pg_temp.total(pg_temp.brand(1), NULL, '{C01}', '2025-06-03'), 4.00,
          '2025, C01 (civil invalid 100 %): the difference (only war invalids and terrorism victims are spared, S19)');
SELECT is(pg_temp.total(pg_temp.brand(1), NULL, '{L03}', '2025-06-03'), 4.00,
          '2025, L03 (work invalid, every drug free of the ticket): the difference');
SELECT is(pg_temp.total(pg_temp.brand(2), NULL, '{G01}', '2025-06-03'), 0.00,
          '2025, G01 (war invalid cat. 1-5): nothing (§2.6, §4.3; S13 S46 S19)');
SELECT is(pg_temp.total(pg_temp.brand(2), NULL, '{G02}', '2025-06-03'), 0.00,
          '2025, G02 (war invalid cat. 6-8): nothing');
SELECT is(pg_temp.total(pg_temp.brand(2), NULL, '{V01}', '2025-06-03'), 0.00,
          '2025, V01 (victim of terrorism): nothing');
SELECT is(pg_temp.total(pg_temp.brand(2), NULL, '{V02}', '2025-06-03'), 0.00,
          '2025, V02 (victim of terrorism, invalidity > 80 %): nothing');
SELECT is(pg_temp.total(pg_temp.brand(1, true), NULL, NULL, '2025-06-03'), 6.20,
          '2025, marked not substitutable: 6.20 all the same (L. 405/2001 art. 7 c. 4)');
SELECT is(pg_temp.total(ARRAY[ROW('A-0003', 1, 12.50, NULL, false)::ticket.drug], NULL, NULL, '2025-06-03'), 2.20,
          '2025, no reference price: the drug ticket only');
SELECT is(pg_temp.total(ARRAY[ROW('A-0004', 2, 7.00, 8.50, false)::ticket.drug], NULL, NULL, '2025-06-03'), 4.00,
          '2025, a generic below its reference price: the drug ticket only');

-- 2020 - 1 May 2025: no drug ticket, the difference only (§0: "only
-- brand-vs-generic price difference"; S13)
SELECT is(pg_temp.total(pg_temp.brand(3), NULL, NULL, '2022-03-01'), 12.00,
          '2022, three brand packs: no drug ticket, 12.00 of difference (§0, §3.4; S13)');
SELECT is(pg_temp.total(pg_temp.brand(3), NULL, '{G02}', '2022-03-01'), 0.00,
          '2022, G02: nothing');
SELECT is(pg_temp.total(pg_temp.brand(3), NULL, '{E04}', '2022-03-01'), 12.00,
          '2022, E04 (minimum pension): the difference (S19: exempt citizens pay it)');

-- 2011-2018: bands (§2.6, S7 S10 S11)
SELECT is(pg_temp.total(pg_temp.brand(2), 'RE2', NULL, '2015-05-05'), 10.00,
          '2015 RE2, two brand packs: 2.00 (cap) + 8.00');
SELECT is(pg_temp.total(pg_temp.brand(2), 'RE1', NULL, '2015-05-05'), 8.00,
          '2015 RE1: no drug ticket, the difference');
SELECT is(pg_temp.total(pg_temp.brand(2), 'RE3', '{G02}', '2015-05-05'), 4.00,
          '2015 RE3, G02 (partial: drugs outside its list pay the ticket): 4.00, no difference');
SELECT is((ticket.price_drugs(pg_temp.brand(1), 'RE3', '{G02}', '2015-05-05')).exemption::text, 'G02',
          'the bill names G02, which spared the difference');
SELECT is(pg_temp.total(pg_temp.brand(1), NULL, '{S01}', '2009-06-01'), 4.00,
          '2009 (before the bands), S01 (service invalid): the difference');
SELECT is(pg_temp.total(pg_temp.brand(1), NULL, '{G01}', '2009-06-01'), 0.00,
          '2009, G01: nothing');

-- The explanation says it.
SELECT matches((ticket.price_drugs(pg_temp.brand(2), NULL, NULL, '2025-06-03')).explanation,
               '2 packs x 2\.20 capped at 4\.00; brand difference 8\.00 over the reference price',
               'the explanation names the brand difference');
SELECT matches((ticket.price_drugs(pg_temp.brand(2), NULL, '{V01}', '2025-06-03')).explanation,
               'brand difference 8\.00 spared by exemption V01',
               'the explanation names the exemption that spared it');

-- Errors.
SELECT throws_ok($$SELECT ticket.price_drugs(ARRAY[ROW('A-0003', 1, 12.50, -0.01, false)::ticket.drug], NULL, NULL, '2025-06-03')$$,
                 '22023', NULL, 'a negative reference price: 22023');
SELECT throws_ok($$SELECT ticket.price_drugs(ARRAY[ROW('A-0003', 1, 12.50, 'NaN', false)::ticket.drug], NULL, NULL, '2025-06-03')$$,
                 '22023', NULL, 'a reference price that is not a number: 22023');
SELECT throws_ok($$SELECT ticket.price_drugs(ARRAY[ROW('A-0003', 1, NULL, 8.50, false)::ticket.drug], NULL, NULL, '2025-06-03')$$,
                 '22004', NULL, 'no price: 22004');

-- The shipped rules: exactly G01, G02, V01 and V02 spare it, in every regime.
SELECT results_eq($$SELECT r.regime_id, array_agg(r.exemption::text ORDER BY r.exemption::text)
                      FROM ticket.exemption_rule r WHERE r.spares_brand_difference
                     GROUP BY r.regime_id ORDER BY r.regime_id$$,
                  $$SELECT g.regime_id, '{G01,G02,V01,V02}'::text[] FROM ticket.regime g
                     WHERE g.shipped ORDER BY g.regime_id$$,
                  'every shipped regime: G01, G02, V01 and V02 spare the brand difference, nothing else');

-- ticket.item keeps its five fields: callers writing ROW(...)::ticket.item
-- go on working (the reason drugs have their own type).
SELECT is((ticket.price(ARRAY[ROW('A-0003', 'drug', 'pharmacy', 12.50, 1)::ticket.item], NULL, NULL, '2025-06-03')).total,
          2.20, 'ticket.price of a five-field drug item: unchanged, no difference');

-- Differential: ticket.price_drugs against ticket_reference.price_drugs.
CREATE TEMP TABLE brand_sample ON COMMIT DROP AS
WITH seeded AS (SELECT setseed(0.405)),
p AS (
    SELECT id,
           (date '2008-12-20' + floor(random() * 6600)::int) AS on_date,
           random() AS xb, random() AS xe, 1 + floor(random() * 3)::int AS nlines
      FROM seeded, generate_series(1, 6000) id)
SELECT p.id, p.on_date,
       (SELECT array_agg(CASE WHEN random() < 0.005 THEN NULL
                              ELSE ROW(format('A-%s', 1000 + l), (CASE WHEN random() < 0.1 THEN NULL
                                                                       WHEN random() < 0.01 THEN 0
                                                                       ELSE 1 + floor(random() * 3)::int END),
                                       (CASE WHEN random() < 0.01 THEN -1.00
                                             ELSE round((random() * 30)::numeric, 2) END),
                                       (CASE WHEN random() < 0.2 THEN NULL
                                             WHEN random() < 0.01 THEN -0.50
                                             ELSE round((random() * 25)::numeric, 2) END),
                                       random() < 0.3)::ticket.drug END)
          FROM generate_series(1, p.nlines) l WHERE p.id > 0) AS drugs,
       -- a band of the date's regime, none, or (5 %) any
       (CASE WHEN p.xb < 0.55 THEN NULL
             WHEN p.xb < 0.95 THEN (SELECT b.band::text FROM ticket.regime_band b
                                     WHERE b.regime_id = (SELECT g.regime_id FROM ticket.regime g
                                                           WHERE g.effective_from <= p.on_date
                                                           ORDER BY g.effective_from DESC LIMIT 1)
                                     ORDER BY random() LIMIT 1)
             ELSE (ARRAY['RE1', 'RE2', 'RE3', 'QB', 'QM'])[1 + floor(random() * 5)::int] END)::ticket.income_band AS band,
       (CASE WHEN p.xe < 0.35 THEN NULL
             ELSE ARRAY[(ARRAY['G01', 'G02', 'V01', 'V02', 'E01', 'C01', 'L03', '013', 'S01', 'FA2'])[1 + floor(random() * 10)::int],
                        (ARRAY['G02', 'V01', 'E02', '013', 'M12', NULL])[1 + floor(random() * 6)::int]] END)::ticket.exemption[] AS exemptions
  FROM p;

CREATE FUNCTION pg_temp.compare(drugs ticket.drug[], band ticket.income_band, exemptions ticket.exemption[], on_date date,
                                OUT c_bill ticket.bill, OUT c_state text, OUT r_bill ticket.bill, OUT r_state text)
LANGUAGE plpgsql
AS $$
BEGIN
    BEGIN
        c_bill := ticket.price_drugs(drugs, band, exemptions, on_date);
    EXCEPTION WHEN OTHERS THEN
        c_state := SQLSTATE;
    END;
    BEGIN
        r_bill := ticket_reference.price_drugs(drugs, band, exemptions, on_date);
    EXCEPTION WHEN OTHERS THEN
        r_state := SQLSTATE;
    END;
END;
$$;

CREATE TEMP TABLE brand_result ON COMMIT DROP AS
SELECT s.*, c.*,
       format('total %s base %s quota %s regime %s band %s exemption %s', (c.c_bill).total, (c.c_bill).base,
              (c.c_bill).band_quota, (c.c_bill).regime, (c.c_bill).band, (c.c_bill).exemption) AS c_key,
       format('total %s base %s quota %s regime %s band %s exemption %s', (c.r_bill).total, (c.r_bill).base,
              (c.r_bill).band_quota, (c.r_bill).regime, (c.r_bill).band, (c.r_bill).exemption) AS r_key
  FROM brand_sample s CROSS JOIN LATERAL pg_temp.compare(s.drugs, s.band, s.exemptions, s.on_date) c;

SELECT is((SELECT count(*) FROM brand_result
            WHERE c_state IS DISTINCT FROM r_state
               OR (c_state IS NULL AND c_key IS DISTINCT FROM r_key)),
          0::bigint,
          'ticket.price_drugs and ticket_reference.price_drugs agree on 6,000 prescriptions (bill or SQLSTATE)');
SELECT diag(format('price_drugs(%L::ticket.drug[], %L, %L, %L): C %s %s / reference %s %s',
                   drugs, band, exemptions, on_date, c_state, c_key, r_state, r_key))
  FROM (SELECT * FROM brand_result
         WHERE c_state IS DISTINCT FROM r_state OR (c_state IS NULL AND c_key IS DISTINCT FROM r_key)
         ORDER BY id LIMIT 10) d;
-- Not vacuous: differences charged, differences spared, errors.
SELECT ok((SELECT count(*) FROM brand_result WHERE (r_bill).explanation LIKE '%[brand]%') > 1000,
          'over 1,000 valid prescriptions pay a brand difference');
SELECT ok((SELECT count(*) FROM brand_result WHERE (r_bill).explanation LIKE '%[brand-spared]%') > 300,
          'over 300 have it spared by an exemption');
SELECT diag((SELECT format('%s charged, %s spared, %s refused', count(*) FILTER (WHERE (r_bill).explanation LIKE '%[brand]%'), count(*) FILTER (WHERE (r_bill).explanation LIKE '%[brand-spared]%'), count(*) FILTER (WHERE r_state IS NOT NULL)) FROM brand_result));
SELECT ok((SELECT count(*) FROM brand_result WHERE r_state IS NOT NULL) BETWEEN 100 AND 1500,
          'between 100 and 1,500 are refused (the defects)');

SELECT * FROM finish();
ROLLBACK;
