-- test/pgtap/security_hostile.sql
--
-- 1.0, least privilege under attack: roles that try to do what they may not.
-- Each refusal is asserted with its SQLSTATE (and message where it is
-- specific), then checked as the superuser: the row is unchanged, no row was
-- added, the audit log has nothing for it.
--   1. a CUP operator of ASL Bologna against Modena's bookings and adjustments;
--   2. a CUP operator bound to no ASL;
--   3. a GP against other GPs' patients;
--   4. forged declarations (operator, channel, declarant, date, the portal);
--   5. search_path hijacking: look-alike functions, operators, tables and
--      views in a schema first in the caller's search_path and in pg_temp;
--   6. injection through text parameters;
--   7. the extension's settings;
--   8. the audit log (content, who may read it, append-only).
-- The test roles (hostile_*) are created inside the transaction and vanish
-- with its ROLLBACK.
--
-- Assumes CREATE EXTENSION ticket CASCADE and pgtap, run as a superuser.
-- Run: pg_prove -d DB test/pgtap/security_hostile.sql

\set ON_ERROR_STOP 1
BEGIN;
\ir ../fixtures/birthplaces.sql
SET LOCAL search_path = ticket, public;
SET LOCAL TimeZone = 'UTC';
SET LOCAL lc_messages = 'C';
SET LOCAL application_name = 'hostile-test';

SELECT plan(131);

--------------------------------------------------------------------------
-- Set-up (superuser): two ASLs, two GPs, citizens, declarations,
-- prescriptions, bookings in both ASLs, paid bookings with adjustments, a
-- minor with a guardian; the roles and their bindings.
--------------------------------------------------------------------------
INSERT INTO registry.gp (gp_code, fiscal_code, surname, given_name, asl_code) VALUES
    ('GPBO1', ticket.fiscal_code_encode('Bianchi', 'Luca', 'M', '1960-02-03', 'A944'), 'Bianchi', 'Luca', '080105'),
    ('GPMO1', ticket.fiscal_code_encode('Verdi', 'Carla', 'F', '1962-04-05', 'F257'), 'Verdi', 'Carla', '080104');

CREATE FUNCTION pg_temp.citizen(surname text, given_name text, sex text, birth_date date, asl text, gp text)
RETURNS text LANGUAGE sql AS $$
    INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace,
                                  residence_asl, gp_code)
    VALUES (ticket.fiscal_code_encode(surname, given_name, sex, birth_date, 'A944'),
            surname, given_name, sex, birth_date, 'A944', asl, gp)
    RETURNING fiscal_code::text $$;
CREATE FUNCTION pg_temp.rx(n int, citizen text, gp text, prescribed_on date)
RETURNS text LANGUAGE sql AS $$
    SELECT (fse.prescribe('080' || lpad(n::text, 12, '0'), citizen::ticket.fiscal_code, gp, ARRAY['88.74.1'],
                          NULL, prescribed_on)).nre $$;

SELECT pg_temp.citizen('Rossi', 'Mario', 'M', '1970-05-10', '080105', 'GPBO1') AS mario,
       pg_temp.citizen('Neri', 'Anna', 'F', '1980-03-03', '080105', 'GPBO1') AS anna,
       pg_temp.citizen('Gialli', 'Teo', 'M', '2015-02-02', '080105', 'GPBO1') AS teo,
       pg_temp.citizen('Costa', 'Elena', 'F', '1965-08-08', '080104', 'GPMO1') AS elena \gset
-- Teo is a minor; Anna is his appointed guardian.
INSERT INTO registry.guardian VALUES (:'teo', :'anna', '[2020-01-01,)');

SELECT registry.self_certify(:'mario', 'RE3', 'cup_desk', 'desk1', '2011-08-29', signed_at => '2011-08-29') IS NOT NULL AS d,
       registry.self_certify(:'elena', 'RE3', 'cup_desk', 'desk1', '2011-08-29', signed_at => '2011-08-29') IS NOT NULL AS d \gset

SELECT pg_temp.rx(1, :'mario', 'GPBO1', '2015-05-01') AS rx_bo1,
       pg_temp.rx(2, :'mario', 'GPBO1', '2015-05-01') AS rx_bo2,
       pg_temp.rx(3, :'mario', 'GPBO1', '2011-09-01') AS rx_bo3,
       pg_temp.rx(4, :'mario', 'GPBO1', '2015-05-01') AS rx_bo4,
       pg_temp.rx(5, :'mario', 'GPBO1', '2015-05-01') AS rx_bo5,
       pg_temp.rx(6, :'mario', 'GPBO1', '2015-05-01') AS rx_bo6,
       pg_temp.rx(7, :'mario', 'GPBO1', '2015-05-01') AS rx_bo7,
       pg_temp.rx(8, :'mario', 'GPBO1', '2015-05-01') AS rx_bo8,
       pg_temp.rx(11, :'elena', 'GPMO1', '2015-05-01') AS rx_mo1,
       pg_temp.rx(12, :'elena', 'GPMO1', '2011-09-01') AS rx_mo2,
       pg_temp.rx(13, :'elena', 'GPMO1', '2015-05-01') AS rx_mo3 \gset

-- bo3 and mo2: paid in September 2011, then adjusted (S3 S4 S5: RE2 from
-- 2011-09-01, signed inside the 2011 transition: -5.00 on each).
SELECT (cup.book(:'rx_bo3', '2011-09-10', '080105')).booking_id AS bo3,
       (cup.book(:'rx_mo2', '2011-09-10', '080104')).booking_id AS mo2 \gset
SELECT (cup.pay(:bo3, paid_at => '2011-09-05 10:00+00')).paid_amount IS NOT NULL AS p,
       (cup.pay(:mo2, paid_at => '2011-09-05 10:00+00')).paid_amount IS NOT NULL AS p \gset
SELECT registry.self_certify(:'mario', 'RE2', 'cup_desk', 'desk1', '2011-09-01', signed_at => '2011-09-20') IS NOT NULL AS d,
       registry.self_certify(:'elena', 'RE2', 'cup_desk', 'desk1', '2011-09-01', signed_at => '2011-09-20') IS NOT NULL AS d \gset
-- RE3 in the first half of 2015.
SELECT registry.self_certify(:'mario', 'RE3', 'cup_desk', 'desk1', '2015-01-01', signed_at => '2015-01-01') IS NOT NULL AS d,
       registry.self_certify(:'elena', 'RE3', 'cup_desk', 'desk1', '2015-01-01', signed_at => '2015-01-01') IS NOT NULL AS d \gset
-- Bologna: bo1 (booked; the operator moves and pays it), bo3 (above),
-- bo4 (booked; cancelled with an injection reason in 6).
SELECT (cup.book(:'rx_bo1', '2015-06-10', '080105')).booking_id AS bo1,
       (cup.book(:'rx_bo4', '2015-06-12', '080105')).booking_id AS bo4 \gset
-- Modena: mo1 (booked), mo2 (above), mo3 (paid, for cup.complete).
SELECT (cup.book(:'rx_mo1', '2015-06-10', '080104')).booking_id AS mo1,
       (cup.book(:'rx_mo3', '2015-06-11', '080104')).booking_id AS mo3 \gset
