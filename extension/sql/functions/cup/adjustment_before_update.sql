CREATE FUNCTION cup.adjustment_before_update() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{cup.adjustment}',
                                   '{"BEFORE ROW UPDATE","BEFORE ROW DELETE"}');
    IF TG_OP = 'UPDATE' AND OLD.settled_at IS NULL
       AND (NEW.adjustment_id, NEW.booking_id, NEW.amount, NEW.reason, NEW.created_at)
           IS NOT DISTINCT FROM (OLD.adjustment_id, OLD.booking_id, OLD.amount, OLD.reason, OLD.created_at) THEN
        RETURN NEW;
    END IF;
    PERFORM ticket.raise_error('TK018', 'adjustment % is history: only settling it once is allowed',
                               ARRAY[OLD.adjustment_id::text], hint => 'Settle it with cup.settle_adjustment.');
END;
$$;

COMMENT ON FUNCTION cup.adjustment_before_update() IS 'trigger: an adjustment is settled once and otherwise never changes (TK018); VOLATILE because it guards writes';

REVOKE ALL ON FUNCTION cup.adjustment_before_update() FROM PUBLIC;
