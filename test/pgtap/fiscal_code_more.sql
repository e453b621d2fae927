-- test/pgtap/fiscal_code_more.sql
--
-- Issue 16, part A: fiscal codes without tables.  Names drop every
-- non-letter; a name without letters pads to XXX; per-field problems
-- (fiscal_code_problems); the normaliser for pasted input; omocode levels;
-- one-substitution candidates.  Expected codes were computed with an
-- independent script written from docs/codice-fiscale.md §2, §5, §6.
--
-- Assumes CREATE EXTENSION ticket and pgtap.  Run: pg_prove -d DB test/pgtap/

BEGIN;
SET search_path = ticket, public;

SELECT plan(100);

-- 1. Punctuation in names is dropped; a letter outside the table still raises.
SELECT is(transliterate_name('Marco—Antonio'), 'MARCOANTONIO', 'em dash dropped');
SELECT is(transliterate_name('Rossi–Bianchi'), 'ROSSIBIANCHI', 'en dash dropped');
SELECT is(transliterate_name('Rossi, Mario_Luigi'), 'ROSSIMARIOLUIGI', 'comma and underscore dropped');
SELECT is(transliterate_name('De Luca (jr.) & «figli» / 2°'), 'DELUCAJRFIGLI', 'brackets, ampersand, guillemets, slash, digit, degree sign dropped');
SELECT is(transliterate_name('Hawaiʻi'), 'HAWAII', 'ʻ (okina, a modifier letter used as an apostrophe) dropped');
SELECT is(transliterate_name(E'Anna\tMaria\u00A0Rosa'), 'ANNAMARIAROSA', 'tab and no-break space dropped');
SELECT is(fiscal_code_encode('Rossi', 'Marco—Antonio', 'M', '1980-01-01', 'H501')::text, 'RSSMCN80A01H501E',
          'given name Marco—Antonio: MCN, as Marco Antonio');
SELECT is(fiscal_code_encode('Rossi', 'Marco—Antonio', 'M', '1980-01-01', 'H501'),
          fiscal_code_encode('Rossi', 'Marco Antonio', 'M', '1980-01-01', 'H501'),
          'a dash and a space give the same code');
SELECT throws_ok($$SELECT transliterate_name('Muñoz—Pérez')$$, '22023',
                 'name "Muñoz—Pérez" contains "ñ", which the fiscal code transliteration table does not cover',
                 'a letter the table does not know still raises, dash or not');
SELECT throws_ok($$SELECT transliterate_name(U&'Q\0301uinto')$$, '22023', NULL,
                 'a combining mark that does not compose is part of a letter: raises');
SELECT throws_ok($$SELECT transliterate_name('Иван-Петров')$$, '22023', NULL,
                 'Cyrillic still raises');

-- 2. No letters: the triplet is XXX (RSSXXX85T10A562R is a real code).
SELECT is(fiscal_code_encode('Rossi', '', 'M', '1985-12-10', 'A562')::text, 'RSSXXX85T10A562R',
          'empty given name');
SELECT is(fiscal_code_encode('Rossi', ' — ', 'M', '1985-12-10', 'A562')::text, 'RSSXXX85T10A562R',
          'a given name of punctuation only');
SELECT is(fiscal_code_encode('', 'Maria', 'F', '1990-01-01', 'H501')::text, 'XXXMRA90A41H501J',
          'empty surname');
SELECT is(fiscal_code_encode('', '', 'F', '1990-05-20', 'Z210')::text, 'XXXXXX90E60Z210F',
          'neither name');
SELECT ok(fiscal_code_matches('RSSXXX85T10A562R', 'Rossi', '', 'M', '1985-12-10', 'A562'),
          'fiscal_code_matches with an empty given name');
SELECT ok(fiscal_code_matches('RSSXXX85T10A56NG', 'Rossi', '', 'M', '1985-12-10', 'A562'),
          '... and its omocode');

-- 3. Per-field problems.
CREATE FUNCTION pg_temp.problems(text) RETURNS text LANGUAGE sql AS
$$SELECT coalesce(string_agg(format('%s@%s %s', field, coalesce(position::text, '-'), coalesce(expected, '-')), '; '
                             ORDER BY position NULLS FIRST), '')
    FROM ticket.fiscal_code_problems($1)$$;
