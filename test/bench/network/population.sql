-- test/bench/network/population.sql: the population of network_bench.sh.
--
--   psql -v citizens=N -f test/bench/network/population.sql   (after
--   test/fixtures/birthplaces.sql, in a database with the extension)
--
-- State on 31 March 2020, just before the yearly batch of 1 April 2020:
--   * N adult citizens (fiscal codes from ticket.fiscal_code_encode), N/1000
--     GPs (at least 10), residence spread over the eight AUSL;
--   * two declarations each (channel revenue_agency, one in seven cup_desk):
--     [2019-01-01, 2019-04-01) and the open one from 2019-04-01; band QB,
--     QM for one citizen in ten;
--   * grants: chronic 013 for 5 % (open-ended), last year's E02
--     [2019-04-01, 2020-04-01) for 8 %;
--   * per citizen 0-3 future unpaid bookings (1.6 N in all, service dates
--     2020-04-01 .. 2020-10-31, prescribed in January-March 2020) and one
--     past booking done and paid for 40 % (service dates July 2019 - March
--     2020): one prescription per booking;
--   * FSE profiles, FSE events and outbox events as the triggers would have
--     written them, and a registry.citizen_lock row per citizen;
--   * the incoming batch, in bench.batch_declaration (every citizen, band
--     changed for 20 %) and bench.batch_grant (an income exemption E01-E04
--     from 2020-04-01 for 10 %);
--   * bench.pop: one row per citizen with what the pgbench transactions of
--     network_bench.sh need (fiscal code, GP, AUSL, and for the bare
--     transaction the boxes and the bill the triggers would compute).
--
-- Loading is data loading: the user triggers of declaration, exemption_grant,
-- prescription and booking are disabled while the rows are written with the
-- values the triggers would give (set-wise, through the same views the
-- consistency check uses), then enabled again.  Citizens and GPs go through
-- their triggers.  ticket.check_consistency() must be empty afterwards.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
-- the operators of the ticket types live in schema ticket
SET search_path = public, ticket;

CREATE EXTENSION IF NOT EXISTS pg_prewarm;
CREATE SCHEMA bench;

-- GPs: 'MEDICO ANNA' born on distinct days (distinct fiscal codes).
INSERT INTO registry.gp (gp_code, fiscal_code, surname, given_name, asl_code)
SELECT 'GP' || lpad(k::text, 6, '0'),
       ticket.fiscal_code_encode('MEDICO', 'ANNA', 'F', date '1950-01-01' + k, 'A944'),
       'MEDICO', 'ANNA', (SELECT array_agg(asl_code ORDER BY asl_code) FROM registry.asl)[1 + k % 8]
  FROM generate_series(1, greatest(:citizens / 1000, 10)) AS k;

-- Citizens: i -> (birth date, surname, given name, birthplace) injective for
-- i < 25000 * 200, and the surname and given-name codes are all distinct.
CREATE TABLE bench.pop AS
WITH names AS (
    SELECT i,
           date '1930-01-01' + (i % 25000) AS birth_date,
           (ARRAY['ROSSI', 'BIANCHI', 'FERRARI', 'ESPOSITO', 'ROMANO', 'COLOMBO', 'RICCI', 'MARINO',
                  'GRECO', 'BRUNO', 'GALLO', 'CONTI', 'DE LUCA', 'MANCINI', 'COSTA', 'GIORDANO',
                  'RIZZO', 'LOMBARDI', 'MORETTI', 'BARBIERI'])[1 + (i / 25000) % 20] AS surname,
           (i / 500000) % 10 AS g,
           (ARRAY['A944', 'F257', 'H223', 'L219', 'Z129'])[1 + i % 5] AS birthplace
      FROM generate_series(1, :citizens) AS i
)
SELECT i, surname,
       (ARRAY['MARIO', 'LUCA', 'GIUSEPPE', 'ANDREA', 'MARCO',
              'ANNA', 'GIULIA', 'FRANCESCA', 'SARA', 'ELENA'])[1 + g] AS given_name,
       CASE WHEN g < 5 THEN 'M' ELSE 'F' END AS sex,
       birth_date, birthplace,
       (SELECT array_agg(asl_code ORDER BY asl_code) FROM registry.asl)[1 + (i * 7) % 8] AS asl,
       'GP' || lpad((1 + i % greatest(:citizens / 1000, 10))::text, 6, '0') AS gp_code,
       ticket.fiscal_code_encode(surname, (ARRAY['MARIO', 'LUCA', 'GIUSEPPE', 'ANDREA', 'MARCO',
                                                 'ANNA', 'GIULIA', 'FRANCESCA', 'SARA', 'ELENA'])[1 + g],
                                 CASE WHEN g < 5 THEN 'M' ELSE 'F' END, birth_date, birthplace) AS fiscal_code,
       CASE WHEN i % 10 = 7 THEN 'QM' ELSE 'QB' END::ticket.income_band AS old_band,
       CASE WHEN i % 10 = 7 THEN 'QB' ELSE 'QM' END::ticket.income_band AS flipped_band
  FROM names;
