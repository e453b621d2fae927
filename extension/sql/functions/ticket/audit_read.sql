CREATE FUNCTION ticket.audit_read(reader text, citizen ticket.fiscal_code, asked jsonb) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
BEGIN
    INSERT INTO ticket.audit_log (table_name, operation, row_key, new_row)
    VALUES (reader, 'READ', citizen::text, asked);
END;
$$;

COMMENT ON FUNCTION ticket.audit_read(reader text, citizen ticket.fiscal_code, asked jsonb) IS 'records in ticket.audit_log that a function (reader) read a citizen''s data, and what was asked; VOLATILE because it writes';

REVOKE ALL ON FUNCTION ticket.audit_read(reader text, citizen ticket.fiscal_code, asked jsonb) FROM PUBLIC;
