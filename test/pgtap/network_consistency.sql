-- test/pgtap/network_consistency.sql
--
-- The network (0.3), ticket.check_consistency(): empty on a healthy
-- database; each invariant broken on purpose (the guarding triggers bypassed
-- with session_replication_role = replica, or a constraint dropped, inside
-- a savepoint that is rolled back) and the exact rows it reports.
--
-- pgTAP records its results in the transaction, so each break runs between
-- SAVEPOINT and ROLLBACK TO SAVEPOINT without any assertion; the report is
-- kept in a psql variable (\gset) and asserted after the rollback.
--
-- Assumes CREATE EXTENSION ticket CASCADE and pgtap (and a superuser: replica
-- mode).  Run: pg_prove -d DB test/pgtap/

\set ON_ERROR_STOP 1
BEGIN;
\ir ../fixtures/birthplaces.sql
SET search_path = ticket, public;

SELECT plan(20);

INSERT INTO registry.gp (gp_code, fiscal_code, surname, given_name, asl_code)
VALUES ('GP001', ticket.fiscal_code_encode('Bianchi', 'Luca', 'M', '1960-02-03', 'F257'),
        'Bianchi', 'Luca', '080105');

CREATE FUNCTION pg_temp.citizen(surname text, given_name text, sex text, birth_date date,
                                birthplace text DEFAULT 'A944')
RETURNS text LANGUAGE sql AS $$
    INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace,
                                  residence_asl, gp_code)
    VALUES (ticket.fiscal_code_encode(surname, given_name, sex, birth_date, birthplace),
            surname, given_name, sex, birth_date, birthplace, '080105', 'GP001')
    RETURNING fiscal_code::text $$;

-- The report as text, one line per row, in a fixed order.
CREATE FUNCTION pg_temp.report() RETURNS text
LANGUAGE sql AS $$
    SELECT coalesce(string_agg(invariant || ' | ' || subject, E'\n' ORDER BY invariant, subject), '')
      FROM ticket.check_consistency() $$;

SELECT pg_temp.citizen('Rossi', 'Mario', 'M', '1970-05-10') AS mario,
       pg_temp.citizen('Costa', 'Elena', 'F', '1965-08-08') AS elena,
       pg_temp.citizen('Lodi', 'Tina', 'F', '1982-02-02') AS tina,
       pg_temp.citizen('Greco', 'Ugo', 'M', '1966-06-06', 'H223') AS ugo \gset
SELECT (registry.self_certify(:'mario', 'RE2', 'cup_desk', 'op1', '2015-01-01', NULL, NULL, '2015-01-01')).declaration_id AS dm,
       (registry.self_certify(:'tina', 'RE1', 'cup_desk', 'op1', '2012-01-01', NULL, NULL, '2012-01-01')).declaration_id AS dt \gset
SELECT (registry.grant_exemption(:'elena', 'C01', '2015-01-01', 'asl_certificate', NULL, '2015-01-01')).grant_id AS ge \gset
SELECT (fse.prescribe('080000000000001', :'mario', 'GP001', ARRAY['88.74.1'], NULL, '2015-03-01')).nre AS rx1,
       (fse.prescribe('080000000000002', :'mario', 'GP001', ARRAY['88.74.1'], NULL, '2015-03-01')).nre AS rx2,
       (fse.prescribe('080000000000003', :'elena', 'GP001', ARRAY['89.52'], NULL, '2015-03-01')).nre AS rx3 \gset
SELECT (cup.book(:'rx1', '2015-03-10')).booking_id AS b_unpaid,
       (cup.book(:'rx2', '2015-03-11')).booking_id AS b_paid,
       (cup.book(:'rx3', '2015-03-12')).booking_id AS b_free \gset
SELECT (cup.pay(:b_paid)).status AS s1, (cup.complete(:b_free)).status AS s2 \gset

SELECT is(pg_temp.report(), '', 'check_consistency() is empty on a healthy database');

