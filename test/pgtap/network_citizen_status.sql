-- test/pgtap/network_citizen_status.sql: ticket.citizen_status, the C
-- reader of the registry every prescription and booking calls (and the C
-- INSERT triggers of prescriptions and bookings that read the same way,
-- take the patient's lock once per transaction and price): the band of
-- the declaration whose [applies_from, valid_until) holds the date, the
-- exemptions whose effective range holds it (in code order), the same as
-- SQL predicates written here say; the rule is implemented once (1.2: the
-- PL/pgSQL reader and the views ask this function); the caller's SELECT privilege is checked, and tables
-- under row-level security are refused rather than read past their policies.
--
-- Assumes CREATE EXTENSION ticket and pgtap.  Run: pg_prove -d DB test/pgtap/
BEGIN;
\ir ../fixtures/birthplaces.sql
SET search_path = ticket, public;

SELECT plan(33);

INSERT INTO registry.gp VALUES ('GP001', fiscal_code_encode('Medico', 'Primo', 'M', '1960-01-01', 'A944'),
                                'Medico', 'Primo', '080105', 'gp', NULL);
INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl, gp_code)
VALUES (fiscal_code_encode('Rossi', 'Mario', 'M', '1950-05-01', 'A944'), 'Rossi', 'Mario', 'M', '1950-05-01',
        'A944', '080105', 'GP001'),
       (fiscal_code_encode('Neri', 'Ada', 'F', '1980-02-02', 'F257'), 'Neri', 'Ada', 'F', '1980-02-02',
        'F257', '080104', 'GP001');
SELECT fiscal_code_encode('Rossi', 'Mario', 'M', '1950-05-01', 'A944') AS m \gset
SELECT fiscal_code_encode('Neri', 'Ada', 'F', '1980-02-02', 'F257') AS a \gset
CREATE TEMP TABLE who (code fiscal_code);
INSERT INTO who VALUES (:'m');

-- History: RE2 from 2011-08-29, RE1 from 2012-03-01, corrected the same day
-- to RE3 (the RE1 range is empty), QB from 2019-01-01.
SELECT registry.self_certify(:'m', 'RE2', 'cup_desk', 'op', '2011-08-29', signed_at => '2011-09-01');
SELECT registry.self_certify(:'m', 'RE1', 'cup_desk', 'op', '2012-03-01', signed_at => '2012-03-01');
SELECT registry.self_certify(:'m', 'RE3', 'cup_desk', 'op', '2012-03-01', signed_at => '2012-03-01 12:00');
SELECT registry.self_certify(:'m', 'QB', 'revenue_agency', NULL, '2019-01-01', signed_at => '2019-01-01');
-- Exemptions: E01 for a year, 013 open, 048 revoked before it started.
SELECT registry.grant_exemption(:'m', 'E01', '2015-04-01', 'mef_list', granted_at => '2015-04-01');
SELECT registry.grant_exemption(:'m', '013', '2015-06-01', 'asl_certificate', granted_at => '2015-06-01');
SELECT (registry.grant_exemption(:'m', '048', '2016-01-01', 'asl_certificate', granted_at => '2015-12-01')).grant_id AS g \gset
SELECT registry.revoke_exemption(:g, '2015-12-15', 'granted by mistake', '2015-12-15');

SELECT is((citizen_status(:'m', '2011-08-28')).declared_band, NULL, 'before the first declaration: no band');
SELECT is((citizen_status(:'m', '2011-08-29')).declared_band, 'RE2'::income_band, 'the first day of a declaration');
SELECT is((citizen_status(:'m', '2012-02-29')).declared_band, 'RE2'::income_band, 'the last day before the next one');
SELECT is((citizen_status(:'m', '2012-03-01')).declared_band, 'RE3'::income_band,
          'a same-day correction supersedes the declaration entirely');
