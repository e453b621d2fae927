CREATE FUNCTION ticket.effective_band(declared ticket.income_band, on_date date) RETURNS ticket.income_band
    LANGUAGE c STABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'ticket_effective_band';

COMMENT ON FUNCTION ticket.effective_band(declared ticket.income_band, on_date date) IS 'the band the regime in force on on_date charges for a declared one: the band itself if the regime defines it, the band that replaces it (RE2 in 2019: QB, DGR 2075/2018), else NULL (the regime''s default applies)';

REVOKE ALL ON FUNCTION ticket.effective_band(declared ticket.income_band, on_date date) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.effective_band(declared ticket.income_band, on_date date) TO ticket_library;
