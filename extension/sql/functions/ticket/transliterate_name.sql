CREATE FUNCTION ticket.transliterate_name(name text) RETURNS text
    LANGUAGE c STABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'ticket_transliterate_name';

COMMENT ON FUNCTION ticket.transliterate_name(name text) IS 'the letters A-Z a fiscal code is built from: Ministry of the Interior table (circ. 1/2008), separators dropped; error 22023 on other letters';

REVOKE ALL ON FUNCTION ticket.transliterate_name(name text) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.transliterate_name(name text) TO ticket_library;
