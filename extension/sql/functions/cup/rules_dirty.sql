CREATE FUNCTION cup.rules_dirty() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{ticket.exemption_rule,ticket.exemption_scope,ticket.regime,
                                     ticket.regime_band,ticket.service,ticket.exemption_catalogue}',
                                   '{"BEFORE ROW INSERT","BEFORE ROW UPDATE","BEFORE ROW DELETE"}');
    -- A draft regime prices no booking: its own rows change no bill (the
    -- regime's row, before and after, and its bands and exemption rules).
    IF TG_TABLE_NAME = 'regime' THEN
        IF coalesce(to_jsonb(OLD) ->> 'status', 'draft') = 'draft'
           AND coalesce(to_jsonb(NEW) ->> 'status', 'draft') = 'draft' THEN
            RETURN coalesce(NEW, OLD);
        END IF;
    ELSIF TG_TABLE_NAME IN ('regime_band', 'exemption_rule') THEN
        IF (SELECT count(*) FROM ticket.regime r
             WHERE r.regime_id IN (to_jsonb(OLD) ->> 'regime_id', to_jsonb(NEW) ->> 'regime_id')
               AND r.status = 'draft')
           = (SELECT count(DISTINCT i) FROM unnest(ARRAY[to_jsonb(OLD) ->> 'regime_id',
                                                        to_jsonb(NEW) ->> 'regime_id']) AS i
               WHERE i IS NOT NULL) THEN
            RETURN coalesce(NEW, OLD);
        END IF;
    END IF;
    PERFORM set_config('ticket.reprice_pending', 'on', true);
    RETURN coalesce(NEW, OLD);
END;
$$;

COMMENT ON FUNCTION cup.rules_dirty() IS 'trigger: notes that the rules changed since the bookings were last re-priced in this transaction (not for the rows of a draft regime, which price no booking); VOLATILE because it changes a setting';

REVOKE ALL ON FUNCTION cup.rules_dirty() FROM PUBLIC;
