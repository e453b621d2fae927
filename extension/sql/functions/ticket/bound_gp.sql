CREATE FUNCTION ticket.bound_gp(role_name name) RETURNS text
    LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    gp text;
BEGIN
    PERFORM ticket.check_own_binding(bound_gp.role_name);
    SELECT b.gp_code INTO gp FROM ticket.role_binding b WHERE b.role_name = bound_gp.role_name;
    RETURN gp;
END;
$$;

COMMENT ON FUNCTION ticket.bound_gp(role_name name) IS 'the GP code the acting role is bound to (ticket.role_binding), or NULL; 42501 for another role unless a superuser asks; what the row-level security of a GP''s patients compares with';

REVOKE ALL ON FUNCTION ticket.bound_gp(role_name name) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.bound_gp(role_name name) TO ticket_gp;