SELECT is(pg_temp.problems('CCCFBA85D03L219P'), '', 'a valid code: no problem');
SELECT is(pg_temp.problems(' cccfba85d03l21ve '), '', 'a valid omocode, lower case, spaces around: no problem');
SELECT is(pg_temp.problems('02342520158') || pg_temp.problems('STP0800001234567'), '',
          'valid numeric and STP codes: no problem');
SELECT is(pg_temp.problems('C1CFBA85D03L219P'), 'surname@2 A-Z', 'surname');
SELECT is(pg_temp.problems('CCCF8A85D03L219P'), 'given_name@5 A-Z', 'given name');
SELECT is(pg_temp.problems('CCCFBA8AD03L219P'), 'year@8 0-9 or L M N P Q R S T U V', 'year');
SELECT is(pg_temp.problems('CCCFBA85F03L219P'), 'month@9 A B C D E H L M P R S T', 'month letter');
SELECT is(pg_temp.problems('CCCFBA85403L219P'), 'month@9 A B C D E H L M P R S T', 'month not a letter');
SELECT is(pg_temp.problems('CCCFBA85D32L219P'), 'day@10 01-31 (men) or 41-71 (women)', 'day 32');
SELECT is(pg_temp.problems('CCCFBA85D31L219P'), 'day@10 1-30', 'day 31 in April');
SELECT is(pg_temp.problems('CCCFBA85B30L219P'), 'day@10 1-29', 'day 30 in February');
SELECT is(pg_temp.problems('CCCFBA85B29L219P'), 'year@7 a year divisible by 4', '29 February of a year ending in 85');
SELECT is(pg_temp.problems('CCCFBA85D03N219P'), 'birthplace@12 A-I, L, M or Z', 'birthplace letter');
SELECT is(pg_temp.problems('CCCFBA85D03LA19P'), 'birthplace@13 0-9 or L M N P Q R S T U V', 'birthplace digits');
SELECT is(pg_temp.problems('CCCFBA85D03L219X'), 'check@16 P', 'check character, with the expected one');
SELECT is(pg_temp.problems('CCCFBA85D03L2190'), 'check@16 P', 'check character not a letter, with the expected one');
SELECT is(pg_temp.problems('1CCFBA8XF32J219P'),
          'surname@1 A-Z; year@8 0-9 or L M N P Q R S T U V; month@9 A B C D E H L M P R S T; '
          'day@10 01-31 (men) or 41-71 (women); birthplace@12 A-I, L, M or Z',
          'every wrong field at once; no check verdict while the rest is wrong');
SELECT is(pg_temp.problems('CCCFBA85D03L219'), 'code@- 16 characters or 11 digits', 'too short');
SELECT is(pg_temp.problems(''), 'code@- -', 'empty');
SELECT is(pg_temp.problems('CCCFBA85D03L21è'), 'code@15 -', 'non-ASCII');
SELECT is(pg_temp.problems('00743110158'), 'code@11 7', 'numeric code: the expected check digit');
SELECT results_eq($$SELECT field, position, problem, expected FROM fiscal_code_problems('CCCFBA85D31L219X')$$,
                  $$VALUES ('day'::text, 10, 'day 31 does not exist in April'::text, '1-30'::text)$$,
                  'the problem column is fiscal_code_error''s sentence');
SELECT is((SELECT count(*) FROM (VALUES ('CCCFBA85D03L219P'), ('CCCFBA85D03L219X'), ('X'), ('CCCFBA85B29L219P'),
                                       ('STP080000123456X'), ('RSSXXX85T10A562R'), ('00743110157')) AS v(c)
             WHERE fiscal_code_is_valid(c) <> NOT EXISTS (SELECT FROM fiscal_code_problems(c))), 0::bigint,
          'no problem exactly when fiscal_code_is_valid');

-- 4. The normaliser; the type's input stays strict.
SELECT is(fiscal_code_normalize(' ccc-fba 85d03 l219p '), 'CCCFBA85D03L219P', 'spaces and hyphens dropped, upper-cased');
SELECT is(fiscal_code_normalize(E'CCC\tFBA\n85D03L219P'), 'CCCFBA85D03L219P', 'tabs and newlines are spaces');
SELECT is(fiscal_code_normalize('0234-252-0158'), '02342520158', 'numeric code');
SELECT is(fiscal_code_normalize('CCC.FBA'), 'CCC.FBA', 'other ASCII kept: the type says what is wrong');
SELECT is(fiscal_code_normalize(''), '', 'empty stays empty');
SELECT throws_ok($$SELECT fiscal_code_normalize('CCC FBA–85D03')$$, '22021',
                 'cannot normalise "CCC FBA–85D03" as a fiscal code: character 8 is not ASCII',
                 'an en dash is not a hyphen: refused, its position in characters');
