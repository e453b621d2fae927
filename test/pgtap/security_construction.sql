-- test/pgtap/security_construction.sql
--
-- 1.2, security by construction: no role borrows the extension's power.
--   1. every trigger function of the extension, attached by a login with no
--      ticket role and by a member of each shipped role to a temp table of
--      its own: permission denied (42501), the function being the owner's;
--   2. as the superuser, every trigger of the extension re-created on a
--      look-alike table (the same column names, every type wrong) and fired
--      for each of its events: 39P01, never a crash;
--   3. every trigger function attached to its own table for a timing, level
--      or event it was not written for: 39P01;
--   4. the server and this backend survive all of it;
--   5. the other findings of the 1.1 review: a binding look-up about
--      another role, events for a consumer role (bound, unbound), text
--      arguments beyond their maximum, a signature in the future on the
--      Revenue Agency's channel, existence oracles.
-- Each case is generated from the catalog, so a trigger function added
-- later is tested without editing this file.
--
-- Assumes CREATE EXTENSION ticket CASCADE and pgtap, run as a superuser.
-- Run: pg_prove -d DB test/pgtap/security_construction.sql

\set ON_ERROR_STOP 1
BEGIN;
\ir ../fixtures/birthplaces.sql
SET LOCAL search_path = ticket, public;
SET LOCAL TimeZone = 'UTC';
SET LOCAL lc_messages = 'C';
SET CONSTRAINTS ALL IMMEDIATE;

SELECT * FROM no_plan();

SELECT pg_backend_pid() AS backend, pg_postmaster_start_time() AS started \gset

-- The trigger functions of the extension, and the triggers that use them.
CREATE TEMP VIEW extension_trigger_function AS
SELECT p.oid, p.oid::regprocedure AS fn
  FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'ticket')
   AND p.prorettype = 'trigger'::regtype;

SELECT cmp_ok((SELECT count(*) FROM extension_trigger_function), '>=', 29::bigint,
              'the extension has its trigger functions (the cases below are generated from them)');

--------------------------------------------------------------------------
-- 1. Attaching a trigger function to a table of one's own.
--------------------------------------------------------------------------
CREATE ROLE borrow_plain NOLOGIN;
CREATE ROLE borrow_rules NOLOGIN IN ROLE ticket_rules_admin;
CREATE ROLE borrow_registry NOLOGIN IN ROLE ticket_registry_operator;
CREATE ROLE borrow_cup NOLOGIN IN ROLE ticket_cup_operator;
CREATE ROLE borrow_gp NOLOGIN IN ROLE ticket_gp;
CREATE ROLE borrow_portal NOLOGIN IN ROLE ticket_fse_portal;
CREATE ROLE borrow_auditor NOLOGIN IN ROLE ticket_auditor;
CREATE ROLE borrow_consumer NOLOGIN IN ROLE ticket_event_consumer;
CREATE ROLE borrow_library NOLOGIN IN ROLE ticket_library;
CREATE ROLE borrow_pgaudit NOLOGIN IN ROLE ticket_pgaudit;
INSERT INTO registry.gp (gp_code, fiscal_code, surname, given_name, asl_code) VALUES
    ('GPBO1', ticket.fiscal_code_encode('Bianchi', 'Luca', 'M', '1960-02-03', 'A944'), 'Bianchi', 'Luca', '080105');
INSERT INTO ticket.role_binding (role_name, asl_code, gp_code) VALUES
    ('borrow_cup', '080105', NULL), ('borrow_gp', NULL, 'GPBO1'), ('borrow_consumer', '080105', NULL);

CREATE FUNCTION pg_temp.attach_as(role_name name) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    f record;
BEGIN
    EXECUTE format('SET LOCAL ROLE %I', role_name);
    EXECUTE format('CREATE TEMP TABLE %I (a bigint, b text)', 'own_' || role_name);
    FOR f IN SELECT * FROM extension_trigger_function ORDER BY fn::text LOOP
        RETURN NEXT throws_ok(
            format('CREATE TRIGGER borrowed AFTER INSERT ON pg_temp.%I FOR EACH ROW EXECUTE FUNCTION %s',
                   'own_' || role_name, f.fn),
            '42501', NULL,
            format('%s attaches %s to a table of its own: permission denied', role_name, f.fn));
    END LOOP;
    RESET ROLE;
