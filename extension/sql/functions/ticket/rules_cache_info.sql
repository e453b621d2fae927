CREATE FUNCTION ticket.rules_cache_info(OUT regimes integer, OUT bands integer, OUT exemption_rules integer, OUT scope_entries integer, OUT bytes bigint, OUT builds bigint) RETURNS record
    LANGUAGE c PARALLEL RESTRICTED
    AS 'MODULE_PATHNAME', 'ticket_rules_cache_info';

COMMENT ON FUNCTION ticket.rules_cache_info(OUT regimes integer, OUT bands integer, OUT exemption_rules integer, OUT scope_entries integer, OUT bytes bigint, OUT builds bigint) IS 'size of this backend''s compiled rule cache and how many times it was built; VOLATILE because it reports backend state';

REVOKE ALL ON FUNCTION ticket.rules_cache_info(OUT regimes integer, OUT bands integer, OUT exemption_rules integer, OUT scope_entries integer, OUT bytes bigint, OUT builds bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.rules_cache_info(OUT regimes integer, OUT bands integer, OUT exemption_rules integer, OUT scope_entries integer, OUT bytes bigint, OUT builds bigint) TO ticket_rules_admin;
