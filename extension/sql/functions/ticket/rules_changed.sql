CREATE FUNCTION ticket.rules_changed() RETURNS trigger
    LANGUAGE c SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS 'MODULE_PATHNAME', 'rules_changed';

COMMENT ON FUNCTION ticket.rules_changed() IS 'trigger: tells every backend that the rules changed; VOLATILE because it sends a cache invalidation';

REVOKE ALL ON FUNCTION ticket.rules_changed() FROM PUBLIC;
