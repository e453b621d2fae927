CREATE FUNCTION ticket.income_band_lt(ticket.income_band, ticket.income_band) RETURNS boolean
    LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE
    AS $$int4lt$$;

COMMENT ON FUNCTION ticket.income_band_lt(ticket.income_band, ticket.income_band) IS 'implementation of < for income_band (text order of the codes)';

REVOKE ALL ON FUNCTION ticket.income_band_lt(ticket.income_band, ticket.income_band) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.income_band_lt(ticket.income_band, ticket.income_band) TO ticket_library;
