-- test/pgtap/network_outbox.sql
--
-- The network (0.3), the outbox ticket.event: every kind is produced with
-- its payload, the txid of the writing transaction, ticket.events_after
-- (settled events only, in id order, stopping at the first unsettled one,
-- at most max_events), and NOTIFY ticket_event.
--
-- NOTIFY is delivered at commit and this suite rolls back, so the real
-- LISTEN check runs in a scratch database through dblink (created and
-- dropped here; skipped with a reason when dblink is not installed): a
-- listener gets NOTIFY ticket_event carrying the newest event_id of the
-- committed transaction, and events_after, read from a third session, holds
-- back a committed event while an older transaction is still running.
--
-- Assumes CREATE EXTENSION ticket CASCADE and pgtap.  Run: pg_prove -d DB test/pgtap/

\set ON_ERROR_STOP 1
BEGIN;
\ir ../fixtures/birthplaces.sql
SET search_path = ticket, public;

SELECT plan(28);

INSERT INTO registry.gp (gp_code, fiscal_code, surname, given_name, asl_code)
VALUES ('GP001', ticket.fiscal_code_encode('Bianchi', 'Luca', 'M', '1960-02-03', 'F257'),
        'Bianchi', 'Luca', '080105');
INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl, gp_code)
VALUES (ticket.fiscal_code_encode('Rossi', 'Mario', 'M', '1970-05-10', 'A944'), 'Rossi', 'Mario', 'M', '1970-05-10', 'A944', '080105', 'GP001');
SELECT fiscal_code::text AS mario FROM registry.citizen \gset

--------------------------------------------------------------------------
-- 1. Every kind, with its payload (in September 2011: paid bookings are
--    adjusted only in the 2011 transition, S3 S4 S5)
--------------------------------------------------------------------------
SELECT coalesce(max(event_id), 0) AS ev0 FROM ticket.event \gset
SELECT (fse.prescribe('080000000000001', :'mario', 'GP001', ARRAY['88.74.1'], NULL, '2011-09-01')).nre AS rx1,
       (fse.prescribe('080000000000002', :'mario', 'GP001', ARRAY['88.74.1'], NULL, '2011-09-01')).nre AS rx2 \gset
-- booked 51.15
SELECT (cup.book(:'rx1', '2011-09-10')).booking_id AS b1 \gset
SELECT (cup.book(:'rx2', '2011-09-11')).booking_id AS b2 \gset
-- paid 51.15
SELECT (cup.pay(:b2)).status AS s \gset
-- declaration, repriced b1, adjustment b2
SELECT (registry.self_certify(:'mario', 'RE2', 'cup_desk', 'op1', '2011-09-01', NULL, NULL, '2011-09-20')).declaration_id AS d1 \gset
-- C01 from the paid booking's day: adjustment b2; revoked from the same day: adjustment back
SELECT (registry.grant_exemption(:'mario', 'C01', '2011-09-11', 'asl_certificate', NULL, '2011-09-20')).grant_id AS g1 \gset
SELECT (registry.revoke_exemption(:g1, '2011-09-11', 'mistake', '2011-09-21')).grant_id AS g1r \gset
-- moved (RE2 both days: no reprice)
SELECT (cup.move(:b1, '2011-09-12')).booking_id AS m \gset
-- done
SELECT (cup.complete(:b2)).booking_id AS c \gset
-- cancelled
SELECT (cup.cancel(:b1)).booking_id AS x \gset

SELECT bag_eq(
    format($$SELECT kind, subject FROM ticket.event WHERE event_id > %s$$, :ev0),
    format($$VALUES ('booked'::text, '%1$s'::text), ('booked', '%2$s'), ('paid', '%2$s'),
                    ('repriced', '%1$s'), ('adjustment', (SELECT min(adjustment_id)::text FROM cup.adjustment WHERE booking_id = %2$s)),
                    ('declaration', '%3$s'),
                    ('adjustment', (SELECT (array_agg(adjustment_id::text ORDER BY adjustment_id))[2] FROM cup.adjustment WHERE booking_id = %2$s)),
                    ('exemption_granted', '%4$s'),
                    ('adjustment', (SELECT (array_agg(adjustment_id::text ORDER BY adjustment_id))[3] FROM cup.adjustment WHERE booking_id = %2$s)),
                    ('exemption_revoked', '%4$s'),
                    ('moved', '%1$s'), ('done', '%2$s'), ('cancelled', '%1$s')$$, :b1, :b2, :d1, :g1),
    'the events of a booking''s life (the order of a registry event and its consequences is not pinned)');
