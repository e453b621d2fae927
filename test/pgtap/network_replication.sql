-- test/pgtap/network_replication.sql
--
-- The regional network on logical replication (1.1), on one database: the
-- region's publication for an ASL (tables, row filters, refusals), the
-- triggers disabled at the region and enabled ALWAYS by
-- ticket.become_asl_node, and what an ASL node does with replicated rows.
-- The apply worker is played by session_replication_role = replica (what
-- it runs with): ORIGIN triggers stay silent, the ALWAYS ones queue the
-- citizens, and the deferred cup.apply_replicated re-prices the bookings
-- (SET CONSTRAINTS ALL IMMEDIATE stands for the applied transaction's
-- commit).  The three-node version is test/tap/t/002_regional_network.pl.
--
-- Assumes CREATE EXTENSION ticket CASCADE and pgtap.  Run: pg_prove -d DB test/pgtap/

\set ON_ERROR_STOP 1
BEGIN;
\ir ../fixtures/birthplaces.sql
SET search_path = ticket, public;

SELECT plan(43);

INSERT INTO registry.gp (gp_code, fiscal_code, surname, given_name, asl_code)
VALUES ('GP001', ticket.fiscal_code_encode('Bianchi', 'Luca', 'M', '1960-02-03', 'F257'),
        'Bianchi', 'Luca', '080105');
INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl, gp_code)
VALUES (ticket.fiscal_code_encode('Rossi', 'Mario', 'M', '1970-05-10', 'A944'), 'Rossi', 'Mario', 'M',
        '1970-05-10', 'A944', '080105', 'GP001'),
       (ticket.fiscal_code_encode('Costa', 'Elena', 'F', '1965-08-08', 'A944'), 'Costa', 'Elena', 'F',
        '1965-08-08', 'A944', '080105', 'GP001');
SELECT ticket.fiscal_code_encode('Rossi', 'Mario', 'M', '1970-05-10', 'A944') AS mario,
       ticket.fiscal_code_encode('Costa', 'Elena', 'F', '1965-08-08', 'A944') AS elena \gset
SELECT (registry.self_certify(:'mario', 'RE2', 'cup_desk', 'op1', '2011-08-29', NULL, NULL, '2011-08-29')).declaration_id AS d1 \gset
-- 88.74.1 (exam 45.00): in 2011 RE1 36.15, RE2 41.15, RE3 46.15, no band 51.15.  In
-- the 2011 transition (S3 S4 S5), where a late form still settles a paid booking.
SELECT (fse.prescribe('080000000000001', :'mario', 'GP001', ARRAY['88.74.1'], NULL, '2011-09-01')).nre AS rx1,
       (fse.prescribe('080000000000002', :'mario', 'GP001', ARRAY['88.74.1'], NULL, '2011-09-01')).nre AS rx2,
       (fse.prescribe('080000000000003', :'elena', 'GP001', ARRAY['88.74.1'], NULL, '2011-09-01')).nre AS rx3 \gset
SELECT (cup.book(:'rx1', '2011-10-03')).booking_id AS b1,
       (cup.book(:'rx2', '2011-09-20')).booking_id AS b2,
       (cup.book(:'rx3', '2011-10-03')).booking_id AS b3 \gset
SELECT cup.pay(:b2, 41.15, 'cup_desk', '2011-09-05') IS NOT NULL AS paid \gset

--------------------------------------------------------------------------
-- 1. The region: the publication for an ASL
--------------------------------------------------------------------------
SELECT is(ticket.node_role(), 'region', 'a database is the region until it becomes an ASL node');
-- (CREATE PUBLICATION warns that wal_level is not logical on the test server.)
SET client_min_messages = error;
SELECT is(ticket.create_asl_publication('080105'), 'ticket_asl_080105'::name, 'the publication is named after the ASL');
RESET client_min_messages;
SELECT results_eq($$SELECT (schemaname || '.' || tablename)::text COLLATE "default", coalesce(rowfilter, '')
                      FROM pg_publication_tables
                     WHERE pubname = 'ticket_asl_080105' ORDER BY 1$$,
                  $$VALUES ('fse.prescription', ''), ('registry.asl', '(NOT shipped)'),
                           ('registry.citizen', '(residence_asl = ''080105''::text)'), ('registry.declaration', ''),
                           ('registry.exemption_grant', ''), ('registry.gp', ''),
                           ('ticket.exemption_catalogue', '(NOT shipped)'),
                           ('ticket.exemption_rule', '(NOT shipped)'), ('ticket.exemption_scope', '(NOT shipped)'),
                           ('ticket.missed_appointment_rule', '(NOT shipped)'),
                           ('ticket.nre_region', '(NOT shipped)'), ('ticket.priority_class', '(NOT shipped)'),
                           ('ticket.public_holiday', '(NOT shipped)'),
                           ('ticket.regime', '(NOT shipped)'), ('ticket.regime_band', '(NOT shipped)'),
                           ('ticket.service', '(NOT shipped)')$$,
                  'the residents of the ASL, every declaration, grant, prescription and GP, the rules, holidays and exemption codes the region added');
