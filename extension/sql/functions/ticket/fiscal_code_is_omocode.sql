CREATE FUNCTION ticket.fiscal_code_is_omocode(ticket.fiscal_code) RETURNS boolean
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'fiscal_code_is_omocode';

COMMENT ON FUNCTION ticket.fiscal_code_is_omocode(ticket.fiscal_code) IS 'true when any of positions 7, 8, 10, 11, 13, 14, 15 holds an omocode letter';

REVOKE ALL ON FUNCTION ticket.fiscal_code_is_omocode(ticket.fiscal_code) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_is_omocode(ticket.fiscal_code) TO ticket_library;
