-- test/pgtap/rules_fidelity_2011_2025.sql
--
-- Issue 18, "wrong today": a pricing case for every rule the December 2026
-- review (../shared/docs/ticket-rules.md §9) found wrong in 1.1, each at its
-- boundary and with its source id.  Every check here fails on the rule data
-- of 1.2 (the retroactive window, the 2019 mapping, the 2025 drug ticket of
-- the invalidity codes, FA2's legal reference, FA2's age limit from 2025
-- and its grants by fiscal year), but the boundary cases said to hold on
-- both sides.
--
-- Assumes CREATE EXTENSION ticket CASCADE and pgtap.  Run: pg_prove -d DB test/pgtap/

\set ON_ERROR_STOP 1
BEGIN;
\ir ../fixtures/birthplaces.sql
SET search_path = ticket, public;

SELECT plan(47);

-- A bill as one line of text: total = base + quota; regime; band; exemption.
CREATE FUNCTION pg_temp.bill(b ticket.bill) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$ SELECT format('%s = %s + %s; %s; band %s; exemption %s', b.total, b.base, b.band_quota,
                    b.regime, coalesce(b.band::text, '-'), coalesce(b.exemption::text, '-')) $$;

-- Two packs of a fascia A drug with a code written on the prescription.
CREATE FUNCTION pg_temp.two_packs(exemption text, on_date date, drug text DEFAULT 'A-0001') RETURNS text
LANGUAGE sql AS $$
    SELECT pg_temp.bill(ticket.price(ARRAY[drug, drug], NULL,
                                     CASE WHEN exemption IS NULL THEN NULL ELSE ARRAY[exemption]::ticket.exemption[] END,
                                     on_date)) $$;

--------------------------------------------------------------------------
-- 1. The 2025 drug ticket and the invalidity codes (§3.6, §9; S14 S27 S28):
--    every invalidity exemption spares the ticket on all fascia A drugs,
--    also the codes that are partial for specialist services; chronic and
--    rare diseases, chronic pain and work injury only the related drugs.
--    1.1 charged 2 x 2.20 capped at 4.00 to G02, L03, S03, N01, V01.
--------------------------------------------------------------------------
SELECT is(pg_temp.two_packs(NULL, '2025-05-01'), '0.00 = 0.00 + 0.00; ER-2020-09-01; band -; exemption -',
          'S27: 2025-05-01, two packs, no exemption: no drug ticket yet');
SELECT is(pg_temp.two_packs(NULL, '2025-05-02'), '4.00 = 4.00 + 0.00; ER-2025-05-02; band -; exemption -',
          'S27: 2025-05-02, two packs, no exemption: min(2 x 2.20, 4.00) = 4.00');
SELECT is(pg_temp.two_packs(code, '2025-05-02'), format('0.00 = 0.00 + 0.00; ER-2025-05-02; band -; exemption %s', code),
          format('S14 S27 S28: 2025-05-02, %s (partial for services), two packs of any fascia A drug: 0.00', code))
  FROM unnest(ARRAY['G02', 'L03', 'S03', 'N01', 'V01']) AS code;
SELECT is(pg_temp.two_packs('S04', '2025-05-02'), '0.00 = 0.00 + 0.00; ER-2025-05-02; band -; exemption S04',
          'S14 S27: 2025-05-02, S04 (service): every fascia A drug (a choice: S04 is of the service family)');
SELECT is(pg_temp.two_packs('L04', '2025-05-02'), '4.00 = 4.00 + 0.00; ER-2025-05-02; band -; exemption -',
          'S27 S28: 2025-05-02, L04 work injury, an unrelated drug: 4.00 (related drugs only)');
SELECT is(pg_temp.two_packs('TDL01', '2025-05-02'), '4.00 = 4.00 + 0.00; ER-2025-05-02; band -; exemption -',
          'S27 S28: 2025-05-02, TDL01 chronic pain, an unrelated drug: 4.00 (related drugs only)');
SELECT is(pg_temp.two_packs('013', '2025-05-02'), '4.00 = 4.00 + 0.00; ER-2025-05-02; band -; exemption -',
          'S27: 2025-05-02, 013 diabetes, an unrelated drug: 4.00');
SELECT is(pg_temp.two_packs('013', '2025-05-02', 'A-0002'), '0.00 = 0.00 + 0.00; ER-2025-05-02; band -; exemption 013',
          'S27: 2025-05-02, 013 diabetes, its own drug (metformin): 0.00');
SELECT is(pg_temp.bill(ticket.price(ARRAY['89.52'], NULL, '{G02}', '2025-05-02')),
          '11.62 = 11.62 + 0.00; ER-2025-05-02; band -; exemption -',
          'S54 S27: 2025-05-02, G02 stays partial for specialist services: an unrelated ECG pays 11.62');