SELECT (cup.pay(:mo3, paid_at => '2015-06-01 10:00+00')).paid_amount IS NOT NULL AS p \gset
-- RE2 from 2015-07-01.
SELECT registry.self_certify(:'mario', 'RE2', 'cup_desk', 'desk1', '2015-07-01', signed_at => '2015-07-20') IS NOT NULL AS d,
       registry.self_certify(:'elena', 'RE2', 'cup_desk', 'desk1', '2015-07-01', signed_at => '2015-07-20') IS NOT NULL AS d \gset
SELECT (SELECT adjustment_id FROM cup.adjustment WHERE booking_id = :bo3) AS adj_bo,
       (SELECT adjustment_id FROM cup.adjustment WHERE booking_id = :mo2) AS adj_mo \gset

-- The roles.
CREATE ROLE hostile_cup_bo NOLOGIN;
CREATE ROLE hostile_cup_nobind NOLOGIN;
CREATE ROLE hostile_gp1 NOLOGIN;
CREATE ROLE hostile_portal NOLOGIN;
CREATE ROLE hostile_auditor NOLOGIN;
CREATE ROLE hostile_evil NOLOGIN;
GRANT ticket_cup_operator TO hostile_cup_bo, hostile_cup_nobind;
GRANT ticket_gp TO hostile_gp1;
GRANT ticket_fse_portal TO hostile_portal;
GRANT ticket_auditor TO hostile_auditor;
INSERT INTO ticket.role_binding (role_name, asl_code, gp_code) VALUES
    ('hostile_cup_bo', '080105', NULL),
    ('hostile_gp1', NULL, 'GPBO1');
CREATE SCHEMA hostile_evil AUTHORIZATION hostile_evil;
-- (a member of the library, so that its look-alikes can name the types)
GRANT ticket_library TO hostile_evil;

-- Snapshots of what the refusals must leave alone.
CREATE TEMP TABLE snap AS
    SELECT 'booking'::text AS what, b.booking_id AS id, md5(b::text) AS h FROM cup.booking b
    UNION ALL SELECT 'adjustment', a.adjustment_id, md5(a::text) FROM cup.adjustment a;
GRANT SELECT ON snap TO PUBLIC;
SELECT (SELECT count(*) FROM cup.booking WHERE asl_code = '080105') AS n_bo,
       (SELECT max(audit_id) FROM ticket.audit_log) AS audit0 \gset

--------------------------------------------------------------------------
-- 1. A CUP operator of ASL Bologna
--------------------------------------------------------------------------
SET LOCAL ROLE hostile_cup_bo;
SELECT is((SELECT count(*) FROM cup.booking), :n_bo::bigint, 'a Bologna CUP operator sees as many bookings as Bologna has');
SELECT is((SELECT count(*) FROM cup.booking WHERE asl_code <> '080105'), 0::bigint, '... and none of another ASL');
SELECT is_empty(format('SELECT * FROM cup.booking WHERE booking_id = %s', :mo1), 'a Modena booking by id: nothing');
SELECT is_empty(format('SELECT * FROM cup.adjustment WHERE adjustment_id = %s', :adj_mo), 'a Modena adjustment: invisible');
SELECT is((SELECT count(*) FROM cup.adjustment WHERE adjustment_id = :adj_bo), 1::bigint, '... a Bologna adjustment: visible');
SELECT throws_ok(format($$SELECT cup.move(%s, '2015-06-20')$$, :mo1), 'P0002',
                 format('booking %s does not exist', :mo1), 'cup.move of a Modena booking (P0002, as for a missing booking: no oracle)');
SELECT throws_ok(format($$SELECT cup.pay(%s)$$, :mo1), 'P0002',
                 format('booking %s does not exist', :mo1), 'cup.pay of a Modena booking (P0002, as for a missing booking: no oracle)');
SELECT throws_ok(format($$SELECT cup.cancel(%s, 'x')$$, :mo1), 'P0002',
                 format('booking %s does not exist', :mo1), 'cup.cancel of a Modena booking (P0002, as for a missing booking: no oracle)');
SELECT throws_ok(format($$SELECT cup.cancel(%s)$$, :mo2), 'P0002',
                 format('booking %s does not exist', :mo2), 'cup.cancel of a paid Modena booking (P0002, as for a missing booking: no oracle)');
SELECT throws_ok(format($$SELECT cup.complete(%s)$$, :mo3), 'P0002',
                 format('booking %s does not exist', :mo3), 'cup.complete of a paid Modena booking (P0002, as for a missing booking: no oracle)');
SELECT throws_ok(format($$SELECT cup.settle_adjustment(%s)$$, :adj_mo), 'P0002',
                 format('adjustment %s does not exist', :adj_mo),
                 'cup.settle_adjustment of a Modena adjustment (P0002, as for a missing one: no oracle)');
SELECT throws_ok(format($$SELECT cup.book('%s', '2015-06-20', '080104')$$, :'rx_bo2'), '42501',
                 'role hostile_cup_bo books for ASL 080105, not for ASL 080104', 'cup.book at Modena (42501)');
SELECT throws_ok(format($$UPDATE cup.booking SET service_date = '2015-06-21' WHERE booking_id = %s$$, :bo1), '42501',
                 'permission denied for table booking', 'a direct UPDATE of cup.booking (42501)');
SELECT throws_ok(format($$DELETE FROM cup.booking WHERE booking_id = %s$$, :bo1), '42501',
                 'permission denied for table booking', 'a direct DELETE from cup.booking (42501)');
SELECT throws_ok(format($$INSERT INTO cup.booking (nre, service_date, asl_code) VALUES ('%s', '2015-06-20', '080105')$$, :'rx_bo2'),
                 '42501', 'permission denied for table booking', 'a direct INSERT into cup.booking (42501)');
SELECT throws_ok(format($$UPDATE cup.adjustment SET settled_at = now() WHERE adjustment_id = %s$$, :adj_mo), '42501',
                 'permission denied for table adjustment', 'a direct UPDATE of cup.adjustment (42501)');
-- Positive controls.
SELECT lives_ok(format($$SELECT cup.move(%s, '2015-06-15')$$, :bo1), 'the operator moves its own Bologna booking');
SELECT lives_ok(format($$SELECT cup.pay(%s)$$, :bo1), '... and pays it');
SELECT lives_ok(format($$SELECT cup.settle_adjustment(%s)$$, :adj_bo), '... and settles its own adjustment');
SELECT (cup.book(:'rx_bo2', '2015-06-20')).booking_id AS bo2 \gset
RESET ROLE;
SELECT results_eq(format('SELECT asl_code, status FROM cup.booking WHERE booking_id = %s', :bo2),
                  $$VALUES ('080105'::text, 'booked'::text)$$, 'cup.book without an ASL books at the operator''s: Bologna');
SELECT results_eq(format('SELECT service_date, status FROM cup.booking WHERE booking_id = %s', :bo1),
                  $$VALUES ('2015-06-15'::date, 'paid'::text)$$, 'the own booking was moved and paid');
