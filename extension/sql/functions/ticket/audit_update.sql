CREATE FUNCTION ticket.audit_update() RETURNS trigger
    LANGUAGE c SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS 'MODULE_PATHNAME', 'ticket_audit_update';

COMMENT ON FUNCTION ticket.audit_update() IS 'statement trigger: records the updated rows (old_rows, new_rows, paired by position when every pair has the same key, else joined on the key columns TG_ARGV[0]) whose watched columns (TG_ARGV[1..]; none: any) changed, whole, and as lean rows (the key and those columns) the rows where only columns marked ''+'' (recorded alone) changed: the statement of ticket.audit_update_query; VOLATILE because it writes';

REVOKE ALL ON FUNCTION ticket.audit_update() FROM PUBLIC;
