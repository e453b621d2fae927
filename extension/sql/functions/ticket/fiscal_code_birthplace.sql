CREATE FUNCTION ticket.fiscal_code_birthplace(ticket.fiscal_code) RETURNS text
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'fiscal_code_birthplace';

COMMENT ON FUNCTION ticket.fiscal_code_birthplace(ticket.fiscal_code) IS 'Belfiore code of the birthplace, omocode letters turned back to digits; NULL for non-personal codes';

REVOKE ALL ON FUNCTION ticket.fiscal_code_birthplace(ticket.fiscal_code) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_birthplace(ticket.fiscal_code) TO ticket_library;
