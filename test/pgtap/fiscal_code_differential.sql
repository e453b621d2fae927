-- test/pgtap/fiscal_code_differential.sql
--
-- Differential test: the C input rule (ticket.fiscal_code_is_valid) against
-- the PL/pgSQL reference in test/reference/fiscal_code_reference.sql on
-- 100,000 generated strings.  The reference is loaded with psql's \ir
-- (relative to this file), inside the transaction, and rolled back.
--
-- Assumes CREATE EXTENSION ticket and pgtap.  Run: pg_prove -d DB test/pgtap/

\set ON_ERROR_STOP 1
BEGIN;
SET search_path = ticket, public;

\ir ../reference/fiscal_code_reference.sql

SELECT plan(12);

-- The sample: fixed size and seed, so a failure reproduces.
CREATE TEMP TABLE diff_sample ON COMMIT DROP AS
SELECT row_number() OVER () AS id, s
  FROM ticket_reference.generate_codes(100000, 0.20240229) AS s;

CREATE TEMP TABLE diff_result ON COMMIT DROP AS
SELECT id, s,
       ticket.fiscal_code_is_valid(s)   AS c_valid,
       ticket_reference.is_valid(s)     AS ref_valid,
       ticket.fiscal_code_error(s)      AS c_error
  FROM diff_sample;

-- The values C accepted, as stored (kind, text form, canonical form).
CREATE TEMP TABLE diff_valid ON COMMIT DROP AS
SELECT r.id, r.s, v.code,
       ticket.fiscal_code_kind(v.code)             AS kind,
       ticket.fiscal_code_is_omocode(v.code)       AS omocode,
       ticket.fiscal_code_canonical(v.code)::text  AS canonical
  FROM diff_result r
 CROSS JOIN LATERAL (SELECT r.s::ticket.fiscal_code AS code) v
 WHERE r.c_valid;

SELECT is((SELECT count(*) FROM diff_sample), 100000::bigint,
          'the generator produced 100000 strings');

-- 1. Same verdict on every string.
SELECT is((SELECT count(*) FROM diff_result WHERE c_valid IS DISTINCT FROM ref_valid), 0::bigint,
          'fiscal_code_is_valid agrees with ticket_reference.is_valid on every generated string');
SELECT diag(format('disagreement on %s: C says %s (%s), reference says %s',
                   quote_literal(s), c_valid, coalesce(c_error, 'valid'), ref_valid))
  FROM (SELECT * FROM diff_result WHERE c_valid IS DISTINCT FROM ref_valid ORDER BY id LIMIT 10) d;

-- 2. Not vacuous: a balanced sample that reaches every rule.
SELECT ok((SELECT count(*) FILTER (WHERE ref_valid)::numeric / count(*) FROM diff_result) BETWEEN 0.30 AND 0.70,
          format('between 30%% and 70%% of the strings are valid (%s of %s)',
                 (SELECT count(*) FILTER (WHERE ref_valid) FROM diff_result),
                 (SELECT count(*) FROM diff_result)));

SELECT is((SELECT array_agg(k ORDER BY k) FROM (
               SELECT k FROM (VALUES ('personal canonical', 5000), ('personal omocode', 10000),
                                     ('numeric', 3000), ('stp', 1000), ('eni', 1000),
                                     ('lower case or padded', 5000)) want(k, at_least)
                WHERE at_least > (SELECT count(*) FROM diff_valid v
                                   WHERE CASE want.k
                                           WHEN 'personal canonical' THEN v.kind = 'personal' AND NOT v.omocode
                                           WHEN 'personal omocode' THEN v.kind = 'personal' AND v.omocode
                                           WHEN 'lower case or padded' THEN v.s <> v.code::text
                                           ELSE v.kind = want.k
                                         END)) missing),
          NULL,
          'the valid strings include enough of every kind (canonical, omocode, numeric, STP, ENI, lower case/padded)');