SELECT is((SELECT pubinsert AND pubupdate AND pubdelete AND NOT pubtruncate FROM pg_publication
            WHERE pubname = 'ticket_asl_080105'), true, 'inserts, updates and deletes are published, not TRUNCATE');
SELECT throws_ok($$SELECT ticket.create_asl_publication('080199')$$, '23503', 'ASL 080199 is not in registry.asl',
                 'an unknown ASL is refused');
SELECT throws_ok($$SELECT ticket.create_asl_publication('080105')$$, '42710', NULL,
                 'a second publication for one ASL is refused (duplicate_object)');
SELECT is((SELECT c.relreplident FROM pg_class c WHERE c.oid = 'registry.citizen'::regclass), 'i',
          'registry.citizen: the replica identity is an index ...');
SELECT is((SELECT array_agg(a.attname ORDER BY a.attnum) FROM pg_index i
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
            WHERE i.indrelid = 'registry.citizen'::regclass AND i.indisreplident),
          ARRAY['fiscal_code', 'residence_asl']::name[], '... with the filter''s column: a move is a DELETE and an INSERT');
SELECT is((SELECT count(*) FROM pg_class c
            WHERE c.oid IN ('ticket.regime'::regclass, 'ticket.regime_band'::regclass, 'ticket.exemption_rule'::regclass,
                            'ticket.exemption_scope'::regclass, 'ticket.service'::regclass,
                            'ticket.nre_region'::regclass, 'ticket.priority_class'::regclass, 'registry.asl'::regclass,
                            'ticket.public_holiday'::regclass, 'ticket.missed_appointment_rule'::regclass,
                            'ticket.exemption_catalogue'::regclass)
              AND c.relreplident = 'f'), 11::bigint, 'the tables published WHERE NOT shipped: replica identity FULL');
SELECT is((SELECT array_agg(DISTINCT t.tgenabled) FROM pg_trigger t
            WHERE t.tgname IN ('replica_queue', 'replica_queue_update', 'replica_apply', 'rules_replicated')),
          ARRAY['D']::"char"[], 'at the region the replica triggers are disabled');

--------------------------------------------------------------------------
-- 2. Becoming an ASL node
--------------------------------------------------------------------------
SELECT lives_ok($$SELECT ticket.become_asl_node('080105')$$, 'become_asl_node');
SELECT is(ticket.node_role(), 'asl', 'the node is an ASL node');
SELECT is((SELECT asl_code FROM ticket.node), '080105', 'of Bologna');
SELECT is((SELECT count(*) FROM pg_trigger t
            WHERE t.tgname IN ('replica_queue', 'replica_queue_update', 'replica_apply', 'rules_replicated')
              AND t.tgenabled = 'A'), 29::bigint, 'the 29 replica triggers are enabled ALWAYS (since 1.3 the exemption catalogue''s too)');
SELECT lives_ok($$SELECT ticket.become_asl_node('080105')$$, 'become_asl_node again (after a restore) is harmless');
SELECT throws_ok($$SELECT ticket.create_asl_publication('080104')$$, '55000',
                 'this database is an ASL node: publications are made at the region',
                 'an ASL node does not publish');
SELECT throws_ok($$SELECT ticket.become_asl_node('999999')$$, '23503', 'ASL 999999 is not in registry.asl',
                 'an unknown ASL is refused');
SELECT is_empty($$SELECT * FROM ticket.replication_health()$$, 'no subscription: replication_health() is empty');

--------------------------------------------------------------------------
-- 3. Replicated rows, as the apply worker writes them
--------------------------------------------------------------------------
SELECT coalesce(max(event_id), 0) AS ev0 FROM ticket.event \gset
SET session_replication_role = replica;
-- A declaration RE1 from 2011-09-15, signed 2011-09-15: the region's closing
-- UPDATE of the current one, then the new row with the region's id.
UPDATE registry.declaration SET valid_until = '2011-09-15' WHERE declaration_id = :d1;
INSERT INTO registry.declaration (declaration_id, fiscal_code, band, declarant, channel, operator, signed_at,
                                  applies_from)
