CREATE FUNCTION ticket.fiscal_code_normalize(code text) RETURNS text
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'fiscal_code_normalize';

COMMENT ON FUNCTION ticket.fiscal_code_normalize(code text) IS 'pasted input made ready for the type: ASCII spaces and hyphens dropped, ASCII letters upper-cased; non-ASCII is an error (22021)';

REVOKE ALL ON FUNCTION ticket.fiscal_code_normalize(code text) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_normalize(code text) TO ticket_library;
