-- test/pgtap/network_batch.sql
--
-- The batch path (issue 19): an INSERT ... SELECT of many declarations and
-- grants writes what the same rows inserted one statement at a time write
-- -- the registry rows, the FSE profiles and events, the outbox events, the
-- re-priced bookings and the audit log -- and a bad row fails the whole
-- statement with the error and SQLSTATE it gets alone, nothing written.
-- One citizen with two declarations in one statement: they apply in the
-- order the statement produces its rows (the second closes the first); one
-- that would apply before an earlier row of the same statement is refused
-- (TK012), as it is in two statements.  The rows are checked one by one
-- and closed in one statement-level UPDATE; declaration_no_overlap, checked
-- at commit, still refuses an overlap.  The closing looks each row's
-- citizen up once, whatever the size of the statement its plan was made for.
-- A declaration of the band it replaces re-prices nothing, and the band
-- compared is that of the declaration it closes, not of another one ending
-- the same day.
--
-- Each comparison runs the single-row path, keeps what it wrote in a psql
-- variable (ids left out: the sequences are not rolled back), rolls back to
-- a savepoint and runs the batch path on the same state.
--
-- Assumes CREATE EXTENSION ticket CASCADE and pgtap.  Run: pg_prove -d DB test/pgtap/

\set ON_ERROR_STOP 1
BEGIN;
\ir ../fixtures/birthplaces.sql
SET search_path = ticket, public;

SELECT plan(27);

INSERT INTO registry.gp (gp_code, fiscal_code, surname, given_name, asl_code)
VALUES ('GP001', ticket.fiscal_code_encode('Bianchi', 'Luca', 'M', '1960-02-03', 'F257'),
        'Bianchi', 'Luca', '080105');

-- Five citizens: four with a current declaration (QB from 2019-04-01), one
-- with none; each an unpaid booking of 88.74.1 on 2020-05-10 (prescribed
-- 2020-05-04), priced on the registry as it stands.
CREATE TEMP TABLE who (n int PRIMARY KEY, fiscal_code ticket.fiscal_code NOT NULL);
INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace,
                              residence_asl, gp_code)
SELECT ticket.fiscal_code_encode('Batch', given, 'M', date '1970-01-01' + n, 'A944'),
       'Batch', given, 'M', date '1970-01-01' + n, 'A944', '080105', 'GP001'
  FROM (VALUES (1, 'Anna'), (2, 'Bruno'), (3, 'Carlo'), (4, 'Dario'), (5, 'Enzo')) v(n, given);
INSERT INTO who
SELECT n, ticket.fiscal_code_encode('Batch', given, 'M', date '1970-01-01' + n, 'A944')
  FROM (VALUES (1, 'Anna'), (2, 'Bruno'), (3, 'Carlo'), (4, 'Dario'), (5, 'Enzo')) v(n, given);
SELECT count(registry.self_certify(w.fiscal_code::ticket.fiscal_code, 'QB', 'cup_desk', 'op1',
                                   '2019-04-01', NULL, 2018, '2019-03-20'))
  FROM who w WHERE w.n <= 4 \gset
SELECT count(fse.prescribe('0800000000002' || lpad(w.n::text, 2, '0'), w.fiscal_code::ticket.fiscal_code, 'GP001',
                           ARRAY['88.74.1'], NULL, date '2020-05-04'))
  FROM who w \gset
SELECT count(cup.book('0800000000002' || lpad(w.n::text, 2, '0'), date '2020-05-10')) FROM who w \gset

