CREATE FUNCTION ticket.fiscal_code_error(text) RETURNS text
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'fiscal_code_error';

COMMENT ON FUNCTION ticket.fiscal_code_error(text) IS 'NULL when the text is a valid fiscal code, otherwise the reason the input function gives';

REVOKE ALL ON FUNCTION ticket.fiscal_code_error(text) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_error(text) TO ticket_library;
