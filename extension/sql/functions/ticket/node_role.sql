CREATE FUNCTION ticket.node_role() RETURNS text
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    found_role text;
BEGIN
    SELECT n.role INTO found_role FROM ticket.node n;
    RETURN coalesce(found_role, 'region');
END;
$$;

COMMENT ON FUNCTION ticket.node_role() IS 'region (the default) or asl: what this database is (ticket.node)';

REVOKE ALL ON FUNCTION ticket.node_role() FROM PUBLIC;
