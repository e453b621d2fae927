CREATE FUNCTION registry.declaration_authorised() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    acting name := ticket.acting_role();
    gp text;
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{registry.declaration}',
                                   '{"BEFORE ROW INSERT"}');
    IF NEW.channel = 'fse_online' THEN
        IF pg_has_role(acting, 'ticket_fse_portal', 'USAGE') THEN
            RETURN NEW;
        END IF;
    ELSIF NEW.channel = 'revenue_agency' THEN
        IF pg_has_role(acting, 'ticket_registry_operator', 'USAGE') THEN
            RETURN NEW;
        END IF;
    ELSE
        NEW.operator := coalesce(NEW.operator, acting::text);
        IF NEW.operator <> acting::text THEN
            PERFORM ticket.raise_error('42501', 'role % may not record a self-certification taken by operator %',
                                       ARRAY[acting::text, NEW.operator],
                                       detail => 'An operator records the forms signed in front of them: operator is the acting role.');
        END IF;
        IF pg_has_role(acting, 'ticket_registry_operator', 'USAGE') THEN
            RETURN NEW;
        END IF;
        IF NEW.channel IN ('cup_desk', 'call_centre') AND pg_has_role(acting, 'ticket_cup_operator', 'USAGE')
           AND ticket.bound_asl(acting) IS NOT NULL THEN
            RETURN NEW;
        END IF;
        IF NEW.channel = 'gp' AND pg_has_role(acting, 'ticket_gp', 'USAGE') THEN
            gp := ticket.bound_gp(acting);
            IF gp IS NOT NULL AND NOT EXISTS (SELECT 1 FROM registry.citizen c
                                               WHERE c.fiscal_code = NEW.fiscal_code AND c.gp_code = gp) THEN
                PERFORM ticket.raise_error('42501', 'citizen % is not a patient of GP %',
                                           ARRAY[NEW.fiscal_code::text, gp]);
            END IF;
            IF gp IS NOT NULL THEN
                RETURN NEW;
            END IF;
        END IF;
    END IF;
    PERFORM ticket.raise_error('42501', 'role % may not record a self-certification through channel %',
                               ARRAY[acting::text, NEW.channel],
                               detail => 'The FSE portal records the online ones (fse_online), a registry operator the Revenue Agency''s (revenue_agency); an operator records a form signed in front of them: a registry operator at any desk, a CUP operator at the CUP desk or call centre, a GP in the surgery (gp).');
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION registry.declaration_authorised() IS 'trigger: whether the acting role may record the self-certification through its channel (42501), the operator being the acting role (filled in when omitted); superusers are not checked (the trigger''s WHEN); VOLATILE because it changes the row';

REVOKE ALL ON FUNCTION registry.declaration_authorised() FROM PUBLIC;
