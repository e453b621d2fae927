-- Operator classes: valid, used by indexes, consistent between btree and hash.
SET search_path = ticket, public;
SELECT opc.opcname, am.amname, amvalidate(opc.oid) AS valid
  FROM pg_opclass opc JOIN pg_am am ON am.oid = opc.opcmethod
 WHERE opc.opcnamespace = 'ticket'::regnamespace
 ORDER BY 1;

CREATE TEMP TABLE codes (cf fiscal_code);
INSERT INTO codes
SELECT fiscal_code_encode('Rossi', 'Mario', CASE WHEN g % 2 = 0 THEN 'M' ELSE 'F' END,
                          date '1950-01-01' + g, 'A944')
  FROM generate_series(1, 2000) AS g;
INSERT INTO codes VALUES ('02342520158'), ('STP0800001234567'), ('CCCFBA85D03L21VE'), ('CCCFBA85D03L219P');

-- Ordering is the text order in the C collation (numeric codes first).
SELECT cf FROM codes ORDER BY cf LIMIT 3;
SELECT count(*) AS mismatches
  FROM (SELECT cf, row_number() OVER (ORDER BY cf) AS by_type,
               row_number() OVER (ORDER BY cf::text COLLATE "C") AS by_text FROM codes) s
 WHERE by_type <> by_text;

-- Equality is literal: an omocode is a different key.  btree first, then hash.
CREATE UNIQUE INDEX codes_btree ON codes (cf);
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM codes WHERE cf = 'CCCFBA85D03L219P';
SELECT cf FROM codes WHERE cf = 'CCCFBA85D03L219P';
SELECT count(*) AS in_range FROM codes WHERE cf > 'CCCFBA85D03L219P' AND cf <= 'RSSMRA50A42A944L';
DROP INDEX codes_btree;
CREATE INDEX codes_hash ON codes USING hash (cf);
EXPLAIN (COSTS OFF) SELECT * FROM codes WHERE cf = 'CCCFBA85D03L21VE';
SELECT cf FROM codes WHERE cf = 'CCCFBA85D03L21VE';
RESET enable_seqscan;
RESET enable_bitmapscan;
SELECT count(*) AS same_range_by_seqscan FROM codes WHERE cf > 'CCCFBA85D03L219P' AND cf <= 'RSSMRA50A42A944L';

-- Hash join and hash aggregate agree with the merge join / sort.
SET enable_mergejoin = off;
SELECT count(*) FROM codes a JOIN codes b USING (cf);
RESET enable_mergejoin;
SET enable_hashjoin = off;
SELECT count(*) FROM codes a JOIN codes b USING (cf);
RESET enable_hashjoin;
SELECT fiscal_code_hash('CCCFBA85D03L219P') = fiscal_code_hash('cccfba85d03l219p') AS hash_stable,
       fiscal_code_hash_extended('CCCFBA85D03L219P', 0) <> fiscal_code_hash_extended('CCCFBA85D03L219P', 1) AS seeds_differ,
       fiscal_code_hash_extended('CCCFBA85D03L219P', 0) & 4294967295 = fiscal_code_hash('CCCFBA85D03L219P')::bigint & 4294967295 AS seed0_matches_hash;
