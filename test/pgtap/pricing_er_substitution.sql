-- test/pgtap/pricing_er_substitution.sql
--
-- Issue 18, two rules kept as data in ticket.regime:
--
-- 1. The emergency room from May 2011 (DGR 389/2011): the 25.00 of a white
--    or green access covers the first PS visit; each further consultant
--    visit the PS doctor asks for costs another 25.00 (er_consultation),
--    and the exams PS prescribes are charged by tariff up to 36.15 a
--    prescription (er_exam_cap), only with an access that pays -- red (and
--    light-blue, orange) accesses and exempt patients pay none of them.
--    Sources (../shared/docs/ticket-rules.md): §2.5 and §9 [C S25; S26 S61];
--    S13, an older regional page, says 23.00 a consultation: S25, the
--    Region's current page, is taken (a draft shows the other figure is
--    data).  Before May 2011 (ER-BASELINE) neither rule: the white access
--    only.
-- 2. The prescriber's "not substitutable" mark: L. 405/2001 art. 7 c. 4
--    puts the brand difference on the patient then too (every shipped
--    regime: not_substitutable_spares_brand_difference false); §9 item 2
--    [C S13, S46] and the issue say it spares it.  A regime made with
--    ticket.draft_regime and the column set to true shows both settings.
--
-- Items of the emergency room are written out (ticket.item): the shipped
-- catalogue has the accesses only; a consultation service is added here for
-- the codes form of ticket.price_under.  Exam tariffs are hypothetical.
--
-- Assumes CREATE EXTENSION ticket and pgtap.  Run: pg_prove -d DB test/pgtap/

\set ON_ERROR_STOP 1
BEGIN;
SET search_path = ticket, public;

SELECT plan(33);

-- A bill as one line of text: total = base + quota; regime; band; exemption.
CREATE FUNCTION pg_temp.bill(b ticket.bill) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$ SELECT format('%s = %s + %s; %s; band %s; exemption %s', b.total, b.base, b.band_quota,
                    b.regime, coalesce(b.band::text, '-'), coalesce(b.exemption::text, '-')) $$;

-- An access of a triage colour, n further consultations, exams of the given tariffs.
CREATE FUNCTION pg_temp.er(access text, consultations int, exams numeric[]) RETURNS ticket.item[]
LANGUAGE sql IMMUTABLE
AS $$
    SELECT ARRAY[ROW(access, 'er_access', 'emergency', 0.00, 1)::ticket.item]
           || CASE WHEN consultations > 0
                   THEN ARRAY[ROW('PS-CONSULT', 'er_consultation', 'emergency', 0.00, consultations)::ticket.item]
                   ELSE '{}'::ticket.item[] END
           || coalesce((SELECT array_agg(ROW('87.44.1', 'er_exam', 'emergency', t, 1)::ticket.item)
                          FROM unnest(exams) t), '{}')
$$;

CREATE FUNCTION pg_temp.er_bill(items ticket.item[], on_date date, exemptions text[] DEFAULT NULL,
                                band text DEFAULT NULL) RETURNS text
LANGUAGE sql STABLE
AS $$ SELECT pg_temp.bill(ticket.price(items, band::ticket.income_band, exemptions::ticket.exemption[], on_date)) $$;

--------------------------------------------------------------------------
-- 1. The emergency room's further consultations and exams (§2.5, §9).
--------------------------------------------------------------------------
SELECT is((SELECT array_agg(format('%s:%s:%s', regime_id, er_consultation, er_exam_cap) ORDER BY effective_from)
             FROM ticket.regime WHERE shipped),
          '{ER-BASELINE::,ER-2011-05-01:25.00:36.15,ER-2011-08-29:25.00:36.15,ER-2012-02-01:25.00:36.15,ER-2019-01-01:25.00:36.15,ER-2020-09-01:25.00:36.15,ER-2025-05-02:25.00:36.15}',
          'S25 S26 S61: from May 2011 every shipped regime has 25.00 a consultation and the 36.15 exams cap; ER-BASELINE neither');

SELECT is(pg_temp.er_bill(pg_temp.er('PS-GREEN', 2, '{}'), '2011-05-01'),
          '75.00 = 75.00 + 0.00; ER-2011-05-01; band -; exemption -',
          'S25: 2011-05-01, green access + 2 further consultations: 25.00 + 2 x 25.00');
