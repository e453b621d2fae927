-- extension/bin/replay/phase5_abolition_2020.sql: July 2019 - October 2020,
-- the abolition of 1 September 2020.
--
-- The months between (one step): the last bookings of phase 4, deaths,
-- changes of doctor, the MEF list of 2020.  Then June - October 2020, week
-- by week.  DGR 1044/2020 (regime ER-2020-09-01, data) abolishes the bands,
-- the quota and the drug ticket from Tuesday 1 September 2020: the same
-- prescription costs the QM quota in August and none in September, CT and
-- MRI 36.15 for everyone.  Bookings made in the summer for September are
-- priced by it when booked; bookings moved across the date are re-priced;
-- households without a QB on record (three in ten of those entitled)
-- self-certify it online in July and August: it lowers their August
-- bookings only.
\ir session.sql
\set phase 5
SELECT replay.begin_phase(:phase, 'the abolition of the bands and the quota on 1 September 2020', '2020-07-01', '2020-11-01');
\o /dev/null
SELECT replay.reassign_doctors(:phase, '2020-06-01');
SELECT replay.plan_income_grants(:phase, 2020);
SELECT replay.plan_rx(:phase, '2020-06-01', '2020-11-01', 1.0, 1500);
INSERT INTO replay.decl (id, phase, what, fiscal_code, band, declarant, channel, operator, signed_at, applies_from,
                         income_year, day)
SELECT (SELECT max(id) FROM replay.decl) + row_number() OVER (ORDER BY s.signed_at, s.pid), :phase, 'online',
       s.fiscal_code, 'QB', CASE WHEN s.minor THEN s.parent ELSE s.fiscal_code END, 'fse_online', NULL,
       s.signed_at, s.day, 2019, s.day
  FROM (SELECT x.pid, x.fiscal_code, h.day,
               replay.at(h.day, 60 * 7 + floor(900 * replay.u(x.pid, 903))::integer) AS signed_at,
               x.birth_date > (h.day - interval '18 years')::date AS minor,
               (SELECT y.fiscal_code FROM replay.person y
                 WHERE y.hh = x.hh AND y.kin IN ('head', 'spouse') AND replay.alive(y.death_date, h.day)
                 ORDER BY y.kin, y.pid LIMIT 1) AS parent
          FROM (SELECT a.hh, replay.open_day(date '2020-07-01' + floor(55 * replay.u(a.hh, 901))::integer) AS day
                  FROM replay.agency2019 a JOIN replay.hh h ON h.hh = a.hh
                 WHERE NOT a.attributed AND NOT a.online AND replay.u(a.hh, 900) < 0.3
                   AND replay.family_income(h.hh, h.income, 2019) <= 100000) h
          JOIN replay.person x ON x.hh = h.hh
         WHERE replay.alive(x.death_date, h.day)) s
 WHERE NOT s.minor OR s.parent IS NOT NULL
 ORDER BY s.signed_at, s.pid;
\o
SELECT replay.planned(:phase);
\echo '  (July 2019 - May 2020: the rest of the 2019 bookings, deaths, changes of doctor, the MEF list of 2020)'
SELECT * FROM replay.steps(:phase, '2019-07-01', '2020-06-01', 3000, 1) \gexec
SELECT * FROM replay.steps(:phase, '2020-06-01', '2020-11-01', 7, 4) \gexec

\pset tuples_only off
\pset format aligned
\pset footer off
\pset null '-'
\echo
\echo 'August against September 2020: the same prescriptions before and after the abolition'
SELECT to_char(date_trunc('month', b.service_date), 'Mon YYYY') AS services_of, (b.bill).regime AS regime,
       replay.n(count(*)) AS bookings, replay.pct(count(*) FILTER (WHERE b.amount = 0), count(*)) AS free,
       replay.eur0(avg(b.amount)) AS average_bill,
       replay.n(count(*) FILTER (WHERE (b.bill).band_quota > 0)) AS with_quota,
       replay.eur0(sum((b.bill).band_quota)) AS quota,
       replay.eur0(avg(b.amount) FILTER (WHERE r.services && '{88.01.1,88.91.1}' AND b.amount > 0)) AS ct_mri_bill
  FROM cup.booking b JOIN replay.rx r ON r.nre = b.nre
 WHERE b.service_date >= '2020-08-01' AND b.service_date < '2020-10-01' AND b.status <> 'cancelled'
 GROUP BY 1, 2 ORDER BY min(b.service_date), 2;
\echo
SELECT x.what, replay.n(x.n) AS rows FROM (VALUES
    (1, 'QB self-certified online in July and August', (SELECT count(*) FROM replay.decl WHERE phase = :phase)),
    (2, 'bookings moved across 1 September', (SELECT count(*) FROM replay.rx r
                                               WHERE r.phase = :phase AND r.move_on IS NOT NULL
                                                 AND (r.service_date < '2020-09-01') <> (r.move_to < '2020-09-01'))),
    (3, 'bookings from 1 September with a band on the bill', (SELECT count(*) FROM cup.booking b
                                                               WHERE b.service_date >= '2020-09-01'
                                                                 AND (b.bill).band IS NOT NULL)),
    (4, 'declarations applying from 1 September', (SELECT count(*) FROM registry.declaration
                                                    WHERE applies_from >= '2020-09-01'))) AS x(o, what, n)
 ORDER BY x.o;
\ir report.sql
