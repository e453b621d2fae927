-- extension/bin/replay/plan.sql: the plan generators the phases share
-- (after population.sql): prescriptions and their bookings, drug
-- prescriptions dispensed at the pharmacy, the yearly income exemptions,
-- doctors for children who turn 14.  Each writes plan rows only; the
-- phases' steps carry them out on their days.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET search_path = public, ticket;
\o /dev/null

-- Specialist prescriptions a year at an age (a GP's patients: about 1 at
-- 20, 2 at 50, 3 at 80).
CREATE FUNCTION replay.rx_rate(age integer) RETURNS double precision LANGUAGE sql IMMUTABLE
AS $$SELECT 0.9 + 3.2 * power(greatest(age, 0) / 100.0::double precision, 1.5::double precision)$$;

-- Prescriptions written in [d0, d1) by the patients' GPs at `per_year`
-- times the age rate, and the life of each: 4 % never booked; booked 0-13
-- days later (most the same day or the next) for a date the priority
-- allows (U 0-3 days, B 1-10, D 5-54, P 10-119, follow-ups 7-90); 8 % in
-- another AUSL; 20 % prepaid; 6 % cancelled before the day, 2 % no-shows,
-- 5 % moved (by up to ten days earlier or twenty later).  Nothing planned
-- on or after the patient's death.
CREATE FUNCTION replay.plan_rx(p integer, d0 date, d1 date, per_year double precision, salt integer)
RETURNS bigint LANGUAGE sql AS $$
WITH people AS MATERIALIZED (
    SELECT x.pid, x.fiscal_code, x.asl, x.gp_code, x.death_date, replay.age_on(x.birth_date, d0) AS age
      FROM replay.person x
     WHERE replay.alive(x.death_date, d0)
), cand AS (
    SELECT x.*, x.pid * 64 + s AS k FROM people x CROSS JOIN generate_series(1, 6) AS s
), chosen AS MATERIALIZED (
    SELECT c.*, least(d1 - 1, greatest(d0, replay.open_day(d0 + floor(replay.u(c.k, salt + 1) * (d1 - d0))::integer)))
                AS prescribed_on
      FROM cand c
     WHERE replay.u(c.k, salt) < per_year * (d1 - d0) / 365.25 * replay.rx_rate(c.age) / 6
), drawn AS MATERIALIZED (
    SELECT c.*, m.item AS mix, nullif(pr.item, 'none') AS priority,
           replay.at(c.prescribed_on, 480 + floor(600 * replay.u(c.k, salt + 4))::integer) AS written_at,
           CASE WHEN replay.u(c.k, salt + 5) >= 0.04
                THEN greatest(c.prescribed_on,
                              replay.open_day(c.prescribed_on + floor(14 * power(replay.u(c.k, salt + 6), 3))::integer)) END AS book_on
      FROM chosen c
      JOIN replay.bag_n mn ON mn.name = CASE WHEN c.age < 14 THEN 'mix:child' WHEN c.age < 50 THEN 'mix:adult' ELSE 'mix:senior' END
      JOIN replay.bag_item m ON m.name = mn.name AND m.idx = 1 + floor(replay.u(c.k, salt + 2) * mn.n)::integer
      JOIN replay.bag_item pr ON pr.name = 'priority'
                             AND pr.idx = 1 + floor(replay.u(c.k, salt + 3) * (SELECT n FROM replay.bag_n WHERE name = 'priority'))::integer
     WHERE replay.alive(c.death_date, c.prescribed_on)
), served AS (
    SELECT d.*,
           greatest(d.book_on, replay.open_day(d.book_on + (CASE d.priority WHEN 'U' THEN floor(4 * u) WHEN 'B' THEN 1 + floor(10 * u)
                                                                         WHEN 'D' THEN 5 + floor(50 * u) WHEN 'P' THEN 10 + floor(110 * u)
                                                                         ELSE 7 + floor(84 * u) END)::integer)) AS service_date
      FROM (SELECT d.*, replay.u(d.k, salt + 7) AS u FROM drawn d) d
), life AS (
    SELECT s.*, s.book_on IS NOT NULL AND replay.alive(s.death_date, s.service_date) AS is_booked,
           replay.u(s.k, salt + 8) < 0.06 AS cancelled,
           replay.u(s.k, salt + 9) < 0.02 AS noshow,
           replay.u(s.k, salt + 10) < 0.05 AND s.service_date - s.book_on >= 2 AS moved,
           s.book_on + 1 + floor(replay.u(s.k, salt + 11) * (s.service_date - s.book_on - 1))::integer AS move_on,
           replay.open_day(s.service_date - 10 + floor(31 * replay.u(s.k, salt + 12))::integer) AS move_to0
      FROM served s
), final AS (
    SELECT l.*,
           l.moved AND NOT l.cancelled AND NOT l.noshow
           AND replay.alive(l.death_date, greatest(l.move_on + 1, l.move_to0)) AS is_moved
      FROM life l
), ins AS (
INSERT INTO replay.rx (rx, phase, kind, nre, pid, fiscal_code, gp_code, mix, services, priority, prescribed_on, written_at,
                       book_on, booked_at, service_date, asl_code, prepay, pay_channel, move_on, move_to, cancel_on,
                       cancel_reason, noshow)
SELECT r0.r0 + row_number() OVER (ORDER BY f.prescribed_on, f.pid, f.k), p, 'specialist',
       '080A' || lpad((r0.r0 + row_number() OVER (ORDER BY f.prescribed_on, f.pid, f.k))::text, 11, '0'),
       f.pid, f.fiscal_code, f.gp_code, f.mix, mx.services, f.priority, f.prescribed_on, f.written_at,
       CASE WHEN f.is_booked THEN f.book_on END,
       CASE WHEN f.is_booked THEN greatest(f.written_at + interval '20 minutes',
                                           replay.at(f.book_on, 480 + floor(600 * replay.u(f.k, salt + 13))::integer)) END,
       CASE WHEN f.is_booked THEN f.service_date END,
       CASE WHEN f.is_booked THEN CASE WHEN replay.u(f.k, salt + 14) < 0.08
                                       THEN replay.draw('asl', replay.u(f.k, salt + 15)) ELSE f.asl END END,
       f.is_booked AND replay.u(f.k, salt + 16) < 0.2,
       CASE WHEN NOT f.is_booked THEN NULL
            WHEN replay.u(f.k, salt + 16) < 0.2 THEN CASE WHEN replay.u(f.k, salt + 17) < 0.5 THEN 'online' ELSE 'pharmacy' END
            ELSE CASE WHEN replay.u(f.k, salt + 17) < 0.75 THEN 'cup_desk' ELSE 'totem' END END,
       CASE WHEN f.is_booked AND f.is_moved THEN f.move_on END,
       CASE WHEN f.is_booked AND f.is_moved THEN greatest(f.move_on + 1, f.move_to0) END,
       CASE WHEN NOT f.is_booked THEN NULL
            WHEN f.cancelled THEN f.book_on + floor(replay.u(f.k, salt + 18) * (f.service_date - f.book_on + 1))::integer
            WHEN f.noshow THEN f.service_date + 1 END,
       CASE WHEN NOT f.is_booked THEN NULL
            WHEN f.cancelled THEN (ARRAY['cancelled by the patient', 'no longer needed', 'booked privately'])
                                  [1 + floor(3 * replay.u(f.k, salt + 19))::integer]
            WHEN f.noshow THEN 'no-show' END,
       f.is_booked AND NOT f.cancelled AND f.noshow
  FROM final f
  JOIN replay.mix mx ON mx.mix = f.mix
 CROSS JOIN (SELECT coalesce(max(rx), 0) AS r0 FROM replay.rx) r0
 ORDER BY 1
RETURNING 1)
SELECT count(*) FROM ins
$$;

