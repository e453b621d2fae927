-- test/switch-2011/01_population.sql: GPs, households and citizens of three AUSL
-- (Bologna, Modena, Reggio Emilia), family incomes, and the income
-- exemptions the registry already knew in spring 2011.
--
-- Its own generator, not the main job's (extension/bin/replay/population.sql)
-- nor test/fixtures/population_2020.sql: every citizen is also a row of
-- replay.person with the household income the independent computation of
-- 00_harness.sql prices from, some are hand-made cases (special) the later
-- phases address by name, and the checks of 02-06 count on this exact
-- population at seed 0.2011; the main job's region is drawn by replay.u
-- over options (size, seed) and keeps no such expectations.
SELECT replay.begin_phase('population (spring 2011)');

CREATE TABLE replay.person (
    fiscal_code   ticket.fiscal_code PRIMARY KEY,
    household_id  bigint NOT NULL,
    relation      text NOT NULL,
    birth_date    date NOT NULL,
    income        numeric(10,2) NOT NULL,     -- the household's family fiscal income
    asl           text NOT NULL,
    gp_code       text NOT NULL,
    unemployed    boolean NOT NULL DEFAULT false,
    special       text                        -- a hand-made test case: no random activity
);

-- Registers a citizen; an omocode (same data, same code) gets the next day
-- of birth instead, as the synthetic population must have distinct codes.
CREATE FUNCTION replay.add_person(surname text, given_name text, sex text, birth date, birthplace text,
                                  asl text, household bigint, relation text, income numeric,
                                  unemployed boolean DEFAULT false, special text DEFAULT NULL)
RETURNS ticket.fiscal_code LANGUAGE plpgsql AS $$
DECLARE
    code ticket.fiscal_code;
    gp text;
BEGIN
    LOOP
        code := ticket.fiscal_code_encode(surname, given_name, sex, birth, birthplace);
        EXIT WHEN NOT EXISTS (SELECT 1 FROM registry.citizen c WHERE c.fiscal_code = code);
        birth := birth + 1;
    END LOOP;
    SELECT g.gp_code INTO gp FROM registry.gp g
     WHERE g.asl_code = asl
       AND g.kind = CASE WHEN birth > date '1998-01-01' THEN 'paediatrician' ELSE 'gp' END
     ORDER BY random() LIMIT 1;
    INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl, gp_code)
    VALUES (code, surname, given_name, sex, birth, birthplace, asl, gp);
    INSERT INTO registry.household_member (fiscal_code, household_id, relation) VALUES (code, household, relation);
    INSERT INTO replay.person VALUES (code, household, relation, birth, income, asl, gp, unemployed, special);
    RETURN code;
END;
$$;

SELECT setseed(0.2011);

DO $$
DECLARE
    it_surnames text[] := '{Rossi,Russo,Ferrari,Esposito,Bianchi,Romano,Colombo,Ricci,Marino,Greco,Bruno,Gallo,Conti,De Luca,Mancini,Costa,Giordano,Rizzo,Lombardi,Moretti,Barbieri,Fontana,Santoro,Mariani,Rinaldi,Caruso,Galli,Martini,Leone,Longo,Gentile,Martinelli,Vitale,Serra,De Santis,D''Angelo,D''Amico,Dell''Acqua,Dall''Olio,Lo Russo,Della Valle,Cantù,Lucà,Nicolò,Mazzà,Bertolini,Zanichelli,Guidetti,Malagoli,Montanari,Bonacini,Ferrarini,Ghidoni,Pattacini,Prandi,Zironi,Manicardi,Bulgarelli,Vecchi,Sant''Ambrogio}';
    ro_surnames text[] := '{Popescu,Ionescu,Popa,Dumitru,Stan,Stoica,Gheorghe,Rusu,Munteanu,Lungu}';
    male text[] := '{Marco,Giuseppe,Giovanni,Antonio,Luca,Francesco,Alessandro,Andrea,Matteo,Lorenzo,Davide,Simone,Federico,Riccardo,Stefano,Paolo,Roberto,Massimo,Fabio,Niccolò,Nicolò,Gian Luca,Pier Paolo,Mattia,Gabriele,Tommaso,Michele,Enrico,Daniele,Filippo,Giacomo,Noè,Elia}';
    female text[] := '{Maria,Anna,Giulia,Francesca,Sara,Laura,Valentina,Chiara,Elena,Alessia,Federica,Silvia,Martina,Paola,Giorgia,Elisa,Beatrice,Sofia,Aurora,Maria Teresa,Anna Maria,Rosa,Lucia,Caterina,Benedetta,Zoë,Desirée,Noemi,Irene,Margherita}';
    ro_male text[] := '{Andrei,Mihai,Alexandru,Vlad,Ion,Cristian}';
    ro_female text[] := '{Ioana,Elena,Cristina,Maria,Ana,Andreea}';
    asls text[] := '{080105,080105,080105,080105,080105,080104,080104,080104,080103,080103}';
    asl text;
    home text;
    h bigint;
    romanian boolean;
    surname text;
    sex text;
    r numeric;
    income numeric;
    shape numeric;
    declarant_birth date;
    kids integer;
    unemployed boolean;
