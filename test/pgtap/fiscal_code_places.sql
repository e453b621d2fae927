-- test/pgtap/fiscal_code_places.sql
--
-- What needs the birthplace data (issue 16 B): a birthplace given by name
-- (birthplace_code, fiscal_code_encode_place), the whole decode in one row
-- (fiscal_code_decode, birthplace_era) and the opt-in attributability
-- (birthplace_attributable, fiscal_code_place_attributable).
--
-- ticket.birthplace is emptied in the transaction and filled with the
-- fixture test/fixtures/birthplaces.sql (public facts from the ANPR
-- archive).  Expected codes were worked out by hand from the rule
-- (docs/codice-fiscale.md §2-§5), check characters included; reference
-- dates are pinned.  Everything is rolled back.

BEGIN;
SET search_path = ticket, public;

SELECT plan(70);

DELETE FROM ticket.birthplace;
\ir ../fixtures/birthplaces.sql
-- San Marino only here: test/pgtap/network_registry.sql needs Z130 unknown.
INSERT INTO ticket.birthplace (code, valid, name, name_ascii, province, kind, source)
    VALUES ('Z130', '[1900-01-01,)', 'San Marino', 'San Marino', 'EE', 'country', 'fixture');

-------------------------------------------------------------------------------
-- birthplace_code: a name on a date
-------------------------------------------------------------------------------
SELECT is(birthplace_code('Torino', '1980-01-01'), 'L219', 'Torino');
SELECT is(birthplace_code('  tOrInO  ', '1980-01-01'), 'L219', 'case and surrounding blanks do not matter');
SELECT is(birthplace_code('San Severo (FG)', '1990-01-01'), 'I158', 'a name with its province');
SELECT is(birthplace_code('san severo(fg)', '1990-01-01'), 'I158', 'the province in lower case, no blank before the bracket');
SELECT is(birthplace_code('Sanseverò', '1990-01-01'), 'I158', 'spaces and accents ignored');
SELECT is(birthplace_code('Reggio nell''Emilia', '1990-01-01'), 'H223', 'an apostrophe');
SELECT is(birthplace_code('Reggio nell’Emilia', '1990-01-01'), 'H223', 'a typographic apostrophe');
SELECT is(birthplace_code('Reggio nellEmilia', '1990-01-01'), 'H223', 'no apostrophe at all');
SELECT is(birthplace_code('Paternò (CT)', '1990-01-01'), 'G371', 'Paternò with its province');
SELECT is(birthplace_code('PATERNO'' (CT)', '1990-01-01'), 'G371', 'the ANPR transliteration (accent as an apostrophe)');
SELECT is(birthplace_code('Paterno (PZ)', '1990-01-01'), 'M269', 'Paterno (PZ) is another place');
SELECT is(birthplace_code('Paterno', '1970-01-01'), 'G371', 'before Paterno (PZ) existed (1973) only Paternò had the name');
SELECT is(birthplace_code('Pate' || chr(114) || 'no' || chr(768), '1970-01-01'), 'G371', 'a combining grave accent');
SELECT is(birthplace_code('Livo (TN)', '1990-01-01'), 'E624', 'Livo (TN)');
SELECT is(birthplace_code('Livo (co)', '1990-01-01'), 'E623', 'Livo (CO)');
SELECT is(birthplace_code('Livo', '1940-01-01'), 'E624', 'Livo in 1940: only the one in Trento existed (Livo CO was suppressed 1928-1950)');
SELECT is(birthplace_code('Bozen', '1990-01-01'), 'A952', 'the other official name of a bilingual municipality');
SELECT is(birthplace_code('Bolzano (TN)', '1926-01-01'), 'A952', 'Bolzano in the province of Trento in 1926');
SELECT is(birthplace_code('Bolzano (BZ)', '1926-01-01'), 'A952', 'Bolzano (BZ) for a 1926 birth: the same code, attributable');
-- renamed: the same code
SELECT is(birthplace_code('Girgenti', '1920-01-01'), 'A089', 'Girgenti in 1920');
SELECT is(birthplace_code('Agrigento', '1980-01-01'), 'A089', 'Agrigento in 1980');
SELECT is(birthplace_code('Agrigento', '1920-01-01'), 'A089', 'Agrigento for a 1920 birth (then Girgenti): the code was in force');
SELECT is(birthplace_code('Girgenti', '1980-01-01'), 'A089', 'Girgenti for a 1980 birth: its code still exists');
-- merged into a new code: the era decides
SELECT is(birthplace_code('Sovizzo', '1990-01-01'), 'I879', 'Sovizzo before the 2024 merger: I879');
SELECT is(birthplace_code('Sovizzo', '2024-01-21'), 'I879', 'Sovizzo on the last day of I879');
SELECT is(birthplace_code('Sovizzo', '2024-01-22'), 'M436', 'Sovizzo on the first day of M436');
-- created after the birth (docs §10.3)
SELECT is(birthplace_code('Torino', '1888-01-01'), 'L219', 'Torino before its first era (1889)');
SELECT is(birthplace_code('Mattinata', '1953-03-12'), 'F059', 'Mattinata for a 1953 birth (created 1955)');
-- foreign states
SELECT is(birthplace_code('Spagna', '1990-01-01'), 'Z131', 'a foreign state by its Italian name');
SELECT is(birthplace_code('Spain (EE)', '1990-01-01'), 'Z131', 'by its other name, province EE');
SELECT is(birthplace_code('Stati Uniti d’America', '1990-01-01'), 'Z404', 'a state with an apostrophe');
SELECT is(birthplace_code('Unione Repubbliche Socialiste Sovietiche', '1980-01-01'), 'Z135', 'the USSR in 1980');

