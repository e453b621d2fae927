CREATE FUNCTION registry.citizen_deaths() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    was_internal boolean := ticket.internal_write(true);
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{registry.citizen}',
                                   '{"AFTER ROW UPDATE"}');
    UPDATE cup.booking b
       SET status = 'cancelled', cancelled_at = now(), cancel_reason = 'death of the patient'
     WHERE b.fiscal_code = NEW.fiscal_code
       AND b.status = 'booked' AND b.service_date >= NEW.death_date;
    was_internal := ticket.internal_write(was_internal);
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION registry.citizen_deaths() IS 'trigger: cancels the unpaid bookings of citizens on or after their recorded death; VOLATILE because it writes';

REVOKE ALL ON FUNCTION registry.citizen_deaths() FROM PUBLIC;
