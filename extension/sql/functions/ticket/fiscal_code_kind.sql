CREATE FUNCTION ticket.fiscal_code_kind(ticket.fiscal_code) RETURNS text
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'fiscal_code_kind';

COMMENT ON FUNCTION ticket.fiscal_code_kind(ticket.fiscal_code) IS 'personal, numeric, stp or eni';

REVOKE ALL ON FUNCTION ticket.fiscal_code_kind(ticket.fiscal_code) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_kind(ticket.fiscal_code) TO ticket_library;
