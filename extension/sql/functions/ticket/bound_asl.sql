CREATE FUNCTION ticket.bound_asl(role_name name) RETURNS text
    LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    asl text;
BEGIN
    PERFORM ticket.check_own_binding(bound_asl.role_name);
    SELECT b.asl_code INTO asl FROM ticket.role_binding b WHERE b.role_name = bound_asl.role_name;
    RETURN asl;
END;
$$;

COMMENT ON FUNCTION ticket.bound_asl(role_name name) IS 'the ASL the acting role is bound to (ticket.role_binding), or NULL; 42501 for another role unless a superuser asks; what the row-level security of CUP bookings compares with';

REVOKE ALL ON FUNCTION ticket.bound_asl(role_name name) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.bound_asl(role_name name) TO ticket_cup_operator;
