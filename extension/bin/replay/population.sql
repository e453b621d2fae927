-- extension/bin/replay/population.sql: phase 0, the synthetic region on
-- 1 June 2011 (after engine.sql and names.sql).
--
-- Households first (AUSL by population, origin, shape: singles, couples,
-- families with dependants, single parents, a grandparent at home), then
-- their members (ages, sex, twins, names, birthplaces valid in the year of
-- birth), the STP and ENI codes of foreigners without a fiscal code, the
-- fiscal codes computed by the extension (ticket.fiscal_code_encode; when
-- two people share the 16 characters the later one gets the Agenzia's
-- omocode), the GPs and paediatricians (about 1 per 1,545 and 1 per 7,200
-- residents), the day each citizen will die (Gompertz mortality; the phases
-- record it when it comes), and the exemptions the registry knew in spring
-- 2011.  Everything set-wise; every draw is replay.u(key, salt).
-- (The main job's own region, from a clean clone: the tests' populations are
-- another kind -- test/fixtures/population_2020.sql a region as on 31 March
-- 2020 written as loaded data, test/switch-2011/01_population.sql a small
-- one the 2011 switch test checks bill by bill.)
\ir session.sql
SELECT replay.begin_phase(0, 'the region on 1 June 2011', NULL, NULL);
\o /dev/null

--------------------------------------------------------------------------
-- Places: bags place:<pool>:<period> of the Belfiore codes valid
-- throughout a five-year period of birth (the union of their eras),
-- repeated by weight (half the population in thousands; every other
-- municipality of the pool 1); place:cc:<group> the foreign states of a
-- community.  Pools: asl:<AUSL> (born near home), er (elsewhere in the
-- region), it (the rest of Italy).
--------------------------------------------------------------------------
CREATE TEMPORARY TABLE code_years AS
SELECT code, range_agg(valid) AS valid FROM ticket.birthplace WHERE kind = 'municipality' GROUP BY code;

CREATE TEMPORARY TABLE pool_code AS
WITH src AS (
    SELECT s.pool, s.provinces, btrim(split_part(e, ':', 1), E' \n\r\t') AS name,
           btrim(split_part(e, ':', 2), E' \n\r\t')::integer AS w
      FROM replay.place_src s, unnest(string_to_array(s.named, ',')) AS e
), named AS (
    SELECT DISTINCT s.pool, b.code, greatest(1, s.w / 2) AS w
      FROM src s JOIN ticket.birthplace b ON b.kind = 'municipality' AND b.name = s.name AND b.province = ANY (s.provinces)
), others AS (
    SELECT DISTINCT s.pool, b.code, 1 AS w
      FROM replay.place_src s JOIN ticket.birthplace b ON b.kind = 'municipality' AND b.province = ANY (s.provinces)
     WHERE s.others > 0 AND NOT EXISTS (SELECT 1 FROM named n WHERE n.code = b.code)
), pools AS (
    SELECT * FROM named UNION ALL SELECT * FROM others
)
SELECT pool, code, w FROM pools
UNION ALL
SELECT 'er', code, max(w) FROM pools WHERE pool LIKE 'asl:%' GROUP BY code;

INSERT INTO replay.bag (name, items)
SELECT 'place:' || p.pool || ':' || y, array_agg(p.code ORDER BY p.code, r)
  FROM pool_code p
  JOIN code_years c USING (code)
 CROSS JOIN generate_series(1905, 2010, 5) AS y
 CROSS JOIN LATERAL generate_series(1, p.w) AS r
 WHERE c.valid @> daterange(make_date(y, 1, 1), make_date(y + 5, 1, 1))
 GROUP BY p.pool, y;

-- Foreign states (their Belfiore codes are timeless for birth purposes).
INSERT INTO replay.bag (name, items)
SELECT 'place:cc:' || o.grp, array_agg(DISTINCT b.code ORDER BY b.code)
  FROM replay.origin o
  JOIN ticket.birthplace b ON b.kind = 'country' AND upper_inf(b.valid)
   AND b.name ILIKE ANY (string_to_array(o.countries, '|'))
 WHERE o.countries <> ''
 GROUP BY o.grp;
-- A community whose state is not loaded is left out.
DELETE FROM replay.origin o
 WHERE o.countries <> '' AND NOT EXISTS (SELECT 1 FROM replay.bag b WHERE b.name = 'place:cc:' || o.grp);

--------------------------------------------------------------------------
-- Household shapes: size, couple, children, a grandparent; the head's age
-- range (skew > 1 favours the young end); the share of women heading it;
-- the median family income (2010).  Weights per 1,000 households, Italian
-- and foreign (close to the ISTAT proportions: about 2.17 members on average).
--------------------------------------------------------------------------
CREATE TABLE replay.shape (
    shape text PRIMARY KEY, size integer, couple boolean, children integer, grandparent boolean,
    min_age numeric, max_age numeric, skew numeric, female_head numeric, income numeric,
    w_it integer, w_fx integer);
INSERT INTO replay.shape VALUES
    ('single young', 1, false, 0, false, 20, 45, 1, 0.45, 21000, 100, 120),
    ('single middle-aged', 1, false, 0, false, 45, 65, 1, 0.50, 24000, 90, 120),
    ('single elderly', 1, false, 0, false, 65, 100, 1.7, 0.72, 15000, 230, 10),
    ('couple young', 2, true, 0, false, 22, 45, 1, 0.25, 42000, 55, 80),
    ('couple older', 2, true, 0, false, 45, 95, 1.5, 0.20, 30000, 175, 20),
    ('single parent 1 child', 2, false, 1, false, 25, 60, 1, 0.85, 22000, 50, 40),
    ('single parent 2 children', 3, false, 2, false, 28, 58, 1, 0.85, 24000, 25, 30),
    ('couple 1 child', 3, true, 1, false, 25, 65, 1, 0.25, 44000, 140, 150),
    ('couple 2 children', 4, true, 2, false, 28, 60, 1, 0.25, 46000, 125, 200),
    ('couple 3 children', 5, true, 3, false, 30, 58, 1, 0.25, 44000, 25, 80),
    ('couple 2 children grandparent', 5, true, 2, true, 35, 60, 1, 0.25, 48000, 10, 5),
    ('couple 4 children', 6, true, 4, false, 32, 55, 1, 0.25, 40000, 5, 20);
