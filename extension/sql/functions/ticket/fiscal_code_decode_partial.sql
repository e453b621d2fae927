CREATE FUNCTION ticket.fiscal_code_decode_partial(partial text, OUT surname text, OUT given_name text, OUT year2 integer, OUT month integer, OUT day integer, OUT sex text, OUT birthplace text, OUT code ticket.fiscal_code) RETURNS record
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'fiscal_code_decode_partial';

COMMENT ON FUNCTION ticket.fiscal_code_decode_partial(partial text, OUT surname text, OUT given_name text, OUT year2 integer, OUT month integer, OUT day integer, OUT sex text, OUT birthplace text, OUT code ticket.fiscal_code) IS 'the fields of the first 11 or 15 characters of a personal code; birthplace and the whole code (check character added) only from 15';

REVOKE ALL ON FUNCTION ticket.fiscal_code_decode_partial(partial text, OUT surname text, OUT given_name text, OUT year2 integer, OUT month integer, OUT day integer, OUT sex text, OUT birthplace text, OUT code ticket.fiscal_code) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_decode_partial(partial text, OUT surname text, OUT given_name text, OUT year2 integer, OUT month integer, OUT day integer, OUT sex text, OUT birthplace text, OUT code ticket.fiscal_code) TO ticket_library;