SELECT is(pg_temp.er_bill(pg_temp.er('PS-WHITE', 1, '{}'), '2025-05-02'),
          '50.00 = 50.00 + 0.00; ER-2025-05-02; band -; exemption -',
          'S25: 2025-05-02, white access + 1 further consultation: 50.00');
SELECT is(pg_temp.er_bill(pg_temp.er('PS-WHITE', 2, '{50.00}'), '2011-04-30'),
          '25.00 = 25.00 + 0.00; ER-BASELINE; band -; exemption -',
          'S25 S61: 2011-04-30 (before DGR 389/2011), white + 2 consultations + an exam: the access only');
SELECT is(pg_temp.er_bill(pg_temp.er('PS-GREEN', 1, '{50.00}'), '2011-04-30'),
          '0.00 = 0.00 + 0.00; ER-BASELINE; band -; exemption -',
          'S25 S26: 2011-04-30, green access (not chargeable) + consultation + exam: 0.00');

-- the cap on the exams, at its boundary (S25: "fino a 36,15 euro")
SELECT is(pg_temp.er_bill(pg_temp.er('PS-WHITE', 0, '{20.00,16.14}'), '2011-05-01'),
          '61.14 = 61.14 + 0.00; ER-2011-05-01; band -; exemption -',
          'S25: exams 36.14, just below the cap: 25.00 + 36.14');
SELECT is(pg_temp.er_bill(pg_temp.er('PS-WHITE', 0, '{20.00,16.15}'), '2011-05-01'),
          '61.15 = 61.15 + 0.00; ER-2011-05-01; band -; exemption -',
          'S25: exams 36.15, at the cap: 25.00 + 36.15');
SELECT is(pg_temp.er_bill(pg_temp.er('PS-WHITE', 0, '{20.00,16.16}'), '2011-05-01'),
          '61.15 = 61.15 + 0.00; ER-2011-05-01; band -; exemption -',
          'S25: exams 36.16, just above the cap: 25.00 + 36.15');
SELECT is(pg_temp.er_bill(ARRAY[ROW('PS-GREEN', 'er_access', 'emergency', 0.00, 1)::ticket.item,
                                ROW('90.62.2', 'er_exam', 'emergency', 10.00, 4)::ticket.item], '2020-10-01'),
          '61.15 = 61.15 + 0.00; ER-2020-09-01; band -; exemption -',
          'S25: an exam x 4 at 10.00 = 40.00, capped at 36.15 a prescription');
SELECT is(pg_temp.er_bill(pg_temp.er('PS-GREEN', 1, '{50.00}'), '2015-03-01', NULL, 'RE3'),
          '86.15 = 86.15 + 0.00; ER-2012-02-01; band RE3; exemption -',
          'S25: 2015 RE3, access + consultation + exams over the cap: 25 + 25 + 36.15, no band quota');
SELECT alike((ticket.price(pg_temp.er('PS-GREEN', 2, '{20.00,16.16}'), NULL, NULL, '2025-06-03')).explanation,
            '%1 chargeable emergency-room access(es) x 25.00; 2 further consultation(s) x 25.00; emergency-room exams 36.16 capped at 36.15',
            'the explanation names the access, the consultations and the capped exams');

-- only with an access that pays (S26 S61: red, light blue, orange do not)
SELECT is(pg_temp.er_bill(pg_temp.er('PS-RED', 2, '{50.00}'), '2011-05-01'),
          '0.00 = 0.00 + 0.00; ER-2011-05-01; band -; exemption -',
          'S26 S61: red access + 2 consultations + an exam: 0.00');
SELECT is(pg_temp.er_bill(pg_temp.er('PS-ORANGE', 1, '{10.00}'), '2019-06-01'),
          '0.00 = 0.00 + 0.00; ER-2019-01-01; band QM; exemption -',
          'S26: 2019, orange access + consultation + exam: 0.00');
SELECT is(pg_temp.er_bill(pg_temp.er('PS-GREEN', 2, '{50.00}') || pg_temp.er('PS-RED', 0, '{}'), '2011-05-01'),
          '111.15 = 111.15 + 0.00; ER-2011-05-01; band -; exemption -',
          'S25: a red and a green access on one prescription: the green one pays, and with it the rest');