SELECT is((SELECT count(*) FROM snap s JOIN cup.booking b ON s.what = 'booking' AND s.id = b.booking_id
            WHERE b.asl_code = '080104' AND s.h = md5(b::text)), 3::bigint,
          'every Modena booking is unchanged');
SELECT is((SELECT h FROM snap WHERE what = 'adjustment' AND id = :adj_mo),
          (SELECT md5(a::text) FROM cup.adjustment a WHERE adjustment_id = :adj_mo), 'the Modena adjustment is unchanged (unsettled)');
SELECT is((SELECT count(*) FROM cup.booking WHERE nre = :'rx_bo2' AND asl_code = '080104'), 0::bigint, 'no booking at Modena was made');
SELECT is((SELECT count(*) FROM ticket.audit_log WHERE audit_id > :audit0
            AND ((table_name = 'cup.booking' AND row_key IN (:'mo1', :'mo2', :'mo3'))
                 OR (table_name = 'cup.adjustment' AND row_key = :'adj_mo'))), 0::bigint,
          'the audit log has nothing about the Modena rows');

--------------------------------------------------------------------------
-- 2. A CUP operator bound to no ASL
--------------------------------------------------------------------------
SET LOCAL ROLE hostile_cup_nobind;
SELECT throws_ok(format($$SELECT cup.book('%s', '2015-06-20')$$, :'rx_bo5'), '42501',
                 'role hostile_cup_nobind is not bound to an ASL: it may not book or handle bookings',
                 'an unbound CUP operator books (42501)');
SELECT throws_ok(format($$SELECT cup.pay(%s)$$, :bo4), '42501',
                 'role hostile_cup_nobind is not bound to an ASL: it may not book or handle bookings',
                 'an unbound CUP operator pays (42501)');
SELECT is((SELECT count(*) FROM cup.booking), 0::bigint, 'an unbound CUP operator sees no booking');
SELECT is((SELECT count(*) FROM cup.adjustment), 0::bigint, '... and no adjustment');
SELECT throws_ok(format($$SELECT fse.status('%s')$$, :'elena'), '42501',
                 format('role hostile_cup_nobind may not see citizen %s', :'elena'),
                 'an unbound CUP operator reads a citizen''s status (42501)');
-- The same data by the other doors (fse.status refuses it, so must they).  These three
-- found a hole in a draft of 1.0 (the readers were granted, the policies did not ask for a
-- binding): the readers are internal now, the policies need a binding.
SELECT throws_ok(format($$SELECT * FROM registry.status_on('%s', '2015-08-01')$$, :'elena'), '42501', NULL,
                 'an unbound CUP operator reads a citizen''s status through registry.status_on (42501)');
SELECT throws_ok(format($$SELECT * FROM ticket.citizen_status('%s', '2015-08-01')$$, :'elena'), '42501', NULL,
                 'an unbound CUP operator reads a citizen''s status through ticket.citizen_status (42501)');
SELECT is((SELECT count(*) FROM registry.declaration), 0::bigint,
          'an unbound CUP operator sees no declaration (as fse.status refuses it every citizen)');
-- Binding oneself.
SELECT throws_ok($$INSERT INTO ticket.role_binding (role_name, asl_code) VALUES ('hostile_cup_nobind', '080104')$$, '42501',
                 'permission denied for table role_binding', 'an unbound CUP operator binds itself (42501)');
SET LOCAL ROLE hostile_cup_bo;
SELECT throws_ok($$UPDATE ticket.role_binding SET asl_code = '080104' WHERE role_name = 'hostile_cup_bo'$$, '42501',
                 'permission denied for table role_binding', 'a Bologna CUP operator rebinds itself to Modena (42501)');
RESET ROLE;
SELECT results_eq('SELECT role_name::text COLLATE "default", asl_code, gp_code FROM ticket.role_binding WHERE role_name::text LIKE ''hostile%'' ORDER BY 1',
                  $$VALUES ('hostile_cup_bo'::text, '080105'::text, NULL::text), ('hostile_gp1', NULL, 'GPBO1')$$,
                  '... the bindings are unchanged');
SELECT is((SELECT count(*) FROM cup.booking WHERE nre = :'rx_bo5'), 0::bigint, '... no booking was made');
SELECT is((SELECT status FROM cup.booking WHERE booking_id = :bo4), 'booked', '... the booking stays unpaid');

--------------------------------------------------------------------------
-- 3. A GP
--------------------------------------------------------------------------
SELECT (SELECT count(*) FROM registry.citizen WHERE gp_code = 'GPBO1') AS n_pat,
       (SELECT count(*) FROM registry.declaration WHERE fiscal_code IN (:'mario', :'anna', :'teo')) AS n_decl_pat,
       (SELECT count(*) FROM fse.profile WHERE fiscal_code IN (:'mario', :'anna', :'teo')) AS n_prof_pat,
       (SELECT count(*) FROM fse.prescription WHERE gp_code = 'GPBO1') AS n_rx_pat,
       (SELECT count(*) FROM registry.declaration WHERE fiscal_code = :'elena') AS n_decl_elena,
       (SELECT count(*) FROM fse.prescription) AS n_rx \gset
SET LOCAL ROLE hostile_gp1;
SELECT results_eq('SELECT count(*), count(*) FILTER (WHERE gp_code = ''GPBO1'') FROM registry.citizen',
                  format('VALUES (%s::bigint, %1$s::bigint)', :n_pat), 'a GP sees its patients in registry.citizen, only them');
SELECT is((SELECT count(*) FROM fse.profile), :n_prof_pat::bigint, '... in fse.profile');
SELECT is((SELECT count(*) FROM registry.declaration), :n_decl_pat::bigint, '... in registry.declaration');
SELECT is((SELECT count(*) FROM fse.prescription), :n_rx_pat::bigint, '... in fse.prescription');
SELECT is((SELECT count(*) FROM fse.profile WHERE fiscal_code = :'elena'), 0::bigint, 'another GP''s patient''s profile: nothing');
SELECT throws_ok(format($$SELECT fse.status('%s')$$, :'elena'), '42501',
                 format('role hostile_gp1 may not see citizen %s', :'elena'), 'fse.status of another GP''s patient (42501)');
SELECT throws_ok(format($$SELECT fse.prescribe('080000000000021', '%s', 'GPBO1', ARRAY['88.74.1'], NULL, '2015-08-01')$$, :'elena'),
                 '42501', format('citizen %s is not a patient of GP GPBO1', :'elena'), 'prescribing for another GP''s patient (42501)');
SELECT throws_ok(format($$SELECT fse.prescribe('080000000000022', '%s', 'GPMO1', ARRAY['88.74.1'], NULL, '2015-08-01')$$, :'mario'),
                 '42501', 'role hostile_gp1 acts for GP GPBO1, not for GP GPMO1',
                 'prescribing for an own patient as another GP (42501)');
SELECT throws_ok(format($$SELECT registry.self_certify('%s', 'QB', 'gp', applies_from => '2019-06-01')$$, :'elena'),
                 '42501', format('citizen %s is not a patient of GP GPBO1', :'elena'),
                 'a GP records a declaration of another GP''s patient (42501)');
