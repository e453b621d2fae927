CREATE FUNCTION registry.check_may_see(citizen ticket.fiscal_code) RETURNS void
    LANGUAGE plpgsql STABLE SECURITY DEFINER PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    acting name;
    gp text;
BEGIN
    IF ticket.acting_superuser() THEN
        RETURN;
    END IF;
    acting := ticket.acting_role();
    IF pg_has_role(acting, 'ticket_registry_operator', 'USAGE')
       OR (pg_has_role(acting, 'ticket_cup_operator', 'USAGE') AND ticket.bound_asl(acting) IS NOT NULL) THEN
        RETURN;
    END IF;
    gp := ticket.bound_gp(acting);
    IF gp IS NOT NULL AND pg_has_role(acting, 'ticket_gp', 'USAGE')
       AND EXISTS (SELECT 1 FROM registry.citizen c WHERE c.fiscal_code = citizen AND c.gp_code = gp) THEN
        RETURN;
    END IF;
    PERFORM ticket.raise_error('42501', 'role % may not see citizen %', ARRAY[acting::text, citizen::text],
                               detail => 'Registry and CUP operators see every citizen, a GP their own patients.');
END;
$$;

COMMENT ON FUNCTION registry.check_may_see(citizen ticket.fiscal_code) IS 'refuses (42501) unless the acting role may see the citizen: a registry or CUP operator, the citizen''s GP, a superuser';

REVOKE ALL ON FUNCTION registry.check_may_see(citizen ticket.fiscal_code) FROM PUBLIC;
