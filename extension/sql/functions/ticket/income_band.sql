CREATE FUNCTION ticket.income_band(text) RETURNS ticket.income_band
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'income_band_from_text';

COMMENT ON FUNCTION ticket.income_band(text) IS 'cast text to income_band (the same validation and errors as the input function)';

REVOKE ALL ON FUNCTION ticket.income_band(text) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.income_band(text) TO ticket_library;
