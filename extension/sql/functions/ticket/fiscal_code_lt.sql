CREATE FUNCTION ticket.fiscal_code_lt(ticket.fiscal_code, ticket.fiscal_code) RETURNS boolean
    LANGUAGE c IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'fiscal_code_lt';

COMMENT ON FUNCTION ticket.fiscal_code_lt(ticket.fiscal_code, ticket.fiscal_code) IS 'implementation of < for fiscal codes (byte order of the stored code)';

REVOKE ALL ON FUNCTION ticket.fiscal_code_lt(ticket.fiscal_code, ticket.fiscal_code) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_lt(ticket.fiscal_code, ticket.fiscal_code) TO ticket_library;
