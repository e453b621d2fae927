-- ticket.fiscal_code text I/O: what is accepted, how it prints, every error.
\set VERBOSITY terse
SET search_path = ticket, public;

-- Accepted: personal codes (omocodes as written), numeric, STP, ENI;
-- surrounding ASCII whitespace trimmed, ASCII case folded.
SELECT c::fiscal_code AS code, fiscal_code_kind(c::fiscal_code) AS kind
  FROM unnest(ARRAY[
    'CCCFBA85D03L219P',          -- canonical
    'CCCFBA85D03L21VE',          -- omocode, rightmost digit substituted
    'CCCFBA85D03H5L1I',          -- omocode in a middle position only
    'rssmra85t10a562s',          -- lower case
    E' \tRSSMRA85T10A562S\n ',   -- surrounding whitespace
    'MRTMTT00B69Z129O',          -- woman, 29 February 00 (2000 was leap), Romania
    '02342520158',               -- numeric (partita IVA style)
    'STP0800001234567',
    'eni0800001234567'
  ]) AS c;

-- Output is the stored code: upper case, omocode letters kept.
SELECT 'cccfba85d03l21ve'::fiscal_code::text;

-- Every error message of the input function.
SELECT ''::fiscal_code;
SELECT '   '::fiscal_code;
SELECT 'CCCFBA85D03L219PÀ'::fiscal_code;
SELECT 'CCC FBA85D03L219P'::fiscal_code;
SELECT 'CCCFBA85D03-219P'::fiscal_code;
SELECT 'CCCFBA85D03L219'::fiscal_code;
SELECT 'CCCFBA85D03L219PX'::fiscal_code;
SELECT '0234252015A'::fiscal_code;
SELECT '00000000000'::fiscal_code;
SELECT '00000015550'::fiscal_code;
SELECT '02342520159'::fiscal_code;
SELECT 'STP08000012345X7'::fiscal_code;
SELECT 'ENI080000123456X'::fiscal_code;
SELECT 'CC1FBA85D03L219P'::fiscal_code;
SELECT 'CCCFBA8AD03L219P'::fiscal_code;
SELECT 'CCCFBA85D03L21AP'::fiscal_code;
SELECT 'CCCFBA85F03L219P'::fiscal_code;
SELECT 'CCCFBA85D00L219P'::fiscal_code;
SELECT 'CCCFBA85D32L219P'::fiscal_code;
SELECT 'CCCFBA85D40L219P'::fiscal_code;
SELECT 'CCCFBA85D72L219P'::fiscal_code;
SELECT 'CCCFBA85D31L219P'::fiscal_code;
SELECT 'CCCFBA23B29L219P'::fiscal_code;
SELECT 'CCCFBA85D03N219P'::fiscal_code;
SELECT 'CCCFBA85D03L2195'::fiscal_code;
SELECT 'CCCFBA85D03L219X'::fiscal_code;
-- validator.js's forgery: check computed after de-omocoding must be refused
SELECT 'CCCFBA85D03L21VP'::fiscal_code;

-- Hints accompany the errors whose rule is not obvious.
\set VERBOSITY default
SELECT 'CCCFBA85F03L219P'::fiscal_code;
SELECT 'CCCFBA85D03L21AP'::fiscal_code;
SELECT 'CCCFBA85D32L219P'::fiscal_code;
SELECT '00000015550'::fiscal_code;
\set VERBOSITY terse

-- fiscal_code_is_valid never raises; fiscal_code_error gives the reason the
-- input function gives, NULL when valid.
SELECT c, fiscal_code_is_valid(c) AS valid, fiscal_code_error(c) AS error
  FROM unnest(ARRAY['CCCFBA85D03L219P', 'CCCFBA85D03L219X', 'CCCFBA85D32L219P',
                    'RSS MRA', 'àèìòù', '', '02342520158', NULL]) AS c;

-- Text casts are assignment casts: a text column loads into a fiscal_code one.
CREATE TEMP TABLE cf_text (cf text);
INSERT INTO cf_text VALUES ('CCCFBA85D03L219P'), ('02342520158');
CREATE TEMP TABLE cf_typed (cf fiscal_code);
INSERT INTO cf_typed SELECT cf FROM cf_text;
SELECT cf, pg_typeof(cf) FROM cf_typed ORDER BY cf;
INSERT INTO cf_typed SELECT 'CCCFBA85D03L219X'::text;
