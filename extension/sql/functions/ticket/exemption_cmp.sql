CREATE FUNCTION ticket.exemption_cmp(ticket.exemption, ticket.exemption) RETURNS integer
    LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE
    AS $$btint4cmp$$;

COMMENT ON FUNCTION ticket.exemption_cmp(ticket.exemption, ticket.exemption) IS 'btree support: -1, 0 or 1 in the text order of the codes';

REVOKE ALL ON FUNCTION ticket.exemption_cmp(ticket.exemption, ticket.exemption) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.exemption_cmp(ticket.exemption, ticket.exemption) TO ticket_library;
