-- extension/bin/replay/phase3_tariff_2012.sql: 28 October 2011 - 31 March
-- 2012, to the 1 February 2012 tariff update.
--
-- Late forms (signed after the 2011 transition, from that day on), corrections
-- of a wrong band (4 % of the adults who declared, the next band up or down
-- from the same day: the new form supersedes the old one and re-prices the
-- unpaid bookings), E01 revoked from 1 October for one grant in twelve (the
-- Revenue Agency's check found the income above the limit: the unpaid
-- bookings pay again), and the MEF list of the income exemptions from
-- 1 April 2012 at the end of March.  All of it comes after 30 September
-- 2011, when the transition closed: paid bookings are final, no refund and
-- no amount due (ticket-rules.md §1.4, §9; S3 S4 S5).  From 1 February 2012
-- the regime ER-2012-02-01 prices every service (X-ray and lipid tariffs
-- raised, the fixed ticket for all ambulatory surgery): it is data, so the
-- bookings made earlier for later dates already carry it.  Weekly steps.
\ir session.sql
\set phase 3
SELECT replay.begin_phase(:phase, 'late 2011 and the tariff update of 1 February 2012', '2011-10-28', '2012-04-01');
\o /dev/null
SELECT replay.plan_forms2011(:phase, 'late');

-- Corrections: the next band up or down, from the same day as the form.
INSERT INTO replay.decl (id, phase, what, fiscal_code, band, declarant, channel, operator, signed_at, applies_from,
                         income_year, day)
SELECT (SELECT max(id) FROM replay.decl) + row_number() OVER (ORDER BY c.signed_at, c.id), :phase, 'correction',
       c.fiscal_code, c.band, c.fiscal_code, 'cup_desk', c.operator, c.signed_at, c.applies_from, 2010, c.day
  FROM (SELECT d.id, d.fiscal_code, d.applies_from,
               CASE d.band WHEN 'RE1' THEN 'RE2' WHEN 'RE3' THEN 'RE2'
                           ELSE CASE WHEN replay.u(d.id, 701) < 0.5 THEN 'RE1' ELSE 'RE3' END END AS band,
               'CUP-' || x.asl || '-' || lpad((1 + d.id % 12)::text, 2, '0') AS operator,
               replay.at(day.day, replay.office_minute(replay.u(d.id, 703), replay.u(d.id, 704))) AS signed_at, day.day
          FROM replay.decl d
          JOIN replay.person x ON x.fiscal_code = d.fiscal_code
         CROSS JOIN LATERAL (SELECT replay.open_day(date '2011-11-02' + floor(44 * replay.u(d.id, 702))::integer) AS day) day
         WHERE d.what = 'form' AND d.declarant = d.fiscal_code AND replay.u(d.id, 700) < 0.04
           AND replay.alive(x.death_date, day.day)) c;

-- E01 revoked from 1 October 2011 (one grant in twelve), in November.
INSERT INTO replay.revoke_plan (id, phase, fiscal_code, exemption, valid_from, revoked_on, reason, revoked_at, day)
SELECT row_number() OVER (ORDER BY r.day, r.pid), :phase, r.fiscal_code, 'E01', '2011-04-01', '2011-10-01',
       'income above the E01 limit (Revenue Agency check)', replay.at(r.day, 600 + (r.pid % 300)::integer), r.day
  FROM (SELECT e.pid, e.fiscal_code, replay.open_day(date '2011-11-02' + floor(28 * replay.u(e.pid, 711))::integer) AS day
          FROM replay.income_exemption e
          JOIN replay.person x ON x.pid = e.pid
         WHERE e.year = 2011 AND e.exemption = 'E01' AND replay.u(e.pid, 710) < 1.0 / 12
           AND replay.alive(x.death_date, date '2011-12-01')
           AND (e.early OR EXISTS (SELECT 1 FROM replay.grant_plan g WHERE g.fiscal_code = e.fiscal_code
                                      AND g.exemption = 'E01' AND g.valid_from = '2011-04-01' AND g.day < '2011-11-01'))) r;

SELECT replay.plan_income_grants(:phase, 2012);
SELECT replay.plan_rx(:phase, '2011-10-28', '2012-04-01', 1.0, 1300);
\o
SELECT replay.planned(:phase);
SELECT * FROM replay.steps(:phase, '2011-10-28', '2012-04-01', 7, 4) \gexec

\pset tuples_only off
\pset format aligned
\pset footer off
\pset null '-'
\echo
\echo 'The tariff update of 1 February 2012: the services whose tariff changed, by the rules of the service date'
SELECT r.mix, (b.bill).regime AS regime,
       (SELECT string_agg(s.code || ' ' || s.tariff, ', ' ORDER BY s.code) FROM ticket.service s
         WHERE s.code = ANY (r.services) AND s.effective_from = (SELECT max(t.effective_from) FROM ticket.service t
                                                                 WHERE t.code = s.code AND t.effective_from <= min(b.service_date))) AS tariffs,
       replay.n(count(*)) AS bookings, replay.eur0(avg(b.amount)) AS average_bill,
       replay.n(count(*) FILTER (WHERE b.booked_at < '2012-02-01' AND b.service_date >= '2012-02-01')) AS booked_before_1_feb
  FROM cup.booking b JOIN replay.rx r ON r.nre = b.nre
 WHERE b.status <> 'cancelled' AND b.service_date >= '2011-11-01' AND b.service_date < '2012-04-01'
   AND r.services && '{87.43.1,90.43.2,77.56}'
 GROUP BY r.mix, r.services, (b.bill).regime ORDER BY r.mix, min(b.service_date);
\echo
\echo 'Late forms, corrections and revocations'
SELECT x.what, replay.n(x.n) AS rows, x.detail FROM (VALUES
    (1, 'late forms (after the transition)', (SELECT count(*) FROM replay.decl WHERE phase = :phase AND what = 'late form'),
        'apply from the day they are signed'),
    (2, 'corrections (same applies_from)', (SELECT count(*) FROM replay.decl WHERE phase = :phase AND what = 'correction'),
        replay.n((SELECT count(*) FROM registry.declaration WHERE valid_until = applies_from)) || ' superseded forms now cover no day'),
    (3, 'E01 revoked from 1 October', (SELECT count(*) FROM registry.exemption_grant WHERE revoked_on IS NOT NULL),
        replay.n((SELECT count(*) FROM cup.adjustment WHERE reason = 'exemption_revoked')) || ' amounts due = '
        || replay.eur((SELECT sum(amount) FROM cup.adjustment WHERE reason = 'exemption_revoked'))),
    (4, 'adjustments after corrections', (SELECT count(*) FROM cup.adjustment a
                                           WHERE a.adjustment_id > (SELECT adjustment0 FROM replay.phase WHERE phase = :phase)
                                             AND a.reason = 'declaration'),
        'due ' || replay.eur((SELECT sum(amount) FROM cup.adjustment a
                               WHERE a.adjustment_id > (SELECT adjustment0 FROM replay.phase WHERE phase = :phase)
                                 AND a.reason = 'declaration' AND a.amount > 0))
        || ', refunded ' || replay.eur((SELECT sum(amount) FROM cup.adjustment a
                                         WHERE a.adjustment_id > (SELECT adjustment0 FROM replay.phase WHERE phase = :phase)
                                           AND a.reason = 'declaration' AND a.amount < 0)))) AS x(o, what, n, detail)
 ORDER BY x.o;
\ir report.sql
