-- extension/bin/replay/phase4_dgr_2075.sql: April 2012 - June 2019, DGR
-- 2075/2018.
--
-- The years between (one step): the last bookings of phase 3 are served,
-- deaths are recorded, children who turned 14 change doctor, a household
-- in three whose income left its 2011 band declares again at a CAF in
-- 2014, the MEF lists of 2017 and 2018 arrive.  Then 2018, week by week:
-- the bookings of the year under ER-2012-02-01.
--
-- On 10 December 2018 the what-if: DGR 2075 of 3 December 2018 (QB up to
-- 100,000, QM above and for whoever has no data: the quota and the drug
-- ticket only for QM) applied to the bookings of 2018, as the manual's
-- "Enacting a new decree" does it, by a login of ticket_rules_admin: a
-- draft regime from 1 January 2018 (ticket.draft_regime) edited into the
-- 2019 amounts, bands and exemption rules, ticket.simulate on the 2018
-- bookings, ticket.discard_regime.  Next to simulate's totals (by declared
-- band: RE1-RE3 are QB for the draft, as its QB replaces them, RE4 and
-- nothing QM) the income projection:
-- every 2018 booking priced under the draft (ticket.price_under) with the
-- band the Revenue Agency data would give (the 2016 income), revenue by
-- band, current against proposed, and the difference between the two.
--
-- Then the decree is enacted (ER-2019-01-01 ships with the extension):
-- bookings for 2019 made in December are priced by it at once (a 2011 RE
-- band on record is charged QB, nothing on record QM, the default;
-- ticket-rules.md §3.3, §9, S15 S48); on the night of 31 December the
-- Revenue Agency attributes QB or QM to three households in four (income
-- 2017), which re-prices the unpaid 2019 bookings whose band changes (the
-- prepaid ones are final: no adjustment after the 2011 transition, S3 S4
-- S5); in the first months of 2019 others self-certify QB online,
-- families with two or more children self-certify FA2 (a free first
-- visit), the MEF list of 2019 arrives in March.  Weekly steps to June.
\ir session.sql
\set phase 4
SELECT replay.begin_phase(:phase, 'DGR 2075/2018: a what-if on the bookings of 2018, then the decree from 1 January 2019',
                          '2019-01-01', '2019-07-01');
\o /dev/null
SELECT replay.reassign_doctors(:phase, '2017-12-01');

-- 2014: households whose 2013 income moved them to another band declare
-- again (a household in three of those), each member from that day.
INSERT INTO replay.decl (id, phase, what, fiscal_code, band, declarant, channel, operator, signed_at, applies_from,
                         income_year, day)
SELECT (SELECT max(id) FROM replay.decl) + row_number() OVER (ORDER BY s.signed_at, s.pid), :phase, 'new band',
       s.fiscal_code, s.band,
       CASE WHEN s.birth_date > (s.day - interval '18 years')::date THEN s.parent ELSE s.fiscal_code END,
       'caf', 'CAF-' || lpad((1 + s.hh % 25)::text, 2, '0'), s.signed_at, s.day, 2013, s.day
  FROM (SELECT x.pid, x.hh, x.fiscal_code, x.birth_date, h.band, h.day,
               replay.at(h.day, replay.office_minute(replay.u(x.pid, 803), replay.u(x.pid, 804))) AS signed_at,
               (SELECT y.fiscal_code FROM replay.person y
                 WHERE y.hh = x.hh AND y.kin IN ('head', 'spouse') AND replay.alive(y.death_date, h.day)
                 ORDER BY y.kin, y.pid LIMIT 1) AS parent
          FROM (SELECT f.hh, nb.band, replay.open_day(date '2014-01-07' + floor(340 * replay.u(f.hh, 801))::integer) AS day
                  FROM replay.form2011 f
                  JOIN replay.hh hh ON hh.hh = f.hh
                 CROSS JOIN LATERAL (SELECT ticket.income_band_for(replay.family_income(hh.hh, hh.income, 2013),
                                                                   '2014-06-01')::text AS band) nb
                 WHERE nb.band IS DISTINCT FROM f.band AND nb.band IS NOT NULL AND replay.u(f.hh, 800) < 0.35) h
          JOIN replay.person x ON x.hh = h.hh
         WHERE replay.alive(x.death_date, h.day)
           AND EXISTS (SELECT 1 FROM replay.decl d WHERE d.fiscal_code = x.fiscal_code)) s
 WHERE s.birth_date <= (s.day - interval '18 years')::date OR s.parent IS NOT NULL
 ORDER BY s.signed_at, s.pid;

