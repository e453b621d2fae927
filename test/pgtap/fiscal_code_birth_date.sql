-- test/pgtap/fiscal_code_birth_date.sql
--
-- fiscal_code_birth_date(code, reference) with pinned reference dates (never
-- CURRENT_DATE for an expectation), the century fallback for birthplaces
-- that ceased to exist, and the place functions fiscal_code_place_known,
-- fiscal_code_place_name and birthplace_name.
--
-- ticket.birthplace is emptied inside the transaction and filled with a few
-- fixture rows: facts copied by hand from /work/shared/data/places.csv
-- (valid = [date_created, date_deleted + 1)).  Everything is rolled back.
--
-- Assumes CREATE EXTENSION ticket and pgtap.  Run: pg_prove -d DB test/pgtap/

BEGIN;
SET search_path = ticket, public;

SELECT plan(60);

-- Independent of whatever birthplace data the database holds.
DELETE FROM ticket.birthplace;

-------------------------------------------------------------------------------
-- The latest date not after the reference (doc §10.1); no place data yet
-------------------------------------------------------------------------------
SELECT is(fiscal_code_birth_date('RSSMRA26C15H501E', '2026-05-01'), '2026-03-15'::date,
          '26, 15 March, reference 2026-05-01: 2026 (already past)');
SELECT is(fiscal_code_birth_date('RSSMRA26H15H501Q', '2026-05-01'), '1926-06-15'::date,
          '26, 15 June, reference 2026-05-01: 1926 (2026-06-15 is in the future)');
SELECT is(fiscal_code_birth_date('RSSMRA26H15H501Q', '2026-06-15'), '2026-06-15'::date,
          '26, 15 June, reference on the day itself: 2026');
SELECT is(fiscal_code_birth_date('RSSMRA26H15H501Q', '2026-06-14'), '1926-06-15'::date,
          '26, 15 June, reference the day before: 1926');
SELECT is(fiscal_code_birth_date('RSSMRA27A10H501P', '2026-12-31'), '1927-01-10'::date,
          '27 in 2026: 1927');
SELECT is(fiscal_code_birth_date('RSSMRA27A10H501P', '2027-01-10'), '2027-01-10'::date,
          '27 flips to 2027 on the birthday in 2027');
SELECT is(fiscal_code_birth_date('CCCFBA85D03L219P', '2026-05-01'), '1985-04-03'::date,
          'CCCFBA85D03L219P: 1985-04-03');
SELECT is(fiscal_code_birth_date('CCCFBA85D03L219P', '1985-04-02'), '1885-04-03'::date,
          'CCCFBA85D03L219P with a reference the day before its 1985 birthday: 1885');
SELECT is(fiscal_code_birth_date('RSSMRA80A41H501Y', '2026-05-01'), '1980-01-01'::date,
          'woman, day 41: 1 January');
SELECT is(fiscal_code_birth_date('RSSMRA00B29H501Y', '2026-05-01'), '2000-02-29'::date,
          '29 February 00: 2000');
SELECT is(fiscal_code_birth_date('RSSMRALLBSVHRLMP', '2026-05-01'), '2000-02-29'::date,
          '29 February 00, woman, every digit an omocode letter: 2000');
SELECT is(fiscal_code_birth_date('RSSMRA00B29H501Y', '2100-03-01'), '2000-02-29'::date,
          '29 February 00 seen from 2100 (not a leap year): 2000');
SELECT is(fiscal_code_birth_date('RSSMRA24B29H501G', '2026-05-01'), '2024-02-29'::date,
          '29 February 24: 2024');
SELECT is(fiscal_code_birth_date('RSSMRA24B29H501G', '2024-02-28'), '1924-02-29'::date,
          '29 February 24 seen from 2024-02-28: 1924');
SELECT is(fiscal_code_birth_date('VRDFRC20C01D620C', '2026-05-01'), '2020-03-01'::date,
          'an unknown birthplace (D620 not in the table yet) keeps the latest date');