-- unknown and ambiguous
SELECT throws_ok($$SELECT birthplace_code('Livo', '1990-01-01')$$, '22023',
                 'birthplace name Livo is ambiguous on 1990-01-01', 'two places named Livo: ambiguous (22023)');
SELECT throws_like($$SELECT birthplace_code('Paterno', '1990-01-01')$$, '%ambiguous%',
                   'Paterno without the province after 1973: ambiguous, accents are not guessed');
SELECT throws_ok($$SELECT birthplace_code('Sovizzo', '1850-01-01')$$, '22023',
                 'birthplace name Sovizzo is ambiguous on 1850-01-01', 'before both Sovizzo codes: ambiguous');
SELECT throws_ok($$SELECT birthplace_code('Fiume', '1960-01-01')$$, 'TK016',
                 'no birthplace is named Fiume on 1960-01-01', 'Fiume after 1947: unknown on the date (TK016)');
SELECT throws_ok($$SELECT birthplace_code('Unione Repubbliche Socialiste Sovietiche', '1995-01-01')$$, 'TK016',
                 'no birthplace is named Unione Repubbliche Socialiste Sovietiche on 1995-01-01'::text,
                 'the USSR after 1992: unknown on the date, the name cut to 40 characters');
SELECT throws_ok($$SELECT birthplace_code('Atlantide', '1990-01-01')$$, 'TK016',
                 'no birthplace is named Atlantide on 1990-01-01', 'a name the table does not hold: TK016');
SELECT throws_ok($$SELECT birthplace_code('Torino (MI)', '1990-01-01')$$, 'TK016',
                 'no birthplace is named Torino (MI) on 1990-01-01', 'the wrong province: TK016');
SELECT throws_ok($$SELECT birthplace_code(' '' - ', '1990-01-01')$$, '22023',
                 NULL, 'a name without letters: 22023');
SELECT throws_ok($$SELECT birthplace_code(repeat('x', 201), '1990-01-01')$$, '22001',
                 NULL, 'a name over 200 characters: 22001, not read');