SELECT throws_ok($$INSERT INTO fse.prescription (nre, fiscal_code, gp_code, prescribed_on, services)
                   VALUES ('080000000000023', '$$ || :'mario' || $$', 'GPBO1', '2015-08-01', '{88.74.1}')$$,
                 '42501', 'permission denied for table prescription', 'a direct INSERT into fse.prescription (42501)');
-- Positive controls.
SELECT is((fse.status(:'mario', '2015-08-01')).declared_band::text, 'RE2', 'fse.status of an own patient');
SELECT (fse.prescribe('080000000000024', :'mario', 'GPBO1', ARRAY['88.74.1'], NULL, '2015-08-01')).nre AS rx_gp \gset
RESET ROLE;
SELECT results_eq(format($$SELECT gp_code, band::text, exemptions FROM fse.prescription WHERE nre = '%s'$$, :'rx_gp'),
                  $$VALUES ('GPBO1'::text, 'RE2'::text, '{}'::ticket.exemption[])$$,
                  'the GP''s prescription for an own patient: its boxes filled from the registry');
SELECT is((SELECT count(*) FROM fse.prescription), :n_rx::bigint + 1, 'only that prescription was added');
SELECT is((SELECT count(*) FROM registry.declaration WHERE fiscal_code = :'elena'), :n_decl_elena::bigint,
          'no declaration of the other GP''s patient');

--------------------------------------------------------------------------
-- 4. Forged declarations
--------------------------------------------------------------------------
SELECT (SELECT count(*) FROM registry.declaration) AS n_decl, (SELECT max(audit_id) FROM ticket.audit_log) AS audit4 \gset
SET LOCAL ROLE hostile_cup_bo;
SELECT throws_ok(format($$SELECT registry.self_certify('%s', 'QB', 'cup_desk', 'someone_else', '2019-06-01')$$, :'mario'),
                 '42501', 'role hostile_cup_bo may not record a self-certification taken by operator someone_else',
                 'a CUP operator records a form as another operator (42501)');
SELECT throws_ok(format($$SELECT registry.self_certify('%s', 'QB', 'fse_online', NULL, '2019-06-01')$$, :'mario'),
                 '42501', 'role hostile_cup_bo may not record a self-certification through channel fse_online',
                 'a CUP operator forges an online declaration (42501)');
SELECT throws_ok(format($$SELECT registry.self_certify('%s', 'QB', 'revenue_agency', NULL, '2019-06-01')$$, :'mario'),
                 '42501', 'role hostile_cup_bo may not record a self-certification through channel revenue_agency',
                 'a CUP operator forges a Revenue Agency attribution (42501)');
SELECT throws_ok(format($$SELECT registry.self_certify('%s', 'QB', 'gp', NULL, '2019-06-01')$$, :'mario'),
                 '42501', 'role hostile_cup_bo may not record a self-certification through channel gp',
                 'a CUP operator records a form of the GP''s surgery (42501)');
SELECT throws_ok(format($$SELECT registry.self_certify('%s', 'QB', 'cup_desk', NULL, '2019-06-01', '%s')$$, :'mario', :'elena'),
                 'TK011', format('%s may not self-certify the income band of %s', :'elena', :'mario'),
                 'a declarant who is neither the citizen nor a parent or guardian (TK011)');
SELECT throws_ok(format($$SELECT registry.self_certify('%s', 'QB', 'cup_desk', NULL, '2019-06-01', signed_at => '2100-01-01 00:00+00')$$, :'mario'),
                 '22023', 'a self-certification cannot be signed in the future (2100-01-01 00:00:00+00)',
                 'a form signed in the future (22023)');
SELECT throws_ok(format($$INSERT INTO registry.declaration (fiscal_code, band, declarant, channel, operator, applies_from)
                          VALUES ('%s', 'QB', '%1$s', 'cup_desk', 'hostile_cup_bo', '2019-06-01')$$, :'mario'),
                 '42501', 'permission denied for table declaration', 'a direct INSERT into registry.declaration (42501)');
-- Positive control: the operator omitted is the acting role.
SELECT (registry.self_certify(:'mario', 'QB', 'cup_desk', NULL, '2019-06-01')).declaration_id AS decl_op \gset
SET LOCAL ROLE hostile_gp1;
SELECT throws_ok(format($$SELECT registry.self_certify('%s', 'QB', 'cup_desk', NULL, '2019-06-01')$$, :'anna'),
                 '42501', 'role hostile_gp1 may not record a self-certification through channel cup_desk',
                 'a GP records a CUP desk form (42501)');
SET LOCAL ROLE hostile_portal;
SELECT throws_ok(format($$SELECT fse.portal_self_certify('%s', '%s', 'QB', '2019-06-01')$$, :'anna', :'elena'),
                 '42501', format('%s may not see the FSE of %s', :'anna', :'elena'),
                 'the portal: an unrelated adult self-certifies for another (42501)');
SELECT throws_ok(format($$SELECT fse.portal_self_certify('%s', '%s', 'QB', '2019-06-01')$$, :'anna', :'mario'),
                 '42501', format('%s may not see the FSE of %s', :'anna', :'mario'),
                 'the portal: ... for an adult patient of the same GP (42501)');
SELECT throws_ok(format($$SELECT * FROM fse.portal_status('%s', '%s')$$, :'anna', :'elena'), '42501',
                 format('%s may not see the FSE of %s', :'anna', :'elena'), 'the portal: another''s status (42501)');
SELECT throws_ok(format($$SELECT * FROM fse.portal_events('%s', '%s')$$, :'anna', :'elena'), '42501',
                 format('%s may not see the FSE of %s', :'anna', :'elena'), 'the portal: another''s events (42501)');
SELECT throws_ok(format($$SELECT * FROM fse.portal_prescriptions('%s', '%s')$$, :'anna', :'mario'), '42501',
                 format('%s may not see the FSE of %s', :'anna', :'mario'), 'the portal: another''s prescriptions (42501)');
SELECT throws_ok(format($$SELECT * FROM fse.portal_status(NULL, '%s')$$, :'mario'), '42501',
                 format('NULL may not see the FSE of %s', :'mario'), 'the portal: nobody authenticated (42501)');
SELECT throws_ok('SELECT count(*) FROM registry.citizen', '42501', 'permission denied for schema registry',
                 'the portal selects registry.citizen (42501)');
SELECT throws_ok('SELECT count(*) FROM fse.profile', '42501', 'permission denied for table profile',
                 'the portal selects fse.profile (42501)');
SELECT throws_ok('SELECT count(*) FROM fse.prescription', '42501', 'permission denied for table prescription',
                 'the portal selects fse.prescription (42501)');
SELECT throws_ok(format($$SELECT fse.status('%s')$$, :'mario'), '42501', 'permission denied for function status',
                 'the portal calls fse.status (42501)');
-- Positive controls: a guardian for the ward, a citizen for themselves.
SELECT (fse.portal_self_certify(:'anna', :'teo', 'QB', '2019-06-01')).declaration_id AS decl_portal \gset
SELECT is((SELECT declared_band::text FROM fse.portal_status(:'anna', :'teo', '2019-07-01')), 'QB',
          'the portal: the guardian reads the ward''s status');