ALTER TABLE bench.pop ADD PRIMARY KEY (i);
CREATE UNIQUE INDEX ON bench.pop (fiscal_code);

INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace,
                              residence_asl, gp_code, registered_at)
SELECT fiscal_code, surname, given_name, sex, birth_date, birthplace, asl, gp_code,
       timestamptz '2015-01-01 00:00+01'
  FROM bench.pop ORDER BY i;

-- Every citizen has been written about before (declarations, bookings):
-- the lock row registry.lock_citizen updates exists.
INSERT INTO registry.citizen_lock (fiscal_code, revision)
SELECT fiscal_code, 5 FROM bench.pop ORDER BY i;

-- The history below is written as it would have been, without firing the
-- triggers again: as a replica writes (session_replication_role), so that
-- no trigger's enabled state changes.  ALTER TABLE ... DISABLE TRIGGER USER
-- and ENABLE TRIGGER USER here re-enabled the replication triggers that a
-- region keeps disabled (1.1), and every write after the population then
-- queued and re-priced as an ASL node does.
SET session_replication_role = replica;

INSERT INTO registry.declaration (fiscal_code, band, declarant, channel, operator, signed_at,
                                  applies_from, valid_until, income_year)
SELECT p.fiscal_code, p.old_band, p.fiscal_code, 'revenue_agency', NULL,
       timestamptz '2018-12-20 03:00+01', date '2019-01-01', date '2019-04-01', 2017
  FROM bench.pop p ORDER BY p.i;
INSERT INTO registry.declaration (fiscal_code, band, declarant, channel, operator, signed_at,
                                  applies_from, valid_until, income_year)
SELECT p.fiscal_code, p.old_band, p.fiscal_code,
       CASE WHEN p.i % 7 = 0 THEN 'cup_desk' ELSE 'revenue_agency' END,
       CASE WHEN p.i % 7 = 0 THEN 'OP' || (p.i % 50) END,
       timestamptz '2019-03-30 03:00+01', date '2019-04-01', NULL, 2018
  FROM bench.pop p ORDER BY p.i;

INSERT INTO registry.exemption_grant (fiscal_code, exemption, valid, source, granted_at)
SELECT p.fiscal_code, '013', daterange('2015-01-01', NULL), 'asl_certificate', timestamptz '2015-01-10 10:00+01'
  FROM bench.pop p WHERE p.i % 20 = 3 ORDER BY p.i;
INSERT INTO registry.exemption_grant (fiscal_code, exemption, valid, source, granted_at)
SELECT p.fiscal_code, 'E02', daterange('2019-04-01', '2020-04-01'), 'mef_list', timestamptz '2019-03-30 04:00+01'
  FROM bench.pop p WHERE p.i % 25 IN (1, 2) ORDER BY p.i;

-- Statistics before the set-wise lookups below: without them the planner
-- ANDs the GiST index on effective @> date (thousands of matches per probe)
-- with the citizen index, and the load turns quadratic.
ANALYZE registry.citizen, registry.declaration, registry.exemption_grant;

-- One prescription per booking: k = 1..3 future ones (i % 5 -> 0, 1, 2, 3,
-- 2 bookings: 1.6 per citizen), k = 0 the past one for i % 5 IN (0, 1).
CREATE TABLE bench.rx AS
SELECT row_number() OVER (ORDER BY p.i, k.k) AS rx_no, p.i, p.fiscal_code, p.gp_code, p.asl, k.k
  FROM bench.pop p
  CROSS JOIN LATERAL generate_series(CASE WHEN p.i % 5 IN (0, 1) THEN 0 ELSE 1 END,
                                     (ARRAY[0, 1, 2, 3, 2])[1 + p.i % 5]) AS k(k);
