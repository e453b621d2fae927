CREATE FUNCTION ticket.income_band_eq(ticket.income_band, ticket.income_band) RETURNS boolean
    LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE
    AS $$int4eq$$;

COMMENT ON FUNCTION ticket.income_band_eq(ticket.income_band, ticket.income_band) IS 'implementation of = for income_band';

REVOKE ALL ON FUNCTION ticket.income_band_eq(ticket.income_band, ticket.income_band) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.income_band_eq(ticket.income_band, ticket.income_band) TO ticket_library;
