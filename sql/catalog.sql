-- Catalog hygiene: every function of the extension is labelled on purpose.
SET search_path = ticket, public;

-- Every function with its labels: a change of label shows up in the diff.
SELECT p.oid::regprocedure AS function, l.lanname AS language,
       p.provolatile AS volatility, p.proisstrict AS strict, p.proparallel AS parallel
  FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'ticket')
 ORDER BY p.oid::regprocedure::text;

-- No function left with the defaults (VOLATILE + PARALLEL UNSAFE) unless it
-- says why in its comment.
SELECT p.oid::regprocedure AS unlabelled
  FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'ticket')
   AND p.provolatile = 'v' AND p.proparallel = 'u'
   AND coalesce(obj_description(p.oid, 'pg_proc'), '') NOT LIKE '%VOLATILE because%';

-- Functions that depend on ICU are never IMMUTABLE.
SELECT p.oid::regprocedure AS icu_function_immutable
  FROM pg_proc p
 WHERE p.pronamespace = 'ticket'::regnamespace
   AND p.proname IN ('transliterate_name', 'icu_version', 'fiscal_code_encode', 'fiscal_code_matches')
   AND p.provolatile = 'i';

-- Functions reading tables are not IMMUTABLE.
SELECT p.oid::regprocedure AS table_reader_immutable
  FROM pg_proc p
 WHERE p.pronamespace = 'ticket'::regnamespace
   AND p.proname IN ('fiscal_code_birth_date', 'fiscal_code_place_known',
                     'fiscal_code_place_name', 'birthplace_name', 'price', 'regime_for',
                     'income_band_for', 'rules_cache_info')
   AND p.provolatile = 'i';

-- Every SQL and PL/pgSQL function pins search_path.
SELECT p.oid::regprocedure AS no_search_path
  FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'ticket')
   AND l.lanname IN ('sql', 'plpgsql')
   AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=%');

-- Every function of the extension has a comment (type I/O and operator
-- support included: \df+ explains them all).
SELECT p.oid::regprocedure AS function_without_comment
  FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'ticket')
   AND obj_description(p.oid, 'pg_proc') IS NULL;

-- So has every operator, type, table, view and sequence.
SELECT o.oid::regoperator AS operator_without_comment
  FROM pg_operator o
  JOIN pg_depend d ON d.classid = 'pg_operator'::regclass AND d.objid = o.oid AND d.deptype = 'e'
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'ticket')
   AND obj_description(o.oid, 'pg_operator') IS NULL;
SELECT t.oid::regtype AS type_without_comment
  FROM pg_type t
  JOIN pg_depend d ON d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e'
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'ticket')
   -- PostgreSQL 17 records the implicit types too (a type's array type, a
   -- table's or view's row type): they are their owner's, not objects of their own.
   AND NOT EXISTS (SELECT 1 FROM pg_type e WHERE e.typarray = t.oid)
   AND NOT EXISTS (SELECT 1 FROM pg_class r WHERE r.oid = t.typrelid AND r.relkind <> 'c')
   AND obj_description(t.oid, 'pg_type') IS NULL;
SELECT c.oid::regclass AS relation_without_comment, c.relkind
  FROM pg_class c
  JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'ticket')
   AND c.relkind IN ('r', 'v', 'S') AND obj_description(c.oid, 'pg_class') IS NULL;

-- Extension tables whose rows users create are registered for pg_dump.
SELECT c.relnamespace::regnamespace AS schema, c.relname, pg_extension_config_dump_registered
  FROM pg_class c,
       LATERAL (SELECT c.oid = ANY (e.extconfig) AS pg_extension_config_dump_registered
                  FROM pg_extension e WHERE e.extname = 'ticket') x
 WHERE c.relnamespace IN ('ticket'::regnamespace, 'registry'::regnamespace,
                           'fse'::regnamespace, 'cup'::regnamespace)
   AND c.relkind IN ('r', 'S')
 ORDER BY 1, 2;

-- Every table and view of the network has a comment.
SELECT c.oid::regclass AS table_without_comment
  FROM pg_class c
 WHERE c.relnamespace IN ('registry'::regnamespace, 'fse'::regnamespace, 'cup'::regnamespace)
   AND c.relkind IN ('r', 'v') AND obj_description(c.oid, 'pg_class') IS NULL;

