-- test/pgtap/fiscal_code_encode.sql
--
-- ticket.fiscal_code_encode, ticket.transliterate_name and
-- ticket.fiscal_code_matches.  Every expected code below was derived by hand
-- from /work/shared/docs/codice-fiscale.md: triplets by §2 (surname: first
-- three consonants; given name with 4+ consonants: 1st, 3rd, 4th; then
-- vowels, then X), date and sex by §3, check character by §5 (the worked
-- example CCCFBA85D03L219 -> P; e.g. RSSMRA80A01H501: odd positions
-- R S R 8 A 1 5 1 = 8+12+8+19+1+0+13+0 = 61, even S M A 0 0 H 0 = 37,
-- 98 mod 26 = 20 -> U).
--
-- Assumes CREATE EXTENSION ticket and pgtap.  Run: pg_prove -d DB test/pgtap/

BEGIN;
SET search_path = ticket, public;

SELECT plan(109);

CREATE TEMP TABLE encode_case (
    id         serial PRIMARY KEY,
    label      text NOT NULL,
    surname    text NOT NULL,
    given_name text NOT NULL,
    sex        text NOT NULL,
    birth_date date NOT NULL,
    birthplace text NOT NULL,
    expected   text NOT NULL
) ON COMMIT DROP;

INSERT INTO encode_case (label, surname, given_name, sex, birth_date, birthplace, expected) VALUES
    ('doc §5 worked example', 'Caccamo', 'Fabio', 'M', '1985-04-03', 'L219', 'CCCFBA85D03L219P'),
    ('the same person born in 1885: the century is not encoded', 'Caccamo', 'Fabio', 'M', '1885-04-03', 'L219', 'CCCFBA85D03L219P'),
    ('plain case', 'Rossi', 'Mario', 'M', '1980-01-01', 'H501', 'RSSMRA80A01H501U'),
    ('woman: day + 40', 'Rossi', 'Maria', 'F', '1980-01-01', 'H501', 'RSSMRA80A41H501Y'),
    ('apostrophe (D''Angelo -> DNG), compound name (Maria Teresa -> MTR), woman on 31 December',
        'D''Angelo', 'Maria Teresa', 'F', '1975-12-31', 'F205', 'DNGMTR75T71F205O'),
    ('two-word surname (De Luca -> DLC), 4 consonants (Giovanni -> GNN)',
        'De Luca', 'Giovanni', 'M', '1962-07-15', 'A944', 'DLCGNN62L15A944B'),
    ('hyphenated surname (Rossi-Bianchi -> RSS), Christian -> CRS, year 04 keeps the zero',
        'Rossi-Bianchi', 'Christian', 'M', '2004-03-09', 'L219', 'RSSCRS04C09L219F'),
    ('short names padded with X (Fo -> FOX, Al -> LAX), born 1926 (over 100 in 2026)',
        'Fo', 'Al', 'M', '1926-05-24', 'E463', 'FOXLAX26E24E463O'),
    ('Re -> REX, Ai -> AIX, woman born abroad (Z129 Romania)',
        'Re', 'Ai', 'F', '1990-10-10', 'Z129', 'REXAIX90R50Z129G'),
    ('Y and X are consonants (Yu -> YUX, Xi -> XIX), born abroad',
        'Yu', 'Xi', 'F', '2001-09-11', 'Z210', 'YUXXIX01P51Z210U'),
    ('K and W are consonants (Kowalski -> KWL), W Y T T: 1st, 3rd, 4th (Wyatt -> WTT)',
        'Kowalski', 'Wyatt', 'M', '1999-08-08', 'Z127', 'KWLWTT99M08Z127M'),
    ('surname never skips (Schwarzenegger -> SCH), J is a consonant (Jack -> JCK)',
        'Schwarzenegger', 'Jack', 'M', '1947-07-30', 'Z102', 'SCHJCK47L30Z102F'),
    ('Nazareno: NZR as surname, NRN as given name',
        'Nazareno', 'Nazareno', 'M', '1955-11-05', 'H501', 'NZRNRN55S05H501U'),
    ('Alessandro -> LSN, born 1885 (Vignola L885)',
        'Bianchi', 'Alessandro', 'M', '1885-06-15', 'L885', 'BNCLSN85H15L885E'),
    ('Federico -> FRC (not FDR), born 1920 in Fiume D620',
        'Verdi', 'Federico', 'M', '1920-03-01', 'D620', 'VRDFRC20C01D620C'),
    ('29 February 2000', 'Rossi', 'Mario', 'M', '2000-02-29', 'H501', 'RSSMRA00B29H501Y'),
    ('29 February 2000, woman', 'Rossi', 'Maria', 'F', '2000-02-29', 'H501', 'RSSMRA00B69H501C'),
    ('ò -> O (Fò -> FOX), ß -> SS (Straße -> SRS)', 'Fò', 'Straße', 'M', '1970-01-01', 'F205', 'FOXSRS70A01F205H'),
    ('Ö -> OE (Öz -> ZOE), Ü -> UE (Lü -> LUE)', 'Öz', 'Lü', 'F', '1970-01-01', 'F205', 'ZOELUE70A41F205S'),
    ('Ç -> C (Çelik -> CLK), Č -> C (Čapek -> CPK)', 'Çelik', 'Čapek', 'M', '1970-01-01', 'F205', 'CLKCPK70A01F205W'),
    ('Š -> S (Šola -> SLO), Ž -> Z (Žižek -> ZZK)', 'Šola', 'Žižek', 'M', '1970-01-01', 'F205', 'SLOZZK70A01F205D'),
    ('e + combining acute is é -> E (José -> JSO), Luca -> LCU', E'Jose\u0301', 'Luca', 'M', '1970-01-01', 'F205', 'JSOLCU70A01F205X'),
    ('vowels after consonants (Ugo -> GUO, Eva -> VEA)', 'Ugo', 'Eva', 'F', '1970-01-01', 'F205', 'GUOVEA70A41F205R'),
    ('Yoyo -> YYO, Elena -> LNE', 'Yoyo', 'Elena', 'F', '1970-01-01', 'F205', 'YYOLNE70A41F205J'),
    ('X before a vowel is a consonant (Xavier -> XVR)', 'Xavier', 'Ugo', 'M', '1970-01-01', 'F205', 'XVRGUO70A01F205B'),
    ('exactly 3 consonants: all three (Marco -> MRC); lower-case birthplace and sex',
        'rossi', 'marco', 'm', '1970-01-01', 'l219', 'RSSMRC70A01L219M');

