-- The official ANPR archive loaded by ticket_load_birthplaces.psql (run by
-- test/run when ../shared/data is present): counts, renames, ceased
-- places, same-name traps, and the birth-date policy on real data.
BEGIN;
SET search_path = ticket, public;
SELECT plan(29);

SELECT is((SELECT count(*)::int FROM birthplace WHERE kind = 'municipality'), 19324,
          'every ANPR row with a code is one municipality era (28 ND rows skipped)');
SELECT is((SELECT count(DISTINCT code)::int FROM birthplace WHERE kind = 'municipality'), 9859,
          'distinct municipality codes');
SELECT cmp_ok((SELECT count(DISTINCT code)::int FROM birthplace WHERE kind = 'country'), '>=', 213,
              'foreign states loaded, dissolved ones included');
SELECT is((SELECT count(*)::int FROM birthplace WHERE source NOT IN ('ANPR_archivio_comuni', 'countries', 'deleted_countries')), 0,
          'every row names its source file');

SELECT is(birthplace_name('A944', '1985-01-01'), 'BOLOGNA', 'A944 is Bologna');
SELECT is(birthplace_name('A089', '1920-01-01'), 'GIRGENTI', 'A089 before the 1927 rename');
SELECT is(birthplace_name('A089', '1980-01-01'), 'AGRIGENTO', 'A089 after the 1927 rename');
SELECT is(birthplace_name('G371', '1980-01-01'), 'PATERNÒ', 'Paternò (CT) is G371');
SELECT is(birthplace_name('M269', '1980-01-01'), 'PATERNO', 'Paterno (PZ) is M269, not to be confused');
SELECT is(birthplace_name('Z135', '1980-01-01'), 'Unione Repubbliche Socialiste Sovietiche', 'USSR, a dissolved state');
SELECT ok(upper((SELECT valid FROM birthplace WHERE code = 'Z135')) IS NOT NULL, 'the USSR has an end date');

-- Birth dates: a place that ceased puts the birth one century back.
SELECT is(fiscal_code_birth_date('SPSGNR20E16I560K', '2026-11-26'), date '1920-05-16',
          'Secondigliano ceased in 1926: 20 is 1920');
SELECT is(fiscal_code_birth_date('MCHFDA07A01D877A', '2026-11-26'), date '1907-01-01',
          'Gallico ceased in 1927: 07 is 1907');
SELECT is(fiscal_code_birth_date('RSSMRA95A01Z135W', '2026-11-26'), date '1995-01-01',
          'USSR until 1992, but 1895 would be older than 120: 1995 stays');
SELECT is(fiscal_code_birth_date(fiscal_code_encode('Rossi', 'Anna', 'F', '2001-06-01', 'A944'), '2026-11-26'),
          date '2001-06-01', 'Bologna still exists: 01 is 2001');
SELECT is(fiscal_code_place_name('SPSGNR20E16I560K', '2026-11-26'), 'SECONDIGLIANO', 'place name on the birth date');
SELECT ok(fiscal_code_place_known('CCCFBA85D03L219P'), 'Torino is known');
SELECT ok(NOT fiscal_code_place_known(fiscal_code_encode('Rossi', 'Anna', 'F', '2001-06-01', 'M999')), 'M999 is not a place');

-- Birthplaces by name on the real data (issue 16 B).
SELECT is(birthplace_code('San Severo (FG)', '1990-01-01'), 'I158', 'a name with its province');
SELECT is(birthplace_code('Paternò (CT)', '1990-01-01'), 'G371', 'Paternò (CT)');
SELECT throws_ok($$SELECT ticket.birthplace_code('Paterno', '1990-01-01')$$, '22023', NULL,
                 'Paterno without a province: Paternò (CT) or Paterno (PZ), ambiguous');
SELECT is(birthplace_code('Girgenti', '1920-01-01') || birthplace_code('Agrigento', '1980-01-01'), 'A089A089', 'renamed in 1927: one code');
SELECT is(birthplace_code('Spagna', '1990-01-01'), 'Z131', 'a foreign state');
SELECT is((SELECT place_name || ' ' || province FROM fiscal_code_decode('SPSGNR20E16I560K', '2026-11-26')),
          'SECONDIGLIANO NA', 'decode: the place of the birth date');
SELECT is((SELECT region FROM fiscal_code_decode('RSSMRA80A01A944I', '2026-11-26')), 'Emilia-Romagna',
          'decode: the region of the place (ANPR IDREGIONE)');
SELECT is((SELECT count(*)::int FROM birthplace WHERE kind = 'municipality' AND region IS NULL), 4,
          'every municipality era has its region but the 4 ANPR gives none (00)');
SELECT is((SELECT count(*)::int FROM birthplace WHERE kind = 'country' AND region IS NOT NULL), 0,
          'a foreign state has no region');
SELECT is(fiscal_code_place_attributable('SPSGNR63E16I560X', '2026-11-26'), false,
          'a real code outside the eras is not attributable (but valid)');

-- Every active municipality code gives a valid, decodable fiscal code.
SELECT is((SELECT count(*)::int FROM (SELECT DISTINCT code FROM birthplace WHERE upper_inf(valid)) p
            WHERE fiscal_code_birthplace(fiscal_code_encode('Rossi', 'Anna', 'F', '1990-05-01', p.code)) <> p.code), 0,
          'encode/decode round trip over every active code');

SELECT * FROM finish();
ROLLBACK;