SELECT replay.plan_income_grants(:phase, 2017);
SELECT replay.plan_income_grants(:phase, 2018);
SELECT replay.plan_income_grants(:phase, 2019);
SELECT replay.plan_rx(:phase, '2017-12-01', '2018-12-10', 1.0, 1400);
SELECT replay.plan_rx(:phase, '2018-12-10', '2019-07-01', 1.0, 1450);

-- 31 December 2018, 22:00: the Revenue Agency's bands from 1 January 2019
-- for three households in four (income 2017; the citizen is the declarant).
CREATE TABLE replay.agency2019 AS
SELECT h.hh, replay.u(h.hh, 810) < 0.75 AS attributed,
       CASE WHEN replay.family_income(h.hh, h.income, 2017) <= 100000 THEN 'QB' ELSE 'QM' END AS band,
       replay.family_income(h.hh, h.income, 2018) <= 100000 AND replay.u(h.hh, 811) < 0.25 AS online,
       replay.open_day(date '2019-01-14' + floor(76 * power(replay.u(h.hh, 812), 1.4))::integer) AS online_day
  FROM replay.hh h;
INSERT INTO replay.decl (id, phase, what, fiscal_code, band, declarant, channel, operator, signed_at, applies_from,
                         income_year, day)
SELECT (SELECT max(id) FROM replay.decl) + row_number() OVER (ORDER BY x.pid), :phase, 'agency',
       x.fiscal_code, a.band, x.fiscal_code, 'revenue_agency', NULL, replay.at('2018-12-31', 22 * 60), '2019-01-01', 2017,
       '2018-12-31'
  FROM replay.agency2019 a JOIN replay.person x ON x.hh = a.hh
 WHERE a.attributed AND replay.alive(x.death_date, '2019-01-02')
 ORDER BY x.pid;
-- Households without the Agency's data and an income up to 100,000: one in
-- four self-certifies QB in the FSE (a parent for the minors).
INSERT INTO replay.decl (id, phase, what, fiscal_code, band, declarant, channel, operator, signed_at, applies_from,
                         income_year, day)
SELECT (SELECT max(id) FROM replay.decl) + row_number() OVER (ORDER BY s.signed_at, s.pid), :phase, 'online',
       s.fiscal_code, 'QB', CASE WHEN s.minor THEN s.parent ELSE s.fiscal_code END, 'fse_online', NULL,
       s.signed_at, s.day, 2018, s.day
  FROM (SELECT x.pid, x.fiscal_code, a.online_day AS day,
               replay.at(a.online_day, 60 * 7 + floor(900 * replay.u(x.pid, 813))::integer) AS signed_at,
               x.birth_date > (a.online_day - interval '18 years')::date AS minor,
               (SELECT y.fiscal_code FROM replay.person y
                 WHERE y.hh = x.hh AND y.kin IN ('head', 'spouse') AND replay.alive(y.death_date, a.online_day)
                 ORDER BY y.kin, y.pid LIMIT 1) AS parent
          FROM replay.agency2019 a JOIN replay.person x ON x.hh = a.hh
         WHERE NOT a.attributed AND a.online AND replay.alive(x.death_date, a.online_day)) s
 WHERE NOT s.minor OR s.parent IS NOT NULL
 ORDER BY s.signed_at, s.pid;

