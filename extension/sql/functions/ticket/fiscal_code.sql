CREATE FUNCTION ticket.fiscal_code(text) RETURNS ticket.fiscal_code
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'fiscal_code_from_text';

COMMENT ON FUNCTION ticket.fiscal_code(text) IS 'cast text to fiscal_code (the same validation and errors as the input function)';

REVOKE ALL ON FUNCTION ticket.fiscal_code(text) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code(text) TO ticket_library;
