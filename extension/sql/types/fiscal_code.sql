CREATE TYPE ticket.fiscal_code;

CREATE FUNCTION ticket.fiscal_code_in(cstring) RETURNS ticket.fiscal_code
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'fiscal_code_in';

COMMENT ON FUNCTION ticket.fiscal_code_in(cstring) IS 'input of ticket.fiscal_code: validates the text (22P02 with the reason) and stores it upper case';

CREATE FUNCTION ticket.fiscal_code_out(ticket.fiscal_code) RETURNS cstring
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'fiscal_code_out';

COMMENT ON FUNCTION ticket.fiscal_code_out(ticket.fiscal_code) IS 'output of ticket.fiscal_code: the code as stored';

CREATE FUNCTION ticket.fiscal_code_recv(internal) RETURNS ticket.fiscal_code
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'fiscal_code_recv';

COMMENT ON FUNCTION ticket.fiscal_code_recv(internal) IS 'binary input of ticket.fiscal_code: validated like text input (22P03 for a wrong length)';

CREATE FUNCTION ticket.fiscal_code_send(ticket.fiscal_code) RETURNS bytea
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'fiscal_code_send';

COMMENT ON FUNCTION ticket.fiscal_code_send(ticket.fiscal_code) IS 'binary output of ticket.fiscal_code: the characters of the code';

CREATE TYPE ticket.fiscal_code (
    INTERNALLENGTH = 16,
    INPUT = ticket.fiscal_code_in,
    OUTPUT = ticket.fiscal_code_out,
    RECEIVE = ticket.fiscal_code_recv,
    SEND = ticket.fiscal_code_send,
    ALIGNMENT = char,
    STORAGE = plain
);

COMMENT ON TYPE ticket.fiscal_code IS 'Italian fiscal code: 16-character personal code (omocodes included), 11-digit numeric code, or STP/ENI healthcare code; validated on input, stored as written in upper case';

REVOKE ALL ON FUNCTION ticket.fiscal_code_in(cstring) FROM PUBLIC;

REVOKE ALL ON FUNCTION ticket.fiscal_code_out(ticket.fiscal_code) FROM PUBLIC;

REVOKE ALL ON FUNCTION ticket.fiscal_code_recv(internal) FROM PUBLIC;

REVOKE ALL ON FUNCTION ticket.fiscal_code_send(ticket.fiscal_code) FROM PUBLIC;
