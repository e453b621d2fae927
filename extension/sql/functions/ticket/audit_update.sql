CREATE FUNCTION ticket.audit_update() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $_$
DECLARE
    key_columns text[] := string_to_array(TG_ARGV[0], ',');
    watched text[] := TG_ARGV[1:];
    row_key text;
    changed text;
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   ticket.audited_tables(),
                                   '{"AFTER STATEMENT UPDATE"}');
    -- Old and new rows are paired by their key; a row whose key changed is
    -- recorded as the old row's DELETE and the new row's INSERT.
    IF cardinality(watched) = 0 THEN
        -- Any change counts: each row's to_jsonb once (OFFSET 0 keeps it a
        -- column; flattened, the planner copies the call into every use).
        EXECUTE 'INSERT INTO ticket.audit_log (table_name, operation, row_key, old_row, new_row)
                 SELECT $1, CASE WHEN o.r IS NULL THEN ''INSERT'' WHEN n.r IS NULL THEN ''DELETE'' ELSE ''UPDATE'' END,
                        coalesce(n.k, o.k), o.r, n.r
                   FROM (SELECT x.r, CASE WHEN strpos($2, '','') = 0 THEN x.r ->> $2 ELSE ticket.audit_key(x.r, $2) END AS k FROM (SELECT to_jsonb(t) AS r FROM old_rows t OFFSET 0) x) o
                   FULL JOIN (SELECT x.r, CASE WHEN strpos($2, '','') = 0 THEN x.r ->> $2 ELSE ticket.audit_key(x.r, $2) END AS k FROM (SELECT to_jsonb(t) AS r FROM new_rows t OFFSET 0) x) n
                     ON n.k = o.k
                  WHERE o.r IS NULL OR n.r IS NULL OR o.r <> n.r'
          USING TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, TG_ARGV[0];
        RETURN NULL;
    END IF;
    -- Watched columns: only the rows where one of them changed become
    -- jsonb (a re-pricing of a million bookings changes none of them: issue
    -- 19).  Key and columns compared as jsonb, as the rows are recorded: no
    -- operator of the table's types is evaluated.  The key's text is the
    -- one the whole row's jsonb gives (ticket.audit_key).
    IF cardinality(key_columns) = 1 THEN
        row_key := format('to_jsonb(t.%I) #>> ''{}''', key_columns[1]);
    ELSE
        SELECT string_agg(format('%L, to_jsonb(t.%I)', c, c), ', ') INTO row_key FROM unnest(key_columns) c;
        row_key := format('ticket.audit_key(jsonb_build_object(%s), %L)', row_key, TG_ARGV[0]);
    END IF;
    SELECT string_agg(format('to_jsonb((o.t).%1$I) IS DISTINCT FROM to_jsonb((n.t).%1$I)', c), ' OR ')
      INTO changed FROM unnest(watched) c;
    EXECUTE format('INSERT INTO ticket.audit_log (table_name, operation, row_key, old_row, new_row)
                    SELECT $1, CASE WHEN o.t IS NULL THEN ''INSERT'' WHEN n.t IS NULL THEN ''DELETE'' ELSE ''UPDATE'' END,
                           coalesce(n.k, o.k), to_jsonb(o.t), to_jsonb(n.t)
                      FROM (SELECT t, %1$s AS k FROM old_rows t OFFSET 0) o
                      FULL JOIN (SELECT t, %1$s AS k FROM new_rows t OFFSET 0) n ON n.k = o.k
                     WHERE o.t IS NULL OR n.t IS NULL OR %2$s', row_key, changed)
      USING TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME;
    RETURN NULL;
END;
$_$;

COMMENT ON FUNCTION ticket.audit_update() IS 'statement trigger: records the updated rows (old_rows, new_rows joined on the key column TG_ARGV[0]) whose watched columns (TG_ARGV[1..]; none: any) changed, planned for each statement''s row counts; VOLATILE because it writes';

REVOKE ALL ON FUNCTION ticket.audit_update() FROM PUBLIC;