-- 26 cases x 2
SELECT is(fiscal_code_encode(surname, given_name, sex, birth_date, birthplace)::text, expected,
          format('encode %s %s %s %s %s = %s (%s)', surname, given_name, sex, birth_date, birthplace, expected, label))
  FROM encode_case ORDER BY id;
SELECT ok(CASE WHEN fiscal_code_is_valid(expected)     -- a mistyped expectation fails here, not the file
               THEN fiscal_code_matches(expected::fiscal_code, surname, given_name, sex, birth_date, birthplace)
               ELSE false END,
          format('fiscal_code_matches(%s, %s %s ...)', expected, surname, given_name))
  FROM encode_case ORDER BY id;

SELECT ok(NOT fiscal_code_is_omocode(fiscal_code_encode('Caccamo', 'Fabio', 'M', '1985-04-03', 'L219')),
          'the encoder returns the canonical code, not an omocode');
SELECT is(fiscal_code_encode('Caccamo', 'Fabio', 'M', '1885-04-03', 'L219'),
          fiscal_code_encode('Caccamo', 'Fabio', 'M', '1985-04-03', 'L219'),
          'births in 1885 and 1985 give the same code');

-- Triplets in isolation (positions 1-3 surname, 4-6 given name).
SELECT is(left(fiscal_code_encode('Rossi', 'Federico', 'M', '1980-01-01', 'H501')::text, 6), 'RSSFRC',
          'Federico -> FRC: the 2nd consonant is skipped in a given name with 4 consonants');
SELECT is(left(fiscal_code_encode('Federico', 'Mario', 'M', '1980-01-01', 'H501')::text, 3), 'FDR',
          'Federico as a surname -> FDR: a surname never skips');
