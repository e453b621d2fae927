CREATE FUNCTION ticket.replication_health() RETURNS TABLE(subscription name, state text, enabled boolean, disable_on_error boolean, worker_pid integer, received_lsn pg_lsn, last_applied_lsn pg_lsn, last_message_at timestamp with time zone, reported_at timestamp with time zone, lag interval, apply_errors bigint, sync_errors bigint, tables_not_ready bigint)
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
BEGIN
    RETURN QUERY
    SELECT s.subname,
           CASE WHEN NOT s.subenabled AND coalesce(ss.apply_error_count + ss.sync_error_count, 0) > 0
                     THEN 'disabled after an error'
                WHEN NOT s.subenabled THEN 'disabled'
                WHEN w.pid IS NULL THEN 'no worker'
                WHEN (SELECT count(*) FROM pg_subscription_rel r
                       WHERE r.srsubid = s.oid AND r.srsubstate <> 'r') > 0 THEN 'copying tables'
                ELSE 'streaming' END,
           s.subenabled, s.subdisableonerr, w.pid, w.received_lsn, o.remote_lsn, w.last_msg_receipt_time,
           w.latest_end_time, now() - w.latest_end_time,
           coalesce(ss.apply_error_count, 0), coalesce(ss.sync_error_count, 0),
           (SELECT count(*) FROM pg_subscription_rel r WHERE r.srsubid = s.oid AND r.srsubstate <> 'r')
      FROM pg_subscription s
      LEFT JOIN pg_stat_subscription w ON w.subid = s.oid AND w.relid IS NULL
      LEFT JOIN pg_stat_subscription_stats ss ON ss.subid = s.oid
      LEFT JOIN pg_replication_origin_status o ON o.external_id = 'pg_' || s.oid
     WHERE s.subdbid = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())
     ORDER BY s.subname;
END;
$$;

COMMENT ON FUNCTION ticket.replication_health() IS 'one row per subscription of this database: state (streaming, copying tables, no worker, disabled, disabled after an error), the worker, the last LSN received and applied, when the publisher was last heard from and the lag since, apply and sync errors, tables not yet copied';

REVOKE ALL ON FUNCTION ticket.replication_health() FROM PUBLIC;