SELECT replay.add_bag('shape:it', string_agg(shape || ':' || w_it, ',' ORDER BY shape)) FROM replay.shape;
SELECT replay.add_bag('shape:fx', string_agg(shape || ':' || w_fx, ',' ORDER BY shape)) FROM replay.shape;
SELECT replay.add_bag('origin', string_agg(grp || ':' || weight, ',' ORDER BY grp)) FROM replay.origin;
-- Foreigners without a residence permit (STP) or EU citizens without
-- cover (ENI): no fiscal code, a regional one.
SELECT replay.add_bag('origin:stp', string_agg(grp || ':' || weight, ',' ORDER BY grp))
  FROM replay.origin WHERE names <> 'it' AND NOT eu;
SELECT replay.add_bag('origin:eni', string_agg(grp || ':' || weight, ',' ORDER BY grp))
  FROM replay.origin WHERE eu;
SELECT replay.index_bags();

--------------------------------------------------------------------------
-- Households (10 % more than needed: the members are cut at the size).
--------------------------------------------------------------------------
CREATE TABLE replay.hh AS
WITH g AS (
    SELECT h, a.item AS asl, o.item AS grp
      FROM generate_series(1, (SELECT ceil(households * 1.1)::bigint FROM replay.config)) AS h
      JOIN replay.bag_item a ON a.name = 'asl'
                            AND a.idx = 1 + floor(replay.u(h, 101) * (SELECT n FROM replay.bag_n WHERE name = 'asl'))::integer
      JOIN replay.bag_item o ON o.name = 'origin'
                            AND o.idx = 1 + floor(replay.u(h, 102) * (SELECT n FROM replay.bag_n WHERE name = 'origin'))::integer
), s AS (
    SELECT g.*, og.names, og.countries <> '' AND g.grp <> 'ab' AS foreign_born,
           CASE WHEN g.grp IN ('ua', 'md') AND replay.u(h, 103) < 0.5 THEN 'single middle-aged'
                ELSE si.item END AS shape
      FROM g
      JOIN replay.origin og USING (grp)
      JOIN replay.bag_n sn ON sn.name = CASE WHEN og.names = 'it' THEN 'shape:it' ELSE 'shape:fx' END
      JOIN replay.bag_item si ON si.name = sn.name AND si.idx = 1 + floor(replay.u(h, 104) * sn.n)::integer
)
SELECT s.h AS hh, s.asl, s.grp, s.names, s.foreign_born, s.shape, sh.size, sh.couple, sh.children, sh.grandparent,
       (sh.min_age + (sh.max_age - sh.min_age) * power(replay.u(s.h, 105), sh.skew::double precision))::numeric(6,3) AS head_age,
       replay.u(s.h, 106) < CASE WHEN s.grp IN ('ua', 'md') AND NOT sh.couple THEN 0.9 ELSE sh.female_head END AS head_female,
       sh.children >= 2 AND replay.u(s.h, 107) < 0.035 AS twins,
       -- unemployed heads of working age (their families may get E02)
       replay.u(s.h, 108) < 0.035 AS unemployed,
       -- foreign households: the year they arrived (children born later are born here)
       1990 + floor(20 * power(replay.u(s.h, 109), 0.8))::integer AS arrival
  FROM s JOIN replay.shape sh USING (shape);
ALTER TABLE replay.hh ADD PRIMARY KEY (hh);
ALTER TABLE replay.hh ADD COLUMN income numeric(12,2);
UPDATE replay.hh h
   SET income = round((sh.income * CASE WHEN h.foreign_born THEN 0.55 ELSE 1 END
                       * CASE WHEN h.unemployed AND h.head_age BETWEEN 25 AND 60 THEN 0.22 ELSE 1 END
                       * exp(0.6 * replay.gauss(h.hh, 110)))::numeric, 2)
  FROM replay.shape sh WHERE sh.shape = h.shape;
UPDATE replay.hh SET unemployed = false WHERE NOT (head_age BETWEEN 25 AND 60);