END;
$$;
GRANT SELECT ON extension_trigger_function TO PUBLIC;
GRANT USAGE ON SCHEMA public TO PUBLIC;

SELECT * FROM pg_temp.attach_as('borrow_plain');
SELECT * FROM pg_temp.attach_as('borrow_rules');
SELECT * FROM pg_temp.attach_as('borrow_registry');
SELECT * FROM pg_temp.attach_as('borrow_cup');
SELECT * FROM pg_temp.attach_as('borrow_gp');
SELECT * FROM pg_temp.attach_as('borrow_portal');
SELECT * FROM pg_temp.attach_as('borrow_auditor');
SELECT * FROM pg_temp.attach_as('borrow_consumer');
SELECT * FROM pg_temp.attach_as('borrow_library');
SELECT * FROM pg_temp.attach_as('borrow_pgaudit');

--------------------------------------------------------------------------
-- 2. The superuser's mistake: every trigger of the extension re-created on
--    a look-alike table whose columns have the real names and wrong types
--    (bigint, text for a bigint), fired for each of its events.
--------------------------------------------------------------------------
CREATE FUNCTION pg_temp.look_alikes() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    t record;
    n integer := 0;
    look_alike text;
    columns text;
    definition text;
    event text;
    fire text;
BEGIN
    FOR t IN SELECT tg.oid, tg.tgname, tg.tgrelid::regclass AS tbl, tg.tgtype, p.fn
               FROM pg_trigger tg JOIN extension_trigger_function p ON p.oid = tg.tgfoid
              WHERE NOT tg.tgisinternal
              ORDER BY tg.tgrelid::regclass::text, tg.tgname LOOP
        n := n + 1;
        look_alike := 'look_alike_' || n;
        SELECT string_agg(format('%I %s', a.attname,
                                 CASE WHEN a.atttypid = 'bigint'::regtype THEN 'text' ELSE 'bigint' END),
                          ', ' ORDER BY a.attnum)
          INTO columns
          FROM pg_attribute a WHERE a.attrelid = t.tbl AND a.attnum > 0 AND NOT a.attisdropped;
        EXECUTE format('CREATE TEMP TABLE %I (%s)', look_alike, columns);
        EXECUTE format('INSERT INTO pg_temp.%I DEFAULT VALUES', look_alike);
        -- The real definition, on the look-alike, without its WHEN (which
        -- may name columns whose types no longer compare).
        definition := regexp_replace(pg_get_triggerdef(t.oid), ' ON \S+ ', format(' ON pg_temp.%I ', look_alike));
        definition := regexp_replace(definition, ' WHEN \(.*\) EXECUTE FUNCTION ', ' EXECUTE FUNCTION ');
        EXECUTE definition;
        FOREACH event IN ARRAY array_remove(ARRAY[
                CASE WHEN t.tgtype & 4 <> 0 THEN 'INSERT' END, CASE WHEN t.tgtype & 16 <> 0 THEN 'UPDATE' END,
                CASE WHEN t.tgtype & 8 <> 0 THEN 'DELETE' END, CASE WHEN t.tgtype & 32 <> 0 THEN 'TRUNCATE' END], NULL) LOOP
            fire := CASE event
                WHEN 'INSERT' THEN format('INSERT INTO pg_temp.%I DEFAULT VALUES', look_alike)
                -- every column, so that an UPDATE OF column trigger fires too
                WHEN 'UPDATE' THEN format('UPDATE pg_temp.%I SET %s', look_alike,
                                          (SELECT string_agg(format('%I = %I', a.attname, a.attname), ', ')
                                             FROM pg_attribute a
                                            WHERE a.attrelid = t.tbl AND a.attnum > 0 AND NOT a.attisdropped))
                WHEN 'DELETE' THEN format('DELETE FROM pg_temp.%I', look_alike)
                ELSE format('TRUNCATE pg_temp.%I', look_alike) END;
            RETURN NEXT throws_ok(fire, '39P01', NULL,
                                  format('%s of %s on a look-alike of %s (%s): 39P01', t.fn, t.tgname, t.tbl, event));
        END LOOP;
    END LOOP;