SELECT is((SELECT count(*) FROM fse.portal_prescriptions(:'mario', :'mario')), 8::bigint + 1,
          'the portal: a citizen reads their own prescriptions');
RESET ROLE;
SELECT results_eq(format('SELECT fiscal_code::text, declarant::text, channel, operator FROM registry.declaration WHERE declaration_id = %s', :decl_portal),
                  format($$VALUES ('%s'::text, '%s'::text, 'fse_online'::text, NULL::text)$$, :'teo', :'anna'),
                  'the guardian''s online declaration for the ward');
SELECT results_eq(format('SELECT fiscal_code::text, declarant::text, channel, operator FROM registry.declaration WHERE declaration_id = %s', :decl_op),
                  format($$VALUES ('%s'::text, '%1$s'::text, 'cup_desk'::text, 'hostile_cup_bo'::text)$$, :'mario'),
                  'the operator''s own form: operator = the acting role');
SELECT is((SELECT count(*) FROM registry.declaration), :n_decl::bigint + 2, 'only those two declarations were added');
SELECT is((SELECT count(*) FROM ticket.audit_log WHERE audit_id > :audit4 AND table_name = 'registry.declaration'
            AND operation = 'INSERT'), 2::bigint, '... and the audit log records those two inserts only');

--------------------------------------------------------------------------
-- 5. search_path hijacking
--------------------------------------------------------------------------
SET LOCAL ROLE hostile_evil;
CREATE TABLE hostile_evil.log (what text, by_role name DEFAULT current_user);
GRANT INSERT, SELECT ON hostile_evil.log TO PUBLIC;
GRANT USAGE ON SCHEMA hostile_evil TO PUBLIC;
CREATE FUNCTION hostile_evil.spy(what text) RETURNS boolean LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO hostile_evil.log (what) VALUES (what); RETURN true; END$$;
CREATE FUNCTION hostile_evil.upper(t text) RETURNS text LANGUAGE plpgsql AS
    $$BEGIN PERFORM hostile_evil.spy('upper'); RETURN pg_catalog.upper(t); END$$;
CREATE FUNCTION hostile_evil.lower(t text) RETURNS text LANGUAGE plpgsql AS
    $$BEGIN PERFORM hostile_evil.spy('lower'); RETURN pg_catalog.lower(t); END$$;
CREATE FUNCTION hostile_evil.btrim(t text) RETURNS text LANGUAGE plpgsql AS
    $$BEGIN PERFORM hostile_evil.spy('btrim'); RETURN pg_catalog.btrim(t); END$$;
CREATE FUNCTION hostile_evil.now() RETURNS timestamptz LANGUAGE plpgsql AS
    $$BEGIN PERFORM hostile_evil.spy('now'); RETURN pg_catalog.now(); END$$;
CREATE FUNCTION hostile_evil.format(f text, a text) RETURNS text LANGUAGE plpgsql AS
    $$BEGIN PERFORM hostile_evil.spy('format'); RETURN pg_catalog.format(f, a); END$$;
CREATE FUNCTION hostile_evil.to_jsonb(x anyelement) RETURNS jsonb LANGUAGE plpgsql AS
    $$BEGIN PERFORM hostile_evil.spy('to_jsonb'); RETURN pg_catalog.to_jsonb(x); END$$;
CREATE FUNCTION hostile_evil.cardinality(x anyarray) RETURNS integer LANGUAGE plpgsql AS
    $$BEGIN PERFORM hostile_evil.spy('cardinality'); RETURN pg_catalog.cardinality(x); END$$;
CREATE FUNCTION hostile_evil.array_length(x anyarray, d integer) RETURNS integer LANGUAGE plpgsql AS
    $$BEGIN PERFORM hostile_evil.spy('array_length'); RETURN pg_catalog.array_length(x, d); END$$;
CREATE FUNCTION hostile_evil.unnest(x anyarray) RETURNS SETOF anyelement LANGUAGE plpgsql AS
    $$BEGIN PERFORM hostile_evil.spy('unnest'); RETURN QUERY SELECT pg_catalog.unnest(x); END$$;
CREATE FUNCTION hostile_evil.isfinite(d date) RETURNS boolean LANGUAGE plpgsql AS
    $$BEGIN PERFORM hostile_evil.spy('isfinite'); RETURN pg_catalog.isfinite(d); END$$;
CREATE FUNCTION hostile_evil.current_setting(n text) RETURNS text LANGUAGE plpgsql AS
    $$BEGIN PERFORM hostile_evil.spy('current_setting'); RETURN pg_catalog.current_setting(n); END$$;
CREATE FUNCTION hostile_evil.set_config(n text, v text, l boolean) RETURNS text LANGUAGE plpgsql AS
    $$BEGIN PERFORM hostile_evil.spy('set_config'); RETURN pg_catalog.set_config(n, v, l); END$$;
-- The checks' own questions, answered "yes":
CREATE FUNCTION hostile_evil.pg_has_role(r name, g text, m text) RETURNS boolean LANGUAGE plpgsql AS
    $$BEGIN PERFORM hostile_evil.spy('pg_has_role'); RETURN true; END$$;
CREATE FUNCTION hostile_evil.agg_step(s anyarray, x anynonarray) RETURNS anyarray LANGUAGE plpgsql AS
    $$BEGIN PERFORM hostile_evil.spy('array_agg'); RETURN pg_catalog.array_append(s, x); END$$;
CREATE AGGREGATE hostile_evil.array_agg(anynonarray) (sfunc = hostile_evil.agg_step, stype = anyarray, initcond = '{}');
-- Operators.
CREATE FUNCTION hostile_evil.fc_eq(a ticket.fiscal_code, b ticket.fiscal_code) RETURNS boolean LANGUAGE plpgsql AS
    $$BEGIN PERFORM hostile_evil.spy('=(fiscal_code)'); RETURN a::text OPERATOR(pg_catalog.=) b::text; END$$;
CREATE OPERATOR hostile_evil.= (leftarg = ticket.fiscal_code, rightarg = ticket.fiscal_code, function = hostile_evil.fc_eq);
CREATE FUNCTION hostile_evil.text_eq(a text, b text) RETURNS boolean LANGUAGE plpgsql AS
    $$BEGIN PERFORM hostile_evil.spy('=(text)'); RETURN pg_catalog.texteq(a, b); END$$;
CREATE OPERATOR hostile_evil.= (leftarg = text, rightarg = text, function = hostile_evil.text_eq);
CREATE FUNCTION hostile_evil.text_ne(a text, b text) RETURNS boolean LANGUAGE plpgsql AS
    $$BEGIN PERFORM hostile_evil.spy('<>(text)'); RETURN pg_catalog.textne(a, b); END$$;
CREATE OPERATOR hostile_evil.<> (leftarg = text, rightarg = text, function = hostile_evil.text_ne);
CREATE FUNCTION hostile_evil.text_cat(a text, b text) RETURNS text LANGUAGE plpgsql AS
    $$BEGIN PERFORM hostile_evil.spy('||(text)'); RETURN pg_catalog.textcat(a, b); END$$;