-- booking_price
SAVEPOINT brk;
SET LOCAL session_replication_role = replica;
UPDATE cup.booking SET bill = ticket.price(ARRAY['88.74.1'], 'RE1', NULL, '2015-03-10') WHERE booking_id = :b_unpaid;
SET LOCAL session_replication_role = origin;
SELECT pg_temp.report() AS got \gset
ROLLBACK TO SAVEPOINT brk;
SELECT is(:'got', 'booking_price | booking ' || :b_unpaid, 'an unpaid booking with a stale bill: booking_price');

-- booking_payment
SAVEPOINT brk;
SET LOCAL session_replication_role = replica;
UPDATE cup.booking SET paid_amount = paid_amount - 1 WHERE booking_id = :b_paid;
SET LOCAL session_replication_role = origin;
SELECT pg_temp.report() AS got \gset
ROLLBACK TO SAVEPOINT brk;
SELECT is(:'got', 'booking_payment | booking ' || :b_paid, 'a paid booking that did not pay its bill: booking_payment');

-- booking_prescription
SAVEPOINT brk;
SET LOCAL session_replication_role = replica;
UPDATE cup.booking SET service_date = '2015-02-28' WHERE booking_id = :b_paid;
SET LOCAL session_replication_role = origin;
SELECT pg_temp.report() AS got \gset
ROLLBACK TO SAVEPOINT brk;
SELECT is(:'got', 'booking_prescription | booking ' || :b_paid, 'a booking before its prescription: booking_prescription');

-- fse_profile: missing, different, orphan
SAVEPOINT brk;
DELETE FROM fse.profile WHERE fiscal_code = :'mario';
SELECT pg_temp.report() AS got \gset
ROLLBACK TO SAVEPOINT brk;
SELECT is(:'got', 'fse_profile | ' || :'mario', 'a missing FSE profile: fse_profile');

SAVEPOINT brk;
UPDATE fse.profile SET band = 'RE3' WHERE fiscal_code = :'mario';
SELECT pg_temp.report() AS got \gset
ROLLBACK TO SAVEPOINT brk;
SELECT is(:'got', 'fse_profile | ' || :'mario', 'an FSE profile showing another band: fse_profile');

SAVEPOINT brk;
UPDATE fse.profile SET exemptions = '{}' WHERE fiscal_code = :'elena';
SELECT pg_temp.report() AS got \gset
ROLLBACK TO SAVEPOINT brk;
SELECT is(:'got', 'fse_profile | ' || :'elena', 'an FSE profile missing an exemption: fse_profile');

SAVEPOINT brk;
INSERT INTO fse.profile (fiscal_code, band) VALUES (:'ugo', 'RE1');
SELECT pg_temp.report() AS got \gset
ROLLBACK TO SAVEPOINT brk;
SELECT is(:'got', 'fse_profile | ' || :'ugo', 'an FSE profile of a citizen with nothing on record: fse_profile');

-- prescription_boxes
SAVEPOINT brk;
SET LOCAL session_replication_role = replica;
UPDATE fse.prescription SET exemptions = '{}' WHERE nre = :'rx3';
SET LOCAL session_replication_role = origin;
SELECT pg_temp.report() AS got \gset
ROLLBACK TO SAVEPOINT brk;
SELECT is(:'got', 'prescription_boxes | prescription ' || :'rx3', 'an exemption box emptied: prescription_boxes');

-- declaration_overlap (and, the triggers being off, missing_event)
SAVEPOINT brk;
ALTER TABLE registry.declaration DROP CONSTRAINT declaration_no_overlap;
SET LOCAL session_replication_role = replica;
INSERT INTO registry.declaration (fiscal_code, band, declarant, channel, operator, applies_from, valid_until)
VALUES (:'tina', 'RE2', :'tina', 'cup_desk', 'op1', '2013-01-01', '2014-01-01');
SET LOCAL session_replication_role = origin;
SELECT pg_temp.report() AS got \gset
SELECT max(declaration_id) AS dnew FROM registry.declaration \gset
ROLLBACK TO SAVEPOINT brk;
SELECT is(:'got', 'declaration_overlap | ' || :'tina' || E'\nmissing_event | declaration ' || :dnew,
          'two declarations over the same dates: declaration_overlap (and missing_event)');

