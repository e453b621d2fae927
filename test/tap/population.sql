-- test/tap/population.sql: the population of t/001_crash_recovery.pl.
--
-- After test/fixtures/birthplaces.sql, in a database with ticket: 200
-- citizens (fiscal codes from ticket.fiscal_code_encode) and 10 GPs through
-- their triggers, a first declaration each (RE2 from 2011-08-29, through
-- registry.self_certify), and table crash.citizen numbering them 1..200 for
-- the pgbench scripts (test/tap/declare.pgbench, book.pgbench).  Citizen 0
-- (crash.marker_citizen) is kept out of the storms: the test writes its
-- marker declarations.
-- (Not test/fixtures/population_2020.sql: the crash test storms the 2011
-- regime, RE1-RE3 self-certifications through the triggers, on a few
-- citizens it numbers for pgbench; that generator writes 2020's QB/QM as
-- loaded data.)
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE SCHEMA crash;

INSERT INTO registry.gp (gp_code, fiscal_code, surname, given_name, asl_code)
SELECT 'GP' || lpad(k::text, 6, '0'),
       ticket.fiscal_code_encode('MEDICO', 'ANNA', 'F', date '1950-01-01' + k, 'A944'),
       'MEDICO', 'ANNA', (SELECT array_agg(asl_code ORDER BY asl_code) FROM registry.asl)[1 + k % 8]
  FROM generate_series(1, 10) AS k;

-- i -> (surname, birth date, birthplace): distinct fiscal codes.
CREATE TABLE crash.citizen AS
SELECT i, surname, given_name, sex, birth_date, birthplace,
       ticket.fiscal_code_encode(surname, given_name, sex, birth_date, birthplace) AS fiscal_code,
       'GP' || lpad((1 + i % 10)::text, 6, '0') AS gp_code,
       (SELECT array_agg(asl_code ORDER BY asl_code) FROM registry.asl)[1 + i % 8] AS asl
  FROM (SELECT i,
               (ARRAY['ROSSI', 'BIANCHI', 'FERRARI', 'ESPOSITO', 'ROMANO'])[1 + i % 5] AS surname,
               CASE WHEN i % 2 = 0 THEN 'MARIO' ELSE 'ANNA' END AS given_name,
               CASE WHEN i % 2 = 0 THEN 'M' ELSE 'F' END AS sex,
               date '1940-01-01' + i * 37 AS birth_date,
               (ARRAY['A944', 'F257', 'H223', 'L219', 'Z129'])[1 + i % 5] AS birthplace
          FROM generate_series(0, 200) AS i) AS p;
ALTER TABLE crash.citizen ADD PRIMARY KEY (i);

INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace,
                              residence_asl, gp_code, registered_at)
SELECT fiscal_code, surname, given_name, sex, birth_date, birthplace, asl, gp_code,
       timestamptz '2010-01-01 00:00+01'
  FROM crash.citizen ORDER BY i;

SELECT count(registry.self_certify(fiscal_code, 'RE2', 'cup_desk', 'OP0',
                                   date '2011-08-29', NULL, 2010, timestamptz '2011-08-20 10:00+02'))
  FROM crash.citizen ORDER BY 1;

-- The booking storm's NREs: 080 + 'S' + 11 digits.
CREATE SEQUENCE crash.nre_seq;
