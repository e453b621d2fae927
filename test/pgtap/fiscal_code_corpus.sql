-- test/pgtap/fiscal_code_corpus.sql
--
-- A corpus of valid and invalid inputs of ticket.fiscal_code, each checked
-- four ways (one TAP line each):
--   1. the input function accepts it (lives_ok) or raises 22P02 with the
--      exact message (throws_ok);
--   2. fiscal_code_is_valid() gives the same verdict;
--   3. fiscal_code_error() gives the same reason (NULL when valid);
--   4. valid: the stored text is the expected upper-case trimmed code;
--      invalid: the input function's message is built from exactly
--      fiscal_code_error()'s reason.
-- Expected check characters were derived with the algorithm of
-- /work/shared/docs/codice-fiscale.md §5 (CCCFBA85D03L219 -> P, §6 list).
--
-- Assumes CREATE EXTENSION ticket and pgtap.  Run: pg_prove -d DB test/pgtap/

BEGIN;
SET search_path = ticket, public;

CREATE TEMP TABLE corpus (
    id      serial PRIMARY KEY,
    label   text NOT NULL,
    input   text NOT NULL,
    reason  text,           -- NULL: valid
    stored  text            -- the text form of a valid code
) ON COMMIT DROP;

INSERT INTO corpus (label, input, reason, stored) VALUES
    -- personal codes and omocodes (doc §5, §6)
    ('canonical code (doc §5 worked example)', 'CCCFBA85D03L219P', NULL, 'CCCFBA85D03L219P'),
    ('omocode, position 15 substituted', 'CCCFBA85D03L21VE', NULL, 'CCCFBA85D03L21VE'),
    ('omocode, positions 14-15 substituted', 'CCCFBA85D03L2MVP', NULL, 'CCCFBA85D03L2MVP'),
    ('omocode, positions 13-15 substituted', 'CCCFBA85D03LNMVE', NULL, 'CCCFBA85D03LNMVE'),
    ('omocode, all seven positions substituted', 'CCCFBAURDLPLNMVU', NULL, 'CCCFBAURDLPLNMVU'),
    ('omocode, only the day substituted (non-progressive)', 'CCCFBA85DLPL219W', NULL, 'CCCFBA85DLPL219W'),
    ('omocode, only position 10 substituted', 'RSSMRA80AL1H501F', NULL, 'RSSMRA80AL1H501F'),
    ('omocode, middle of the place code (H5L1)', 'RSSMRA80A01H5L1F', NULL, 'RSSMRA80A01H5L1F'),
    ('forged omocode: check character over the de-omocoded digits', 'CCCFBA85D03L21VP', 'check character should be ''E''', NULL),
    ('canonical with the omocode''s check character', 'CCCFBA85D03L219E', 'check character should be ''P''', NULL),
    ('Rome H501', 'RSSMRA80A01H501U', NULL, 'RSSMRA80A01H501U'),
    ('first municipality code A001', 'RSSMRA80A01A001B', NULL, 'RSSMRA80A01A001B'),
    ('municipality code starting with M', 'RSSMRA80A01M999L', NULL, 'RSSMRA80A01M999L'),
    ('wrong check character', 'RSSMRA80A01H501A', 'check character should be ''U''', NULL),
    -- foreign-born (Z codes, doc §4)
    ('foreign state Z129 Romania', 'RSSMRA80A01Z129W', NULL, 'RSSMRA80A01Z129W'),
    ('foreign state omocode Z1N9', 'RSSMRA80A01Z1N9H', NULL, 'RSSMRA80A01Z1N9H'),
    ('foreign state Z404 USA', 'RSSMRA80A01Z404R', NULL, 'RSSMRA80A01Z404R'),
    ('South Arabia Z201 (doc §13)', 'CCCFBA75D03Z201F', NULL, 'CCCFBA75D03Z201F'),
    ('South Arabia Z202 (doc §13)', 'CCCFBA75D03Z202K', NULL, 'CCCFBA75D03Z202K'),
    ('USSR Z135 after 1992 (doc §13: no era check)', 'RSSMRA95A01Z135W', NULL, 'RSSMRA95A01Z135W'),
    ('Sovizzo M436 on a 1985 birth (no era check)', 'RSSMRA85A01M436S', NULL, 'RSSMRA85A01M436S'),
    ('Fiume D620, year 60 (no era check)', 'RSSMRA60A01D620R', NULL, 'RSSMRA60A01D620R'),
    ('Secondigliano I560, year 20', 'SPSGNR20E16I560K', NULL, 'SPSGNR20E16I560K'),
    ('year 07, D877', 'MCHFDA07A01D877A', NULL, 'MCHFDA07A01D877A'),
    ('foreign state code with a non-omocode letter', 'CCCFBA85D03Z2K1R', '''K'' at position 14 is neither a digit nor an omocode letter', NULL),
    -- dates (doc §3, §10.2)
    ('29 February 00 (2000 was leap)', 'RSSMRA00B29H501Y', NULL, 'RSSMRA00B29H501Y'),
    ('29 February 00, woman', 'RSSMRA00B69H501C', NULL, 'RSSMRA00B69H501C'),
    ('29 February 00, all omocode', 'RSSMRALLBNVHRLMK', NULL, 'RSSMRALLBNVHRLMK'),
    ('29 February 24', 'RSSMRA24B29H501G', NULL, 'RSSMRA24B29H501G'),
    ('29 February 23 (no leap year ends in 23)', 'RSSMRA23B29H501F', '29 February does not exist in any year ending in 23', NULL),
    ('29 February 23, woman', 'RSSMRA23B69H501J', '29 February does not exist in any year ending in 23', NULL),
    ('30 February', 'RSSMRA80B30H501X', 'day 30 does not exist in February', NULL),
    ('woman, 31 January (day 71)', 'RSSMRA80A71H501B', NULL, 'RSSMRA80A71H501B'),
    ('day 00', 'RSSMRA80A00H501V', 'day 00 is not a valid day', NULL),
    ('day 00 written as omocode LL', 'RSSMRALLBLLHRLMC', 'day 00 is not a valid day', NULL),
    ('day 32', 'RSSMRA80A32H501C', 'day 32 is not a valid day', NULL),
    ('day 40', 'RSSMRA80A40H501Z', 'day 40 is not a valid day', NULL),
    ('day 72', 'RSSMRA80A72H501G', 'day 72 is not a valid day', NULL),
    ('30 April', 'RSSMRA80D30H501E', NULL, 'RSSMRA80D30H501E'),
    ('31 April', 'RSSMRA80D31H501D', 'day 31 does not exist in April', NULL),
    ('31 April, woman (day 71)', 'RSSMRA80D71H501H', 'day 31 does not exist in April', NULL),
    ('31 June', 'RSSMRA80H31H501N', 'day 31 does not exist in June', NULL),
    ('31 September', 'RSSMRA80P31H501Z', 'day 31 does not exist in September', NULL),
    ('31 November', 'RSSMRA80S31H501I', 'day 31 does not exist in November', NULL),
    ('F is not a month letter', 'CCCFBA85F03L219V', '''F'' is not a month letter', NULL),
    -- structure
    ('birthplace starting with N', 'CCCFBA85D03N219R', '''N'' cannot start a birthplace code', NULL),
    ('birthplace starting with K', 'CCCFBA85D03K219O', '''K'' cannot start a birthplace code', NULL),
    ('birthplace starting with J', 'CCCFBA85D03J219N', '''J'' cannot start a birthplace code', NULL),
    ('A in a digit position', 'CCCFBA8AD03L219K', '''A'' at position 8 is neither a digit nor an omocode letter', NULL),
    ('O in a place digit position', 'CCCFBA85D03LO19V', '''O'' at position 13 is neither a digit nor an omocode letter', NULL),
    ('digit in the name triplet', 'CCCFB185D03L219Q', '''1'' at position 6 should be a letter', NULL),
    ('digit as check character', 'CCCFBA85D03L2190', '''0'' at position 16 should be a letter', NULL),
    ('15 characters', 'CCCFBA85D03L219', 'a fiscal code has 16 characters or 11 digits, not 15', NULL),
    ('17 characters', 'CCCFBA85D03L219PX', 'a fiscal code has 16 characters or 11 digits, not 17', NULL),
    ('hyphen inside', 'CCCFBA85-03L219P', '''-'' at position 9 is not a letter or digit', NULL),
    ('empty', '', 'the code is empty', NULL),
    ('only whitespace', E' \t\n ', 'the code is empty', NULL),
    -- normalisation (doc §0.9)
    ('lower case', 'cccfba85d03l219p', NULL, 'CCCFBA85D03L219P'),
    ('lower case omocode', 'cccfba85d03l21ve', NULL, 'CCCFBA85D03L21VE'),
    ('mixed case', 'CccFba85d03L219p', NULL, 'CCCFBA85D03L219P'),
    ('surrounding spaces', '  CCCFBA85D03L219P  ', NULL, 'CCCFBA85D03L219P'),
    ('lower case and surrounding spaces', '   cccfba85d03l219p ', NULL, 'CCCFBA85D03L219P'),
    ('tab, newline, carriage return, vertical tab, form feed around', E'\t\n\r\013\fCCCFBA85D03L21VE\r\n', NULL, 'CCCFBA85D03L21VE'),
    ('inner space', 'CCCFBA85 D03L219P', 'inner spaces are not allowed (position 9)', NULL),
    ('inner space after trimming', ' CCCFBA 85D03L219P ', 'inner spaces are not allowed (position 7)', NULL),
    ('inner tab', E'CCCFBA85D03\tL219P', 'inner spaces are not allowed (position 12)', NULL),
    ('accented letter (non-ASCII)', 'CCCFBÀ85D03L219P', 'character 6 is not an ASCII letter or digit', NULL),
    ('Turkish dotless i (non-ASCII)', 'ıCCFBA85D03L219P', 'character 1 is not an ASCII letter or digit', NULL),
    ('fullwidth letter (non-ASCII)', 'ＣCCFBA85D03L219P', 'character 1 is not an ASCII letter or digit', NULL),
    ('no-break space around (not ASCII whitespace)', E'\u00a0CCCFBA85D03L219P', 'character 1 is not an ASCII letter or digit', NULL),
    -- numeric codes (doc §8)
    ('numeric code (aino.it)', '02342520158', NULL, '02342520158'),
    ('numeric code (python-stdnum)', '00743110157', NULL, '00743110157'),
    ('numeric code with a wrong check digit', '00743110158', 'check digit should be ''7''', NULL),
    ('numeric code with spaces around', ' 00743110157 ', NULL, '00743110157'),
    ('serial 0000000 (passes Luhn)', '00000000000', 'serial number 0000000 is not valid', NULL),
    ('serial 0000000 with a valid office and check digit', '00000000018', 'serial number 0000000 is not valid', NULL),
    ('office 001', '12345670017', NULL, '12345670017'),
    ('office 100', '12345671007', NULL, '12345671007'),
    ('office 120', '12345671205', NULL, '12345671205'),
    ('office 121', '12345671213', NULL, '12345671213'),
    ('office 888', '12345678887', NULL, '12345678887'),
    ('office 999', '12345679992', NULL, '12345679992'),
    ('office 000 (check digit right)', '12345670009', 'office code 000 is not valid', NULL),
    ('office 101 (check digit right)', '12345671015', 'office code 101 is not valid', NULL),
    ('office 119 (check digit right)', '12345671197', 'office code 119 is not valid', NULL),
    ('office 123 (check digit right)', '12345671239', 'office code 123 is not valid', NULL),
    ('letter in an 11-character code', '0234252015A', 'an 11-character code must be all digits, ''A'' at position 11 is not', NULL),
    ('12 digits', '023425201580', 'a fiscal code has 16 characters or 11 digits, not 12', NULL),
    ('10 digits', '0234252015', 'a fiscal code has 16 characters or 11 digits, not 10', NULL),
    -- STP / ENI (doc §9)
    ('STP code', 'STP1234567890123', NULL, 'STP1234567890123'),
    ('ENI code', 'ENI0123456789012', NULL, 'ENI0123456789012'),
    ('STP code in lower case with spaces', ' stp1234567890123 ', NULL, 'STP1234567890123'),
    ('eni code in lower case', 'eni0000000000000', NULL, 'ENI0000000000000'),
    ('STP code with a letter among the digits', 'STP12345678901A3', 'an STP code has 13 digits after its prefix, ''A'' at position 15 is not a digit', NULL),
    ('ENI code with an omocode letter among the digits', 'ENI1234L67890123', 'an ENI code has 13 digits after its prefix, ''L'' at position 8 is not a digit', NULL),
    ('STP code of 15 characters', 'STP123456789012', 'a fiscal code has 16 characters or 11 digits, not 15', NULL),
    ('ENI code of 17 characters', 'ENI12345678901234', 'a fiscal code has 16 characters or 11 digits, not 17', NULL),
    ('STQ prefix: read as a personal code', 'STQ1234567890123', '''1'' at position 4 should be a letter', NULL);

SELECT plan(399);   -- 4 per corpus row (98 rows: 46 valid, 52 invalid) + 7

-- Descriptions stay on one TAP line: control characters are shown escaped.
CREATE FUNCTION pg_temp.shown(s text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT quote_literal(replace(replace(replace(replace(replace(s, E'\t', '\t'), E'\n', '\n'),
                                                 E'\r', '\r'), E'\013', '\v'), E'\f', '\f'))
$$;

-- The input as an error quotes it (ticket_quote_input): control characters
-- and the backslash as \xHH, at most 40 characters, then "...".
CREATE FUNCTION pg_temp.quoted(s text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(string_agg(CASE WHEN c ~ E'[\\x01-\\x1f\\x7f\\\\]'
                                    THEN '\x' || lpad(upper(to_hex(ascii(c))), 2, '0') ELSE c END,
                               '' ORDER BY i), '')
           || CASE WHEN length(s) > 40 THEN '...' ELSE '' END
      FROM unnest(string_to_array(left(s, 40), NULL)) WITH ORDINALITY AS t(c, i)
$$;

-- 1. the input function
SELECT CASE WHEN reason IS NULL
            THEN lives_ok(format('SELECT %L::ticket.fiscal_code', input),
                          format('accepts %s (%s)', pg_temp.shown(input), label))
            ELSE throws_ok(format('SELECT %L::ticket.fiscal_code', input), '22P02',
                           format('invalid fiscal code "%s": %s', pg_temp.quoted(input), reason),
                           format('rejects %s (%s)', pg_temp.shown(input), label))
       END
  FROM corpus ORDER BY id;

-- 2. fiscal_code_is_valid agrees
SELECT is(fiscal_code_is_valid(input), reason IS NULL,
          format('fiscal_code_is_valid(%s) is %s', pg_temp.shown(input), reason IS NULL))
  FROM corpus ORDER BY id;

-- 3. fiscal_code_error gives the reason
SELECT is(fiscal_code_error(input), reason,
          format('fiscal_code_error(%s) is %s', pg_temp.shown(input), coalesce(quote_literal(reason), 'NULL')))
  FROM corpus ORDER BY id;

-- 4. stored form / the message is built from fiscal_code_error
SELECT CASE WHEN reason IS NULL
            THEN is(CASE WHEN fiscal_code_is_valid(input) THEN input::ticket.fiscal_code::text END, stored,
                    format('%s is stored as %s', pg_temp.shown(input), stored))
            ELSE throws_ok(format('SELECT %L::ticket.fiscal_code', input), '22P02',
                           format('invalid fiscal code "%s": %s', pg_temp.quoted(input), fiscal_code_error(input)),
                           format('the input function''s message for %s is fiscal_code_error''s reason',
                                  pg_temp.shown(input)))
       END
  FROM corpus ORDER BY id;

-- Through the text cast, and the hint that names the rule.
SELECT throws_ok($$SELECT 'CCCFBA8AD03L219K'::text::ticket.fiscal_code$$, '22P02',
                 'invalid fiscal code "CCCFBA8AD03L219K": ''A'' at position 8 is neither a digit nor an omocode letter',
                 'the text cast raises the same error as the input function');
CREATE FUNCTION pg_temp.hint_of(s text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    hint text;
BEGIN
    PERFORM s::ticket.fiscal_code;
    RETURN NULL;
EXCEPTION WHEN invalid_text_representation THEN
    GET STACKED DIAGNOSTICS hint = PG_EXCEPTION_HINT;
    RETURN hint;
END;
$$;
SELECT is(pg_temp.hint_of('CCCFBA8AD03L219K'),
          'Positions 7, 8, 10, 11, 13, 14 and 15 hold a digit or one of the omocode letters L M N P Q R S T U V.',
          'the hint lists the omocode letters');
SELECT is((SELECT count(*) FROM corpus WHERE reason IS NULL), 46::bigint, '46 valid inputs in the corpus');

-- Literal equality: an omocode is a different code, case and padding are not.
SELECT ok(' cccfba85d03l219p '::fiscal_code = 'CCCFBA85D03L219P'::fiscal_code,
          'lower case and padding give the same value');
SELECT ok('CCCFBA85D03L21VE'::fiscal_code <> 'CCCFBA85D03L219P'::fiscal_code,
          'an omocode is not equal to its canonical code');
SELECT ok('00743110157'::fiscal_code < 'CCCFBA85D03L219P'::fiscal_code
          AND 'ENI0123456789012'::fiscal_code < 'STP1234567890123'::fiscal_code,
          'codes order as their text');
-- assignment cast from text
CREATE TEMP TABLE corpus_target (code ticket.fiscal_code) ON COMMIT DROP;
SELECT lives_ok($$INSERT INTO corpus_target SELECT ' cccfba85d03l21ve '::text$$,
                'a text value is assigned to a fiscal_code column through the assignment cast');

SELECT * FROM finish();
ROLLBACK;
