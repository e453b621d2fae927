CREATE FUNCTION ticket.exemption_family(ticket.exemption) RETURNS text
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'exemption_family';

COMMENT ON FUNCTION ticket.exemption_family(ticket.exemption) IS 'income, regional, invalidity, pregnancy, prevention, other, chronic or rare, from the syntax of the code';

REVOKE ALL ON FUNCTION ticket.exemption_family(ticket.exemption) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.exemption_family(ticket.exemption) TO ticket_library;