BEGIN
    -- GPs and paediatricians: 10 per AUSL, the last two paediatricians.
    FOR i IN 1..30 LOOP
        asl := (ARRAY['080105', '080104', '080103'])[1 + (i - 1) / 10];
        sex := CASE WHEN random() < 0.5 THEN 'M' ELSE 'F' END;
        surname := replay.pick(it_surnames);
        INSERT INTO registry.gp (gp_code, fiscal_code, surname, given_name, asl_code, kind)
        SELECT 'MMG' || lpad(i::text, 4, '0'), code, surname, g, asl,
               CASE WHEN (i - 1) % 10 >= 8 THEN 'paediatrician' ELSE 'gp' END
          FROM (SELECT CASE sex WHEN 'M' THEN replay.pick(male) ELSE replay.pick(female) END AS g) n
         CROSS JOIN LATERAL (SELECT ticket.fiscal_code_encode(surname, n.g, sex,
                                                             date '1950-01-01' + floor(random() * 9000)::integer,
                                                             'A944') AS code) c;
    END LOOP;

    FOR hh IN 1..700 LOOP
        INSERT INTO registry.household DEFAULT VALUES RETURNING household_id INTO h;
        asl := replay.pick(asls);
        home := CASE asl WHEN '080105' THEN 'A944' WHEN '080104' THEN 'F257' ELSE 'H223' END;
        romanian := random() < 0.06;
        surname := CASE WHEN romanian THEN replay.pick(ro_surnames) ELSE replay.pick(it_surnames) END;
        unemployed := random() < 0.03;
        r := random();
        income := round(CASE WHEN unemployed THEN 3000 + random() * 5200
                             WHEN r < 0.50 THEN 9000 + random() * 27150
                             WHEN r < 0.78 THEN 36153 + random() * 33800
                             WHEN r < 0.90 THEN 70001 + random() * 29998
                             ELSE 100001 + random() * 150000 END::numeric, 2);
        shape := random();
        declarant_birth := CASE WHEN shape < 0.30 THEN date '1925-01-01' + floor(random() * 23000)::integer
                                WHEN shape < 0.55 THEN date '1930-01-01' + floor(random() * 20000)::integer
                                ELSE date '1958-01-01' + floor(random() * 8000)::integer END;
        sex := CASE WHEN random() < 0.5 THEN 'M' ELSE 'F' END;
        PERFORM replay.add_person(surname,
                                  CASE WHEN romanian THEN replay.pick(CASE sex WHEN 'M' THEN ro_male ELSE ro_female END)
                                       ELSE replay.pick(CASE sex WHEN 'M' THEN male ELSE female END) END,
                                  sex, declarant_birth,
                                  CASE WHEN romanian THEN 'Z129' WHEN random() < 0.12 THEN replay.pick('{L219,A089,A562}') ELSE home END,
                                  asl, h, 'declarant', income, unemployed);
        IF shape >= 0.30 THEN
            -- the spouse keeps their own surname
            sex := CASE sex WHEN 'M' THEN 'F' ELSE 'M' END;
            PERFORM replay.add_person(CASE WHEN romanian THEN replay.pick(ro_surnames) ELSE replay.pick(it_surnames) END,
                                      CASE WHEN romanian THEN replay.pick(CASE sex WHEN 'M' THEN ro_male ELSE ro_female END)
                                           ELSE replay.pick(CASE sex WHEN 'M' THEN male ELSE female END) END,
                                      sex, declarant_birth + floor(random() * 2000 - 1000)::integer,
                                      CASE WHEN romanian THEN 'Z129' ELSE home END, asl, h, 'spouse', income);
        END IF;
        IF shape >= 0.55 THEN
            kids := 1 + floor(random() * 3)::integer;
            FOR k IN 1..kids LOOP
                sex := CASE WHEN random() < 0.5 THEN 'M' ELSE 'F' END;
                PERFORM replay.add_person(surname,
                                          CASE WHEN romanian THEN replay.pick(CASE sex WHEN 'M' THEN ro_male ELSE ro_female END)
                                               ELSE replay.pick(CASE sex WHEN 'M' THEN male ELSE female END) END,
                                          sex, least(greatest(declarant_birth + 7300, date '1992-01-01')
                                                     + floor(random() * 5500)::integer, date '2011-03-01'),
                                          home, asl, h, 'dependant', income);
            END LOOP;
        END IF;
    END LOOP;