END;
$$;
SELECT * FROM pg_temp.look_alikes();

--------------------------------------------------------------------------
-- 3. The right table, the wrong firing: each trigger function attached to
--    a table it serves as a statement trigger of a timing or event it was
--    not written for.
--------------------------------------------------------------------------
CREATE FUNCTION pg_temp.misfires() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    f record;
    first_column name;
BEGIN
    FOR f IN SELECT DISTINCT ON (p.fn::text) p.fn, tg.tgrelid::regclass AS tbl,
                    bool_or(tg.tgtype & 1 = 0 AND tg.tgtype & 2 <> 0 AND tg.tgtype & 16 <> 0)
                        OVER (PARTITION BY p.oid) AS has_before_statement_update
               FROM pg_trigger tg JOIN extension_trigger_function p ON p.oid = tg.tgfoid
              WHERE NOT tg.tgisinternal
              ORDER BY p.fn::text, tg.tgrelid::regclass::text LOOP
        SELECT a.attname INTO first_column FROM pg_attribute a WHERE a.attrelid = f.tbl AND a.attnum = 1;
        IF f.has_before_statement_update THEN
            EXECUTE format('CREATE TRIGGER misfire AFTER DELETE ON %s FOR EACH STATEMENT EXECUTE FUNCTION %s',
                           f.tbl, regexp_replace(f.fn::text, '\(.*\)$', '()'));
            RETURN NEXT throws_ok(format('DELETE FROM %s WHERE false', f.tbl), '39P01', NULL,
                                  format('%s fired AFTER STATEMENT DELETE on %s: 39P01', f.fn, f.tbl));
        ELSE
            EXECUTE format('CREATE TRIGGER misfire BEFORE UPDATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION %s',
                           f.tbl, regexp_replace(f.fn::text, '\(.*\)$', '()'));
            RETURN NEXT throws_ok(format('UPDATE %s SET %I = %I WHERE false', f.tbl, first_column, first_column),
                                  '39P01', NULL,
                                  format('%s fired BEFORE STATEMENT UPDATE on %s: 39P01', f.fn, f.tbl));
        END IF;
        EXECUTE format('DROP TRIGGER misfire ON %s', f.tbl);
    END LOOP;
END;
$$;
SELECT * FROM pg_temp.misfires();

--------------------------------------------------------------------------
-- 4. Alive.
--------------------------------------------------------------------------
SELECT is(pg_backend_pid(), :backend, 'this backend survived every look-alike and misfire');
SELECT is(pg_postmaster_start_time(), :'started'::timestamptz, 'the server did not restart');

--------------------------------------------------------------------------
-- 5. The other findings.
--------------------------------------------------------------------------
SELECT ticket.fiscal_code_encode('Rossi', 'Mario', 'M', '1970-05-10', 'A944') AS mario,
       ticket.fiscal_code_encode('Costa', 'Elena', 'F', '1965-08-08', 'F257') AS elena \gset
INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl, gp_code)
VALUES (:'mario', 'Rossi', 'Mario', 'M', '1970-05-10', 'A944', '080105', 'GPBO1'),
       (:'elena', 'Costa', 'Elena', 'F', '1965-08-08', 'F257', '080104', NULL);
CREATE ROLE borrow_consumer_nobind NOLOGIN IN ROLE ticket_event_consumer;
CREATE ROLE borrow_consumer_gp NOLOGIN IN ROLE ticket_event_consumer;
INSERT INTO ticket.role_binding (role_name, asl_code, gp_code) VALUES ('borrow_consumer_gp', NULL, 'GPBO1');
SELECT max(event_id) AS ev0 FROM ticket.event \gset
SELECT registry.self_certify(:'mario', 'RE3', 'cup_desk', 'desk1', '2015-01-01', signed_at => '2015-01-01') IS NOT NULL AS d,
       registry.self_certify(:'elena', 'RE3', 'cup_desk', 'desk1', '2015-01-01', signed_at => '2015-01-01') IS NOT NULL AS d \gset
