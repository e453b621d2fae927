-- The group roles the extension grants to (NOLOGIN; a DBA grants them to
-- real users).  Roles belong to the cluster, not to a database: a second
-- database that installs the extension finds them and uses them, and DROP
-- EXTENSION leaves them.  A role of one of these names that can log in, is
-- a superuser or bypasses row-level security is not one of these: the
-- installation stops rather than hand it the grants (42710).
DO $roles$
DECLARE
    wanted constant text[][] := ARRAY[
        ['ticket_rules_admin', 'ticket: administers the rules (regimes, bands, exemption rules, services, NRE regions, priorities)'],
        ['ticket_registry_operator', 'ticket: regional registry operator (citizens, households, guardians, declarations, exemptions)'],
        ['ticket_cup_operator', 'ticket: CUP operator; each member is bound to one ASL in ticket.role_binding'],
        ['ticket_gp', 'ticket: GP or paediatrician; each member is bound to one GP code in ticket.role_binding'],
        ['ticket_fse_portal', 'ticket: the FSE portal, which reaches a citizen''s data only through the fse.portal_* functions'],
        ['ticket_auditor', 'ticket: reads the audit log (ticket.audit_log)'],
        ['ticket_pgaudit', 'ticket: pgaudit''s object-audit role (pgaudit.role); granted to nobody'],
        ['ticket_library', 'ticket: uses the types, the fiscal-code functions and the pricing engine (no health data); granted to the other shipped roles'],
        ['ticket_event_consumer', 'ticket: GP software or a CUP integration reading the outbox (ticket.events_after); each member is bound to one ASL or one GP code in ticket.role_binding']];
    i integer;
    existing pg_catalog.pg_roles;
BEGIN
    FOR i IN 1 .. pg_catalog.array_length(wanted, 1) LOOP
        SELECT * INTO existing FROM pg_catalog.pg_roles r WHERE r.rolname = wanted[i][1];
        IF NOT FOUND THEN
            EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', wanted[i][1]);
            EXECUTE pg_catalog.format('COMMENT ON ROLE %I IS %L', wanted[i][1], wanted[i][2]);
        ELSIF existing.rolcanlogin OR existing.rolsuper OR existing.rolbypassrls THEN
            RAISE EXCEPTION 'role % exists and can log in, is a superuser or bypasses row-level security', wanted[i][1]
                USING ERRCODE = 'duplicate_object',
                      HINT = 'The extension grants privileges to this group role: drop or rename the existing role first.';
        END IF;
    END LOOP;
END;
$roles$;

GRANT ticket_library TO ticket_rules_admin, ticket_registry_operator, ticket_cup_operator, ticket_gp,
    ticket_fse_portal, ticket_event_consumer;