-- What the registry and everything downstream hold about the five, ids
-- left out; events, audit rows and FSE events in a fixed order (the order
-- they were written in differs between one statement and several).
CREATE TEMP TABLE mark AS SELECT coalesce(max(audit_id), 0) AS audit_id FROM ticket.audit_log;
CREATE FUNCTION pg_temp.written() RETURNS text LANGUAGE sql AS $$
    SELECT concat_ws(E'\n',
        (SELECT string_agg((to_jsonb(d) - 'declaration_id')::text, E'\n' ORDER BY d.fiscal_code, d.applies_from, d.valid_until)
           FROM registry.declaration d JOIN who w ON w.fiscal_code = d.fiscal_code),
        (SELECT string_agg((to_jsonb(g) - 'grant_id')::text, E'\n' ORDER BY g.fiscal_code, g.exemption, lower(g.valid))
           FROM registry.exemption_grant g JOIN who w ON w.fiscal_code = g.fiscal_code),
        (SELECT string_agg((to_jsonb(p) - 'declaration_id')::text, E'\n' ORDER BY p.fiscal_code)
           FROM fse.profile p JOIN who w ON w.fiscal_code = p.fiscal_code),
        (SELECT string_agg(concat_ws(' ', b.booking_id, b.status, b.amount, b.bill::text), E'\n' ORDER BY b.booking_id)
           FROM cup.booking b JOIN who w ON w.fiscal_code = b.fiscal_code),
        (SELECT string_agg(x, E'\n' ORDER BY x) FROM (
            SELECT concat_ws(' ', e.kind, e.fiscal_code, CASE WHEN e.kind IN ('declaration', 'exemption_granted')
                                                              THEN '' ELSE e.subject END,
                             e.payload - 'declaration_id' - 'grant_id') AS x
              FROM ticket.event e JOIN who w ON w.fiscal_code = e.fiscal_code) s),
        (SELECT string_agg(x, E'\n' ORDER BY x) FROM (
            SELECT concat_ws(' ', e.kind, e.fiscal_code, e.detail - 'declaration_id' - 'grant_id') AS x
              FROM fse.event e JOIN who w ON w.fiscal_code = e.fiscal_code) s),
        (SELECT string_agg(x, E'\n' ORDER BY x) FROM (
            SELECT concat_ws(' ', a.table_name, a.operation,
                             CASE WHEN a.table_name IN ('registry.declaration', 'registry.exemption_grant')
                                  THEN '' ELSE a.row_key END,
                             a.old_row - 'declaration_id' - 'grant_id',
                             a.new_row - 'declaration_id' - 'grant_id') AS x
              FROM ticket.audit_log a
             WHERE a.audit_id > (SELECT m.audit_id FROM mark m)) s))
$$;

