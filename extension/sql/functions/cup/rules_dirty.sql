CREATE FUNCTION cup.rules_dirty() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{ticket.exemption_rule,ticket.exemption_scope,ticket.regime,
                                     ticket.regime_band,ticket.service}',
                                   '{"BEFORE ROW INSERT","BEFORE ROW UPDATE","BEFORE ROW DELETE"}');
    PERFORM set_config('ticket.reprice_pending', 'on', true);
    RETURN coalesce(NEW, OLD);
END;
$$;

COMMENT ON FUNCTION cup.rules_dirty() IS 'trigger: notes that the rules changed since the bookings were last re-priced in this transaction; VOLATILE because it changes a setting';

REVOKE ALL ON FUNCTION cup.rules_dirty() FROM PUBLIC;
