CREATE FUNCTION ticket.exemption_is_valid(text) RETURNS boolean
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'exemption_is_valid';

COMMENT ON FUNCTION ticket.exemption_is_valid(text) IS 'true when the text is a valid exemption code (the input function would accept it); never raises';

REVOKE ALL ON FUNCTION ticket.exemption_is_valid(text) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.exemption_is_valid(text) TO ticket_library;