END;
$$;

-- The hand-made cases of the grace window (checked in 04_late_2011.sql).
DO $$
DECLARE
    h bigint;
    c record;
BEGIN
    FOR c IN SELECT * FROM (VALUES
            ('D''Angelo', 'Grazia', 'F', date '1975-03-12', 'A944', 20000.00, 'grace day 60'),
            ('Dall''Olio', 'Ettore', 'M', date '1968-11-02', 'F257', 21000.00, 'grace day 61'),
            ('Lucà', 'Niccolò', 'M', date '1980-07-19', 'A944', 50000.00, 'RE2 refund'),
            ('Cantù', 'Maria Teresa', 'F', date '1940-01-30', 'A944', 20000.00, 'late E01'),
            ('Lo Russo', 'Pier Paolo', 'M', date '1966-05-05', 'H223', 80000.00, 'correction up'))
            AS v(surname, given_name, sex, birth, birthplace, income, label) LOOP
        INSERT INTO registry.household DEFAULT VALUES RETURNING household_id INTO h;
        PERFORM replay.add_person(c.surname, c.given_name, c.sex, c.birth, c.birthplace, '080105', h,
                                  'declarant', c.income, false, c.label);
    END LOOP;
END;
$$;

-- Income exemptions (E01: under 6 or 65 and over, family income up to
-- 36,151.98; E02: unemployed) known in spring 2011: about 70 % of those
-- entitled, from 1 April 2011.  The rest arrive during the switch.
CREATE TABLE replay.e01 AS
SELECT p.fiscal_code, p.birth_date FROM replay.person p
 WHERE p.special IS NULL AND p.income <= 36151.98
   AND (p.birth_date > date '2011-04-01' - interval '6 years'
        OR p.birth_date <= date '2011-04-01' - interval '65 years')
 ORDER BY p.fiscal_code;
ALTER TABLE replay.e01 ADD COLUMN early boolean;
UPDATE replay.e01 SET early = random() < 0.7;   -- heap order of a fresh table: deterministic

INSERT INTO replay.op (op_at, kind, citizen, exemption, day, source)
SELECT replay.at(replay.day_between('2011-04-01', '2011-05-31'), floor(random() * 480)::integer),
       'grant', fiscal_code, 'E01', date '2011-04-01', 'asl_certificate'
  FROM replay.e01 WHERE early ORDER BY fiscal_code;

SELECT replay.execute('2011-06-01');

SELECT replay.check_phase();
SELECT replay.ok((SELECT count(*) FROM registry.citizen) BETWEEN 1200 AND 3500,
                 format('population: %s citizens in %s households', (SELECT count(*) FROM registry.citizen),
                        (SELECT count(*) FROM registry.household)));
SELECT replay.ok((SELECT count(*) FROM registry.citizen WHERE surname ~ '[''’]' OR surname ~ '[^ -~]' OR given_name ~ '[^ -~]') >= 50,
                 'population: names with apostrophes and accented letters',
                 (SELECT count(*) FROM registry.citizen WHERE surname ~ '[''’]' OR surname ~ '[^ -~]' OR given_name ~ '[^ -~]')::text);
SELECT replay.is((SELECT count(*) FROM registry.citizen c
                   WHERE NOT ticket.fiscal_code_matches(c.fiscal_code, c.surname, c.given_name, c.sex,
                                                        c.birth_date, c.birthplace)), 0,
                 'population: every fiscal code matches the personal data');
SELECT replay.ok((SELECT count(*) FROM registry.exemption_grant) > 50,
                 format('population: %s E01 grants from 1 April 2011', (SELECT count(*) FROM registry.exemption_grant)));
SELECT replay.is((SELECT count(*) FROM registry.exemption_grant WHERE upper(valid) <> date '2012-04-01'), 0,
                 'population: an open E01 grant from 1 April 2011 runs to 31 March 2012');
