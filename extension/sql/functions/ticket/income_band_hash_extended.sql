CREATE FUNCTION ticket.income_band_hash_extended(ticket.income_band, bigint) RETURNS bigint
    LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE
    AS $$hashint4extended$$;

COMMENT ON FUNCTION ticket.income_band_hash_extended(ticket.income_band, bigint) IS 'hash support: hashint4extended of the stored value';

REVOKE ALL ON FUNCTION ticket.income_band_hash_extended(ticket.income_band, bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.income_band_hash_extended(ticket.income_band, bigint) TO ticket_library;
