CREATE FUNCTION cup.acting_asl() RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    acting name;
    asl text;
BEGIN
    IF ticket.acting_superuser() THEN
        RETURN NULL;
    END IF;
    acting := ticket.acting_role();
    asl := ticket.bound_asl(acting);
    IF asl IS NULL THEN
        PERFORM ticket.raise_error('42501', 'role % is not bound to an ASL: it may not book or handle bookings',
                                   ARRAY[acting::text],
                                   hint => 'A DBA binds a CUP operator to the ASL it works for: INSERT INTO ticket.role_binding (role_name, asl_code).');
    END IF;
    RETURN asl;
END;
$$;

COMMENT ON FUNCTION cup.acting_asl() IS 'the ASL whose bookings the acting role handles (ticket.role_binding); NULL for a superuser; 42501 for a role bound to no ASL';

REVOKE ALL ON FUNCTION cup.acting_asl() FROM PUBLIC;
