CREATE FUNCTION ticket.fiscal_code_encode(surname text, given_name text, sex text, birth_date date, birthplace text) RETURNS ticket.fiscal_code
    LANGUAGE c STABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'fiscal_code_encode';

COMMENT ON FUNCTION ticket.fiscal_code_encode(surname text, given_name text, sex text, birth_date date, birthplace text) IS 'the canonical fiscal code for the personal data; birthplace is a Belfiore code (A944 = Bologna)';

REVOKE ALL ON FUNCTION ticket.fiscal_code_encode(surname text, given_name text, sex text, birth_date date, birthplace text) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_encode(surname text, given_name text, sex text, birth_date date, birthplace text) TO ticket_library;
