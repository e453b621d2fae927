-- ticket.income_band: text and binary I/O, every error, casts, validation
-- without raising, ordering, operator classes and indexes.
\set VERBOSITY terse
SET search_path = ticket, public;

-- Version 0.2 arrives as an upgrade script: CREATE EXTENSION (install.sql)
-- runs ticket--0.1.sql then this path.
SELECT source, target, path FROM pg_extension_update_paths('ticket')
 WHERE source = '0.1' AND target = '0.2';

-- Storage: 4 bytes, by value, int4 alignment.
SELECT typname, typlen, typbyval, typalign, typstorage
  FROM pg_type WHERE oid IN ('income_band'::regtype, 'exemption'::regtype) ORDER BY 1;
SELECT pg_column_size('RE1'::income_band) AS bytes;

-- Accepted: 1 to 6 letters or digits, a letter first; surrounding ASCII
-- whitespace trimmed, ASCII case folded.  No table is read: any such code
-- is a band as far as the type goes.
SELECT c AS input, c::income_band AS band
  FROM unnest(ARRAY['RE1', 'RE2', 'RE3', 'QB', 'QM', 'qm', E' \tre1\n ', 'A', 'ABCDEF', 'Z9', 'R0']) AS c;

-- Every error message of the input function.
SELECT 'R-1'::income_band;
SELECT '1RE'::income_band;
SELECT ''::income_band;
SELECT '   '::income_band;
SELECT 'REDDITO1'::income_band;
SELECT 'R E1'::income_band;
SELECT 'RÈ1'::income_band;
SELECT income_band_error(E'RE\x011') AS control_character;
-- characters are checked before the length
SELECT 'REDDITO-1'::income_band;

-- Hints accompany the errors whose way out is not in the message.
\set VERBOSITY default
SELECT '1RE'::income_band;
SELECT 'REDDITO1'::income_band;
\set VERBOSITY terse

-- Casts to and from text (and from varchar), assignment casts.
SELECT 'qb'::text::income_band AS from_text, ' RE2 '::varchar::income_band AS from_varchar,
       'RE3'::income_band::text AS to_text, income_band('r1') AS function_form,
       text('QM'::income_band) AS text_function;
CREATE TEMP TABLE band_load (band income_band);
INSERT INTO band_load SELECT t FROM (VALUES ('RE1'::text), (' qm ')) AS v(t);
INSERT INTO band_load SELECT t FROM (VALUES ('RE2'::varchar)) AS v(t);
SELECT band FROM band_load ORDER BY band;
INSERT INTO band_load SELECT 'RE-1'::text;
UPDATE band_load SET band = 'RE3' WHERE band = 'RE2';
SELECT band::text || '!' AS text_again FROM band_load ORDER BY band;

