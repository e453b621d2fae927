CREATE FUNCTION ticket.exemption_hash(ticket.exemption) RETURNS integer
    LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE
    AS $$hashint4$$;

COMMENT ON FUNCTION ticket.exemption_hash(ticket.exemption) IS 'hash support: hashint4 of the stored value';

REVOKE ALL ON FUNCTION ticket.exemption_hash(ticket.exemption) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.exemption_hash(ticket.exemption) TO ticket_library;
