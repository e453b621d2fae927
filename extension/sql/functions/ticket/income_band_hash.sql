CREATE FUNCTION ticket.income_band_hash(ticket.income_band) RETURNS integer
    LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE
    AS $$hashint4$$;

COMMENT ON FUNCTION ticket.income_band_hash(ticket.income_band) IS 'hash support: hashint4 of the stored value';

REVOKE ALL ON FUNCTION ticket.income_band_hash(ticket.income_band) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.income_band_hash(ticket.income_band) TO ticket_library;
