/* extension/scripts/ticket--0.5--1.0.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION ticket UPDATE TO '1.0'" to load this file. \quit

--------------------------------------------------------------------------
-- 1.0: least privilege per role and ASL, and an audit log.
--
-- Who may do what (the manual's "Roles and row-level security"):
--   * group roles shipped with the extension (NOLOGIN; a DBA grants them to
--     real users): ticket_rules_admin, ticket_registry_operator,
--     ticket_cup_operator, ticket_gp, ticket_fse_portal, ticket_auditor, and
--     ticket_pgaudit (pgaudit's object-audit role, granted to nobody);
--   * ticket.role_binding binds a CUP operator's role to one ASL and a GP's
--     role to one GP code;
--   * the tables are closed: nothing is granted to PUBLIC; each role gets
--     SELECT on what it may see, filtered by row-level security (FORCEd), and
--     writes through the API functions;
--   * the API functions and every trigger run as the extension's owner
--     (SECURITY DEFINER, search_path pinned with pg_temp last) so that the
--     propagation reads and writes every table it keeps consistent; the owner
--     (a superuser: CREATE EXTENSION needs one) bypasses row-level security,
--     so each entry point checks the role it acts for, ticket.acting_role()
--     (the session's role, which no SECURITY DEFINER function changes), with
--     the same rules the policies state;
--   * superusers are never restricted (the DBA, the batch jobs, the tests'
--     own set-up).
--------------------------------------------------------------------------

--------------------------------------------------------------------------
-- Who is acting (access.c)
--------------------------------------------------------------------------

CREATE FUNCTION ticket.acting_role()
RETURNS name
AS 'MODULE_PATHNAME', 'ticket_acting_role'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION ticket.acting_role() IS
'the role the session acts as (session user, or the role of SET ROLE), also inside SECURITY DEFINER functions, where current_user is their owner';

CREATE FUNCTION ticket.acting_superuser()
RETURNS boolean
AS 'MODULE_PATHNAME', 'ticket_acting_superuser'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION ticket.acting_superuser() IS
'whether ticket.acting_role() is a superuser: the one kind of role no check of the extension restricts';

--------------------------------------------------------------------------
-- The roles.  Roles belong to the cluster, not to a database: a second
-- database that installs the extension finds them and uses them, and
-- DROP EXTENSION leaves them (the manual says how to drop them).  A role of
-- the same name that can log in, is a superuser or bypasses row-level
-- security is not one of these: the installation stops rather than hand
-- it the grants below.
--------------------------------------------------------------------------

DO $roles$
DECLARE
    wanted constant text[][] := ARRAY[
        ['ticket_rules_admin', 'ticket: administers the rules (regimes, bands, exemption rules, services, NRE regions, priorities)'],
        ['ticket_registry_operator', 'ticket: regional registry operator (citizens, households, guardians, declarations, exemptions)'],
        ['ticket_cup_operator', 'ticket: CUP operator; each member is bound to one ASL in ticket.role_binding'],
        ['ticket_gp', 'ticket: GP or paediatrician; each member is bound to one GP code in ticket.role_binding'],
        ['ticket_fse_portal', 'ticket: the FSE portal, which reaches a citizen''s data only through the fse.portal_* functions'],
        ['ticket_auditor', 'ticket: reads the audit log (ticket.audit_log)'],
        ['ticket_pgaudit', 'ticket: pgaudit''s object-audit role (pgaudit.role); granted to nobody']];
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

--------------------------------------------------------------------------
-- Role bindings
--------------------------------------------------------------------------

-- By name, not by OID: a dump restores into a cluster whose roles have other
-- OIDs, or do not exist yet (a binding of a missing role binds nobody).
CREATE TABLE ticket.role_binding (
    role_name  name PRIMARY KEY,
    asl_code   text REFERENCES registry.asl,
    gp_code    text REFERENCES registry.gp,
    bound_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT role_binding_one_scope CHECK (num_nonnulls(asl_code, gp_code) = 1)
);
COMMENT ON TABLE ticket.role_binding IS
'what a CUP operator''s or GP''s role acts for: one ASL (its bookings) or one GP code (its patients); written by the DBA';
COMMENT ON COLUMN ticket.role_binding.role_name IS 'the login role (or a group role the policies see as current_user)';
COMMENT ON COLUMN ticket.role_binding.asl_code IS 'for a member of ticket_cup_operator: the ASL whose bookings it sees and changes';
COMMENT ON COLUMN ticket.role_binding.bound_at IS 'when the binding was written';
COMMENT ON COLUMN ticket.role_binding.gp_code IS 'for a member of ticket_gp: the GP whose patients it sees and prescribes for';
SELECT pg_catalog.pg_extension_config_dump('ticket.role_binding', '');

CREATE FUNCTION ticket.bound_asl(role_name name)
RETURNS text
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    asl text;
BEGIN
    SELECT b.asl_code INTO asl FROM ticket.role_binding b WHERE b.role_name = bound_asl.role_name;
    RETURN asl;
END;
$$;
COMMENT ON FUNCTION ticket.bound_asl(name) IS
'the ASL a role is bound to (ticket.role_binding), or NULL; what the row-level security of CUP bookings compares with';

CREATE FUNCTION ticket.bound_gp(role_name name)
RETURNS text
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    gp text;
BEGIN
    SELECT b.gp_code INTO gp FROM ticket.role_binding b WHERE b.role_name = bound_gp.role_name;
    RETURN gp;
END;
$$;
COMMENT ON FUNCTION ticket.bound_gp(name) IS
'the GP code a role is bound to (ticket.role_binding), or NULL; what the row-level security of a GP''s patients compares with';

--------------------------------------------------------------------------
-- The checks of the entry points (the same rules as the policies below)
--------------------------------------------------------------------------

-- The ASL the acting role handles bookings for: NULL for a superuser (every
-- ASL); an error for a role bound to none.
CREATE FUNCTION cup.acting_asl()
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    acting name;
    asl text;
BEGIN
    IF ticket.acting_superuser() THEN
        RETURN NULL;
    END IF;
    acting := ticket.acting_role();
    asl := ticket.bound_asl(acting);
    IF asl IS NULL THEN
        PERFORM ticket.raise_error('42501', 'role % is not bound to an ASL: it may not book or handle bookings',
                                   ARRAY[acting::text],
                                   hint => 'A DBA binds a CUP operator to the ASL it works for: INSERT INTO ticket.role_binding (role_name, asl_code).');
    END IF;
    RETURN asl;
END;
$$;
COMMENT ON FUNCTION cup.acting_asl() IS
'the ASL whose bookings the acting role handles (ticket.role_binding); NULL for a superuser; 42501 for a role bound to no ASL';

-- Whether the acting role may see a citizen's data: registry and CUP
-- operators see every citizen (the desk serves whoever comes), a GP their
-- patients; a superuser everyone.
CREATE FUNCTION registry.check_may_see(citizen ticket.fiscal_code)
RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    acting name;
    gp text;
BEGIN
    IF ticket.acting_superuser() THEN
        RETURN;
    END IF;
    acting := ticket.acting_role();
    IF pg_has_role(acting, 'ticket_registry_operator', 'USAGE')
       OR (pg_has_role(acting, 'ticket_cup_operator', 'USAGE') AND ticket.bound_asl(acting) IS NOT NULL) THEN
        RETURN;
    END IF;
    gp := ticket.bound_gp(acting);
    IF gp IS NOT NULL AND pg_has_role(acting, 'ticket_gp', 'USAGE')
       AND EXISTS (SELECT 1 FROM registry.citizen c WHERE c.fiscal_code = citizen AND c.gp_code = gp) THEN
        RETURN;
    END IF;
    PERFORM ticket.raise_error('42501', 'role % may not see citizen %', ARRAY[acting::text, citizen::text],
                               detail => 'Registry and CUP operators see every citizen, a GP their own patients.');
END;
$$;
COMMENT ON FUNCTION registry.check_may_see(ticket.fiscal_code) IS
'refuses (42501) unless the acting role may see the citizen: a registry or CUP operator, the citizen''s GP, a superuser';

-- Who may record a self-certification, and through which channel: the
-- citizen on the FSE portal (fse_online, through fse.portal_self_certify);
-- the Revenue Agency's attribution (revenue_agency) loaded by a registry
-- operator; otherwise a form signed in front of an operator, recorded by
-- that operator (operator = the acting role, filled in when omitted): a
-- registry operator for any desk, a CUP operator for the CUP desk and the
-- call centre, a GP in the surgery for a patient.  Whether the declarant may
-- declare for the citizen (themselves, a parent, a guardian) is
-- registry.declaration_before_insert's check (TK011), which runs next.
CREATE FUNCTION registry.declaration_authorised()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    acting name := ticket.acting_role();
    gp text;
BEGIN
    IF NEW.channel = 'fse_online' THEN
        IF pg_has_role(acting, 'ticket_fse_portal', 'USAGE') THEN
            RETURN NEW;
        END IF;
    ELSIF NEW.channel = 'revenue_agency' THEN
        IF pg_has_role(acting, 'ticket_registry_operator', 'USAGE') THEN
            RETURN NEW;
        END IF;
    ELSE
        NEW.operator := coalesce(NEW.operator, acting::text);
        IF NEW.operator <> acting::text THEN
            PERFORM ticket.raise_error('42501', 'role % may not record a self-certification taken by operator %',
                                       ARRAY[acting::text, NEW.operator],
                                       detail => 'An operator records the forms signed in front of them: operator is the acting role.');
        END IF;
        IF NEW.signed_at > now() THEN
            PERFORM ticket.raise_error('22023', 'a self-certification cannot be signed in the future (%)',
                                       ARRAY[NEW.signed_at::text]);
        END IF;
        IF pg_has_role(acting, 'ticket_registry_operator', 'USAGE') THEN
            RETURN NEW;
        END IF;
        IF NEW.channel IN ('cup_desk', 'call_centre') AND pg_has_role(acting, 'ticket_cup_operator', 'USAGE')
           AND ticket.bound_asl(acting) IS NOT NULL THEN
            RETURN NEW;
        END IF;
        IF NEW.channel = 'gp' AND pg_has_role(acting, 'ticket_gp', 'USAGE') THEN
            gp := ticket.bound_gp(acting);
            IF gp IS NOT NULL AND NOT EXISTS (SELECT 1 FROM registry.citizen c
                                               WHERE c.fiscal_code = NEW.fiscal_code AND c.gp_code = gp) THEN
                PERFORM ticket.raise_error('42501', 'citizen % is not a patient of GP %',
                                           ARRAY[NEW.fiscal_code::text, gp]);
            END IF;
            IF gp IS NOT NULL THEN
                RETURN NEW;
            END IF;
        END IF;
    END IF;
    PERFORM ticket.raise_error('42501', 'role % may not record a self-certification through channel %',
                               ARRAY[acting::text, NEW.channel],
                               detail => 'The FSE portal records the online ones (fse_online), a registry operator the Revenue Agency''s (revenue_agency); an operator records a form signed in front of them: a registry operator at any desk, a CUP operator at the CUP desk or call centre, a GP in the surgery (gp).');
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION registry.declaration_authorised() IS
'trigger: whether the acting role may record the self-certification through its channel (42501), the operator being the acting role (filled in when omitted); superusers are not checked (the trigger''s WHEN); VOLATILE because it changes the row';
-- Alphabetically before declaration_before_insert: it runs first.
CREATE TRIGGER declaration_authorised BEFORE INSERT ON registry.declaration
    FOR EACH ROW WHEN (NOT ticket.acting_superuser())
    EXECUTE FUNCTION registry.declaration_authorised();

-- A GP prescribes as themselves, for their patients.
CREATE FUNCTION fse.prescription_authorised()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    acting name := ticket.acting_role();
    gp text := ticket.bound_gp(acting);
BEGIN
    IF gp IS NULL OR NOT pg_has_role(acting, 'ticket_gp', 'USAGE') THEN
        PERFORM ticket.raise_error('42501', 'role % is not bound to a GP: it may not prescribe', ARRAY[acting::text],
                                   hint => 'A DBA binds a GP''s role to the GP: INSERT INTO ticket.role_binding (role_name, gp_code).');
    END IF;
    IF NEW.gp_code IS DISTINCT FROM gp THEN
        PERFORM ticket.raise_error('42501', 'role % acts for GP %, not for GP %', ARRAY[acting::text, gp, NEW.gp_code]);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM registry.citizen c WHERE c.fiscal_code = NEW.fiscal_code AND c.gp_code = gp) THEN
        PERFORM ticket.raise_error('42501', 'citizen % is not a patient of GP %', ARRAY[NEW.fiscal_code::text, gp]);
    END IF;
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION fse.prescription_authorised() IS
'trigger: a GP''s role prescribes as its GP (ticket.role_binding) for that GP''s patients (42501); superusers are not checked (the trigger''s WHEN); VOLATILE because it raises for the row being written';
CREATE TRIGGER prescription_authorised BEFORE INSERT ON fse.prescription
    FOR EACH ROW WHEN (NOT ticket.acting_superuser())
    EXECUTE FUNCTION fse.prescription_authorised();

-- A CUP operator books at their ASL (the default when none is given).
CREATE FUNCTION cup.booking_authorised()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    asl text := cup.acting_asl();
BEGIN
    IF asl IS NOT NULL THEN
        NEW.asl_code := coalesce(NEW.asl_code, asl);
        IF NEW.asl_code <> asl THEN
            PERFORM ticket.raise_error('42501', 'role % books for ASL %, not for ASL %',
                                       ARRAY[ticket.acting_role()::text, asl, NEW.asl_code]);
        END IF;
    END IF;
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION cup.booking_authorised() IS
'trigger: a CUP operator books at the ASL its role is bound to, the default when none is given (42501 otherwise); superusers are not checked (the trigger''s WHEN); VOLATILE because it changes the row';
CREATE TRIGGER booking_authorised BEFORE INSERT ON cup.booking
    FOR EACH ROW WHEN (NOT ticket.acting_superuser())
    EXECUTE FUNCTION cup.booking_authorised();

-- cup.move, cup.pay, cup.cancel and cup.complete find the booking here: one
-- of another ASL is refused before anything is locked.
DROP FUNCTION cup.locked_booking(bigint, text);
CREATE FUNCTION cup.locked_booking(booking bigint, what text)
RETURNS cup.booking
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    found_booking cup.booking;
    asl text := cup.acting_asl();
BEGIN
    SELECT * INTO found_booking FROM cup.booking b WHERE b.booking_id = booking;
    IF NOT FOUND THEN
        PERFORM ticket.raise_error('P0002', 'booking % does not exist', ARRAY[booking::text]);
    END IF;
    IF found_booking.asl_code <> asl THEN
        PERFORM ticket.raise_error('42501', 'booking % is not a booking of ASL %', ARRAY[booking::text, asl]);
    END IF;
    PERFORM registry.lock_citizen(found_booking.fiscal_code, '-infinity', what);
    SELECT * INTO found_booking FROM cup.booking b WHERE b.booking_id = booking FOR UPDATE;
    RETURN found_booking;
END;
$$;
COMMENT ON FUNCTION cup.locked_booking(bigint, text) IS
'a booking of the acting role''s ASL (42501 for another''s), locked after its patient (the lock order of every write about a citizen); VOLATILE because it writes';

DROP FUNCTION cup.settle_adjustment(bigint);
CREATE FUNCTION cup.settle_adjustment(adjustment bigint)
RETURNS cup.adjustment
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    asl text := cup.acting_asl();
    settled cup.adjustment;
BEGIN
    IF asl IS NOT NULL AND EXISTS (SELECT 1 FROM cup.adjustment a JOIN cup.booking b USING (booking_id)
                                    WHERE a.adjustment_id = adjustment AND b.asl_code <> asl) THEN
        PERFORM ticket.raise_error('42501', 'adjustment % is not an adjustment of ASL %', ARRAY[adjustment::text, asl]);
    END IF;
    UPDATE cup.adjustment a SET settled_at = now() WHERE a.adjustment_id = adjustment
    RETURNING * INTO settled;
    IF NOT FOUND THEN
        PERFORM ticket.raise_error('P0002', 'adjustment % does not exist', ARRAY[adjustment::text]);
    END IF;
    RETURN settled;
END;
$$;
COMMENT ON FUNCTION cup.settle_adjustment(bigint) IS
'records that a refund was paid out or an amount due was collected, for an adjustment of the acting role''s ASL (42501 otherwise); VOLATILE because it writes';

DROP FUNCTION fse.status(ticket.fiscal_code, date);
CREATE FUNCTION fse.status(citizen ticket.fiscal_code, on_date date DEFAULT CURRENT_DATE,
                           OUT band ticket.income_band, OUT declared_band ticket.income_band,
                           OUT exemptions ticket.exemption[], OUT regime text)
RETURNS record
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    PERFORM registry.check_may_see(citizen);
    PERFORM ticket.audit_read('fse.status', citizen, jsonb_build_object('on_date', on_date));
    SELECT s.declared_band, s.exemptions INTO declared_band, exemptions
      FROM registry.status_on(citizen, on_date) s;
    band := ticket.effective_band(declared_band, on_date);
    regime := ticket.regime_for(on_date);
END;
$$;
COMMENT ON FUNCTION fse.status(ticket.fiscal_code, date) IS
'what the GP and the CUP desk see for a citizen on a date: the band the regime charges, the declared band, the exemptions, the regime (42501 for a citizen the acting role may not see); VOLATILE because it records the read in ticket.audit_log';

--------------------------------------------------------------------------
-- The FSE portal: a citizen's own data, through functions only.  The portal
-- authenticates the citizen (SPID, CIE) and passes who logged in as
-- `authenticated'; each function answers for that person, or for a minor
-- they may declare for (a parent in the household, a guardian), and
-- refuses anyone else (42501).  No function lists citizens.
--------------------------------------------------------------------------

CREATE FUNCTION fse.portal_check(authenticated ticket.fiscal_code, citizen ticket.fiscal_code)
RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    IF authenticated IS NULL OR citizen IS NULL
       OR NOT registry.may_declare_for(authenticated, citizen, ticket.local_day(now())) THEN
        PERFORM ticket.raise_error('42501', '% may not see the FSE of %',
                                   ARRAY[coalesce(authenticated::text, 'NULL'), coalesce(citizen::text, 'NULL')],
                                   detail => 'Through the portal a citizen sees their own data, and a parent or guardian a minor''s.');
    END IF;
END;
$$;
COMMENT ON FUNCTION fse.portal_check(ticket.fiscal_code, ticket.fiscal_code) IS
'refuses (42501) unless the authenticated person is the citizen, or a parent or guardian of the minor citizen today';

CREATE FUNCTION fse.portal_status(authenticated ticket.fiscal_code, citizen ticket.fiscal_code,
                                  on_date date DEFAULT CURRENT_DATE,
                                  OUT band ticket.income_band, OUT declared_band ticket.income_band,
                                  OUT exemptions ticket.exemption[], OUT regime text)
RETURNS record
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    PERFORM fse.portal_check(authenticated, citizen);
    PERFORM ticket.audit_read('fse.portal_status', citizen, jsonb_build_object('authenticated', authenticated, 'on_date', on_date));
    SELECT s.declared_band, s.exemptions INTO declared_band, exemptions
      FROM registry.status_on(citizen, on_date) s;
    band := ticket.effective_band(declared_band, on_date);
    regime := ticket.regime_for(on_date);
END;
$$;
COMMENT ON FUNCTION fse.portal_status(ticket.fiscal_code, ticket.fiscal_code, date) IS
'the portal: a citizen''s ticket status on a date (as fse.status), for the authenticated person (fse.portal_check); VOLATILE because it records the read';

CREATE FUNCTION fse.portal_events(authenticated ticket.fiscal_code, citizen ticket.fiscal_code,
                                  after_id bigint DEFAULT 0, max_events integer DEFAULT 100)
RETURNS SETOF fse.event
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    PERFORM fse.portal_check(authenticated, citizen);
    PERFORM ticket.audit_read('fse.portal_events', citizen, jsonb_build_object('authenticated', authenticated, 'after_id', after_id));
    RETURN QUERY
        SELECT e.* FROM fse.event e
         WHERE e.fiscal_code = citizen AND e.event_id > after_id
         ORDER BY e.event_id
         LIMIT greatest(max_events, 0);
END;
$$;
COMMENT ON FUNCTION fse.portal_events(ticket.fiscal_code, ticket.fiscal_code, bigint, integer) IS
'the portal: a citizen''s FSE log after an event id (at most max_events), for the authenticated person (fse.portal_check); VOLATILE because it records the read';

CREATE FUNCTION fse.portal_prescriptions(authenticated ticket.fiscal_code, citizen ticket.fiscal_code)
RETURNS SETOF fse.prescription
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    PERFORM fse.portal_check(authenticated, citizen);
    PERFORM ticket.audit_read('fse.portal_prescriptions', citizen, jsonb_build_object('authenticated', authenticated));
    RETURN QUERY
        SELECT p.* FROM fse.prescription p WHERE p.fiscal_code = citizen ORDER BY p.prescribed_on, p.nre;
END;
$$;
COMMENT ON FUNCTION fse.portal_prescriptions(ticket.fiscal_code, ticket.fiscal_code) IS
'the portal: a citizen''s electronic prescriptions with their band and exemption boxes, for the authenticated person (fse.portal_check); VOLATILE because it records the read';

CREATE FUNCTION fse.portal_self_certify(authenticated ticket.fiscal_code, citizen ticket.fiscal_code,
                                        band ticket.income_band, applies_from date DEFAULT CURRENT_DATE,
                                        income_year integer DEFAULT NULL)
RETURNS registry.declaration
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    declared registry.declaration;
BEGIN
    PERFORM fse.portal_check(authenticated, citizen);
    INSERT INTO registry.declaration (fiscal_code, band, declarant, channel, operator, signed_at,
                                      applies_from, income_year)
    VALUES (citizen, band, authenticated, 'fse_online', NULL, now(), applies_from, income_year)
    RETURNING * INTO declared;
    RETURN declared;
END;
$$;
COMMENT ON FUNCTION fse.portal_self_certify(ticket.fiscal_code, ticket.fiscal_code, ticket.income_band, date, integer) IS
'the portal: the authenticated person self-certifies the band of the citizen (themselves, or a minor they may declare for), signed now, channel fse_online; VOLATILE because it writes';

--------------------------------------------------------------------------
-- The audit log: every change to declarations, exemption grants, payments
-- and adjustments, with who (session user, acting role, application,
-- client address), when (transaction start, transaction id), and the row
-- before and after (jsonb).  Statement triggers with transition tables:
-- a batch of a million declarations writes its audit rows in one INSERT.
-- Append-only; ticket.audit_purge removes what is older than the retention
-- (24 months at least: the Garante's guidelines on the health dossier ask
-- that access and change logs be kept that long).
--------------------------------------------------------------------------

CREATE SEQUENCE ticket.audit_log_id_seq;
CREATE TABLE ticket.audit_log (
    audit_id          bigint PRIMARY KEY DEFAULT nextval('ticket.audit_log_id_seq'),
    recorded_at       timestamptz NOT NULL DEFAULT now(),
    txid              xid8 NOT NULL DEFAULT pg_catalog.pg_current_xact_id(),
    session_role      name NOT NULL DEFAULT session_user,
    acting_role       name NOT NULL DEFAULT ticket.acting_role(),
    application_name  text NOT NULL DEFAULT pg_catalog.current_setting('application_name'),
    client_addr       inet DEFAULT pg_catalog.inet_client_addr(),
    table_name        text NOT NULL,
    operation         text NOT NULL CHECK (operation IN ('INSERT', 'UPDATE', 'DELETE', 'READ')),
    row_key           text NOT NULL,
    old_row           jsonb,
    new_row           jsonb,
    CHECK ((old_row IS NULL) = (operation IN ('INSERT', 'READ'))),
    CHECK ((new_row IS NULL) = (operation = 'DELETE'))
);
ALTER SEQUENCE ticket.audit_log_id_seq OWNED BY ticket.audit_log.audit_id;
COMMENT ON TABLE ticket.audit_log IS
'who changed which declaration, exemption grant, payment or adjustment, when, from what to what; append-only, kept 24 months at least (ticket.audit_purge)';
COMMENT ON COLUMN ticket.audit_log.audit_id IS 'the order rows were recorded in';
COMMENT ON COLUMN ticket.audit_log.operation IS 'INSERT, UPDATE or DELETE of a row; READ: a citizen''s data read through fse.status or a portal function';
COMMENT ON COLUMN ticket.audit_log.recorded_at IS 'when the changing transaction started (now())';
COMMENT ON COLUMN ticket.audit_log.txid IS 'the changing transaction';
COMMENT ON COLUMN ticket.audit_log.session_role IS 'session_user: who logged in';
COMMENT ON COLUMN ticket.audit_log.acting_role IS 'the role the session acted as (SET ROLE; ticket.acting_role())';
COMMENT ON COLUMN ticket.audit_log.application_name IS 'the application_name of the session (CUP desk, call centre, GP software, portal, batch)';
COMMENT ON COLUMN ticket.audit_log.client_addr IS 'the client''s address; NULL over a Unix socket';
COMMENT ON COLUMN ticket.audit_log.table_name IS 'the changed table, schema-qualified; for a READ the function that read';
COMMENT ON COLUMN ticket.audit_log.row_key IS 'its primary key: declaration_id, grant_id, booking_id or adjustment_id; for a READ the citizen''s fiscal code';
COMMENT ON COLUMN ticket.audit_log.old_row IS 'the row before (NULL for an INSERT and a READ)';
COMMENT ON COLUMN ticket.audit_log.new_row IS 'the row after (NULL for a DELETE); for a READ what was asked (date, authenticated person)';
COMMENT ON SEQUENCE ticket.audit_log_id_seq IS 'numbers of ticket.audit_log';
CREATE INDEX audit_log_row_idx ON ticket.audit_log (table_name, row_key);
CREATE INDEX audit_log_recorded_idx ON ticket.audit_log USING brin (recorded_at);
SELECT pg_catalog.pg_extension_config_dump('ticket.audit_log', '');
SELECT pg_catalog.pg_extension_config_dump('ticket.audit_log_id_seq', '');

-- Reads of a citizen's data through the functions (fse.status, the portal):
-- pgaudit does not log statements inside SECURITY DEFINER functions, so the
-- functions record the access themselves.
CREATE FUNCTION ticket.audit_read(reader text, citizen ticket.fiscal_code, asked jsonb)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    INSERT INTO ticket.audit_log (table_name, operation, row_key, new_row)
    VALUES (reader, 'READ', citizen::text, asked);
END;
$$;
COMMENT ON FUNCTION ticket.audit_read(text, ticket.fiscal_code, jsonb) IS
'records in ticket.audit_log that a function (reader) read a citizen''s data, and what was asked; VOLATILE because it writes';

-- The trigger argument is the key column; for UPDATE, further arguments
-- name the columns whose change is recorded (none: any change).
CREATE FUNCTION ticket.audit_insert()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    INSERT INTO ticket.audit_log (table_name, operation, row_key, new_row)
    SELECT TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, 'INSERT', n.r ->> TG_ARGV[0], n.r
      FROM (SELECT to_jsonb(x) AS r FROM new_rows x) n;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION ticket.audit_insert() IS
'statement trigger: records the inserted rows (transition table new_rows) in ticket.audit_log, keyed by the column TG_ARGV[0]; VOLATILE because it writes';

CREATE FUNCTION ticket.audit_update()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    watched text[] := TG_ARGV[1:];
BEGIN
    INSERT INTO ticket.audit_log (table_name, operation, row_key, old_row, new_row)
    SELECT TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, 'UPDATE', n.r ->> TG_ARGV[0], o.r, n.r
      FROM (SELECT to_jsonb(x) AS r FROM old_rows x) o
      JOIN (SELECT to_jsonb(x) AS r FROM new_rows x) n ON (n.r -> TG_ARGV[0]) = (o.r -> TG_ARGV[0])
     WHERE CASE WHEN cardinality(watched) = 0 THEN o.r <> n.r
                ELSE EXISTS (SELECT 1 FROM unnest(watched) c WHERE (o.r -> c) IS DISTINCT FROM (n.r -> c)) END;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION ticket.audit_update() IS
'statement trigger: records the updated rows (old_rows, new_rows joined on the key column TG_ARGV[0]) whose watched columns (TG_ARGV[1..]; none: any) changed; VOLATILE because it writes';

CREATE FUNCTION ticket.audit_delete()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    INSERT INTO ticket.audit_log (table_name, operation, row_key, old_row)
    SELECT TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, 'DELETE', o.r ->> TG_ARGV[0], o.r
      FROM (SELECT to_jsonb(x) AS r FROM old_rows x) o;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION ticket.audit_delete() IS
'statement trigger: records the deleted rows (transition table old_rows) in ticket.audit_log, keyed by the column TG_ARGV[0]; VOLATILE because it writes';

CREATE TRIGGER audit_insert AFTER INSERT ON registry.declaration
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_insert('declaration_id');
-- A declaration changes only when the next one closes it (valid_until, the
-- network's own write, one UPDATE per new declaration): the new one's INSERT
-- records that, and a batch of a million does not fire a million statement
-- triggers.  Any other update (by hand, with the guards disabled) is recorded.
CREATE TRIGGER audit_update AFTER UPDATE ON registry.declaration
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT
    WHEN (pg_catalog.current_setting('ticket.internal_write', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION ticket.audit_update('declaration_id');
CREATE TRIGGER audit_delete AFTER DELETE ON registry.declaration
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_delete('declaration_id');

CREATE TRIGGER audit_insert AFTER INSERT ON registry.exemption_grant
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_insert('grant_id');
CREATE TRIGGER audit_update AFTER UPDATE ON registry.exemption_grant
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_update('grant_id');
CREATE TRIGGER audit_delete AFTER DELETE ON registry.exemption_grant
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_delete('grant_id');

-- Payments: the payment columns and the status (paid, cancelled, done); a
-- re-pricing of an unpaid booking is not a payment.
CREATE TRIGGER audit_update AFTER UPDATE ON cup.booking
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_update('booking_id', 'status', 'paid_amount', 'paid_at',
                                                            'payment_channel', 'cancelled_at');
CREATE TRIGGER audit_delete AFTER DELETE ON cup.booking
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_delete('booking_id');

CREATE TRIGGER audit_insert AFTER INSERT ON cup.adjustment
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_insert('adjustment_id');
CREATE TRIGGER audit_update AFTER UPDATE ON cup.adjustment
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_update('adjustment_id');
CREATE TRIGGER audit_delete AFTER DELETE ON cup.adjustment
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_delete('adjustment_id');

CREATE FUNCTION ticket.audit_log_append_only()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    IF TG_OP = 'DELETE' AND ticket.in_internal_write() THEN
        RETURN OLD;
    END IF;
    PERFORM ticket.raise_error('TK018', 'the audit log is append-only',
                               hint => 'Rows older than the retention leave with ticket.audit_purge().');
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION ticket.audit_log_append_only() IS
'trigger: refuses changing, deleting or truncating the audit log (TK018), except ticket.audit_purge''s deletions; VOLATILE because it guards a write';
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON ticket.audit_log
    FOR EACH ROW EXECUTE FUNCTION ticket.audit_log_append_only();
CREATE TRIGGER audit_log_append_only_truncate BEFORE TRUNCATE ON ticket.audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_log_append_only();

CREATE FUNCTION ticket.audit_purge(older_than interval DEFAULT '24 months')
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    was_internal boolean;
    purged bigint;
BEGIN
    IF older_than IS NULL OR now() - older_than > now() - interval '24 months' THEN
        PERFORM ticket.raise_error('22023', 'the audit log is kept 24 months at least: % is shorter',
                                   ARRAY[coalesce(older_than::text, 'NULL')]);
    END IF;
    was_internal := ticket.internal_write(true);
    DELETE FROM ticket.audit_log a WHERE a.recorded_at < now() - older_than;
    GET DIAGNOSTICS purged = ROW_COUNT;
    was_internal := ticket.internal_write(was_internal);
    RETURN purged;
END;
$$;
COMMENT ON FUNCTION ticket.audit_purge(interval) IS
'deletes the audit rows older than older_than (24 months at least: 22023 for less) and returns how many; for the DBA (run it monthly); VOLATILE because it writes';

--------------------------------------------------------------------------
-- Every trigger and every entry point runs as the owner
--------------------------------------------------------------------------

-- The three C triggers that run no SQL get a pinned search_path too: no
-- SECURITY DEFINER function of the extension goes without one.
ALTER FUNCTION ticket.rules_changed() SECURITY DEFINER SET search_path = pg_catalog, ticket, pg_temp;
ALTER FUNCTION ticket.protect_shipped_rows() SECURITY DEFINER SET search_path = pg_catalog, ticket, pg_temp;
ALTER FUNCTION ticket.event_notify() SECURITY DEFINER SET search_path = pg_catalog, ticket, pg_temp;
ALTER FUNCTION registry.citizen_check() SECURITY DEFINER;
ALTER FUNCTION registry.citizen_deaths() SECURITY DEFINER;
ALTER FUNCTION registry.declaration_before_insert() SECURITY DEFINER;
ALTER FUNCTION registry.refuse_history_change() SECURITY DEFINER;
ALTER FUNCTION registry.exemption_grant_before_insert() SECURITY DEFINER;
ALTER FUNCTION registry.declarations_propagate() SECURITY DEFINER;
ALTER FUNCTION registry.grants_propagate() SECURITY DEFINER;
ALTER FUNCTION fse.prescription_before_insert() SECURITY DEFINER;
ALTER FUNCTION fse.prescription_before_update() SECURITY DEFINER;
ALTER FUNCTION cup.booking_before_insert() SECURITY DEFINER;
ALTER FUNCTION cup.booking_before_update() SECURITY DEFINER;
ALTER FUNCTION cup.booking_refuse_delete() SECURITY DEFINER;
ALTER FUNCTION cup.booking_events() SECURITY DEFINER;
ALTER FUNCTION cup.adjustment_events() SECURITY DEFINER;
ALTER FUNCTION cup.adjustment_before_update() SECURITY DEFINER;
ALTER FUNCTION cup.rules_dirty() SECURITY DEFINER;
ALTER FUNCTION cup.reprice_after_rule_change() SECURITY DEFINER;

ALTER FUNCTION registry.self_certify(ticket.fiscal_code, ticket.income_band, text, text, date,
                                     ticket.fiscal_code, integer, timestamptz) SECURITY DEFINER;
ALTER FUNCTION registry.grant_exemption(ticket.fiscal_code, ticket.exemption, date, text, date, timestamptz)
    SECURITY DEFINER;
ALTER FUNCTION registry.revoke_exemption(bigint, date, text, timestamptz) SECURITY DEFINER;
ALTER FUNCTION fse.prescribe(text, ticket.fiscal_code, text, text[], text, date) SECURITY DEFINER;
ALTER FUNCTION cup.book(text, date, text) SECURITY DEFINER;
ALTER FUNCTION cup.move(bigint, date) SECURITY DEFINER;
ALTER FUNCTION cup.pay(bigint, numeric, text, timestamptz) SECURITY DEFINER;
ALTER FUNCTION cup.cancel(bigint, text) SECURITY DEFINER;
ALTER FUNCTION cup.complete(bigint) SECURITY DEFINER;
-- The readers of any citizen's status that ask nobody (ticket.citizen_status,
-- registry.status_on, cup.price_for) stay internal: the triggers and the
-- API call them as the owner; a role asks fse.status, which checks who asks
-- and records the read.
COMMENT ON FUNCTION ticket.citizen_status(ticket.fiscal_code, date) IS
'the band declared for a date and the exemptions in effect that day, read through the indexes on the citizen (C: every prescription and booking asks); internal: roles ask fse.status';
COMMENT ON FUNCTION registry.status_on(ticket.fiscal_code, date) IS
'the band declared for a date (whether its regime charges it: ticket.effective_band) and the exemptions in effect that day; internal: roles ask fse.status';
COMMENT ON FUNCTION cup.price_for(ticket.fiscal_code, text[], date) IS
'the bill of services for a citizen on a service date, with the registry''s band and exemptions of that date; internal (the booking triggers): roles see the price on the booking';

--------------------------------------------------------------------------
-- Privileges.  The schema ticket (types, fiscal-code functions, the rules)
-- is a public library; registry, fse and cup are not.  Functions are
-- executable by PUBLIC when created: the ones that read or write health
-- data, or the network's internal state, are taken back here, and granted
-- to the roles that use them.  sql/catalog.sql lists what PUBLIC keeps.
--------------------------------------------------------------------------

GRANT USAGE ON SCHEMA ticket TO PUBLIC;

REVOKE EXECUTE ON FUNCTION
    ticket.citizen_status(ticket.fiscal_code, date),
    ticket.check_consistency(),
    ticket.events_after(bigint, integer),
    ticket.internal_write(boolean),
    ticket.in_internal_write(),
    ticket.rules_cache_reset(),
    ticket.raise_error(text, text, text[], text, text, text[], text[]),
    ticket.bound_asl(name),
    ticket.bound_gp(name),
    ticket.audit_purge(interval),
    ticket.audit_read(text, ticket.fiscal_code, jsonb),
    registry.status_on(ticket.fiscal_code, date),
    registry.lock_citizen(ticket.fiscal_code, date, text),
    registry.may_declare_for(ticket.fiscal_code, ticket.fiscal_code, date),
    registry.propagate(ticket.fiscal_code[], date[], date[], text),
    registry.check_may_see(ticket.fiscal_code),
    registry.self_certify(ticket.fiscal_code, ticket.income_band, text, text, date, ticket.fiscal_code,
                          integer, timestamptz),
    registry.grant_exemption(ticket.fiscal_code, ticket.exemption, date, text, date, timestamptz),
    registry.revoke_exemption(bigint, date, text, timestamptz),
    fse.status(ticket.fiscal_code, date),
    fse.prescribe(text, ticket.fiscal_code, text, text[], text, date),
    fse.portal_check(ticket.fiscal_code, ticket.fiscal_code),
    fse.portal_status(ticket.fiscal_code, ticket.fiscal_code, date),
    fse.portal_events(ticket.fiscal_code, ticket.fiscal_code, bigint, integer),
    fse.portal_prescriptions(ticket.fiscal_code, ticket.fiscal_code),
    fse.portal_self_certify(ticket.fiscal_code, ticket.fiscal_code, ticket.income_band, date, integer),
    cup.acting_asl(),
    cup.price_for(ticket.fiscal_code, text[], date),
    cup.locked_booking(bigint, text),
    cup.book(text, date, text),
    cup.move(bigint, date),
    cup.pay(bigint, numeric, text, timestamptz),
    cup.cancel(bigint, text),
    cup.complete(bigint),
    cup.settle_adjustment(bigint)
FROM PUBLIC;

-- The rules administrator.
GRANT SELECT, INSERT, UPDATE, DELETE ON ticket.regime, ticket.regime_band, ticket.exemption_rule,
    ticket.exemption_scope, ticket.service, ticket.nre_region, ticket.priority_class
    TO ticket_rules_admin;
GRANT USAGE ON SCHEMA registry TO ticket_rules_admin;
GRANT SELECT, INSERT, UPDATE, DELETE ON registry.asl TO ticket_rules_admin;

-- Registry operators: the registry, and what the FSE shows of it.
GRANT USAGE ON SCHEMA registry, fse TO ticket_registry_operator;
GRANT SELECT ON registry.asl, registry.gp, registry.citizen, registry.household, registry.household_member,
    registry.guardian, registry.declaration, registry.exemption_grant,
    fse.profile, fse.event, fse.prescription
    TO ticket_registry_operator;
GRANT INSERT, UPDATE ON registry.gp, registry.citizen, registry.household, registry.household_member,
    registry.guardian
    TO ticket_registry_operator;
GRANT DELETE ON registry.household_member, registry.guardian TO ticket_registry_operator;
-- Batches (INSERT ... SELECT) of declarations and grants go through the same triggers.
GRANT INSERT ON registry.declaration, registry.exemption_grant TO ticket_registry_operator;
GRANT USAGE ON SEQUENCE registry.household_id_seq, registry.declaration_id_seq,
    registry.exemption_grant_id_seq
    TO ticket_registry_operator;
GRANT EXECUTE ON FUNCTION
    registry.self_certify(ticket.fiscal_code, ticket.income_band, text, text, date, ticket.fiscal_code,
                          integer, timestamptz),
    registry.grant_exemption(ticket.fiscal_code, ticket.exemption, date, text, date, timestamptz),
    registry.revoke_exemption(bigint, date, text, timestamptz),
    fse.status(ticket.fiscal_code, date)
    TO ticket_registry_operator;

-- CUP operators: every citizen's status (the desk serves whoever comes),
-- the bookings of their ASL.
GRANT USAGE ON SCHEMA registry, fse, cup TO ticket_cup_operator;
GRANT SELECT ON registry.asl, registry.gp, registry.citizen, registry.declaration, registry.exemption_grant,
    fse.profile, fse.prescription, cup.booking, cup.adjustment
    TO ticket_cup_operator;
GRANT EXECUTE ON FUNCTION
    ticket.bound_asl(name),
    registry.self_certify(ticket.fiscal_code, ticket.income_band, text, text, date, ticket.fiscal_code,
                          integer, timestamptz),
    fse.status(ticket.fiscal_code, date),
    cup.book(text, date, text),
    cup.move(bigint, date),
    cup.pay(bigint, numeric, text, timestamptz),
    cup.cancel(bigint, text),
    cup.complete(bigint),
    cup.settle_adjustment(bigint)
    TO ticket_cup_operator;

-- GPs: their patients.
GRANT USAGE ON SCHEMA registry, fse TO ticket_gp;
GRANT SELECT ON registry.asl, registry.gp, registry.citizen, registry.declaration, registry.exemption_grant,
    fse.profile, fse.event, fse.prescription
    TO ticket_gp;
GRANT EXECUTE ON FUNCTION
    ticket.bound_gp(name),
    registry.self_certify(ticket.fiscal_code, ticket.income_band, text, text, date, ticket.fiscal_code,
                          integer, timestamptz),
    fse.status(ticket.fiscal_code, date),
    fse.prescribe(text, ticket.fiscal_code, text, text[], text, date)
    TO ticket_gp;

-- The FSE portal: functions only.
GRANT USAGE ON SCHEMA fse TO ticket_fse_portal;
GRANT EXECUTE ON FUNCTION
    fse.portal_status(ticket.fiscal_code, ticket.fiscal_code, date),
    fse.portal_events(ticket.fiscal_code, ticket.fiscal_code, bigint, integer),
    fse.portal_prescriptions(ticket.fiscal_code, ticket.fiscal_code),
    fse.portal_self_certify(ticket.fiscal_code, ticket.fiscal_code, ticket.income_band, date, integer)
    TO ticket_fse_portal;

-- The auditor.
GRANT SELECT ON ticket.audit_log TO ticket_auditor;

-- pgaudit's object audit logs every statement that reads or writes a table
-- its role (pgaudit.role = 'ticket_pgaudit') holds a privilege on: direct
-- reads of self-certifications and exemptions (manual: "Auditing reads with
-- pgaudit").  Not the statements inside SECURITY DEFINER functions, which
-- pgaudit skips: fse.status and the portal record their reads in
-- ticket.audit_log instead.
GRANT USAGE ON SCHEMA registry, fse TO ticket_pgaudit;
GRANT SELECT ON registry.declaration, registry.exemption_grant, fse.profile TO ticket_pgaudit;

--------------------------------------------------------------------------
-- Row-level security.  FORCEd, so that an owner that is not a superuser
-- does not bypass it either.  Only the roles granted SELECT above have
-- policies; any other role sees no row even if granted the table.  A CUP
-- operator sees citizens only while bound to an ASL (removing the binding
-- suspends the operator), as registry.check_may_see says.
-- (SELECT ticket.bound_...(current_user)) is evaluated once per query.
--------------------------------------------------------------------------

ALTER TABLE registry.citizen ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY registry_operators ON registry.citizen TO ticket_registry_operator USING (true) WITH CHECK (true);
CREATE POLICY cup_operators ON registry.citizen FOR SELECT TO ticket_cup_operator
    USING ((SELECT ticket.bound_asl(current_user)) IS NOT NULL);
CREATE POLICY gp_patients ON registry.citizen FOR SELECT TO ticket_gp
    USING (gp_code = (SELECT ticket.bound_gp(current_user)));

ALTER TABLE registry.declaration ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY registry_operators ON registry.declaration TO ticket_registry_operator USING (true) WITH CHECK (true);
CREATE POLICY cup_operators ON registry.declaration FOR SELECT TO ticket_cup_operator
    USING ((SELECT ticket.bound_asl(current_user)) IS NOT NULL);
CREATE POLICY gp_patients ON registry.declaration FOR SELECT TO ticket_gp
    USING (fiscal_code IN (SELECT c.fiscal_code FROM registry.citizen c
                            WHERE c.gp_code = (SELECT ticket.bound_gp(current_user))));

ALTER TABLE registry.exemption_grant ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY registry_operators ON registry.exemption_grant TO ticket_registry_operator USING (true) WITH CHECK (true);
CREATE POLICY cup_operators ON registry.exemption_grant FOR SELECT TO ticket_cup_operator
    USING ((SELECT ticket.bound_asl(current_user)) IS NOT NULL);
CREATE POLICY gp_patients ON registry.exemption_grant FOR SELECT TO ticket_gp
    USING (fiscal_code IN (SELECT c.fiscal_code FROM registry.citizen c
                            WHERE c.gp_code = (SELECT ticket.bound_gp(current_user))));

ALTER TABLE fse.profile ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY registry_operators ON fse.profile FOR SELECT TO ticket_registry_operator USING (true);
CREATE POLICY cup_operators ON fse.profile FOR SELECT TO ticket_cup_operator
    USING ((SELECT ticket.bound_asl(current_user)) IS NOT NULL);
CREATE POLICY gp_patients ON fse.profile FOR SELECT TO ticket_gp
    USING (fiscal_code IN (SELECT c.fiscal_code FROM registry.citizen c
                            WHERE c.gp_code = (SELECT ticket.bound_gp(current_user))));

ALTER TABLE fse.event ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY registry_operators ON fse.event FOR SELECT TO ticket_registry_operator USING (true);
CREATE POLICY gp_patients ON fse.event FOR SELECT TO ticket_gp
    USING (fiscal_code IN (SELECT c.fiscal_code FROM registry.citizen c
                            WHERE c.gp_code = (SELECT ticket.bound_gp(current_user))));

ALTER TABLE fse.prescription ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY registry_operators ON fse.prescription FOR SELECT TO ticket_registry_operator USING (true);
CREATE POLICY cup_operators ON fse.prescription FOR SELECT TO ticket_cup_operator
    USING ((SELECT ticket.bound_asl(current_user)) IS NOT NULL);
CREATE POLICY gp_patients ON fse.prescription FOR SELECT TO ticket_gp
    USING (gp_code = (SELECT ticket.bound_gp(current_user))
           OR fiscal_code IN (SELECT c.fiscal_code FROM registry.citizen c
                               WHERE c.gp_code = (SELECT ticket.bound_gp(current_user))));
-- Nothing grants INSERT to a GP (fse.prescribe is the way); a DBA who does
-- gets the rule of fse.prescription_authorised as a policy too.
CREATE POLICY gp_prescribes ON fse.prescription FOR INSERT TO ticket_gp
    WITH CHECK (gp_code = (SELECT ticket.bound_gp(current_user))
                AND fiscal_code IN (SELECT c.fiscal_code FROM registry.citizen c
                                     WHERE c.gp_code = (SELECT ticket.bound_gp(current_user))));

ALTER TABLE cup.booking ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY asl_bookings ON cup.booking FOR SELECT TO ticket_cup_operator
    USING (asl_code = (SELECT ticket.bound_asl(current_user)));
-- Likewise for a direct INSERT (cup.book is the way): the ASL's own.
CREATE POLICY asl_books ON cup.booking FOR INSERT TO ticket_cup_operator
    WITH CHECK (asl_code = (SELECT ticket.bound_asl(current_user)));

ALTER TABLE cup.adjustment ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
-- The booking's row-level security applies inside: the ASL's bookings only.
CREATE POLICY asl_bookings ON cup.adjustment FOR SELECT TO ticket_cup_operator
    USING (booking_id IN (SELECT b.booking_id FROM cup.booking b));