SELECT is(substr(fiscal_code_encode('Rossi', 'Alessandro', 'M', '1980-01-01', 'H501')::text, 4, 3), 'LSN',
          'Alessandro -> LSN');
SELECT is(substr(fiscal_code_encode('Rossi', 'Maria Teresa', 'F', '1980-01-01', 'H501')::text, 4, 3), 'MTR',
          'Maria Teresa -> MTR (compound name as one sequence)');
SELECT is(left(fiscal_code_encode('D''Angelo', 'Mario', 'M', '1980-01-01', 'H501')::text, 3), 'DNG',
          'D''Angelo -> DNG');
SELECT is(left(fiscal_code_encode(E'D\u2019Angelo', 'Mario', 'M', '1980-01-01', 'H501')::text, 3), 'DNG',
          'D’Angelo (typographic apostrophe) -> DNG');
SELECT is(left(fiscal_code_encode('Fo''', 'Mario', 'M', '1980-01-01', 'H501')::text, 3), 'FOX',
          'Fo'' (short surname with an apostrophe) -> FOX');
SELECT is(left(fiscal_code_encode('Re', 'Mario', 'M', '1980-01-01', 'H501')::text, 3), 'REX', 'Re -> REX');
SELECT is(substr(fiscal_code_encode('Rossi', 'Al', 'M', '1980-01-01', 'H501')::text, 4, 3), 'LAX', 'Al -> LAX');
SELECT is(substr(fiscal_code_encode('Rossi', 'Straße', 'M', '1980-01-01', 'H501')::text, 4, 3), 'SRS',
          'Straße as given name -> SRS (S T R S S: 1st, 3rd, 4th)');
SELECT is(substr(fiscal_code_encode('Rossi', 'Wolfgang', 'M', '1980-01-01', 'H501')::text, 4, 3), 'WFG',
          'Wolfgang -> WFG (W L F G N G: 1st, 3rd, 4th)');
SELECT is(left(fiscal_code_encode('Kyx', 'Mario', 'M', '1980-01-01', 'H501')::text, 3), 'KYX',
          'K Y X are consonants (Kyx -> KYX)');
SELECT is(substr(fiscal_code_encode('Rossi', 'Jj', 'M', '1980-01-01', 'H501')::text, 4, 3), 'JJX',
          'two consonants and no vowel: padded with X (Jj -> JJX)');
SELECT is(substr(fiscal_code_encode('Rossi', 'Ia', 'M', '1980-01-01', 'H501')::text, 4, 3), 'IAX',
          'only vowels: vowels in order then X (Ia -> IAX)');

-- Transliteration table (Ministry of the Interior circ. 1/2008, doc §7).
SELECT is(transliterate_name('Fò'), 'FO', 'transliterate Fò -> FO');
SELECT is(transliterate_name('Öz'), 'OEZ', 'transliterate Öz -> OEZ (Ö -> OE)');
SELECT is(transliterate_name('Lü'), 'LUE', 'transliterate Lü -> LUE (Ü -> UE)');
SELECT is(transliterate_name('Straße'), 'STRASSE', 'transliterate Straße -> STRASSE (ß -> SS)');
SELECT is(transliterate_name('Ärzte'), 'AERZTE', 'transliterate Ä -> AE');
SELECT is(transliterate_name('Æsop Œuvre'), 'AESOPOEUVRE', 'transliterate Æ -> AE, Œ -> OE, space dropped');
SELECT is(transliterate_name('Çelik Čapek'), 'CELIKCAPEK', 'transliterate Ç and Č -> C');
SELECT is(transliterate_name('Šola Žižek'), 'SOLAZIZEK', 'transliterate Š -> S, Ž -> Z (upper and lower case)');
SELECT is(transliterate_name('àáâèéêëìíîïòóôùúû'), 'AAAEEEEIIIIOOOUUU', 'transliterate accented vowels -> plain vowels');
SELECT is(transliterate_name(E'Jose\u0301'), 'JOSE', 'transliterate e + U+0301 combining acute -> E (NFC first)');
SELECT is(transliterate_name(E'D''Angelo-De Luca. Jr'), 'DANGELODELUCAJR', 'apostrophe, hyphen, space and dot are dropped');
SELECT is(transliterate_name(E'Anna\u00a0Maria\tRosa'), 'ANNAMARIAROSA', 'no-break space and tab are dropped');

