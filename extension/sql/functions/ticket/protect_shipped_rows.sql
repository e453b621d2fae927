CREATE FUNCTION ticket.protect_shipped_rows() RETURNS trigger
    LANGUAGE c SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS 'MODULE_PATHNAME', 'protect_shipped_rows';

COMMENT ON FUNCTION ticket.protect_shipped_rows() IS 'trigger: refuses to insert, change or delete shipped rows outside the extension''s scripts; VOLATILE because it guards writes';

REVOKE ALL ON FUNCTION ticket.protect_shipped_rows() FROM PUBLIC;
