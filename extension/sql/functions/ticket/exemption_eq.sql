CREATE FUNCTION ticket.exemption_eq(ticket.exemption, ticket.exemption) RETURNS boolean
    LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE
    AS $$int4eq$$;

COMMENT ON FUNCTION ticket.exemption_eq(ticket.exemption, ticket.exemption) IS 'implementation of = for exemption';

REVOKE ALL ON FUNCTION ticket.exemption_eq(ticket.exemption, ticket.exemption) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.exemption_eq(ticket.exemption, ticket.exemption) TO ticket_library;