SELECT results_eq(
    format($$SELECT kind FROM ticket.event WHERE event_id > %s AND subject = '%s' AND kind IN ('booked', 'repriced', 'moved', 'cancelled') ORDER BY event_id$$, :ev0, :b1),
    $$VALUES ('booked'::text), ('repriced'), ('moved'), ('cancelled')$$,
    'the events of one booking in the order they happened');
SELECT is((SELECT array_agg(DISTINCT kind ORDER BY kind) FROM ticket.event WHERE event_id > :ev0),
          ARRAY['adjustment', 'booked', 'cancelled', 'declaration', 'done', 'exemption_granted', 'exemption_revoked',
                'moved', 'paid', 'repriced'],
          'all ten kinds were produced');
SELECT results_eq(
    format($$SELECT kind, payload FROM ticket.event WHERE event_id > %s AND kind IN ('booked', 'paid', 'moved', 'done', 'cancelled', 'repriced') ORDER BY event_id$$, :ev0),
    format($$VALUES ('booked'::text, jsonb_build_object('nre', '%1$s', 'service_date', '2011-09-10', 'asl', '080105', 'amount', 51.15, 'regime', 'ER-2011-08-29')),
                    ('booked', jsonb_build_object('nre', '%2$s', 'service_date', '2011-09-11', 'asl', '080105', 'amount', 51.15, 'regime', 'ER-2011-08-29')),
                    ('paid', '{"from": "booked", "amount": 51.15, "paid_amount": 51.15}'),
                    ('repriced', '{"old_amount": 51.15, "new_amount": 41.15, "service_date": "2011-09-10", "regime": "ER-2011-08-29"}'),
                    ('moved', '{"from": "2011-09-10", "to": "2011-09-12"}'),
                    ('done', '{"from": "paid", "amount": 51.15, "paid_amount": 51.15}'),
                    ('cancelled', '{"from": "booked", "amount": 41.15, "paid_amount": null}')$$, :'rx1', :'rx2'),
    'booking payloads');
SELECT results_eq(
    format($$SELECT payload FROM ticket.event WHERE event_id > %s AND kind = 'adjustment' ORDER BY event_id$$, :ev0),
    format($$VALUES (jsonb_build_object('booking_id', %1$s, 'amount', -10.00, 'reason', 'declaration')),
                    (jsonb_build_object('booking_id', %1$s, 'amount', -41.15, 'reason', 'exemption_granted')),
                    (jsonb_build_object('booking_id', %1$s, 'amount', 41.15, 'reason', 'exemption_revoked'))$$, :b2),
    'S3 S4 S5: adjustment payloads: the declaration, the grant and its revocation, each inside the 2011 transition');
SELECT results_eq(
    format($$SELECT kind, payload FROM ticket.event WHERE event_id > %s AND kind IN ('declaration', 'exemption_granted', 'exemption_revoked') ORDER BY event_id$$, :ev0),
    format($$VALUES ('declaration'::text, jsonb_build_object('band', 'RE2', 'applies_from', '2011-09-01', 'declarant', '%s', 'channel', 'cup_desk')),
                    ('exemption_granted', '{"exemption": "C01", "valid": "[2011-09-11,)", "effective": "[2011-09-11,)", "source": "asl_certificate"}'),
                    ('exemption_revoked', '{"exemption": "C01", "valid": "[2011-09-11,)", "effective": "empty", "source": "asl_certificate"}')$$, :'mario'),
    'registry payloads');
SELECT is((SELECT count(*)::int FROM ticket.event WHERE event_id > :ev0 AND fiscal_code <> :'mario'), 0,
          'every event names the citizen');
SELECT is((SELECT count(*)::int FROM ticket.event WHERE event_id > :ev0 AND txid <> pg_current_xact_id()), 0,
          'every event carries the writing transaction');
