-- Birth dates, the century policy and birthplace names, on a small fixture.
\set VERBOSITY terse
SET search_path = ticket, public;
\i test/fixtures/birthplaces.sql

-- Latest date not after the reference: 26 is 2026 up to the birthday, 1926 after.
SELECT fiscal_code_birth_date(fiscal_code_encode('Rossi', 'Mario', 'M', '2026-03-01', 'A944'), '2026-03-01') AS on_birthday,
       fiscal_code_birth_date(fiscal_code_encode('Rossi', 'Mario', 'M', '2026-03-01', 'A944'), '2026-02-28') AS day_before,
       fiscal_code_birth_date('MRTMTT00B69Z129O', '2026-11-26') AS feb29_2000,
       fiscal_code_birth_date('MRTMTT00B69Z129O', '2099-12-31') AS still_2000;

-- A birthplace known to have ceased before that date moves the birth back
-- one century (Fiume, Italian 1924-1947); an unknown one does not.
SELECT fiscal_code_birth_date(fiscal_code_encode('Rossi', 'Mario', 'M', '1925-05-01', 'D620'), '2026-11-26') AS fiume,
       fiscal_code_birth_date(fiscal_code_encode('Rossi', 'Mario', 'M', '1925-05-01', 'M999'), '2026-11-26') AS unknown_place,
       fiscal_code_birth_date('02342520158', '2026-11-26') AS numeric_code;
-- ... but never to someone older than 120: Fiume, 60 stays 1960, not 1860.
SELECT fiscal_code_birth_date(fiscal_code_encode('Rossi', 'Mario', 'M', '1960-01-01', 'D620'), '2026-11-26') AS fiume_1960,
       fiscal_code_birth_date(fiscal_code_encode('Rossi', 'Mario', 'M', '1906-11-26', 'D620'), '2026-11-26') AS exactly_120,
       fiscal_code_birth_date(fiscal_code_encode('Rossi', 'Mario', 'M', '1906-11-25', 'D620'), '2026-11-26') AS over_120;
SELECT fiscal_code_birth_date('MRTMTT00B69Z129O', 'infinity');

-- Place known / name valid on the birth date.
SELECT c AS code, fiscal_code_place_known(c) AS known,
       fiscal_code_place_name(c, '2026-11-26') AS place
  FROM unnest(ARRAY[fiscal_code_encode('Rossi', 'Mario', 'M', '1985-12-10', 'A944'),
                    fiscal_code_encode('Rossi', 'Mario', 'M', '1920-12-10', 'A089'),
                    fiscal_code_encode('Rossi', 'Mario', 'M', '1980-12-10', 'A089'),
                    fiscal_code_encode('Rossi', 'Mario', 'M', '1930-05-01', 'D620'),
                    fiscal_code_encode('Rossi', 'Mario', 'M', '1930-05-01', 'M999'),
                    '02342520158'::fiscal_code]) AS c;

-- birthplace_name: the era in force, else the next era, else the last one.
SELECT birthplace_name('A089', '1920-01-01') AS girgenti,
       birthplace_name('a089', '2000-01-01') AS agrigento,
       birthplace_name('M436', '1990-01-01') AS created_later,
       birthplace_name('D620', '1990-01-01') AS ceased,
       birthplace_name('Z999', '1990-01-01') AS unknown;

-- The table refuses malformed rows.
INSERT INTO birthplace (code, valid, name, name_ascii, province, kind, source)
VALUES ('J123', '[2000-01-01,)', 'X', 'X', 'BO', 'municipality', 'test');
INSERT INTO birthplace (code, valid, name, name_ascii, province, kind, source)
VALUES ('Z123', '[2000-01-01,)', 'X', 'X', 'EE', 'municipality', 'test');
INSERT INTO birthplace (code, valid, name, name_ascii, province, kind, source)
VALUES ('A123', '(,2000-01-01)', 'X', 'X', 'BO', 'municipality', 'test');
