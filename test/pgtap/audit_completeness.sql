-- test/pgtap/audit_completeness.sql
--
-- 1.2: every write to health data, money, the rules and the bindings leaves
-- exactly the audit rows it should, with the role that caused it, also when
-- the extension's own triggers make the write (a death cancels bookings).
-- Each write is made as a role a DBA would create, a member of a shipped
-- role; the audit rows of each step are compared whole (table, operation,
-- key, acting role), so a missing row, an extra row or a wrong key fails.
--
-- Assumes CREATE EXTENSION ticket CASCADE and pgtap, run as a superuser.
-- Run: pg_prove -d DB test/pgtap/audit_completeness.sql

\set ON_ERROR_STOP 1
BEGIN;
\ir ../fixtures/birthplaces.sql
SET LOCAL search_path = ticket, public;
SET LOCAL TimeZone = 'UTC';
SET LOCAL lc_messages = 'C';

SELECT plan(16);

CREATE ROLE audit_registry NOLOGIN IN ROLE ticket_registry_operator;
CREATE ROLE audit_cup NOLOGIN IN ROLE ticket_cup_operator;
CREATE ROLE audit_gp NOLOGIN IN ROLE ticket_gp;
CREATE ROLE audit_rules NOLOGIN IN ROLE ticket_rules_admin;
INSERT INTO registry.gp (gp_code, fiscal_code, surname, given_name, asl_code) VALUES
    ('GPBO1', ticket.fiscal_code_encode('Bianchi', 'Luca', 'M', '1960-02-03', 'A944'), 'Bianchi', 'Luca', '080105'),
    ('GPBO2', ticket.fiscal_code_encode('Verdi', 'Carla', 'F', '1962-04-05', 'A944'), 'Verdi', 'Carla', '080105');
INSERT INTO ticket.role_binding (role_name, asl_code, gp_code) VALUES
    ('audit_cup', '080105', NULL), ('audit_gp', NULL, 'GPBO1');
GRANT USAGE ON SEQUENCE registry.household_id_seq TO audit_registry;

SELECT ticket.fiscal_code_encode('Rossi', 'Mario', 'M', '1970-05-10', 'A944') AS mario,
       ticket.fiscal_code_encode('Rossi', 'Teo', 'M', '2015-02-02', 'A944') AS teo \gset

-- The audit rows written since the last call, as (table, operation, key, acting role).
CREATE TEMP TABLE seen (audit_id bigint);
INSERT INTO seen SELECT coalesce(max(audit_id), 0) FROM ticket.audit_log;
CREATE FUNCTION pg_temp.audit_since() RETURNS TABLE (table_name text, operation text, row_key text, acting_role name)
LANGUAGE sql AS $$
    SELECT a.table_name, a.operation, a.row_key, a.acting_role FROM ticket.audit_log a
     WHERE a.audit_id > (SELECT max(s.audit_id) FROM seen s) ORDER BY a.audit_id $$;
CREATE FUNCTION pg_temp.next_step() RETURNS void LANGUAGE sql AS $$
    INSERT INTO seen SELECT coalesce(max(audit_id), 0) FROM ticket.audit_log $$;

-- 1. Registry: citizens, the GP, a household, a guardian.
SET LOCAL ROLE audit_registry;
INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl, gp_code)
VALUES (:'mario', 'Rossi', 'Mario', 'M', '1970-05-10', 'A944', '080105', 'GPBO1'),
       (:'teo', 'Rossi', 'Teo', 'M', '2015-02-02', 'A944', '080105', 'GPBO1');
RESET ROLE;
SELECT results_eq('SELECT * FROM pg_temp.audit_since()',
                  format($$VALUES ('registry.citizen', 'INSERT', %L, 'audit_registry'::name),
                                  ('registry.citizen', 'INSERT', %L, 'audit_registry'::name)$$, :'mario', :'teo'),
                  'two citizens registered: two INSERT rows, by the registry operator');
SELECT pg_temp.next_step();

SET LOCAL ROLE audit_registry;
UPDATE registry.citizen SET gp_code = 'GPBO2' WHERE fiscal_code = :'teo';
RESET ROLE;
SELECT results_eq('SELECT * FROM pg_temp.audit_since()',
                  format($$VALUES ('registry.citizen', 'UPDATE', %L, 'audit_registry'::name)$$, :'teo'),
                  'a paediatrician assigned: one UPDATE row');
SELECT is((SELECT (old_row ->> 'gp_code') || ' -> ' || (new_row ->> 'gp_code') FROM ticket.audit_log
            ORDER BY audit_id DESC LIMIT 1), 'GPBO1 -> GPBO2', '... with the GP before and after');
