CREATE FUNCTION ticket.effective_band(declared ticket.income_band, on_date date) RETURNS ticket.income_band
    LANGUAGE c STABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'ticket_effective_band';

COMMENT ON FUNCTION ticket.effective_band(declared ticket.income_band, on_date date) IS 'the declared band if the regime in force on on_date defines it, else NULL (the regime''s default applies): RE2 means nothing to the 2019 rules';

REVOKE ALL ON FUNCTION ticket.effective_band(declared ticket.income_band, on_date date) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.effective_band(declared ticket.income_band, on_date date) TO ticket_library;
