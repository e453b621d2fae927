CREATE FUNCTION ticket.exemption_hash_extended(ticket.exemption, bigint) RETURNS bigint
    LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE
    AS $$hashint4extended$$;

COMMENT ON FUNCTION ticket.exemption_hash_extended(ticket.exemption, bigint) IS 'hash support: hashint4extended of the stored value';

REVOKE ALL ON FUNCTION ticket.exemption_hash_extended(ticket.exemption, bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.exemption_hash_extended(ticket.exemption, bigint) TO ticket_library;
