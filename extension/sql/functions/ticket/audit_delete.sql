CREATE FUNCTION ticket.audit_delete() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   ticket.audited_tables(),
                                   '{"AFTER STATEMENT DELETE"}');
    INSERT INTO ticket.audit_log (table_name, operation, row_key, old_row)
    SELECT TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, 'DELETE', CASE WHEN strpos(TG_ARGV[0], ',') = 0 THEN o.r ->> TG_ARGV[0] ELSE ticket.audit_key(o.r, TG_ARGV[0]) END, o.r
      FROM (SELECT to_jsonb(x) AS r FROM old_rows x OFFSET 0) o;   -- OFFSET 0: one to_jsonb a row, not one per use
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION ticket.audit_delete() IS 'statement trigger: records the deleted rows (transition table old_rows) in ticket.audit_log, keyed by the column TG_ARGV[0]; VOLATILE because it writes';

REVOKE ALL ON FUNCTION ticket.audit_delete() FROM PUBLIC;