SELECT is((SELECT array_agg(pattern ORDER BY pattern) FROM (
               SELECT pattern FROM unnest(ARRAY[
                   '^the code is empty$',
                   '^character \d+ is not an ASCII letter or digit$',
                   '^inner spaces are not allowed',
                   '^''.'' at position \d+ is not a letter or digit$',
                   '^a fiscal code has 16 characters or 11 digits',
                   '^an 11-character code must be all digits',
                   '^serial number 0000000',
                   '^office code \d+ is not valid$',
                   '^check digit should be',
                   '^an STP code has 13 digits',
                   '^an ENI code has 13 digits',
                   '^''.'' at position \d+ should be a letter$',
                   '^''.'' at position \d+ is neither a digit nor an omocode letter$',
                   '^''.'' is not a month letter$',
                   '^day \d+ is not a valid day$',
                   '^day 31 does not exist in (April|June|September|November)$',
                   '^day (29|30|31) does not exist in February$',
                   '^29 February does not exist in any year ending in',
                   '^''.'' cannot start a birthplace code$',
                   '^check character should be']) AS pattern
                WHERE (SELECT count(*) FROM diff_result WHERE c_error ~ pattern) < 20) missing),
          NULL,
          'the invalid strings reach every rejection rule at least 20 times');

-- 3. The value C stores is the reference normalisation (trim, ASCII upper case).
SELECT is((SELECT count(*) FROM diff_valid WHERE code::text IS DISTINCT FROM ticket_reference.normalize(s)),
          0::bigint,
          'every accepted string is stored trimmed and in upper case, as the reference normalises it');

-- 4. Check characters: C and reference compute the same one.
SELECT is((SELECT count(*) FROM diff_valid
            WHERE kind = 'personal'
              AND right(code::text, 1) IS DISTINCT FROM ticket_reference.check_char(left(code::text, 15))),
          0::bigint,
          'valid personal codes: the check character equals the reference one (omocode letters as written)');

SELECT is((SELECT count(*) FROM diff_valid
            WHERE kind = 'personal'
              AND right(canonical, 1) IS DISTINCT FROM ticket_reference.check_char(left(canonical, 15))),
          0::bigint,
          'valid personal codes: fiscal_code_canonical recomputes the check character as the reference does');

-- Strings rejected only for their check character: the character C asks for
-- is the reference one.
SELECT cmp_ok((SELECT count(*) FROM diff_result WHERE c_error ~ '^check character should be'),
              '>=', 5000::bigint,
              'at least 5000 strings are rejected for their check character alone');
SELECT is((SELECT count(*) FROM diff_result
            WHERE c_error ~ '^check character should be'
              AND substring(c_error from '^check character should be ''(.)''$')
                  IS DISTINCT FROM ticket_reference.check_char(left(ticket_reference.normalize(s), 15))),
          0::bigint,
          'a wrong check character: the one C asks for is the reference check character');
SELECT diag(format('check character for %s: C asks for %s, reference computes %s',
                   quote_literal(s), substring(c_error from '''(.)'''),
                   ticket_reference.check_char(left(ticket_reference.normalize(s), 15))))
  FROM (SELECT * FROM diff_result
         WHERE c_error ~ '^check character should be'
           AND substring(c_error from '^check character should be ''(.)''$')
               IS DISTINCT FROM ticket_reference.check_char(left(ticket_reference.normalize(s), 15))
         ORDER BY id LIMIT 10) d;

-- All 128 forms of 500 valid personal codes (64,000 codes) generated by C.
CREATE TEMP TABLE diff_forms ON COMMIT DROP AS
SELECT v.id, f.form::text AS form
  FROM (SELECT id, code FROM diff_valid WHERE kind = 'personal' ORDER BY id LIMIT 500) v
 CROSS JOIN LATERAL ticket.fiscal_code_omocodes(v.code) AS f(form);

SELECT is((SELECT count(*) FROM diff_forms), 64000::bigint,
          'fiscal_code_omocodes gives 128 forms for each of 500 valid personal codes');
SELECT is((SELECT count(*) FROM diff_forms
            WHERE NOT ticket_reference.is_valid(form)
               OR right(form, 1) IS DISTINCT FROM ticket_reference.check_char(left(form, 15))),
          0::bigint,
          'every omocode form C generates is valid for the reference, with the reference check character');

SELECT * FROM finish();
ROLLBACK;