-- Validation without raising, and the reason (the input function's).
SELECT c AS input, income_band_is_valid(c) AS is_valid, income_band_error(c) AS error
  FROM unnest(ARRAY['RE1', ' qb ', 'Z99999', '1RE', 'R-1', '', 'REDDITO1', 'R E1', 'RÈ1']) AS c;
SELECT income_band_is_valid(NULL) IS NULL AS strict_valid, income_band_error(NULL) IS NULL AS strict_error;

-- Operators: the text order of the codes in the C collation, a prefix first.
SELECT 'RE1'::income_band = 're1' AS eq, 'RE1'::income_band <> 'RE2' AS ne,
       'QM'::income_band < 'RE1' AS lt, 'RE1'::income_band <= 'RE1' AS le,
       'RE10'::income_band > 'RE1' AS gt, 'RE2'::income_band >= 'RE10' AS ge,
       'RE'::income_band < 'RE1' AS prefix_first;
SELECT b AS sorted
  FROM unnest(ARRAY['RE2', 'QM', 'RE10', 'RE1', 'RE', 'QB', 'Z', 'A0', 'A', 'ZZZZZZ', 'RE3']::income_band[]) AS b
 ORDER BY b;

-- 5000 generated codes and 300 real bands sort as their text does.
CREATE TEMP TABLE bands AS
SELECT g,
       (substr('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 1 + g % 26, 1) ||
        upper(substr(md5(g::text), 1, g % 6)))::income_band AS band
  FROM generate_series(1, 5000) AS g;
INSERT INTO bands SELECT g, 'RE' || (1 + g % 3) FROM generate_series(5001, 5300) AS g;
SELECT count(*) AS mismatches
  FROM (SELECT row_number() OVER (ORDER BY band, g) AS by_type,
               row_number() OVER (ORDER BY band::text COLLATE "C", g) AS by_text
          FROM bands) s
 WHERE by_type <> by_text;
SELECT count(DISTINCT band) AS distinct_bands, count(DISTINCT band::text) AS distinct_texts FROM bands;

-- Operator classes: valid, with int4's sort support and equalimage (dedup).
SELECT opc.opcname, am.amname, amvalidate(opc.oid) AS valid
  FROM pg_opclass opc JOIN pg_am am ON am.oid = opc.opcmethod
 WHERE opc.opcnamespace = 'ticket'::regnamespace AND opc.opcname LIKE 'income_band%'
 ORDER BY 1;
SELECT opf.opfname, p.amprocnum, p.amproc::regprocedure AS support
  FROM pg_amproc p JOIN pg_opfamily opf ON opf.oid = p.amprocfamily
 WHERE opf.opfnamespace = 'ticket'::regnamespace AND opf.opfname LIKE 'income_band%'
 ORDER BY 1, 2;

-- Indexes are used, and give the same rows as a sequential scan.
CREATE INDEX bands_btree ON bands (band);
ANALYZE bands;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT g FROM bands WHERE band = 'RE2';
SELECT count(*) AS re2_by_index FROM bands WHERE band = 'RE2';
EXPLAIN (COSTS OFF) SELECT band FROM bands WHERE band > 'R' AND band <= 'RZ' ORDER BY band;
SELECT count(*) AS range_by_index FROM bands WHERE band > 'R' AND band <= 'RZ';
DROP INDEX bands_btree;
CREATE INDEX bands_hash ON bands USING hash (band);
EXPLAIN (COSTS OFF) SELECT g FROM bands WHERE band = 'RE2';
SELECT count(*) AS re2_by_hash FROM bands WHERE band = 'RE2';
RESET enable_seqscan;
RESET enable_bitmapscan;
SET enable_indexscan = off;
SET enable_bitmapscan = off;
SELECT count(*) AS re2_by_seqscan FROM bands WHERE band = 'RE2';
SELECT count(*) AS range_by_seqscan FROM bands WHERE band > 'R' AND band <= 'RZ';
RESET enable_indexscan;
RESET enable_bitmapscan;

-- Hash join and hash aggregate agree with merge join and sort.
SET enable_mergejoin = off;
SET enable_nestloop = off;
SELECT count(*) AS hash_join FROM bands a JOIN bands b USING (band);
RESET enable_mergejoin;
SET enable_hashjoin = off;
SELECT count(*) AS merge_join FROM bands a JOIN bands b USING (band);
RESET enable_hashjoin;
RESET enable_nestloop;
SET enable_hashagg = off;
SELECT count(*) AS groups_by_sort FROM (SELECT band FROM bands GROUP BY band) s;
RESET enable_hashagg;
SET enable_sort = off;
SELECT count(*) AS groups_by_hash FROM (SELECT band FROM bands GROUP BY band) s;
RESET enable_sort;
SELECT income_band_hash('RE1') = income_band_hash(' re1') AS hash_stable,
       income_band_hash_extended('RE1', 0) <> income_band_hash_extended('RE1', 1) AS seeds_differ,
       income_band_hash_extended('RE1', 0) & 4294967295 = income_band_hash('RE1')::bigint & 4294967295 AS seed0_matches_hash;

-- Binary send/recv: the code's characters; the round trip; recv validates.
SELECT income_band_send('RE1') AS re1, income_band_send('qb') AS qb,
       income_band_send('ABCDEF') AS six;
CREATE TEMP TABLE band_bin_src (band income_band);
INSERT INTO band_bin_src VALUES ('RE1'), ('RE2'), ('RE3'), ('QB'), ('QM'), ('ABCDEF');
COPY band_bin_src TO '/tmp/ticket_regress_income_band.dat' WITH (FORMAT binary);
CREATE TEMP TABLE band_bin_dst (band income_band);
COPY band_bin_dst FROM '/tmp/ticket_regress_income_band.dat' WITH (FORMAT binary);
SELECT count(*) AS round_tripped FROM band_bin_src JOIN band_bin_dst USING (band);
COPY (SELECT 'r1'::text) TO '/tmp/ticket_regress_income_band.dat' WITH (FORMAT binary);
COPY band_bin_dst FROM '/tmp/ticket_regress_income_band.dat' WITH (FORMAT binary);
SELECT band FROM band_bin_dst WHERE band = 'R1';
COPY (SELECT '1RE'::text) TO '/tmp/ticket_regress_income_band.dat' WITH (FORMAT binary);
COPY band_bin_dst FROM '/tmp/ticket_regress_income_band.dat' WITH (FORMAT binary);
COPY (SELECT 'REDDITO'::text) TO '/tmp/ticket_regress_income_band.dat' WITH (FORMAT binary);
COPY band_bin_dst FROM '/tmp/ticket_regress_income_band.dat' WITH (FORMAT binary);
COPY (SELECT ''::text) TO '/tmp/ticket_regress_income_band.dat' WITH (FORMAT binary);
COPY band_bin_dst FROM '/tmp/ticket_regress_income_band.dat' WITH (FORMAT binary);

-- income_band and exemption are different types: no operator between them.
SELECT 'RE1'::income_band = 'E01'::exemption;