-- FA2: families with two or more children at home (under 26) self-certify
-- it for every member, January - April 2019 (45 % of them).
INSERT INTO replay.grant_plan (id, phase, fiscal_code, exemption, valid_from, valid_until, source, granted_at, day)
SELECT (SELECT max(id) FROM replay.grant_plan) + row_number() OVER (ORDER BY f.day, x.pid), :phase, x.fiscal_code, 'FA2',
       f.day, NULL, 'self_certification', replay.at(f.day, replay.office_minute(replay.u(x.pid, 821), replay.u(x.pid, 822))),
       f.day
  FROM (SELECT c.hh, replay.open_day(date '2019-01-03' + floor(115 * power(replay.u(c.hh, 820), 1.5))::integer) AS day
          FROM replay.person c
         WHERE c.kin = 'child' AND replay.alive(c.death_date, '2019-01-01') AND replay.age_on(c.birth_date, '2019-01-01') < 26
         GROUP BY c.hh HAVING count(*) >= 2 AND bool_and(replay.u(c.hh, 819) < 0.45)) f
  JOIN replay.person x ON x.hh = f.hh
 WHERE replay.alive(x.death_date, f.day);
\o
SELECT replay.planned(:phase);
\echo '  (2012 - 2017: the rest of the 2012 bookings, deaths, changes of doctor, new bands of 2014, the MEF list of 2017)'
SELECT * FROM replay.steps(:phase, '2012-04-01', '2017-12-01', 3000, 1) \gexec
SELECT * FROM replay.steps(:phase, '2017-12-01', '2018-12-10', 7, 8) \gexec

