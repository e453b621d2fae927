CREATE FUNCTION ticket.income_band_error(text) RETURNS text
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'income_band_error';

COMMENT ON FUNCTION ticket.income_band_error(text) IS 'NULL when the text is a valid income band, otherwise the reason the input function gives';

REVOKE ALL ON FUNCTION ticket.income_band_error(text) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.income_band_error(text) TO ticket_library;
