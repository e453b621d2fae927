CREATE FUNCTION ticket.audit_purge(older_than interval DEFAULT '2 years'::interval) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    was_internal boolean;
    purged bigint;
BEGIN
    IF older_than IS NULL OR now() - older_than > now() - interval '24 months' THEN
        PERFORM ticket.raise_error('22023', 'the audit log is kept 24 months at least: % is shorter',
                                   ARRAY[coalesce(older_than::text, 'NULL')]);
    END IF;
    was_internal := ticket.internal_write(true);
    DELETE FROM ticket.audit_log a WHERE a.recorded_at < now() - older_than;
    GET DIAGNOSTICS purged = ROW_COUNT;
    was_internal := ticket.internal_write(was_internal);
    RETURN purged;
END;
$$;

COMMENT ON FUNCTION ticket.audit_purge(older_than interval) IS 'deletes the audit rows older than older_than (24 months at least: 22023 for less) and returns how many; for the DBA (run it monthly); VOLATILE because it writes';

REVOKE ALL ON FUNCTION ticket.audit_purge(older_than interval) FROM PUBLIC;
