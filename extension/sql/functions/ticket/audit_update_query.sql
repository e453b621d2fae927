CREATE FUNCTION ticket.audit_update_query(audit_arguments text[], paired boolean) RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $_$
DECLARE
    key_columns text[] := string_to_array(audit_arguments[1], ',');
    watched text[];
    alone text[];
    side text;
    row_key text[];
    changed text[];
    lean text[];
    pairs text;
BEGIN
    -- audit_arguments: the trigger's arguments (ticket.audit_update).  The
    -- statement reads pairs (o, n) of the table's rows, old and new, from
    -- the transition table audit_pairs that ticket.audit_update filled by
    -- position (paired; same: no watched column changed, byte for byte),
    -- or else from old_rows FULL JOIN new_rows on the key: a row whose key
    -- changed is recorded as the old row's DELETE and the new row's
    -- INSERT.  Watched columns (audit_arguments[2..]; none: any change
    -- counts): only the rows where one of them changed become jsonb,
    -- whole.  Columns marked '+' are recorded alone: a row where one of
    -- them changed, and no watched column, is a lean row, old_row and
    -- new_row holding just the key and those columns (a booking's
    -- re-pricing, audited at the cost of its bill, not of two whole rows).
    -- Key and columns compared as jsonb, as the rows are recorded: no
    -- operator of the table's types is evaluated.  The key's text is the
    -- one the whole row's jsonb gives (ticket.audit_key).
    SELECT coalesce(array_agg(a) FILTER (WHERE left(a, 1) <> '+'), '{}'),
           coalesce(array_agg(substr(a, 2)) FILTER (WHERE left(a, 1) = '+'), '{}')
      INTO watched, alone FROM unnest(audit_arguments[2:]) a;
    FOREACH side IN ARRAY '{o,n}'::text[] LOOP
        IF cardinality(key_columns) = 1 THEN
            row_key := row_key || format('to_jsonb((p.%s).%I) #>> ''{}''', side, key_columns[1]);
        ELSE
            row_key := row_key || (SELECT format('ticket.audit_key(jsonb_build_object(%s), %L)',
                                                 string_agg(format('%L, to_jsonb((p.%s).%I)', c, side, c), ', '),
                                                 audit_arguments[1])
                                     FROM unnest(key_columns) c);
        END IF;
        -- Any change counts: the whole row's jsonb, computed once.
        changed := changed || CASE WHEN cardinality(audit_arguments) = 1 THEN format('to_jsonb(p.%s)', side)
                                   ELSE coalesce((SELECT format('jsonb_build_array(%s)',
                                                                string_agg(format('(p.%s).%I', side, c), ', '))
                                                    FROM unnest(watched) c), '''[]''::jsonb') END;
        lean := lean || CASE WHEN cardinality(alone) = 0 THEN 'NULL::jsonb'
                             ELSE (SELECT format('jsonb_build_object(%s)',
                                                 string_agg(format('%L, (p.%s).%I', c, side, c), ', '))
                                     FROM unnest(key_columns || alone) c) END;
    END LOOP;
    pairs := CASE WHEN paired THEN 'audit_pairs p'
                  ELSE format('(SELECT o.t AS o, n.t AS n, false AS same
                                  FROM (SELECT t, %s AS k FROM old_rows t OFFSET 0) o
                                  FULL JOIN (SELECT t, %s AS k FROM new_rows t OFFSET 0) n ON n.k = o.k) p',
                              replace(row_key[1], '(p.o)', 't'), replace(row_key[2], '(p.n)', 't')) END;
    RETURN format('INSERT INTO ticket.audit_log (table_name, operation, row_key, old_row, new_row)
                   SELECT $1, CASE WHEN y.ok IS NULL THEN ''INSERT'' WHEN y.nk IS NULL THEN ''DELETE'' ELSE ''UPDATE'' END,
                          coalesce(y.nk, y.ok), CASE WHEN y.w THEN %s ELSE y.ol END, CASE WHEN y.w THEN %s ELSE y.nl END
                     FROM (SELECT x.*, (x.ok IS NULL OR x.nk IS NULL OR x.ow IS DISTINCT FROM x.nw) AS w
                             FROM (SELECT p.o, p.n, %s AS ok, %s AS nk, CASE WHEN NOT p.same THEN %s END AS ow,
                                          CASE WHEN NOT p.same THEN %s END AS nw, %s AS ol, %s AS nl
                                     FROM %s OFFSET 0) x
                           OFFSET 0) y
                    WHERE y.w OR y.ol IS DISTINCT FROM y.nl',
                  CASE WHEN cardinality(audit_arguments) = 1 THEN 'y.ow' ELSE 'to_jsonb(y.o)' END,
                  CASE WHEN cardinality(audit_arguments) = 1 THEN 'y.nw' ELSE 'to_jsonb(y.n)' END,
                  row_key[1], row_key[2], changed[1], changed[2], lean[1], lean[2], pairs);
END;
$_$;

COMMENT ON FUNCTION ticket.audit_update_query(audit_arguments text[], paired boolean) IS 'the INSERT into ticket.audit_log that ticket.audit_update runs for the arguments of an audit_update trigger: over the rows it paired by position (paired), or over old_rows FULL JOIN new_rows on the key; internal';

REVOKE ALL ON FUNCTION ticket.audit_update_query(audit_arguments text[], paired boolean) FROM PUBLIC;