-- Drug prescriptions of [d0, d1), dispensed at the pharmacy 0-20 days
-- later (a "booking" at the pharmacy on the day, paid there and done):
-- one or two packs of a fascia A drug, the diabetes drug for patients
-- with the 013 exemption.  A month: 1.2 prescriptions at 75 and over, 0.8
-- at 65-74, 0.4 at 50-64, 0.1 under 50, one more for diabetics; at
-- `per_month` times that.
CREATE FUNCTION replay.plan_drugs(p integer, d0 date, d1 date, per_month double precision, salt integer)
RETURNS bigint LANGUAGE sql AS $$
WITH people AS MATERIALIZED (
    SELECT x.pid, x.fiscal_code, x.asl, x.gp_code, x.death_date, replay.age_on(x.birth_date, d0) AS age,
           EXISTS (SELECT 1 FROM registry.exemption_grant g
                    WHERE g.fiscal_code = x.fiscal_code AND g.exemption = '013'::ticket.exemption) AS diabetic
      FROM replay.person x
     WHERE replay.alive(x.death_date, d0)
), cand AS (
    SELECT x.*, x.pid * 64 + 32 + s AS k FROM people x CROSS JOIN generate_series(1, 8) AS s
), chosen AS MATERIALIZED (
    SELECT c.*, least(d1 - 1, greatest(d0, replay.open_day(d0 + floor(replay.u(c.k, salt + 1) * (d1 - d0))::integer)))
                AS prescribed_on
      FROM cand c
     WHERE replay.u(c.k, salt) < per_month * (d1 - d0) / 30.44 / 8
                                 * (CASE WHEN c.age >= 75 THEN 1.2 WHEN c.age >= 65 THEN 0.8 WHEN c.age >= 50 THEN 0.4 ELSE 0.1 END
                                    + CASE WHEN c.diabetic THEN 1 ELSE 0 END)
), d AS (
    SELECT c.*,
           CASE WHEN c.diabetic AND replay.u(c.k, salt + 2) < 0.6
                THEN CASE WHEN replay.u(c.k, salt + 3) < 0.5 THEN 'metformin, 1 pack' ELSE 'metformin, 2 packs' END
                ELSE CASE WHEN replay.u(c.k, salt + 3) < 0.55 THEN 'fascia A drug, 1 pack' ELSE 'fascia A drug, 2 packs' END END AS mix,
           greatest(c.prescribed_on,
                    replay.open_day(c.prescribed_on + floor(21 * power(replay.u(c.k, salt + 4), 2))::integer)) AS day,
           replay.at(c.prescribed_on, 480 + floor(600 * replay.u(c.k, salt + 5))::integer) AS written_at
      FROM chosen c
     WHERE replay.alive(c.death_date, c.prescribed_on)
), ins AS (
INSERT INTO replay.rx (rx, phase, kind, nre, pid, fiscal_code, gp_code, mix, services, priority, prescribed_on, written_at,
                       book_on, booked_at, service_date, asl_code, prepay, pay_channel)
SELECT r0.r0 + row_number() OVER (ORDER BY d.prescribed_on, d.pid, d.k), p, 'drug',
       '080A' || lpad((r0.r0 + row_number() OVER (ORDER BY d.prescribed_on, d.pid, d.k))::text, 11, '0'),
       d.pid, d.fiscal_code, d.gp_code, d.mix,
       CASE d.mix WHEN 'metformin, 1 pack' THEN '{A-0002}' WHEN 'metformin, 2 packs' THEN '{A-0002,A-0002}'
                  WHEN 'fascia A drug, 1 pack' THEN '{A-0001}' ELSE '{A-0001,A-0001}' END::text[],
       NULL, d.prescribed_on, d.written_at,
       CASE WHEN replay.alive(d.death_date, d.day) THEN d.day END,
       CASE WHEN replay.alive(d.death_date, d.day)
            THEN greatest(d.written_at + interval '30 minutes',
                          replay.at(d.day, 540 + floor(540 * replay.u(d.k, salt + 6))::integer)) END,
       CASE WHEN replay.alive(d.death_date, d.day) THEN d.day END,
       d.asl, true, 'pharmacy'
  FROM d
 CROSS JOIN (SELECT coalesce(max(rx), 0) AS r0 FROM replay.rx) r0
 ORDER BY 1
RETURNING 1)
SELECT count(*) FROM ins
$$;
INSERT INTO replay.mix VALUES
    ('metformin, 1 pack', '{A-0002}', 0, 0, 0), ('metformin, 2 packs', '{A-0002,A-0002}', 0, 0, 0),
    ('fascia A drug, 1 pack', '{A-0001}', 0, 0, 0), ('fascia A drug, 2 packs', '{A-0001,A-0001}', 0, 0, 0);

