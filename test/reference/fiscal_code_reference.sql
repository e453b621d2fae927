-- test/reference/fiscal_code_reference.sql
--
-- A PL/pgSQL reference implementation of the fiscal-code acceptance rule,
-- written from /work/shared/docs/codice-fiscale.md (§1, §3, §5, §6, §8, §9,
-- §10.2) and NOT from the C code, so that a differential test can compare
-- the two: test/pgtap/fiscal_code_differential.sql includes this file
-- (psql \ir) inside a transaction that it rolls back.
--
-- It is deliberately plain: one loop over the characters, lookup strings,
-- no regular expressions and no locale-dependent calls (upper(), lower(),
-- text comparisons), the way one would write it without the C core.
--
--   ticket_reference.check_char(first15)   16th character of a personal code
--   ticket_reference.numeric_check_digit(first10)   Luhn digit of a numeric code
--   ticket_reference.normalize(code)       trimmed, ASCII upper case, or NULL
--   ticket_reference.is_valid(code)        would ticket.fiscal_code accept it?
--   ticket_reference.generate_codes(n, seed)   deterministic test strings
--
-- The file is idempotent (IF NOT EXISTS / OR REPLACE) and needs nothing but
-- PL/pgSQL: it does not depend on the ticket extension.

CREATE SCHEMA IF NOT EXISTS ticket_reference;

COMMENT ON SCHEMA ticket_reference IS
'PL/pgSQL reference implementation of the fiscal-code rules, for differential tests (test/reference)';

