-- test/pgtap/network_prescriptions.sql
--
-- The network (0.3), fse.prescription: the NRE (trimmed and upper-cased by
-- the insert trigger; format and region 22P02),
-- the band and exemption boxes and the maximum wait filled from the registry
-- (written by hand: 428C9), a living registered patient (TK010, 23503), a
-- practising GP (TK017), the services validated the way the bill will be
-- (TK001, TK002, TK003, TK006), max_wait_days for visits and for exams, and
-- a signed prescription never changes (TK018).
--
-- Assumes CREATE EXTENSION ticket CASCADE and pgtap.  Run: pg_prove -d DB test/pgtap/

\set ON_ERROR_STOP 1
BEGIN;
\ir ../fixtures/birthplaces.sql
SET search_path = ticket, public;

SELECT plan(55);

INSERT INTO registry.gp (gp_code, fiscal_code, surname, given_name, asl_code, ceased_on)
VALUES ('GP001', ticket.fiscal_code_encode('Bianchi', 'Luca', 'M', '1960-02-03', 'F257'), 'Bianchi', 'Luca', '080105', NULL),
       ('GP002', ticket.fiscal_code_encode('Mori', 'Lisa', 'F', '1950-03-04', 'H223'), 'Mori', 'Lisa', '080104', '2015-06-01');

CREATE FUNCTION pg_temp.citizen(surname text, given_name text, sex text, birth_date date,
                                birthplace text DEFAULT 'A944', death_date date DEFAULT NULL)
RETURNS text LANGUAGE sql AS $$
    INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace,
                                  residence_asl, gp_code, death_date)
    VALUES (ticket.fiscal_code_encode(surname, given_name, sex, birth_date, birthplace),
            surname, given_name, sex, birth_date, birthplace, '080105', 'GP001', death_date)
    RETURNING fiscal_code::text $$;

SELECT pg_temp.citizen('Rossi', 'Mario', 'M', '1970-05-10') AS mario,
       pg_temp.citizen('Morti', 'Ezio', 'M', '1930-01-01', 'A944', '2016-01-01') AS ezio \gset
SELECT (registry.self_certify(:'mario', 'RE2', 'cup_desk', 'op1', '2015-01-01', NULL, NULL, '2015-01-01')).declaration_id AS d1 \gset
SELECT (registry.grant_exemption(:'mario', 'C01', '2015-03-01', 'asl_certificate', NULL, '2015-03-01')).grant_id AS g1 \gset

-- An insert of a prescription for Mario with the given NRE and services.
CREATE FUNCTION pg_temp.rx(nre text, services text[], priority text DEFAULT NULL, prescribed_on date DEFAULT '2015-04-01',
                           gp text DEFAULT 'GP001')
RETURNS text LANGUAGE sql AS $$
    SELECT format($f$SELECT fse.prescribe(%L, %L, %L, %L, %L, %L)$f$, nre,
                  (SELECT fiscal_code::text FROM registry.citizen WHERE surname = 'Rossi'), gp, services, priority, prescribed_on) $$;

--------------------------------------------------------------------------
-- 1. The NRE
--------------------------------------------------------------------------
SELECT lives_ok(pg_temp.rx(' 080abcdef012345 ', ARRAY['89.52']), 'an NRE is trimmed and upper-cased by fse.prescribe');
SELECT ok(EXISTS (SELECT 1 FROM fse.prescription WHERE nre = '080ABCDEF012345'), '... and stored so');
SELECT lives_ok(pg_temp.rx('010000000000001', ARRAY['89.52']), 'another region (010 Piemonte)');
SELECT lives_ok(
    format($$INSERT INTO fse.prescription (nre, fiscal_code, gp_code, prescribed_on, services)
             VALUES (' 080abcdef000001 ', '%s', 'GP001', '2015-04-01', '{89.52}')$$, :'mario'),
    'lower case and blanks in an NRE inserted directly: the trigger normalises it');
