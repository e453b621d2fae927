CREATE FUNCTION ticket.fiscal_code_problems(code text) RETURNS TABLE(field text, "position" integer, problem text, expected text)
    LANGUAGE c IMMUTABLE STRICT ROWS 2 PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'fiscal_code_problems';

COMMENT ON FUNCTION ticket.fiscal_code_problems(code text) IS 'one row per wrong field of a fiscal code (surname, given_name, year, month, day, birthplace, check, or code for the whole input) with what belongs there; none for a valid code';

REVOKE ALL ON FUNCTION ticket.fiscal_code_problems(code text) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_problems(code text) TO ticket_library;
