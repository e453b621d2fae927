CREATE TYPE ticket.exemption;

CREATE FUNCTION ticket.exemption_in(cstring) RETURNS ticket.exemption
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'exemption_in';

COMMENT ON FUNCTION ticket.exemption_in(cstring) IS 'input function of exemption: trims ASCII whitespace, folds case, accepts 1 to 6 letters and digits but an income band; 22P02 with the reason on invalid input; which codes exist is ticket.exemption_catalogue''s, at pricing';

CREATE FUNCTION ticket.exemption_out(ticket.exemption) RETURNS cstring
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'exemption_out';

COMMENT ON FUNCTION ticket.exemption_out(ticket.exemption) IS 'output function of exemption: the code in upper case';

CREATE FUNCTION ticket.exemption_recv(internal) RETURNS ticket.exemption
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'exemption_recv';

COMMENT ON FUNCTION ticket.exemption_recv(internal) IS 'binary input of exemption: the code''s characters, validated as text';

CREATE FUNCTION ticket.exemption_send(ticket.exemption) RETURNS bytea
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'exemption_send';

COMMENT ON FUNCTION ticket.exemption_send(ticket.exemption) IS 'binary output of exemption: the code''s characters (1 to 6 bytes)';

CREATE TYPE ticket.exemption (
    INTERNALLENGTH = 4,
    INPUT = ticket.exemption_in,
    OUTPUT = ticket.exemption_out,
    RECEIVE = ticket.exemption_recv,
    SEND = ticket.exemption_send,
    ALIGNMENT = int4,
    STORAGE = plain,
    PASSEDBYVALUE
);

COMMENT ON TYPE ticket.exemption IS 'exemption code (codice di esenzione): 1 to 6 letters and digits, not an income band; its family and the dates it exists are rows of ticket.exemption_catalogue, checked at pricing (TK008)';

REVOKE ALL ON FUNCTION ticket.exemption_in(cstring) FROM PUBLIC;

REVOKE ALL ON FUNCTION ticket.exemption_out(ticket.exemption) FROM PUBLIC;

REVOKE ALL ON FUNCTION ticket.exemption_recv(internal) FROM PUBLIC;

REVOKE ALL ON FUNCTION ticket.exemption_send(ticket.exemption) FROM PUBLIC;