ALTER TABLE bench.rx
    ADD COLUMN nre text, ADD COLUMN services text[], ADD COLUMN priority text,
    ADD COLUMN prescribed_on date, ADD COLUMN service_date date;
UPDATE bench.rx SET
    nre = '080P' || lpad(rx_no::text, 11, '0'),
    services = CASE rx_no % 5 WHEN 0 THEN '{89.7,89.52}' WHEN 1 THEN '{88.91.1}'
                              WHEN 2 THEN '{90.27.1,90.28.1,90.62.2}' WHEN 3 THEN '{88.74.1}'
                              ELSE '{89.01}' END::text[],
    priority = (ARRAY[NULL, 'D', 'P', 'B'])[1 + rx_no % 4],
    prescribed_on = CASE WHEN k = 0 THEN date '2019-06-01' + (i % 200)::int
                         ELSE date '2020-01-10' + ((i * 13 + k * 29) % 80)::int END,
    service_date = CASE WHEN k = 0 THEN date '2019-06-01' + (i % 200)::int + 30 + (i % 60)::int
                        ELSE date '2020-04-01' + ((i * 31 + k * 97) % 214)::int END;

-- Prescriptions with the boxes the registry gives on their date and the
-- maximum wait of their priority (as fse.prescription_before_insert).
INSERT INTO fse.prescription (nre, fiscal_code, gp_code, prescribed_on, priority, max_wait_days, services,
                              band, exemptions, written_at)
SELECT r.nre, r.fiscal_code, r.gp_code, r.prescribed_on, r.priority,
       CASE WHEN r.priority IS NOT NULL THEN
            (SELECT CASE WHEN bool_and(s.kind IN ('first_visit', 'control_visit')) THEN pc.max_wait_visit
                         ELSE pc.max_wait_exam END
               FROM unnest(r.services) AS u(code)
               JOIN ticket.service s ON s.code = u.code
               JOIN ticket.priority_class pc ON pc.priority = r.priority
              GROUP BY pc.max_wait_visit, pc.max_wait_exam) END,
       r.services,
       ticket.effective_band(d.band, r.prescribed_on), coalesce(g.exemptions, '{}'),
       r.prescribed_on + time '09:00'
  FROM bench.rx r
  LEFT JOIN LATERAL (SELECT d.band FROM registry.declaration d
                      WHERE d.fiscal_code = r.fiscal_code AND d.valid @> r.prescribed_on) d ON true
  LEFT JOIN LATERAL (SELECT array_agg(g.exemption ORDER BY g.exemption) AS exemptions
                       FROM registry.exemption_grant g
                      WHERE g.fiscal_code = r.fiscal_code AND g.effective @> r.prescribed_on) g ON true
 ORDER BY r.rx_no;

ANALYZE bench.rx, fse.prescription;

-- Bookings priced as cup.booking_before_insert prices them; the past ones
-- done and paid.
INSERT INTO cup.booking (nre, fiscal_code, asl_code, service_date, status, bill, booked_at, priced_at,
                         paid_amount, paid_at, payment_channel)
SELECT q.nre, q.fiscal_code, q.asl, q.service_date, q.status, q.bill, q.booked_at, q.booked_at,
       CASE WHEN q.status = 'done' THEN (q.bill).total END,
       CASE WHEN q.status = 'done' THEN q.service_date + time '08:30' END,
       CASE WHEN q.status = 'done' THEN 'cup_desk' END
  FROM (SELECT r.rx_no, r.nre, r.fiscal_code, r.asl, r.service_date,
               CASE WHEN r.k = 0 THEN 'done' ELSE 'booked' END AS status,
               r.prescribed_on + time '10:00' AS booked_at,
               ticket.price(r.services, ticket.effective_band(d.band, r.service_date),
                            coalesce(g.exemptions, '{}'), r.service_date) AS bill
          FROM bench.rx r
          LEFT JOIN LATERAL (SELECT d.band FROM registry.declaration d
                              WHERE d.fiscal_code = r.fiscal_code AND d.valid @> r.service_date) d ON true
          LEFT JOIN LATERAL (SELECT array_agg(g.exemption ORDER BY g.exemption) AS exemptions
                               FROM registry.exemption_grant g
                              WHERE g.fiscal_code = r.fiscal_code AND g.effective @> r.service_date) g ON true) q
 ORDER BY q.rx_no;

