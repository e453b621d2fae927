CREATE FUNCTION ticket.fiscal_code_cmp(ticket.fiscal_code, ticket.fiscal_code) RETURNS integer
    LANGUAGE c IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'fiscal_code_cmp';

COMMENT ON FUNCTION ticket.fiscal_code_cmp(ticket.fiscal_code, ticket.fiscal_code) IS 'btree support: -1, 0 or 1 in the byte order of the stored codes';

REVOKE ALL ON FUNCTION ticket.fiscal_code_cmp(ticket.fiscal_code, ticket.fiscal_code) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_cmp(ticket.fiscal_code, ticket.fiscal_code) TO ticket_library;