SELECT is((citizen_status(:'m', '2030-01-01')).declared_band, 'QB'::income_band, 'the current declaration is open-ended');
SELECT is((citizen_status(:'m', '2015-05-01')).exemptions, '{E01}'::exemption[], 'one exemption in effect');
SELECT is((citizen_status(:'m', '2016-04-01')).exemptions, '{013}'::exemption[],
          'E01 ended on 31 March 2016; the revoked 048 never covered anything');
SELECT is((citizen_status(:'m', '2015-07-01')).exemptions, '{013,E01}'::exemption[], 'several, in code order');
SELECT is((citizen_status(:'a', '2015-07-01')).exemptions, '{}'::exemption[], 'none: an empty array, not NULL');

-- The same answers as the set-wise definition (the views' predicates) on
-- every day of ten years.
SELECT is_empty($$
    SELECT d FROM generate_series(date '2011-01-01', date '2021-12-31', interval '1 day') AS g(t),
           LATERAL (SELECT t::date AS d) x
     CROSS JOIN who
     WHERE (citizen_status(who.code, d)).declared_band IS DISTINCT FROM
           (SELECT r.band FROM registry.declaration r
             WHERE r.fiscal_code = who.code AND r.applies_from <= d AND (r.valid_until IS NULL OR r.valid_until > d))
        OR (citizen_status(who.code, d)).exemptions IS DISTINCT FROM
           (SELECT coalesce(array_agg(e.exemption ORDER BY e.exemption), '{}') FROM registry.exemption_grant e
             WHERE e.fiscal_code = who.code AND e.effective @> d)$$,
    'citizen_status agrees with the SQL predicates on every day 2011-2021');

SELECT throws_ok($$SELECT citizen_status(code, 'infinity') FROM who$$, '22023', 'the date must be finite',
                 'an infinite date is refused');

-- The caller's privileges are checked: a role without SELECT on the
-- registry cannot read it through the function.
CREATE ROLE ticket_status_nobody NOLOGIN;
GRANT USAGE ON SCHEMA ticket, registry TO ticket_status_nobody;
SET LOCAL ROLE ticket_status_nobody;
SELECT throws_ok($$SELECT ticket.citizen_status('NREDAA80B42F257G', '2015-01-01')$$, '42501', NULL,
                 'no SELECT on registry.declaration: permission denied');
RESET ROLE;

-- 1.0: the function is internal (the triggers and the API call it as the
-- owner); a role asks fse.status, which checks who asks: a registry
-- operator gets permission denied here, and through fse.status reads what
-- the owner reads although the registry is under row-level security.
SELECT row(s.declared_band, s.exemptions)::text AS owner_reads FROM ticket.citizen_status(:'m', '2015-07-01') s \gset
GRANT ticket_registry_operator TO ticket_status_nobody;
SET LOCAL ROLE ticket_status_nobody;
SELECT throws_ok($$SELECT ticket.citizen_status('NREDAA80B42F257G', '2015-01-01')$$, '42501', NULL,
                 'a registry operator may not call the internal reader');
SELECT is((SELECT row(s.declared_band, s.exemptions)::text FROM fse.status(:'m', '2015-07-01') s), :'owner_reads',
          'through fse.status a registry operator reads what the owner reads (RE3 and {013,E01})');
RESET ROLE;
REVOKE ticket_registry_operator FROM ticket_status_nobody;

-- A transaction takes a citizen's lock once: a booking after a prescription
-- of the same patient in the same transaction reads without bumping the lock
-- row again; a booking of someone else takes that person's lock.
SELECT fse.prescribe('080000000000901', :'m', 'GP001', '{89.7,89.52}', NULL, '2015-03-01');
SELECT fse.prescribe('080000000000902', :'a', 'GP001', '{89.7,89.52}', NULL, '2015-03-01');
SELECT revision AS m0 FROM registry.citizen_lock WHERE fiscal_code = :'m' \gset
SELECT revision AS a0 FROM registry.citizen_lock WHERE fiscal_code = :'a' \gset
SELECT cup.book('080000000000901', '2015-03-10');    -- the last lock taken was Ada's: Mario's is taken
SELECT is((SELECT revision FROM registry.citizen_lock WHERE fiscal_code = :'m'), (:m0 + 1)::bigint,
          'booking another patient than the last locked takes the patient''s lock');
SELECT fse.prescribe('080000000000904', :'a', 'GP001', '{89.7}', NULL, '2015-03-02');   -- Ada's lock again
SELECT fse.prescribe('080000000000903', :'m', 'GP001', '{89.7}', NULL, '2015-03-02');
SELECT is((SELECT revision FROM registry.citizen_lock WHERE fiscal_code = :'m'), (:m0 + 2)::bigint,
          'a prescription of another patient than the last locked takes the patient''s lock');
SELECT cup.book('080000000000903', '2015-03-11');    -- Mario again, just locked by the prescription
SELECT is((SELECT revision FROM registry.citizen_lock WHERE fiscal_code = :'m'), (:m0 + 2)::bigint,
          'a booking right after its prescription in one transaction does not take the lock again');
SELECT fse.prescribe('080000000000905', :'m', 'GP001', '{89.7}', NULL, '2015-03-03');
SELECT is((SELECT revision FROM registry.citizen_lock WHERE fiscal_code = :'m'), (:m0 + 2)::bigint,
          'nor does a prescription of the patient whose lock the transaction holds');
SELECT is((SELECT bill FROM cup.booking WHERE nre = '080000000000903'),
          cup.price_for(:'m', '{89.7}', '2015-03-11'),
          '... and prices the same');
SELECT is(current_setting('ticket.locked_citizen'), :'m', 'the transaction remembers whose lock it took last');

-- The C INSERT triggers: a NULL in a required column is its NOT NULL
-- constraint's error; they read as the calling role, and refuse tables under
-- row-level security rather than read past the policies.
SELECT throws_ok($$INSERT INTO fse.prescription (nre, fiscal_code, gp_code, prescribed_on, priority, services)
                   VALUES ('080000000000950', NULL, 'GP001', '2015-03-01', NULL, '{89.7}')$$,
                 '23502', NULL, 'a prescription without a patient: not-null violation');
SELECT throws_ok(format($$INSERT INTO fse.prescription (nre, fiscal_code, gp_code, prescribed_on, priority, services)
                          VALUES ('080000000000951', %L, 'GP001', NULL, 'D', '{89.7}')$$, :'m'),
                 '23502', NULL, 'a prescription without a date: not-null violation');
SELECT throws_ok($$INSERT INTO cup.booking (nre, service_date) VALUES (NULL, '2015-03-10')$$,
                 '23502', NULL, 'a booking without a prescription: not-null violation');
SELECT fse.prescribe('080000000000906', :'m', 'GP001', '{89.7}', NULL, '2015-03-01');
SELECT throws_ok($$INSERT INTO cup.booking (nre, service_date) VALUES ('080000000000906', NULL)$$,
                 '23502', NULL, 'a booking without a service date: not-null violation');
-- 1.0: the C triggers read as the extension's owner (SECURITY DEFINER), so
-- that row-level security on the tables they read (fse.prescription,
-- registry.citizen) does not stop a booking or a prescription; who may book
-- or prescribe is decided by the role's binding instead.  A role granted
-- INSERT on the tables but bound to nothing is refused.
GRANT USAGE ON SCHEMA fse, cup TO ticket_status_nobody;
-- A role that writes the tables itself uses the library (the triggers' WHEN).
GRANT ticket_library TO ticket_status_nobody;
GRANT INSERT ON fse.prescription, cup.booking TO ticket_status_nobody;
GRANT USAGE ON SEQUENCE cup.booking_id_seq TO ticket_status_nobody;
SET LOCAL ROLE ticket_status_nobody;
SELECT throws_ok($$INSERT INTO cup.booking (nre, service_date) VALUES ('080000000000906', '2015-03-20')$$,
                 '42501', 'role ticket_status_nobody is not bound to an ASL: it may not book or handle bookings',
                 'booking by a role bound to no ASL is refused');
SELECT throws_ok(format($$INSERT INTO fse.prescription (nre, fiscal_code, gp_code, prescribed_on, priority, services)
                          VALUES ('080000000000952', %L, 'GP001', '2015-03-01', 'D', '{89.7}')$$, :'m'),
                 '42501', 'role ticket_status_nobody is not bound to a GP: it may not prescribe',
                 'prescribing by a role bound to no GP is refused');
RESET ROLE;
-- Bound (a CUP operator of Bologna; a GP's role for GP001), with row-level
-- security on every table the triggers read and no SELECT granted: they
-- book and prescribe, and the triggers fill in the row from what they read.
CREATE ROLE ticket_status_gp NOLOGIN IN ROLE ticket_gp;
GRANT USAGE ON SCHEMA fse TO ticket_status_gp;
GRANT INSERT ON fse.prescription TO ticket_status_gp;
GRANT ticket_cup_operator TO ticket_status_nobody;
INSERT INTO ticket.role_binding (role_name, asl_code) VALUES ('ticket_status_nobody', '080105');
INSERT INTO ticket.role_binding (role_name, gp_code) VALUES ('ticket_status_gp', 'GP001');
SET LOCAL ROLE ticket_status_nobody;
SELECT lives_ok($$INSERT INTO cup.booking (nre, service_date) VALUES ('080000000000906', '2015-03-20')$$,
                'a bound CUP operator books: the trigger reads fse.prescription past its row-level security');
RESET ROLE;
SELECT is((SELECT row(b.asl_code, b.fiscal_code, b.amount)::text FROM cup.booking b WHERE b.nre = '080000000000906'),
          row('080105', :'m', (cup.price_for(:'m', '{89.7}', '2015-03-20')).total)::text,
          'the booking got its ASL (the operator''s), its patient and its price');
SET LOCAL ROLE ticket_status_gp;
SELECT lives_ok(format($$INSERT INTO fse.prescription (nre, fiscal_code, gp_code, prescribed_on, priority, services)
                          VALUES ('080000000000953', %L, 'GP001', '2015-07-01', 'D', '{89.7}')$$, :'m'),
                'a bound GP prescribes for a patient: the trigger reads registry.citizen past its row-level security');
RESET ROLE;
SELECT is((SELECT row(p.band, p.exemptions)::text FROM fse.prescription p WHERE p.nre = '080000000000953'),
          row('RE3'::income_band, '{013,E01}'::exemption[])::text, 'the prescription''s boxes are the registry''s');

-- 1.2: the rule is implemented once.  registry.status_on and the views
-- that compare what is stored with what the registry gives ask
-- citizen_status; none reads the declarations or the grants on its own
-- (the predicates above are this test's own formulation).
SELECT ok(EXISTS (SELECT 1 FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
                   WHERE d.classid = 'pg_rewrite'::regclass AND r.ev_class = v
                     AND d.refclassid = 'pg_proc'::regclass
                     AND d.refobjid = 'ticket.citizen_status(ticket.fiscal_code, date)'::regprocedure)
          AND NOT EXISTS (SELECT 1 FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
                   WHERE d.classid = 'pg_rewrite'::regclass AND r.ev_class = v
                     AND d.refclassid = 'pg_class'::regclass
                     AND d.refobjid IN ('registry.declaration'::regclass, 'registry.exemption_grant'::regclass)),
          v::text || ' asks ticket.citizen_status and reads neither registry.declaration nor registry.exemption_grant')
  FROM unnest(ARRAY['cup.booking_expected', 'fse.prescription_expected']::regclass[]) v;
SELECT ok(prosrc ~ 'ticket\.citizen_status\(' AND prosrc !~ '(declaration|exemption_grant)',
          'registry.status_on asks ticket.citizen_status and reads no registry table itself')
  FROM pg_proc WHERE oid = 'registry.status_on(ticket.fiscal_code, date)'::regprocedure;

SELECT * FROM finish();
ROLLBACK;
