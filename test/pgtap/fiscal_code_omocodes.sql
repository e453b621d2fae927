-- test/pgtap/fiscal_code_omocodes.sql
--
-- Omocodes (doc §6): fiscal_code_omocodes, fiscal_code_canonical,
-- fiscal_code_equivalent, fiscal_code_omocode_mask, fiscal_code_is_omocode,
-- and decoding (sex, birthplace, kind, birth date) on omocodes.
-- Mask order (doc §6, Marketto cfOmocodeId): bit 0 = position 15, bit 1 =
-- position 14, bit 2 = 13, bit 3 = 11, bit 4 = 10, bit 5 = 8, bit 6 = 7.
--
-- Assumes CREATE EXTENSION ticket and pgtap.  Run: pg_prove -d DB test/pgtap/

BEGIN;
SET search_path = ticket, public;

SELECT plan(97);

-- The codes under test: canonical form, sex, de-omocoded birthplace.
CREATE TEMP TABLE omo_code (
    code       text PRIMARY KEY,
    canonical  text NOT NULL,
    sex        text NOT NULL,
    birthplace text NOT NULL
) ON COMMIT DROP;
INSERT INTO omo_code VALUES
    ('CCCFBA85D03L219P', 'CCCFBA85D03L219P', 'M', 'L219'),   -- doc §5
    ('CCCFBA85D03L21VE', 'CCCFBA85D03L219P', 'M', 'L219'),   -- an omocode as the starting point
    ('RSSMRA80A01Z1N9H', 'RSSMRA80A01Z129W', 'M', 'Z129'),   -- Z1N9 -> Z129 (Marketto #90)
    ('RSSMRA80A01H5L1F', 'RSSMRA80A01H501U', 'M', 'H501'),   -- H5L1 -> H501 (DavidePastore #19)
    ('RSSMRA00B69H501C', 'RSSMRA00B69H501C', 'F', 'H501'),   -- woman, 29 February 00
    ('RSSMRALLBSVHRLMP', 'RSSMRA00B69H501C', 'F', 'H501');   -- ... all seven substituted

-- All forms, with their position in the list (0-based).
CREATE TEMP TABLE omo_form ON COMMIT DROP AS
SELECT c.code, c.canonical, c.sex, c.birthplace, f.form, f.n - 1 AS idx
  FROM omo_code c
 CROSS JOIN LATERAL fiscal_code_omocodes(c.code::fiscal_code) WITH ORDINALITY AS f(form, n);

-- The form expected for each mask, built here from the canonical code:
-- positions 7 8 10 11 13 14 15 carry bits 6..0; the check character is
-- left out (position 16 is tested through validity below).
CREATE FUNCTION pg_temp.expected_first15(canonical text, mask int) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    positions constant int[] := ARRAY[7, 8, 10, 11, 13, 14, 15];
    s text := left(canonical, 15);
    p int;
BEGIN
    FOR i IN 1..7 LOOP
        p := positions[i];
        IF mask & (1 << (7 - i)) <> 0 THEN
            s := overlay(s placing translate(substr(s, p, 1), '0123456789', 'LMNPQRSTUV') from p for 1);
        END IF;
    END LOOP;
    RETURN s;
END;
$$;

-- Per code: 12 tests x 6 codes = 72
SELECT is((SELECT count(*) FROM omo_form f WHERE f.code = c.code), 128::bigint,
          format('%s has 128 forms', c.code)) FROM omo_code c ORDER BY c.code;
SELECT is((SELECT count(DISTINCT f.form) FROM omo_form f WHERE f.code = c.code), 128::bigint,
          format('the 128 forms of %s are distinct', c.code)) FROM omo_code c ORDER BY c.code;
SELECT ok((SELECT bool_and(fiscal_code_is_valid(f.form::text)) FROM omo_form f WHERE f.code = c.code),
          format('all 128 forms of %s validate', c.code)) FROM omo_code c ORDER BY c.code;
SELECT is((SELECT (array_agg(f.form ORDER BY f.idx))[1]::text FROM omo_form f WHERE f.code = c.code), c.canonical,
          format('the first form of %s is the canonical %s', c.code, c.canonical)) FROM omo_code c ORDER BY c.code;
SELECT is((SELECT count(*) FROM omo_form f
            WHERE f.code = c.code AND left(f.form::text, 15) IS DISTINCT FROM pg_temp.expected_first15(c.canonical, f.idx::int)),
          0::bigint,
          format('form k of %s substitutes exactly the positions of mask k (bit 0 = position 15)', c.code))
  FROM omo_code c ORDER BY c.code;
SELECT is((SELECT count(*) FROM omo_form f
            WHERE f.code = c.code AND fiscal_code_omocode_mask(f.form) IS DISTINCT FROM f.idx::int),
          0::bigint,
          format('fiscal_code_omocode_mask of each form of %s is its position in the list', c.code))
  FROM omo_code c ORDER BY c.code;
SELECT is((SELECT count(*) FROM omo_form f
            WHERE f.code = c.code AND fiscal_code_is_omocode(f.form) IS DISTINCT FROM (f.idx > 0)),
          0::bigint,
          format('fiscal_code_is_omocode of the forms of %s is false only for the first', c.code))
  FROM omo_code c ORDER BY c.code;
SELECT is((SELECT count(*) FROM omo_form f
            WHERE f.code = c.code AND fiscal_code_canonical(f.form)::text IS DISTINCT FROM c.canonical),
          0::bigint,
          format('every form of %s canonicalises to %s', c.code, c.canonical))
  FROM omo_code c ORDER BY c.code;
SELECT ok((SELECT bool_and(fiscal_code_equivalent(f.form, c.code::fiscal_code)
                           AND fiscal_code_equivalent(c.code::fiscal_code, f.form)) FROM omo_form f WHERE f.code = c.code),
          format('every form of %s is equivalent to it, both ways', c.code)) FROM omo_code c ORDER BY c.code;
SELECT is((SELECT count(*) FROM omo_form f
            WHERE f.code = c.code
              AND (fiscal_code_sex(f.form) IS DISTINCT FROM c.sex
                   OR fiscal_code_birthplace(f.form) IS DISTINCT FROM c.birthplace
                   OR fiscal_code_kind(f.form) IS DISTINCT FROM 'personal')),
          0::bigint,
          format('every form of %s decodes to sex %s, birthplace %s, kind personal', c.code, c.sex, c.birthplace))
  FROM omo_code c ORDER BY c.code;
SELECT is((SELECT count(DISTINCT fiscal_code_birth_date(f.form, '2026-05-01')) FROM omo_form f WHERE f.code = c.code),
          1::bigint,
          format('every form of %s decodes to the same birth date', c.code)) FROM omo_code c ORDER BY c.code;
SELECT is((SELECT count(*) FROM omo_form f WHERE f.code = c.code AND f.form = c.code::fiscal_code), 1::bigint,
          format('%s itself is exactly one of its forms (equality is literal)', c.code)) FROM omo_code c ORDER BY c.code;

-- The list does not depend on which form one starts from.
SELECT is((SELECT array_agg(form ORDER BY idx) FROM omo_form WHERE code = 'CCCFBA85D03L21VE'),
          (SELECT array_agg(form ORDER BY idx) FROM omo_form WHERE code = 'CCCFBA85D03L219P'),
          'the omocodes of an omocode are those of its canonical code, in the same order');
-- The right-to-left sequence of doc §6 sits at masks 1, 3, 7.
SELECT is((SELECT array_agg(form::text ORDER BY idx) FROM omo_form
            WHERE code = 'CCCFBA85D03L219P' AND idx IN (0, 1, 3, 7)),
          ARRAY['CCCFBA85D03L219P', 'CCCFBA85D03L21VE', 'CCCFBA85D03L2MVP', 'CCCFBA85D03LNMVE'],
          'masks 0, 1, 3, 7 are the progressive omocodes of the python-codicefiscale README');

-- Single codes.
SELECT is(fiscal_code_omocode_mask('CCCFBA85D03L21VE'), 1, 'mask of ...L21VE (position 15) is 1');
SELECT is(fiscal_code_omocode_mask('RSSMRA80A01H5L1F'), 2, 'mask of ...H5L1F (position 14) is 2');
SELECT is(fiscal_code_omocode_mask('RSSMRA80AL1H501F'), 16, 'mask of ...AL1... (position 10) is 16');
SELECT is(fiscal_code_omocode_mask('CCCFBAURDLPLNMVU'), 127, 'mask of the fully substituted code is 127');
SELECT is(fiscal_code_omocode_mask('cccfba85d03l219p'), 0, 'mask of a canonical code is 0');
SELECT is(fiscal_code_canonical(' cccfbaurdlplnmvu ')::text, 'CCCFBA85D03L219P',
          'canonical of the fully substituted code, typed in lower case with spaces');
SELECT is(fiscal_code_birthplace('RSSMRA80A01Z1N9H'), 'Z129', 'birthplace Z1N9 -> Z129');
SELECT is(fiscal_code_birthplace('RSSMRA80A01H5L1F'), 'H501', 'birthplace H5L1 -> H501');
SELECT is(fiscal_code_sex('RSSMRALLBSVHRLMP'), 'F', 'sex of an omocode with day SV (69) is F');
SELECT is(fiscal_code_sex('RSSMRALLBNVHRLMK'), 'M', 'sex of an omocode with day NV (29) is M');
SELECT is(fiscal_code_sex('CCCFBAURDLPLNMVU'), 'M', 'sex of an omocode with day LP (03) is M (year UR = 85)');
SELECT ok(NOT fiscal_code_equivalent('CCCFBA85D03L219P', 'RSSMRA80A01H501U'),
          'two different people are not equivalent');
SELECT ok(NOT fiscal_code_equivalent('RSSMRA80A01H501U', 'RSSMRA80A41H501Y'),
          'same name and date, other sex: not equivalent');
SELECT ok('CCCFBA85D03L21VE'::fiscal_code <> 'CCCFBA85D03L219P'::fiscal_code
          AND fiscal_code_equivalent('CCCFBA85D03L21VE', 'CCCFBA85D03L219P'),
          'an omocode is a different value but an equivalent code');

-- Codes of other kinds: a single form, themselves.
SELECT is((SELECT array_agg(o::text) FROM fiscal_code_omocodes('00743110157') AS o), ARRAY['00743110157'],
          'fiscal_code_omocodes of a numeric code is just the code');
SELECT is((SELECT array_agg(o::text) FROM fiscal_code_omocodes('STP1234567890123') AS o), ARRAY['STP1234567890123'],
          'fiscal_code_omocodes of an STP code is just the code');
SELECT is((SELECT array_agg(o::text) FROM fiscal_code_omocodes('eni0123456789012') AS o), ARRAY['ENI0123456789012'],
          'fiscal_code_omocodes of an ENI code is just the code');
SELECT is(fiscal_code_canonical('00743110157')::text, '00743110157', 'canonical of a numeric code is itself');
SELECT is(fiscal_code_canonical('STP1234567890123')::text, 'STP1234567890123', 'canonical of an STP code is itself');
SELECT ok(NOT fiscal_code_is_omocode('STP1234567890123') AND fiscal_code_omocode_mask('STP1234567890123') = 0
          AND NOT fiscal_code_is_omocode('02342520158') AND fiscal_code_omocode_mask('02342520158') = 0,
          'STP and numeric codes are not omocodes, mask 0');
SELECT ok(fiscal_code_equivalent('00743110157', '00743110157')
          AND NOT fiscal_code_equivalent('00743110157', '02342520158')
          AND NOT fiscal_code_equivalent('00743110157', 'CCCFBA85D03L219P')
          AND NOT fiscal_code_equivalent('STP1234567890123', 'ENI1234567890123'),
          'fiscal_code_equivalent on other kinds is literal equality');
SELECT is(ARRAY[fiscal_code_kind('CCCFBAURDLPLNMVU'), fiscal_code_kind('00743110157'),
                fiscal_code_kind('STP1234567890123'), fiscal_code_kind('ENI1234567890123')],
          ARRAY['personal', 'numeric', 'stp', 'eni'],
          'fiscal_code_kind: personal (omocode), numeric, stp, eni');
SELECT ok(fiscal_code_sex('00743110157') IS NULL AND fiscal_code_sex('STP1234567890123') IS NULL
          AND fiscal_code_birthplace('ENI1234567890123') IS NULL AND fiscal_code_birthplace('02342520158') IS NULL,
          'sex and birthplace are NULL for numeric, STP and ENI codes');

SELECT * FROM finish();
ROLLBACK;
