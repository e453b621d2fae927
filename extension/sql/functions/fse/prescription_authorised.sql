CREATE FUNCTION fse.prescription_authorised() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    acting name := ticket.acting_role();
    gp text := ticket.bound_gp(acting);
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{fse.prescription}',
                                   '{"BEFORE ROW INSERT"}');
    IF gp IS NULL OR NOT pg_has_role(acting, 'ticket_gp', 'USAGE') THEN
        PERFORM ticket.raise_error('42501', 'role % is not bound to a GP: it may not prescribe', ARRAY[acting::text],
                                   hint => 'A DBA binds a GP''s role to the GP: INSERT INTO ticket.role_binding (role_name, gp_code).');
    END IF;
    IF NEW.gp_code IS DISTINCT FROM gp THEN
        PERFORM ticket.raise_error('42501', 'role % acts for GP %, not for GP %', ARRAY[acting::text, gp, NEW.gp_code]);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM registry.citizen c WHERE c.fiscal_code = NEW.fiscal_code AND c.gp_code = gp) THEN
        PERFORM ticket.raise_error('42501', 'citizen % is not a patient of GP %', ARRAY[NEW.fiscal_code::text, gp]);
    END IF;
    RETURN NEW;
END;
$$;

COMMENT ON FUNCTION fse.prescription_authorised() IS 'trigger: a GP''s role prescribes as its GP (ticket.role_binding) for that GP''s patients (42501); superusers are not checked (the trigger''s WHEN); VOLATILE because it raises for the row being written';

REVOKE ALL ON FUNCTION fse.prescription_authorised() FROM PUBLIC;