SELECT ok(fiscal_code_birth_date('00743110157', '2026-05-01') IS NULL
          AND fiscal_code_birth_date('STP1234567890123', '2026-05-01') IS NULL
          AND fiscal_code_birth_date('ENI1234567890123', '2026-05-01') IS NULL,
          'no birth date for numeric, STP and ENI codes');
SELECT throws_ok($$SELECT ticket.fiscal_code_birth_date('CCCFBA85D03L219P', 'infinity')$$, '22023',
                 'the reference date must be finite', 'an infinite reference date is an error');
-- The one-argument form uses CURRENT_DATE: compared with itself, not with a
-- date that changes every day.
SELECT is(fiscal_code_birth_date('RSSMRA26H15H501Q'), fiscal_code_birth_date('RSSMRA26H15H501Q', CURRENT_DATE),
          'the reference defaults to CURRENT_DATE');
SELECT ok(NOT fiscal_code_place_known('VRDFRC20C01D620C'), 'D620 is not known before the fixture is loaded');

-------------------------------------------------------------------------------
-- Fixture: a handful of eras from places.csv
-------------------------------------------------------------------------------
INSERT INTO ticket.birthplace (code, valid, name, name_ascii, province, kind, source) VALUES
    ('A089', '[1861-03-17,1927-07-27)', 'GIRGENTI', 'GIRGENTI', 'AG', 'municipality', 'fixture'),
    ('A089', '[1927-07-27,)', 'AGRIGENTO', 'AGRIGENTO', 'AG', 'municipality', 'fixture'),
    ('D620', '[1924-03-09,1947-09-16)', 'FIUME', 'FIUME', 'FU', 'municipality', 'fixture'),
    ('I560', '[1861-03-17,1926-07-04)', 'SECONDIGLIANO', 'SECONDIGLIANO', 'NA', 'municipality', 'fixture'),
    ('D877', '[1861-03-17,1927-08-03)', 'GALLICO', 'GALLICO', 'RC', 'municipality', 'fixture'),
    ('M436', '[2024-01-22,)', 'Sovizzo', 'Sovizzo', 'VI', 'municipality', 'fixture'),
    ('L219', '[1889-08-12,)', 'TORINO', 'TORINO', 'TO', 'municipality', 'fixture'),
    ('B225', '[1861-03-17,1928-04-03)', 'BRUSSASCO', 'BRUSSASCO', 'TO', 'municipality', 'fixture'),
    ('B225', '[1957-07-21,)', 'BRUSASCO', 'BRUSASCO', 'TO', 'municipality', 'fixture'),
    ('A126', '[1861-03-17,1927-10-10)', 'OLLASTRA USELLUS', 'OLLASTRA USELLUS', 'CA', 'municipality', 'fixture'),
    ('A126', '[1959-04-08,1964-06-09)', 'OLLASTA', 'OLLASTA', 'CA', 'municipality', 'fixture'),
    ('A126', '[1964-06-09,1974-08-20)', 'ALBAGIARA', 'ALBAGIARA', 'CA', 'municipality', 'fixture'),
    ('A126', '[1974-08-20,)', 'ALBAGIARA', 'ALBAGIARA', 'OR', 'municipality', 'fixture'),
    ('Z135', '[1900-01-01,1992-04-01)', 'Unione Repubbliche Socialiste Sovietiche',
             'Unione Repubbliche Socialiste Sovietiche', 'EE', 'country', 'fixture');

-------------------------------------------------------------------------------
-- Century fallback: one century earlier when the place ceased before
-------------------------------------------------------------------------------
SELECT is(fiscal_code_birth_date('VRDFRC20C01D620C', '2026-05-01'), '1920-03-01'::date,
          'Fiume D620 (1924-1947), year 20: 1920, not 2020');
SELECT is((SELECT count(DISTINCT fiscal_code_birth_date(o, '2026-05-01'))
             FROM fiscal_code_omocodes('VRDFRC20C01D620C') AS o), 1::bigint,
          'all 128 forms of the Fiume code decode to one date (birthplace de-omocoded: D6NL is D620)');
