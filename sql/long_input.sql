-- Errors quote their input short: at most 40 characters in a message (200
-- in a detail or hint), never part of a character, control characters and
-- invalid bytes as \xHH, "..." after a cut (ticket_quote_input).  An input
-- of megabytes must not become a message, and a server log line, of
-- megabytes.
\set VERBOSITY terse
SET search_path = ticket, public;
SET lc_messages = 'C';

-- The SQLSTATE, the message's length and the message of a failing query,
-- run with one text parameter (so the statement itself stays short).
CREATE FUNCTION pg_temp.error_of(query text, arg text,
                                 OUT state text, OUT message_length int, OUT detail_length int,
                                 OUT message text)
LANGUAGE plpgsql AS $$
DECLARE
    d text;
BEGIN
    EXECUTE query USING arg;
    message := 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL;
    message_length := length(message);
    detail_length := length(d);
END
$$;

-- 10 MB: the cast from text, the input function, income bands, exemptions.
SELECT * FROM pg_temp.error_of('SELECT $1::fiscal_code', repeat('X', 10000000));
SELECT * FROM pg_temp.error_of('SELECT fiscal_code_in($1::cstring)', repeat('X', 10000000));
SELECT * FROM pg_temp.error_of('SELECT $1::income_band', repeat('R', 10000000));
SELECT * FROM pg_temp.error_of('SELECT income_band_in($1::cstring)', repeat('R', 10000000));
SELECT * FROM pg_temp.error_of('SELECT $1::exemption', repeat('E', 10000000));
-- a name of 10 MB with a letter the table does not cover, at its end
SELECT * FROM pg_temp.error_of('SELECT transliterate_name($1)', repeat('a', 10000000) || 'ñ');
SELECT * FROM pg_temp.error_of('SELECT fiscal_code_encode($1, ''Mario'', ''M'', date ''1980-01-01'', ''A944'')',
                               repeat('a', 10000000) || 'ñ');
-- an NRE, a priority and a service code of a megabyte
SELECT * FROM pg_temp.error_of('SELECT prescription_max_wait($1, ''B'', ''{}'', date ''2020-01-01'')',
                               repeat('9', 1000000));
SELECT * FROM pg_temp.error_of('SELECT prescription_max_wait(''080000000000001'', $1, ''{}'', date ''2020-01-01'')',
                               repeat('Z', 1000000));
SELECT * FROM pg_temp.error_of('SELECT price(ARRAY[$1], NULL, ''{}'', date ''2015-01-01'')',
                               repeat('z', 1000000));

-- ticket.raise_error: an argument of 1 MB is cut to 40 characters in the
-- message, to 200 in the detail; a SQLSTATE of 1 MB is quoted short.
SELECT * FROM pg_temp.error_of('SELECT raise_error(''TK999'', ''booking % does not exist'', ARRAY[$1])',
                               repeat('b', 1000000));
SELECT * FROM pg_temp.error_of('SELECT raise_error(''TK999'', ''the data differ'', ''{}''::text[], ''The data give %.'', NULL::text, ARRAY[$1])',
                               repeat('d', 1000000));
SELECT * FROM pg_temp.error_of('SELECT raise_error($1, ''x'')', repeat('S', 1000000));
-- a short argument is whole, as RAISE gives it
SELECT * FROM pg_temp.error_of('SELECT raise_error(''TK999'', ''booking % does not exist'', ARRAY[$1])', '42');

-- Characters, not bytes: 40 two-byte letters, then "..."; control
-- characters and the backslash escaped.
SELECT * FROM pg_temp.error_of('SELECT $1::fiscal_code', repeat('é', 100));
SELECT * FROM pg_temp.error_of('SELECT $1::income_band', E'R\tE\\1\001');
SELECT * FROM pg_temp.error_of('SELECT $1::exemption', E'\u0085E01');
