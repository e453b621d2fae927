CREATE FUNCTION ticket.fiscal_code_gt(ticket.fiscal_code, ticket.fiscal_code) RETURNS boolean
    LANGUAGE c IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'fiscal_code_gt';

COMMENT ON FUNCTION ticket.fiscal_code_gt(ticket.fiscal_code, ticket.fiscal_code) IS 'implementation of > for fiscal codes';

REVOKE ALL ON FUNCTION ticket.fiscal_code_gt(ticket.fiscal_code, ticket.fiscal_code) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_gt(ticket.fiscal_code, ticket.fiscal_code) TO ticket_library;