SELECT throws_ok(format($$INSERT INTO ticket.event (kind, subject, fiscal_code, payload) VALUES ('invented', '1', '%s', '{}')$$, :'mario'),
                 '23514', NULL, 'an unknown kind (23514)');
SELECT is((SELECT count(*)::int FROM ticket.check_consistency()), 0, 'check_consistency() is empty');

--------------------------------------------------------------------------
-- 2. events_after
--------------------------------------------------------------------------
SELECT is((SELECT count(*)::int FROM ticket.events_after(:ev0)), 0,
          'events_after delivers none of the events of a transaction still running (this one)');
SELECT is((SELECT count(*)::int FROM ticket.events_after(NULL)), 0, 'events_after(NULL) is empty (STRICT)');

-- Settled events written with an old txid, interleaved with an unsettled one.
SELECT 9000000000000 AS base \gset
INSERT INTO ticket.event (event_id, kind, subject, fiscal_code, payload, txid) VALUES
    (:base + 2, 'booked', 'e2', :'mario', '{}', '3'),
    (:base + 1, 'booked', 'e1', :'mario', '{}', '3'),
    (:base + 5, 'booked', 'e5', :'mario', '{}', '3'),
    (:base + 3, 'booked', 'e3', :'mario', '{}', '3'),
    (:base + 4, 'booked', 'e4', :'mario', '{}', pg_current_xact_id()),
    (:base + 7, 'booked', 'e7', :'mario', '{}', '3');
SELECT results_eq(format($$SELECT subject FROM ticket.events_after(%s)$$, :base),
                  $$VALUES ('e1'::text), ('e2'), ('e3')$$,
                  'events_after: settled events in id order, up to the first unsettled one');
SELECT results_eq(format($$SELECT subject FROM ticket.events_after(%s, 2)$$, :base),
                  $$VALUES ('e1'::text), ('e2')$$, 'events_after: at most max_events');
SELECT results_eq(format($$SELECT subject FROM ticket.events_after(%s, 2)$$, :base + 2),
                  $$VALUES ('e3'::text)$$, '... resuming from the last id read');
SELECT is((SELECT count(*)::int FROM ticket.events_after(:base + 3)), 0,
          'events_after: nothing while the next event is unsettled');
SELECT results_eq(format($$SELECT subject FROM ticket.events_after(%s)$$, :base + 4),
                  $$VALUES ('e5'::text), ('e7')$$, 'past the unsettled one, the rest (gaps in ids are fine)');
SELECT is((SELECT count(*)::int FROM ticket.events_after(:base + 1, 0)), 0, 'max_events 0: nothing');
SELECT results_eq(format($$SELECT event_id FROM ticket.events_after(%s)$$, :base - 1),
                  format($$VALUES (%s::bigint), (%s), (%s)$$, :base + 1, :base + 2, :base + 3),
                  'the ids themselves');

--------------------------------------------------------------------------
-- 3. NOTIFY
--------------------------------------------------------------------------
SELECT has_trigger('ticket', 'event', 'event_notify', 'ticket.event has the event_notify trigger');
SELECT is((SELECT tgenabled FROM pg_trigger WHERE tgrelid = 'ticket.event'::regclass AND tgname = 'event_notify'), 'O'::"char",
          '... enabled');
SELECT lives_ok(format($$INSERT INTO ticket.event (kind, subject, fiscal_code, payload) VALUES ('booked', 'n1', '%s', '{}'), ('booked', 'n2', '%s', '{}')$$,
                       :'mario', :'mario'),
                'a statement adding events queues its NOTIFY without error');
SELECT lives_ok($$INSERT INTO ticket.event (kind, subject, fiscal_code, payload) SELECT 'booked', 'none', fiscal_code, '{}' FROM registry.citizen WHERE false$$,
                'a statement adding no events is fine too');

-- The real thing, in a scratch database.
SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'dblink') AS have_dblink \gset
\if :have_dblink
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT format('host=%s port=%s user=%s dbname=',
              coalesce(host(inet_server_addr()), split_part(current_setting('unix_socket_directories'), ',', 1)),
              current_setting('port'), current_user) AS conn,
       'ticket_pgtap_notify_' || pg_backend_pid() AS scratch \gset
