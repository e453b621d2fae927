CREATE FUNCTION ticket.fiscal_code_candidates(code text) RETURNS SETOF ticket.fiscal_code
    LANGUAGE c IMMUTABLE STRICT ROWS 16 PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'fiscal_code_candidates';

COMMENT ON FUNCTION ticket.fiscal_code_candidates(code text) IS 'the valid personal codes one substituted character away from a 16-character input, at most 16; none for a valid code';

REVOKE ALL ON FUNCTION ticket.fiscal_code_candidates(code text) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_candidates(code text) TO ticket_library;
