CREATE FUNCTION ticket.audit_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   ticket.audited_tables(),
                                   '{"AFTER STATEMENT INSERT"}');
    -- new_rows is a row of the extension's own table (the check above):
    -- to_jsonb runs no code of the caller's.
    INSERT INTO ticket.audit_log (table_name, operation, row_key, new_row)
    SELECT TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, 'INSERT', CASE WHEN strpos(TG_ARGV[0], ',') = 0 THEN n.r ->> TG_ARGV[0] ELSE ticket.audit_key(n.r, TG_ARGV[0]) END, n.r
      FROM (SELECT to_jsonb(x) AS r FROM new_rows x OFFSET 0) n;   -- OFFSET 0: one to_jsonb a row, not one per use
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION ticket.audit_insert() IS 'statement trigger: records the inserted rows (transition table new_rows) in ticket.audit_log, keyed by the column TG_ARGV[0]; VOLATILE because it writes';

REVOKE ALL ON FUNCTION ticket.audit_insert() FROM PUBLIC;
