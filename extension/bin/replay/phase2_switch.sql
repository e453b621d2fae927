-- extension/bin/replay/phase2_switch.sql: Monday 29 August - Thursday 27
-- October 2011, the first 60 days of DGR 1190/2011: the transition (forms
-- signed until 30 September settle the paid bookings since 29 August;
-- ticket-rules.md §1.4, §9, S3 S4 S5) and four weeks after it.
--
-- Households with a family income up to 100,000 self-certify their band
-- (RE1, RE2, RE3: ticket.income_band_for on the 2010 income) at CUP desks,
-- GPs, pharmacies, CAF and the call centre: each member of age for
-- themselves, a parent for each minor.  Arrivals follow the shape the call
-- centre saw: a wall on the first Monday, a fast decay, weekdays over
-- Saturdays, closed on Sundays, and a second wave in the last week of
-- September (refunds need the form by 30 September, the transition's
-- deadline: first 18 September, extended; S3 S4 S5).  Four forms in five
-- apply from 29 August (paid bookings since then are refunded when the form
-- comes by 30 September; from 1 October paid is final), the rest from the
-- day they are signed.  About 70 % of the eligible households sign in these
-- 60 days; 13 % later (phase 3), the rest never (they pay the amounts
-- without a band).  Meanwhile the CUP books and takes payments.  Daily
-- steps, progress every week.
\ir session.sql
\set phase 2
SELECT replay.begin_phase(:phase, 'the switch: self-certifications from 29 August 2011 (refunds until 30 September)', '2011-08-29', '2011-10-28');
\o /dev/null

-- The day a household signs: day k of the 60 weighs
-- (e^(-k/9) + 0.10 + 0.3 e^(-(k-30)^2/18)) x the weekday (Monday 1.25,
-- Tuesday-Friday 1, Saturday 0.45, Sunday and holidays 0): the second wave
-- peaks on Wednesday 28 September, before the deadline.
SELECT replay.add_bag('switch_day', string_agg(d::text || ':' || w, ',' ORDER BY d))
  FROM (SELECT d::date AS d,
               round(1000 * (exp(-k / 9.0) + 0.10 + 0.3 * exp(-power(k - 30, 2) / 18.0))
                          * CASE WHEN NOT c.open THEN 0 WHEN extract(isodow FROM d) = 1 THEN 1.25
                                 WHEN extract(isodow FROM d) = 6 THEN 0.45 ELSE 1 END)::integer AS w
          FROM generate_series(0, 59) AS k
         CROSS JOIN LATERAL (SELECT date '2011-08-29' + k AS d) x
          JOIN replay.calendar c ON c.day = x.d) s
 WHERE w > 0;
-- Where forms were signed in 2011 (the FSE had no online form yet).
SELECT replay.add_bag('channel:2011', 'cup_desk:40, gp:20, pharmacy:15, call_centre:15, caf:10');
SELECT replay.index_bags();

-- The households that declare, when, where, and from which day.
CREATE TABLE replay.form2011 AS
SELECT h.hh, h.asl, band.band,
       CASE WHEN band.r < 0.70 THEN 'switch' WHEN band.r < 0.83 THEN 'late' END AS wave,
       replay.draw('switch_day', replay.u(h.hh, 601))::date AS switch_day,
       replay.open_day(date '2011-10-31' + floor(150 * power(replay.u(h.hh, 602), 1.6))::integer) AS late_day,
       replay.draw('channel:2011', replay.u(h.hh, 603)) AS channel,
       replay.u(h.hh, 604) < 0.8 AS retro
  FROM replay.hh h
 CROSS JOIN LATERAL (SELECT ticket.income_band_for(replay.family_income(h.hh, h.income, 2010), '2011-08-29')::text AS band,
                            replay.u(h.hh, 600) AS r) band
 WHERE band.band IS NOT NULL;
DELETE FROM replay.form2011 WHERE wave IS NULL;
ALTER TABLE replay.form2011 ADD PRIMARY KEY (hh);

-- One form per member (95 % of them): adults for themselves (a spouse
-- sometimes days later), a parent for a minor (the head, or the spouse,
-- whoever is alive).  Late forms apply from the day they are signed.
CREATE FUNCTION replay.plan_forms2011(p integer, which text) RETURNS bigint LANGUAGE sql AS $$
WITH m AS (
    SELECT f.*, x.pid, x.fiscal_code, x.kin, x.birth_date, x.death_date, x.gp_code, x.pid * 4 AS k,
           CASE WHEN which = 'switch' THEN f.switch_day ELSE f.late_day END AS hh_day
      FROM replay.form2011 f
      JOIN replay.person x ON x.hh = f.hh
     WHERE f.wave = which AND replay.u(x.pid, 610) < 0.95
), d AS (
    SELECT m.*,
           CASE WHEN m.kin = 'spouse' AND replay.u(m.k, 611) < 0.3
                THEN replay.open_day(m.hh_day + 1 + floor(20 * replay.u(m.k, 612))::integer) ELSE m.hh_day END AS day
      FROM m
), s AS (
    SELECT d.*, replay.at(d.day, CASE WHEN d.channel = 'call_centre' THEN replay.call_minute(replay.u(d.k, 613), replay.u(d.k, 614))
                                      ELSE replay.office_minute(replay.u(d.k, 613), replay.u(d.k, 614)) END) AS signed_at,
           (SELECT x.fiscal_code FROM replay.person x
             WHERE x.hh = d.hh AND x.kin IN ('head', 'spouse') AND replay.alive(x.death_date, d.day)
             ORDER BY (x.kin = 'head') <> (replay.u(d.k, 615) < 0.7), x.pid LIMIT 1) AS parent
      FROM d
     WHERE replay.alive(d.death_date, d.day)
)
INSERT INTO replay.decl (id, phase, what, fiscal_code, band, declarant, channel, operator, signed_at, applies_from,
                         income_year, day)
