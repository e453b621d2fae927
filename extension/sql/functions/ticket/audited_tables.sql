CREATE FUNCTION ticket.audited_tables() RETURNS regclass[]
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
    SELECT '{cup.adjustment, cup.booking, fse.prescription, registry.asl, registry.citizen, registry.declaration,
             registry.exemption_grant, registry.gp, registry.guardian, registry.household,
             registry.household_member, ticket.exemption_catalogue, ticket.exemption_rule, ticket.exemption_scope,
             ticket.missed_appointment_rule, ticket.nre_region, ticket.priority_class, ticket.public_holiday, ticket.regime,
             ticket.regime_band, ticket.role_binding,
             ticket.service}'::regclass[]
$$;

COMMENT ON FUNCTION ticket.audited_tables() IS 'the tables whose writes the audit triggers record: the contract of ticket.audit_insert, audit_update and audit_delete; internal';

REVOKE ALL ON FUNCTION ticket.audited_tables() FROM PUBLIC;
