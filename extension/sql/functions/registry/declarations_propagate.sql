CREATE FUNCTION registry.declarations_propagate() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{registry.declaration}',
                                   '{"AFTER STATEMENT INSERT"}');
    -- The cause's events first, then its consequences' (from propagate).
    INSERT INTO ticket.event (kind, subject, fiscal_code, payload)
    SELECT 'declaration', n.declaration_id::text, n.fiscal_code,
           jsonb_build_object('band', n.band::text, 'applies_from', n.applies_from,
                              'declarant', n.declarant::text, 'channel', n.channel)
      FROM new_declarations n ORDER BY n.declaration_id;
    INSERT INTO fse.event (fiscal_code, kind, detail)
    SELECT n.fiscal_code, 'declaration',
           jsonb_build_object('declaration_id', n.declaration_id, 'band', n.band::text,
                              'applies_from', n.applies_from, 'channel', n.channel)
      FROM new_declarations n ORDER BY n.declaration_id;
    PERFORM registry.propagate(array_agg(n.fiscal_code), array_agg(n.applies_from),
                               array_agg(ticket.local_day(n.signed_at)), 'declaration')
       FROM new_declarations n;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION registry.declarations_propagate() IS 'trigger: new declarations reach the FSE, the prescriptions and the bookings; FSE events and outbox events; VOLATILE because it writes';

REVOKE ALL ON FUNCTION registry.declarations_propagate() FROM PUBLIC;