-- The income exemptions of the year from 1 April y: the MEF list the
-- registry receives in the last days of March, to the next 31 March.
CREATE FUNCTION replay.plan_income_grants(p integer, y integer) RETURNS bigint LANGUAGE sql AS $$
    SELECT replay.plan_income_exemptions(y);
    WITH ins AS (
    INSERT INTO replay.grant_plan (id, phase, fiscal_code, exemption, valid_from, valid_until, source, granted_at, day)
    SELECT (SELECT coalesce(max(id), 0) FROM replay.grant_plan) + row_number() OVER (ORDER BY e.pid),
           p, e.fiscal_code, e.exemption, make_date(y, 4, 1), NULL,
           -- E02 is never on the MEF list: self-certified (§3.5, S33-S35)
           CASE WHEN e.exemption = 'E02' THEN 'self_certification' ELSE 'mef_list' END,
           replay.at(make_date(y, 3, 26), 300 + (e.pid % 120)::integer), make_date(y, 3, 26)
      FROM replay.income_exemption e
      JOIN replay.person x ON x.pid = e.pid
     WHERE e.year = y AND replay.alive(x.death_date, make_date(y, 3, 27))
     ORDER BY e.pid
    RETURNING 1)
    SELECT count(*) FROM ins;
$$;

-- Children who turned 14 leave their paediatrician for a GP of their AUSL
-- (the registry's change of doctor, written as it happens: an UPDATE).
CREATE FUNCTION replay.reassign_doctors(p integer, d date) RETURNS bigint LANGUAGE sql AS $$
    UPDATE replay.person x SET gp_code = g.gp_code
      FROM replay.gp g, replay.gp old
     WHERE old.gp_code = x.gp_code AND old.kind = 'paediatrician'
       AND replay.age_on(x.birth_date, d) >= 14
       AND g.asl = x.asl AND g.kind = 'gp' AND g.j = 1 + floor(replay.u(x.pid, 411) * g.n)::integer;
    WITH u AS (
        UPDATE registry.citizen c SET gp_code = x.gp_code
          FROM replay.person x
         WHERE c.fiscal_code = x.fiscal_code AND x.kind = 'personal' AND c.gp_code IS DISTINCT FROM x.gp_code
        RETURNING 1)
    SELECT replay.count(p, d, 'changes of doctor', (SELECT count(*) FROM u));
    SELECT coalesce(sum(n), 0)::bigint FROM replay.counter WHERE phase = p AND what = 'changes of doctor';
$$;
\o
