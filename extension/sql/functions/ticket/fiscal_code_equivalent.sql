CREATE FUNCTION ticket.fiscal_code_equivalent(ticket.fiscal_code, ticket.fiscal_code) RETURNS boolean
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'fiscal_code_equivalent';

COMMENT ON FUNCTION ticket.fiscal_code_equivalent(ticket.fiscal_code, ticket.fiscal_code) IS 'true when both codes have the same canonical form (same person-derived data)';

REVOKE ALL ON FUNCTION ticket.fiscal_code_equivalent(ticket.fiscal_code, ticket.fiscal_code) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_equivalent(ticket.fiscal_code, ticket.fiscal_code) TO ticket_library;