-- after_death
SAVEPOINT brk;
SET LOCAL session_replication_role = replica;
UPDATE registry.citizen SET death_date = '2015-03-05' WHERE fiscal_code = :'mario';
SET LOCAL session_replication_role = origin;
SELECT pg_temp.report() AS got \gset
ROLLBACK TO SAVEPOINT brk;
SELECT is(:'got', 'after_death | ' || :'mario', 'an unpaid booking after the death: after_death');

SAVEPOINT brk;
SET LOCAL session_replication_role = replica;
UPDATE registry.citizen SET death_date = '2015-03-01' WHERE fiscal_code = :'mario';
SET LOCAL session_replication_role = origin;
SELECT string_agg(detail, '; ' ORDER BY detail) AS got FROM ticket.check_consistency() WHERE invariant = 'after_death' \gset
ROLLBACK TO SAVEPOINT brk;
SELECT is(:'got', format('prescription %s on 2015-03-01, died 2015-03-01; prescription %s on 2015-03-01, died 2015-03-01; unpaid booking %s on 2015-03-10, died 2015-03-01',
                         :'rx1', :'rx2', :b_unpaid),
          'after_death names each prescription and unpaid booking from the day of death, not the paid booking');

-- fiscal_code_data
SAVEPOINT brk;
SET LOCAL session_replication_role = replica;
UPDATE registry.citizen SET given_name = 'Zeno' WHERE fiscal_code = :'ugo';
SET LOCAL session_replication_role = origin;
SELECT pg_temp.report() AS got \gset
ROLLBACK TO SAVEPOINT brk;
SELECT is(:'got', 'fiscal_code_data | ' || :'ugo', 'personal data no longer matching the code: fiscal_code_data');

-- orphan_event
SAVEPOINT brk;
INSERT INTO ticket.event (kind, subject, fiscal_code, payload) VALUES ('booked', '-1', :'mario', '{}')
RETURNING event_id AS orphan \gset
SELECT pg_temp.report() AS got \gset
ROLLBACK TO SAVEPOINT brk;
SELECT is(:'got', 'orphan_event | event ' || :orphan, 'an event about no booking: orphan_event');

SAVEPOINT brk;
INSERT INTO ticket.event (kind, subject, fiscal_code, payload) VALUES ('declaration', :'dm', :'tina', '{}')
RETURNING event_id AS orphan \gset
SELECT pg_temp.report() AS got \gset
ROLLBACK TO SAVEPOINT brk;
SELECT is(:'got', 'orphan_event | event ' || :orphan, 'an event about another citizen''s declaration: orphan_event');

-- missing_event
SAVEPOINT brk;
DELETE FROM ticket.event WHERE kind = 'declaration' AND subject = :'dm';
SELECT pg_temp.report() AS got \gset
ROLLBACK TO SAVEPOINT brk;
SELECT is(:'got', 'missing_event | declaration ' || :dm, 'a declaration without its outbox event: missing_event');

SAVEPOINT brk;
DELETE FROM fse.event WHERE kind = 'declaration' AND fiscal_code = :'tina';
SELECT pg_temp.report() AS got \gset
ROLLBACK TO SAVEPOINT brk;
SELECT is(:'got', 'missing_event | declaration ' || :dt, 'a declaration without its FSE event: missing_event');

SAVEPOINT brk;
DELETE FROM ticket.event WHERE kind = 'exemption_granted' AND subject = :'ge';
SELECT pg_temp.report() AS got \gset
ROLLBACK TO SAVEPOINT brk;
SELECT is(:'got', 'missing_event | grant ' || :ge, 'a grant without its outbox event: missing_event');

SAVEPOINT brk;
SELECT (registry.revoke_exemption(:ge, '2016-01-01', 'review', '2016-01-01')).grant_id AS rev \gset
DELETE FROM fse.event WHERE kind = 'exemption_revoked' AND fiscal_code = :'elena';
SELECT pg_temp.report() AS got \gset
ROLLBACK TO SAVEPOINT brk;
SELECT is(:'got', 'missing_event | grant ' || :ge, 'a revocation without its FSE event: missing_event');

SELECT is(pg_temp.report(), '', 'check_consistency() is empty again after every rollback');

SELECT * FROM finish();
ROLLBACK;
