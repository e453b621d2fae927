CREATE FUNCTION ticket.fiscal_code_birth_date(code ticket.fiscal_code, reference date DEFAULT CURRENT_DATE) RETURNS date
    LANGUAGE c STABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'fiscal_code_birth_date';

COMMENT ON FUNCTION ticket.fiscal_code_birth_date(code ticket.fiscal_code, reference date) IS 'birth date: the latest date not after reference; one century earlier when the birthplace is known and ceased before it; NULL for non-personal codes';

REVOKE ALL ON FUNCTION ticket.fiscal_code_birth_date(code ticket.fiscal_code, reference date) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_birth_date(code ticket.fiscal_code, reference date) TO ticket_library;