-- exemptions that spare the ER ticket spare these too (S26: exempt patients)
SELECT is(pg_temp.er_bill(pg_temp.er('PS-GREEN', 2, '{50.00}'), '2015-03-01', '{E01}'),
          '0.00 = 0.00 + 0.00; ER-2012-02-01; band -; exemption E01',
          'S26: E01 (spares the ER ticket): access, consultations and exams 0.00');
SELECT is(pg_temp.er_bill(pg_temp.er('PS-WHITE', 1, '{50.00}'), '2025-06-03', '{C01}'),
          '0.00 = 0.00 + 0.00; ER-2025-05-02; band -; exemption C01',
          'S26: C01 (civil invalid 100 %): 0.00');
SELECT is(pg_temp.er_bill(pg_temp.er('PS-WHITE', 1, '{50.00}'), '2025-06-03', '{013}'),
          '86.15 = 86.15 + 0.00; ER-2025-05-02; band -; exemption -',
          '013 (diabetes: related services, not the ER ticket): 25 + 25 + 36.15');

-- consultations and exams come with an access (TK009)
SELECT throws_ok($$SELECT ticket.price(ARRAY[ROW('PS-CONSULT', 'er_consultation', 'emergency', 0.00, 1)::ticket.item,
                                             ROW('87.44.1', 'er_exam', 'emergency', 20.00, 1)::ticket.item],
                                       NULL, NULL, '2015-03-01')$$,
                 'TK009', 'item 1 (PS-CONSULT, er_consultation) needs an emergency-room access on the same prescription',
                 'a consultation and an exam without an access: TK009');
SELECT throws_ok($$SELECT ticket.price(ARRAY[ROW('87.44.1', 'er_exam', 'emergency', 20.00, 1)::ticket.item],
                                       NULL, NULL, '2010-03-01')$$,
                 'TK009', NULL, 'an exam without an access, before May 2011 too: TK009');
SELECT throws_ok($$SELECT ticket.price(ARRAY[ROW('PS-WHITE', 'er_access', 'emergency', 0.00, 1)::ticket.item,
                                             ROW('89.52', 'exam', 'cardiology', 11.62, 1)::ticket.item],
                                       NULL, NULL, '2015-03-01')$$,
                 'TK003', NULL, 'an access with a specialist exam (kind exam, not er_exam): TK003');

-- the amounts are the regime's: a draft with S13's 23.00, priced by name
SELECT ticket.draft_regime('ER-2025-05-02', 'ER-PS-23', '2027-01-01') \g /dev/null
UPDATE ticket.regime SET er_consultation = 23.00, er_exam_cap = NULL WHERE regime_id = 'ER-PS-23';
INSERT INTO ticket.service (code, effective_from, description, branch, kind, tariff, withdrawn, synthetic, source)
VALUES ('PS-CONSULT', '2009-01-01', 'emergency room: further consultant visit', 'emergency', 'er_consultation',
        0.00, false, true, 'test');
SELECT is(pg_temp.bill(ticket.price_under('ER-PS-23', ARRAY['PS-GREEN', 'PS-CONSULT', 'PS-CONSULT'], NULL, NULL, '2026-01-01')),
          '71.00 = 71.00 + 0.00; ER-PS-23; band -; exemption -',
          'S13: a draft with 23.00 a consultation: 25.00 + 2 x 23.00 (price_under reads the draft''s columns)');
SELECT is(pg_temp.bill(ticket.price(ARRAY['PS-GREEN', 'PS-CONSULT', 'PS-CONSULT'], NULL, NULL, '2026-01-01')),
          '75.00 = 75.00 + 0.00; ER-2025-05-02; band -; exemption -',
          'S25: the same services under the regime in force: 25.00 + 2 x 25.00');
SELECT is((SELECT format('%s:%s', er_consultation, er_exam_cap) FROM ticket.regime WHERE regime_id = 'ER-PS-23'),
          '23.00:', 'the draft''s edit: 23.00, no exam ticket');

