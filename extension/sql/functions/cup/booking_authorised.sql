CREATE FUNCTION cup.booking_authorised() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    asl text := cup.acting_asl();
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{cup.booking}',
                                   '{"BEFORE ROW INSERT"}');
    IF asl IS NOT NULL THEN
        NEW.asl_code := coalesce(NEW.asl_code, asl);
        IF NEW.asl_code <> asl THEN
            PERFORM ticket.raise_error('42501', 'role % books for ASL %, not for ASL %',
                                       ARRAY[ticket.acting_role()::text, asl, NEW.asl_code]);
        END IF;
    END IF;
    RETURN NEW;
END;
$$;

COMMENT ON FUNCTION cup.booking_authorised() IS 'trigger: a CUP operator books at the ASL its role is bound to, the default when none is given (42501 otherwise); superusers are not checked (the trigger''s WHEN); VOLATILE because it changes the row';

REVOKE ALL ON FUNCTION cup.booking_authorised() FROM PUBLIC;