SELECT is((SELECT count(*)::int FROM ticket.exemption_rule
            WHERE regime_id = 'ER-2025-05-02' AND (family = 'invalidity' OR exemption IN ('L04', 'TDL01'))
              AND note ~ 'S27'), 3,
          'the 2025 rules cite S27 in their notes');

--------------------------------------------------------------------------
-- 2. 1 January 2019: the RE1-RE3 declarations become QB automatically; only
--    the top income and no declaration fall in QM (§3.3, §9; S15 S48).
--------------------------------------------------------------------------
SELECT is(ticket.effective_band(b::ticket.income_band, '2018-12-31')::text, b, format('S15: 2018-12-31, %s declared: %s charged', b, b))
  FROM unnest(ARRAY['RE1', 'RE2', 'RE3']) AS b;
SELECT is(ticket.effective_band(b::ticket.income_band, '2019-01-01')::text, 'QB', format('S15 S48: 2019-01-01, %s declared: QB charged', b))
  FROM unnest(ARRAY['RE1', 'RE2', 'RE3']) AS b;
SELECT is(pg_temp.bill(ticket.price(ARRAY['89.52'], ticket.effective_band('RE3', '2019-01-01'), NULL, '2019-01-01')),
          '11.62 = 11.62 + 0.00; ER-2019-01-01; band QB; exemption -',
          'S15 S48: 2019-01-01, an RE3 declaration, ECG: QB, no quota (1.1: QM, 26.62)');
SELECT is(pg_temp.bill(ticket.price(ARRAY['89.52'], ticket.effective_band(NULL, '2019-01-01'), NULL, '2019-01-01')),
          '26.62 = 11.62 + 15.00; ER-2019-01-01; band QM; exemption -',
          'S15: 2019-01-01, no declaration (or the top income), ECG: QM, 15.00 quota');
SELECT is(ticket.effective_band('RE2', '2020-09-01'), NULL, 'S8 S18: 2020-09-01, no bands: RE2 charges nothing');

--------------------------------------------------------------------------
-- 3. The retroactive adjustment was the 2011 transition: declarations
--    until 30 September 2011 for the services from 29 August (§1.4, §9;
--    S3 S4 S5); afterwards paid bookings are final.
--------------------------------------------------------------------------
INSERT INTO registry.gp (gp_code, fiscal_code, surname, given_name, asl_code)
VALUES ('GP018', ticket.fiscal_code_encode('Bianchi', 'Luca', 'M', '1960-02-03', 'F257'),
        'Bianchi', 'Luca', '080105');
CREATE FUNCTION pg_temp.citizen(surname text, given_name text, birth_date date) RETURNS text
LANGUAGE sql AS $$
    INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl, gp_code)
    VALUES (ticket.fiscal_code_encode(surname, given_name, 'F', birth_date, 'A944'),
            surname, given_name, 'F', birth_date, 'A944', '080105', 'GP018')
    RETURNING fiscal_code::text $$;
-- An ultrasound (45.00) prescribed, booked and paid without a band; then an
-- RE1 form signed on a later day, applying from applies_from.  Returns the
-- sum of the adjustments of the paid booking.
CREATE FUNCTION pg_temp.late_form(citizen text, nre text, service_date date, applies_from date, signed_on date)
RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE
    bk bigint;
    paid numeric;
BEGIN
    PERFORM fse.prescribe(nre, citizen::ticket.fiscal_code, 'GP018', ARRAY['88.74.1'], NULL, service_date - 3);
    bk := (cup.book(nre, service_date)).booking_id;
    paid := (SELECT b.amount FROM cup.booking b WHERE b.booking_id = bk);
    PERFORM cup.pay(bk, paid);
    PERFORM registry.self_certify(citizen::ticket.fiscal_code, 'RE1', 'cup_desk', 'op1', applies_from, NULL, NULL,
                                  (signed_on + time '10:00')::timestamptz);
    RETURN coalesce((SELECT sum(amount) FROM cup.adjustment a WHERE a.booking_id = bk), 0);
END;
$$;
SELECT pg_temp.citizen('Late', 'Anna', '1970-01-01') AS anna, pg_temp.citizen('Late', 'Bice', '1971-01-01') AS bice,
       pg_temp.citizen('Late', 'Carla', '1972-01-01') AS carla \gset

SELECT is(pg_temp.late_form(:'anna', '080000000018001', '2011-09-05', '2011-08-29', '2011-09-30'), -15.00,
          'S3 S4 S5: service 2011-09-05 paid 51.15 without a band, RE1 signed 2011-09-30: the 15.00 quota refunded');
