CREATE FUNCTION ticket.income_band_is_valid(text) RETURNS boolean
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'income_band_is_valid';

COMMENT ON FUNCTION ticket.income_band_is_valid(text) IS 'true when the text is a valid income band (the input function would accept it); never raises';

REVOKE ALL ON FUNCTION ticket.income_band_is_valid(text) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.income_band_is_valid(text) TO ticket_library;