--------------------------------------------------------------------------
-- §5: the check character over the 15 characters exactly as written
--------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION ticket_reference.check_char(first15 text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    -- Odd positions (1, 3, ..., 15): the table of §5, one entry per column
    -- 0/A 1/B ... 9/J K L ... Z; a digit shares the value of its letter.
    odd_values constant int[] := ARRAY[1, 0, 5, 7, 9, 13, 15, 17, 19, 21,
                                       2, 4, 18, 20, 11, 3, 6, 8, 12, 14,
                                       16, 10, 22, 25, 24, 23];
    c       text;
    code    int;
    idx     int;     -- 0..25: the column of the character
    total   int := 0;
BEGIN
    IF length(first15) <> 15 THEN
        RETURN NULL;
    END IF;
    FOR i IN 1..15 LOOP
        c := substr(first15, i, 1);
        code := ascii(c);
        IF code BETWEEN 48 AND 57 THEN          -- '0'..'9'
            idx := code - 48;
        ELSIF code BETWEEN 65 AND 90 THEN       -- 'A'..'Z'
            idx := code - 65;
        ELSE
            RETURN NULL;                        -- not a code character
        END IF;
        IF i % 2 = 1 THEN
            total := total + odd_values[idx + 1];
        ELSE
            total := total + idx;               -- even: 0-9 and A-Z as 0..25
        END IF;
    END LOOP;
    RETURN chr(65 + total % 26);
END;
$$;

COMMENT ON FUNCTION ticket_reference.check_char(text) IS
'check character (§5) of 15 upper-case characters as written (omocode letters count as letters); NULL for other input';

--------------------------------------------------------------------------
-- §8: the Luhn check digit of an 11-digit numeric code
--------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION ticket_reference.numeric_check_digit(first10 text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    d     int;
    total int := 0;
BEGIN
    IF length(first10) <> 10 THEN
        RETURN NULL;
    END IF;
    FOR i IN 1..10 LOOP
        d := ascii(substr(first10, i, 1)) - 48;
        IF d < 0 OR d > 9 THEN
            RETURN NULL;
        END IF;
        IF i % 2 = 0 THEN                       -- even positions are doubled
            d := d * 2;
            IF d > 9 THEN
                d := d - 9;
            END IF;
        END IF;
        total := total + d;
    END LOOP;
    RETURN chr(48 + (10 - total % 10) % 10);
END;
$$;

COMMENT ON FUNCTION ticket_reference.numeric_check_digit(text) IS
'Luhn check digit (§8) of the first 10 digits of a numeric code; NULL for other input';

--------------------------------------------------------------------------
-- §0.9 / §14: trim ASCII whitespace, ASCII-only case folding
--------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION ticket_reference.normalize(code text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    -- ASCII whitespace: space, TAB, LF, VT, FF, CR
    ws         constant text := ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13);
    first_pos  int := 1;
    last_pos   int := length(code);
    c          text;
    cp         int;
    result     text := '';
BEGIN
    WHILE first_pos <= last_pos AND strpos(ws, substr(code, first_pos, 1)) > 0 LOOP
        first_pos := first_pos + 1;
    END LOOP;
    WHILE last_pos >= first_pos AND strpos(ws, substr(code, last_pos, 1)) > 0 LOOP
        last_pos := last_pos - 1;
    END LOOP;
    FOR i IN first_pos..last_pos LOOP
        c := substr(code, i, 1);
        cp := ascii(c);
        IF cp BETWEEN 97 AND 122 THEN           -- 'a'..'z': fold to upper case
            result := result || chr(cp - 32);
        ELSIF cp BETWEEN 65 AND 90 OR cp BETWEEN 48 AND 57 THEN
            result := result || c;
        ELSE
            RETURN NULL;    -- inner whitespace, punctuation, non-ASCII
        END IF;
    END LOOP;
    RETURN result;
END;
$$;

COMMENT ON FUNCTION ticket_reference.normalize(text) IS
'the code trimmed of ASCII whitespace and folded to ASCII upper case; NULL when another character remains';

--------------------------------------------------------------------------
-- The acceptance rule of the input function
--------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION ticket_reference.is_valid(code text)
RETURNS boolean
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    digits        constant text := '0123456789';
    omocode_chars constant text := 'LMNPQRSTUV';     -- 0..9 (§6)
    month_chars   constant text := 'ABCDEHLMPRST';   -- Jan..Dec (§3)
    place_chars   constant text := 'ABCDEFGHILMZ';   -- [A-ILMZ] (§1)
    s          text;
    c          text;
    cp         int;
    d          int;
    value      int[] := ARRAY[]::int[];  -- digit value of positions 7..15
    serial_sum int;
    office     int;
    year2      int;
    month      int;
    day_field  int;
    day        int;
    max_day    int;
BEGIN
    s := ticket_reference.normalize(code);
    IF s IS NULL OR s = '' THEN
        RETURN false;
    END IF;

    -- §8: 11 digits, serial not 0000000, office 001-100/120/121/888/999, Luhn
    IF length(s) = 11 THEN
        serial_sum := 0;
        FOR i IN 1..11 LOOP
            d := strpos(digits, substr(s, i, 1)) - 1;
            IF d < 0 THEN
                RETURN false;
            END IF;
            IF i <= 7 THEN
                serial_sum := serial_sum + d;
            END IF;
        END LOOP;
        IF serial_sum = 0 THEN
            RETURN false;
        END IF;
        office := substr(s, 8, 3)::int;
        IF NOT (office BETWEEN 1 AND 100 OR office IN (120, 121, 888, 999)) THEN
            RETURN false;
        END IF;
        RETURN substr(s, 11, 1) = ticket_reference.numeric_check_digit(substr(s, 1, 10));
    END IF;

    IF length(s) <> 16 THEN
        RETURN false;
    END IF;

    -- §9: STP / ENI followed by 13 digits, no check character
    IF substr(s, 1, 3) IN ('STP', 'ENI') AND strpos(digits, substr(s, 4, 1)) > 0 THEN
        FOR i IN 4..16 LOOP
            IF strpos(digits, substr(s, i, 1)) = 0 THEN
                RETURN false;
            END IF;
        END LOOP;
        RETURN true;
    END IF;

    -- §1 / §6: personal code, letters and digit-or-omocode positions
    FOR i IN 1..16 LOOP
        c := substr(s, i, 1);
        IF i IN (7, 8, 10, 11, 13, 14, 15) THEN
            d := strpos(digits, c) - 1;
            IF d < 0 THEN
                d := strpos(omocode_chars, c) - 1;
            END IF;
            IF d < 0 THEN
                RETURN false;
            END IF;
            value[i] := d;
        ELSE
            cp := ascii(c);
            IF cp < 65 OR cp > 90 THEN
                RETURN false;
            END IF;
        END IF;
    END LOOP;

    -- §3: month letter, day 01-31 / 41-71, the date exists in some century
    month := strpos(month_chars, substr(s, 9, 1));
    IF month = 0 THEN
        RETURN false;
    END IF;
    day_field := value[10] * 10 + value[11];
    IF day_field BETWEEN 1 AND 31 THEN
        day := day_field;
    ELSIF day_field BETWEEN 41 AND 71 THEN
        day := day_field - 40;
    ELSE
        RETURN false;
    END IF;
    year2 := value[7] * 10 + value[8];
    IF month = 2 THEN
        -- §10.2: 29 February exists for yy when some century makes it a leap
        -- year: yy % 4 = 0 (00 through 2000, the others through 19yy/20yy)
        IF year2 % 4 = 0 THEN
            max_day := 29;
        ELSE
            max_day := 28;
        END IF;
    ELSIF month IN (4, 6, 9, 11) THEN
        max_day := 30;
    ELSE
        max_day := 31;
    END IF;
    IF day > max_day THEN
        RETURN false;
    END IF;

    -- §1: first character of the birthplace code
    IF strpos(place_chars, substr(s, 12, 1)) = 0 THEN
        RETURN false;
    END IF;

    -- §5: the check character over the 15 characters as written
    RETURN substr(s, 16, 1) = ticket_reference.check_char(substr(s, 1, 15));
END;
$$;

COMMENT ON FUNCTION ticket_reference.is_valid(text) IS
'reference acceptance rule of ticket.fiscal_code input: personal codes (all omocodes), numeric codes, STP/ENI';

--------------------------------------------------------------------------
-- Deterministic generator of test strings
--------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION ticket_reference.generate_codes(n int, seed float8)
RETURNS SETOF text
LANGUAGE plpgsql VOLATILE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    letters       constant text := 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    digits        constant text := '0123456789';
    alnum         constant text := 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
    omocode_chars constant text := 'LMNPQRSTUV';
    month_chars   constant text := 'ABCDEHLMPRST';
    place_chars   constant text := 'ABCDEFGHILM';
    bad_month     constant text := 'FGIJKNOQUVWXYZ';
    bad_place     constant text := 'JKNOPQRSTUVWXY';
    bad_omocode   constant text := 'ABCDEFGHIJKOWXYZ';
    -- ASCII whitespace the input function trims
    ws            constant text := ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13);
    -- characters that look like whitespace or letters but are not ASCII
    non_ascii     constant text[] := ARRAY[chr(160), chr(8203), chr(12288), 'à', 'È', 'ß',
                                           'ı', 'İ', 'Ñ', chr(65296), chr(65313), 'Ｍ'];
    punctuation   constant text := '-_.,;:/\''"()[]*+#@!?';
    s        text;
    p15      text;
    r        float8;
    kind     float8;
    yy       int;
    mm       int;
    dd       int;
    max_day  int;
    mask     int;
    pos      int;
    office   int;
    omocode_pos constant int[] := ARRAY[7, 8, 10, 11, 13, 14, 15];
BEGIN
    PERFORM setseed(seed);
    FOR k IN 1..n LOOP
        kind := random();

        IF kind < 0.70 THEN
            ---------------- a valid personal code to start from ----------------
            s := '';
            FOR i IN 1..6 LOOP
                s := s || substr(letters, 1 + floor(random() * 26)::int, 1);
            END LOOP;
            yy := floor(random() * 100)::int;
            mm := 1 + floor(random() * 12)::int;
            IF mm = 2 THEN
                max_day := CASE WHEN yy % 4 = 0 THEN 29 ELSE 28 END;
            ELSIF mm IN (4, 6, 9, 11) THEN
                max_day := 30;
            ELSE
                max_day := 31;
            END IF;
            r := random();
            IF r < 0.25 THEN
                dd := max_day - floor(random() * 3)::int;   -- month ends
            ELSIF r < 0.30 THEN
                dd := 1;
            ELSE
                dd := 1 + floor(random() * max_day)::int;
            END IF;
            IF random() < 0.5 THEN
                dd := dd + 40;                              -- women
            END IF;
            s := s || lpad(yy::text, 2, '0') || substr(month_chars, mm, 1) || lpad(dd::text, 2, '0');
            IF random() < 0.25 THEN
                s := s || 'Z' || (1 + floor(random() * 7)::int)::text
                          || lpad(floor(random() * 100)::int::text, 2, '0');   -- foreign state
            ELSE
                s := s || substr(place_chars, 1 + floor(random() * 11)::int, 1)
                          || lpad(floor(random() * 1000)::int::text, 3, '0');
            END IF;
            -- omocode substitutions: none, the usual right-to-left ones, or any
            r := random();
            IF r < 0.40 THEN
                mask := 0;
            ELSIF r < 0.55 THEN
                mask := (1 << (1 + floor(random() * 7)::int)) - 1;   -- 1, 3, 7 ... 127
            ELSE
                mask := 1 + floor(random() * 127)::int;             -- 1..127
            END IF;
            FOR b IN 0..6 LOOP
                IF mask & (1 << b) <> 0 THEN
                    pos := omocode_pos[7 - b];                      -- bit 0 = position 15
                    s := overlay(s placing substr(omocode_chars, 1 + (ascii(substr(s, pos, 1)) - 48), 1)
                                 from pos for 1);
                END IF;
            END LOOP;
            s := s || ticket_reference.check_char(s);

            ---------------- then maybe break it ----------------
            r := random();
            IF kind >= 0.40 THEN
                IF r < 0.30 THEN
                    -- one character replaced, check character left alone
                    pos := 1 + floor(random() * 16)::int;
                    s := overlay(s placing substr(alnum, 1 + floor(random() * 36)::int, 1) from pos for 1);
                ELSIF r < 0.55 THEN
                    -- one character replaced, check character recomputed: only
                    -- the structural rules can reject it
                    pos := 1 + floor(random() * 15)::int;
                    s := overlay(s placing substr(alnum, 1 + floor(random() * 36)::int, 1) from pos for 1);
                    p15 := substr(s, 1, 15);
                    s := p15 || coalesce(ticket_reference.check_char(p15), 'A');
                ELSIF r < 0.75 THEN
                    -- wrong check character
                    s := substr(s, 1, 15) ||
                         substr(letters, 1 + ((ascii(substr(s, 16, 1)) - 65 + 1 + floor(random() * 25)::int) % 26), 1);
                ELSE
                    -- a targeted structural fault, check character recomputed
                    r := random();
                    IF r < 0.25 THEN
                        s := overlay(s placing (ARRAY['00', '32', '39', '40', '72', '80', '99', 'LL', 'PN', 'QL', 'TN'])
                                               [1 + floor(random() * 11)::int] from 10 for 2);
                    ELSIF r < 0.40 THEN
                        -- day 29/30/31 in short months, 29 February in any year
                        s := overlay(s placing (ARRAY['B29', 'B30', 'B69', 'BNV', 'D31', 'H31', 'P31', 'S71', 'SQM', 'B28'])
                                               [1 + floor(random() * 10)::int] from 9 for 3);
                    ELSIF r < 0.55 THEN
                        s := overlay(s placing substr(bad_month, 1 + floor(random() * 14)::int, 1) from 9 for 1);
                    ELSIF r < 0.70 THEN
                        s := overlay(s placing substr(bad_place, 1 + floor(random() * 14)::int, 1) from 12 for 1);
                    ELSIF r < 0.85 THEN
                        pos := omocode_pos[1 + floor(random() * 7)::int];
                        s := overlay(s placing substr(bad_omocode, 1 + floor(random() * 16)::int, 1) from pos for 1);
                    ELSE
                        -- a digit in a letter position
                        pos := (ARRAY[1, 2, 3, 4, 5, 6, 9, 12])[1 + floor(random() * 8)::int];
                        s := overlay(s placing substr(digits, 1 + floor(random() * 10)::int, 1) from pos for 1);
                    END IF;
                    p15 := substr(s, 1, 15);
                    s := p15 || coalesce(ticket_reference.check_char(p15), 'A');
                END IF;
            END IF;

        ELSIF kind < 0.84 THEN
            ---------------- numeric codes (§8) ----------------
            s := '';
            FOR i IN 1..7 LOOP
                s := s || substr(digits, 1 + floor(random() * 10)::int, 1);
            END LOOP;
            r := random();
            IF r < 0.80 THEN
                office := 1 + floor(random() * 100)::int;
            ELSE
                office := (ARRAY[120, 121, 888, 999])[1 + floor(random() * 4)::int];
            END IF;
            s := s || lpad(office::text, 3, '0');
            s := s || ticket_reference.numeric_check_digit(s);
            r := random();
            IF r < 0.50 THEN
                NULL;                                               -- valid
            ELSIF r < 0.62 THEN
                -- wrong check digit
                s := substr(s, 1, 10) || ((ascii(substr(s, 11, 1)) - 48 + 1 + floor(random() * 9)::int) % 10)::text;
            ELSIF r < 0.70 THEN
                -- one digit changed (Luhn catches every single-digit error)
                pos := 1 + floor(random() * 10)::int;
                s := overlay(s placing substr(digits, 1 + floor(random() * 10)::int, 1) from pos for 1);
            ELSIF r < 0.76 THEN
                -- serial 0000000 with a good check digit
                s := '0000000' || substr(s, 8, 3);
                s := s || ticket_reference.numeric_check_digit(s);
            ELSIF r < 0.86 THEN
                -- office out of range, good check digit
                office := (ARRAY[0, 101, 119, 122, 500, 887, 889, 998,
                                 floor(random() * 1000)::int])[1 + floor(random() * 9)::int];
                s := substr(s, 1, 7) || lpad(office::text, 3, '0');
                s := s || ticket_reference.numeric_check_digit(s);
            ELSIF r < 0.93 THEN
                -- fully random digits
                s := '';
                FOR i IN 1..11 LOOP
                    s := s || substr(digits, 1 + floor(random() * 10)::int, 1);
                END LOOP;
            ELSE
                -- a letter among the digits, or one digit too many / too few
                r := random();
                IF r < 0.5 THEN
                    pos := 1 + floor(random() * 11)::int;
                    s := overlay(s placing substr(letters, 1 + floor(random() * 26)::int, 1) from pos for 1);
                ELSIF r < 0.75 THEN
                    s := s || substr(digits, 1 + floor(random() * 10)::int, 1);
                ELSE
                    s := substr(s, 1, 10);
                END IF;
            END IF;

        ELSIF kind < 0.95 THEN
            ---------------- STP / ENI (§9) ----------------
            s := CASE WHEN random() < 0.5 THEN 'STP' ELSE 'ENI' END;
            FOR i IN 1..13 LOOP
                s := s || substr(digits, 1 + floor(random() * 10)::int, 1);
            END LOOP;
            r := random();
            IF r < 0.55 THEN
                NULL;                                               -- valid
            ELSIF r < 0.75 THEN
                -- a letter among the 13 digits (an omocode letter too)
                pos := 4 + floor(random() * 13)::int;
                s := overlay(s placing substr(letters, 1 + floor(random() * 26)::int, 1) from pos for 1);
            ELSIF r < 0.85 THEN
                -- a wrong prefix
                s := (ARRAY['STQ', 'SPT', 'ENJ', 'EN1', 'XTP', 'ST0', 'TPS', 'INE'])
                     [1 + floor(random() * 8)::int] || substr(s, 4);
            ELSIF r < 0.93 THEN
                s := s || substr(digits, 1 + floor(random() * 10)::int, 1);   -- 17 characters
            ELSE
                s := substr(s, 1, 15);                                         -- 15 characters
            END IF;

        ELSE
            ---------------- anything else ----------------
            r := random();
            IF r < 0.10 THEN
                s := '';
            ELSIF r < 0.20 THEN
                s := repeat(substr(ws, 1 + floor(random() * 6)::int, 1), 1 + floor(random() * 4)::int);
            ELSIF r < 0.60 THEN
                -- random alphanumerics of a random length around 11 and 16
                s := '';
                FOR i IN 1..(floor(random() * 20)::int) LOOP
                    s := s || substr(alnum, 1 + floor(random() * 36)::int, 1);
                END LOOP;
            ELSE
                -- random alphanumerics with punctuation
                s := '';
                FOR i IN 1..(8 + floor(random() * 12)::int) LOOP
                    IF random() < 0.1 THEN
                        s := s || substr(punctuation, 1 + floor(random() * length(punctuation))::int, 1);
                    ELSE
                        s := s || substr(alnum, 1 + floor(random() * 36)::int, 1);
                    END IF;
                END LOOP;
            END IF;
        END IF;

        ---------------- presentation: case, whitespace, stray characters ----------------
        r := random();
        IF r < 0.15 THEN
            s := translate(s, letters, 'abcdefghijklmnopqrstuvwxyz');
        ELSIF r < 0.20 AND length(s) > 0 THEN
            pos := 1 + floor(random() * length(s))::int;
            s := overlay(s placing translate(substr(s, pos, 1), letters, 'abcdefghijklmnopqrstuvwxyz')
                         from pos for 1);
        END IF;
        r := random();
        IF r < 0.12 THEN
            s := repeat(substr(ws, 1 + floor(random() * 6)::int, 1), floor(random() * 3)::int)
                 || s
                 || repeat(substr(ws, 1 + floor(random() * 6)::int, 1), floor(random() * 3)::int);
        ELSIF r < 0.14 AND length(s) > 1 THEN
            -- whitespace inside
            pos := 2 + floor(random() * (length(s) - 1))::int;
            s := substr(s, 1, pos - 1) || substr(ws, 1 + floor(random() * 6)::int, 1) || substr(s, pos);
        ELSIF r < 0.16 THEN
            -- a non-ASCII character around, inside or instead of one
            pos := 1 + floor(random() * (length(s) + 1))::int;
            IF random() < 0.5 THEN
                s := substr(s, 1, pos - 1) || non_ascii[1 + floor(random() * 12)::int] || substr(s, pos);
            ELSE
                s := substr(s, 1, pos - 1) || non_ascii[1 + floor(random() * 12)::int] || substr(s, pos + 1);
            END IF;
        ELSIF r < 0.17 AND length(s) > 0 THEN
            -- one punctuation character instead of one character
            pos := 1 + floor(random() * length(s))::int;
            s := overlay(s placing substr(punctuation, 1 + floor(random() * length(punctuation))::int, 1)
                         from pos for 1);
        END IF;

        RETURN NEXT s;
    END LOOP;
END;
$$;

COMMENT ON FUNCTION ticket_reference.generate_codes(int, float8) IS
'n deterministic test strings (setseed(seed)): valid personal codes and omocodes, mutated ones, numeric, STP/ENI, noise';
