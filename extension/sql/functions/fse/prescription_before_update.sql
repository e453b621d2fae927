CREATE FUNCTION fse.prescription_before_update() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{fse.prescription}',
                                   '{"BEFORE ROW UPDATE"}');
    -- Only propagation refreshes the boxes; the rest is a signed document.
    IF ticket.in_internal_write()
       AND (NEW.nre, NEW.fiscal_code, NEW.gp_code, NEW.prescribed_on, NEW.priority,
            NEW.max_wait_days, NEW.services, NEW.written_at)
           IS NOT DISTINCT FROM
           (OLD.nre, OLD.fiscal_code, OLD.gp_code, OLD.prescribed_on, OLD.priority,
            OLD.max_wait_days, OLD.services, OLD.written_at) THEN
        RETURN NEW;
    END IF;
    PERFORM ticket.raise_error('TK018', 'prescription % is a signed document: it cannot be changed', ARRAY[OLD.nre],
        hint => 'Write a new prescription.');
END;
$$;

COMMENT ON FUNCTION fse.prescription_before_update() IS 'trigger: a prescription is a signed document (TK018); only propagation refreshes its band and exemption boxes; VOLATILE because it guards writes';

REVOKE ALL ON FUNCTION fse.prescription_before_update() FROM PUBLIC;
