CREATE FUNCTION ticket.become_asl_node(asl_code text) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    t regclass;
BEGIN
    PERFORM ticket.refuse_long_text('ticket.become_asl_node', 'asl_code', asl_code, 16);
    IF NOT EXISTS (SELECT 1 FROM registry.asl a WHERE a.asl_code = become_asl_node.asl_code) THEN
        PERFORM ticket.raise_error('23503', 'ASL % is not in registry.asl', ARRAY[coalesce(asl_code, 'NULL')]);
    END IF;
    INSERT INTO ticket.node (role, asl_code) VALUES ('asl', asl_code)
        ON CONFLICT (singleton) DO UPDATE SET role = 'asl', asl_code = excluded.asl_code, since = now();
    FOREACH t IN ARRAY ARRAY['registry.declaration', 'registry.exemption_grant', 'registry.citizen']::regclass[] LOOP
        EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER replica_queue, ENABLE ALWAYS TRIGGER replica_queue_update,'
                       ' ENABLE ALWAYS TRIGGER replica_apply', t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['ticket.regime', 'ticket.regime_band', 'ticket.exemption_rule',
                             'ticket.exemption_scope', 'ticket.service',
                             'ticket.exemption_catalogue']::regclass[] LOOP
        EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER replica_queue, ENABLE ALWAYS TRIGGER replica_apply,'
                       ' ENABLE ALWAYS TRIGGER rules_replicated', t);
    END LOOP;
    EXECUTE 'ALTER TABLE ticket.nre_region ENABLE ALWAYS TRIGGER rules_replicated';
    EXECUTE 'ALTER TABLE ticket.priority_class ENABLE ALWAYS TRIGGER rules_replicated';
END;
$$;

COMMENT ON FUNCTION ticket.become_asl_node(asl_code text) IS 'makes this database the CUP node of an ASL: records it in ticket.node and enables ALWAYS the row triggers that re-price its bookings when replicated changes arrive (run it before CREATE SUBSCRIPTION, and again after a restore); VOLATILE because it changes the database';

REVOKE ALL ON FUNCTION ticket.become_asl_node(asl_code text) FROM PUBLIC;