SELECT (SELECT coalesce(max(id), 0) FROM replay.decl) + row_number() OVER (ORDER BY s.signed_at, s.pid),
       p, CASE WHEN which = 'switch' THEN 'form' ELSE 'late form' END,
       s.fiscal_code, s.band,
       CASE WHEN s.birth_date > (s.day - interval '18 years')::date THEN s.parent ELSE s.fiscal_code END,
       s.channel,
       CASE s.channel WHEN 'cup_desk' THEN 'CUP-' || s.asl || '-' || lpad((1 + s.hh % 12)::text, 2, '0')
                      WHEN 'gp' THEN s.gp_code
                      WHEN 'pharmacy' THEN 'FARM-' || s.asl || '-' || lpad((1 + s.hh % 40)::text, 3, '0')
                      WHEN 'caf' THEN 'CAF-' || lpad((1 + s.hh % 25)::text, 2, '0')
                      ELSE 'CC-' || lpad((1 + s.hh % 30)::text, 2, '0') END,
       s.signed_at,
       CASE WHEN which = 'switch' AND s.retro THEN date '2011-08-29' ELSE s.day END,
       2010, s.day
  FROM s
 WHERE s.birth_date <= (s.day - interval '18 years')::date OR s.parent IS NOT NULL
 ORDER BY s.signed_at, s.pid
RETURNING 1
$$;
SELECT replay.plan_forms2011(:phase, 'switch');
-- Children of 14 or more whose GP is a paediatrician: none yet (they move in later phases).
SELECT replay.plan_rx(:phase, '2011-08-29', '2011-10-28', 1.0, 1200);
\o
SELECT replay.planned(:phase);
SELECT * FROM replay.steps(:phase, '2011-08-29', '2011-10-28', 1, 7) \gexec

\pset tuples_only off
\pset format aligned
\pset footer off
\pset null '-'
\echo
\echo 'Self-certifications by channel (29 August - 27 October 2011)'
SELECT replace(d.channel, '_', ' ') AS channel, replay.n(count(*)) AS forms, replay.pct(count(*), sum(count(*)) OVER ()) AS share,
       replay.pct(count(*) FILTER (WHERE d.declarant <> d.fiscal_code), count(*)) AS by_a_parent,
       replay.pct(count(*) FILTER (WHERE d.applies_from = '2011-08-29'), count(*)) AS from_29_aug,
       to_char(mode() WITHIN GROUP (ORDER BY ticket.local_day(d.signed_at)), 'Dy DD Mon') AS busiest_day,
       to_char(mode() WITHIN GROUP (ORDER BY extract(hour FROM d.signed_at AT TIME ZONE 'Europe/Rome')), 'FM00') || ':00' AS busiest_hour
  FROM registry.declaration d
 WHERE d.declaration_id > (SELECT declaration0 FROM replay.phase WHERE phase = :phase)
 GROUP BY d.channel ORDER BY count(*) DESC, d.channel;
\echo
\echo 'The shape of the switch: forms per week (# = 1 % of all forms; refunds for forms until 30 September), and the bands declared'
SELECT 'week ' || w.week AS week, to_char(min(w.day), 'DD Mon') || ' - ' || to_char(max(w.day), 'DD Mon') AS days,
       replay.n(count(*)) AS forms, replay.n(count(*) FILTER (WHERE w.channel = 'call_centre')) AS call_centre,
       replay.n(count(*) FILTER (WHERE w.band = 'RE1')) AS "RE1", replay.n(count(*) FILTER (WHERE w.band = 'RE2')) AS "RE2",
       replay.n(count(*) FILTER (WHERE w.band = 'RE3')) AS "RE3",
       repeat('#', round(100.0 * count(*) / sum(count(*)) OVER ())::integer) AS shape
  FROM (SELECT d.channel, d.band::text AS band, ticket.local_day(d.signed_at) AS day,
               1 + (ticket.local_day(d.signed_at) - date '2011-08-29') / 7 AS week
          FROM registry.declaration d
         WHERE d.declaration_id > (SELECT declaration0 FROM replay.phase WHERE phase = :phase)) w
 GROUP BY w.week ORDER BY w.week;
\ir report.sql
