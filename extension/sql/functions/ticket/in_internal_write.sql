CREATE FUNCTION ticket.in_internal_write() RETURNS boolean
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
BEGIN
    RETURN coalesce(current_setting('ticket.internal_write', true), '') = 'on';
END;
$$;

COMMENT ON FUNCTION ticket.in_internal_write() IS 'whether the current write is the network''s own propagation (see ticket.internal_write)';

REVOKE ALL ON FUNCTION ticket.in_internal_write() FROM PUBLIC;
