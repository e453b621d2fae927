CREATE FUNCTION cup.booking_refuse_delete() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{cup.booking}',
                                   '{"BEFORE ROW DELETE"}');
    PERFORM ticket.raise_error('TK018', 'booking % is history: it cannot be deleted', ARRAY[OLD.booking_id::text],
        hint => 'Cancel it with cup.cancel.');
END;
$$;

COMMENT ON FUNCTION cup.booking_refuse_delete() IS 'trigger: bookings are cancelled, never deleted (TK018); VOLATILE because it guards writes';

REVOKE ALL ON FUNCTION cup.booking_refuse_delete() FROM PUBLIC;