-- Errors: 22023 for what the table does not cover and for bad personal data.
SELECT throws_ok($$SELECT ticket.fiscal_code_encode('Betaña', 'Mario', 'M', '1980-01-01', 'H501')$$, '22023',
                 'surname "Betaña" contains "ñ", which the fiscal code transliteration table does not cover',
                 'Ñ is not in the table: error, not a guess');
SELECT throws_ok($$SELECT ticket.fiscal_code_encode('Rossi', 'ÑAÑA', 'M', '1980-01-01', 'H501')$$, '22023',
                 'given name "ÑAÑA" contains "Ñ", which the fiscal code transliteration table does not cover',
                 'Ñ in the given name: error naming the given name');
SELECT throws_ok($$SELECT ticket.fiscal_code_encode('Иванов', 'Mario', 'M', '1980-01-01', 'H501')$$, '22023',
                 'surname "Иванов" contains "И", which the fiscal code transliteration table does not cover',
                 'Cyrillic: error, not XXX');
SELECT throws_ok($$SELECT ticket.transliterate_name('Ørsted')$$, '22023',
                 'name "Ørsted" contains "Ø", which the fiscal code transliteration table does not cover',
                 'Ø is not in the table');
SELECT throws_ok($$SELECT ticket.transliterate_name('Ayşe')$$, '22023',
                 'name "Ayşe" contains "ş", which the fiscal code transliteration table does not cover',
                 'ş is not in the table');
SELECT throws_ok($$SELECT ticket.transliterate_name('İlker')$$, '22023',
                 'name "İlker" contains "İ", which the fiscal code transliteration table does not cover',
                 'İ (I with dot above) is not in the table');
-- Non-ASCII letters whose upper case is ASCII (Turkish dotless ı U+0131,
-- long s ſ U+017F) are not in the circ. 1/2008 table either: errors, not I/S.
SELECT throws_ok($$SELECT ticket.transliterate_name('Yıldız')$$, '22023',
                 'name "Yıldız" contains "ı", which the fiscal code transliteration table does not cover',
                 'dotless ı is not in the table (not taken as I)');
SELECT throws_ok($$SELECT ticket.transliterate_name('Roſſi')$$, '22023',
                 'name "Roſſi" contains "ſ", which the fiscal code transliteration table does not cover',
                 'long s ſ is not in the table (not taken as S)');
-- Digits are not letters: dropped like punctuation (issue 16).
SELECT is(ticket.fiscal_code_encode('Rossi2', 'Mario', 'M', '1980-01-01', 'H501'),
          ticket.fiscal_code_encode('Rossi', 'Mario', 'M', '1980-01-01', 'H501'),
          'a digit in the surname is dropped');
SELECT is(ticket.fiscal_code_encode('Rossi', 'Mario 2', 'M', '1980-01-01', 'H501'),
          ticket.fiscal_code_encode('Rossi', 'Mario', 'M', '1980-01-01', 'H501'),
          'a digit in the given name is dropped');
-- No letters: the triplet pads to XXX (issue 16; RSSXXX85T10A562R is a real code).
SELECT is(ticket.fiscal_code_encode('', 'Mario', 'M', '1980-01-01', 'H501')::text,
          'XXXMRA80A01H501D',
          'empty surname: XXX');
SELECT is(ticket.fiscal_code_encode('Rossi', '', 'M', '1985-12-10', 'A562')::text,
          'RSSXXX85T10A562R',
          'empty given name: XXX');
SELECT is(ticket.fiscal_code_encode(' '' - ', 'Mario', 'M', '1980-01-01', 'H501')::text,
          'XXXMRA80A01H501D',
          'a surname of separators only: XXX');