CREATE OPERATOR hostile_evil.|| (leftarg = text, rightarg = text, function = hostile_evil.text_cat);
CREATE FUNCTION hostile_evil.date_mi(a date, b date) RETURNS integer LANGUAGE plpgsql AS
    $$BEGIN PERFORM hostile_evil.spy('-(date)'); RETURN pg_catalog.date_mi(a, b) + 1000; END$$;
CREATE OPERATOR hostile_evil.- (leftarg = date, rightarg = date, function = hostile_evil.date_mi);
CREATE FUNCTION hostile_evil.num_mul(a numeric, b integer) RETURNS numeric LANGUAGE plpgsql AS
    $$BEGIN PERFORM hostile_evil.spy('*(numeric)'); RETURN pg_catalog.numeric_mul(a, b::numeric) * 0; END$$;
CREATE OPERATOR hostile_evil.* (leftarg = numeric, rightarg = integer, function = hostile_evil.num_mul);
-- Tables and views named like the extension's tables (a read logs).
CREATE TABLE hostile_evil.booking (booking_id bigint, asl_code text);
CREATE TABLE hostile_evil.citizen (fiscal_code text, gp_code text);
GRANT SELECT ON hostile_evil.booking, hostile_evil.citizen TO PUBLIC;
CREATE VIEW hostile_evil.role_binding AS
    SELECT current_user::name AS role_name, '080104'::text AS asl_code, 'GPMO1'::text AS gp_code
     WHERE hostile_evil.spy('view role_binding');
CREATE VIEW hostile_evil.guardian AS SELECT NULL::text AS ward WHERE hostile_evil.spy('view guardian');
-- pg_temp: functions there are never found for unqualified calls, tables and views are.
CREATE FUNCTION pg_temp.upper(t text) RETURNS text LANGUAGE plpgsql AS
    $$BEGIN PERFORM hostile_evil.spy('pg_temp.upper'); RETURN pg_catalog.upper(t); END$$;
CREATE FUNCTION pg_temp.btrim(t text) RETURNS text LANGUAGE plpgsql AS
    $$BEGIN PERFORM hostile_evil.spy('pg_temp.btrim'); RETURN pg_catalog.btrim(t); END$$;
CREATE TEMP VIEW booking AS SELECT 1::bigint AS booking_id WHERE hostile_evil.spy('temp booking');
CREATE TEMP VIEW citizen AS SELECT 1 AS x WHERE hostile_evil.spy('temp citizen');
CREATE TEMP VIEW declaration AS SELECT 1 AS x WHERE hostile_evil.spy('temp declaration');
CREATE TEMP VIEW prescription AS SELECT 1 AS x WHERE hostile_evil.spy('temp prescription');
CREATE TEMP VIEW adjustment AS SELECT 1 AS x WHERE hostile_evil.spy('temp adjustment');
CREATE TEMP VIEW profile AS SELECT 1 AS x WHERE hostile_evil.spy('temp profile');
CREATE TEMP VIEW exemption_grant AS SELECT 1 AS x WHERE hostile_evil.spy('temp exemption_grant');
CREATE TEMP VIEW household_member AS SELECT 1 AS x WHERE hostile_evil.spy('temp household_member');
CREATE TEMP VIEW guardian AS SELECT 1 AS x WHERE hostile_evil.spy('temp guardian');
CREATE TEMP VIEW citizen_lock AS SELECT 1 AS x WHERE hostile_evil.spy('temp citizen_lock');
CREATE TEMP VIEW asl AS SELECT 1 AS x WHERE hostile_evil.spy('temp asl');
CREATE TEMP VIEW gp AS SELECT 1 AS x WHERE hostile_evil.spy('temp gp');
CREATE TEMP VIEW status_on AS SELECT 1 AS x WHERE hostile_evil.spy('temp status_on');
GRANT SELECT ON pg_temp.booking, pg_temp.citizen, pg_temp.declaration, pg_temp.prescription, pg_temp.adjustment,
    pg_temp.profile, pg_temp.exemption_grant, pg_temp.household_member, pg_temp.guardian, pg_temp.citizen_lock,
    pg_temp.asl, pg_temp.gp, pg_temp.status_on, hostile_evil.role_binding, hostile_evil.guardian TO PUBLIC;
-- A confused deputy: a SECURITY DEFINER function of the hostile role that books.
CREATE FUNCTION hostile_evil.book_for_me(nre text) RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER AS
    $$BEGIN RETURN (cup.book(nre, '2015-06-27')).booking_id; END$$;
RESET ROLE;

-- The traps are armed: with the hostile search_path an unqualified call finds them.
SET LOCAL ROLE hostile_cup_bo;
SET LOCAL search_path = hostile_evil, pg_catalog, pg_temp, public, ticket;
SELECT upper('x') AS armed_upper, pg_has_role('hostile_cup_bo', 'ticket_rules_admin', 'USAGE') AS armed_role,
       (date '2015-01-02' - date '2015-01-01') AS armed_minus \gset
SELECT count(*) AS armed_view FROM declaration \gset
RESET search_path;
SET LOCAL search_path = ticket, public;
SELECT is((SELECT count(*) FROM hostile_evil.log WHERE what IN ('upper', 'pg_has_role', '-(date)', 'temp declaration')), 4::bigint,
          'the traps are armed: unqualified names in the hostile search_path find the look-alikes');
RESET ROLE;
SELECT lives_ok('DELETE FROM hostile_evil.log', 'the log is emptied');
SELECT rules_cache_reset();   -- the rules are reloaded inside the hostile search_path below
SELECT count(*) AS n_booking0 FROM cup.booking \gset

-- The API under the hostile search_path.
SET LOCAL ROLE hostile_cup_bo;
SET LOCAL search_path = hostile_evil, pg_catalog, pg_temp, public, ticket;
SELECT (cup.book(:'rx_bo6', '2015-06-25')).booking_id AS bo6 \gset
SELECT (cup.move(:bo6, '2015-06-26')).service_date AS bo6_date \gset
SELECT (cup.pay(:bo6, 46.15)).status AS bo6_status \gset
SELECT (registry.self_certify(:'anna', 'QB', 'call_centre', NULL, '2019-06-01')).operator AS anna_op \gset
SELECT (fse.status(:'mario', '2015-08-01')).declared_band AS mario_band_cup \gset
SET LOCAL ROLE hostile_gp1;
SELECT (fse.prescribe('080000000000025', :'mario', 'GPBO1', ARRAY['88.74.1'], 'b', '2015-08-02')).band AS rx25_band \gset
SELECT (registry.self_certify(:'anna', 'QM', 'gp', NULL, '2019-07-01')).operator AS anna_op2 \gset
SELECT (fse.status(:'mario', '2015-08-01')).declared_band AS mario_band_gp \gset
SELECT count(*) AS gp_sees FROM registry.citizen \gset
SET LOCAL ROLE hostile_evil;
SELECT ticket.price(ARRAY['88.74.1'], 'RE2', '{}', '2015-06-10') AS evil_price \gset
RESET ROLE;
RESET search_path;
SET LOCAL search_path = ticket, public;
SELECT is_empty('SELECT what FROM hostile_evil.log', 'no look-alike ran inside the API (the hostile search_path found nothing)');
SELECT results_eq(format('SELECT asl_code, service_date, status, amount, paid_amount FROM cup.booking WHERE booking_id = %s', :bo6),
                  $$VALUES ('080105'::text, '2015-06-26'::date, 'paid'::text, 46.15::numeric(8,2), 46.15::numeric(8,2))$$,
                  'cup.book, cup.move, cup.pay under the hostile search_path: the right booking, priced right (RE3 in June 2015)');