SELECT throws_ok($$SELECT fiscal_code_normalize(E'CCC\u00A0FBA')$$, '22021', NULL, 'a no-break space is refused');
SELECT throws_ok($$SELECT 'ccc-fba-85d03-l219p'::fiscal_code$$, '22P02', NULL, 'the type''s input stays strict');
SELECT is(fiscal_code(fiscal_code_normalize('ccc-fba-85d03-l219p'))::text, 'CCCFBA85D03L219P', 'normalise, then cast');

-- 5. Omocode levels.
SELECT results_eq($$SELECT fiscal_code_omocode('CCCFBA85D03L219P', l)::text FROM generate_series(0, 7) AS l$$,
                  $$VALUES ('CCCFBA85D03L219P'), ('CCCFBA85D03L21VE'), ('CCCFBA85D03L2MVP'), ('CCCFBA85D03LNMVE'),
                           ('CCCFBA85D0PLNMVA'), ('CCCFBA85DLPLNMVL'), ('CCCFBA8RDLPLNMVX'), ('CCCFBAURDLPLNMVU')$$,
                  'levels 0-7 of CCCFBA85D03L219P');
SELECT results_eq($$SELECT fiscal_code_omocode('RSSXXX85T10A562R', l)::text FROM generate_series(0, 7) AS l$$,
                  $$VALUES ('RSSXXX85T10A562R'), ('RSSXXX85T10A56NG'), ('RSSXXX85T10A5SNS'), ('RSSXXX85T10ARSNN'),
                           ('RSSXXX85T1LARSNQ'), ('RSSXXX85TMLARSNB'), ('RSSXXX8RTMLARSNN'), ('RSSXXXURTMLARSNK')$$,
                  'levels 0-7 of RSSXXX85T10A562R');
SELECT is(fiscal_code_omocode('CCCFBAURDLPLNMVU', 1)::text, 'CCCFBA85D03L21VE', 'the level applies to the data, whatever form comes in');
SELECT is((SELECT array_agg(fiscal_code_omocode_mask(fiscal_code_omocode('RSSMRA80A01H5L1F', l)) ORDER BY l)
             FROM generate_series(0, 7) AS l), ARRAY[0, 1, 3, 7, 15, 31, 63, 127], 'level l has mask 2^l - 1');
SELECT is(fiscal_code_omocode('02342520158', 3)::text, '02342520158', 'a numeric code is itself');
SELECT throws_ok($$SELECT fiscal_code_omocode('CCCFBA85D03L219P', 8)$$, '22023', 'omocode level 8 is out of range', 'level 8');
SELECT throws_ok($$SELECT fiscal_code_omocode('CCCFBA85D03L219P', -1)$$, '22023', 'omocode level -1 is out of range', 'level -1');

-- 6. Candidates one substitution away.
SELECT is((SELECT count(*) FROM fiscal_code_candidates('cccfxa85d03l219p')), 15::bigint, '15 candidates for CCCFXA85D03L219P');
SELECT ok('CCCFBA85D03L219P' IN (SELECT c::text FROM fiscal_code_candidates('CCCFXA85D03L219P') AS c),
          '... among them the code typed with X for B');
SELECT is((SELECT array_agg(c::text) FROM fiscal_code_candidates('CCCFBA85D03L219X') AS c WHERE c::text LIKE 'CCCFBA85D03L219_'),
          ARRAY['CCCFBA85D03L219P'], 'a wrong check character: the right one is a candidate');
SELECT is((SELECT count(*) FROM fiscal_code_candidates('CCCFBA85D03L219X')), 13::bigint, '13 candidates for CCCFBA85D03L219X');
SELECT ok('CCCFBA85D03L21VE' IN (SELECT c::text FROM fiscal_code_candidates('CCCFBA85D03L21VP') AS c),
          'validator.js''s forgery CCCFBA85D03L21VP: the real omocode is a candidate');
SELECT is((SELECT count(*) FROM fiscal_code_candidates('CCCFBA85D03L219P')), 0::bigint, 'a valid code has no candidate');
SELECT is((SELECT count(*) FROM fiscal_code_candidates('STP0800001234567')), 0::bigint, 'STP codes have no check: no candidate');
SELECT is((SELECT count(*) FROM fiscal_code_candidates('CCCFBA85D03L219-')), 1::bigint, 'a typed hyphen is a typo like another');
SELECT throws_ok($$SELECT * FROM fiscal_code_candidates('CCCFBA85D03L219')$$, '22023',
                 'cannot list candidates for "CCCFBA85D03L219": it is not 16 printable ASCII characters', '15 characters');