SELECT is(pg_temp.late_form(:'bice', '080000000018002', '2011-09-05', '2011-08-29', '2011-10-01'), 0.00,
          'S3 S4 S5: the same service, RE1 signed 2011-10-01: after the transition, nothing (1.1: -15.00 within 60 days)');
SELECT is(pg_temp.late_form(:'carla', '080000000018003', '2015-03-02', '2015-03-01', '2015-03-10'), 0.00,
          'S3 S4 S5: 2015, RE1 signed 8 days after a paid service: paid bookings are final (1.1: a permanent 60-day window)');
SELECT is((SELECT array_agg(format('%s:%s:%s', r.regime_id, r.adjustment_grace_days, to_jsonb(r) ->> 'adjustment_until')
                            ORDER BY r.effective_from)
             FROM ticket.regime r WHERE r.shipped)::text,
          '{ER-BASELINE::,ER-2011-05-01::,ER-2011-08-29:60:2011-09-30,ER-2012-02-01::,ER-2019-01-01::,ER-2020-09-01::,ER-2025-05-02::}',
          'S3 S4 S5: only the 2011 regime has an adjustment window, closed on 30 September 2011');

--------------------------------------------------------------------------
-- 4. FA2: its legal reference is DGR 2076/2018 (§9; S29 S48).
--------------------------------------------------------------------------
SELECT is((SELECT count(*)::int FROM ticket.exemption_rule WHERE exemption = 'FA2' AND note ~ 'DGR 2076/2018'), 3,
          'S29 S48: every FA2 rule names DGR 2076/2018');

--------------------------------------------------------------------------
-- 5. FA2 from 2 May 2025: children up to 14 only, expiring at 15; parents
--    no longer (§3.6, §9; S28 S29 S30).  1.2 exempted every holder of an
--    FA2 grant whatever the age: each "23.00" below was 0.00.
--------------------------------------------------------------------------
-- A first visit (89.7) priced for a registered citizen on a day, with the
-- exemptions the registry gives that day (cup.price_for).
CREATE FUNCTION pg_temp.first_visit(citizen text, on_date date) RETURNS text
LANGUAGE sql AS $$ SELECT pg_temp.bill(cup.price_for(citizen::ticket.fiscal_code, ARRAY['89.7'], on_date)) $$;
SELECT pg_temp.citizen('Figli', 'Dora', '2011-05-02') AS dora,      -- 14 on 2025-05-02 (15 on 2026-05-02)
       pg_temp.citizen('Figli', 'Elsa', '2010-05-02') AS elsa,      -- 15 on 2025-05-02
       pg_temp.citizen('Figli', 'Flora', '2010-05-03') AS flora,    -- 14 on 2025-05-02, 15 on 2025-05-03
       pg_temp.citizen('Figli', 'Gemma', '1980-03-10') AS gemma \gset
SELECT registry.grant_exemption(c::ticket.fiscal_code, 'FA2', '2025-04-01', 'asl_certificate')
  FROM unnest(ARRAY[:'dora', :'elsa', :'flora', :'gemma']) AS c;

SELECT is(pg_temp.first_visit(:'dora', '2025-05-02'), '0.00 = 0.00 + 0.00; ER-2025-05-02; band -; exemption FA2',
          'S29 S30: 2025-05-02, FA2 child aged 14, first visit: exempt');
SELECT is(pg_temp.first_visit(:'elsa', '2025-05-02'), '23.00 = 23.00 + 0.00; ER-2025-05-02; band -; exemption -',
          'S29 S30: 2025-05-02, FA2 child aged 15, first visit: 23.00 (1.2: 0.00)');
SELECT is(pg_temp.first_visit(:'elsa', '2025-05-01'), '0.00 = 0.00 + 0.00; ER-2020-09-01; band -; exemption FA2',
          'S29 S48: 2025-05-01, the same 15-year-old: exempt under DGR 2076/2018 (no age limit before 2 May 2025)');
SELECT is(pg_temp.first_visit(:'flora', '2025-05-02'), '0.00 = 0.00 + 0.00; ER-2025-05-02; band -; exemption FA2',
          'S29 S30: 2025-05-02, the day before her 15th birthday: exempt');
SELECT is(pg_temp.first_visit(:'flora', '2025-05-03'), '23.00 = 23.00 + 0.00; ER-2025-05-02; band -; exemption -',
          'S29 S30: 2025-05-03, her 15th birthday: FA2 expired, 23.00 (1.2: 0.00)');
SELECT is(pg_temp.first_visit(:'gemma', '2025-05-02'), '23.00 = 23.00 + 0.00; ER-2025-05-02; band -; exemption -',
          'S28 S30: 2025-05-02, a parent with an FA2 grant: no longer covered, 23.00 (1.2: 0.00)');