SELECT is(fiscal_code_birth_date('VRDFRCNLCLMDSNLQ', '2026-05-01'), '1920-03-01'::date,
          'the fully substituted Fiume code decodes to 1920 too');
SELECT is(fiscal_code_birth_date('SPSGNR20E16I560K', '2026-05-01'), '1920-05-16'::date,
          'Secondigliano I560 (ceased 1926), year 20: 1920 (doc §13)');
SELECT is(fiscal_code_birth_date('MCHFDA07A01D877A', '2026-05-01'), '1907-01-01'::date,
          'Gallico D877 (ceased 1927), year 07: 1907 (doc §13)');
SELECT is(fiscal_code_birth_date('RSSMRA00B29D620Z', '2026-05-01'), '2000-02-29'::date,
          'ceased place but 29 February 1900 does not exist: stays 2000');
SELECT is(fiscal_code_birth_date('RSSMRA20A01A089Q', '2026-05-01'), '2020-01-01'::date,
          'A089 is still in force (Agrigento): year 20 stays 2020');
SELECT is(fiscal_code_birth_date('RSSMRA85A01M436S', '2026-05-01'), '1985-01-01'::date,
          'Sovizzo M436 created in 2024: a 1985 birth stays 1985 (only ceased places fall back)');
SELECT is(fiscal_code_birth_date('RSSMRA20A01A089Q', '1927-07-26'), '1920-01-01'::date,
          'reference 1927: year 20 is 1920 by the plain rule');
-- ... but never to someone older than 120 on the reference date (doc §10.1
-- "plausible (age <= ~120)"; manual "Birth dates" step 2).  Doc §10.1 names
-- the 1860 reading of RSSMRA60A01D620R as the flaw of an unbounded retry.
SELECT is(fiscal_code_birth_date('RSSMRA60A01D620R', '2026-05-01'), '1960-01-01'::date,
          'Fiume, year 60: 1860 would be 166 years old, so 1960 stays');
SELECT is(fiscal_code_birth_date('RSSMRA95A01Z135W', '2026-05-01'), '1995-01-01'::date,
          'USSR Z135 (ceased 1992), year 95: 1895 would be 131 years old, so 1995 stays (doc §13)');
SELECT is(fiscal_code_birth_date('RSSMRA06E01D620R', '2026-05-01'), '1906-05-01'::date,
          'Fiume, 1 May 06, reference 2026-05-01: exactly 120 years old, 1906');
SELECT is(fiscal_code_birth_date('RSSMRA06D30D620T', '2026-05-01'), '2006-04-30'::date,
          'Fiume, 30 April 06, reference 2026-05-01: 1906 would be over 120, so 2006 stays');

-------------------------------------------------------------------------------
-- fiscal_code_place_known
-------------------------------------------------------------------------------
SELECT ok(fiscal_code_place_known('VRDFRC20C01D620C'), 'D620 is known once in the table');
SELECT ok(fiscal_code_place_known('VRDFRCNLCLMDSNLQ'), 'the omocode D6NL is known as D620');
SELECT ok(fiscal_code_place_known('CCCFBA85D03L219P'), 'L219 is known');
SELECT ok(NOT fiscal_code_place_known('RSSMRA80A01H501U'), 'H501 is not in the fixture: unknown');
SELECT ok(NOT fiscal_code_place_known('00743110157') AND NOT fiscal_code_place_known('STP1234567890123'),
          'numeric and STP codes have no known place');

-------------------------------------------------------------------------------
-- fiscal_code_place_name: the name on the decoded birth date
-------------------------------------------------------------------------------
SELECT is(fiscal_code_place_name('VRDFRC20C01D620C', '2026-05-01'), 'FIUME',
          'Fiume code, born 1920 (before the 1924 era): the next era, FIUME');