SELECT throws_ok($$SELECT * FROM fiscal_code_candidates('CCCFBA85D03L21è')$$, '22023', NULL, 'non-ASCII');
SELECT throws_ok($$SELECT * FROM fiscal_code_candidates('02342520158')$$, '22023', NULL, 'numeric codes have no candidates');
-- Every one-character typo of two codes: the original among at most 16 candidates.
CREATE TEMP TABLE typo ON COMMIT DROP AS
SELECT code, overlay(code PLACING ch FROM pos FOR 1) AS typed
  FROM unnest(ARRAY['CCCFBA85D03L219P', 'RSSXXX85T10A56NG']) AS code,
       generate_series(1, 16) AS pos,
       regexp_split_to_table('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', '') AS ch
 WHERE substr(code, pos, 1) <> ch AND NOT fiscal_code_is_valid(overlay(code PLACING ch FROM pos FOR 1));
SELECT is((SELECT count(*) FROM typo), 1120::bigint, 'no typo of a valid code is valid (the check character catches it)');
SELECT is((SELECT count(*) FROM typo WHERE code::fiscal_code NOT IN (SELECT fiscal_code_candidates(typed))), 0::bigint,
          'the original code is a candidate of each of its 1120 typos');
SELECT cmp_ok((SELECT max(n) FROM (SELECT (SELECT count(*) FROM fiscal_code_candidates(typed)) AS n FROM typo) AS t),
              '<=', 16::bigint, 'never more than 16 candidates');

-- 7. Partial codes: the first 11 or 15 characters.
SELECT results_eq($$SELECT * FROM fiscal_code_decode_partial('CCCFBA85D03')$$,
                  $$VALUES ('CCC'::text, 'FBA'::text, 85, 4, 3, 'M'::text, NULL::text, NULL::fiscal_code)$$,
                  '11 characters: triplets, date, sex; no birthplace, no code');
SELECT results_eq($$SELECT * FROM fiscal_code_decode_partial(' rssmra85t50a562 ')$$,
                  $$VALUES ('RSS'::text, 'MRA'::text, 85, 12, 10, 'F'::text, 'A562'::text, 'RSSMRA85T50A562W'::fiscal_code)$$,
                  '15 characters: the birthplace and the whole code with its check character');
SELECT results_eq($$SELECT year2, day, birthplace, code::text FROM fiscal_code_decode_partial('CCCFBA8RDLPLNMV')$$,
                  $$VALUES (85, 3, 'L219'::text, 'CCCFBA8RDLPLNMVX'::text)$$,
                  'an omocode prefix: digits decoded, the code as written');
SELECT is((SELECT code FROM fiscal_code_decode_partial(left(c, 15))), c::fiscal_code,
          'the first 15 characters of ' || c || ' give it back')
  FROM unnest(ARRAY['RSSXXX85T10A562R', 'XXXMRA00B69H501L']) AS c;
SELECT throws_ok($$SELECT * FROM fiscal_code_decode_partial('RSSMRA85T50A56')$$, '22P02',
                 'invalid partial fiscal code "RSSMRA85T50A56": a partial fiscal code has 11 or 15 characters, not 14',
                 '14 characters');
SELECT throws_ok($$SELECT * FROM fiscal_code_decode_partial('RSSMRA85T50A562W')$$, '22P02', NULL, '16 characters are not partial');
SELECT throws_ok($$SELECT * FROM fiscal_code_decode_partial('RSSMRA85T32')$$, '22P02',
                 'invalid partial fiscal code "RSSMRA85T32": day 32 is not a valid day', 'day 32');
SELECT throws_ok($$SELECT * FROM fiscal_code_decode_partial('RSSMRA85B29')$$, '22P02',
                 'invalid partial fiscal code "RSSMRA85B29": 29 February does not exist in any year ending in 85', '29 February 85');
SELECT throws_ok($$SELECT * FROM fiscal_code_decode_partial('RSSMRA85T10N562')$$, '22P02',
                 'invalid partial fiscal code "RSSMRA85T10N562": ''N'' cannot start a birthplace code', 'birthplace letter');