SELECT dblink_connect('adm', :'conn' || current_database()) AS ok_adm \gset
SELECT dblink_exec('adm', format('DROP DATABASE IF EXISTS %I', :'scratch')) AS dropped \gset
SELECT dblink_exec('adm', format('CREATE DATABASE %I', :'scratch')) AS created \gset
SELECT dblink_connect('lsn', :'conn' || :'scratch') AS ok_lsn,
       dblink_connect('w1', :'conn' || :'scratch') AS ok_w1 \gset
SELECT dblink_exec('lsn', $$CREATE EXTENSION ticket CASCADE$$) AS x1 \gset
SELECT dblink_exec('lsn', $$INSERT INTO ticket.birthplace (code, valid, name, name_ascii, alt_name, province, kind, istat_code, source)
                           VALUES ('A944', '[1937-12-06,)', 'BOLOGNA', 'BOLOGNA', NULL, 'BO', 'municipality', '037006', 'fixture')$$) AS x2 \gset
SELECT dblink_exec('lsn', format($$INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl)
                                   VALUES ('%s', 'Rossi', 'Mario', 'M', '1970-05-10', 'A944', '080105'),
                                          ('%s', 'Verdi', 'Anna', 'F', '1985-04-12', 'A944', '080105')$$,
                                 :'mario', ticket.fiscal_code_encode('Verdi', 'Anna', 'F', '1985-04-12', 'A944'))) AS x3 \gset
SELECT dblink_exec('lsn', 'LISTEN ticket_event') AS x4 \gset
SELECT (SELECT n FROM dblink('lsn', 'SELECT coalesce(max(event_id), 0) FROM ticket.event') AS t(n bigint)) AS sev0 \gset

-- w1 commits a declaration: the listener is told its event id.
SELECT id AS x5 FROM dblink('w1', format($$SELECT (registry.self_certify('%s', 'RE1', 'fse_online', NULL, '2015-03-01')).declaration_id$$, :'mario')) AS t(id bigint) \gset
CREATE FUNCTION pg_temp.wait_notify(conn text) RETURNS TABLE (notify_name text, extra text)
LANGUAGE plpgsql AS $$
BEGIN
    FOR i IN 1..100 LOOP          -- delivery is asynchronous: poll for up to 10 s
        RETURN QUERY SELECT n.notify_name, n.extra FROM dblink_get_notify(conn) n;
        IF FOUND THEN
            RETURN;
        END IF;
        PERFORM pg_sleep(0.1);
    END LOOP;
END;
$$;
SELECT results_eq(
    $$SELECT notify_name, extra FROM pg_temp.wait_notify('lsn')$$,
    format($$SELECT 'ticket_event'::text, n::text FROM dblink('lsn', 'SELECT max(event_id) FROM ticket.event') AS t(n bigint)$$),
    'LISTEN ticket_event: one notification at commit, carrying the newest event id');
-- events_after delivers only events of transactions older than every
-- running writer of the cluster: this suite's own transaction (another
-- database) still runs, so the committed event is held back.
SELECT is((SELECT count(*)::int FROM dblink('lsn', format('SELECT 1 FROM ticket.event WHERE event_id > %s', :sev0)) AS t(one int)), 1,
          'the committed event is visible to another session');
SELECT is((SELECT count(*)::int FROM dblink('lsn', format('SELECT 1 FROM ticket.events_after(%s)', :sev0)) AS t(one int)), 0,
          '... but events_after holds it back while an older writing transaction runs, even in another database');
SELECT ok((SELECT count(*) FROM dblink('lsn', 'SELECT * FROM ticket.check_consistency()') AS t(a text, b text, c text)) = 0,
          'check_consistency() is empty in the scratch database');
SELECT dblink_disconnect('lsn') AS d1, dblink_disconnect('w1') AS d2 \gset
SELECT dblink_exec('adm', format('DROP DATABASE %I', :'scratch')) AS dropped \gset
SELECT dblink_disconnect('adm') AS d4 \gset
SELECT pass('the scratch database is dropped');
\else
SELECT skip('dblink is not installed: LISTEN/NOTIFY across sessions not checked', 5);
\endif

SELECT * FROM finish();
ROLLBACK;
