CREATE FUNCTION ticket.create_asl_publication(asl_code text) RETURNS name
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    publication name := ('ticket_asl_' || asl_code)::name;
BEGIN
    PERFORM ticket.refuse_long_text('ticket.create_asl_publication', 'asl_code', asl_code, 16);
    IF NOT EXISTS (SELECT 1 FROM registry.asl a WHERE a.asl_code = create_asl_publication.asl_code) THEN
        PERFORM ticket.raise_error('23503', 'ASL % is not in registry.asl', ARRAY[coalesce(asl_code, 'NULL')]);
    END IF;
    IF ticket.node_role() <> 'region' THEN
        PERFORM ticket.raise_error('55000', 'this database is an ASL node: publications are made at the region');
    END IF;
    EXECUTE format(
        'CREATE PUBLICATION %I FOR TABLE'
        ' registry.citizen WHERE (residence_asl = %L),'
        ' registry.declaration, registry.exemption_grant, fse.prescription, registry.gp,'
        ' registry.asl WHERE (NOT shipped),'
        ' ticket.regime WHERE (NOT shipped), ticket.regime_band WHERE (NOT shipped),'
        ' ticket.exemption_rule WHERE (NOT shipped), ticket.exemption_scope WHERE (NOT shipped),'
        ' ticket.service WHERE (NOT shipped), ticket.nre_region WHERE (NOT shipped),'
        ' ticket.priority_class WHERE (NOT shipped),'
        ' ticket.public_holiday WHERE (NOT shipped), ticket.missed_appointment_rule WHERE (NOT shipped),'
        ' ticket.exemption_catalogue WHERE (NOT shipped)'
        ' WITH (publish = ''insert, update, delete'')',
        publication, asl_code);
    RETURN publication;
END;
$$;

COMMENT ON FUNCTION ticket.create_asl_publication(asl_code text) IS 'at the region: creates the publication ticket_asl_<code> an ASL node subscribes to (its residents, every declaration, grant and prescription, the GPs, the rules, holidays and exemption codes the region added) and returns its name; VOLATILE because it creates an object';

REVOKE ALL ON FUNCTION ticket.create_asl_publication(asl_code text) FROM PUBLIC;
