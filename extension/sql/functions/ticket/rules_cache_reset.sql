CREATE FUNCTION ticket.rules_cache_reset() RETURNS void
    LANGUAGE c
    AS 'MODULE_PATHNAME', 'ticket_rules_cache_reset';

COMMENT ON FUNCTION ticket.rules_cache_reset() IS 'drops this backend''s compiled rules so that the next price() reads the tables again; VOLATILE because it drops backend state';

REVOKE ALL ON FUNCTION ticket.rules_cache_reset() FROM PUBLIC;