--------------------------------------------------------------------------
-- Members: the head (the household's income-tax declarant), the spouse,
-- the children (youngest first drawn, the others older by a family gap;
-- twins share a birth), a grandparent.
--------------------------------------------------------------------------
CREATE TEMPORARY TABLE m0 AS
SELECT h.*, k AS member, h.hh * 8 + k AS key,
       CASE WHEN k = 1 THEN 'head' WHEN k = 2 AND h.couple THEN 'spouse'
            WHEN h.grandparent AND k = h.size THEN 'grandparent' ELSE 'child' END AS kin,
       k - CASE WHEN h.couple THEN 2 ELSE 1 END AS ci
  FROM replay.hh h CROSS JOIN generate_series(1, h.size) AS k;

CREATE TEMPORARY TABLE m1 AS
SELECT m.*,
       -- twins: the second child takes the first one's draws for sex, age and place
       CASE WHEN m.kin = 'child' AND m.twins AND m.ci = 2 THEN m.key - 1 ELSE m.key END AS dkey,
       CASE WHEN m.kin = 'child' AND m.twins AND m.ci = 2 THEN 1 ELSE m.ci END AS ci_eff
  FROM m0 m;

CREATE TEMPORARY TABLE m2 AS
SELECT m.*,
       CASE m.kin
            WHEN 'head' THEN CASE WHEN m.head_female THEN 'F' ELSE 'M' END
            WHEN 'spouse' THEN CASE WHEN m.head_female THEN 'M' ELSE 'F' END
            WHEN 'grandparent' THEN CASE WHEN replay.u(m.key, 202) < 0.7 THEN 'F' ELSE 'M' END
            ELSE CASE WHEN replay.u(m.dkey, 201) < 0.486 THEN 'F' ELSE 'M' END END AS sex,
       (CASE m.kin
            WHEN 'head' THEN m.head_age
            WHEN 'spouse' THEN greatest(18, m.head_age + CASE WHEN m.head_female THEN 1 ELSE -1 END
                                                         * abs(2.5 + 2.5 * replay.gauss(m.hh, 203)))
            WHEN 'grandparent' THEN least(100, m.head_age + 24 + 8 * replay.u(m.key, 208))
            ELSE greatest(0.02, least(m.head_age - 17,
                     replay.u(m.hh, 205) * greatest(0, least(m.head_age - 23, 24))
                     + (m.children - m.ci_eff) * (1.5 + 2.5 * replay.u(m.hh, 206))
                     + 0.3 * replay.u(m.dkey, 207))) END)::double precision AS age
  FROM m1 m;

CREATE TEMPORARY TABLE m3 AS
SELECT m.*, b.birth_date, extract(year FROM b.birth_date)::integer AS birth_year,
       CASE WHEN extract(year FROM b.birth_date) < 1960 THEN 'old'
            WHEN extract(year FROM b.birth_date) < 1990 THEN 'mid' ELSE 'young' END AS cohort,
       -- where they were born: a pool of places
       CASE WHEN m.names <> 'it' THEN
                 CASE WHEN m.kin = 'child' AND extract(year FROM b.birth_date) >= m.arrival
                      THEN 'asl:' || m.asl ELSE 'cc:' || m.grp END
            WHEN m.grp = 'ab' THEN
                 CASE WHEN m.kin = 'head' OR (m.kin = 'spouse' AND replay.u(m.dkey, 210) < 0.5) THEN 'cc:ab'
                      WHEN m.kin = 'grandparent' THEN 'it' ELSE 'asl:' || m.asl END
            WHEN m.grp = 'it_south' AND m.kin <> 'child' THEN
                 CASE WHEN replay.u(m.dkey, 210) < CASE WHEN extract(year FROM b.birth_date) < 1975 THEN 0.8 ELSE 0.3 END
                      THEN 'it' ELSE 'asl:' || m.asl END
            WHEN m.kin = 'child' THEN
                 CASE WHEN replay.u(m.dkey, 210) < 0.90 THEN 'asl:' || m.asl
                      WHEN replay.u(m.dkey, 210) < 0.98 THEN 'er' ELSE 'it' END
            ELSE CASE WHEN replay.u(m.dkey, 210) < 0.70 THEN 'asl:' || m.asl
                      WHEN replay.u(m.dkey, 210) < 0.83 THEN 'er'
                      WHEN replay.u(m.dkey, 210) < 0.98 THEN 'it' ELSE 'cc:ab' END END AS pool,
       -- which name bags
       CASE WHEN m.names = 'it' THEN CASE WHEN m.grp = 'it_south' THEN 'it_south'
                                          WHEN m.grp = 'ab' AND replay.u(m.hh, 211) < 0.5 THEN 'it_south'
                                          ELSE 'it_er' END
            ELSE m.grp END AS sn_grp
  FROM m2 m
 CROSS JOIN LATERAL (SELECT date '2011-06-01' - round(m.age * 365.2425)::integer AS birth_date) b;

-- Italian spouses come from the other Italian group one time in six.
UPDATE m3 SET sn_grp = CASE sn_grp WHEN 'it_er' THEN 'it_south' ELSE 'it_er' END
 WHERE kin IN ('spouse', 'grandparent') AND names = 'it' AND replay.u(hh, 212) < 0.17;

CREATE TABLE replay.person AS
WITH named AS (
    SELECT m.*,
           -- surnames: each adult their own (Italian women keep theirs), children their father's
           (SELECT i.item FROM replay.bag_n n JOIN replay.bag_item i ON i.name = n.name
             WHERE n.name = 'sn:' || m.sn_grp
               AND i.idx = 1 + floor(replay.u(m.hh * 8 + CASE m.kin WHEN 'head' THEN 1 WHEN 'spouse' THEN 2
                                                                    WHEN 'grandparent' THEN 7 ELSE 1 END, 220)
                                     * n.n)::integer) AS own_surname,
           CASE WHEN m.names = 'it' OR (m.kin = 'child' AND m.birth_year >= m.arrival AND replay.u(m.key, 231) < 0.25)
                THEN 'gn:it:' || m.sex || ':' || m.cohort
                ELSE 'gn:' || m.names || ':' || m.sex END AS gn_bag
      FROM m3 m
)
SELECT row_number() OVER (ORDER BY x.hh, x.member) AS pid,
       x.hh, x.member, x.kin,
       CASE x.kin WHEN 'head' THEN 'declarant' WHEN 'spouse' THEN 'spouse' ELSE 'dependant' END AS role,
       x.grp, x.sex, x.birth_date, x.age, x.asl, x.pool,
       CASE WHEN x.kin = 'child' THEN
                 -- the father's surname: the head's, or the spouse's when the head is the mother
                 CASE WHEN NOT x.head_female OR NOT x.couple THEN hs.own_surname ELSE ss.own_surname END
            ELSE x.own_surname END AS surname,
       gi.item AS given_name,
       x.gn_bag, x.ci, x.twins AND x.kin = 'child' AND x.ci IN (1, 2) AS twin,
       'personal'::text AS kind
  FROM named x
  JOIN replay.bag_n gn ON gn.name = x.gn_bag
  JOIN replay.bag_item gi ON gi.name = gn.name AND gi.idx = 1 + floor(replay.u(x.key, 230) * gn.n)::integer
  LEFT JOIN named hs ON hs.hh = x.hh AND hs.kin = 'head'
  LEFT JOIN named ss ON ss.hh = x.hh AND ss.kin = 'spouse';

-- The size: citizens minus the STP and ENI codes added below.
DELETE FROM replay.person
 WHERE pid > (SELECT citizens
                     - CASE WHEN EXISTS (SELECT 1 FROM replay.bag WHERE name = 'origin:stp') THEN round(citizens * 0.003) ELSE 0 END
                     - CASE WHEN EXISTS (SELECT 1 FROM replay.bag WHERE name = 'origin:eni') THEN round(citizens * 0.001) ELSE 0 END
                FROM replay.config);
DELETE FROM replay.hh h WHERE NOT EXISTS (SELECT 1 FROM replay.person p WHERE p.hh = h.hh);
ALTER TABLE replay.person ADD PRIMARY KEY (pid);

-- Twins: the second gets a name of their own, often one that shares the
-- first one's letters in the code (Mario and Mauro).
UPDATE replay.person t
   SET given_name = CASE WHEN n.partner IS NOT NULL AND replay.u(t.pid, 232) < 0.6 THEN n.partner
                         WHEN alt.item <> f.given_name THEN alt.item
                         ELSE coalesce(n.partner, replay.draw(f.gn_bag, replay.u(t.pid, 234))) END
  FROM replay.person f
  LEFT JOIN replay.twin_name n ON n.sex = f.sex AND n.given_name = f.given_name
 CROSS JOIN LATERAL (SELECT replay.draw(f.gn_bag, replay.u(f.pid, 233)) AS item) alt
 WHERE t.twin AND t.ci = 2 AND f.hh = t.hh AND f.twin AND f.ci = 1;

-- STP and ENI: adults registered in spring 2011, no household, no GP.
INSERT INTO replay.person (pid, hh, member, kin, role, grp, sex, birth_date, age, asl, pool, surname, given_name, gn_bag, ci, twin, kind)
SELECT (SELECT max(pid) FROM replay.person) + row_number() OVER (ORDER BY s.kind, s.j),
       NULL, NULL, 'none', NULL, s.grp, s.sex, date '2011-06-01' - round(s.age * 365.2425)::integer, s.age, s.asl,
       'cc:' || s.grp,
       replay.draw('sn:' || (SELECT names FROM replay.origin o WHERE o.grp = s.grp), replay.u(s.key, 220)),
       replay.draw('gn:' || (SELECT names FROM replay.origin o WHERE o.grp = s.grp) || ':' || s.sex, replay.u(s.key, 230)),
       'gn:' || (SELECT names FROM replay.origin o WHERE o.grp = s.grp) || ':' || s.sex, NULL, false, s.kind
  FROM (SELECT k.kind, j, -(j * 4 + CASE k.kind WHEN 'stp' THEN 1 ELSE 2 END) AS key,
               replay.draw('origin:' || k.kind, replay.u(-(j * 4 + CASE k.kind WHEN 'stp' THEN 1 ELSE 2 END), 301)) AS grp,
               replay.draw('asl', replay.u(-(j * 4 + CASE k.kind WHEN 'stp' THEN 1 ELSE 2 END), 302)) AS asl,
               CASE WHEN replay.u(-(j * 4 + CASE k.kind WHEN 'stp' THEN 1 ELSE 2 END), 303) < 0.42 THEN 'F' ELSE 'M' END AS sex,
               18 + 37 * replay.u(-(j * 4 + CASE k.kind WHEN 'stp' THEN 1 ELSE 2 END), 304) AS age
          FROM (SELECT 'stp' AS kind, round(citizens * 0.003)::bigint AS n FROM replay.config
                UNION ALL SELECT 'eni', round(citizens * 0.001)::bigint FROM replay.config) k
         CROSS JOIN LATERAL generate_series(1, k.n) AS j
         WHERE EXISTS (SELECT 1 FROM replay.bag WHERE name = 'origin:' || k.kind)) s;

--------------------------------------------------------------------------
-- Birthplaces: a code of the pool valid in the period of birth (else of
-- the region, else of Italy); twins share their draw.
--------------------------------------------------------------------------
CREATE FUNCTION replay.period(d date) RETURNS integer LANGUAGE sql IMMUTABLE
AS $$SELECT greatest(1905, least(2010, 5 * floor(extract(year FROM d) / 5)::integer))$$;
ALTER TABLE replay.person ADD COLUMN birthplace text;
UPDATE replay.person p
   SET birthplace = i.item
  FROM (SELECT p.pid,
               coalesce(n1.name, n2.name, n3.name) AS bag, coalesce(n1.n, n2.n, n3.n) AS n,
               replay.u(CASE WHEN p.twin AND p.ci = 2 THEN p.pid - 1 ELSE p.pid END, 240) AS u
          FROM replay.person p
          LEFT JOIN replay.bag_n n1
                 ON n1.name = 'place:' || p.pool || CASE WHEN p.pool LIKE 'cc:%' THEN '' ELSE ':' || replay.period(p.birth_date) END
          LEFT JOIN replay.bag_n n2 ON n2.name = 'place:er:' || replay.period(p.birth_date)
          LEFT JOIN replay.bag_n n3 ON n3.name = 'place:it:' || replay.period(p.birth_date)) d
  JOIN replay.bag_item i ON i.name = d.bag AND i.idx = 1 + floor(d.u * d.n)::integer
 WHERE p.pid = d.pid;

--------------------------------------------------------------------------
-- Fiscal codes: computed by the extension; when two people share the 16
-- characters, the later ones get the omocodes the Agenzia issues (the
-- rightmost digits replaced by letters first: masks 1, 3, 7 ...).  STP and
-- ENI: the region's 16-character codes (prefix, AUSL, serial).
--------------------------------------------------------------------------
ALTER TABLE replay.person ADD COLUMN canonical ticket.fiscal_code, ADD COLUMN fiscal_code ticket.fiscal_code;
UPDATE replay.person
   SET canonical = ticket.fiscal_code_encode(surname, given_name, sex, birth_date, birthplace)
 WHERE kind = 'personal';
UPDATE replay.person p
   SET fiscal_code = CASE WHEN d.k = 1 THEN d.canonical
                          ELSE (SELECT o FROM ticket.fiscal_code_omocodes(d.canonical) AS o
                                 WHERE ticket.fiscal_code_omocode_mask(o) = (1 << (d.k - 1)::integer) - 1) END
  FROM (SELECT pid, canonical, row_number() OVER (PARTITION BY canonical ORDER BY pid) AS k
          FROM replay.person WHERE kind = 'personal') d
 WHERE p.pid = d.pid;
UPDATE replay.person p
   SET fiscal_code = (upper(p.kind) || p.asl || lpad(d.serial::text, 7, '0'))::ticket.fiscal_code
  FROM (SELECT pid, row_number() OVER (PARTITION BY kind, asl ORDER BY pid) AS serial
          FROM replay.person WHERE kind IN ('stp', 'eni')) d
 WHERE p.pid = d.pid;
CREATE UNIQUE INDEX ON replay.person (fiscal_code);
CREATE INDEX ON replay.person (hh);

--------------------------------------------------------------------------
-- GPs and paediatricians, per AUSL in proportion to its residents.
--------------------------------------------------------------------------
CREATE TABLE replay.gp AS
WITH w AS (
    SELECT item AS asl, count(*)::numeric / sum(count(*)) OVER () AS share
      FROM replay.bag_item WHERE name = 'asl' GROUP BY item
), n AS (
    SELECT w.asl, k.kind, greatest(1, round(w.share * CASE k.kind WHEN 'gp' THEN c.gps ELSE c.paediatricians END))::integer AS n
      FROM w, replay.config c, (VALUES ('gp'), ('paediatrician')) AS k(kind)
), g AS (
    SELECT n.asl, n.kind, j, n.n,
           CASE n.kind WHEN 'gp' THEN 'MMG' ELSE 'PLS' END || n.asl || lpad(j::text, 4, '0') AS gp_code,
           hashtext(n.kind || n.asl)::bigint * 100000 + j AS key
      FROM n CROSS JOIN LATERAL generate_series(1, n.n) AS j
), p AS (
    SELECT g.*, CASE WHEN replay.u(g.key, 401) < CASE g.kind WHEN 'gp' THEN 0.42 ELSE 0.7 END THEN 'F' ELSE 'M' END AS sex,
           date '1948-01-01' + floor(replay.u(g.key, 402) * 12400)::integer AS birth_date,
           replay.draw(CASE WHEN replay.u(g.key, 403) < 0.25 THEN 'sn:it_south' ELSE 'sn:it_er' END, replay.u(g.key, 404)) AS surname
      FROM g
)
SELECT p.asl, p.kind, p.j, p.n, p.gp_code, p.sex, p.birth_date, p.surname,
       replay.draw('gn:it:' || p.sex || ':' || CASE WHEN p.birth_date < '1960-01-01' THEN 'old' ELSE 'mid' END,
                   replay.u(p.key, 405)) AS given_name,
       coalesce(replay.draw('place:' || CASE WHEN replay.u(p.key, 406) < 0.7 THEN 'asl:' || p.asl ELSE 'it' END
                            || ':' || replay.period(p.birth_date), replay.u(p.key, 407)),
                replay.draw('place:er:' || replay.period(p.birth_date), replay.u(p.key, 407))) AS birthplace
  FROM p;
ALTER TABLE replay.gp ADD COLUMN fiscal_code ticket.fiscal_code;
UPDATE replay.gp g
   SET fiscal_code = CASE WHEN d.k = 1 THEN d.c
                          ELSE (SELECT o FROM ticket.fiscal_code_omocodes(d.c) AS o
                                 WHERE ticket.fiscal_code_omocode_mask(o) = (1 << (d.k - 1)::integer) - 1) END
  FROM (SELECT gp_code, c, row_number() OVER (PARTITION BY c ORDER BY gp_code) AS k
          FROM (SELECT gp_code, ticket.fiscal_code_encode(surname, given_name, sex, birth_date, birthplace) AS c
                  FROM replay.gp) x) d
 WHERE g.gp_code = d.gp_code;

-- Each citizen's doctor: a paediatrician under 14, a GP from 14 on; the
-- AUSL clinics' GPs prescribe for STP and ENI.
ALTER TABLE replay.person ADD COLUMN gp_code text;
UPDATE replay.person p
   SET gp_code = g.gp_code
  FROM replay.gp g
 WHERE g.asl = p.asl
   AND g.kind = CASE WHEN p.age < 14 THEN 'paediatrician' ELSE 'gp' END
   AND g.j = 1 + floor(replay.u(p.pid, 410) * g.n)::integer;

--------------------------------------------------------------------------
-- The day each will die, if before 2026: Gompertz hazard B e^(c x) per
-- year of age x (c = 0.105; B for men e^-11.2, for women e^-11.7: about 1 %
-- a year at 67, 3 % at 78, 10 % at 89).  S(t) = u solved for t.
--------------------------------------------------------------------------
ALTER TABLE replay.person ADD COLUMN death_date date;
UPDATE replay.person p
   SET death_date = date '2011-06-01' + round(365.2425 * t)::integer
  FROM (SELECT pid,
               ln(exp(0.105 * age) - 0.105 * ln(1 - replay.u(pid, 420)) / exp(CASE sex WHEN 'M' THEN -11.2 ELSE -11.7 END))
               / 0.105 - age AS t
          FROM replay.person) d
 WHERE p.pid = d.pid AND d.t < 14.5;
CREATE INDEX ON replay.person (death_date);

-- Alive on a day.
CREATE FUNCTION replay.alive(death date, d date) RETURNS boolean LANGUAGE sql IMMUTABLE
AS $$SELECT death IS NULL OR death > d$$;
-- Age on a day, in whole years.
-- (date arithmetic only: age() on dates would resolve to the STABLE
-- timestamptz variant and stop the inlining)
CREATE FUNCTION replay.age_on(birth date, d date) RETURNS integer LANGUAGE sql IMMUTABLE
AS $$SELECT (extract(year FROM d) - extract(year FROM birth)
             - CASE WHEN extract(month FROM d) * 100 + extract(day FROM d)
                         < extract(month FROM birth) * 100 + extract(day FROM birth) THEN 1 ELSE 0 END)::integer$$;

--------------------------------------------------------------------------
-- The registry: GPs, citizens, households.
--------------------------------------------------------------------------
INSERT INTO registry.gp (gp_code, fiscal_code, surname, given_name, asl_code, kind)
SELECT gp_code, fiscal_code, surname, given_name, asl, kind FROM replay.gp ORDER BY gp_code;
SELECT replay.count(0, '2011-06-01', 'GPs and paediatricians', (SELECT count(*) FROM replay.gp));

-- Citizens, household members and exemptions are written by the jobs, each
-- its share of the households (replay.on_shares); the households first.
INSERT INTO registry.household (household_id, registered_at)
SELECT hh, replay.at('2008-01-02', 540) FROM replay.hh ORDER BY hh;
SELECT setval('registry.household_id_seq', (SELECT max(hh) FROM replay.hh));
SELECT replay.on_shares($q$
INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl, gp_code,
                              registered_at)
SELECT fiscal_code, surname, given_name, sex, birth_date, birthplace, asl,
       CASE WHEN kind = 'personal' THEN gp_code END,
       replay.at(greatest(birth_date + 3, CASE WHEN kind = 'personal' THEN date '2008-01-02'
                                               ELSE date '2011-01-03' + (pid % 140)::integer END), 540)
  FROM replay.person WHERE replay.share(hh, pid, {parts}) = {part} ORDER BY pid
$q$);
SELECT replay.count(0, '2011-06-01', 'citizens', (SELECT count(*) FROM replay.person));