SELECT pg_temp.next_step();

SET LOCAL ROLE audit_registry;
WITH h AS (INSERT INTO registry.household DEFAULT VALUES RETURNING household_id)
INSERT INTO registry.household_member (fiscal_code, household_id, relation)
SELECT :'mario', h.household_id, 'declarant' FROM h;
INSERT INTO registry.guardian VALUES (:'teo', :'mario', '[2020-01-01,)');
RESET ROLE;
SELECT results_eq($$SELECT table_name, operation, acting_role FROM pg_temp.audit_since()$$,
                  $$VALUES ('registry.household', 'INSERT', 'audit_registry'::name),
                           ('registry.household_member', 'INSERT', 'audit_registry'::name),
                           ('registry.guardian', 'INSERT', 'audit_registry'::name)$$,
                  'a household, its declarant and a guardian: one INSERT row each');
SELECT is((SELECT row_key FROM ticket.audit_log WHERE table_name = 'registry.guardian' ORDER BY audit_id DESC LIMIT 1),
          format('%s/%s/[2020-01-01,)', :'teo', :'mario'), '... the guardian keyed by its three key columns');
SELECT pg_temp.next_step();

-- 2. A prescription, a booking, a move and a cancellation.
SET LOCAL ROLE audit_gp;
SELECT (fse.prescribe('080000000000001', :'mario', 'GPBO1', ARRAY['88.74.1'], NULL, '2015-05-01')).nre AS rx1,
       (fse.prescribe('080000000000002', :'mario', 'GPBO1', ARRAY['88.74.1'], NULL, '2015-05-01')).nre AS rx2 \gset
RESET ROLE;
SELECT results_eq($$SELECT table_name, operation, row_key, acting_role FROM pg_temp.audit_since()$$,
                  $$VALUES ('fse.prescription', 'INSERT', '080000000000001', 'audit_gp'::name),
                           ('fse.prescription', 'INSERT', '080000000000002', 'audit_gp'::name)$$,
                  'two prescriptions: one INSERT row each, by the GP');
SELECT pg_temp.next_step();

SET LOCAL ROLE audit_cup;
SELECT (cup.book(:'rx1', '2015-06-10')).booking_id AS b1, (cup.book(:'rx2', '2015-06-12')).booking_id AS b2 \gset
SELECT cup.move(:b1, '2015-06-20') IS NOT NULL AS moved \gset
SELECT cup.cancel(:b1, 'the patient called') IS NOT NULL AS cancelled \gset
RESET ROLE;
SELECT results_eq($$SELECT table_name, operation, row_key, acting_role FROM pg_temp.audit_since()$$,
                  format($$VALUES ('cup.booking', 'INSERT', %L, 'audit_cup'::name),
                                  ('cup.booking', 'INSERT', %L, 'audit_cup'::name),
                                  ('cup.booking', 'UPDATE', %L, 'audit_cup'::name),
                                  ('cup.booking', 'UPDATE', %L, 'audit_cup'::name)$$, :b1, :b2, :b1, :b1),
                  'two bookings, a move, a cancellation: two INSERT and two UPDATE rows, by the CUP operator');
SELECT pg_temp.next_step();

-- 3. A death (the extension cancels the open booking), then its correction.
SET LOCAL ROLE audit_registry;
UPDATE registry.citizen SET death_date = '2015-06-01' WHERE fiscal_code = :'mario';
RESET ROLE;
SELECT results_eq($$SELECT table_name, operation, row_key, acting_role FROM pg_temp.audit_since() ORDER BY 1$$,
                  format($$VALUES ('cup.booking', 'UPDATE', %L, 'audit_registry'::name),
                                  ('registry.citizen', 'UPDATE', %L, 'audit_registry'::name)$$, :b2, :'mario'),
                  'a death: the citizen''s UPDATE row and the cancelled booking''s, both by the registry operator');
SELECT is((SELECT new_row ->> 'status' FROM ticket.audit_log WHERE table_name = 'cup.booking' ORDER BY audit_id DESC LIMIT 1),
          'cancelled', '... the booking row says cancelled');
SELECT pg_temp.next_step();
SET LOCAL ROLE audit_registry;
UPDATE registry.citizen SET death_date = NULL WHERE fiscal_code = :'mario';
RESET ROLE;
SELECT results_eq($$SELECT table_name, operation, row_key, acting_role FROM pg_temp.audit_since()$$,
                  format($$VALUES ('registry.citizen', 'UPDATE', %L, 'audit_registry'::name)$$, :'mario'),
                  'a death undone: the citizen''s UPDATE row');
SELECT pg_temp.next_step();