-- The batch: a new band for three of the four (QM), the same band for the
-- fourth, a first declaration for the fifth, each from 2020-04-01 (the
-- Revenue Agency's channel); and E01/E02 grants for two of them.
CREATE TEMP TABLE batch (i int, n int, band text, applies_from date);
INSERT INTO batch VALUES (1, 1, 'QM', '2020-04-01'), (2, 2, 'QM', '2020-04-01'), (3, 3, 'QB', '2020-04-01'),
                         (4, 4, 'QM', '2020-04-01'), (5, 5, 'QM', '2020-04-01');
CREATE TEMP TABLE grant_batch (i int, n int, exemption text, valid daterange, source text);
INSERT INTO grant_batch VALUES (1, 2, 'E01', daterange('2020-04-01', NULL), 'mef_list'),
                               (2, 4, 'E02', daterange('2020-04-01', '2021-04-01'), 'self_certification');

CREATE FUNCTION pg_temp.declare_one(i int) RETURNS void LANGUAGE sql AS $$
    INSERT INTO registry.declaration (fiscal_code, band, declarant, channel, signed_at, applies_from, income_year)
    SELECT w.fiscal_code, b.band, w.fiscal_code, 'revenue_agency', timestamptz '2020-03-31 02:00+02',
           b.applies_from, 2019
      FROM batch b JOIN who w USING (n) WHERE b.i = declare_one.i $$;
CREATE FUNCTION pg_temp.grant_one(i int) RETURNS void LANGUAGE sql AS $$
    INSERT INTO registry.exemption_grant (fiscal_code, exemption, valid, source, granted_at)
    SELECT w.fiscal_code, g.exemption, g.valid, g.source, timestamptz '2020-03-31 03:00+02'
      FROM grant_batch g JOIN who w USING (n) WHERE g.i = grant_one.i $$;
CREATE FUNCTION pg_temp.declare_all() RETURNS void LANGUAGE sql AS $$
    INSERT INTO registry.declaration (fiscal_code, band, declarant, channel, signed_at, applies_from, income_year)
    SELECT w.fiscal_code, b.band, w.fiscal_code, 'revenue_agency', timestamptz '2020-03-31 02:00+02',
           b.applies_from, 2019
      FROM batch b JOIN who w USING (n) ORDER BY b.i $$;
CREATE FUNCTION pg_temp.grant_all() RETURNS void LANGUAGE sql AS $$
    INSERT INTO registry.exemption_grant (fiscal_code, exemption, valid, source, granted_at)
    SELECT w.fiscal_code, g.exemption, g.valid, g.source, timestamptz '2020-03-31 03:00+02'
      FROM grant_batch g JOIN who w USING (n) ORDER BY g.i $$;

SELECT pg_temp.written() AS before \gset

--------------------------------------------------------------------------
-- 1. Several citizens in one statement = one statement each
--------------------------------------------------------------------------
SAVEPOINT single;
SELECT count(pg_temp.declare_one(b.i)) FROM (SELECT i FROM batch ORDER BY i) b \gset
SELECT count(pg_temp.grant_one(g.i)) FROM (SELECT i FROM grant_batch ORDER BY i) g \gset
SELECT pg_temp.written() AS single_rows \gset
SELECT count(*) AS single_bad FROM ticket.check_consistency() \gset
ROLLBACK TO SAVEPOINT single;

SELECT is(pg_temp.written(), :'before', 'the savepoint gives back the state before the batch');
SELECT lives_ok('SELECT pg_temp.declare_all()', 'one INSERT ... SELECT of five declarations');
SELECT lives_ok('SELECT pg_temp.grant_all()', 'one INSERT ... SELECT of two grants');
SELECT is(pg_temp.written(), :'single_rows',
          'declarations, grants, FSE profiles and events, outbox events, bookings and audit rows equal those of one statement per row');
SELECT isnt(:'single_rows'::text, :'before'::text, '... which wrote something');
SELECT cmp_ok((SELECT count(*)::int FROM ticket.event e JOIN who w ON w.fiscal_code = e.fiscal_code
                 WHERE e.kind = 'repriced'), '>=', 3,
              '... among it re-priced bookings (QB to QM, the first declaration, the exemptions)');
SELECT is(:single_bad::int, 0, 'check_consistency() is empty after the single-row path');
SELECT is_empty('SELECT * FROM ticket.check_consistency()', 'check_consistency() is empty after the batch path');

--------------------------------------------------------------------------
-- 2. One citizen twice in one statement: applied in the statement's order
--------------------------------------------------------------------------
INSERT INTO batch VALUES (6, 1, 'QB', '2020-06-01'), (7, 1, 'QM', '2020-08-01');
DELETE FROM batch WHERE i <= 5;
SAVEPOINT single2;
SELECT count(pg_temp.declare_one(b.i)) FROM (SELECT i FROM batch ORDER BY i) b \gset
SELECT pg_temp.written() AS single_rows \gset
ROLLBACK TO SAVEPOINT single2;
SELECT lives_ok('SELECT pg_temp.declare_all()', 'two declarations of one citizen in one statement');
SELECT is(pg_temp.written(), :'single_rows', '... write what two statements write: the second closes the first');
SELECT results_eq(
    format($$SELECT band::text, applies_from, valid_until FROM registry.declaration
              WHERE fiscal_code = '%s' AND applies_from >= '2020-04-01' ORDER BY applies_from$$,
           (SELECT fiscal_code FROM who WHERE n = 1)),
    $$VALUES ('QM', date '2020-04-01', date '2020-06-01'), ('QB', '2020-06-01', '2020-08-01'),
             ('QM', '2020-08-01', NULL::date)$$,
    '... the history: each row closed by the next, the last current');

--------------------------------------------------------------------------
-- 3. A bad row fails the whole statement, with its own error
--------------------------------------------------------------------------
-- The second row would apply before the first (TK012), as in two statements.
SELECT count(*) AS decl0 FROM registry.declaration \gset
SELECT count(*) AS audit0 FROM ticket.audit_log \gset
DELETE FROM batch;
INSERT INTO batch VALUES (8, 2, 'QB', '2020-07-01'), (9, 2, 'QM', '2020-06-01'), (10, 3, 'QM', '2020-07-01');
SELECT throws_ok('SELECT pg_temp.declare_all()', 'TK012',
    format('a declaration for %s from 2020-06-01 would apply before the current one (from 2020-07-01)',
           (SELECT fiscal_code FROM who WHERE n = 2)),
    'a row applying before an earlier row of the same statement: TK012, as alone');
SELECT is((SELECT count(*) FROM registry.declaration) + (SELECT count(*) FROM ticket.audit_log),
          :decl0::bigint + :audit0::bigint, '... and nothing of the statement is written');

-- A grant of a code the catalogue does not hold (TK008) after a good one.
SELECT count(*) AS grants0 FROM registry.exemption_grant \gset
DELETE FROM grant_batch;
INSERT INTO grant_batch VALUES (3, 3, 'E01', daterange('2020-04-01', '2021-04-01'), 'mef_list'),
                               (4, 5, 'E05', daterange('2020-04-01', '2021-04-01'), 'mef_list');
SELECT throws_ok('SELECT pg_temp.grant_all()', 'TK008', 'exemption E05 is not in the exemption catalogue on 2020-04-01',
    'a grant the catalogue does not hold after a good one: TK008, as alone');
SELECT is((SELECT count(*) FROM registry.exemption_grant), :grants0::bigint, '... and neither grant is written');

--------------------------------------------------------------------------
-- 4. Set-based: one closing per statement, the overlap checked at commit
--------------------------------------------------------------------------
-- The closing runs once per statement (declaration_close_previous), the
-- checks once per row; counted by the function statistics of this
-- transaction.
DELETE FROM batch;
INSERT INTO batch VALUES (11, 1, 'QB', '2020-08-15'), (12, 2, 'QB', '2020-08-15'), (13, 3, 'QB', '2020-08-15'),
                         (14, 4, 'QM', '2020-08-15'), (15, 5, 'QB', '2020-08-15');
SET LOCAL track_functions = 'pl';
CREATE TEMP TABLE calls0 AS
SELECT f.funcname::text AS funcname, f.calls FROM pg_stat_xact_user_functions f
 WHERE f.schemaname = 'registry' AND f.funcname IN ('declarations_close', 'declaration_before_insert');
SELECT lives_ok('SELECT pg_temp.declare_all()', 'a statement of five declarations');
SELECT is((SELECT string_agg(f.funcname || ' ' || (f.calls - coalesce((SELECT c.calls FROM calls0 c
                                                                            WHERE c.funcname = f.funcname), 0)),
                              ', ' ORDER BY f.funcname)
             FROM pg_stat_xact_user_functions f
            WHERE f.schemaname = 'registry' AND f.funcname IN ('declarations_close', 'declaration_before_insert')),
          'declaration_before_insert 5, declarations_close 1',
          '... checked row by row, closed in one statement-level call');
SELECT is((SELECT count(*)::int FROM registry.declaration d JOIN who w ON w.fiscal_code = d.fiscal_code
            WHERE d.valid_until IS NULL),
          5, '... which leaves each citizen one current declaration');

-- declaration_no_overlap is checked at commit; SET CONSTRAINTS ...
-- IMMEDIATE checks it now: the batch path's rows pass, a new declaration
-- left overlapping the current one (the closing trigger off) does not.
SELECT lives_ok('SET CONSTRAINTS registry.declaration_no_overlap IMMEDIATE',
                '... and its rows pass the check of declaration_no_overlap');
SET CONSTRAINTS registry.declaration_no_overlap DEFERRED;
-- (Results are kept in psql variables: the rollback to the savepoint would
-- undo pgTAP's record of a test run inside it.)
CREATE FUNCTION pg_temp.sqlstate_of(command text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE command;
    RETURN '00000';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END $$;
SAVEPOINT overlap;
ALTER TABLE registry.declaration DISABLE TRIGGER declaration_close_previous,
                                 DISABLE TRIGGER declarations_propagate;  -- it needs one current
INSERT INTO registry.declaration (fiscal_code, band, declarant, channel, operator, applies_from)
SELECT w.fiscal_code, 'QM', w.fiscal_code, 'cup_desk', 'op1', date '2020-08-20' FROM who w WHERE w.n = 1;
SELECT count(*) AS open_after FROM registry.declaration d JOIN who w ON w.fiscal_code = d.fiscal_code
 WHERE w.n = 1 AND d.valid_until IS NULL \gset
SELECT pg_temp.sqlstate_of('SET CONSTRAINTS registry.declaration_no_overlap IMMEDIATE') AS overlap_check \gset
ROLLBACK TO SAVEPOINT overlap;
SELECT is(:open_after::int, 2, 'without the closing trigger a new declaration is inserted over the current one');
SELECT is(:'overlap_check'::text, '23P01'::text, '... and the check of declaration_no_overlap refuses it: 23P01');

--------------------------------------------------------------------------
-- 5. The closing's plan, whatever the statement's size
--------------------------------------------------------------------------
-- The closing looks each row's citizen up once, not once per other row of
-- the statement: a plan made for one declaration (PL/pgSQL kept the plan
-- of the session's first statement) did, 34,000 x 34,000 pairs in a
-- 50,000-citizen replay, a third of its time (issue 19).  Counted while a
-- statement of 400 declarations runs, after one of one: the index scans
-- of registry.declaration (this transaction's table statistics) and the
-- comparisons of fiscal codes the executor makes (its function
-- statistics), the two forms such a plan takes (a look-up per pair, or a
-- scan of the statement's rows per row).
INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace,
                              residence_asl, gp_code)
SELECT ticket.fiscal_code_encode('Piano', 'Anna', 'F', date '1950-01-01' + n, 'A944'),
       'Piano', 'Anna', 'F', date '1950-01-01' + n, 'A944', '080105', 'GP001'
  FROM generate_series(1, 401) n;
-- The tables here hold a few hundred rows, the region's millions: with
-- sequential scans off and the statistics of registry.declaration saying
-- millions (rolled back with the test), the planner plans as it does
-- there.  Both drop the plans kept so far.
SET LOCAL enable_seqscan = off;
ANALYZE registry.citizen, registry.declaration;
UPDATE pg_catalog.pg_class SET reltuples = 4480000, relpages = 1
 WHERE oid = 'registry.declaration'::regclass;
CREATE FUNCTION pg_temp.declare_planned(first_n int, last_n int) RETURNS void LANGUAGE sql AS $$
    INSERT INTO registry.declaration (fiscal_code, band, declarant, channel, operator, applies_from)
    SELECT c, 'QB', c, 'cup_desk', 'op1', date '2020-08-20'
      FROM generate_series(first_n, last_n) n,
           ticket.fiscal_code_encode('Piano', 'Anna', 'F', date '1950-01-01' + n, 'A944') c
     ORDER BY n;
$$;
CREATE FUNCTION pg_temp.lookups_and_comparisons() RETURNS bigint LANGUAGE sql AS $$
    SELECT t.idx_scan + coalesce(pg_catalog.pg_stat_get_xact_function_calls(   -- NULL before a first call
                                     'ticket.fiscal_code_eq(ticket.fiscal_code,ticket.fiscal_code)'::regprocedure), 0)
      FROM pg_catalog.pg_stat_xact_user_tables t
     WHERE t.relid = 'registry.declaration'::regclass;
$$;
SET LOCAL track_functions = 'all';
SELECT pg_temp.declare_planned(1, 1);
SELECT pg_temp.lookups_and_comparisons() AS work_before \gset
SELECT pg_temp.declare_planned(2, 401);
SELECT cmp_ok(pg_temp.lookups_and_comparisons() - :work_before, '<', 400 * 20::bigint,
              'a statement of 400 declarations after one of one: fewer than 20 look-ups and comparisons of fiscal codes a row');

--------------------------------------------------------------------------
-- 6. A declaration that changes no band re-prices nothing
--------------------------------------------------------------------------
-- 80 % of the 1 April batch declares the band the citizen had: their
-- bookings and prescriptions keep their price, and pricing them all again
-- was a tenth of the batch (issue 19).  Counted: the calls of
-- ticket.citizen_status, which every pricing of a booking or prescription
-- makes.  Two citizens, QB from 2019-04-01 and an unpaid booking on
-- 2020-07-10; the second declares QM from 2020-06-01 first.
INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace,
                              residence_asl, gp_code)
SELECT ticket.fiscal_code_encode('Sesto', 'Ugo', 'M', date '1960-01-01' + n, 'A944'),
       'Sesto', 'Ugo', 'M', date '1960-01-01' + n, 'A944', '080105', 'GP001'
  FROM generate_series(1, 2) n;
CREATE FUNCTION pg_temp.sesto(n int) RETURNS ticket.fiscal_code LANGUAGE sql AS $$
    SELECT ticket.fiscal_code_encode('Sesto', 'Ugo', 'M', date '1960-01-01' + n, 'A944') $$;
SELECT count(registry.self_certify(pg_temp.sesto(n), 'QB', 'cup_desk', 'op1', '2019-04-01', NULL, 2018,
                                   '2019-03-20'))
  FROM generate_series(1, 2) n \gset
SELECT count(fse.prescribe('08000000000060' || n, pg_temp.sesto(n), 'GP001', ARRAY['88.74.1'], NULL,
                           date '2020-05-20'))
  FROM generate_series(1, 2) n \gset
SELECT count(cup.book('08000000000060' || n, date '2020-07-10')) FROM generate_series(1, 2) n \gset
SELECT b.bill AS qb_bill FROM cup.booking b WHERE b.nre = '080000000000602' \gset
CREATE FUNCTION pg_temp.declare_sesto(n int, band text) RETURNS void LANGUAGE sql AS $$
    INSERT INTO registry.declaration (fiscal_code, band, declarant, channel, operator, applies_from)
    VALUES (pg_temp.sesto(n), band::ticket.income_band, pg_temp.sesto(n), 'cup_desk', 'op1', date '2020-06-01') $$;
CREATE FUNCTION pg_temp.status_calls() RETURNS bigint LANGUAGE sql AS $$
    SELECT coalesce(pg_catalog.pg_stat_get_xact_function_calls(   -- NULL before a first call
               'ticket.citizen_status(ticket.fiscal_code,date)'::regprocedure), 0) $$;
SET LOCAL track_functions = 'all';   -- (as in 5) the counts of C functions
SELECT pg_temp.status_calls() AS calls_before_qm \gset
SELECT pg_temp.declare_sesto(2, 'QM');
SELECT isnt((SELECT b.bill::text FROM cup.booking b WHERE b.nre = '080000000000602'), :'qb_bill'::text,
            'QM from 2020-06-01: the booking of 2020-07-10 is re-priced');
SELECT cmp_ok(pg_temp.status_calls() - :calls_before_qm, '>', 0::bigint,
              '... and the count sees it (ticket.citizen_status called)');

-- As in 5, the planner plans as at the region, where the pricing starts
-- from the citizens a statement names (here, with a few rows, it priced
-- every booking of the table and then kept the citizen's).
ANALYZE cup.booking, fse.prescription;
UPDATE pg_catalog.pg_class SET reltuples = 7168000, relpages = 1
 WHERE oid IN ('cup.booking'::regclass, 'fse.prescription'::regclass);
SELECT pg_temp.status_calls() AS calls_before \gset
SELECT pg_temp.declare_sesto(1, 'QB');
SELECT is(pg_temp.status_calls() - :calls_before, 0::bigint,
          'QB from 2020-06-01 over QB: no booking or prescription priced again');

-- The second citizen's QB closes the QM, which began that day: two
-- declarations now end on 2020-06-01, the QM and the QB of 2019, and only
-- the QM is the one closed (a QB like the new one: no change, wrongly).
SELECT pg_temp.declare_sesto(2, 'QB');
SELECT is((SELECT b.bill::text FROM cup.booking b WHERE b.nre = '080000000000602'), :'qb_bill'::text,
          'QB from 2020-06-01 over a QM of the same day: the booking is re-priced back to QB');
SELECT is_empty('SELECT * FROM ticket.check_consistency()', '... and check_consistency() is empty');

SELECT * FROM finish();
ROLLBACK;
