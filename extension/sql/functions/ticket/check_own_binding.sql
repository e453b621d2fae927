CREATE FUNCTION ticket.check_own_binding(role_name name) RETURNS void
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
BEGIN
    IF role_name IS DISTINCT FROM ticket.acting_role() AND NOT ticket.acting_superuser() THEN
        PERFORM ticket.raise_error('42501', 'a role may look up only its own binding',
                                   hint => 'The DBA reads ticket.role_binding.');
    END IF;
END;
$$;

COMMENT ON FUNCTION ticket.check_own_binding(role_name name) IS 'refuses (42501) a binding look-up about another role than the acting one, unless a superuser asks; internal';

REVOKE ALL ON FUNCTION ticket.check_own_binding(role_name name) FROM PUBLIC;