SELECT is((ticket.citizen_status(:'flora', '2025-05-03')).exemptions, '{}'::ticket.exemption[],
          'S29 S30: the registry gives no FA2 to a 15-year-old (ticket.citizen_status)');
SELECT is((fse.status(:'dora', '2025-05-02')).exemptions, '{FA2}'::ticket.exemption[],
          'S29 S30: fse.status shows FA2 to a 14-year-old');

--------------------------------------------------------------------------
-- 6. FA2 grants run by fiscal year, 1 April - 31 March, since 2022 (§3.5,
--    §9; S29 S30 S48): an open grant closes at the next 1 April.  1.2 left
--    it open.
--------------------------------------------------------------------------
SELECT is(upper((registry.grant_exemption(:'dora', 'FA2', '2023-03-31', 'self_certification')).valid), '2023-04-01'::date,
          'S29 S48: FA2 granted from 31 March 2023: ends on 31 March 2023 (1.2: open)');
SELECT is(upper((registry.grant_exemption(:'dora', 'FA2', '2023-04-01', 'self_certification')).valid), '2024-04-01'::date,
          'S29 S48: FA2 granted from 1 April 2023: runs to 31 March 2024 (1.2: open)');
SELECT is(upper((registry.grant_exemption(:'elsa', 'FA2', '2019-06-01', 'self_certification', '2021-06-01')).valid), '2021-06-01'::date,
          'S48: an FA2 grant of 2019-2021 (before 2022): as granted');
SELECT throws_ok(format($$SELECT registry.grant_exemption(%L, 'FA2', '2024-04-01', 'self_certification', '2025-04-02')$$, :'flora'),
          '22023', 'exemption FA2 runs at most to 2025-03-31: [2024-04-01,2025-04-02) asks until 2025-04-01',
          'S29 S48: an FA2 grant asking past 31 March: refused');

--------------------------------------------------------------------------
-- 7. The emergency room (§2.5, §9; S25 S26 S61): the white-code-only ticket
--    until April 2011; from 1 May 2011 by appropriateness (DGR 389/2011):
--    white and green pay 25.00, light blue, orange and red do not.  1.2
--    charged green from 2009 (ER-BASELINE had white and green).
--------------------------------------------------------------------------
CREATE FUNCTION pg_temp.er(code text, on_date date) RETURNS text
LANGUAGE sql AS $$ SELECT pg_temp.bill(ticket.price(ARRAY[code], NULL, NULL, on_date)) $$;
SELECT is(pg_temp.er('PS-GREEN', '2011-04-30'), '0.00 = 0.00 + 0.00; ER-BASELINE; band -; exemption -',
          'S25 S26: 2011-04-30, green triage: no ticket, white code only (1.2: 25.00)');
SELECT is(pg_temp.er('PS-GREEN', '2009-01-01'), '0.00 = 0.00 + 0.00; ER-BASELINE; band -; exemption -',
          'S25 S26: 2009-01-01, green triage: no ticket (1.2: 25.00)');
SELECT is(pg_temp.er('PS-WHITE', '2011-04-30'), '25.00 = 25.00 + 0.00; ER-BASELINE; band -; exemption -',
          'S25: 2011-04-30, white triage: 25.00');
SELECT is(pg_temp.er('PS-GREEN', '2011-05-01'), '25.00 = 25.00 + 0.00; ER-2011-05-01; band -; exemption -',
          'S25 S61: 2011-05-01, green triage, judged inappropriate: 25.00 (DGR 389/2011)');
SELECT is(pg_temp.er('PS-BLUE', '2011-05-01'), '0.00 = 0.00 + 0.00; ER-2011-05-01; band -; exemption -',
          'S25: 2011-05-01, light-blue triage: no ticket');
SELECT is((SELECT legal_reference FROM ticket.regime WHERE regime_id = 'ER-2011-05-01') ~ 'DGR 389/2011', true,
          'S26 S61: the May 2011 regime names DGR 389/2011');

SELECT ticket.draft_regime('ER-2025-05-02', 'ER-2027-01-01', '2027-01-01') \g /dev/null
SELECT is((SELECT array_agg(format('%s:%s:%s', coalesce(exemption::text, family), max_age, covers_all_drugs)
                            ORDER BY exemption::text)
             FROM ticket.exemption_rule WHERE regime_id = 'ER-2027-01-01' AND (exemption = 'FA2' OR family = 'invalidity')),
          '{FA2:14:f,invalidity::t}',
          'S29 S30 S27: a draft copy of the 2025 regime keeps FA2''s age limit and the invalidity drugs');

SELECT * FROM finish();
ROLLBACK;
