CREATE FUNCTION ticket.fiscal_code_match_fields(code ticket.fiscal_code, surname text, given_name text, sex text, birth_date date, birthplace text) RETURNS TABLE(field text, matches boolean)
    LANGUAGE c STABLE STRICT ROWS 7 PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'fiscal_code_match_fields';

COMMENT ON FUNCTION ticket.fiscal_code_match_fields(code ticket.fiscal_code, surname text, given_name text, sex text, birth_date date, birthplace text) IS 'which fields of the code (surname, given_name, sex, year, month, day, birthplace; omocodes as their canonical form) agree with the code the personal data give; NULL for non-personal codes';

REVOKE ALL ON FUNCTION ticket.fiscal_code_match_fields(code ticket.fiscal_code, surname text, given_name text, sex text, birth_date date, birthplace text) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_match_fields(code ticket.fiscal_code, surname text, given_name text, sex text, birth_date date, birthplace text) TO ticket_library;