--------------------------------------------------------------------------
-- The what-if, 10 December 2018: the Region's office, through the API
--------------------------------------------------------------------------
-- A login that is a member of ticket_rules_admin and of nothing else (a
-- role of the cluster: created here when missing, dropped at the end of
-- the what-if) does what the manual's "Enacting a new decree" does: it
-- drafts from the regime in force (ticket.draft_regime, from 1 January
-- 2018), edits the draft into the decree (the row, bands and exemption
-- rules of ER-2019-01-01, which the extension ships: the decree's text),
-- simulates it on the bookings of 2018 (ticket.simulate) and discards it
-- (ticket.discard_regime): the decree is put in force from 1 January 2019
-- by the shipped row (below), not by this draft.
--
-- ticket.simulate prices each booking with the band its citizen declared
-- if the draft defines that band, else with the band that replaces it
-- (QB replaces RE1-RE3: regime_band.replaces, S15 S48), else with the
-- draft's default band, QM (RE4, nothing declared): the decree applied to
-- the registry as it stands, which is what the bookings for 2019 made in
-- December get.  What the decree would
-- collect once the bands of 2019 are attributed needs an income, which the
-- registry does not keep: the replay knows it, so the income projection
-- of the report before 1.3 (QB or QM by the family income of 2016, as the
-- Revenue Agency attributes them) stays next to simulate's output, priced
-- under the same draft (ticket.price_under), and the report states the
-- difference.
\pset tuples_only off
\pset format aligned
\pset footer off
\pset null '-'
\echo
\echo 'What-if, 10 December 2018: DGR 2075/2018 on the bookings of 2018, by a rules administrator (ticket.draft_regime from 1 January 2018, ticket.simulate, ticket.discard_regime)'
SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ticket_replay_rules_admin') AS create_admin \gset
\if :create_admin
CREATE ROLE ticket_replay_rules_admin LOGIN;
\endif
GRANT ticket_rules_admin TO ticket_replay_rules_admin;
SELECT coalesce(max(audit_id), 0) AS audit_before_whatif FROM ticket.audit_log \gset
SET ROLE ticket_replay_rules_admin;

SELECT ticket.draft_regime(ticket.regime_for('2018-12-10'), 'WHATIF-DGR-2075-2018', '2018-01-01') \g /dev/null
-- The draft's edits: the bands of the decree instead of RE1-RE4, its
-- amounts, its exemption rules.
DELETE FROM ticket.regime_band WHERE regime_id = 'WHATIF-DGR-2075-2018';
INSERT INTO ticket.regime_band (regime_id, band, income_range, quota, ct_mri, drug_per_pack, drug_cap, replaces)
SELECT 'WHATIF-DGR-2075-2018', band, income_range, quota, ct_mri, drug_per_pack, drug_cap, replaces
  FROM ticket.regime_band WHERE regime_id = 'ER-2019-01-01';
UPDATE ticket.regime d
   SET legal_reference = s.legal_reference || ' (draft, applied to 2018)', description = 'what-if: ' || s.description,
       default_band = s.default_band, specialist_cap = s.specialist_cap, quota_threshold = s.quota_threshold,
       quota = s.quota, ct_mri = s.ct_mri, first_visit = s.first_visit, control_visit = s.control_visit,
       ambulatory_surgery = s.ambulatory_surgery, surgery_fixed_codes = s.surgery_fixed_codes,
       drug_per_pack = s.drug_per_pack, drug_cap = s.drug_cap, er_access = s.er_access,
       er_chargeable_codes = s.er_chargeable_codes, max_items = s.max_items,
       adjustment_grace_days = s.adjustment_grace_days, adjustment_until = s.adjustment_until
  FROM ticket.regime s
 WHERE d.regime_id = 'WHATIF-DGR-2075-2018' AND s.regime_id = 'ER-2019-01-01';
DELETE FROM ticket.exemption_rule WHERE regime_id = 'WHATIF-DGR-2075-2018';
INSERT INTO ticket.exemption_rule (regime_id, exemption, family, coverage, spares_band_quota, spares_drugs, spares_er, note,
                                   covers_all_drugs)
SELECT 'WHATIF-DGR-2075-2018', exemption, family, coverage, spares_band_quota, spares_drugs, spares_er, note,
       covers_all_drugs
  FROM ticket.exemption_rule WHERE regime_id = 'ER-2019-01-01';

SELECT 'inside the what-if' AS moment, ticket.regime_for('2018-06-01') AS regime_on_1_june_2018, r.regime_id AS draft,
       r.status, r.default_band,
       (SELECT string_agg(band::text || ' ' || income_range::text, ', ' ORDER BY band) FROM ticket.regime_band b
         WHERE b.regime_id = r.regime_id) AS draft_bands
  FROM ticket.regime r WHERE r.regime_id = 'WHATIF-DGR-2075-2018';
CREATE TEMPORARY TABLE simulated AS
SELECT * FROM ticket.simulate('WHATIF-DGR-2075-2018', '2018-01-01', '2018-12-31');
RESET ROLE;

\echo
\echo 'ticket.simulate(''WHATIF-DGR-2075-2018'', ''2018-01-01'', ''2018-12-31''), as the rules administrator: the band the draft charges is the declared one if the draft defines it, else the one that replaces it (QB for RE1-RE3), else its default (QM: RE4, none)'
SELECT CASE WHEN grouping(band) = 1 THEN 'total' ELSE coalesce(band::text, 'none') END AS band_charged,
       replay.n(sum(bookings)) AS bookings, replay.eur0(sum(current_total)) AS bills_current,
       replay.eur0(sum(draft_total)) AS bills_draft, replay.eur(sum(difference)) AS difference,
       replay.pct(sum(difference), sum(current_total)) AS change
  FROM simulated
 GROUP BY GROUPING SETS ((band), ())
 ORDER BY grouping(band), band NULLS LAST;

-- The income projection: the replay's incomes, the same draft (its bands'
-- income ranges: ticket.income_band_for reads the regime in force).
CREATE TEMPORARY TABLE whatif AS
SELECT b.booking_id, b.fiscal_code, b.service_date, p.services, x.hh, h.income,
       coalesce((b.bill).band::text, 'none declared') AS current_band, (b.bill).total AS current_bill,
       CASE WHEN b.status IN ('paid', 'done') THEN b.paid_amount + coalesce(a.adjusted, 0) ELSE b.amount END AS current_revenue,
       s.exemptions
  FROM cup.booking b
  JOIN fse.prescription p ON p.nre = b.nre
  JOIN replay.person x ON x.fiscal_code = b.fiscal_code
  LEFT JOIN replay.hh h ON h.hh = x.hh
  LEFT JOIN LATERAL (SELECT sum(amount) AS adjusted FROM cup.adjustment a WHERE a.booking_id = b.booking_id) a ON true
 CROSS JOIN LATERAL ticket.citizen_status(b.fiscal_code, b.service_date) s
 WHERE b.service_date >= '2018-01-01' AND b.service_date < '2019-01-01' AND b.status <> 'cancelled';
