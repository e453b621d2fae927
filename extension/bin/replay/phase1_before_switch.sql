-- extension/bin/replay/phase1_before_switch.sql: 1 June - 28 August 2011.
--
-- The GPs prescribe, the CUP books, patients pay (a fifth in advance) and
-- are seen, under the old rules (ER-BASELINE, ER-2011-05-01 from May: the sum of tariffs up to
-- 36.15, no band, no quota).  Bookings for dates from Monday 29 August are
-- already priced with the 2011 rules, which are data: without a declared
-- band, the top amounts (quota 15.00, CT/MRI 70.00).  Part of the income
-- exemptions of the year (from 1 April) reach the registry in August and
-- re-price the unpaid bookings; a paid one before 29 August is final
-- (ER-2011-05-01 has no grace window), a prepaid one of September is
-- refunded.  Weekly steps.
\ir session.sql
\set phase 1
SELECT replay.begin_phase(:phase, 'the days before 29 August 2011 (bookings under the old rules)', '2011-06-01', '2011-08-29');

SELECT replay.plan_rx(:phase, '2011-06-01', '2011-08-29', 1.0, 1100) \g /dev/null
SELECT replay.planned(:phase);
SELECT * FROM replay.steps(:phase, '2011-06-01', '2011-08-29', 7, 4) \gexec

\pset tuples_only off
\pset format aligned
\pset footer off
\pset null '-'
\echo
\echo 'Bookings made before 29 August, by the rules of their service date'
SELECT (b.bill).regime AS regime, replay.n(count(*)) AS bookings,
       replay.n(count(*) FILTER (WHERE b.status = 'booked')) AS still_unpaid,
       replay.eur0(avg(b.amount)) AS average_bill,
       replay.n(count(*) FILTER (WHERE (b.bill).band_quota > 0)) AS with_quota,
       replay.n(count(*) FILTER (WHERE b.amount = 0)) AS free
  FROM cup.booking b
 WHERE b.booking_id > (SELECT booking0 FROM replay.phase WHERE phase = :phase) AND b.status <> 'cancelled'
 GROUP BY 1 ORDER BY min(b.service_date);
\ir report.sql
