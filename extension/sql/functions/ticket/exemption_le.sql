CREATE FUNCTION ticket.exemption_le(ticket.exemption, ticket.exemption) RETURNS boolean
    LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE
    AS $$int4le$$;

COMMENT ON FUNCTION ticket.exemption_le(ticket.exemption, ticket.exemption) IS 'implementation of <= for exemption (text order of the codes)';

REVOKE ALL ON FUNCTION ticket.exemption_le(ticket.exemption, ticket.exemption) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.exemption_le(ticket.exemption, ticket.exemption) TO ticket_library;