ALTER TABLE whatif ADD COLUMN proposed_band text, ADD COLUMN proposed_revenue numeric(10,2);
UPDATE whatif w
   SET proposed_band = coalesce(q.band::text, 'QM (default)'),
       proposed_revenue = (ticket.price_under('WHATIF-DGR-2075-2018', w.services, q.band, w.exemptions, w.service_date)).total
  FROM (SELECT w.booking_id, rb.band
          FROM whatif w
          LEFT JOIN ticket.regime_band rb
                 ON rb.regime_id = 'WHATIF-DGR-2075-2018' AND w.income IS NOT NULL
                AND rb.income_range @> replay.family_income(w.hh, w.income, 2016)) q
 WHERE q.booking_id = w.booking_id \g /dev/null

\echo
\echo 'The income projection (the replay knows incomes, the registry does not): QB or QM by the family income of 2016, as the Revenue Agency attributes them, priced under the same draft (ticket.price_under)'
SELECT coalesce(current_band, 'total') AS band_2018, coalesce(proposed_band, CASE WHEN current_band IS NOT NULL THEN 'all' END) AS band_proposed,
       replay.n(count(*)) AS bookings, replay.eur0(sum(current_revenue)) AS revenue_current,
       replay.eur0(sum(proposed_revenue)) AS revenue_proposed, replay.eur(sum(proposed_revenue - current_revenue)) AS difference,
       replay.pct(sum(proposed_revenue - current_revenue), sum(current_revenue)) AS change
  FROM whatif
 GROUP BY GROUPING SETS ((current_band, proposed_band), (current_band), ())
 ORDER BY current_band IS NULL, current_band, proposed_band IS NULL, proposed_band;

\echo
\echo 'The two side by side: the same draft, the same bookings, other bands'
SELECT x.what_if, x.bands, replay.n(x.bookings) AS bookings, replay.eur0(x.bills_current) AS bills_current,
       replay.eur0(x.bills_draft) AS bills_draft, replay.eur(x.bills_draft - x.bills_current) AS difference,
       replay.pct(x.bills_draft - x.bills_current, x.bills_current) AS change
  FROM (SELECT 1 AS o, 'ticket.simulate' AS what_if, 'as declared (RE1-RE3: QB; RE4, none: QM)' AS bands,
               sum(bookings) AS bookings, sum(current_total) AS bills_current, sum(draft_total) AS bills_draft
          FROM simulated
        UNION ALL
        SELECT 2, 'income projection', 'QB/QM by the family income of 2016', count(*), sum(current_bill),
               sum(proposed_revenue)
          FROM whatif) x
 ORDER BY x.o;
\pset tuples_only on
\pset format unaligned
SELECT format('  simulate - income projection = %s: %s of these bookings have a declared band (RE1-RE3: QB; RE4 or none: QM) other than the one the 2016 income gives',
              replay.eur((SELECT sum(draft_total) FROM simulated) - (SELECT sum(proposed_revenue) FROM whatif)),
              replay.n((SELECT count(*) FROM whatif
                         WHERE CASE WHEN current_band IN ('RE1', 'RE2', 'RE3') THEN 'QB' ELSE 'QM' END
                               <> left(proposed_band, 2))));
\echo '  (revenue_current: what was collected, adjustments included; bills_current: the bills)'
\pset tuples_only off
\pset format aligned
\echo

SET ROLE ticket_replay_rules_admin;
SELECT ticket.discard_regime('WHATIF-DGR-2075-2018') \g /dev/null
DROP TABLE simulated;
RESET ROLE;
DROP TABLE whatif;
SELECT 'after discard_regime' AS moment, ticket.regime_for('2018-06-01') AS regime_on_1_june_2018,
       (SELECT count(*) FROM ticket.regime) AS regimes,
       (SELECT count(*) FROM ticket.regime WHERE status = 'draft') AS drafts,
       (SELECT count(*) FROM ticket.audit_log WHERE audit_id > :audit_before_whatif
           AND acting_role = 'ticket_replay_rules_admin') AS audit_rows_of_the_administrator,
       (SELECT count(*) FROM ticket.check_consistency()) AS check_consistency_rows;
