CREATE FUNCTION ticket.audit_update() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $_$
DECLARE
    key_columns text[] := string_to_array(TG_ARGV[0], ',');
    watched text[];
    alone text[];
    row_key text;
    changed text;
    lean text := 'NULL::jsonb';
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   ticket.audited_tables(),
                                   '{"AFTER STATEMENT UPDATE"}');
    -- Old and new rows are paired by their key; a row whose key changed is
    -- recorded as the old row's DELETE and the new row's INSERT.
    IF cardinality(TG_ARGV) = 1 THEN
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
    -- Watched columns (TG_ARGV[1..]): only the rows where one of them
    -- changed become jsonb, whole (a re-pricing of a million bookings
    -- changes none of them: issue 19).  Columns marked '+' are recorded
    -- alone: a row where one of them changed, and no watched column, is a
    -- lean row, old_row and new_row holding just the key and those
    -- columns (a booking's re-pricing, audited at the cost of its
    -- bill, not of two whole rows).  Key and columns compared as jsonb, as
    -- the rows are recorded: no operator of the table's types is
    -- evaluated.  The key's text is the one the whole row's jsonb gives
    -- (ticket.audit_key).
    SELECT coalesce(array_agg(a) FILTER (WHERE left(a, 1) <> '+'), '{}'),
           coalesce(array_agg(substr(a, 2)) FILTER (WHERE left(a, 1) = '+'), '{}')
      INTO watched, alone FROM unnest(TG_ARGV[1:]) a;
    IF cardinality(key_columns) = 1 THEN
        row_key := format('to_jsonb(t.%I) #>> ''{}''', key_columns[1]);
    ELSE
        SELECT string_agg(format('%L, to_jsonb(t.%I)', c, c), ', ') INTO row_key FROM unnest(key_columns) c;
        row_key := format('ticket.audit_key(jsonb_build_object(%s), %L)', row_key, TG_ARGV[0]);
    END IF;
    -- Per row and side, in the scan of the transition table (each column
    -- read once from the tuple): the watched columns as one jsonb array
    -- (w) and the lean row (l).
    SELECT coalesce(format('jsonb_build_array(%s)', string_agg(format('t.%I', c), ', ')), '''[]''::jsonb')
      INTO changed FROM unnest(watched) c;
    IF cardinality(alone) > 0 THEN
        SELECT format('jsonb_build_object(%s)', string_agg(format('%L, t.%I', c, c), ', '))
          INTO lean FROM unnest(key_columns || alone) c;
    END IF;
    EXECUTE format('INSERT INTO ticket.audit_log (table_name, operation, row_key, old_row, new_row)
                    SELECT $1, CASE WHEN x.ot IS NULL THEN ''INSERT'' WHEN x.nt IS NULL THEN ''DELETE'' ELSE ''UPDATE'' END,
                           x.k, CASE WHEN x.w THEN to_jsonb(x.ot) ELSE x.ol END,
                           CASE WHEN x.w THEN to_jsonb(x.nt) ELSE x.nl END
                      FROM (SELECT o.t AS ot, n.t AS nt, coalesce(n.k, o.k) AS k, o.l AS ol, n.l AS nl,
                                   (o.t IS NULL OR n.t IS NULL OR o.w IS DISTINCT FROM n.w) AS w
                              FROM (SELECT t, %1$s AS k, %2$s AS w, %3$s AS l FROM old_rows t OFFSET 0) o
                              FULL JOIN (SELECT t, %1$s AS k, %2$s AS w, %3$s AS l FROM new_rows t OFFSET 0) n ON n.k = o.k
                            OFFSET 0) x
                     WHERE x.w OR x.ol IS DISTINCT FROM x.nl', row_key, changed, lean)
      USING TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME;
    RETURN NULL;
END;
$_$;

COMMENT ON FUNCTION ticket.audit_update() IS 'statement trigger: records the updated rows (old_rows, new_rows joined on the key column TG_ARGV[0]) whose watched columns (TG_ARGV[1..]; none: any) changed, whole, and as lean rows (the key and those columns) the rows where only columns marked ''+'' (recorded alone) changed; planned for each statement''s row counts; VOLATILE because it writes';

REVOKE ALL ON FUNCTION ticket.audit_update() FROM PUBLIC;
