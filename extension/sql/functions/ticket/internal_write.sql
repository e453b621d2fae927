CREATE FUNCTION ticket.internal_write(enable boolean) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    previous boolean := coalesce(current_setting('ticket.internal_write', true), '') = 'on';
    setting text;
BEGIN
    -- Assignments, not PERFORM: PL/pgSQL evaluates them without the executor.
    setting := set_config('ticket.internal_write', CASE WHEN enable THEN 'on' ELSE 'off' END, true);
    RETURN previous;
END;
$$;

COMMENT ON FUNCTION ticket.internal_write(enable boolean) IS 'marks the writes that follow as the network''s own propagation (or ends that) and returns the previous state; VOLATILE because it changes a setting';

REVOKE ALL ON FUNCTION ticket.internal_write(enable boolean) FROM PUBLIC;
