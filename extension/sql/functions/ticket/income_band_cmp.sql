CREATE FUNCTION ticket.income_band_cmp(ticket.income_band, ticket.income_band) RETURNS integer
    LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE
    AS $$btint4cmp$$;

COMMENT ON FUNCTION ticket.income_band_cmp(ticket.income_band, ticket.income_band) IS 'btree support: -1, 0 or 1 in the text order of the codes';

REVOKE ALL ON FUNCTION ticket.income_band_cmp(ticket.income_band, ticket.income_band) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.income_band_cmp(ticket.income_band, ticket.income_band) TO ticket_library;
