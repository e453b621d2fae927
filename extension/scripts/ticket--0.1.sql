/* extension/scripts/ticket--0.1.sql */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION ticket" to load this file. \quit

-- Every object is schema-qualified (the schema is fixed by ticket.control).
-- C functions carry no SET clause (they run no SQL by name except through
-- schema-qualified queries); SQL and PL/pgSQL functions all pin search_path.

--------------------------------------------------------------------------
-- ticket.fiscal_code: the Italian fiscal code (codice fiscale)
--------------------------------------------------------------------------

CREATE TYPE ticket.fiscal_code;

CREATE FUNCTION ticket.fiscal_code_in(cstring)
RETURNS ticket.fiscal_code
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION ticket.fiscal_code_out(ticket.fiscal_code)
RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION ticket.fiscal_code_recv(internal)
RETURNS ticket.fiscal_code
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION ticket.fiscal_code_send(ticket.fiscal_code)
RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE ticket.fiscal_code (
    INPUT = ticket.fiscal_code_in,
    OUTPUT = ticket.fiscal_code_out,
    RECEIVE = ticket.fiscal_code_recv,
    SEND = ticket.fiscal_code_send,
    INTERNALLENGTH = 16,
    ALIGNMENT = char,
    STORAGE = plain
);

COMMENT ON TYPE ticket.fiscal_code IS
'Italian fiscal code: 16-character personal code (omocodes included), 11-digit numeric code, or STP/ENI healthcare code; validated on input, stored as written in upper case';

-- Casts to and from text, assignment casts so that text columns load
-- directly (validated row by row); C functions, not I/O conversion, because
-- that is the bulk-load path.
CREATE FUNCTION ticket.fiscal_code(text)
RETURNS ticket.fiscal_code
AS 'MODULE_PATHNAME', 'fiscal_code_from_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ticket.fiscal_code(text) IS
'cast text to fiscal_code (the same validation and errors as the input function)';

CREATE FUNCTION ticket.text(ticket.fiscal_code)
RETURNS text
AS 'MODULE_PATHNAME', 'fiscal_code_to_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION ticket.text(ticket.fiscal_code) IS
'cast fiscal_code to text: the code as stored';

CREATE CAST (text AS ticket.fiscal_code) WITH FUNCTION ticket.fiscal_code(text) AS ASSIGNMENT;
CREATE CAST (ticket.fiscal_code AS text) WITH FUNCTION ticket.text(ticket.fiscal_code) AS ASSIGNMENT;
CREATE CAST (varchar AS ticket.fiscal_code) WITH FUNCTION ticket.fiscal_code(text) AS ASSIGNMENT;

