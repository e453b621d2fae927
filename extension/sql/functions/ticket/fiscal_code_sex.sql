CREATE FUNCTION ticket.fiscal_code_sex(ticket.fiscal_code) RETURNS text
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'fiscal_code_sex';

COMMENT ON FUNCTION ticket.fiscal_code_sex(ticket.fiscal_code) IS 'M or F from the day field of a personal code; NULL for numeric, STP and ENI codes';

REVOKE ALL ON FUNCTION ticket.fiscal_code_sex(ticket.fiscal_code) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_sex(ticket.fiscal_code) TO ticket_library;
