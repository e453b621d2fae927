CREATE FUNCTION ticket.audit_update() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $_$
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   ticket.audited_tables(),
                                   '{"AFTER STATEMENT UPDATE"}');
    -- Old and new rows are paired by their key; a row whose key changed is
    -- recorded as the old row's DELETE and the new row's INSERT.  OFFSET 0
    -- keeps each row's to_jsonb a column computed once: flattened, the
    -- planner copies the call into every use (the key, the filter, each
    -- watched column, the output), some fifteen conversions a row.
    EXECUTE 'INSERT INTO ticket.audit_log (table_name, operation, row_key, old_row, new_row)
             SELECT $1, CASE WHEN o.r IS NULL THEN ''INSERT'' WHEN n.r IS NULL THEN ''DELETE'' ELSE ''UPDATE'' END,
                    coalesce(n.k, o.k), o.r, n.r
               FROM (SELECT x.r, CASE WHEN strpos($2, '','') = 0 THEN x.r ->> $2 ELSE ticket.audit_key(x.r, $2) END AS k FROM (SELECT to_jsonb(t) AS r FROM old_rows t OFFSET 0) x) o
               FULL JOIN (SELECT x.r, CASE WHEN strpos($2, '','') = 0 THEN x.r ->> $2 ELSE ticket.audit_key(x.r, $2) END AS k FROM (SELECT to_jsonb(t) AS r FROM new_rows t OFFSET 0) x) n
                 ON n.k = o.k
              WHERE o.r IS NULL OR n.r IS NULL
                 OR CASE WHEN cardinality($3) = 0 THEN o.r <> n.r
                         ELSE EXISTS (SELECT 1 FROM unnest($3) c WHERE (o.r -> c) IS DISTINCT FROM (n.r -> c)) END'
      USING TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, TG_ARGV[0], TG_ARGV[1:];
    RETURN NULL;
END;
$_$;

COMMENT ON FUNCTION ticket.audit_update() IS 'statement trigger: records the updated rows (old_rows, new_rows joined on the key column TG_ARGV[0]) whose watched columns (TG_ARGV[1..]; none: any) changed, planned for each statement''s row counts; VOLATILE because it writes';

REVOKE ALL ON FUNCTION ticket.audit_update() FROM PUBLIC;
