CREATE FUNCTION ticket.fiscal_code_hash_extended(ticket.fiscal_code, bigint) RETURNS bigint
    LANGUAGE c IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'fiscal_code_hash_extended';

COMMENT ON FUNCTION ticket.fiscal_code_hash_extended(ticket.fiscal_code, bigint) IS 'seeded hash support for fiscal codes (hash partitioning)';

REVOKE ALL ON FUNCTION ticket.fiscal_code_hash_extended(ticket.fiscal_code, bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_hash_extended(ticket.fiscal_code, bigint) TO ticket_library;
