-- extension/bin/replay/report.sql: the end of a phase (included by each
-- phase script with \set phase N): ticket.check_consistency(), the phase's
-- figures, the revenue by band of its service dates; a non-empty check
-- prints its rows and stops the replay with an error.
\o /dev/null
SELECT replay.check(:phase);
\o
\pset tuples_only off
\pset format aligned
\pset footer off
\pset null '-'
\echo
SELECT item AS "the phase in figures", value FROM replay.report(:phase);
SELECT service_from IS NOT NULL AS has_revenue, check_rows > 0 AS inconsistent,
       to_char(service_from, 'DD Mon YYYY') || ' - ' || to_char(service_to - 1, 'DD Mon YYYY') AS service_window
  FROM replay.phase WHERE phase = :phase \gset
\if :has_revenue
\echo
\echo 'Revenue by band, services of' :service_window
SELECT * FROM replay.revenue(:phase);
\endif
\if :inconsistent
\echo
\echo 'ticket.check_consistency() is not empty:'
SELECT * FROM consistency ORDER BY 1, 2 LIMIT 100;
SELECT replay.fail_if_inconsistent(:phase);
\endif
\pset tuples_only on
\pset format unaligned