-- Every trigger on the extension's tables runs a function that pins
-- search_path or is written in C.
SELECT t.tgrelid::regclass AS on_table, t.tgname, t.tgfoid::regprocedure AS unpinned_trigger_function
  FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_language l ON l.oid = p.prolang
 WHERE NOT t.tgisinternal
   AND t.tgrelid IN (SELECT c.oid FROM pg_class c
                      WHERE c.relnamespace IN ('ticket'::regnamespace, 'registry'::regnamespace,
                                               'fse'::regnamespace, 'cup'::regnamespace))
   AND l.lanname <> 'c'
   AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) cfg WHERE cfg LIKE 'search_path=%');

-- Every column of every table and view of the extension has a comment, so
-- that \d+ explains it.
SELECT c.oid::regclass AS table_name, a.attname AS column_without_comment
  FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE c.relnamespace IN ('ticket'::regnamespace, 'registry'::regnamespace,
                           'fse'::regnamespace, 'cup'::regnamespace)
   AND c.relkind IN ('r', 'v') AND col_description(c.oid, a.attnum) IS NULL
 ORDER BY 1, 2;

-- Trigger functions without a pinned search_path: only C ones that run no
-- SQL (cache invalidation, read-only rows, the outbox NOTIFY).  The C
-- triggers that run statements (prescriptions, bookings) pin it; a new
-- trigger function shows up here.
SELECT p.oid::regprocedure AS trigger_without_search_path, l.lanname AS language
  FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'ticket')
   AND p.prorettype = 'trigger'::regtype
   AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=%')
 ORDER BY p.oid::regprocedure::text;

--------------------------------------------------------------------------
-- 1.0: least privilege (ticket--0.5--1.0.sql; manual "Roles and row-level
-- security").  Each query lists what breaks a rule; an empty result is the
-- rule holding.
--------------------------------------------------------------------------

-- Every SECURITY DEFINER function pins its search_path, pg_temp last (a
-- temporary object cannot stand in for one of the extension's).
SELECT p.oid::regprocedure AS definer_without_pinned_search_path
  FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'ticket')
   AND p.prosecdef
   AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c
                    WHERE c = 'search_path=pg_catalog, ticket, pg_temp');

-- Every trigger function runs as the owner (it keeps tables the acting role
-- may not read consistent).
SELECT p.oid::regprocedure AS trigger_function_not_definer
  FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'ticket')
   AND p.prorettype = 'trigger'::regtype AND NOT p.prosecdef;

-- Nobody but the owner may execute a trigger function: a trigger fires
-- without EXECUTE, and CREATE TRIGGER needs it, so nobody else attaches
-- one to a table of their own.
SELECT p.oid::regprocedure AS trigger_function_executable
  FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'ticket')
   AND p.prorettype = 'trigger'::regtype
   AND EXISTS (SELECT 1 FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
                WHERE a.privilege_type = 'EXECUTE' AND a.grantee <> p.proowner);

-- PUBLIC executes no function of the extension.
SELECT p.oid::regprocedure AS executable_by_public
  FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'ticket')
   AND has_function_privilege('public', p.oid, 'EXECUTE');

-- Who may execute what: every function of the extension that a role other
-- than the owner may execute, with those roles, and whether it runs as the
-- owner.  This list is the documented API (the manual's "Security"): a
-- function missing here is the owner's alone; any other grant fails here.
SELECT p.oid::regprocedure AS function_name, p.prosecdef AS definer,
       (SELECT string_agg(a.grantee::regrole::text, ', ' ORDER BY a.grantee::regrole::text)
          FROM aclexplode(p.proacl) a
         WHERE a.privilege_type = 'EXECUTE' AND a.grantee <> p.proowner) AS executable_by
  FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'ticket')
   AND EXISTS (SELECT 1 FROM aclexplode(p.proacl) a
                WHERE a.privilege_type = 'EXECUTE' AND a.grantee <> p.proowner)
 ORDER BY p.oid::regprocedure::text;