SET LOCAL ROLE hostile_cup_bo;
SELECT throws_ok(format($$SELECT hostile_evil.book_for_me('%s')$$, :'rx_bo8'), '42501', 'permission denied for schema cup',
                 'a bound operator calling the hostile role''s SECURITY DEFINER function books nothing (42501)');
RESET ROLE;
SELECT is((SELECT count(*) FROM cup.booking WHERE nre = :'rx_bo8'), 0::bigint, '... no booking');
SELECT is(:'bo6_status'::text, 'paid', '... cup.pay returned the paid row');
SELECT is((SELECT count(*) FROM cup.booking), :n_booking0::bigint + 1, '... one booking was added');
SELECT is(:'anna_op'::text, 'hostile_cup_bo', 'registry.self_certify under the hostile search_path: operator = the acting role');
SELECT is(:'anna_op2'::text, 'hostile_gp1', '... for the GP too');
SELECT results_eq(format($$SELECT nre, gp_code, priority, band::text FROM fse.prescription WHERE nre = '080000000000025'$$),
                  $$VALUES ('080000000000025'::text, 'GPBO1'::text, 'B'::text, 'RE2'::text)$$,
                  'fse.prescribe under the hostile search_path: the boxes are right');
SELECT is(:'rx25_band'::text, 'RE2', '... and it returned the band');
SELECT is(ARRAY[:'mario_band_cup', :'mario_band_gp']::text[], ARRAY['RE2', 'RE2'], 'fse.status under the hostile search_path');
SELECT is(:gp_sees::bigint, :n_pat::bigint, 'the GP''s row-level security under the hostile search_path: its patients');
SELECT is(:'evil_price'::ticket.bill, ticket.price(ARRAY['88.74.1'], 'RE2', '{}', '2015-06-10'),
          'the rules loaded under the hostile search_path price as usual');
SELECT is((:'evil_price'::ticket.bill).total, 41.15::numeric, '... 41.15');
SET LOCAL ROLE hostile_evil;
DROP VIEW pg_temp.booking, pg_temp.citizen, pg_temp.declaration, pg_temp.prescription, pg_temp.adjustment,
          pg_temp.profile, pg_temp.exemption_grant, pg_temp.household_member, pg_temp.guardian,
          pg_temp.citizen_lock, pg_temp.asl, pg_temp.gp, pg_temp.status_on;
RESET ROLE;

--------------------------------------------------------------------------
-- 6. Injection through text parameters
--------------------------------------------------------------------------
\set evil_reason 'x''); DROP TABLE cup.booking; -- $$ $q$ "quoted" \\ ; DELETE FROM registry.declaration; --'
\set evil_nre '080''; DELETE FROM cup.booking; --'
SELECT (SELECT count(*) FROM cup.booking) AS n_b6, (SELECT count(*) FROM registry.declaration) AS n_d6,
       (SELECT count(*) FROM fse.prescription) AS n_p6, (SELECT count(*) FROM ticket.audit_log) AS n_a6 \gset
SELECT lives_ok(format('SELECT cup.cancel(%s, %L)', :bo4, :'evil_reason'), 'cup.cancel with an injection reason');
SELECT is((SELECT cancel_reason FROM cup.booking WHERE booking_id = :bo4), :'evil_reason', '... stored byte-identical');
-- (an operator is a role name: at most 63 characters since 1.2)
SELECT left(:'evil_reason', 63) AS evil_operator \gset
SELECT throws_ok(format($$SELECT registry.self_certify('%s', 'QB', 'cup_desk', %L, '2019-06-01')$$, :'elena', :'evil_reason'),
                 '22001', 'argument operator of registry.self_certify is 88 characters long: at most 63 are accepted',
                 'registry.self_certify with an 88-character injection operator (22001, not quoted)');
SELECT lives_ok(format($$SELECT registry.self_certify('%s', 'QB', 'cup_desk', %L, '2019-06-01')$$, :'elena', :'evil_operator'),
                'registry.self_certify with an injection operator (superuser: operator is free)');
SELECT is((SELECT operator FROM registry.declaration WHERE fiscal_code = :'elena' AND valid_until IS NULL), :'evil_operator',
          '... stored byte-identical');
SELECT throws_ok(format($$SELECT fse.prescribe(%L, '%s', 'GPBO1', ARRAY['88.74.1'], NULL, '2015-08-01')$$, :'evil_nre', :'mario'),
                 '22P02', NULL, 'fse.prescribe with an injection NRE (22P02)');
SELECT throws_ok(format($$SELECT fse.prescribe('080000000000026', '%s', 'GPBO1', ARRAY['88.74.1', %L], NULL, '2015-08-01')$$,
                        :'mario', :'evil_reason'),
                 'TK006', format('service %s... is not in the catalogue on 2015-08-01', left(:'evil_reason', 40)),
                 'fse.prescribe with an injection service code: unknown service (TK006)');
SELECT throws_ok(format($$SELECT cup.book('%s', '2015-06-20', %L)$$, :'rx_bo7', $$0' OR 'x'='x$$),
                 '23503', NULL, 'cup.book with an injection ASL code (23503)');
SELECT throws_ok(format($$SELECT cup.book('%s', '2015-06-20', %L)$$, :'rx_bo7', $$080105' OR 'x' = 'x$$),
                 '22001', NULL, 'cup.book with a 19-character injection ASL code (22001: at most 16)');
SELECT throws_ok($$SELECT ticket.audit_purge('1 day')$$, '22023',
                 'the audit log is kept 24 months at least: 1 day is shorter', 'ticket.audit_purge(''1 day'') (22023)');
SELECT throws_ok($$SELECT ticket.audit_purge('23 months 29 days')$$, '22023', NULL,
                 'ticket.audit_purge just under 24 months (22023)');
SELECT results_eq('SELECT (SELECT count(*) FROM cup.booking), (SELECT count(*) FROM registry.declaration),
                          (SELECT count(*) FROM fse.prescription)',
                  format('VALUES (%s::bigint, %s::bigint + 1, %s::bigint)', :n_b6, :n_d6, :n_p6),
                  'the tables are intact: only the one declaration was added');
SELECT ok((SELECT count(*) FROM ticket.audit_log) > :n_a6, 'the audit log is intact and grew');

--------------------------------------------------------------------------
-- 7. Settings only the extension writes
--------------------------------------------------------------------------
SELECT current_setting('ticket.internal_write') AS s_iw, current_setting('ticket.locked_citizen') AS s_lc,
       current_setting('ticket.reprice_pending') AS s_rp \gset
SET LOCAL ROLE hostile_cup_bo;
SELECT throws_ok('SET ticket.internal_write = on', '42501', 'permission denied to set parameter "ticket.internal_write"',
                 'a CUP operator sets ticket.internal_write (42501)');
