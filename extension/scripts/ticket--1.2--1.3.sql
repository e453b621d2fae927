/* extension/scripts/ticket--1.2--1.3.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION ticket UPDATE TO '1.3'" to load this file. \quit

--------------------------------------------------------------------------
-- 1.3: PostgreSQL 15, 17 and 18; failover slots; the rules of 2011-2025
-- as the December 2026 review corrected them; the rules administrator's
-- what-if.
--------------------------------------------------------------------------

--------------------------------------------------------------------------
-- ticket.replication_health: failover, synced and invalidation_reason
-- (PostgreSQL 17's failover slots), and a row per logical slot at the
-- region and its standby.  New result columns: dropped and made again,
-- closed to PUBLIC as before.
--------------------------------------------------------------------------

DROP FUNCTION ticket.replication_health();
CREATE FUNCTION ticket.replication_health() RETURNS TABLE(subscription name, state text, enabled boolean, disable_on_error boolean, worker_pid integer, received_lsn pg_lsn, last_applied_lsn pg_lsn, last_message_at timestamp with time zone, reported_at timestamp with time zone, lag interval, apply_errors bigint, sync_errors bigint, tables_not_ready bigint, failover boolean, synced boolean, invalidation_reason text)
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $_$
DECLARE
    -- Failover slots are PostgreSQL 17's: pg_subscription.subfailover and
    -- pg_replication_slots.failover, .synced and .invalidation_reason do not
    -- exist on 15, and one source serves every major, so the query names
    -- them only where they exist (dynamic SQL).
    v17 boolean := current_setting('server_version_num')::integer >= 170000;
BEGIN
    RETURN QUERY EXECUTE format($q$
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
           (SELECT count(*) FROM pg_subscription_rel r WHERE r.srsubid = s.oid AND r.srsubstate <> 'r'),
           %1$s, NULL::boolean, NULL::text
      FROM pg_subscription s
      LEFT JOIN pg_stat_subscription w ON w.subid = s.oid AND w.relid IS NULL
      LEFT JOIN pg_stat_subscription_stats ss ON ss.subid = s.oid
      LEFT JOIN pg_replication_origin_status o ON o.external_id = 'pg_' || s.oid
     WHERE s.subdbid = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())
    UNION ALL
    -- The publisher's side (the region, or its standby): one row per
    -- logical slot of this database, the subscriptions' slots.
    SELECT rs.slot_name,
           CASE WHEN rs.invalidation_reason IS NOT NULL THEN 'slot invalidated'
                WHEN pg_is_in_recovery() AND rs.synced AND NOT rs.temporary THEN 'slot synchronised'
                WHEN pg_is_in_recovery() AND rs.synced THEN 'slot synchronising'
                WHEN pg_is_in_recovery() THEN 'slot not synchronised'
                WHEN rs.active THEN 'slot in use'
                ELSE 'slot idle' END,
           NULL, NULL, rs.active_pid, NULL, rs.confirmed_flush_lsn, NULL, NULL, NULL, NULL, NULL, NULL,
           rs.failover, rs.synced, rs.invalidation_reason
      FROM (SELECT r.slot_name, r.temporary, r.active, r.active_pid, r.confirmed_flush_lsn,
                   %2$s AS failover, %3$s AS synced, %4$s AS invalidation_reason
              FROM pg_replication_slots r
             WHERE r.slot_type = 'logical' AND r.database = current_database()) rs
     ORDER BY 1$q$,
        CASE WHEN v17 THEN 's.subfailover' ELSE 'NULL::boolean' END,
        CASE WHEN v17 THEN 'r.failover' ELSE 'NULL::boolean' END,
        CASE WHEN v17 THEN 'r.synced' ELSE 'NULL::boolean' END,
        -- before 17 the one invalidation a slot of the region can suffer:
        -- its WAL removed (max_slot_wal_keep_size)
        CASE WHEN v17 THEN 'r.invalidation_reason'
             ELSE $$CASE WHEN r.wal_status = 'lost' THEN 'wal_removed' END$$ END);
END;
$_$;

COMMENT ON FUNCTION ticket.replication_health() IS 'one row per subscription of this database: state (streaming, copying tables, no worker, disabled, disabled after an error), the worker, the last LSN received and applied, when the publisher was last heard from and the lag since, apply and sync errors, tables not yet copied, failover (17 and later); and one row per logical slot of this database (the region and its standby): state (slot in use, slot idle, slot synchronised, slot synchronising, slot not synchronised, slot invalidated), failover, synced, invalidation_reason (17 and later; NULL before, but wal_removed)';

REVOKE ALL ON FUNCTION ticket.replication_health() FROM PUBLIC;

--------------------------------------------------------------------------
-- Born closed: every function of the extension, whatever script made it,
-- is taken from PUBLIC.  Keep this block at the end of every script.
--------------------------------------------------------------------------

DO $close$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT d.objid::regprocedure FROM pg_catalog.pg_depend d
              WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.deptype = 'e'
                AND d.refclassid = 'pg_catalog.pg_extension'::regclass
                AND d.refobjid = (SELECT e.oid FROM pg_catalog.pg_extension e WHERE e.extname = 'ticket')
    LOOP
        EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
END;
$close$;