RESET session_replication_role;

ANALYZE cup.booking;

-- FSE profiles, FSE events and outbox events, as the triggers write them.
INSERT INTO fse.profile (fiscal_code, declaration_id, band, band_from, exemptions, updated_at)
SELECT e.fiscal_code, e.declaration_id, e.band, e.band_from, e.exemptions, timestamptz '2019-03-30 05:00+01'
  FROM fse.profile_expected e;
INSERT INTO fse.event (fiscal_code, recorded_at, kind, detail)
SELECT n.fiscal_code, n.signed_at, 'declaration',
       jsonb_build_object('declaration_id', n.declaration_id, 'band', n.band::text,
                          'applies_from', n.applies_from, 'channel', n.channel)
  FROM registry.declaration n ORDER BY n.declaration_id;
INSERT INTO fse.event (fiscal_code, recorded_at, kind, detail)
SELECT n.fiscal_code, n.granted_at, 'exemption_granted',
       jsonb_build_object('grant_id', n.grant_id, 'exemption', n.exemption::text,
                          'valid', n.valid::text, 'effective', n.effective::text,
                          'source', n.source, 'revocation_reason', n.revocation_reason)
  FROM registry.exemption_grant n ORDER BY n.grant_id;
INSERT INTO ticket.event (kind, subject, fiscal_code, payload, created_at)
SELECT 'declaration', n.declaration_id::text, n.fiscal_code,
       jsonb_build_object('band', n.band::text, 'applies_from', n.applies_from,
                          'declarant', n.declarant::text, 'channel', n.channel), n.signed_at
  FROM registry.declaration n ORDER BY n.declaration_id;
INSERT INTO ticket.event (kind, subject, fiscal_code, payload, created_at)
SELECT 'exemption_granted', n.grant_id::text, n.fiscal_code,
       jsonb_build_object('exemption', n.exemption::text, 'valid', n.valid::text,
                          'effective', n.effective::text, 'source', n.source), n.granted_at
  FROM registry.exemption_grant n ORDER BY n.grant_id;
INSERT INTO ticket.event (kind, subject, fiscal_code, payload, created_at)
SELECT 'booked', n.booking_id::text, n.fiscal_code,
       jsonb_build_object('nre', n.nre, 'service_date', n.service_date, 'asl', n.asl_code,
                          'amount', n.amount, 'regime', (n.bill).regime), n.booked_at
  FROM cup.booking n ORDER BY n.booking_id;

-- The incoming batch of 1 April 2020.
CREATE TABLE bench.batch_declaration AS
SELECT p.i, p.fiscal_code,
       CASE WHEN (p.i / 5) % 5 = 2 THEN p.flipped_band ELSE p.old_band END AS band
  FROM bench.pop p ORDER BY p.i;
CREATE TABLE bench.batch_grant AS
SELECT p.i, p.fiscal_code, ('E0' || (1 + (p.i / 250) % 4))::ticket.exemption AS exemption
  FROM bench.pop p WHERE (p.i / 25) % 10 = 4 ORDER BY p.i;

-- What the bare pgbench transaction writes for citizen i: a prescription of
-- {89.7,89.52}, priority D, on 2020-03-20, booked between 2020-04-01 and
-- 2020-08-29 (one regime, one declaration, same exemptions throughout).
ALTER TABLE bench.pop ADD COLUMN rx_band ticket.income_band, ADD COLUMN rx_exemptions ticket.exemption[],
                      ADD COLUMN bill ticket.bill;
UPDATE bench.pop p
   SET rx_band = s.band, rx_exemptions = s.exemptions,
       bill = ticket.price('{89.7,89.52}'::text[], ticket.effective_band(b.declared_band, date '2020-04-01'),
                           b.exemptions, date '2020-04-01')
  FROM registry.citizen c
  CROSS JOIN LATERAL fse.status(c.fiscal_code, date '2020-03-20') s
  CROSS JOIN LATERAL registry.status_on(c.fiscal_code, date '2020-04-01') b
 WHERE c.fiscal_code = p.fiscal_code;
CREATE SEQUENCE bench.nre_seq;

-- The population is read-only from here: frozen, analysed, all-visible, so
-- that every copy starts from the same pages.
VACUUM (FREEZE, ANALYZE);
CHECKPOINT;
