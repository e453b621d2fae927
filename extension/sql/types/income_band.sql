CREATE TYPE ticket.income_band;

CREATE FUNCTION ticket.income_band_in(cstring) RETURNS ticket.income_band
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'income_band_in';

COMMENT ON FUNCTION ticket.income_band_in(cstring) IS 'input function of income_band: trims ASCII whitespace, folds case; 22P02 with the reason on invalid input';

CREATE FUNCTION ticket.income_band_out(ticket.income_band) RETURNS cstring
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'income_band_out';

COMMENT ON FUNCTION ticket.income_band_out(ticket.income_band) IS 'output function of income_band: the code in upper case';

CREATE FUNCTION ticket.income_band_recv(internal) RETURNS ticket.income_band
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'income_band_recv';

COMMENT ON FUNCTION ticket.income_band_recv(internal) IS 'binary input of income_band: the code''s characters, validated as text';

CREATE FUNCTION ticket.income_band_send(ticket.income_band) RETURNS bytea
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'income_band_send';

COMMENT ON FUNCTION ticket.income_band_send(ticket.income_band) IS 'binary output of income_band: the code''s characters (1 to 6 bytes)';

CREATE TYPE ticket.income_band (
    INTERNALLENGTH = 4,
    INPUT = ticket.income_band_in,
    OUTPUT = ticket.income_band_out,
    RECEIVE = ticket.income_band_recv,
    SEND = ticket.income_band_send,
    ALIGNMENT = int4,
    STORAGE = plain,
    PASSEDBYVALUE
);

COMMENT ON TYPE ticket.income_band IS 'income band code of the Emilia-Romagna ticket (RE1, RE2, RE3 in 2011-2018; QB, QM in 2019-2020): 1 to 6 letters or digits, a letter first; which bands exist on a date is rule data';

REVOKE ALL ON FUNCTION ticket.income_band_in(cstring) FROM PUBLIC;

REVOKE ALL ON FUNCTION ticket.income_band_out(ticket.income_band) FROM PUBLIC;

REVOKE ALL ON FUNCTION ticket.income_band_recv(internal) FROM PUBLIC;

REVOKE ALL ON FUNCTION ticket.income_band_send(ticket.income_band) FROM PUBLIC;