SELECT ok(EXISTS (SELECT 1 FROM fse.prescription WHERE nre = '080ABCDEF000001')
          AND NOT EXISTS (SELECT 1 FROM fse.prescription WHERE nre <> upper(btrim(nre))),
          '... and stores it canonical');
SELECT throws_ok(pg_temp.rx('08000000000001', ARRAY['89.52']), '22P02', 'invalid NRE "08000000000001"',
                 '14 characters (22P02)');
SELECT throws_ok(pg_temp.rx('0800000000000001', ARRAY['89.52']), '22P02', 'invalid NRE "0800000000000001"',
                 '16 characters (22P02)');
SELECT throws_ok(pg_temp.rx('08000000000000-', ARRAY['89.52']), '22P02', 'invalid NRE "08000000000000-"',
                 'a character outside [0-9A-Z] (22P02)');
SELECT throws_ok(
    format($$INSERT INTO fse.prescription (nre, fiscal_code, gp_code, prescribed_on, services)
             VALUES (E'080ABC\tEF000001', '%s', 'GP001', '2015-04-01', '{89.52}')$$, :'mario'),
    '22P02', 'invalid NRE "080ABC\x09EF000001"', 'an inner tab, inserted directly (22P02)');
SELECT throws_ok(pg_temp.rx('999000000000001', ARRAY['89.52']), '22P02',
                 'NRE 999000000000001: 999 is not a Ministry region code', 'an unknown region code (22P02)');
SELECT throws_ok(pg_temp.rx('081000000000001', ARRAY['89.52']), '22P02', NULL, '081 is not a region either (22P02)');
SELECT throws_ok(pg_temp.rx('XYZ000000000001', ARRAY['89.52']), '22P02', 'invalid NRE "XYZ000000000001"',
                 'letters where the region goes (22P02)');
SELECT throws_ok(pg_temp.rx('080ABCDEF012345', ARRAY['89.52']), '23505', NULL, 'an NRE is written once (23505)');

--------------------------------------------------------------------------
-- 2. The boxes
--------------------------------------------------------------------------
SELECT lives_ok(pg_temp.rx('080000000000010', ARRAY['89.52'], NULL, '2015-02-01'), 'a prescription before the exemption');
SELECT lives_ok(pg_temp.rx('080000000000011', ARRAY['89.52'], NULL, '2015-03-01'), 'a prescription on its first day');
SELECT lives_ok(pg_temp.rx('080000000000012', ARRAY['89.52'], NULL, '2014-12-31'), 'a prescription before the declaration');
SELECT results_eq(
    $$SELECT nre, band::text, exemptions FROM fse.prescription WHERE nre IN ('080000000000010', '080000000000011', '080000000000012') ORDER BY nre$$,
    $$VALUES ('080000000000010'::text, 'RE2'::text, '{}'::ticket.exemption[]), ('080000000000011', 'RE2', '{C01}'),
             ('080000000000012', NULL, '{}')$$,
    'the boxes hold the registry as of the prescription date');
SELECT throws_ok(
    format($$INSERT INTO fse.prescription (nre, fiscal_code, gp_code, prescribed_on, services, band)
             VALUES ('080000000000020', '%s', 'GP001', '2015-04-01', '{89.52}', 'RE1')$$, :'mario'),
    '428C9', 'the band and exemption boxes of prescription 080000000000020 are filled from the registry',
    'a hand-written band box (428C9)');
SELECT throws_ok(
    format($$INSERT INTO fse.prescription (nre, fiscal_code, gp_code, prescribed_on, services, exemptions)
             VALUES ('080000000000020', '%s', 'GP001', '2015-04-01', '{89.52}', '{E01}')$$, :'mario'),
    '428C9', NULL, 'a hand-written exemption box (428C9)');
SELECT throws_ok(
    format($$INSERT INTO fse.prescription (nre, fiscal_code, gp_code, prescribed_on, priority, services, max_wait_days)
             VALUES ('080000000000020', '%s', 'GP001', '2015-04-01', 'B', '{89.52}', 10)$$, :'mario'),
    '428C9', NULL, 'a hand-written max_wait_days (428C9)');