-- events_after's horizon is the oldest running transaction: this one.
-- Read them as of a committed past through the function's own filter: the
-- test asks which events each role's filter lets through.
CREATE FUNCTION pg_temp.events_of(role_name name) RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('SET LOCAL ROLE %I', role_name);
    RETURN QUERY SELECT e.fiscal_code::text FROM ticket.events_after(0, 1000) e;
    RESET ROLE;
END;
$$;

SET LOCAL ROLE borrow_cup;
SELECT is(ticket.bound_asl('borrow_cup'), '080105', 'a CUP operator looks up its own binding');
SELECT throws_ok($$SELECT ticket.bound_asl('borrow_consumer')$$, '42501', 'a role may look up only its own binding',
                 'a CUP operator looks up another role''s binding (42501)');
SELECT throws_ok($$SELECT ticket.events_after(0, 10)$$, '42501', NULL,
                 'a CUP operator is no event consumer: events_after is not its (42501)');
SELECT throws_ok(format($$SELECT cup.cancel(1, %L)$$, repeat('x', 501)), '22001',
                 'argument reason of cup.cancel is 501 characters long: at most 500 are accepted',
                 'cup.cancel with a 501-character reason (22001), the reason not quoted');
SELECT throws_ok(format($$SELECT cup.book(%L, '2015-06-10')$$, repeat('0', 65)), '22001', NULL,
                 'cup.book with a 65-character NRE (22001)');
SELECT throws_ok($$SELECT cup.pay(999999999)$$, 'P0002', 'booking 999999999 does not exist',
                 'cup.pay of a booking that does not exist (P0002): the answer for another ASL''s booking too');
SET LOCAL ROLE borrow_gp;
SELECT is(ticket.bound_gp('borrow_gp'), 'GPBO1', 'a GP looks up its own binding');
SELECT throws_ok($$SELECT ticket.bound_gp('borrow_consumer_gp')$$, '42501', 'a role may look up only its own binding',
                 'a GP looks up another role''s binding (42501)');
SET LOCAL ROLE borrow_registry;
SELECT throws_ok(format($$SELECT registry.self_certify(%L, 'QB', 'revenue_agency', NULL, '2019-06-01', signed_at => '2099-01-01 00:00+00')$$, :'mario'),
                 '22023', 'a self-certification cannot be signed in the future (2099-01-01 00:00:00+00)',
                 'a Revenue Agency declaration signed in 2099 (22023)');
SELECT throws_ok(format($$SELECT registry.revoke_exemption(1, '2015-01-01', %L)$$, repeat('y', 10000)), '22001', NULL,
                 'registry.revoke_exemption with a 10,000-character reason (22001)');
RESET ROLE;
SELECT throws_ok(format($$INSERT INTO registry.declaration (fiscal_code, band, declarant, channel, signed_at, applies_from)
                          VALUES (%L, 'QB', %L, 'revenue_agency', '2099-01-01', '2019-06-01')$$, :'mario', :'mario'),
                 '22023', NULL, 'the superuser''s batch of a declaration signed in 2099 (22023)');
SELECT throws_ok($$SELECT * FROM pg_temp.events_of('borrow_consumer_nobind')$$, '42501',
                 'role borrow_consumer_nobind is not bound to an ASL or a GP: it may not read events',
                 'an event consumer bound to nothing reads no event (42501)');
SELECT lives_ok($$SELECT * FROM pg_temp.events_of('borrow_consumer')$$,
                'an event consumer bound to an ASL runs the manual''s consumer query');
SELECT lives_ok($$SELECT * FROM pg_temp.events_of('borrow_consumer_gp')$$,
                'an event consumer bound to a GP runs the manual''s consumer query');

SELECT * FROM finish();
ROLLBACK;
