CREATE FUNCTION ticket.icu_version() RETURNS text
    LANGUAGE c STABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'ticket_icu_version';

COMMENT ON FUNCTION ticket.icu_version() IS 'version of the ICU library behind transliterate_name and fiscal_code_encode';

REVOKE ALL ON FUNCTION ticket.icu_version() FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.icu_version() TO ticket_library;
