CREATE FUNCTION ticket.fiscal_code_canonical(ticket.fiscal_code) RETURNS ticket.fiscal_code
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'fiscal_code_canonical';

COMMENT ON FUNCTION ticket.fiscal_code_canonical(ticket.fiscal_code) IS 'the code with omocode letters turned back to digits and the check character recomputed';

REVOKE ALL ON FUNCTION ticket.fiscal_code_canonical(ticket.fiscal_code) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_canonical(ticket.fiscal_code) TO ticket_library;