SELECT replay.on_shares($q$
INSERT INTO registry.household_member (fiscal_code, household_id, relation)
SELECT fiscal_code, hh, role FROM replay.person WHERE hh IS NOT NULL AND replay.share(hh, pid, {parts}) = {part} ORDER BY pid
$q$);
SELECT replay.count(0, '2011-06-01', 'households', (SELECT count(*) FROM replay.hh));
SELECT replay.count(0, '2011-06-01', 'household members', (SELECT count(*) FROM replay.person WHERE hh IS NOT NULL));

--------------------------------------------------------------------------
-- Exemptions the registry knew in spring 2011.
--   * diseases and invalidity (the catalogue's chronic codes 013 diabetes,
--     0A31 hypertension with organ damage, 048 cancer for five years;
--     invalidity C01, C03), granted over the years before;
--   * X01 for STP holders;
--   * income exemptions of the year from 1 April 2011 (E01 under 6 or 65
--     and over with a family income up to 36,151.98; E02 unemployed
--     families under 8,263.31 (+ 3,098.74 for a spouse, + 516.46 a child);
--     E03 social pensioners; E04 minimum pensioners 60 and over under
--     8,263.31): three in four known in March (the MEF list), the rest
--     reach the registry from August (phases 1-3).
--------------------------------------------------------------------------
CREATE TABLE replay.income_exemption (
    pid bigint, fiscal_code ticket.fiscal_code, year integer, exemption text, early boolean,
    PRIMARY KEY (pid, year));