-- The audit triggers serve exactly the tables of their contract,
-- ticket.audited_tables(): one with an audit trigger outside it would
-- fail at its first write, one in it without them would go unaudited.
(SELECT DISTINCT t.tgrelid::regclass::text AS audit_contract_mismatch
   FROM pg_trigger t
  WHERE t.tgfoid IN ('ticket.audit_insert()'::regprocedure, 'ticket.audit_update()'::regprocedure,
                     'ticket.audit_delete()'::regprocedure)
 EXCEPT SELECT unnest(ticket.audited_tables())::text)
UNION ALL
(SELECT unnest(ticket.audited_tables())::text
 EXCEPT SELECT t.tgrelid::regclass::text
   FROM pg_trigger t
  WHERE t.tgfoid = 'ticket.audit_insert()'::regprocedure);

-- Table privileges of PUBLIC: none.
SELECT c.oid::regclass AS readable_by_public, string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type)
  FROM pg_class c, aclexplode(c.relacl) a
 WHERE c.relnamespace IN ('ticket'::regnamespace, 'registry'::regnamespace,
                          'fse'::regnamespace, 'cup'::regnamespace)
   AND a.grantee = 0
 GROUP BY c.oid ORDER BY c.oid::regclass::text;

-- Schemas: PUBLIC uses none of them.
SELECT n.nspname, has_schema_privilege('public', n.oid, 'USAGE') AS public_usage
  FROM pg_namespace n WHERE n.nspname IN ('ticket', 'registry', 'fse', 'cup') ORDER BY 1;

-- Row-level security, enabled and forced, on every table of health data
-- that a shipped role may read; the policies, by table and role.
SELECT c.oid::regclass AS table_name, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced
  FROM pg_class c
 WHERE c.relnamespace IN ('registry'::regnamespace, 'fse'::regnamespace, 'cup'::regnamespace)
   AND c.relkind = 'r'
 ORDER BY c.oid::regclass::text;
SELECT pl.schemaname || '.' || pl.tablename AS table_name, pl.policyname, pl.cmd, pl.roles::text
  FROM pg_policies pl
 WHERE pl.schemaname IN ('registry', 'fse', 'cup', 'ticket')
 ORDER BY 1, 2;

-- The shipped roles: group roles that cannot log in, are no superusers and
-- do not bypass row-level security.
SELECT r.rolname, r.rolcanlogin, r.rolsuper, r.rolbypassrls
  FROM pg_roles r WHERE r.rolname LIKE 'ticket\_%' AND r.rolname IN
       ('ticket_rules_admin', 'ticket_registry_operator', 'ticket_cup_operator', 'ticket_gp',
        'ticket_fse_portal', 'ticket_auditor', 'ticket_pgaudit')
 ORDER BY 1;

-- The settings the extension keeps are the superuser's only: a user cannot
-- SET them to pass a write off as the network's own.  Set before the
-- library is loaded (a placeholder), the value is discarded when it loads.
SET ROLE ticket_auditor;
SET ticket.internal_write = on;
SET ticket.locked_citizen = 'RSSMRA85D03L219X';
RESET ROLE;
SELECT ticket.acting_role() = current_user AS acting_role_is_current_user;
SHOW ticket.internal_write;
SHOW ticket.locked_citizen;
SET ROLE ticket_auditor;
SET ticket.internal_write = on;
SELECT set_config('ticket.locked_citizen', 'RSSMRA85D03L219X', true);
SET ticket.reprice_pending = on;
RESET ROLE;
SELECT name, context FROM pg_settings WHERE name LIKE 'ticket.%' ORDER BY 1;

-- The rules administrator updates every column of ticket.regime but its
-- status (ticket.enact_regime alone puts a draft in force): a column added
-- later must join the column grant, or this lists it.
SELECT a.attname AS regime_column_the_rules_admin_cannot_update
  FROM pg_attribute a
 WHERE a.attrelid = 'ticket.regime'::regclass AND a.attnum > 0 AND NOT a.attisdropped
   AND NOT has_column_privilege('ticket_rules_admin', 'ticket.regime', a.attname, 'UPDATE')
 ORDER BY 1;