SELECT lives_ok(
    format($$INSERT INTO fse.prescription (nre, fiscal_code, gp_code, prescribed_on, services, exemptions)
             VALUES ('080000000000020', '%s', 'GP001', '2015-04-01', '{89.52}', '{}')$$, :'mario'),
    'an empty exemption box written explicitly is accepted and filled');
SELECT is((SELECT exemptions FROM fse.prescription WHERE nre = '080000000000020'), '{C01}'::exemption[],
          '... with the registry''s exemptions');

--------------------------------------------------------------------------
-- 3. Patient and GP
--------------------------------------------------------------------------
SELECT throws_ok(
    format($$SELECT fse.prescribe('080000000000030', '%s', 'GP001', '{89.52}', NULL, '2016-01-01')$$, :'ezio'),
    'TK010', format('citizen %s died on 2016-01-01: no prescription on 2016-01-01', :'ezio'),
    'a prescription on the day of death (TK010)');
SELECT lives_ok(
    format($$SELECT fse.prescribe('080000000000030', '%s', 'GP001', '{89.52}', NULL, '2015-12-31')$$, :'ezio'),
    'a prescription the day before');
SELECT throws_ok(
    format($$SELECT fse.prescribe('080000000000031', '%s', 'GP001', '{89.52}', NULL, '2015-12-31')$$,
           ticket.fiscal_code_encode('Nessuno', 'Nemo', 'M', '1970-01-01', 'A944')),
    '23503', NULL, 'a patient not in the registry (23503)');
SELECT throws_ok(pg_temp.rx('080000000000032', ARRAY['89.52'], NULL, '2015-06-01', 'GP002'), 'TK017',
                 'GP GP002 ceased practising on 2015-06-01: no prescription on 2015-06-01',
                 'a GP on the day they ceased (TK017)');
SELECT throws_ok(pg_temp.rx('080000000000032', ARRAY['89.52'], NULL, '2016-06-01', 'GP002'), 'TK017', NULL,
                 '... or later (TK017)');
SELECT lives_ok(pg_temp.rx('080000000000032', ARRAY['89.52'], NULL, '2015-05-31', 'GP002'), '... the day before is fine');
SELECT throws_ok(pg_temp.rx('080000000000033', ARRAY['89.52'], NULL, '2015-05-31', 'GP999'), '23503', NULL,
                 'an unknown GP (23503)');

--------------------------------------------------------------------------
-- 4. Services
--------------------------------------------------------------------------
SELECT throws_ok(pg_temp.rx('080000000000040', ARRAY['89.52', '89.52', '89.52', '89.52', '89.52', '89.52', '89.52', '89.52', '89.52']),
                 'TK001', NULL, 'nine services (TK001)');
SELECT lives_ok(pg_temp.rx('080000000000041', ARRAY['89.52', '89.52', '89.52', '89.52', '89.52', '89.52', '89.52', '89.52']),
                'eight services');
SELECT throws_ok(pg_temp.rx('080000000000042', ARRAY['89.52', '88.74.1']), 'TK002', NULL, 'two branches (TK002)');
SELECT throws_ok(pg_temp.rx('080000000000042', ARRAY['89.52', 'A-0001']), 'TK003', NULL, 'an exam and a drug (TK003)');
SELECT throws_ok(pg_temp.rx('080000000000042', ARRAY['99.99.9']), 'TK006', NULL, 'a code not in the catalogue (TK006)');
SELECT throws_ok(pg_temp.rx('080000000000042', ARRAY[]::text[]), '22023', 'a prescription needs at least one item', 'no services (22023, from the engine before the 23514 check)');
SELECT throws_ok(
    format($$INSERT INTO fse.prescription (nre, fiscal_code, gp_code, prescribed_on, services)
             VALUES ('080000000000042', '%s', 'GP001', '2015-04-01', '{89.52}'), ('080000000000043', '%s', 'GP001', '2015-04-01', '{99.99.9}')$$,
           :'mario', :'mario'),
    'TK006', NULL, 'a multi-row insert checks every row (TK006)');