--------------------------------------------------------------------------
-- 2. The "not substitutable" mark (§9 item 2: S13 S46; L. 405/2001 art. 7
--    c. 4).  A brand pack at 12.50 whose class has the reference price
--    8.50 (hypothetical): 4.00 of difference a pack.
--------------------------------------------------------------------------
CREATE FUNCTION pg_temp.drugs(marked int, unmarked int) RETURNS ticket.drug[]
LANGUAGE sql IMMUTABLE
AS $$ SELECT array_remove(ARRAY[CASE WHEN marked > 0 THEN ROW('A-0003', marked, 12.50, 8.50, true)::ticket.drug END,
                                CASE WHEN unmarked > 0 THEN ROW('A-0003', unmarked, 12.50, 8.50, false)::ticket.drug END],
                          NULL) $$;

SELECT is((SELECT array_agg(DISTINCT not_substitutable_spares_brand_difference) FROM ticket.regime WHERE shipped),
          '{f}', 'L. 405/2001 art. 7 c. 4: no shipped regime spares the difference of a marked drug');
SELECT is(pg_temp.bill(ticket.price_drugs(pg_temp.drugs(1, 0), NULL, NULL, '2025-06-03')),
          '6.20 = 6.20 + 0.00; ER-2025-05-02; band -; exemption -',
          'L. 405/2001 art. 7 c. 4: 2025, marked not substitutable: 2.20 + 4.00');

-- The Region's other reading, as a regime of its own from 2030: a draft
-- of the 2025 regime, the column set, enacted.
SELECT ticket.draft_regime('ER-2025-05-02', 'ER-NS-2030', '2030-01-01') \g /dev/null
UPDATE ticket.regime SET not_substitutable_spares_brand_difference = true WHERE regime_id = 'ER-NS-2030';
SELECT ticket.draft_regime('ER-NS-2030', 'ER-NS-COPY', '2031-01-01') \g /dev/null
SELECT is((SELECT not_substitutable_spares_brand_difference FROM ticket.regime WHERE regime_id = 'ER-NS-COPY'),
          true, 'draft_regime copies not_substitutable_spares_brand_difference');
SELECT ticket.discard_regime('ER-NS-COPY') \g /dev/null
SELECT is(ticket.enact_regime('ER-NS-2030'), 0::bigint, 'the regime of 2030 enacted (no booking to re-price)');

SELECT is(pg_temp.bill(ticket.price_drugs(pg_temp.drugs(1, 0), NULL, NULL, '2030-01-01')),
          '2.20 = 2.20 + 0.00; ER-NS-2030; band -; exemption -',
          'S13 S46: 2030, marked not substitutable: the drug ticket only, the difference spared');
SELECT is(pg_temp.bill(ticket.price_drugs(pg_temp.drugs(1, 0), NULL, NULL, '2029-12-31')),
          '6.20 = 6.20 + 0.00; ER-2025-05-02; band -; exemption -',
          'L. 405/2001: 2029-12-31, the day before, under the shipped regime: 2.20 + 4.00');
SELECT is(pg_temp.bill(ticket.price_drugs(pg_temp.drugs(1, 2), NULL, NULL, '2030-01-01')),
          '12.00 = 12.00 + 0.00; ER-NS-2030; band -; exemption -',
          'S13 S46: 2030, one marked and two unmarked packs: 4.00 (cap) + 8.00, the unmarked difference only');
SELECT alike((ticket.price_drugs(pg_temp.drugs(1, 2), NULL, NULL, '2030-01-01')).explanation,
            '%brand difference 4.00 of packs marked not substitutable spared by the regime; brand difference 8.00 over the reference price%',
            'the explanation says what the regime spared and what is due');
SELECT is(pg_temp.bill(ticket.price_drugs(pg_temp.drugs(2, 0), NULL, '{E01}', '2030-01-01')),
          '0.00 = 0.00 + 0.00; ER-NS-2030; band -; exemption E01',
          'S13 S46: 2030, E01 and marked: nothing (2025 rules: the difference 8.00)');
SELECT is(pg_temp.bill(ticket.price_drugs(pg_temp.drugs(2, 0), NULL, '{E01}', '2029-12-31')),
          '8.00 = 8.00 + 0.00; ER-2025-05-02; band -; exemption E01',
          'S19: 2029, E01 and marked: the difference 8.00 (exempt citizens pay it)');

SELECT * FROM finish();
ROLLBACK;