VALUES (9001, :'mario', 'RE1', :'mario', 'cup_desk', 'op1', '2011-09-15 10:00+02', '2011-09-15');
SELECT is((SELECT count(*) FROM cup.replica_queue), 3::bigint,
          'the changes are queued (the closed declaration and the new one)');
SELECT is((SELECT amount FROM cup.booking WHERE booking_id = :b1), 41.15, 'nothing re-priced before the commit');
SELECT is((SELECT count(*) FROM ticket.event WHERE event_id > :ev0 AND kind = 'declaration'), 0::bigint,
          'the ORIGIN triggers did not fire (the region wrote the events)');
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT is((SELECT amount FROM cup.booking WHERE booking_id = :b1), 36.15,
          'at the commit the unpaid booking of 3 October is re-priced for RE1');
SELECT is((SELECT amount FROM cup.booking WHERE booking_id = :b3), 51.15,
          'another citizen''s booking is untouched (no declaration: the highest band, 51.15)');
SELECT is((SELECT paid_amount FROM cup.booking WHERE booking_id = :b2), 41.15, 'the paid booking keeps its amount');
SELECT results_eq(format($$SELECT kind, subject FROM ticket.event WHERE event_id > %s ORDER BY event_id$$, :ev0),
                  format($$VALUES ('repriced'::text, '%s'::text), ('adjustment', (SELECT adjustment_id::text FROM cup.adjustment WHERE booking_id = %s))$$, :b1, :b2),
                  'the bookings'' own triggers fired: a repriced event, and the adjustment''s event');
SELECT is((SELECT amount FROM cup.adjustment WHERE booking_id = :b2), -5.00::numeric(8,2),
          'S3 S4 S5: the paid booking of 20 September 2011, the form signed on 15 September, inside the transition: a refund of 5.00');
SELECT is(current_setting('session_replication_role'), 'replica', 'the session is back to replica');
SELECT results_eq($$SELECT row_key, operation, new_row ->> 'status', (old_row ->> 'amount')::numeric, (new_row ->> 'amount')::numeric
                      FROM ticket.audit_log
                     WHERE table_name = 'cup.booking' AND operation <> 'INSERT' ORDER BY audit_id$$,
                  format($$VALUES (%L, 'UPDATE'::text, 'paid'::text, 41.15, 41.15), (%L, 'UPDATE', NULL, 41.15, 36.15)$$, :b2, :b1),
                  'beside the bookings made, the audit log has the payment and the re-pricing at the commit (a lean row: no status)');
SELECT is_empty($$SELECT * FROM cup.replica_queue$$, 'the queue is empty');

-- A form signed after the 2011 transition closed (on 1 October 2011, 11
-- days after the paid service; S3 S4 S5): the region adjusts nothing, nor
-- does the node -- the replicated closing of the previous declaration
-- (signed 15 September, inside the transition) re-prices but does not bring
-- back that signature.
UPDATE registry.declaration SET valid_until = '2011-09-16' WHERE declaration_id = 9001;
INSERT INTO registry.declaration (declaration_id, fiscal_code, band, declarant, channel, operator, signed_at,
                                  applies_from)
VALUES (9002, :'mario', 'RE3', :'mario', 'cup_desk', 'op1', '2011-10-01 10:00+02', '2011-09-16');
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT is((SELECT count(*) FROM cup.adjustment WHERE booking_id = :b2), 1::bigint,
          'S3 S4 S5: a form signed after the 2011 transition adjusts nothing');
SELECT is((SELECT amount FROM cup.booking WHERE booking_id = :b1), 46.15, 'the unpaid booking is re-priced for RE3');

-- An exemption granted, then revoked.
INSERT INTO registry.exemption_grant (grant_id, fiscal_code, exemption, valid, source, granted_at)
VALUES (9101, :'elena', 'C01', daterange('2011-09-05', NULL), 'asl_certificate', '2011-09-05');
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT is((SELECT amount FROM cup.booking WHERE booking_id = :b3), 0.00, 'a replicated grant re-prices (C01)');
UPDATE registry.exemption_grant SET revoked_on = '2011-09-20', revoked_at = '2011-09-20',
       revocation_reason = 'granted by mistake' WHERE grant_id = 9101;
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT is((SELECT amount FROM cup.booking WHERE booking_id = :b3), 51.15, 'a replicated revocation re-prices');