-- Who is entitled to which income exemption from 1 April of a year (the
-- family income grows 1.5 % a year and moves with a household's luck).
CREATE FUNCTION replay.family_income(hh bigint, income numeric, year integer) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
    SELECT round((income * power(1.015, year - 2010) * exp(0.12 * replay.gauss(hh * 100 + year, 120)))::numeric, 2)
$$;
CREATE FUNCTION replay.plan_income_exemptions(y integer) RETURNS bigint LANGUAGE sql AS $$
    WITH ins AS (
    INSERT INTO replay.income_exemption (pid, fiscal_code, year, exemption, early)
    SELECT pid, fiscal_code, y, exemption, replay.u(pid * 100 + y, 130) < 0.75
      FROM (SELECT p.pid, p.fiscal_code,
                   CASE WHEN a >= 65 AND h.shape = 'single elderly' AND fi <= 6700 THEN 'E03'
                        WHEN (a >= 65 OR a < 6) AND fi <= 36151.98 THEN 'E01'
                        WHEN a BETWEEN 60 AND 64 AND fi <= 8263.31 THEN 'E04'
                        WHEN h.unemployed AND fi <= 8263.31 + CASE WHEN h.couple THEN 3098.74 ELSE 0 END
                                                         + 516.46 * h.children THEN 'E02' END AS exemption
              FROM replay.person p
              JOIN replay.hh h ON h.hh = p.hh
             CROSS JOIN LATERAL (SELECT replay.age_on(p.birth_date, make_date(y, 4, 1)) AS a,
                                        replay.family_income(h.hh, h.income, y - 1) AS fi) x
             WHERE replay.alive(p.death_date, make_date(y, 4, 1))) e
     WHERE exemption IS NOT NULL
    RETURNING 1)
    SELECT count(*) FROM ins
$$;
SELECT replay.plan_income_exemptions(2011);

SELECT replay.on_shares($q$
INSERT INTO registry.exemption_grant (fiscal_code, exemption, valid, source, granted_at)
SELECT g.fiscal_code, g.exemption::ticket.exemption, g.valid, g.source, g.granted_at
  FROM (
    -- chronic and invalidity
    SELECT p.pid, p.fiscal_code, c.code AS exemption,
           daterange(s.since, CASE WHEN c.code = '048' THEN s.since + 1826 END) AS valid,
           'asl_certificate' AS source, replay.at(s.since - 6, 600) AS granted_at
      FROM replay.person p
     CROSS JOIN (VALUES (1, '013', 0.002, 0.01, 0.05, 0.13), (2, '0A31', 0.0, 0.003, 0.06, 0.15),
                        (3, '048', 0.0, 0.005, 0.03, 0.06), (4, 'C01', 0.001, 0.004, 0.005, 0.03),
                        (5, 'C03', 0.0, 0.004, 0.015, 0.02)) AS c(ord, code, child, young, middle, old)
     CROSS JOIN LATERAL (SELECT greatest(p.birth_date + 30,
                                         CASE WHEN c.code = '048' THEN date '2007-01-01' ELSE date '2001-01-01' END
                                         + floor(replay.u(p.pid * 10 + c.ord, 501) * 3600)::integer) AS since) s
     WHERE p.kind = 'personal'
       AND s.since < date '2011-05-25' AND replay.alive(p.death_date, s.since)
       AND replay.u(p.pid * 10 + c.ord, 502) <
           CASE WHEN p.age < 18 THEN c.child WHEN p.age < 45 THEN c.young WHEN p.age < 65 THEN c.middle ELSE c.old END
    UNION ALL
    SELECT p.pid, p.fiscal_code, 'X01', daterange((p.registered::date), NULL), 'asl_certificate', p.registered
      FROM (SELECT pid, fiscal_code, replay.at(date '2011-01-03' + (pid % 140)::integer, 600) AS registered
              FROM replay.person WHERE kind = 'stp') p
    UNION ALL
    SELECT e.pid, e.fiscal_code, e.exemption, daterange('2011-04-01', NULL),
           -- E02 is never on the MEF list: self-certified (§3.5, S33-S35)
           CASE WHEN e.exemption = 'E02' THEN 'self_certification' ELSE 'mef_list' END,
           replay.at(date '2011-03-21' + (e.pid % 8)::integer, 480 + (e.pid % 300)::integer)
      FROM replay.income_exemption e WHERE e.year = 2011 AND e.early) g
  JOIN replay.person x ON x.pid = g.pid
 WHERE replay.share(x.hh, x.pid, {parts}) = {part}
 ORDER BY g.granted_at, g.pid, g.exemption
$q$);
SELECT replay.count(0, '2011-06-01', 'grants', (SELECT count(*) FROM registry.exemption_grant));

-- The rest of the 2011 income exemptions reach the registry from August,
-- at the desk (self-certified) or with an AUSL certificate, from 1 April.
INSERT INTO replay.grant_plan (id, phase, fiscal_code, exemption, valid_from, valid_until, source, granted_at, day)
SELECT row_number() OVER (ORDER BY g.day, e.pid), 1, e.fiscal_code, e.exemption, '2011-04-01', NULL,
       CASE WHEN replay.u(e.pid, 511) < 0.6 THEN 'self_certification' ELSE 'asl_certificate' END,
       replay.at(g.day, replay.office_minute(replay.u(e.pid, 512), replay.u(e.pid, 513))), g.day
  FROM replay.income_exemption e
 CROSS JOIN LATERAL (SELECT replay.open_day(date '2011-08-01' + floor(120 * power(replay.u(e.pid, 510), 1.3))::integer) AS day) g
  JOIN replay.person p ON p.pid = e.pid
 WHERE e.year = 2011 AND NOT e.early AND replay.alive(p.death_date, g.day);

ANALYZE replay.person, replay.hh, replay.gp;
ANALYZE registry.citizen, registry.household, registry.household_member, registry.exemption_grant, registry.gp;
UPDATE replay.phase SET planned = started, step_seconds = extract(epoch FROM clock_timestamp() - started)
 WHERE phase = 0;
\o

--------------------------------------------------------------------------
-- Report
--------------------------------------------------------------------------
SELECT format('%s %s citizens in %s households, %s GPs and %s paediatricians',
              replay.clock(), replay.n(count(*)), replay.n(count(DISTINCT hh)),
              replay.n((SELECT count(*) FROM replay.gp WHERE kind = 'gp')),
              replay.n((SELECT count(*) FROM replay.gp WHERE kind = 'paediatrician')))
  FROM replay.person;
\pset tuples_only off
\pset format aligned
\pset footer off
\pset null '-'
\echo
SELECT a.asl_code AS ausl, a.name, replay.n(count(p.*)) AS residents, replay.n(count(DISTINCT p.hh)) AS households,
       replay.n((SELECT count(*) FROM replay.gp g WHERE g.asl = a.asl_code AND g.kind = 'gp')) AS gps,
       replay.n((SELECT count(*) FROM replay.gp g WHERE g.asl = a.asl_code AND g.kind = 'paediatrician')) AS paediatricians,
       replay.pct(count(*) FILTER (WHERE p.birthplace LIKE 'Z%'), count(*)) AS born_abroad,
       replay.pct(count(*) FILTER (WHERE p.age >= 65), count(*)) AS "65+"
  FROM registry.asl a LEFT JOIN replay.person p ON p.asl = a.asl_code
 GROUP BY a.asl_code, a.name ORDER BY a.asl_code;
\echo
SELECT x.item AS "who they are", x.value FROM (VALUES
    (1, 'citizens / households / members per household',
        replay.n((SELECT count(*) FROM registry.citizen)) || ' / ' || replay.n((SELECT count(*) FROM registry.household))
        || ' / ' || (SELECT to_char(count(*)::numeric / count(DISTINCT household_id), 'FM0.00') FROM registry.household_member)),
    (2, 'households with dependants', replay.n((SELECT count(DISTINCT household_id) FROM registry.household_member WHERE relation = 'dependant'))),
    (3, 'minors (under 18 on 1 June 2011)', replay.n((SELECT count(*) FROM replay.person WHERE age < 18))),
    (4, 'born in Emilia-Romagna', replay.pct((SELECT count(*) FROM replay.person p JOIN ticket.birthplace b ON b.code = p.birthplace
                                                  AND b.valid @> p.birth_date AND b.province IN ('PC', 'PR', 'RE', 'MO', 'BO', 'FE', 'RA', 'FO', 'FC', 'RN')),
                                               (SELECT count(*) FROM replay.person))),
    (5, 'born elsewhere in Italy / abroad',
        replay.pct((SELECT count(*) FROM replay.person p JOIN ticket.birthplace b ON b.code = p.birthplace
                     AND b.valid @> p.birth_date AND b.province NOT IN ('PC', 'PR', 'RE', 'MO', 'BO', 'FE', 'RA', 'FO', 'FC', 'RN', 'EE')),
                   (SELECT count(*) FROM replay.person))
        || ' / ' || replay.pct((SELECT count(*) FROM replay.person WHERE birthplace LIKE 'Z%'), (SELECT count(*) FROM replay.person))),
    (6, 'distinct birthplaces', replay.n((SELECT count(DISTINCT birthplace) FROM replay.person))),
    (7, 'names with an apostrophe / an accent',
        replay.n((SELECT count(*) FROM registry.citizen WHERE surname || given_name ~ '''')) || ' / '
        || replay.n((SELECT count(*) FROM registry.citizen WHERE surname || given_name ~ '[À-ÿ]'))),
    (8, 'twins / omocodes', replay.n((SELECT count(*) FROM replay.person WHERE twin)) || ' / '
        || replay.n((SELECT count(*) FROM registry.citizen WHERE ticket.fiscal_code_kind(fiscal_code) = 'personal'
                        AND ticket.fiscal_code_is_omocode(fiscal_code)))),
    (9, 'STP / ENI codes', replay.n((SELECT count(*) FROM registry.citizen WHERE ticket.fiscal_code_kind(fiscal_code) = 'stp'))
        || ' / ' || replay.n((SELECT count(*) FROM registry.citizen WHERE ticket.fiscal_code_kind(fiscal_code) = 'eni'))),
    (10, 'family income 2010: median / over 100,000',
        (SELECT replay.eur0(percentile_disc(0.5) WITHIN GROUP (ORDER BY income)) FROM replay.hh) || ' / '
        || replay.pct((SELECT count(*) FROM replay.hh WHERE income > 100000), (SELECT count(*) FROM replay.hh))),
    (11, 'deaths to come by 2025', replay.n((SELECT count(*) FROM replay.person WHERE death_date IS NOT NULL)))
    ) AS x(o, item, value) ORDER BY x.o;
\echo
SELECT g.exemption::text AS exemption, ticket.exemption_family(g.exemption) AS family, replay.n(count(*)) AS grants,
       replay.pct(count(*), (SELECT count(*) FROM registry.citizen)) AS of_citizens
  FROM registry.exemption_grant g GROUP BY g.exemption ORDER BY g.exemption::text;
\echo
SELECT c.fiscal_code, c.surname, c.given_name, c.sex, to_char(c.birth_date, 'DD/MM/YYYY') AS born,
       ticket.birthplace_name(c.birthplace, c.birth_date) AS "in", a.name AS lives_in,
       ticket.fiscal_code_kind(c.fiscal_code) || CASE WHEN ticket.fiscal_code_is_omocode(c.fiscal_code) THEN ' (omocode)' ELSE '' END AS code
  FROM registry.citizen c JOIN registry.asl a ON a.asl_code = c.residence_asl
  JOIN replay.person p ON p.fiscal_code = c.fiscal_code
 WHERE p.pid % greatest(1, (SELECT count(*) FROM replay.person) / 7) = 1
    OR p.pid = (SELECT min(pid) FROM replay.person WHERE kind <> 'personal')
    OR p.pid = (SELECT min(x.pid) FROM replay.person x JOIN registry.citizen y USING (fiscal_code)
                 WHERE ticket.fiscal_code_kind(y.fiscal_code) = 'personal' AND ticket.fiscal_code_is_omocode(y.fiscal_code))
 ORDER BY p.pid LIMIT 10;
\set phase 0
\ir report.sql
