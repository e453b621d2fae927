CREATE FUNCTION registry.grants_propagate() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    kind text := CASE TG_OP WHEN 'INSERT' THEN 'exemption_granted' ELSE 'exemption_revoked' END;
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{registry.exemption_grant}',
                                   '{"AFTER STATEMENT INSERT","AFTER STATEMENT UPDATE"}');
    -- The cause's events first, then its consequences' (from propagate).
    INSERT INTO ticket.event (kind, subject, fiscal_code, payload)
    SELECT kind, n.grant_id::text, n.fiscal_code,
           jsonb_build_object('exemption', n.exemption::text, 'valid', n.valid::text,
                              'effective', n.effective::text, 'source', n.source)
      FROM new_grants n ORDER BY n.grant_id;
    INSERT INTO fse.event (fiscal_code, kind, detail)
    SELECT n.fiscal_code, kind,
           jsonb_build_object('grant_id', n.grant_id, 'exemption', n.exemption::text,
                              'valid', n.valid::text, 'effective', n.effective::text,
                              'source', n.source, 'revocation_reason', n.revocation_reason)
      FROM new_grants n ORDER BY n.grant_id;
    IF TG_OP = 'INSERT' THEN
        PERFORM registry.propagate(array_agg(n.fiscal_code), array_agg(lower(n.valid)),
                                   array_agg(ticket.local_day(n.granted_at)), kind)
           FROM new_grants n;
    ELSE
        PERFORM registry.propagate(array_agg(n.fiscal_code), array_agg(n.revoked_on),
                                   array_agg(ticket.local_day(n.revoked_at)), kind)
           FROM new_grants n;
    END IF;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION registry.grants_propagate() IS 'trigger: exemption grants and revocations reach the FSE, the prescriptions and the bookings; FSE events and outbox events; VOLATILE because it writes';

REVOKE ALL ON FUNCTION registry.grants_propagate() FROM PUBLIC;
