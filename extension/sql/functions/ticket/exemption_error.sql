CREATE FUNCTION ticket.exemption_error(text) RETURNS text
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'exemption_error';

COMMENT ON FUNCTION ticket.exemption_error(text) IS 'NULL when the text is a valid exemption code, otherwise the reason the input function gives';

REVOKE ALL ON FUNCTION ticket.exemption_error(text) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.exemption_error(text) TO ticket_library;