-- Comparison: literal, byte-wise (an omocode is a different code).
CREATE FUNCTION ticket.fiscal_code_eq(ticket.fiscal_code, ticket.fiscal_code)
RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION ticket.fiscal_code_ne(ticket.fiscal_code, ticket.fiscal_code)
RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION ticket.fiscal_code_lt(ticket.fiscal_code, ticket.fiscal_code)
RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION ticket.fiscal_code_le(ticket.fiscal_code, ticket.fiscal_code)
RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION ticket.fiscal_code_gt(ticket.fiscal_code, ticket.fiscal_code)
RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION ticket.fiscal_code_ge(ticket.fiscal_code, ticket.fiscal_code)
RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION ticket.fiscal_code_cmp(ticket.fiscal_code, ticket.fiscal_code)
RETURNS integer AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION ticket.fiscal_code_hash(ticket.fiscal_code)
RETURNS integer AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION ticket.fiscal_code_hash_extended(ticket.fiscal_code, bigint)
RETURNS bigint AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE OPERATOR ticket.= (
    LEFTARG = ticket.fiscal_code, RIGHTARG = ticket.fiscal_code,
    FUNCTION = ticket.fiscal_code_eq,
    COMMUTATOR = OPERATOR(ticket.=), NEGATOR = OPERATOR(ticket.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR ticket.<> (
    LEFTARG = ticket.fiscal_code, RIGHTARG = ticket.fiscal_code,
    FUNCTION = ticket.fiscal_code_ne,
    COMMUTATOR = OPERATOR(ticket.<>), NEGATOR = OPERATOR(ticket.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR ticket.< (
    LEFTARG = ticket.fiscal_code, RIGHTARG = ticket.fiscal_code,
    FUNCTION = ticket.fiscal_code_lt,
    COMMUTATOR = OPERATOR(ticket.>), NEGATOR = OPERATOR(ticket.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR ticket.<= (
    LEFTARG = ticket.fiscal_code, RIGHTARG = ticket.fiscal_code,
    FUNCTION = ticket.fiscal_code_le,
    COMMUTATOR = OPERATOR(ticket.>=), NEGATOR = OPERATOR(ticket.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR ticket.> (
    LEFTARG = ticket.fiscal_code, RIGHTARG = ticket.fiscal_code,
    FUNCTION = ticket.fiscal_code_gt,
    COMMUTATOR = OPERATOR(ticket.<), NEGATOR = OPERATOR(ticket.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR ticket.>= (
    LEFTARG = ticket.fiscal_code, RIGHTARG = ticket.fiscal_code,
    FUNCTION = ticket.fiscal_code_ge,
    COMMUTATOR = OPERATOR(ticket.<=), NEGATOR = OPERATOR(ticket.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);

CREATE OPERATOR CLASS ticket.fiscal_code_btree_ops
DEFAULT FOR TYPE ticket.fiscal_code USING btree AS
    OPERATOR 1 ticket.<,
    OPERATOR 2 ticket.<=,
    OPERATOR 3 ticket.=,
    OPERATOR 4 ticket.>=,
    OPERATOR 5 ticket.>,
    FUNCTION 1 ticket.fiscal_code_cmp(ticket.fiscal_code, ticket.fiscal_code);

CREATE OPERATOR CLASS ticket.fiscal_code_hash_ops
DEFAULT FOR TYPE ticket.fiscal_code USING hash AS
    OPERATOR 1 ticket.=,
    FUNCTION 1 ticket.fiscal_code_hash(ticket.fiscal_code),
    FUNCTION 2 ticket.fiscal_code_hash_extended(ticket.fiscal_code, bigint);

--------------------------------------------------------------------------
-- Validation of text without raising
--------------------------------------------------------------------------

CREATE FUNCTION ticket.fiscal_code_is_valid(text)
RETURNS boolean
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ticket.fiscal_code_is_valid(text) IS
'true when the text is a valid fiscal code (the input function would accept it); never raises';

CREATE FUNCTION ticket.fiscal_code_error(text)
RETURNS text
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ticket.fiscal_code_error(text) IS
'NULL when the text is a valid fiscal code, otherwise the reason the input function gives';

--------------------------------------------------------------------------
-- Decoding
--------------------------------------------------------------------------

CREATE FUNCTION ticket.fiscal_code_kind(ticket.fiscal_code)
RETURNS text
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ticket.fiscal_code_kind(ticket.fiscal_code) IS
'personal, numeric, stp or eni';

CREATE FUNCTION ticket.fiscal_code_sex(ticket.fiscal_code)
RETURNS text
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ticket.fiscal_code_sex(ticket.fiscal_code) IS
'M or F from the day field of a personal code; NULL for numeric, STP and ENI codes';

CREATE FUNCTION ticket.fiscal_code_birthplace(ticket.fiscal_code)
RETURNS text
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ticket.fiscal_code_birthplace(ticket.fiscal_code) IS
'Belfiore code of the birthplace, omocode letters turned back to digits; NULL for non-personal codes';

--------------------------------------------------------------------------
-- Omocodes
--------------------------------------------------------------------------

CREATE FUNCTION ticket.fiscal_code_canonical(ticket.fiscal_code)
RETURNS ticket.fiscal_code
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ticket.fiscal_code_canonical(ticket.fiscal_code) IS
'the code with omocode letters turned back to digits and the check character recomputed';

CREATE FUNCTION ticket.fiscal_code_is_omocode(ticket.fiscal_code)
RETURNS boolean
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ticket.fiscal_code_is_omocode(ticket.fiscal_code) IS
'true when any of positions 7, 8, 10, 11, 13, 14, 15 holds an omocode letter';

CREATE FUNCTION ticket.fiscal_code_omocode_mask(ticket.fiscal_code)
RETURNS integer
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ticket.fiscal_code_omocode_mask(ticket.fiscal_code) IS
'substituted positions as a bit mask: bit 0 = position 15 ... bit 6 = position 7; 0 for a canonical code';

CREATE FUNCTION ticket.fiscal_code_omocodes(ticket.fiscal_code)
RETURNS SETOF ticket.fiscal_code
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 128;
COMMENT ON FUNCTION ticket.fiscal_code_omocodes(ticket.fiscal_code) IS
'all 128 forms of a personal code (canonical first, in mask order); other kinds: the code itself';

CREATE FUNCTION ticket.fiscal_code_equivalent(ticket.fiscal_code, ticket.fiscal_code)
RETURNS boolean
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ticket.fiscal_code_equivalent(ticket.fiscal_code, ticket.fiscal_code) IS
'true when both codes have the same canonical form (same person-derived data)';

--------------------------------------------------------------------------
-- Encoding from personal data (ICU: STABLE, not IMMUTABLE, because the
-- Unicode data behind the transliteration can change with an ICU upgrade)
--------------------------------------------------------------------------

CREATE FUNCTION ticket.transliterate_name(name text)
RETURNS text
AS 'MODULE_PATHNAME', 'ticket_transliterate_name' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ticket.transliterate_name(text) IS
'the letters A-Z a fiscal code is built from: Ministry of the Interior table (circ. 1/2008), separators dropped; error 22023 on other letters';

CREATE FUNCTION ticket.icu_version()
RETURNS text
AS 'MODULE_PATHNAME', 'ticket_icu_version' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ticket.icu_version() IS
'version of the ICU library behind transliterate_name and fiscal_code_encode';

CREATE FUNCTION ticket.fiscal_code_encode(surname text, given_name text, sex text,
                                          birth_date date, birthplace text)
RETURNS ticket.fiscal_code
AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ticket.fiscal_code_encode(text, text, text, date, text) IS
'the canonical fiscal code for the personal data; birthplace is a Belfiore code (A944 = Bologna)';

CREATE FUNCTION ticket.fiscal_code_matches(code ticket.fiscal_code, surname text,
                                           given_name text, sex text,
                                           birth_date date, birthplace text)
RETURNS boolean
AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ticket.fiscal_code_matches(ticket.fiscal_code, text, text, text, date, text) IS
'true when the code, or its canonical form if it is an omocode, is the one computed from the personal data';

--------------------------------------------------------------------------
-- Birthplaces (Belfiore codes) with validity eras
--------------------------------------------------------------------------

CREATE TABLE ticket.birthplace (
    code        text NOT NULL CHECK (code ~ '^[A-ILMZ][0-9]{3}$'),
    valid       daterange NOT NULL CHECK (NOT isempty(valid) AND NOT lower_inf(valid)),
    name        text NOT NULL CHECK (name <> ''),
    name_ascii  text NOT NULL,
    alt_name    text,
    province    text NOT NULL CHECK (province ~ '^[A-Z]{2}$'),
    kind        text NOT NULL CHECK (kind IN ('municipality', 'country')),
    istat_code  text,
    source      text NOT NULL,
    -- (code, valid) alone is not unique: the ANPR archive gives D588 to both
    -- FILAGO and MARNE for 1861-1928.
    PRIMARY KEY (code, valid, name),
    CHECK ((kind = 'country') = (code LIKE 'Z%'))
);
COMMENT ON TABLE ticket.birthplace IS
'Belfiore codes of Italian municipalities and foreign states, one row per validity era; loaded with ticket_load_birthplaces.psql';
COMMENT ON COLUMN ticket.birthplace.code IS 'Belfiore (cadastral) code: positions 12-15 of a fiscal code';
COMMENT ON COLUMN ticket.birthplace.valid IS 'days on which this name/province was in force, [first day, day after the last)';
COMMENT ON COLUMN ticket.birthplace.name IS 'official name in that era (ANPR DENOMINAZIONE_IT, or the country name)';
COMMENT ON COLUMN ticket.birthplace.name_ascii IS 'transliterated name (ANPR DENOMTRASLITTERATA)';
COMMENT ON COLUMN ticket.birthplace.alt_name IS 'other official name (bilingual municipalities), if any';
COMMENT ON COLUMN ticket.birthplace.province IS 'two-letter province code of that era; EE for foreign states';
COMMENT ON COLUMN ticket.birthplace.kind IS 'municipality or country';
COMMENT ON COLUMN ticket.birthplace.istat_code IS 'ISTAT municipality code of that era';
COMMENT ON COLUMN ticket.birthplace.source IS 'where the row came from (file name of the load, or fixture)';

-- Rows are all user data (the extension ships none): pg_dump keeps them.
SELECT pg_catalog.pg_extension_config_dump('ticket.birthplace', '');

-- Public reference data, read by the birth-date and place functions as the caller.
GRANT SELECT ON ticket.birthplace TO PUBLIC;

CREATE FUNCTION ticket.fiscal_code_birth_date(code ticket.fiscal_code,
                                              reference date DEFAULT CURRENT_DATE)
RETURNS date
AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ticket.fiscal_code_birth_date(ticket.fiscal_code, date) IS
'birth date: the latest date not after reference; one century earlier when the birthplace is known and ceased before it; NULL for non-personal codes';

CREATE FUNCTION ticket.birthplace_name(code text, on_date date)
RETURNS text
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    found_name text;
BEGIN
    -- The era in force on the date; failing that, the first era after it
    -- (a code issued by a later municipality, docs §10.3 "attributable"),
    -- failing that the last era before it.
    SELECT b.name INTO found_name
      FROM ticket.birthplace b
     WHERE b.code = upper(birthplace_name.code)
     ORDER BY b.valid @> on_date DESC,
              lower(b.valid) > on_date DESC,
              CASE WHEN lower(b.valid) > on_date THEN lower(b.valid) END ASC,
              lower(b.valid) DESC
     LIMIT 1;
    RETURN found_name;
END;
$$;
COMMENT ON FUNCTION ticket.birthplace_name(text, date) IS
'name of a Belfiore code on a date: the era in force, else the next era, else the last one; NULL for an unknown code';

CREATE FUNCTION ticket.fiscal_code_place_known(code ticket.fiscal_code)
RETURNS boolean
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM ticket.birthplace b
                    WHERE b.code = ticket.fiscal_code_birthplace(fiscal_code_place_known.code));
END;
$$;
COMMENT ON FUNCTION ticket.fiscal_code_place_known(ticket.fiscal_code) IS
'true when the birthplace code of a personal code is in ticket.birthplace (any era); false for non-personal codes';

CREATE FUNCTION ticket.fiscal_code_place_name(code ticket.fiscal_code,
                                              reference date DEFAULT CURRENT_DATE)
RETURNS text
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN ticket.birthplace_name(ticket.fiscal_code_birthplace(fiscal_code_place_name.code),
                                  ticket.fiscal_code_birth_date(fiscal_code_place_name.code, reference));
END;
$$;
COMMENT ON FUNCTION ticket.fiscal_code_place_name(ticket.fiscal_code, date) IS
'name of the birthplace valid on the birth date (see birthplace_name); NULL when unknown or not a personal code';