SELECT throws_ok($$SELECT ticket.fiscal_code_encode('Rossi', 'Mario', 'X', '1980-01-01', 'H501')$$, '22023',
                 'cannot compute a fiscal code: sex must be ''M'' or ''F''',
                 'sex X');
SELECT throws_ok($$SELECT ticket.fiscal_code_encode('Rossi', 'Mario', 'MF', '1980-01-01', 'H501')$$, '22023',
                 'invalid sex "MF": sex must be ''M'' or ''F''',
                 'sex of two letters');
SELECT throws_ok($$SELECT ticket.fiscal_code_encode('Rossi', 'Mario', '', '1980-01-01', 'H501')$$, '22023',
                 'invalid sex "": sex must be ''M'' or ''F''',
                 'empty sex');
SELECT throws_ok($$SELECT ticket.fiscal_code_encode('Rossi', 'Mario', 'M', '1980-01-01', 'Roma')$$, '22023',
                 'cannot compute a fiscal code: the birthplace is not a Belfiore code',
                 'a place name instead of a Belfiore code');
SELECT throws_ok($$SELECT ticket.fiscal_code_encode('Rossi', 'Mario', 'M', '1980-01-01', 'N501')$$, '22023',
                 'cannot compute a fiscal code: the birthplace is not a Belfiore code',
                 'a Belfiore code cannot start with N');
SELECT throws_ok($$SELECT ticket.fiscal_code_encode('Rossi', 'Mario', 'M', '1980-01-01', 'H5011')$$, '22023',
                 'cannot compute a fiscal code: the birthplace is not a Belfiore code',
                 'a birthplace of 5 characters');
SELECT throws_ok($$SELECT ticket.fiscal_code_encode('Rossi', 'Mario', 'M', '1980-01-01', 'H5L1')$$, '22023',
                 'cannot compute a fiscal code: the birthplace is not a Belfiore code',
                 'omocode letters are not accepted in a birthplace argument');
SELECT throws_ok($$SELECT ticket.fiscal_code_encode('Rossi', 'Mario', 'M', 'infinity', 'H501')$$, '22023',
                 'the birth date must be finite',
                 'infinite birth date');
SELECT throws_ok($$SELECT ticket.fiscal_code_encode('Rossi', 'Mario', 'M', '1900-02-29', 'H501')$$, '22008',
                 NULL,
                 '29 February 1900 is not a date at all (1900 was not a leap year)');

-- fiscal_code_matches: the code and all 128 of its forms, not someone else.
SELECT is((SELECT count(*) FILTER (WHERE fiscal_code_matches(o, 'Caccamo', 'Fabio', 'M', '1985-04-03', 'L219'))
             FROM fiscal_code_omocodes('CCCFBA85D03L219P') AS o), 128::bigint,
          'fiscal_code_matches is true for all 128 omocodes of Caccamo Fabio''s code');
SELECT ok(fiscal_code_matches('CCCFBA85D03L21VE', 'CACCAMO', 'fabio', 'm', '1985-04-03', 'l219'),
          'fiscal_code_matches ignores case in the personal data');
SELECT ok(NOT fiscal_code_matches('CCCFBA85D03L219P', 'Caccamo', 'Fabio', 'M', '1985-04-04', 'L219'),
          'fiscal_code_matches is false for another birth date');
SELECT ok(NOT fiscal_code_matches('CCCFBA85D03L219P', 'Caccamo', 'Fabia', 'F', '1985-04-03', 'L219'),
          'fiscal_code_matches is false for another sex');
SELECT ok(NOT fiscal_code_matches('RSSMRA80A01H501U', 'Caccamo', 'Fabio', 'M', '1985-04-03', 'L219'),
          'fiscal_code_matches is false for a different person');
SELECT ok(NOT fiscal_code_matches('00743110157', 'Caccamo', 'Fabio', 'M', '1985-04-03', 'L219'),
          'fiscal_code_matches is false for a numeric code');
SELECT ok(NOT fiscal_code_matches('STP1234567890123', 'Caccamo', 'Fabio', 'M', '1985-04-03', 'L219'),
          'fiscal_code_matches is false for an STP code');

SELECT * FROM finish();
ROLLBACK;
