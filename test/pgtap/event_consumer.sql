-- test/pgtap/event_consumer.sql
--
-- 1.2: the manual's consumer loop (LISTEN ticket_event, then
-- ticket.events_after until empty), run as a member of
-- ticket_event_consumer, the role shipped for GP software and CUP
-- integrations: a consumer bound to an ASL gets the events of that ASL's
-- residents and bookings, one bound to a GP those of its patients, one
-- bound to nothing an error (42501), and a CUP operator may not call it.
--
-- events_after delivers only the events of transactions older than every
-- running one in the cluster, so this suite holds no transaction open: it
-- runs without BEGIN, writes only in a scratch database (through dblink,
-- each statement committed), and drops that database and its roles at the
-- end.  Skipped with a reason when dblink is not installed.
--
-- Assumes CREATE EXTENSION ticket CASCADE and pgtap, run as a superuser.
-- Run: pg_prove -d DB test/pgtap/event_consumer.sql

\set ON_ERROR_STOP 1
SET search_path = ticket, public;
SET lc_messages = 'C';

SELECT plan(8);

SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'dblink') AS have_dblink \gset
\if :have_dblink
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT format('host=%s port=%s user=%s dbname=',
              coalesce(host(inet_server_addr()), split_part(current_setting('unix_socket_directories'), ',', 1)),
              current_setting('port'), current_user) AS conn,
       'ticket_pgtap_consumer_' || pg_backend_pid() AS scratch,
       'consumer_' || pg_backend_pid() AS r \gset
SELECT ticket.fiscal_code_encode('Rossi', 'Mario', 'M', '1970-05-10', 'A944') AS mario,
       ticket.fiscal_code_encode('Verdi', 'Anna', 'F', '1985-04-12', 'A944') AS anna,
       ticket.fiscal_code_encode('Costa', 'Elena', 'F', '1965-08-08', 'A944') AS elena \gset
SELECT dblink_connect('adm', :'conn' || current_database()) AS ok \gset
SELECT dblink_exec('adm', format('DROP DATABASE IF EXISTS %I', :'scratch')) AS ok \gset
SELECT dblink_exec('adm', format('CREATE DATABASE %I', :'scratch')) AS ok \gset
SELECT dblink_connect('w', :'conn' || :'scratch') AS ok \gset
SELECT dblink_exec('w', $$CREATE EXTENSION ticket CASCADE$$) AS ok \gset
SELECT dblink_exec('w', $$INSERT INTO ticket.birthplace (code, valid, name, name_ascii, alt_name, province, kind, istat_code, source)
                          VALUES ('A944', '[1937-12-06,)', 'BOLOGNA', 'BOLOGNA', NULL, 'BO', 'municipality', '037006', 'fixture')$$) AS ok \gset
-- Mario and Anna live in Bologna (080105), Mario is GP1's patient; Elena lives in Modena (080104).
SELECT dblink_exec('w', format($$INSERT INTO registry.gp (gp_code, fiscal_code, surname, given_name, asl_code)
                                 VALUES ('GP1', ticket.fiscal_code_encode('Bianchi', 'Luca', 'M', '1960-02-03', 'A944'),
                                         'Bianchi', 'Luca', '080105')$$)) AS ok \gset
SELECT dblink_exec('w', format($$INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl, gp_code)
                                 VALUES (%L, 'Rossi', 'Mario', 'M', '1970-05-10', 'A944', '080105', 'GP1'),
                                        (%L, 'Verdi', 'Anna', 'F', '1985-04-12', 'A944', '080105', NULL),
                                        (%L, 'Costa', 'Elena', 'F', '1965-08-08', 'A944', '080104', NULL)$$,
                               :'mario', :'anna', :'elena')) AS ok \gset
SELECT dblink_exec('w', format($$CREATE ROLE %I NOLOGIN IN ROLE ticket_event_consumer;
                                 CREATE ROLE %I NOLOGIN IN ROLE ticket_event_consumer;
                                 CREATE ROLE %I NOLOGIN IN ROLE ticket_event_consumer;
                                 CREATE ROLE %I NOLOGIN IN ROLE ticket_cup_operator;
                                 INSERT INTO ticket.role_binding (role_name, asl_code, gp_code)
                                 VALUES (%L, '080105', NULL), (%L, NULL, 'GP1'), (%L, '080105', NULL)$$,
                               :'r' || '_asl', :'r' || '_gp', :'r' || '_none', :'r' || '_cup',
                               :'r' || '_asl', :'r' || '_gp', :'r' || '_cup')) AS ok \gset
-- Three committed declarations, one per citizen.
SELECT dblink_exec('w', format($f$DO $d$ BEGIN
                                     PERFORM registry.self_certify(%L, 'RE1', 'fse_online', NULL, '2015-03-01');
                                     PERFORM registry.self_certify(%L, 'RE2', 'fse_online', NULL, '2015-03-01');
                                     PERFORM registry.self_certify(%L, 'RE3', 'fse_online', NULL, '2015-03-01');
                                 END $d$$f$,
                               :'mario', :'anna', :'elena')) AS ok \gset

