CREATE FUNCTION ticket.income_band_for(income numeric, on_date date) RETURNS ticket.income_band
    LANGUAGE c STABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'ticket_income_band_for';

COMMENT ON FUNCTION ticket.income_band_for(income numeric, on_date date) IS 'the band of a family fiscal income under the regime in force on on_date; NULL when the regime prints no code for it (over 100,000 in 2011, any income from September 2020)';

REVOKE ALL ON FUNCTION ticket.income_band_for(income numeric, on_date date) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.income_band_for(income numeric, on_date date) TO ticket_library;
