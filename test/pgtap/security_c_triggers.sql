-- test/pgtap/security_c_triggers.sql
--
-- 1.2, the C triggers under attack (issue 14): each runs as the owner, so
-- each checks where it fired before it reads anything.
--   1. every C trigger function attached to a look-alike TEMP table (its
--      table's column names, every column bigint or text) and fired by
--      every event: 39P01, the backend alive;
--   2. every C trigger function on its own table with the wrong timing or
--      level or event: 39P01;
--   3. ticket.trigger_expects, the same check for PL/pgSQL triggers: passes
--      for a matching firing, 39P01 for each kind of mismatch and outside a
--      trigger;
--   4. a column of a real table altered to another type: 42804, naming the
--      column and both types, the backend alive; an index the C readers
--      scan recreated, under its name, on another table: 55000 (its row
--      pointers are not the table's);
--   5. NOTIFY ticket_event (through dblink sessions, which commit): an event
--      of a rolled-back savepoint is never the payload, and a transaction
--      whose events were all rolled back sends none.
-- Everything but the committed events of 5 (deleted at its end) goes with
-- the ROLLBACK.
--
-- Assumes CREATE EXTENSION ticket CASCADE and pgtap, run as a superuser
-- over TCP or a socket that dblink can reach without a password.
-- Run: pg_prove -d DB test/pgtap/security_c_triggers.sql

\set ON_ERROR_STOP 1
BEGIN;
SET LOCAL search_path = ticket, public;
SET LOCAL lc_messages = 'C';

SELECT plan(57);

SELECT pg_backend_pid() AS pid, pg_postmaster_start_time() AS started \gset

-- A look-alike of a table: the same column names, all of one type, one row,
-- and the function attached for every event (row level; TRUNCATE is a
-- statement event).
CREATE FUNCTION pg_temp.lookalike(name text, model regclass, coltype text, fn text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE TEMP TABLE %I (%s)', name,
                   (SELECT string_agg(format('%I %s', attname, coltype), ', ' ORDER BY attnum)
                      FROM pg_attribute WHERE attrelid = model AND attnum > 0 AND NOT attisdropped));
    EXECUTE format('INSERT INTO %I DEFAULT VALUES', name);
    EXECUTE format('CREATE TRIGGER r BEFORE INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION %s()', name, fn);
    EXECUTE format('CREATE TRIGGER a AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION %s()', name, fn);
    EXECUTE format('CREATE TRIGGER t BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION %s()', name, fn);
END
$$;

-- 1. look-alikes: every event of every C trigger function, 39P01
SELECT pg_temp.lookalike('fake_booking', 'cup.booking', 'bigint', 'cup.booking_before_insert');
SELECT pg_temp.lookalike('fake_booking_text', 'cup.booking', 'text', 'cup.booking_before_insert');
SELECT pg_temp.lookalike('fake_prescription', 'fse.prescription', 'bigint', 'fse.prescription_before_insert');
SELECT pg_temp.lookalike('fake_event', 'ticket.event', 'text', 'ticket.event_notify');
SELECT pg_temp.lookalike('fake_regime', 'ticket.regime', 'bigint', 'ticket.rules_changed');
SELECT pg_temp.lookalike('fake_service', 'ticket.service', 'bigint', 'ticket.protect_shipped_rows');

SELECT throws_ok(format('%s fake_booking %s', verb, rest), '39P01', NULL,
                 format('cup.booking_before_insert on a bigint look-alike, %s: 39P01', verb))
  FROM (VALUES ('INSERT INTO', 'DEFAULT VALUES'), ('UPDATE', 'SET status = 2'), ('DELETE FROM', ''),
               ('TRUNCATE', '')) AS e(verb, rest);
SELECT throws_ok('INSERT INTO fake_booking (status) VALUES (2)', '39P01',
                 'trigger function cup.booking_before_insert fired BEFORE ROW INSERT on '
                 || pg_my_temp_schema()::regnamespace || '.fake_booking; it is written for BEFORE ROW INSERT on cup.booking',
                 'the message names what fired and what the function is written for');
SELECT throws_ok(format('%s fake_booking_text %s', verb, rest), '39P01', NULL,
                 format('cup.booking_before_insert on a text look-alike, %s: 39P01', verb))
  FROM (VALUES ('INSERT INTO', 'DEFAULT VALUES'), ('UPDATE', 'SET status = ''paid'''), ('DELETE FROM', ''),
               ('TRUNCATE', '')) AS e(verb, rest);
SELECT throws_ok(format('%s fake_prescription %s', verb, rest), '39P01', NULL,
                 format('fse.prescription_before_insert on a look-alike, %s: 39P01', verb))
  FROM (VALUES ('INSERT INTO', 'DEFAULT VALUES'), ('UPDATE', 'SET nre = 1'), ('DELETE FROM', ''),
               ('TRUNCATE', '')) AS e(verb, rest);
SELECT throws_ok(format('%s fake_event %s', verb, rest), '39P01', NULL,
                 format('ticket.event_notify on a look-alike, %s: 39P01', verb))
  FROM (VALUES ('INSERT INTO', 'DEFAULT VALUES'), ('UPDATE', 'SET event_id = ''1'''), ('DELETE FROM', ''),
               ('TRUNCATE', '')) AS e(verb, rest);
SELECT throws_ok(format('%s fake_regime %s', verb, rest), '39P01', NULL,
                 format('ticket.rules_changed on a look-alike, %s: 39P01', verb))
  FROM (VALUES ('INSERT INTO', 'DEFAULT VALUES'), ('UPDATE', 'SET shipped = 1'), ('DELETE FROM', ''),
               ('TRUNCATE', '')) AS e(verb, rest);
SELECT throws_ok(format('%s fake_service %s', verb, rest), '39P01', NULL,
                 format('ticket.protect_shipped_rows on a look-alike, %s: 39P01', verb))
  FROM (VALUES ('INSERT INTO', 'DEFAULT VALUES'), ('UPDATE', 'SET shipped = 1'), ('DELETE FROM', ''),
               ('TRUNCATE', '')) AS e(verb, rest);

SELECT is(pg_backend_pid(), :pid, 'the backend is the same after the look-alikes');
SELECT is(pg_postmaster_start_time(), :'started'::timestamptz, 'the server did not restart');

-- 2. the right table, the wrong firing (statement triggers fire for no row)
CREATE TRIGGER wrong AFTER INSERT ON cup.booking FOR EACH STATEMENT EXECUTE FUNCTION cup.booking_before_insert();
SELECT throws_ok('INSERT INTO cup.booking (nre) SELECT nre FROM cup.booking WHERE false', '39P01',
                 'trigger function cup.booking_before_insert fired AFTER STATEMENT INSERT on cup.booking; it is written for BEFORE ROW INSERT on cup.booking',
                 'cup.booking_before_insert AFTER STATEMENT on cup.booking: 39P01');
DROP TRIGGER wrong ON cup.booking;
CREATE TRIGGER wrong BEFORE INSERT ON cup.booking FOR EACH STATEMENT EXECUTE FUNCTION cup.booking_before_insert();
SELECT throws_ok('INSERT INTO cup.booking (nre) SELECT nre FROM cup.booking WHERE false', '39P01', NULL,
                 'cup.booking_before_insert BEFORE STATEMENT (the right timing and event): 39P01');
DROP TRIGGER wrong ON cup.booking;
CREATE TRIGGER wrong BEFORE UPDATE ON fse.prescription FOR EACH STATEMENT EXECUTE FUNCTION fse.prescription_before_insert();
SELECT throws_ok('UPDATE fse.prescription SET priority = priority WHERE false', '39P01', NULL,
                 'fse.prescription_before_insert BEFORE STATEMENT UPDATE on fse.prescription: 39P01');
DROP TRIGGER wrong ON fse.prescription;
-- (created in the statement throws_ok runs, so that no lock on ticket.event
-- outlives it: the dblink sessions of 5 insert events)
SELECT throws_ok('CREATE TRIGGER wrong AFTER DELETE ON ticket.event FOR EACH STATEMENT EXECUTE FUNCTION ticket.event_notify();
                  DELETE FROM ticket.event WHERE false', '39P01', NULL,
                 'ticket.event_notify AFTER STATEMENT DELETE on ticket.event: 39P01');
CREATE TRIGGER wrong BEFORE UPDATE ON ticket.regime FOR EACH STATEMENT EXECUTE FUNCTION ticket.rules_changed();
SELECT throws_ok('UPDATE ticket.regime SET legal_reference = legal_reference WHERE false', '39P01', NULL,
                 'ticket.rules_changed BEFORE STATEMENT UPDATE on ticket.regime: 39P01');
DROP TRIGGER wrong ON ticket.regime;
CREATE TRIGGER wrong AFTER UPDATE ON ticket.service FOR EACH STATEMENT EXECUTE FUNCTION ticket.protect_shipped_rows();
SELECT throws_ok('UPDATE ticket.service SET branch = branch WHERE false', '39P01', NULL,
                 'ticket.protect_shipped_rows AFTER STATEMENT UPDATE on ticket.service: 39P01');
DROP TRIGGER wrong ON ticket.service;
CREATE TRIGGER wrong AFTER INSERT ON registry.citizen FOR EACH STATEMENT EXECUTE FUNCTION ticket.rules_changed();
SELECT throws_ok('INSERT INTO registry.citizen SELECT * FROM registry.citizen WHERE false', '39P01', NULL,
                 'ticket.rules_changed with its own firing on a table that is not a rule table: 39P01');
DROP TRIGGER wrong ON registry.citizen;

-- 3. ticket.trigger_expects
SELECT lives_ok($$SELECT trigger_expects('t', 'cup.booking'::regclass, 'BEFORE', 'ROW', 'INSERT',
                                         '{cup.booking}', '{"BEFORE ROW INSERT"}')$$,
                'trigger_expects passes for a matching firing');
SELECT lives_ok($$SELECT trigger_expects('t', 'fse.prescription'::regclass, 'AFTER', 'STATEMENT', 'TRUNCATE',
                                         '{cup.booking,fse.prescription}', '{"BEFORE ROW INSERT","after statement truncate"}')$$,
                'trigger_expects passes for any listed table and firing');
SELECT throws_ok($$SELECT trigger_expects('t', 'cup.booking'::regclass, 'BEFORE', 'ROW', 'INSERT',
                                          '{fse.prescription}', '{"BEFORE ROW INSERT"}')$$, '39P01',
                 'trigger t fired BEFORE ROW INSERT on cup.booking; its function is written for BEFORE ROW INSERT on fse.prescription',
                 'trigger_expects: another table, 39P01');
SELECT throws_ok(format($$SELECT trigger_expects('t', 'cup.booking'::regclass, %L, %L, %L,
                                                 '{cup.booking}', '{"BEFORE ROW INSERT"}')$$, w, l, o), '39P01', NULL,
                 format('trigger_expects: %s %s %s for BEFORE ROW INSERT, 39P01', w, l, o))
  FROM (VALUES ('AFTER', 'ROW', 'INSERT'), ('INSTEAD OF', 'ROW', 'INSERT'), ('BEFORE', 'STATEMENT', 'INSERT'),
               ('BEFORE', 'ROW', 'UPDATE'), ('BEFORE', 'ROW', 'DELETE')) AS f(w, l, o);
SELECT throws_ok($$SELECT trigger_expects(NULL, NULL, NULL, NULL, NULL, '{cup.booking}', '{"BEFORE ROW INSERT"}')$$,
                 '39P01', 'ticket.trigger_expects was called outside a trigger',
                 'trigger_expects outside a trigger (NULL TG_ values): 39P01, not a NULL that passes');
SELECT throws_ok($$SELECT trigger_expects('t', 'cup.booking'::regclass, 'BEFORE', 'ROW', 'INSERT',
                                          '{cup.booking}', '{"BEFORE EACH ROW INSERT"}')$$,
                 '22023', 'invalid trigger firing "BEFORE EACH ROW INSERT"', 'trigger_expects: a malformed firing, 22023');
-- from a PL/pgSQL trigger function, as the extension's call it
CREATE TEMP TABLE expected_t (x int);
CREATE TEMP TABLE other_t (x int);
CREATE FUNCTION pg_temp.guarded() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   ARRAY[pg_my_temp_schema()::regnamespace || '.expected_t']::regclass[],
                                   '{"BEFORE ROW INSERT","BEFORE ROW UPDATE"}');
    RETURN NEW;
END
$$;
CREATE TRIGGER g BEFORE INSERT OR UPDATE OR DELETE ON expected_t FOR EACH ROW EXECUTE FUNCTION pg_temp.guarded();
CREATE TRIGGER g BEFORE INSERT ON other_t FOR EACH ROW EXECUTE FUNCTION pg_temp.guarded();
SELECT lives_ok('INSERT INTO expected_t VALUES (1); UPDATE expected_t SET x = 2',
                'a PL/pgSQL trigger calling trigger_expects: its table and firings pass');
SELECT throws_ok('DELETE FROM expected_t', '39P01', NULL, 'a PL/pgSQL trigger: another event, 39P01');
SELECT throws_ok('INSERT INTO other_t VALUES (1)', '39P01', NULL, 'a PL/pgSQL trigger: another table, 39P01');

-- 4. a column of a real table of another type: 42804, never a crash
-- (altered inside the statement throws_ok runs, which always fails, so the
-- ALTER is undone and no lock on ticket.event outlives it)
CREATE FUNCTION pg_temp.with_altered(alter_sql text, statement text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE alter_sql;
    EXECUTE statement;
    RAISE EXCEPTION 'no error from the altered table';
END
$$;
SELECT throws_ok($$SELECT pg_temp.with_altered('ALTER TABLE ticket.event ALTER COLUMN event_id TYPE integer',
                   $s$INSERT INTO ticket.event (kind, subject, fiscal_code, payload)
                   VALUES ('booked', 'x', ticket.fiscal_code_encode('Rossi', 'Mario', 'M', '1980-01-01', 'A944'), '{}')$s$)$$,
                 '42804', 'column event_id of table ticket.event is of type integer, not bigint',
                 'ticket.event.event_id altered to integer: 42804 from the NOTIFY trigger');
SELECT throws_ok($$SELECT pg_temp.with_altered('ALTER TABLE cup.booking ALTER COLUMN priced_at TYPE timestamp',
                   $s$INSERT INTO cup.booking (nre, service_date) VALUES ('080000000000001', '2020-01-01')$s$)$$,
                 '42804', 'column priced_at of table cup.booking is of type timestamp without time zone, not timestamp with time zone',
                 'cup.booking.priced_at altered: 42804 from the booking trigger');
SELECT throws_ok($$SELECT pg_temp.with_altered('ALTER TABLE ticket.service ALTER COLUMN shipped DROP DEFAULT,
                       ALTER COLUMN shipped TYPE bigint USING shipped::int',
                   'UPDATE ticket.service SET branch = branch WHERE shipped = 1')$$, '42804',
                 'column shipped of table ticket.service is of type bigint, not boolean',
                 'ticket.service.shipped altered to bigint: 42804 from protect_shipped_rows');
SELECT throws_ok($$SELECT pg_temp.with_altered('DROP INDEX registry.exemption_grant_citizen_idx;
                       CREATE INDEX exemption_grant_citizen_idx ON registry.declaration (fiscal_code)',
                   $s$SELECT ticket.citizen_status(ticket.fiscal_code_encode('Rossi', 'Mario', 'M', '1980-01-01', 'A944'), '2020-01-01')$s$)$$,
                 '55000', 'index registry.exemption_grant_citizen_idx is not an index of registry.exemption_grant',
                 'the exemption grants'' index recreated on registry.declaration: 55000 from ticket.citizen_status');
SELECT is(pg_backend_pid(), :pid, 'the backend is the same after the altered columns and index');

-- 5. NOTIFY: only committed events (dblink: LISTEN is per session)
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT format('host=%s port=%s dbname=%s user=%s', coalesce(host(inet_server_addr()), current_setting('unix_socket_directories')),
              current_setting('port'), current_database(), current_user) AS conninfo \gset
SELECT dblink_connect('listener', :'conninfo');
SELECT dblink_connect('writer', :'conninfo');
SELECT dblink_exec('listener', 'LISTEN ticket_event');
CREATE TEMP TABLE sent (event_id bigint);
CREATE FUNCTION pg_temp.new_event() RETURNS bigint LANGUAGE sql AS $$
    SELECT id FROM dblink('writer', $q$INSERT INTO ticket.event (kind, subject, fiscal_code, payload)
        VALUES ('booked', 'security_c_triggers', ticket.fiscal_code_encode('Rossi', 'Mario', 'M', '1980-01-01', 'A944'), '{}')
        RETURNING event_id$q$) AS t(id bigint)
$$;
-- the notifications the listener has received by now
CREATE FUNCTION pg_temp.received() RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_sleep(0.3);
    PERFORM * FROM dblink('listener', 'SELECT 1') AS t(x int);
    RETURN QUERY SELECT extra FROM dblink_get_notify('listener') WHERE notify_name = 'ticket_event';
END
$$;
SELECT count(*) FROM pg_temp.received();	-- drain

-- (a) kept, then one in a savepoint rolled back: the payload is the kept one
SELECT dblink_exec('writer', 'BEGIN');
INSERT INTO sent SELECT pg_temp.new_event();
SELECT dblink_exec('writer', 'SAVEPOINT s');
INSERT INTO sent SELECT pg_temp.new_event();
SELECT dblink_exec('writer', 'ROLLBACK TO SAVEPOINT s');
SELECT dblink_exec('writer', 'COMMIT');
SELECT results_eq('SELECT * FROM pg_temp.received()',
                  format('VALUES (%L::text)', (SELECT min(event_id) FROM sent)),
                  'NOTIFY announces the kept event, not the one of the rolled-back savepoint');
-- a released savepoint keeps its events
SELECT dblink_exec('writer', 'BEGIN');
SELECT dblink_exec('writer', 'SAVEPOINT s');
INSERT INTO sent SELECT pg_temp.new_event();
SELECT dblink_exec('writer', 'RELEASE SAVEPOINT s');
SELECT dblink_exec('writer', 'COMMIT');
SELECT results_eq('SELECT * FROM pg_temp.received()',
                  format('VALUES (%L::text)', (SELECT max(event_id) FROM sent)),
                  'NOTIFY announces an event of a released savepoint');
-- (b) every event rolled back to a savepoint: no NOTIFY
SELECT dblink_exec('writer', 'BEGIN');
SELECT dblink_exec('writer', 'SAVEPOINT s');
INSERT INTO sent SELECT pg_temp.new_event();
SELECT dblink_exec('writer', 'ROLLBACK TO SAVEPOINT s');
SELECT dblink_exec('writer', 'COMMIT');
SELECT is((SELECT count(*) FROM pg_temp.received()), 0::bigint,
          'a transaction whose events were all rolled back to a savepoint sends no NOTIFY');
-- and one whose event was undone by a PL/pgSQL exception block
SELECT dblink_exec('writer', $q$DO $d$ BEGIN
    INSERT INTO ticket.event (kind, subject, fiscal_code, payload)
        VALUES ('booked', 'security_c_triggers', ticket.fiscal_code_encode('Rossi', 'Mario', 'M', '1980-01-01', 'A944'), '{}');
    RAISE EXCEPTION 'undo';
EXCEPTION WHEN raise_exception THEN NULL;
END $d$$q$);
SELECT is((SELECT count(*) FROM pg_temp.received()), 0::bigint,
          'an event undone by an exception block sends no NOTIFY');

SELECT dblink_exec('writer', format('DELETE FROM ticket.event WHERE event_id IN (%s)',
                                    (SELECT string_agg(event_id::text, ',') FROM sent)));
SELECT dblink_disconnect('writer');
SELECT dblink_disconnect('listener');

SELECT is(pg_backend_pid(), :pid, 'the backend is the same at the end');

SELECT * FROM finish();
ROLLBACK;