SELECT is((SELECT count(*)::int FROM fse.prescription WHERE nre = '080000000000042'), 0, '... and keeps none');

--------------------------------------------------------------------------
-- 5. Priority and the longest wait
--------------------------------------------------------------------------
SELECT lives_ok(pg_temp.rx('080000000000050', ARRAY['89.7'], 'd'), 'priority D, a first visit (lower case)');
SELECT lives_ok(pg_temp.rx('080000000000051', ARRAY['89.52'], 'D'), 'priority D, an exam');
SELECT lives_ok(pg_temp.rx('080000000000052', ARRAY['89.7', '89.52'], 'D'), 'priority D, a visit and an exam');
SELECT lives_ok(pg_temp.rx('080000000000053', ARRAY['89.7', '89.01'], 'D'), 'priority D, a first and a control visit');
SELECT lives_ok(pg_temp.rx('080000000000054', ARRAY['89.52'], 'U'), 'priority U');
SELECT lives_ok(pg_temp.rx('080000000000055', ARRAY['89.7'], 'B'), 'priority B');
SELECT lives_ok(pg_temp.rx('080000000000056', ARRAY['88.91.1'], 'P'), 'priority P');
SELECT lives_ok(pg_temp.rx('080000000000057', ARRAY['89.7'], NULL), 'no priority (follow-up)');
SELECT results_eq(
    $$SELECT nre, priority, max_wait_days FROM fse.prescription WHERE nre BETWEEN '080000000000050' AND '080000000000057' ORDER BY nre$$,
    $$VALUES ('080000000000050'::text, 'D'::text, 30), ('080000000000051', 'D', 60), ('080000000000052', 'D', 60),
             ('080000000000053', 'D', 30), ('080000000000054', 'U', 3), ('080000000000055', 'B', 10),
             ('080000000000056', 'P', 120), ('080000000000057', NULL, NULL)$$,
    'max_wait_days: the visit figure when every service is a visit, else the diagnostic one; none without priority');
SELECT throws_ok(pg_temp.rx('080000000000058', ARRAY['89.7'], 'X'), '23503', NULL, 'an unknown priority (23503)');

--------------------------------------------------------------------------
-- 6. A signed document
--------------------------------------------------------------------------
SELECT throws_ok($$UPDATE fse.prescription SET services = '{89.50}' WHERE nre = '080000000000050'$$, 'TK018',
                 'prescription 080000000000050 is a signed document: it cannot be changed', 'changing the services (TK018)');
SELECT throws_ok($$UPDATE fse.prescription SET band = 'RE3' WHERE nre = '080000000000050'$$, 'TK018', NULL,
                 'changing the band box by hand (TK018)');
SELECT throws_ok($$UPDATE fse.prescription SET exemptions = '{}' WHERE nre = '080000000000011'$$, 'TK018', NULL,
                 'emptying the exemption box by hand (TK018)');
SELECT throws_ok($$UPDATE fse.prescription SET max_wait_days = 365 WHERE nre = '080000000000050'$$, 'TK018', NULL,
                 'changing the longest wait (TK018)');
SELECT throws_ok($$UPDATE fse.prescription SET prescribed_on = '2015-01-01' WHERE nre = '080000000000050'$$, 'TK018', NULL,
                 'changing the date (TK018)');
SELECT throws_ok($$UPDATE fse.prescription SET band = band WHERE nre = '080000000000050'$$, 'TK018', NULL,
                 'even a no-op UPDATE by hand (TK018)');
SELECT throws_ok($$DELETE FROM fse.prescription WHERE nre = '080000000000050'$$, 'TK018',
                 'fse.prescription rows are history: they cannot be deleted',
                 'deleting a prescription, even one never booked (TK018)');
SELECT is((SELECT count(*)::int FROM ticket.check_consistency()), 0, 'check_consistency() is empty');

SELECT * FROM finish();
ROLLBACK;