SELECT is(fiscal_code_place_name('RSSMRA20A01A089Q', '2026-05-01'), 'AGRIGENTO', 'A089 born 2020: AGRIGENTO');
SELECT is(fiscal_code_place_name('RSSMRA26H15A089A', '2026-05-01'), 'GIRGENTI', 'A089 born 1926: GIRGENTI');
SELECT is(fiscal_code_place_name('RSSMRA27L26A089R', '2026-05-01'), 'GIRGENTI', 'A089 born 1927-07-26: GIRGENTI (last day)');
SELECT is(fiscal_code_place_name('RSSMRA27L27A089T', '2026-05-01'), 'AGRIGENTO', 'A089 born 1927-07-27: AGRIGENTO (first day)');
SELECT is(fiscal_code_place_name('RSSMRA40A01B225L', '2026-05-01'), 'BRUSASCO',
          'B225 born 1940, in the 1928-1957 gap: the next era, BRUSASCO');
SELECT is(fiscal_code_place_name('RSSMRA26H15A089A', '1950-01-01'), 'GIRGENTI',
          'the reference date only picks the century: A089 born 1926 is GIRGENTI from 1950 too');
SELECT ok(fiscal_code_place_name('RSSMRA80A01H501U', '2026-05-01') IS NULL, 'unknown place: NULL');
SELECT ok(fiscal_code_place_name('00743110157', '2026-05-01') IS NULL
          AND fiscal_code_place_name('ENI1234567890123', '2026-05-01') IS NULL,
          'numeric and ENI codes: NULL');

-------------------------------------------------------------------------------
-- birthplace_name: era in force, else the next era, else the last one
-------------------------------------------------------------------------------
SELECT is(birthplace_name('A089', '1900-01-01'), 'GIRGENTI', 'A089 in 1900: GIRGENTI (in force)');
SELECT is(birthplace_name('A089', '1927-07-26'), 'GIRGENTI', 'A089 on 1927-07-26: GIRGENTI (its last day)');
SELECT is(birthplace_name('A089', '1927-07-27'), 'AGRIGENTO', 'A089 on 1927-07-27: AGRIGENTO (its first day)');
SELECT is(birthplace_name('A089', '1980-06-01'), 'AGRIGENTO', 'A089 in 1980: AGRIGENTO (python-codicefiscale #16)');
SELECT is(birthplace_name('A089', '1800-01-01'), 'GIRGENTI', 'A089 before its first era: the next era, GIRGENTI');
SELECT is(birthplace_name('a089', '1980-06-01'), 'AGRIGENTO', 'the code is case-folded');
SELECT is(birthplace_name('D620', '1930-01-01'), 'FIUME', 'D620 in 1930: FIUME (in force)');
SELECT is(birthplace_name('D620', '2000-01-01'), 'FIUME', 'D620 after it ceased: the last era, FIUME');
SELECT is(birthplace_name('B225', '1940-01-01'), 'BRUSASCO', 'B225 in a gap: the next era (BRUSASCO), not the previous one');
SELECT is(birthplace_name('A126', '1940-01-01'), 'OLLASTA',
          'A126 in a gap with three later eras: the nearest one, OLLASTA');
SELECT is(birthplace_name('A126', '1964-06-09'), 'ALBAGIARA', 'A126 on 1964-06-09: ALBAGIARA (first day)');
SELECT is(birthplace_name('Z135', '2000-01-01'), 'Unione Repubbliche Socialiste Sovietiche',
          'Z135 after 1992: the last era');
-- Close the open eras inside the transaction to test "the last of several".
UPDATE ticket.birthplace SET valid = daterange(lower(valid), '1980-01-01')
 WHERE code = 'A126' AND upper_inf(valid);
SELECT is(birthplace_name('A126', '2000-01-01'), 'ALBAGIARA',
          'when every era ended before the date: the latest one (ALBAGIARA, not OLLASTA)');
SELECT ok(birthplace_name('H501', '2000-01-01') IS NULL, 'an unknown code: NULL');

SELECT * FROM finish();
ROLLBACK;
