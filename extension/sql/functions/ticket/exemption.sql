CREATE FUNCTION ticket.exemption(text) RETURNS ticket.exemption
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'exemption_from_text';

COMMENT ON FUNCTION ticket.exemption(text) IS 'cast text to exemption (the same validation and errors as the input function)';

REVOKE ALL ON FUNCTION ticket.exemption(text) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.exemption(text) TO ticket_library;
