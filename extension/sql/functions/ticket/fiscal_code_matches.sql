CREATE FUNCTION ticket.fiscal_code_matches(code ticket.fiscal_code, surname text, given_name text, sex text, birth_date date, birthplace text) RETURNS boolean
    LANGUAGE c STABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'fiscal_code_matches';

COMMENT ON FUNCTION ticket.fiscal_code_matches(code ticket.fiscal_code, surname text, given_name text, sex text, birth_date date, birthplace text) IS 'true when the code, or its canonical form if it is an omocode, is the one computed from the personal data';

REVOKE ALL ON FUNCTION ticket.fiscal_code_matches(code ticket.fiscal_code, surname text, given_name text, sex text, birth_date date, birthplace text) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_matches(code ticket.fiscal_code, surname text, given_name text, sex text, birth_date date, birthplace text) TO ticket_library;