-- A code the region adds to the exemption catalogue (issue 18: a municipal
-- indigence code, no code in the sources, ticket-rules.md §9 items 4 and 5)
-- with its rule: unknown at the node until the rows arrive (TK008), then
-- priced on the catalogue's terms -- the node's compiled rules were
-- dropped by the replicated rows (rules_replicated, queue_replicated).
SELECT throws_ok($$SELECT ticket.price(ARRAY['88.74.1'], NULL, ARRAY['IC001']::ticket.exemption[], '2011-10-03')$$,
                 'TK008', 'exemption IC001 is not in the exemption catalogue on 2011-10-03',
                 'the node: a municipal code before the region adds it is TK008');
INSERT INTO ticket.exemption_catalogue (code_pattern, family, valid, period, grant_sources, description, note)
VALUES ('^IC[0-9]{3}$', 'regional', '[2011-09-01,)', 'fiscal_year', '{asl_certificate}',
        'municipal indigence (a test code)', 'pgTAP: a code the region adds (§9 items 4, 5)');
INSERT INTO ticket.exemption_rule (regime_id, exemption, family, coverage, spares_band_quota, spares_drugs, spares_er, note)
VALUES (ticket.regime_for('2011-10-03'), 'IC001', NULL, 'all', true, true, true, 'pgTAP: municipal indigence');
SELECT is((SELECT count(*) FROM cup.replica_queue WHERE cause = 'rules'), 2::bigint,
          'the replicated catalogue row and rule are queued as rule changes');
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT is((ticket.price(ARRAY['88.74.1'], NULL, ARRAY['IC001']::ticket.exemption[], '2011-10-03')).total, 0.00,
          'the node prices the region''s new code on its terms');
SELECT is_empty($$SELECT * FROM cup.replica_queue$$, '... and the queue is empty');

-- A rule change: a user regime from 2011-09-20 with a band quota.
INSERT INTO ticket.regime
SELECT (jsonb_populate_record(NULL::ticket.regime,
            to_jsonb(r) || jsonb_build_object('regime_id', 'ER-TEST-2011', 'effective_from', '2011-09-21',
                                              'legal_reference', 'test', 'description', 'a test regime',
                                              'shipped', false))).*
  FROM ticket.regime r WHERE r.regime_id = ticket.regime_for('2011-09-20');
INSERT INTO ticket.regime_band
SELECT (jsonb_populate_record(NULL::ticket.regime_band,
            to_jsonb(b) || jsonb_build_object('regime_id', 'ER-TEST-2011', 'quota', coalesce(b.quota, 0) + 1,
                                              'shipped', false))).*
  FROM ticket.regime_band b WHERE b.regime_id = ticket.regime_for('2011-09-20');
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT is((SELECT (bill).regime FROM cup.booking WHERE booking_id = :b1), 'ER-TEST-2011',
          'a replicated regime re-prices the unpaid bookings after it');
SELECT is((SELECT amount FROM cup.booking WHERE booking_id = :b1), (cup.price_for(:'mario', ARRAY['88.74.1'], '2011-10-03')).total,
          'with the new rules');

-- A resident leaving (the DELETE of the row filter) and a death.
DELETE FROM registry.citizen WHERE fiscal_code = :'elena';
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT is((SELECT status FROM cup.booking WHERE booking_id = :b3), 'booked',
          'a resident who moved away keeps the bookings made here');
UPDATE registry.citizen SET death_date = '2011-09-25' WHERE fiscal_code = :'mario';
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT is((SELECT status FROM cup.booking WHERE booking_id = :b1), 'cancelled',
          'a replicated death cancels the unpaid bookings from that day');
RESET session_replication_role;

--------------------------------------------------------------------------
-- 4. The consistency check of an ASL node
--------------------------------------------------------------------------
-- The FSE profiles are the region's: an ASL node does not check them.
DELETE FROM fse.profile;
SELECT is_empty($$SELECT * FROM ticket.check_consistency()$$,
                'an ASL node: consistent without FSE profiles or registry events');
INSERT INTO cup.replica_queue VALUES (:'elena', '2011-08-29', 'infinity', 'residence');
SELECT results_eq($$SELECT invariant FROM ticket.check_consistency() WHERE invariant = 'replica_queue'$$,
                  $$VALUES ('replica_queue'::text)$$, 'a change left in the queue is reported');
DELETE FROM cup.replica_queue;

SELECT * FROM finish();
ROLLBACK;