-- Each consumer connects as itself (SET ROLE, as a login of that role would be).
SELECT dblink_connect('asl', :'conn' || :'scratch') AS ok, dblink_connect('gp', :'conn' || :'scratch') AS ok,
       dblink_connect('none', :'conn' || :'scratch') AS ok, dblink_connect('cup', :'conn' || :'scratch') AS ok \gset
SELECT dblink_exec('asl', format('SET ROLE %I', :'r' || '_asl')) AS ok, dblink_exec('gp', format('SET ROLE %I', :'r' || '_gp')) AS ok,
       dblink_exec('none', format('SET ROLE %I', :'r' || '_none')) AS ok, dblink_exec('cup', format('SET ROLE %I', :'r' || '_cup')) AS ok \gset

SELECT set_eq($$SELECT fc FROM dblink('asl', 'SELECT fiscal_code::text FROM ticket.events_after(0, 1000)') AS t(fc text)$$,
              format($$VALUES (%L), (%L)$$, :'mario', :'anna'),
              'a consumer bound to ASL 080105 reads the events of its residents, not of Modena''s');
SELECT set_eq($$SELECT fc FROM dblink('gp', 'SELECT fiscal_code::text FROM ticket.events_after(0, 1000)') AS t(fc text)$$,
              format($$VALUES (%L)$$, :'mario'),
              'a consumer bound to GP1 reads the events of its patient only');
SELECT throws_ok($$SELECT * FROM dblink('none', 'SELECT event_id FROM ticket.events_after(0, 1000)') AS t(id bigint)$$,
                 '42501', NULL, 'a consumer bound to nothing reads no event (42501)');
SELECT throws_ok($$SELECT * FROM dblink('cup', 'SELECT event_id FROM ticket.events_after(0, 1000)') AS t(id bigint)$$,
                 '42501', NULL, 'a CUP operator is no consumer (42501: no EXECUTE)');

-- The loop as the manual writes it, as the ASL's consumer: LISTEN, a new
-- committed event, the notification (a hint), then events_after from the
-- last id until empty.
SELECT (SELECT max(id) FROM dblink('asl', 'SELECT event_id FROM ticket.events_after(0, 1000)') AS t(id bigint)) AS last_id \gset
SELECT dblink_exec('asl', 'LISTEN ticket_event') AS ok \gset
SELECT dblink_exec('w', format($f$DO $d$ BEGIN PERFORM registry.self_certify(%L, 'RE3', 'fse_online', NULL, '2015-04-01'); END $d$$f$,
                               :'anna')) AS ok \gset
CREATE FUNCTION pg_temp.wait_notify(conn text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    got bigint;
BEGIN
    FOR i IN 1..100 LOOP          -- delivery is asynchronous: poll for up to 10 s
        PERFORM * FROM dblink(conn, 'SELECT 1') AS t(one int);
        SELECT count(*) INTO got FROM dblink_get_notify(conn) n WHERE n.notify_name = 'ticket_event';
        IF got > 0 THEN
            RETURN got;
        END IF;
        PERFORM pg_sleep(0.1);
    END LOOP;
    RETURN 0;
END;
$$;
SELECT cmp_ok(pg_temp.wait_notify('asl'), '>', 0::bigint, 'the consumer is notified of the committed event');
SELECT results_eq(format($$SELECT fc, kind FROM dblink('asl', 'SELECT fiscal_code::text, kind FROM ticket.events_after(%s, 1000)')
                           AS t(fc text, kind text)$$, :last_id),
                  format($$VALUES (%L, 'declaration')$$, :'anna'),
                  'events_after from the last id gives the new event ...');
SELECT is((SELECT count(*) FROM dblink('asl', format('SELECT 1 FROM ticket.events_after(%s, 1000)',
                                                     (SELECT max(id) FROM dblink('asl', 'SELECT event_id FROM ticket.events_after(0, 1000)') AS t(id bigint))))
                                AS t(one int)), 0::bigint, '... and then nothing: the loop ends');
SELECT dblink_disconnect('asl') AS ok, dblink_disconnect('gp') AS ok, dblink_disconnect('none') AS ok,
       dblink_disconnect('cup') AS ok, dblink_disconnect('w') AS ok \gset
SELECT dblink_exec('adm', format('DROP DATABASE %I', :'scratch')) AS ok \gset
SELECT dblink_exec('adm', format('DROP ROLE %I, %I, %I, %I', :'r' || '_asl', :'r' || '_gp', :'r' || '_none', :'r' || '_cup')) AS ok \gset
SELECT dblink_disconnect('adm') AS ok \gset
SELECT pass('the scratch database and the roles are dropped');
\else
SELECT skip('dblink is not installed: the consumer loop across sessions is not checked', 8);
\endif

SELECT * FROM finish();
