-- extension/bin/replay/phase6_drug_ticket_2025.sql: November 2020 - 2025,
-- the regional drug ticket of 2 May 2025.
--
-- The years between (one step): the last bookings of phase 5, deaths,
-- changes of doctor (every child of 2011 is now with a GP), the MEF list of
-- 2024.  Then 24 March - 30 June 2025, week by week: specialist bookings
-- (ER-2020-09-01 rules: visits 23 and 18, no quota), the MEF list of 2025,
-- and drug prescriptions dispensed at the pharmacy (a booking on the day,
-- paid there).  DGR 390/2025 (regime ER-2025-05-02, data) charges 2.20 a
-- pack, at most 4.00 a prescription, from Friday 2 May 2025: free before,
-- whatever the prescription's date; income exemptions spare it, the 013
-- exemption spares the diabetes drug.  The last services of the phase are
-- settled by the end of 2025.
\ir session.sql
\set phase 6
SELECT replay.begin_phase(:phase, 'the regional drug ticket of 2 May 2025', '2025-04-01', '2025-07-01');
\o /dev/null
SELECT replay.reassign_doctors(:phase, '2025-03-24');
SELECT replay.plan_income_grants(:phase, 2024);
SELECT replay.plan_income_grants(:phase, 2025);
SELECT replay.plan_rx(:phase, '2025-03-24', '2025-07-01', 1.0, 1600);
SELECT replay.plan_drugs(:phase, '2025-04-01', '2025-07-01', 0.5, 1700);
\o
SELECT replay.planned(:phase);
\echo '  (November 2020 - March 2025: the rest of the 2020 bookings, deaths, changes of doctor, the MEF list of 2024)'
SELECT * FROM replay.steps(:phase, '2020-11-01', '2025-03-24', 3000, 1) \gexec
SELECT * FROM replay.steps(:phase, '2025-03-24', '2025-07-01', 7, 4) \gexec
\echo '  (July - December 2025: the last services of the phase)'
SELECT * FROM replay.steps(:phase, '2025-07-01', '2026-01-01', 3000, 1) \gexec

\pset tuples_only off
\pset format aligned
\pset footer off
\pset null '-'
\echo
\echo 'Drugs dispensed at the pharmacy, before and after 2 May 2025'
SELECT (b.bill).regime AS regime, r.mix, replay.n(count(*)) AS dispensed,
       replay.n(sum(cardinality(r.services))) AS packs,
       replay.pct(count(*) FILTER (WHERE b.amount = 0), count(*)) AS free,
       replay.n(count(*) FILTER (WHERE (b.bill).exemption IS NOT NULL AND b.amount = 0)) AS exempt,
       replay.eur0(sum(b.paid_amount)) AS drug_ticket,
       replay.eur0(avg(b.amount) FILTER (WHERE b.amount > 0)) AS when_charged
  FROM cup.booking b JOIN replay.rx r ON r.nre = b.nre
 WHERE r.kind = 'drug' AND b.status <> 'cancelled'
 GROUP BY GROUPING SETS (((b.bill).regime, r.mix), ((b.bill).regime))
 ORDER BY (b.bill).regime, r.mix NULLS LAST;
\echo
SELECT x.what, replay.n(x.n) AS rows FROM (VALUES
    (1, 'prescribed before 2 May, dispensed from 2 May (charged)',
        (SELECT count(*) FROM cup.booking b JOIN replay.rx r ON r.nre = b.nre
          WHERE r.kind = 'drug' AND r.prescribed_on < '2025-05-02' AND b.service_date >= '2025-05-02' AND b.amount > 0)),
    (2, 'two packs capped at 4.00 (not 4.40)',
        (SELECT count(*) FROM cup.booking b JOIN replay.rx r ON r.nre = b.nre
          WHERE r.kind = 'drug' AND cardinality(r.services) = 2 AND b.amount = 4.00)),
    (3, 'metformin spared by the 013 exemption',
        (SELECT count(*) FROM cup.booking b JOIN replay.rx r ON r.nre = b.nre
          WHERE r.kind = 'drug' AND r.services @> '{A-0002}' AND b.service_date >= '2025-05-02' AND b.amount = 0
            AND (b.bill).exemption = '013'))) AS x(o, what, n)
 ORDER BY x.o;
\ir report.sql