-- 4. The rules: a regime of the administrator's, changed and discarded.
SET LOCAL ROLE audit_rules;
INSERT INTO ticket.regime (regime_id, effective_from, legal_reference, description)
VALUES ('AUDIT-2030', '2030-01-01', 'test', 'a regime written by the rules administrator');
UPDATE ticket.regime SET description = 'changed' WHERE regime_id = 'AUDIT-2030';
DELETE FROM ticket.regime WHERE regime_id = 'AUDIT-2030';
RESET ROLE;
SELECT results_eq($$SELECT table_name, operation, row_key, acting_role FROM pg_temp.audit_since()$$,
                  $$VALUES ('ticket.regime', 'INSERT', 'AUDIT-2030', 'audit_rules'::name),
                           ('ticket.regime', 'UPDATE', 'AUDIT-2030', 'audit_rules'::name),
                           ('ticket.regime', 'DELETE', 'AUDIT-2030', 'audit_rules'::name)$$,
                  'a rule row inserted, changed and deleted: three rows, by the rules administrator');
SELECT pg_temp.next_step();

-- 5. A binding (the DBA's write) and a key that changes.
INSERT INTO ticket.role_binding (role_name, asl_code) VALUES ('audit_someone', '080105');
UPDATE ticket.role_binding SET role_name = 'audit_someone_else' WHERE role_name = 'audit_someone';
SELECT results_eq($$SELECT table_name, operation, row_key FROM pg_temp.audit_since()$$,
                  $$VALUES ('ticket.role_binding', 'INSERT', 'audit_someone'),
                           ('ticket.role_binding', 'DELETE', 'audit_someone'),
                           ('ticket.role_binding', 'INSERT', 'audit_someone_else')$$,
                  'a binding written, then its key changed: recorded as the old row''s DELETE and the new row''s INSERT');
SELECT pg_temp.next_step();

-- 6. A re-pricing by the network's propagation is audited (1.3: a lean
-- row, the key and the bill), by the writer of the declaration; a payment
-- is a whole row.
SET LOCAL ROLE audit_gp;
SELECT (fse.prescribe('080000000000003', :'mario', 'GPBO1', ARRAY['88.74.1'], NULL, '2015-06-02')).nre AS rx3 \gset
SET LOCAL ROLE audit_cup;
SELECT (cup.book(:'rx3', '2015-07-01')).booking_id AS b3 \gset
RESET ROLE;
SELECT to_jsonb(b.bill) AS bill3_before, b.amount AS amount3_before, b.priced_at AS priced3_before FROM cup.booking b WHERE b.booking_id = :b3 \gset
SELECT pg_temp.next_step();
SET LOCAL ROLE audit_registry;
SELECT registry.self_certify(:'mario', 'RE1', 'cup_desk', NULL, '2015-06-02', signed_at => '2015-06-02') IS NOT NULL AS d \gset
RESET ROLE;
SELECT results_eq($$SELECT table_name, operation, row_key, acting_role FROM pg_temp.audit_since() WHERE table_name = 'cup.booking'$$,
                  format($$VALUES ('cup.booking', 'UPDATE', %L, 'audit_registry'::name)$$, :b3),
                  'a declaration re-prices the open booking: one booking UPDATE row, by the registry operator');
SELECT results_eq(format($$SELECT a.old_row, a.new_row FROM ticket.audit_log a
                            WHERE a.audit_id > (SELECT max(s.audit_id) FROM seen s) AND a.table_name = 'cup.booking'$$),
                  format($$SELECT jsonb_build_object('booking_id', b.booking_id, 'bill', %L::jsonb, 'amount', %s::numeric,
                                                     'priced_at', %L::timestamptz),
                                  jsonb_build_object('booking_id', b.booking_id, 'bill', b.bill, 'amount', b.amount,
                                                     'priced_at', b.priced_at)
                             FROM cup.booking b WHERE b.booking_id = %s$$,
                         :'bill3_before', :amount3_before, :'priced3_before', :b3),
                  '... a lean row: the key, the bill before and after, its amount and pricing time (nothing else of the booking)');
SELECT pg_temp.next_step();
SET LOCAL ROLE audit_cup;
SELECT cup.pay(:b3) IS NOT NULL AS paid \gset
RESET ROLE;
SELECT results_eq($$SELECT table_name, operation, row_key FROM pg_temp.audit_since()$$,
                  format($$VALUES ('cup.booking', 'UPDATE', %L)$$, :b3),
                  'a payment: one UPDATE row');
SELECT is((SELECT count(*) FROM ticket.audit_log WHERE session_role <> session_user), 0::bigint,
          'every audit row names the session''s login');

SELECT * FROM finish();
ROLLBACK;
