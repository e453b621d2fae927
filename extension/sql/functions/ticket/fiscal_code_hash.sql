CREATE FUNCTION ticket.fiscal_code_hash(ticket.fiscal_code) RETURNS integer
    LANGUAGE c IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'fiscal_code_hash';

COMMENT ON FUNCTION ticket.fiscal_code_hash(ticket.fiscal_code) IS 'hash support for fiscal codes (hash joins, hash indexes)';

REVOKE ALL ON FUNCTION ticket.fiscal_code_hash(ticket.fiscal_code) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_hash(ticket.fiscal_code) TO ticket_library;
