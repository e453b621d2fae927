CREATE FUNCTION ticket.fiscal_code_omocode_mask(ticket.fiscal_code) RETURNS integer
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'fiscal_code_omocode_mask';

COMMENT ON FUNCTION ticket.fiscal_code_omocode_mask(ticket.fiscal_code) IS 'substituted positions as a bit mask: bit 0 = position 15 ... bit 6 = position 7; 0 for a canonical code';

REVOKE ALL ON FUNCTION ticket.fiscal_code_omocode_mask(ticket.fiscal_code) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_omocode_mask(ticket.fiscal_code) TO ticket_library;