-- 8. Field-by-field match against a person's data (the encoder's code).
CREATE FUNCTION pg_temp.mismatches(fiscal_code, text, text, text, date, text) RETURNS text LANGUAGE sql AS
$$SELECT coalesce(string_agg(field, ' ') FILTER (WHERE NOT matches), '')
    FROM ticket.fiscal_code_match_fields($1, $2, $3, $4, $5, $6)$$;
SELECT results_eq($$SELECT field FROM fiscal_code_match_fields('CCCFBA85D03L219P', 'Caccamo', 'Fabio', 'M', '1985-04-03', 'L219')$$,
                  $$VALUES ('surname'), ('given_name'), ('sex'), ('year'), ('month'), ('day'), ('birthplace')$$,
                  'seven fields, in code order');
SELECT is(pg_temp.mismatches('CCCFBA85D03L219P', 'Caccamo', 'Fabio', 'M', '1985-04-03', 'L219'), '', 'the data''s own code: all match');
SELECT is(pg_temp.mismatches('CCCFBAURDLPLNMVU', 'Caccamo', 'Fabio', 'M', '1985-04-03', 'L219'), '', 'an omocode (level 7): all match');
SELECT is(pg_temp.mismatches('RSSXXX85T10A56NG', 'Rossi', '', 'M', '1985-12-10', 'A562'), '', 'an omocode with XXX: all match');
SELECT is(pg_temp.mismatches('CCCFBA85D03L219P', 'Cicco', 'Fabio', 'M', '1985-04-03', 'L219'), '', 'Cicco and Caccamo share CCC: the code cannot tell');
SELECT is(pg_temp.mismatches('CCCFBA85D03L219P', 'Rossi', 'Fabio', 'M', '1985-04-03', 'L219'), 'surname', 'surname');
SELECT is(pg_temp.mismatches('CCCFBA85D03L219P', 'Caccamo', 'Maria', 'M', '1985-04-03', 'L219'), 'given_name', 'given name');
SELECT is(pg_temp.mismatches('CCCFBA85D03L219P', 'Caccamo', 'Fabio', 'F', '1985-04-03', 'L219'), 'sex', 'sex only (day 43 is day 3)');
SELECT is(pg_temp.mismatches('CCCFBA85D03L219P', 'Caccamo', 'Fabio', 'M', '1885-04-03', 'L219'), '', 'the century is not in the code');
SELECT is(pg_temp.mismatches('CCCFBA85D03L219P', 'Caccamo', 'Fabio', 'M', '1986-04-03', 'L219'), 'year', 'year');
SELECT is(pg_temp.mismatches('CCCFBA85D03L219P', 'Caccamo', 'Fabio', 'M', '1985-05-03', 'L219'), 'month', 'month');
SELECT is(pg_temp.mismatches('CCCFBA85D03L219P', 'Caccamo', 'Fabio', 'M', '1985-04-30', 'L219'), 'day', 'day');
SELECT is(pg_temp.mismatches('CCCFBA85D03L21VE', 'Caccamo', 'Fabio', 'M', '1985-04-03', 'L218'), 'birthplace', 'birthplace, through an omocode');
SELECT is(pg_temp.mismatches('CCCFBA85D03L219P', 'Verdi', 'Anna', 'F', '1990-01-31', 'H501'),
          'surname given_name sex year month day birthplace', 'nothing in common');
SELECT is((SELECT count(*) FILTER (WHERE matches IS NULL)
             FROM fiscal_code_match_fields('02342520158', 'Caccamo', 'Fabio', 'M', '1985-04-03', 'L219')), 7::bigint,
          'a numeric code has no fields: NULL');
SELECT is((SELECT bool_and(matches) FROM fiscal_code_match_fields(c, 'Caccamo', 'Fabio', 'M', '1985-04-03', 'L219'))
            = fiscal_code_matches(c, 'Caccamo', 'Fabio', 'M', '1985-04-03', 'L219'), true,
          'all fields match exactly when fiscal_code_matches: ' || c)
  FROM unnest(ARRAY['CCCFBA85D03L219P', 'CCCFBA85D03L2MVP', 'CCCFBA85D43L219T', 'CCCFBA85D03H501X']::fiscal_code[]) AS c;
SELECT throws_ok($$SELECT * FROM fiscal_code_match_fields('CCCFBA85D03L219P', 'Caccamo', 'Fabio', 'X', '1985-04-03', 'L219')$$,
                 '22023', NULL, 'bad personal data raise as in fiscal_code_matches');

SELECT * FROM finish();
ROLLBACK;