-- The detail lists the candidates: code, name, province, first/last day.
CREATE FUNCTION pg_temp.detail_of(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE d text;
BEGIN
    EXECUTE query;
    RETURN NULL;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
    RETURN d;
END;
$$;
SELECT is(pg_temp.detail_of($$SELECT ticket.birthplace_code('Livo', '1990-01-01')$$),
          'Candidates: E623 LIVO (CO) 1861-03-17/..; E624 LIVO (TN) 1928-10-30/...',
          'ambiguous: the detail lists both Livo, with province and validity');
SELECT is(pg_temp.detail_of($$SELECT ticket.birthplace_code('Fiume', '1960-01-01')$$),
          'Places of that name: D620 FIUME (FU) 1924-03-09/1947-09-15.',
          'unknown on the date: the detail shows when the name was valid');
SELECT is(pg_temp.detail_of($$SELECT ticket.birthplace_code('Torino (MI)', '1990-01-01')$$),
          'Places of that name: L219 TORINO (TO) 1889-08-12/...',
          'the wrong province: the detail shows the right one');

-- Five places of one name (invented rows): four listed, then how many more.
INSERT INTO ticket.birthplace (code, valid, name, name_ascii, province, kind, source)
SELECT 'A00' || i, '[1900-01-01,)', 'CASTELLO', 'CASTELLO', chr(64 + i) || chr(64 + i), 'municipality', 'test'
  FROM generate_series(1, 5) AS i;
SELECT is(pg_temp.detail_of($$SELECT ticket.birthplace_code('Castello', '1990-01-01')$$),
          'Candidates: A001 CASTELLO (AA) 1900-01-01/..; A002 CASTELLO (BB) 1900-01-01/..; A003 CASTELLO (CC) 1900-01-01/..; A004 CASTELLO (DD) 1900-01-01/.. and 1 more.',
          'five candidates: four listed and one more');

-------------------------------------------------------------------------------
-- fiscal_code_encode_place
-------------------------------------------------------------------------------
SELECT is(fiscal_code_encode_place('Rossi', 'Mario', 'M', '1980-01-01', 'Agrigento (AG)'), 'RSSMRA80A01A089E'::fiscal_code,
          'Rossi Mario, Agrigento 1980');
SELECT is(fiscal_code_encode_place('Verde', 'Anna', 'F', '1990-01-01', 'San Severo (FG)'), 'VRDNNA90A41I158V'::fiscal_code,
          'a woman born in San Severo');
SELECT is(fiscal_code_encode_place('Bianchi', 'Luca', 'M', '1970-08-10', 'Livo (TN)'), 'BNCLCU70M10E624R'::fiscal_code,
          'Livo (TN)');
SELECT is(fiscal_code_encode_place('Monti', 'Giulia', 'F', '1965-04-12', 'San Marino'), 'MNTGLI65D52Z130Z'::fiscal_code,
          'born abroad: San Marino');
SELECT is(fiscal_code_encode_place('Rossi', 'Mario', 'M', '1888-01-01', 'Torino'), 'RSSMRA88A01L219U'::fiscal_code,
          'Torino, 1888');
SELECT throws_ok($$SELECT ticket.fiscal_code_encode_place('Bianchi', 'Luca', 'M', '1970-08-10', 'Livo')$$, '22023',
                 NULL, 'an ambiguous name does not encode');

-------------------------------------------------------------------------------
-- fiscal_code_decode: one row, each field from the function of its rule
-------------------------------------------------------------------------------
-- The region comes with the era (the fixture has none; the ANPR loader fills it).
UPDATE ticket.birthplace SET region = 'Sicilia' WHERE code = 'A089' AND upper_inf(valid);
SELECT is((SELECT region FROM fiscal_code_decode('RSSMRA80A01A089E', '2026-11-26')), 'Sicilia',
          'the region of the era of the birth date');
SELECT is((SELECT region FROM fiscal_code_decode('RSSMRA20A01A089Q', '1921-01-01')), NULL,
          '... and not of another era (Girgenti, 1920: no region in this fixture)');
UPDATE ticket.birthplace SET region = NULL WHERE code = 'A089';
SELECT is((SELECT d::text FROM fiscal_code_decode('RSSMRA80A01A089E', '2026-11-26') d),
          ROW('personal', 'M', date '1980-01-01', 'A089', 'AGRIGENTO', 'AG', NULL::text, 'municipality', true, 0, 'RSSMRA80A01A089E'::fiscal_code)::text,
          'a man born in Agrigento in 1980');
SELECT is((SELECT d::text FROM fiscal_code_decode('VRDNNA90A41I158V', '2026-11-26') d),
          ROW('personal', 'F', date '1990-01-01', 'I158', 'SAN SEVERO', 'FG', NULL::text, 'municipality', true, 0, 'VRDNNA90A41I158V'::fiscal_code)::text,
          'a woman (day 41)');
SELECT is((SELECT d::text FROM fiscal_code_decode('RSSMRA85A01G37MR', '2026-11-26') d),
          ROW('personal', 'M', date '1985-01-01', 'G371', 'PATERNÒ', 'CT', NULL::text, 'municipality', true, 1, 'RSSMRA85A01G371Z'::fiscal_code)::text,
          'an omocode: mask 1, the canonical code, the place under its digits');
SELECT is((SELECT d::text FROM fiscal_code_decode('MNTGLI65D52ZMPLG', '2026-11-26') d),
          ROW('personal', 'F', date '1965-04-12', 'Z130', 'San Marino', 'EE', NULL::text, 'country', true, 7, 'MNTGLI65D52Z130Z'::fiscal_code)::text,
          'born abroad, omocode in the place');
SELECT is((SELECT d::text FROM fiscal_code_decode('RSSMRA20A01A089Q', '1921-01-01') d),
          ROW('personal', 'M', date '1920-01-01', 'A089', 'GIRGENTI', 'AG', NULL::text, 'municipality', true, 0, 'RSSMRA20A01A089Q'::fiscal_code)::text,
          'the name of the era: Girgenti for a 1920 birth');
SELECT is((SELECT d::text FROM fiscal_code_decode('RSSMRA25A01A089V', '1990-01-01') d),
          ROW('personal', 'M', date '1925-01-01', 'A089', 'GIRGENTI', 'AG', NULL::text, 'municipality', true, 0, 'RSSMRA25A01A089V'::fiscal_code)::text,
          'the era of the birth date, not of the reference date: Girgenti in 1925, seen from 1990');
SELECT is((SELECT d::text FROM fiscal_code_decode('SPSGNR20E16I560K', '2026-11-26') d),
          ROW('personal', 'M', date '1920-05-16', 'I560', 'SECONDIGLIANO', 'NA', NULL::text, 'municipality', true, 0, 'SPSGNR20E16I560K'::fiscal_code)::text,
          'century: Secondigliano ceased in 1926, so 20 is 1920');
SELECT is((SELECT d::text FROM fiscal_code_decode('SPSGNR63E16I560X', '2026-11-26') d),
          ROW('personal', 'M', date '1963-05-16', 'I560', 'SECONDIGLIANO', 'NA', NULL::text, 'municipality', false, 0, 'SPSGNR63E16I560X'::fiscal_code)::text,
          'a real code outside the eras (Secondigliano 1963): decoded, not attributable');
SELECT is((SELECT d::text FROM fiscal_code_decode('02342520158', '2026-11-26') d),
          ROW('numeric', NULL::text, NULL::date, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, false, 0, '02342520158'::fiscal_code)::text,
          'a numeric code: kind only');

-------------------------------------------------------------------------------
-- attributability: opt-in, never part of validity
-------------------------------------------------------------------------------
SELECT is(fiscal_code_place_attributable('RSSMRA53C12F059N', '2026-11-26'), true,
          'Mattinata created in 1955, a 1953 birth: attributable');
SELECT is(fiscal_code_place_attributable('RSSMRA95A01Z135W', '2026-11-26'), false,
          'the USSR ended in 1992, a 1995 birth: not attributable');
SELECT ok(fiscal_code_is_valid('RSSMRA95A01Z135W') AND fiscal_code_is_valid('SPSGNR63E16I560X'),
          'codes outside the eras are still valid fiscal codes');
SELECT is(fiscal_code_place_attributable('RSSMRA99A01A944T', '2026-11-26'), true, 'Bologna 1999');
SELECT is(fiscal_code_place_attributable(fiscal_code_encode('Rossi', 'Anna', 'F', '2001-06-01', 'M999'), '2026-11-26'), false,
          'an unknown place: false');
SELECT is(fiscal_code_place_attributable('02342520158', '2026-11-26'), false, 'a numeric code: false');
SELECT is(birthplace_attributable('i879', '2024-01-21'), true, 'I879 on its last day');
SELECT is(birthplace_attributable('I879', '2024-01-22'), false, 'I879 the day after');

SELECT * FROM finish();
ROLLBACK;
