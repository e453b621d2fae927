CREATE FUNCTION ticket.audit_log_append_only() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{ticket.audit_log}',
                                   '{"BEFORE ROW UPDATE","BEFORE ROW DELETE","BEFORE STATEMENT TRUNCATE"}');
    IF TG_OP = 'DELETE' AND ticket.in_internal_write() THEN
        RETURN OLD;
    END IF;
    PERFORM ticket.raise_error('TK018', 'the audit log is append-only',
                               hint => 'Rows older than the retention leave with ticket.audit_purge().');
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION ticket.audit_log_append_only() IS 'trigger: refuses changing, deleting or truncating the audit log (TK018), except ticket.audit_purge''s deletions; VOLATILE because it guards a write';

REVOKE ALL ON FUNCTION ticket.audit_log_append_only() FROM PUBLIC;