SELECT throws_ok('SET LOCAL ticket.reprice_pending = on', '42501', 'permission denied to set parameter "ticket.reprice_pending"',
                 'a CUP operator sets ticket.reprice_pending (42501)');
SELECT throws_ok(format($$SELECT set_config('ticket.locked_citizen', '%s', true)$$, :'mario'), '42501',
                 'permission denied to set parameter "ticket.locked_citizen"', 'a CUP operator set_config()s ticket.locked_citizen (42501)');
SELECT throws_ok('SELECT ticket.internal_write(true)', '42501', 'permission denied for function internal_write',
                 'a CUP operator calls ticket.internal_write (42501)');
SELECT throws_ok($$SELECT ticket.audit_purge('30 months')$$, '42501', 'permission denied for function audit_purge',
                 'a CUP operator calls ticket.audit_purge (42501)');
SELECT throws_ok($$UPDATE ticket.regime_band SET quota = 0$$, '42501', 'permission denied for table regime_band',
                 'a CUP operator rewrites the rules (42501)');
SELECT throws_ok($$SELECT ticket.rules_cache_reset()$$, '42501', 'permission denied for function rules_cache_reset',
                 'a CUP operator resets the rules cache (42501)');
SELECT results_eq($$SELECT current_setting('ticket.internal_write'), current_setting('ticket.locked_citizen'),
                           current_setting('ticket.reprice_pending')$$,
                  format('VALUES (%L::text, %L::text, %L::text)', :'s_iw', :'s_lc', :'s_rp'), 'the settings kept their values');
RESET ROLE;

--------------------------------------------------------------------------
-- 8. The audit log
--------------------------------------------------------------------------
SELECT results_eq(format($$SELECT session_role::text COLLATE "default", acting_role::text COLLATE "default", application_name, old_row IS NULL, new_row ->> 'operator'
                             FROM ticket.audit_log WHERE table_name = 'registry.declaration' AND operation = 'INSERT' AND row_key = '%s'$$, :decl_op),
                  $$VALUES (session_user::text COLLATE "default", 'hostile_cup_bo'::text, 'hostile-test'::text, true, 'hostile_cup_bo'::text)$$,
                  'the audit log: the operator''s declaration insert, who, from which application');
SELECT results_eq(format($$SELECT session_role::text COLLATE "default", acting_role::text COLLATE "default", application_name, old_row ->> 'status', new_row ->> 'status',
                                  (new_row ->> 'paid_amount')::numeric
                             FROM ticket.audit_log WHERE table_name = 'cup.booking' AND operation = 'UPDATE' AND row_key = '%s'
                              AND new_row ->> 'status' = 'paid'$$, :bo1),
                  format($$VALUES (session_user::text COLLATE "default", 'hostile_cup_bo'::text, 'hostile-test'::text, 'booked'::text, 'paid'::text, %s::numeric)$$,
                         (SELECT paid_amount FROM cup.booking WHERE booking_id = :bo1)),
                  'the audit log: the operator''s payment, the row before and after');
SELECT results_eq(format($$SELECT acting_role::text COLLATE "default", application_name, old_row ->> 'settled_at' IS NULL, new_row ->> 'settled_at' IS NOT NULL
                             FROM ticket.audit_log WHERE table_name = 'cup.adjustment' AND operation = 'UPDATE' AND row_key = '%s'$$, :adj_bo),
                  $$VALUES ('hostile_cup_bo'::text, 'hostile-test'::text, true, true)$$,
                  'the audit log: the operator''s settled adjustment');
SELECT is((SELECT count(*) FROM ticket.audit_log WHERE acting_role IN ('hostile_cup_nobind', 'hostile_portal')
            AND table_name <> 'registry.declaration' AND operation <> 'READ'), 0::bigint,
          'the audit log: nothing from the refused roles'' bookings');
-- Reads through the portal are recorded (pgaudit cannot see inside SECURITY
-- DEFINER functions): the two that were allowed, none of the refused ones.
SELECT results_eq($$SELECT table_name, count(*) FROM ticket.audit_log
                     WHERE acting_role = 'hostile_portal' AND operation = 'READ' GROUP BY 1 ORDER BY 1$$,
                  $$VALUES ('fse.portal_prescriptions'::text, 1::bigint), ('fse.portal_status', 1)$$,
                  'the audit log: the portal''s allowed reads, not the refused ones');
SELECT results_eq(format($$SELECT row_key::text COLLATE "default", new_row ->> 'on_date' FROM ticket.audit_log
                            WHERE acting_role = 'hostile_gp1' AND operation = 'READ' AND table_name = 'fse.status'
                              AND row_key IN ('%s', '%s') ORDER BY audit_id$$, :'mario', :'elena'),
                  format($$VALUES ('%1$s'::text, '2015-08-01'::text), ('%1$s', '2015-08-01')$$, :'mario'),
                  'the audit log: the GP''s two fse.status reads of a patient are recorded, the refused one of a non-patient is not');
SET LOCAL ROLE hostile_cup_bo;
SELECT throws_ok('SELECT count(*) FROM ticket.audit_log', '42501', 'permission denied for table audit_log',
                 'a CUP operator reads the audit log (42501)');
SELECT throws_ok('UPDATE ticket.audit_log SET acting_role = ''nobody''', '42501', 'permission denied for table audit_log',
                 'a CUP operator rewrites the audit log (42501)');
SELECT throws_ok('DELETE FROM ticket.audit_log', '42501', 'permission denied for table audit_log',
                 'a CUP operator deletes the audit log (42501)');
SELECT throws_ok('INSERT INTO ticket.audit_log (table_name, operation, row_key, new_row) VALUES (''x'', ''INSERT'', ''1'', ''{}'')',
                 '42501', 'permission denied for table audit_log', 'a CUP operator forges an audit row (42501)');
SET LOCAL ROLE hostile_gp1;
SELECT throws_ok('SELECT count(*) FROM ticket.audit_log', '42501', 'permission denied for table audit_log',
                 'a GP reads the audit log (42501)');
RESET ROLE;
SELECT count(*) AS n_audit FROM ticket.audit_log \gset
SELECT throws_ok('DELETE FROM ticket.audit_log', 'TK018', 'the audit log is append-only', 'the superuser deletes the audit log (TK018)');
SELECT throws_ok('UPDATE ticket.audit_log SET acting_role = ''nobody''', 'TK018', 'the audit log is append-only',
                 'the superuser rewrites the audit log (TK018)');
SELECT throws_ok('TRUNCATE ticket.audit_log', 'TK018', 'the audit log is append-only', 'the superuser truncates the audit log (TK018)');
SELECT is((SELECT count(*) FROM ticket.audit_log), :n_audit::bigint, '... every audit row is still there');
SET LOCAL ROLE hostile_auditor;
SELECT is((SELECT count(*) FROM ticket.audit_log), :n_audit::bigint, 'the auditor reads the whole audit log');
SELECT throws_ok('DELETE FROM ticket.audit_log', '42501', 'permission denied for table audit_log',
                 'the auditor deletes the audit log (42501)');
SELECT throws_ok('SELECT count(*) FROM cup.booking', '42501', 'permission denied for schema cup',
                 'the auditor reads the bookings (42501)');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
