CREATE FUNCTION ticket.audit_key(row_data jsonb, key_columns text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
    SELECT string_agg(row_data ->> u.k, '/' ORDER BY u.o)
      FROM unnest(string_to_array(key_columns, ',')) WITH ORDINALITY AS u(k, o)
$$;

COMMENT ON FUNCTION ticket.audit_key(row_data jsonb, key_columns text) IS 'the audit row_key of a row (as jsonb) whose key columns are key_columns, comma-separated: their values joined by /; internal (the audit triggers)';

REVOKE ALL ON FUNCTION ticket.audit_key(row_data jsonb, key_columns text) FROM PUBLIC;