DROP ROLE ticket_replay_rules_admin;
\pset tuples_only on
\pset format unaligned

--------------------------------------------------------------------------
-- The decree enacted: December 2018 - June 2019
--------------------------------------------------------------------------
\echo
\echo 'Enacted: ER-2019-01-01 (DGR 2075/2018) prices every service from 1 January 2019'
CREATE TABLE replay.mark AS SELECT (SELECT coalesce(max(event_id), 0) FROM ticket.event) AS event_before_december;
SELECT * FROM replay.steps(:phase, '2018-12-10', '2019-07-01', 7, 4) \gexec

\pset tuples_only off
\pset format aligned
\pset footer off
\pset null '-'
\echo
\echo 'Bookings for 2019 made before 1 January: priced by the 2019 rules when booked (an RE band as QB, none as QM), re-priced by the attribution'
SELECT replay.n(count(*)) AS bookings,
       replay.n(count(*) FILTER (WHERE r.first_amount IS NOT NULL)) AS re_priced,
       replay.eur0(sum(coalesce(r.first_amount, b.amount))) AS first_priced,
       replay.eur0(sum(CASE WHEN b.status IN ('paid', 'done') THEN b.paid_amount + coalesce(a.adjusted, 0) ELSE b.amount END)) AS now,
       replay.n(count(*) FILTER (WHERE a.adjusted < 0)) AS refunded, replay.eur(sum(a.adjusted) FILTER (WHERE a.adjusted < 0)) AS refunds
  FROM cup.booking b
  LEFT JOIN (SELECT DISTINCT ON (e.subject) e.subject, (e.payload ->> 'old_amount')::numeric AS first_amount
               FROM ticket.event e
              WHERE e.kind = 'repriced' AND e.event_id > (SELECT event_before_december FROM replay.mark)
              ORDER BY e.subject, e.event_id) r ON r.subject = b.booking_id::text
  LEFT JOIN LATERAL (SELECT sum(amount) AS adjusted FROM cup.adjustment a WHERE a.booking_id = b.booking_id) a ON true
 WHERE b.service_date >= '2019-01-01' AND b.booked_at < '2019-01-01' AND b.status <> 'cancelled';
\echo
\echo 'Bands of 2019: the Revenue Agency, online self-certifications, FA2'
SELECT x.what, replay.n(x.n) AS rows, x.detail FROM (VALUES
    (1, 'Revenue Agency, QB', (SELECT count(*) FROM registry.declaration WHERE channel = 'revenue_agency' AND band = 'QB'),
        'from 1 January 2019, income 2017 up to 100,000'),
    (2, 'Revenue Agency, QM', (SELECT count(*) FROM registry.declaration WHERE channel = 'revenue_agency' AND band = 'QM'),
        'income 2017 over 100,000'),
    (3, 'self-certified QB online', (SELECT count(*) FROM registry.declaration WHERE channel = 'fse_online'),
        'from the day signed (a parent for a minor)'),
    (4, 'FA2 granted', (SELECT count(*) FROM registry.exemption_grant WHERE exemption = 'FA2'),
        replay.n((SELECT count(*) FROM cup.booking b WHERE b.service_date >= '2019-01-01' AND b.status <> 'cancelled'
                     AND (b.bill).exemption = 'FA2')) || ' bookings with FA2 on the bill'),
    (5, 'QM by default', (SELECT count(*) FROM cup.booking b WHERE b.service_date >= '2019-01-01'
                                        AND b.status <> 'cancelled' AND (b.bill).band = 'QM' AND b.amount > 0
                                        AND NOT EXISTS (SELECT 1 FROM registry.declaration d
                                                         WHERE d.fiscal_code = b.fiscal_code AND d.band = 'QM'
                                                           AND d.valid @> b.service_date)),
        'bookings of 2019 charged QM with no QM declared (no data and no declaration)')) AS x(o, what, n, detail)
 ORDER BY x.o;
\ir report.sql
