CREATE FUNCTION ticket.fiscal_code_eq(ticket.fiscal_code, ticket.fiscal_code) RETURNS boolean
    LANGUAGE c IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'fiscal_code_eq';

COMMENT ON FUNCTION ticket.fiscal_code_eq(ticket.fiscal_code, ticket.fiscal_code) IS 'implementation of = for fiscal codes (the stored codes are equal)';

REVOKE ALL ON FUNCTION ticket.fiscal_code_eq(ticket.fiscal_code, ticket.fiscal_code) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_eq(ticket.fiscal_code, ticket.fiscal_code) TO ticket_library;
