CREATE FUNCTION ticket.fiscal_code_omocodes(ticket.fiscal_code) RETURNS SETOF ticket.fiscal_code
    LANGUAGE c IMMUTABLE STRICT ROWS 128 PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'fiscal_code_omocodes';

COMMENT ON FUNCTION ticket.fiscal_code_omocodes(ticket.fiscal_code) IS 'all 128 forms of a personal code (canonical first, in mask order); other kinds: the code itself';

REVOKE ALL ON FUNCTION ticket.fiscal_code_omocodes(ticket.fiscal_code) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_omocodes(ticket.fiscal_code) TO ticket_library;
