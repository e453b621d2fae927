/* extension/scripts/ticket--1.1--1.2.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION ticket UPDATE TO '1.2'" to load this file. \quit

--------------------------------------------------------------------------
-- 1.2: security by construction.  No role borrows the extension's power:
--   * every function is closed to PUBLIC and granted to the shipped roles
--     that need it; trigger functions and internal helpers to nobody, so
--     nobody but the owner attaches them to a table of their own;
--   * every trigger function checks the table, timing, level and event it
--     fires for (ticket.trigger_expects, C), and the C triggers check the
--     type of every column they read;
--   * owner-run code reads only the extension's own tables;
--   * every write to health data or money is audited;
--   * NOTIFY carries only committed events; a shipped consumer role reads
--     the outbox;
--   * input limits, and no oracle of existence.
--------------------------------------------------------------------------

--------------------------------------------------------------------------
-- C: trigger contracts (trigger_contract.c)
--------------------------------------------------------------------------

-- The C triggers check their own contract (trigger_contract_check); the
-- PL/pgSQL ones call this as their first statement.  STABLE, not
-- IMMUTABLE: the error names relations from the catalogue.  Not STRICT:
-- NULL TG_ variables (a call outside a trigger) fail rather than pass.
CREATE FUNCTION ticket.trigger_expects(tg_name name, tg_relid oid, tg_when text, tg_level text,
                                       tg_op text, tables regclass[], firings text[])
RETURNS void
AS 'MODULE_PATHNAME', 'ticket_trigger_expects'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL SAFE;
COMMENT ON FUNCTION ticket.trigger_expects(name, oid, text, text, text, regclass[], text[]) IS
'raises 39P01 (trigger_protocol_violated) unless TG_RELID is one of tables and "TG_WHEN TG_LEVEL TG_OP" one of firings (such as ''BEFORE ROW INSERT''): the first statement of every PL/pgSQL trigger function of the extension';
REVOKE EXECUTE ON FUNCTION ticket.trigger_expects(name, oid, text, text, text, regclass[], text[]) FROM PUBLIC;

-- (C section end)

--------------------------------------------------------------------------
-- Two more group roles (NOLOGIN; the same rules as 1.0's: a role of that
-- name that can log in, is a superuser or bypasses row-level security
-- stops the update rather than receive the grants below).
--   ticket_library         the types' functions and operators, the
--                          fiscal-code functions and the pricing engine:
--                          nothing of health data, but closed to PUBLIC
--                          like every function; every shipped role that
--                          handles codes is a member.
--   ticket_event_consumer  GP software and CUP integrations: reads the
--                          outbox (ticket.events_after) for the ASL or the
--                          GP its role is bound to in ticket.role_binding.
--------------------------------------------------------------------------

DO $roles$
DECLARE
    wanted constant text[][] := ARRAY[
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

--------------------------------------------------------------------------
-- Least privilege on every function.  Every function of the extension is
-- taken from PUBLIC (PostgreSQL grants EXECUTE to PUBLIC at CREATE
-- FUNCTION) by the block that ends this script, and granted here to the
-- roles that need it.  Trigger
-- functions are granted to nobody: a trigger fires without EXECUTE, and
-- CREATE TRIGGER needs it, so nobody but the owner can attach one to a
-- table of their own.  Every later script ends with the same block, so a
-- function it adds is born closed (sql/catalog.sql lists who may execute
-- what, and fails on any other grant).
--------------------------------------------------------------------------


-- Schemas: ticket is no longer a public library.
REVOKE USAGE ON SCHEMA ticket FROM PUBLIC;
GRANT USAGE ON SCHEMA ticket TO ticket_library, ticket_auditor;

-- The library.  The types' input, output, send and receive functions stay
-- closed: PostgreSQL calls them without checking EXECUTE.
GRANT EXECUTE ON FUNCTION
    ticket.fiscal_code(text),
    ticket.text(ticket.fiscal_code),
    ticket.fiscal_code_eq(ticket.fiscal_code, ticket.fiscal_code),
    ticket.fiscal_code_ne(ticket.fiscal_code, ticket.fiscal_code),
    ticket.fiscal_code_lt(ticket.fiscal_code, ticket.fiscal_code),
    ticket.fiscal_code_le(ticket.fiscal_code, ticket.fiscal_code),
    ticket.fiscal_code_gt(ticket.fiscal_code, ticket.fiscal_code),
    ticket.fiscal_code_ge(ticket.fiscal_code, ticket.fiscal_code),
    ticket.fiscal_code_cmp(ticket.fiscal_code, ticket.fiscal_code),
    ticket.fiscal_code_hash(ticket.fiscal_code),
    ticket.fiscal_code_hash_extended(ticket.fiscal_code, bigint),
    ticket.fiscal_code_is_valid(text),
    ticket.fiscal_code_error(text),
    ticket.fiscal_code_kind(ticket.fiscal_code),
    ticket.fiscal_code_sex(ticket.fiscal_code),
    ticket.fiscal_code_birthplace(ticket.fiscal_code),
    ticket.fiscal_code_canonical(ticket.fiscal_code),
    ticket.fiscal_code_is_omocode(ticket.fiscal_code),
    ticket.fiscal_code_omocode_mask(ticket.fiscal_code),
    ticket.fiscal_code_omocodes(ticket.fiscal_code),
    ticket.fiscal_code_equivalent(ticket.fiscal_code, ticket.fiscal_code),
    ticket.transliterate_name(text),
    ticket.icu_version(),
    ticket.fiscal_code_encode(text, text, text, date, text),
    ticket.fiscal_code_matches(ticket.fiscal_code, text, text, text, date, text),
    ticket.fiscal_code_birth_date(ticket.fiscal_code, date),
    ticket.birthplace_name(text, date),
    ticket.fiscal_code_place_known(ticket.fiscal_code),
    ticket.fiscal_code_place_name(ticket.fiscal_code, date),
    ticket.income_band(text),
    ticket.text(ticket.income_band),
    ticket.exemption(text),
    ticket.text(ticket.exemption),
    ticket.income_band_eq(ticket.income_band, ticket.income_band),
    ticket.income_band_ne(ticket.income_band, ticket.income_band),
    ticket.income_band_lt(ticket.income_band, ticket.income_band),
    ticket.income_band_le(ticket.income_band, ticket.income_band),
    ticket.income_band_gt(ticket.income_band, ticket.income_band),
    ticket.income_band_ge(ticket.income_band, ticket.income_band),
    ticket.income_band_cmp(ticket.income_band, ticket.income_band),
    ticket.income_band_hash(ticket.income_band),
    ticket.income_band_hash_extended(ticket.income_band, bigint),
    ticket.exemption_eq(ticket.exemption, ticket.exemption),
    ticket.exemption_ne(ticket.exemption, ticket.exemption),
    ticket.exemption_lt(ticket.exemption, ticket.exemption),
    ticket.exemption_le(ticket.exemption, ticket.exemption),
    ticket.exemption_gt(ticket.exemption, ticket.exemption),
    ticket.exemption_ge(ticket.exemption, ticket.exemption),
    ticket.exemption_cmp(ticket.exemption, ticket.exemption),
    ticket.exemption_hash(ticket.exemption),
    ticket.exemption_hash_extended(ticket.exemption, bigint),
    ticket.income_band_is_valid(text),
    ticket.income_band_error(text),
    ticket.exemption_is_valid(text),
    ticket.exemption_error(text),
    ticket.exemption_family(ticket.exemption),
    ticket.price(ticket.item[], ticket.income_band, ticket.exemption[], date),
    ticket.price(text[], ticket.income_band, ticket.exemption[], date),
    ticket.income_band_for(numeric, date),
    ticket.regime_for(date),
    ticket.effective_band(ticket.income_band, date),
    ticket.prescription_max_wait(text, text, text[], date),
    ticket.local_day(timestamp with time zone),
    -- the WHEN clauses of the triggers call these as whoever writes
    ticket.acting_role(),
    ticket.acting_superuser()
    TO ticket_library;

-- The rules and the birthplaces are public information, but the schema is
-- no longer PUBLIC's: the library's members read them.
REVOKE SELECT ON ticket.birthplace, ticket.regime, ticket.regime_band, ticket.exemption_rule,
    ticket.exemption_scope, ticket.service, ticket.nre_region, ticket.priority_class FROM PUBLIC;
GRANT SELECT ON ticket.birthplace, ticket.regime, ticket.regime_band, ticket.exemption_rule,
    ticket.exemption_scope, ticket.service, ticket.nre_region, ticket.priority_class TO ticket_library;

-- The rules administrator: the rule cache's state, beside the rule tables.
GRANT EXECUTE ON FUNCTION ticket.rules_cache_info() TO ticket_rules_admin;

-- The roles of 1.0 keep the API they had (PUBLIC never had it).
GRANT EXECUTE ON FUNCTION
    registry.self_certify(ticket.fiscal_code, ticket.income_band, text, text, date, ticket.fiscal_code,
                          integer, timestamptz),
    registry.grant_exemption(ticket.fiscal_code, ticket.exemption, date, text, date, timestamptz),
    registry.revoke_exemption(bigint, date, text, timestamptz),
    fse.status(ticket.fiscal_code, date)
    TO ticket_registry_operator;
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
GRANT EXECUTE ON FUNCTION
    ticket.bound_gp(name),
    registry.self_certify(ticket.fiscal_code, ticket.income_band, text, text, date, ticket.fiscal_code,
                          integer, timestamptz),
    fse.status(ticket.fiscal_code, date),
    fse.prescribe(text, ticket.fiscal_code, text, text[], text, date)
    TO ticket_gp;
GRANT EXECUTE ON FUNCTION
    fse.portal_status(ticket.fiscal_code, ticket.fiscal_code, date),
    fse.portal_events(ticket.fiscal_code, ticket.fiscal_code, bigint, integer),
    fse.portal_prescriptions(ticket.fiscal_code, ticket.fiscal_code),
    fse.portal_self_certify(ticket.fiscal_code, ticket.fiscal_code, ticket.income_band, date, integer)
    TO ticket_fse_portal;
GRANT EXECUTE ON FUNCTION ticket.events_after(bigint, integer) TO ticket_event_consumer;

--------------------------------------------------------------------------
-- Text arguments of the API have a maximum length (the manual's table
-- "Input limits"): beyond it, 22001 before anything is read or written.
--------------------------------------------------------------------------

CREATE FUNCTION ticket.refuse_long_text(function_name text, argument text, value text, max_characters integer)
RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    IF length(value) > max_characters THEN
        PERFORM ticket.raise_error('22001', 'argument % of % is % characters long: at most % are accepted',
                                   ARRAY[argument, function_name, length(value)::text, max_characters::text]);
    END IF;
END;
$$;
COMMENT ON FUNCTION ticket.refuse_long_text(text, text, text, integer) IS
'refuses (22001) a text argument of an API function longer than its documented maximum, without quoting it; internal';
REVOKE ALL ON FUNCTION ticket.refuse_long_text(text, text, text, integer) FROM PUBLIC;

--------------------------------------------------------------------------
-- Binding look-ups answer only about the caller, unless the caller is the
-- owner or a superuser (who administer the bindings).  The row-level
-- security policies ask about current_user, which outside the owner's
-- functions is the acting role.
--------------------------------------------------------------------------

CREATE FUNCTION ticket.check_own_binding(role_name name)
RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    IF role_name IS DISTINCT FROM ticket.acting_role() AND NOT ticket.acting_superuser() THEN
        PERFORM ticket.raise_error('42501', 'a role may look up only its own binding',
                                   hint => 'The DBA reads ticket.role_binding.');
    END IF;
END;
$$;
COMMENT ON FUNCTION ticket.check_own_binding(name) IS
'refuses (42501) a binding look-up about another role than the acting one, unless a superuser asks; internal';
REVOKE ALL ON FUNCTION ticket.check_own_binding(name) FROM PUBLIC;

CREATE OR REPLACE FUNCTION ticket.bound_asl(role_name name)
RETURNS text
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    asl text;
BEGIN
    PERFORM ticket.check_own_binding(bound_asl.role_name);
    SELECT b.asl_code INTO asl FROM ticket.role_binding b WHERE b.role_name = bound_asl.role_name;
    RETURN asl;
END;
$$;
COMMENT ON FUNCTION ticket.bound_asl(name) IS
'the ASL the acting role is bound to (ticket.role_binding), or NULL; 42501 for another role unless a superuser asks; what the row-level security of CUP bookings compares with';

CREATE OR REPLACE FUNCTION ticket.bound_gp(role_name name)
RETURNS text
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    gp text;
BEGIN
    PERFORM ticket.check_own_binding(bound_gp.role_name);
    SELECT b.gp_code INTO gp FROM ticket.role_binding b WHERE b.role_name = bound_gp.role_name;
    RETURN gp;
END;
$$;
COMMENT ON FUNCTION ticket.bound_gp(name) IS
'the GP code the acting role is bound to (ticket.role_binding), or NULL; 42501 for another role unless a superuser asks; what the row-level security of a GP''s patients compares with';

--------------------------------------------------------------------------
-- No oracle of existence: a booking or an adjustment of another ASL gets
-- the answer of one that does not exist (P0002, the same message).
--------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION cup.locked_booking(booking bigint, what text)
RETURNS cup.booking
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    found_booking cup.booking;
    asl text := cup.acting_asl();
BEGIN
    SELECT * INTO found_booking FROM cup.booking b
     WHERE b.booking_id = booking AND (asl IS NULL OR b.asl_code = asl);
    IF NOT FOUND THEN
        PERFORM ticket.raise_error('P0002', 'booking % does not exist', ARRAY[booking::text]);
    END IF;
    PERFORM registry.lock_citizen(found_booking.fiscal_code, '-infinity', what);
    SELECT * INTO found_booking FROM cup.booking b WHERE b.booking_id = booking FOR UPDATE;
    RETURN found_booking;
END;
$$;
COMMENT ON FUNCTION cup.locked_booking(bigint, text) IS
'a booking of the acting role''s ASL (P0002 for another ASL''s, as for a missing one: no oracle), locked after its patient (the lock order of every write about a citizen); VOLATILE because it writes';

CREATE OR REPLACE FUNCTION cup.settle_adjustment(adjustment bigint)
RETURNS cup.adjustment
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    asl text := cup.acting_asl();
    settled cup.adjustment;
BEGIN
    UPDATE cup.adjustment a SET settled_at = now()
     WHERE a.adjustment_id = adjustment
       AND (asl IS NULL OR EXISTS (SELECT 1 FROM cup.booking b
                                    WHERE b.booking_id = a.booking_id AND b.asl_code = asl))
    RETURNING * INTO settled;
    IF NOT FOUND THEN
        PERFORM ticket.raise_error('P0002', 'adjustment % does not exist', ARRAY[adjustment::text]);
    END IF;
    RETURN settled;
END;
$$;
COMMENT ON FUNCTION cup.settle_adjustment(bigint) IS
'records that a refund was paid out or an amount due was collected, for an adjustment of the acting role''s ASL (P0002 for another ASL''s, as for a missing one: no oracle); VOLATILE because it writes';

--------------------------------------------------------------------------
-- The outbox for consumers.  ticket.events_after runs as the owner and
-- gives a member of ticket_event_consumer the events of its binding: an
-- ASL's residents and bookings, or a GP's patients; a superuser gets
-- every event.  NOTIFY ticket_event is only a hint (anyone may NOTIFY a
-- channel): consumers read here.
--------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION ticket.events_after(last_id bigint, max_events integer DEFAULT 1000)
RETURNS SETOF ticket.event
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    horizon xid8 := pg_snapshot_xmin(pg_current_snapshot());
    everything boolean := ticket.acting_superuser();
    acting name := ticket.acting_role();
    asl text;
    gp text;
BEGIN
    IF NOT everything THEN
        asl := ticket.bound_asl(acting);
        gp := ticket.bound_gp(acting);
        IF asl IS NULL AND gp IS NULL THEN
            PERFORM ticket.raise_error('42501', 'role % is not bound to an ASL or a GP: it may not read events',
                                       ARRAY[acting::text],
                                       hint => 'A DBA binds an event consumer to the ASL or the GP it serves: INSERT INTO ticket.role_binding.');
        END IF;
    END IF;
    -- Event ids are taken before commit, so a transaction still running may
    -- hold ids below ones already committed.  Deliver in id order only the
    -- events of transactions older than every running one, and stop at the
    -- first visible event that is newer: a reader that resumes from the
    -- last id it got then skips nothing that was visible to it.
    RETURN QUERY
    SELECT e.* FROM ticket.event e
     WHERE e.event_id > last_id AND e.txid < horizon
       AND e.event_id < coalesce((SELECT min(f.event_id) FROM ticket.event f
                                   WHERE f.event_id > last_id AND f.txid >= horizon), 9223372036854775807)
       AND (everything
            OR EXISTS (SELECT 1 FROM registry.citizen c
                        WHERE c.fiscal_code = e.fiscal_code AND (c.residence_asl = asl OR c.gp_code = gp))
            OR (asl IS NOT NULL AND e.kind IN ('booked', 'moved', 'repriced', 'paid', 'cancelled', 'done')
                AND EXISTS (SELECT 1 FROM cup.booking b
                             WHERE b.booking_id = e.subject::bigint AND b.asl_code = asl))
            OR (asl IS NOT NULL AND e.kind = 'adjustment'
                AND EXISTS (SELECT 1 FROM cup.adjustment a JOIN cup.booking b USING (booking_id)
                             WHERE a.adjustment_id = e.subject::bigint AND b.asl_code = asl)))
     ORDER BY e.event_id
     LIMIT max_events;
END;
$$;
COMMENT ON FUNCTION ticket.events_after(bigint, integer) IS
'the settled outbox events after an id, in id order, at most max_events: for a member of ticket_event_consumer those of its binding (an ASL''s residents and bookings, a GP''s patients; 42501 unbound), for a superuser all';

--------------------------------------------------------------------------
-- Every write to health data or money is audited.  1.0 audited
-- declarations, exemption grants, payments and adjustments; 1.2 adds the
-- citizens (deaths set and unset, GP and paediatrician, residence), GPs,
-- households and their members, guardians, prescriptions, bookings made,
-- moved and cancelled (by an operator or by a death: a booking's audit no
-- longer skips the network's own writes, its watched columns decide: a
-- re-pricing changes none of them), every rule table and the role
-- bindings.  The key of a row may be several columns (TG_ARGV[0], comma-
-- separated); row_key joins their values with '/'.
--------------------------------------------------------------------------

DROP TRIGGER audit_update ON cup.booking;
CREATE TRIGGER audit_update AFTER UPDATE ON cup.booking
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_update('booking_id', 'status', 'service_date', 'paid_amount',
                                                            'paid_at', 'payment_channel', 'cancelled_at');
CREATE TRIGGER audit_insert AFTER INSERT ON cup.booking
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_insert('booking_id');

CREATE TRIGGER audit_insert AFTER INSERT ON fse.prescription
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_insert('nre');
CREATE TRIGGER audit_update AFTER UPDATE ON fse.prescription
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_update('nre');
CREATE TRIGGER audit_delete AFTER DELETE ON fse.prescription
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_delete('nre');

DO $audit$
DECLARE
    -- table, key columns
    audited constant text[][] := ARRAY[
        ['registry.citizen', 'fiscal_code'],
        ['registry.gp', 'gp_code'],
        ['registry.household', 'household_id'],
        ['registry.household_member', 'fiscal_code'],
        ['registry.guardian', 'ward,guardian,appointed'],
        ['registry.asl', 'asl_code'],
        ['ticket.regime', 'regime_id'],
        ['ticket.regime_band', 'regime_id,band'],
        ['ticket.exemption_rule', 'regime_id,exemption,family'],
        ['ticket.exemption_scope', 'exemption,service_code'],
        ['ticket.service', 'code,effective_from'],
        ['ticket.nre_region', 'region_code'],
        ['ticket.priority_class', 'priority'],
        ['ticket.role_binding', 'role_name']];
    i integer;
BEGIN
    FOR i IN 1 .. pg_catalog.array_length(audited, 1) LOOP
        EXECUTE pg_catalog.format('CREATE TRIGGER audit_insert AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows '
                                  'FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_insert(%L)',
                                  audited[i][1], audited[i][2]);
        EXECUTE pg_catalog.format('CREATE TRIGGER audit_update AFTER UPDATE ON %s '
                                  'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                                  'FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_update(%L)',
                                  audited[i][1], audited[i][2]);
        EXECUTE pg_catalog.format('CREATE TRIGGER audit_delete AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows '
                                  'FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_delete(%L)',
                                  audited[i][1], audited[i][2]);
    END LOOP;
END;
$audit$;
COMMENT ON TABLE ticket.audit_log IS
'who changed which row of health data, money, rules or bindings, when, from what to what, also when the extension''s triggers wrote it; reads through fse.status and the portal; append-only, kept 24 months at least (ticket.audit_purge)';
COMMENT ON COLUMN ticket.audit_log.row_key IS 'its primary key (the values of a key of several columns joined by /); for a READ the citizen''s fiscal code';

-- The tables the audit triggers serve: their contract (ticket.audit_insert,
-- audit_update, audit_delete check it first), kept in step with the
-- triggers by sql/catalog.sql.
CREATE FUNCTION ticket.audited_tables()
RETURNS regclass[]
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
    SELECT '{cup.adjustment, cup.booking, fse.prescription, registry.asl, registry.citizen, registry.declaration,
             registry.exemption_grant, registry.gp, registry.guardian, registry.household,
             registry.household_member, ticket.exemption_rule, ticket.exemption_scope, ticket.nre_region,
             ticket.priority_class, ticket.regime, ticket.regime_band, ticket.role_binding,
             ticket.service}'::regclass[]
$$;
COMMENT ON FUNCTION ticket.audited_tables() IS
'the tables whose writes the audit triggers record: the contract of ticket.audit_insert, audit_update and audit_delete; internal';

-- The row_key of an audited row whose key has several columns.
CREATE FUNCTION ticket.audit_key(row_data jsonb, key_columns text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
    SELECT string_agg(row_data ->> u.k, '/' ORDER BY u.o)
      FROM unnest(string_to_array(key_columns, ',')) WITH ORDINALITY AS u(k, o)
$$;
COMMENT ON FUNCTION ticket.audit_key(jsonb, text) IS
'the audit row_key of a row (as jsonb) whose key columns are key_columns, comma-separated: their values joined by /; internal (the audit triggers)';

--------------------------------------------------------------------------
-- Triggers that verify where they run: every PL/pgSQL trigger function
-- checks first the table, timing, level and event it fires for
-- (ticket.trigger_expects, the same C check the C triggers make), so that
-- attached anywhere else, by anyone, it raises 39P01 before it reads or
-- writes anything.  The bodies are otherwise 1.1's, but for the audit
-- triggers (keys of several columns; key changes) and the future
-- signature date, now refused on every channel (declaration_before_insert,
-- for superusers' batches too, instead of declaration_authorised).
--------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION cup.adjustment_before_update()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, ticket, pg_temp
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

CREATE OR REPLACE FUNCTION cup.adjustment_events()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{cup.adjustment}',
                                   '{"AFTER STATEMENT INSERT"}');
    INSERT INTO ticket.event (kind, subject, fiscal_code, payload)
    SELECT 'adjustment', n.adjustment_id::text, b.fiscal_code,
           jsonb_build_object('booking_id', n.booking_id, 'amount', n.amount, 'reason', n.reason)
      FROM new_adjustments n JOIN cup.booking b ON b.booking_id = n.booking_id
     ORDER BY n.adjustment_id;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION cup.apply_replicated()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    replication_role text := current_setting('session_replication_role');
    setting text;
    was_internal boolean;
    cause_now text;
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{registry.citizen,registry.declaration,registry.exemption_grant,
                                     ticket.exemption_rule,ticket.exemption_scope,ticket.regime,
                                     ticket.regime_band,ticket.service}',
                                   '{"AFTER ROW INSERT","AFTER ROW UPDATE","AFTER ROW DELETE"}');
    -- Deferred, one event per replicated row: the first to fire at the
    -- commit of the applied transaction does the work, the others find
    -- nothing pending.
    IF coalesce(current_setting('ticket.replica_pending', true), '') <> 'on' THEN
        RETURN NULL;
    END IF;
    setting := set_config('ticket.replica_pending', 'off', true);
    -- The apply worker runs as replica: the bookings' own triggers (guards,
    -- events, adjustments' events, audit) must fire for these writes, as
    -- for every write of the network.  Back to replica before the next
    -- replicated change.
    setting := set_config('session_replication_role', 'origin', true);
    was_internal := ticket.internal_write(true);
    PERFORM ticket.rules_cache_reset();
    IF EXISTS (SELECT 1 FROM cup.replica_queue q WHERE q.cause = 'rules') THEN
        UPDATE cup.booking b SET bill = e.expected_bill, priced_at = now()
          FROM cup.booking_expected e
         WHERE e.status = 'booked' AND b.booking_id = e.booking_id
           AND b.bill IS DISTINCT FROM e.expected_bill;
    END IF;
    UPDATE cup.booking b
       SET status = 'cancelled', cancelled_at = now(), cancel_reason = 'death of the patient'
      FROM cup.replica_queue q
     WHERE q.cause = 'death' AND b.fiscal_code = q.fiscal_code
       AND b.status = 'booked' AND b.service_date >= q.from_date;
    FOR cause_now IN SELECT DISTINCT q.cause FROM cup.replica_queue q
                      WHERE q.cause NOT IN ('rules', 'death') ORDER BY 1 LOOP
        PERFORM cup.propagate_bookings(array_agg(q.fiscal_code), array_agg(q.from_date),
                                       array_agg(q.known_on), cause_now)
           FROM cup.replica_queue q WHERE q.cause = cause_now;
    END LOOP;
    DELETE FROM cup.replica_queue;
    was_internal := ticket.internal_write(was_internal);
    setting := set_config('session_replication_role', replication_role, true);
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION cup.booking_authorised()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    asl text := cup.acting_asl();
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{cup.booking}',
                                   '{"BEFORE ROW INSERT"}');
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

CREATE OR REPLACE FUNCTION cup.booking_before_update()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    prescription fse.prescription;
    patient registry.citizen;
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{cup.booking}',
                                   '{"BEFORE ROW UPDATE"}');
    IF (NEW.booking_id, NEW.nre, NEW.fiscal_code, NEW.booked_at)
       IS DISTINCT FROM (OLD.booking_id, OLD.nre, OLD.fiscal_code, OLD.booked_at) THEN
        PERFORM ticket.raise_error('TK018', 'booking %: the prescription, the patient and the booking time cannot change',
                                   ARRAY[OLD.booking_id::text], hint => 'Cancel it and book again.');
    END IF;
    IF OLD.status IN ('cancelled', 'done') THEN
        PERFORM ticket.raise_error('TK013', 'booking % is %: it cannot change', ARRAY[OLD.booking_id::text, OLD.status]);
    END IF;
    IF ticket.in_internal_write() THEN
        RETURN NEW;         -- re-pricing and cancellations by propagation
    END IF;
    -- The payment is written once, by booked -> paid/done below.
    IF NEW.bill IS DISTINCT FROM OLD.bill
       OR ((NEW.paid_amount, NEW.paid_at) IS DISTINCT FROM (OLD.paid_amount, OLD.paid_at)
           AND (OLD.status <> 'booked' OR NEW.status = OLD.status)) THEN
        PERFORM ticket.raise_error('428C9', 'booking %: the bill and the payment are filled in by CUP',
                                   ARRAY[OLD.booking_id::text], hint => 'Use cup.move, cup.pay, cup.cancel, cup.complete.');
    END IF;

    SELECT * INTO prescription FROM fse.prescription p WHERE p.nre = NEW.nre;
    IF NEW.service_date < prescription.prescribed_on THEN
        PERFORM ticket.raise_error('22023', 'booking on % of prescription % written on %: a service cannot precede its prescription',
                                   ARRAY[NEW.service_date::text, NEW.nre, prescription.prescribed_on::text]);
    END IF;
    -- A move is a write about the patient on the new date (refused once
    -- they died); any other change takes the lock without a date.
    patient := registry.lock_citizen(NEW.fiscal_code,
                                     CASE WHEN NEW.service_date <> OLD.service_date
                                          THEN NEW.service_date ELSE '-infinity' END,
                                     'booking');

    -- Status changes.
    IF NEW.status <> OLD.status THEN
        IF (OLD.status, NEW.status) NOT IN (('booked', 'paid'), ('booked', 'cancelled'),
                                             ('booked', 'done'), ('paid', 'done'), ('paid', 'cancelled')) THEN
            PERFORM ticket.raise_error('TK013', 'booking % cannot go from % to %',
                                       ARRAY[OLD.booking_id::text, OLD.status, NEW.status]);
        END IF;
        IF NEW.status = 'cancelled' THEN
            NEW.cancelled_at := coalesce(NEW.cancelled_at, now());
            RETURN NEW;
        END IF;
        IF OLD.status = 'booked' AND NEW.status = 'done' AND OLD.amount <> 0 THEN
            PERFORM ticket.raise_error('TK013', 'booking % owes %: it must be paid before it is done',
                                       ARRAY[OLD.booking_id::text, OLD.amount::text], hint => 'Pay it with cup.pay.');
        END IF;
        IF OLD.status = 'booked' THEN
            -- Paying (or completing a free booking) freezes the amount.
            IF NEW.paid_amount IS NOT NULL AND NEW.paid_amount <> (OLD.bill).total THEN
                PERFORM ticket.raise_error('TK014', 'booking % costs %, not %',
                                           ARRAY[OLD.booking_id::text, (OLD.bill).total::text, NEW.paid_amount::text],
                    hint => 'The price changed since it was shown: show the new bill and pay that.');
            END IF;
            NEW.paid_amount := (OLD.bill).total;
            NEW.paid_at := coalesce(NEW.paid_at, now());
        END IF;
        RETURN NEW;
    END IF;

    -- Moving an unpaid booking re-prices it; a paid one keeps its amount.
    IF NEW.service_date <> OLD.service_date AND NEW.status = 'booked' THEN
        NEW.bill := cup.price_for(NEW.fiscal_code, prescription.services, NEW.service_date);
        NEW.priced_at := now();
    END IF;
    RETURN NEW;
END;
$$;

CREATE OR REPLACE FUNCTION cup.booking_events()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{cup.booking}',
                                   '{"AFTER STATEMENT UPDATE"}');
    INSERT INTO ticket.event (kind, subject, fiscal_code, payload)
    SELECT e.kind, n.booking_id::text, n.fiscal_code, e.payload
      FROM old_bookings o JOIN new_bookings n USING (booking_id)
     CROSS JOIN LATERAL (VALUES
            (CASE WHEN n.status <> o.status THEN n.status END,
             jsonb_build_object('from', o.status, 'amount', n.amount, 'paid_amount', n.paid_amount)),
            (CASE WHEN n.service_date <> o.service_date THEN 'moved' END,
             jsonb_build_object('from', o.service_date, 'to', n.service_date)),
            (CASE WHEN n.amount <> o.amount THEN 'repriced' END,
             jsonb_build_object('old_amount', o.amount, 'new_amount', n.amount,
                                'service_date', n.service_date, 'regime', (n.bill).regime)))
            AS e(kind, payload)
     WHERE e.kind IS NOT NULL
     ORDER BY n.booking_id;
    -- Cancelling a paid booking refunds what was paid and adjusted.
    INSERT INTO cup.adjustment (booking_id, amount, reason)
    SELECT n.booking_id, -(n.paid_amount + coalesce(a.adjusted, 0)), 'cancellation'
      FROM old_bookings o JOIN new_bookings n USING (booking_id)
      LEFT JOIN LATERAL (SELECT sum(a.amount) AS adjusted FROM cup.adjustment a
                          WHERE a.booking_id = n.booking_id) a ON true
     WHERE o.status = 'paid' AND n.status = 'cancelled'
       AND n.paid_amount + coalesce(a.adjusted, 0) <> 0;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION cup.booking_refuse_delete()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{cup.booking}',
                                   '{"BEFORE ROW DELETE"}');
    PERFORM ticket.raise_error('TK018', 'booking % is history: it cannot be deleted', ARRAY[OLD.booking_id::text],
        hint => 'Cancel it with cup.cancel.');
END;
$$;

CREATE OR REPLACE FUNCTION cup.queue_replicated()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    setting text;
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{registry.citizen,registry.declaration,registry.exemption_grant,
                                     ticket.exemption_rule,ticket.exemption_scope,ticket.regime,
                                     ticket.regime_band,ticket.service}',
                                   '{"AFTER ROW INSERT","AFTER ROW UPDATE","AFTER ROW DELETE"}');
    -- The day a change became known opens the grace window of paid
    -- bookings, as at the region: a new declaration's signature, a grant's
    -- or a revocation's date.  Any other change (the region closing the
    -- previous declaration when it records the next one, a correction by
    -- hand) re-prices unpaid bookings and adjusts nothing: known 'infinity'.
    IF TG_TABLE_NAME = 'declaration' THEN
        INSERT INTO cup.replica_queue
        SELECT r.fiscal_code, r.applies_from, r.known_on, 'declaration'
          FROM (SELECT OLD.fiscal_code, OLD.applies_from, date 'infinity' AS known_on WHERE TG_OP <> 'INSERT'
                UNION ALL
                SELECT NEW.fiscal_code, NEW.applies_from,
                       CASE WHEN TG_OP = 'INSERT' THEN ticket.local_day(NEW.signed_at) ELSE 'infinity' END
                 WHERE TG_OP <> 'DELETE') r;
    ELSIF TG_TABLE_NAME = 'exemption_grant' THEN
        IF TG_OP = 'UPDATE' AND NEW.revoked_on IS NOT NULL AND OLD.revoked_on IS NULL THEN
            INSERT INTO cup.replica_queue
            VALUES (NEW.fiscal_code, NEW.revoked_on, ticket.local_day(NEW.revoked_at), 'exemption_revoked');
        ELSE
            INSERT INTO cup.replica_queue
            SELECT r.fiscal_code, lower(r.valid), r.known_on, 'exemption_granted'
              FROM (SELECT OLD.fiscal_code, OLD.valid, date 'infinity' AS known_on WHERE TG_OP <> 'INSERT'
                    UNION ALL
                    SELECT NEW.fiscal_code, NEW.valid,
                           CASE WHEN TG_OP = 'INSERT' THEN ticket.local_day(NEW.granted_at) ELSE 'infinity' END
                     WHERE TG_OP <> 'DELETE') r;
        END IF;
    ELSIF TG_TABLE_NAME = 'citizen' THEN
        -- A resident arriving (INSERT) or leaving (DELETE), or a death: the
        -- bookings are re-priced (a resident's unpaid bookings stay where
        -- they were made), not adjusted.
        IF TG_OP = 'UPDATE' AND NEW.death_date IS NOT NULL
           AND NEW.death_date IS DISTINCT FROM OLD.death_date THEN
            INSERT INTO cup.replica_queue VALUES (NEW.fiscal_code, NEW.death_date, 'infinity', 'death');
        ELSE
            INSERT INTO cup.replica_queue VALUES (coalesce(NEW.fiscal_code, OLD.fiscal_code), '-infinity',
                                                  'infinity', 'residence');
        END IF;
    ELSE
        -- A rule: the cache is stale and every unpaid booking may change.
        PERFORM ticket.rules_cache_reset();
        INSERT INTO cup.replica_queue VALUES (NULL, '-infinity', 'infinity', 'rules');
    END IF;
    setting := set_config('ticket.replica_pending', 'on', true);
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION cup.reprice_after_rule_change()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    was_internal boolean;
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{ticket.exemption_rule,ticket.exemption_scope,ticket.regime,
                                     ticket.regime_band,ticket.service}',
                                   '{"AFTER ROW INSERT","AFTER ROW UPDATE","AFTER ROW DELETE"}');
    -- Deferred row trigger, one event per changed rule row: the first to
    -- fire (at commit, or at SET CONSTRAINTS ... IMMEDIATE) re-prices for
    -- every rule change so far (cup.rules_dirty marked them); the others
    -- find nothing pending.
    IF coalesce(current_setting('ticket.reprice_pending', true), '') <> 'on' THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('ticket.reprice_pending', 'off', true);
    -- In IMMEDIATE mode this fires before the statement trigger that
    -- invalidates the rule cache: read the tables afresh.
    PERFORM ticket.rules_cache_reset();
    was_internal := ticket.internal_write(true);
    UPDATE cup.booking b SET bill = e.expected_bill, priced_at = now()
      FROM cup.booking_expected e
     WHERE e.status = 'booked' AND b.booking_id = e.booking_id
       AND b.bill IS DISTINCT FROM e.expected_bill;
    -- Which declared band a regime charges is rule data too.
    UPDATE fse.prescription p
       SET band = e.expected_band, exemptions = e.expected_exemptions
      FROM fse.prescription_expected e
     WHERE p.nre = e.nre
       AND (e.band, e.exemptions) IS DISTINCT FROM (e.expected_band, e.expected_exemptions);
    was_internal := ticket.internal_write(was_internal);
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION cup.rules_dirty()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, ticket, pg_temp
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

CREATE OR REPLACE FUNCTION fse.prescription_authorised()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    acting name := ticket.acting_role();
    gp text := ticket.bound_gp(acting);
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{fse.prescription}',
                                   '{"BEFORE ROW INSERT"}');
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

CREATE OR REPLACE FUNCTION fse.prescription_before_update()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{fse.prescription}',
                                   '{"BEFORE ROW UPDATE"}');
    -- Only propagation refreshes the boxes; the rest is a signed document.
    IF ticket.in_internal_write()
       AND (NEW.nre, NEW.fiscal_code, NEW.gp_code, NEW.prescribed_on, NEW.priority,
            NEW.max_wait_days, NEW.services, NEW.written_at)
           IS NOT DISTINCT FROM
           (OLD.nre, OLD.fiscal_code, OLD.gp_code, OLD.prescribed_on, OLD.priority,
            OLD.max_wait_days, OLD.services, OLD.written_at) THEN
        RETURN NEW;
    END IF;
    PERFORM ticket.raise_error('TK018', 'prescription % is a signed document: it cannot be changed', ARRAY[OLD.nre],
        hint => 'Write a new prescription.');
END;
$$;

CREATE OR REPLACE FUNCTION registry.citizen_check()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{registry.citizen}',
                                   '{"BEFORE ROW INSERT","BEFORE ROW UPDATE"}');
    IF NOT EXISTS (SELECT 1 FROM ticket.birthplace b WHERE b.code = NEW.birthplace) THEN
        PERFORM ticket.raise_error('TK016', 'birthplace % of citizen % is not a known Belfiore code',
                                   ARRAY[NEW.birthplace, NEW.fiscal_code::text],
            hint => 'Load the national archive with ticket_load_birthplaces.psql, or correct the birthplace.');
    END IF;
    IF NEW.code_mismatch_reason IS NULL
       AND ticket.fiscal_code_kind(NEW.fiscal_code) = 'personal'
       AND NOT ticket.fiscal_code_matches(NEW.fiscal_code, NEW.surname, NEW.given_name, NEW.sex,
                                          NEW.birth_date, NEW.birthplace) THEN
        PERFORM ticket.raise_error('TK015', 'fiscal code % does not match the personal data of % %',
                                   ARRAY[NEW.fiscal_code::text, NEW.given_name, NEW.surname],
            detail => 'The data give %.',
            detail_args => ARRAY[ticket.fiscal_code_encode(NEW.surname, NEW.given_name, NEW.sex,
                                                           NEW.birth_date, NEW.birthplace)::text],
            hint => 'Correct the data, or record why a legacy code differs in code_mismatch_reason.');
    END IF;
    RETURN NEW;
END;
$$;

CREATE OR REPLACE FUNCTION registry.citizen_deaths()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    was_internal boolean := ticket.internal_write(true);
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{registry.citizen}',
                                   '{"AFTER ROW UPDATE"}');
    UPDATE cup.booking b
       SET status = 'cancelled', cancelled_at = now(), cancel_reason = 'death of the patient'
     WHERE b.fiscal_code = NEW.fiscal_code
       AND b.status = 'booked' AND b.service_date >= NEW.death_date;
    was_internal := ticket.internal_write(was_internal);
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION registry.declaration_authorised()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    acting name := ticket.acting_role();
    gp text;
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{registry.declaration}',
                                   '{"BEFORE ROW INSERT"}');
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

CREATE OR REPLACE FUNCTION registry.declaration_before_insert()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    current_declaration registry.declaration;
    was_internal boolean;
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{registry.declaration}',
                                   '{"BEFORE ROW INSERT"}');
    IF NEW.valid_until IS NOT NULL THEN
        PERFORM ticket.raise_error('428C9', 'valid_until of a declaration is set by the next declaration',
            hint => 'Insert the declaration without valid_until.');
    END IF;
    -- Every channel, the Revenue Agency's too, and superusers' batches.
    IF NEW.signed_at > now() THEN
        PERFORM ticket.raise_error('22023', 'a self-certification cannot be signed in the future (%)',
                                   ARRAY[NEW.signed_at::text]);
    END IF;
    PERFORM registry.lock_citizen(NEW.fiscal_code, NEW.applies_from, 'declaration');
    IF NOT registry.may_declare_for(NEW.declarant, NEW.fiscal_code, ticket.local_day(NEW.signed_at)) THEN
        PERFORM ticket.raise_error('TK011', '% may not self-certify the income band of %',
                                   ARRAY[NEW.declarant::text, NEW.fiscal_code::text],
            detail => 'Only the citizen, or for a minor a parent in the same fiscal household or an appointed guardian, may.');
    END IF;
    IF ticket.effective_band(NEW.band, NEW.applies_from) IS NULL THEN
        PERFORM ticket.raise_error('TK004', 'regime % in force on % does not define income band %',
                                   ARRAY[ticket.regime_for(NEW.applies_from), NEW.applies_from::text, NEW.band::text],
            detail => CASE WHEN regime_bands.bands IS NULL THEN 'It defines no income bands.'
                           ELSE 'Its bands are %.' END,
            detail_args => ARRAY[regime_bands.bands])
          FROM (SELECT string_agg(rb.band::text, ', ' ORDER BY rb.band) AS bands
                  FROM ticket.regime_band rb
                 WHERE rb.regime_id = ticket.regime_for(NEW.applies_from)) AS regime_bands;
    END IF;
    SELECT * INTO current_declaration FROM registry.declaration d
     WHERE d.fiscal_code = NEW.fiscal_code AND d.valid_until IS NULL;
    IF FOUND THEN
        IF NEW.applies_from < current_declaration.applies_from THEN
            PERFORM ticket.raise_error('TK012', 'a declaration for % from % would apply before the current one (from %)',
                                       ARRAY[NEW.fiscal_code::text, NEW.applies_from::text,
                                             current_declaration.applies_from::text],
                hint => 'History is not rewritten: declare from the current one''s date or later.');
        END IF;
        was_internal := ticket.internal_write(true);
        UPDATE registry.declaration SET valid_until = NEW.applies_from
         WHERE declaration_id = current_declaration.declaration_id;
        was_internal := ticket.internal_write(was_internal);
    END IF;
    RETURN NEW;
END;
$$;

CREATE OR REPLACE FUNCTION registry.declarations_propagate()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, ticket, pg_temp
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

CREATE OR REPLACE FUNCTION registry.exemption_grant_before_insert()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    next_april date;
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{registry.exemption_grant}',
                                   '{"BEFORE ROW INSERT"}');
    IF NEW.revoked_on IS NOT NULL OR NEW.revoked_at IS NOT NULL THEN
        PERFORM ticket.raise_error('22023', 'a grant is inserted unrevoked',
            hint => 'Grant it, then revoke it with registry.revoke_exemption.');
    END IF;
    PERFORM registry.lock_citizen(NEW.fiscal_code, lower(NEW.valid), 'exemption');
    IF ticket.exemption_family(NEW.exemption) = 'income' THEN
        -- Income exemptions run 1 April to 31 March (§4.1; ../shared
        -- performance-reliability §5): the next 1 April after the start.
        next_april := make_date(extract(year FROM lower(NEW.valid) - interval '3 months')::integer + 1, 4, 1);
        IF upper_inf(NEW.valid) THEN
            NEW.valid := daterange(lower(NEW.valid), next_april);
        ELSIF upper(NEW.valid) > next_april THEN
            PERFORM ticket.raise_error('22023', 'income exemption % runs at most to 31 March %: % asks until %',
                                       ARRAY[NEW.exemption::text, extract(year FROM next_april)::text,
                                             NEW.valid::text, (upper(NEW.valid) - 1)::text],
                hint => 'Grant the next year as a new row.');
        END IF;
    END IF;
    RETURN NEW;
END;
$$;

CREATE OR REPLACE FUNCTION registry.grants_propagate()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, ticket, pg_temp
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

CREATE OR REPLACE FUNCTION registry.refuse_history_change()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{fse.prescription,registry.declaration,registry.exemption_grant}',
                                   '{"BEFORE ROW UPDATE","BEFORE ROW DELETE"}');
    IF TG_OP = 'DELETE' THEN
        PERFORM ticket.raise_error('TK018', '%.% rows are history: they cannot be deleted',
                                   ARRAY[TG_TABLE_SCHEMA::text, TG_TABLE_NAME::text], hint => TG_ARGV[0]);
    END IF;
    IF TG_TABLE_NAME = 'declaration' THEN
        IF ticket.in_internal_write()
           AND (NEW.declaration_id, NEW.fiscal_code, NEW.band, NEW.declarant, NEW.channel, NEW.operator,
                NEW.signed_at, NEW.applies_from, NEW.income_year)
               IS NOT DISTINCT FROM
               (OLD.declaration_id, OLD.fiscal_code, OLD.band, OLD.declarant, OLD.channel, OLD.operator,
                OLD.signed_at, OLD.applies_from, OLD.income_year) THEN
            RETURN NEW;
        END IF;
    ELSIF (NEW.grant_id, NEW.fiscal_code, NEW.exemption, NEW.valid, NEW.source, NEW.granted_at)
          IS NOT DISTINCT FROM
          (OLD.grant_id, OLD.fiscal_code, OLD.exemption, OLD.valid, OLD.source, OLD.granted_at)
          AND OLD.revoked_on IS NULL AND NEW.revoked_on IS NOT NULL THEN
        PERFORM registry.lock_citizen(NEW.fiscal_code, '-infinity', 'revocation');
        NEW.revoked_at := coalesce(NEW.revoked_at, now());
        RETURN NEW;
    END IF;
    PERFORM ticket.raise_error('TK018', '%.% rows are history: they cannot be changed',
                               ARRAY[TG_TABLE_SCHEMA::text, TG_TABLE_NAME::text], hint => TG_ARGV[0]);
END;
$$;

CREATE OR REPLACE FUNCTION ticket.audit_delete()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   ticket.audited_tables(),
                                   '{"AFTER STATEMENT DELETE"}');
    INSERT INTO ticket.audit_log (table_name, operation, row_key, old_row)
    SELECT TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, 'DELETE', CASE WHEN strpos(TG_ARGV[0], ',') = 0 THEN o.r ->> TG_ARGV[0] ELSE ticket.audit_key(o.r, TG_ARGV[0]) END, o.r
      FROM (SELECT to_jsonb(x) AS r FROM old_rows x) o;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION ticket.audit_insert()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   ticket.audited_tables(),
                                   '{"AFTER STATEMENT INSERT"}');
    -- new_rows is a row of the extension's own table (the check above):
    -- to_jsonb runs no code of the caller's.
    INSERT INTO ticket.audit_log (table_name, operation, row_key, new_row)
    SELECT TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, 'INSERT', CASE WHEN strpos(TG_ARGV[0], ',') = 0 THEN n.r ->> TG_ARGV[0] ELSE ticket.audit_key(n.r, TG_ARGV[0]) END, n.r
      FROM (SELECT to_jsonb(x) AS r FROM new_rows x) n;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION ticket.audit_log_append_only()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{ticket.audit_log}',
                                   '{"BEFORE ROW UPDATE","BEFORE ROW DELETE","BEFORE STATEMENT TRUNCATE"}');
    IF TG_OP = 'DELETE' AND ticket.in_internal_write() THEN
        RETURN OLD;
    END IF;
    PERFORM ticket.raise_error('TK018', 'the audit log is append-only',
                               hint => 'Rows older than the retention leave with ticket.audit_purge().');
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION ticket.audit_update()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   ticket.audited_tables(),
                                   '{"AFTER STATEMENT UPDATE"}');
    -- Old and new rows are paired by their key; a row whose key changed is
    -- recorded as the old row's DELETE and the new row's INSERT.
    EXECUTE 'INSERT INTO ticket.audit_log (table_name, operation, row_key, old_row, new_row)
             SELECT $1, CASE WHEN o.r IS NULL THEN ''INSERT'' WHEN n.r IS NULL THEN ''DELETE'' ELSE ''UPDATE'' END,
                    coalesce(n.k, o.k), o.r, n.r
               FROM (SELECT x.r, CASE WHEN strpos($2, '','') = 0 THEN x.r ->> $2 ELSE ticket.audit_key(x.r, $2) END AS k FROM (SELECT to_jsonb(t) AS r FROM old_rows t) x) o
               FULL JOIN (SELECT x.r, CASE WHEN strpos($2, '','') = 0 THEN x.r ->> $2 ELSE ticket.audit_key(x.r, $2) END AS k FROM (SELECT to_jsonb(t) AS r FROM new_rows t) x) n
                 ON n.k = o.k
              WHERE o.r IS NULL OR n.r IS NULL
                 OR CASE WHEN cardinality($3) = 0 THEN o.r <> n.r
                         ELSE EXISTS (SELECT 1 FROM unnest($3) c WHERE (o.r -> c) IS DISTINCT FROM (n.r -> c)) END'
      USING TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, TG_ARGV[0], TG_ARGV[1:];
    RETURN NULL;
END;
$$;

--------------------------------------------------------------------------
-- The API functions refuse text arguments beyond their documented length.
--------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION cup.book(nre text, service_date date, asl_code text DEFAULT NULL::text)
 RETURNS cup.booking
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    booked cup.booking;
BEGIN
    PERFORM ticket.refuse_long_text('cup.book', 'nre', nre, 64);
    PERFORM ticket.refuse_long_text('cup.book', 'asl_code', asl_code, 16);
    INSERT INTO cup.booking (nre, service_date, asl_code)
    VALUES (upper(btrim(nre)), service_date, asl_code)
    RETURNING * INTO booked;
    RETURN booked;
END;
$$;

CREATE OR REPLACE FUNCTION cup.pay(booking bigint, expected_amount numeric DEFAULT NULL::numeric, channel text DEFAULT 'cup_desk'::text, paid_at timestamp with time zone DEFAULT now())
 RETURNS cup.booking
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    locked cup.booking;
    paid cup.booking;
BEGIN
    PERFORM ticket.refuse_long_text('cup.pay', 'channel', channel, 32);
    locked := cup.locked_booking(booking, 'payment');
    IF locked.status <> 'booked' THEN
        PERFORM ticket.raise_error('TK013', 'booking % is %: only a booked booking can be paid',
                                   ARRAY[booking::text, locked.status]);
    END IF;
    UPDATE cup.booking b
       SET status = 'paid', paid_amount = expected_amount, payment_channel = channel,
           paid_at = pay.paid_at
     WHERE b.booking_id = booking
    RETURNING * INTO paid;
    RETURN paid;
END;
$$;

CREATE OR REPLACE FUNCTION cup.cancel(booking bigint, reason text DEFAULT NULL::text)
 RETURNS cup.booking
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    cancelled cup.booking;
BEGIN
    PERFORM ticket.refuse_long_text('cup.cancel', 'reason', reason, 500);
    PERFORM cup.locked_booking(booking, 'booking');
    UPDATE cup.booking b SET status = 'cancelled', cancel_reason = reason
     WHERE b.booking_id = booking
    RETURNING * INTO cancelled;
    RETURN cancelled;
END;
$$;

CREATE OR REPLACE FUNCTION registry.self_certify(citizen ticket.fiscal_code, band ticket.income_band, channel text, operator text DEFAULT NULL::text, applies_from date DEFAULT CURRENT_DATE, declarant ticket.fiscal_code DEFAULT NULL::ticket.fiscal_code, income_year integer DEFAULT NULL::integer, signed_at timestamp with time zone DEFAULT now())
 RETURNS registry.declaration
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    declared registry.declaration;
BEGIN
    PERFORM ticket.refuse_long_text('registry.self_certify', 'channel', channel, 32);
    PERFORM ticket.refuse_long_text('registry.self_certify', 'operator', operator, 63);
    INSERT INTO registry.declaration (fiscal_code, band, declarant, channel, operator, signed_at,
                                      applies_from, income_year)
    VALUES (citizen, band, coalesce(declarant, citizen), channel, operator, signed_at,
            applies_from, income_year)
    RETURNING * INTO declared;
    RETURN declared;
END;
$$;

CREATE OR REPLACE FUNCTION registry.grant_exemption(citizen ticket.fiscal_code, exemption ticket.exemption, valid_from date, source text, valid_until date DEFAULT NULL::date, granted_at timestamp with time zone DEFAULT now())
 RETURNS registry.exemption_grant
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    granted registry.exemption_grant;
BEGIN
    PERFORM ticket.refuse_long_text('registry.grant_exemption', 'source', source, 200);
    INSERT INTO registry.exemption_grant (fiscal_code, exemption, valid, source, granted_at)
    VALUES (citizen, exemption, daterange(valid_from, valid_until), source, granted_at)
    RETURNING * INTO granted;
    RETURN granted;
END;
$$;

CREATE OR REPLACE FUNCTION registry.revoke_exemption(grant_id bigint, revoked_on date, reason text, revoked_at timestamp with time zone DEFAULT now())
 RETURNS registry.exemption_grant
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    revoked registry.exemption_grant;
BEGIN
    PERFORM ticket.refuse_long_text('registry.revoke_exemption', 'reason', reason, 500);
    UPDATE registry.exemption_grant g
       SET revoked_on = revoke_exemption.revoked_on, revocation_reason = reason,
           revoked_at = revoke_exemption.revoked_at
     WHERE g.grant_id = revoke_exemption.grant_id
    RETURNING * INTO revoked;
    IF NOT FOUND THEN
        PERFORM ticket.raise_error('P0002', 'exemption grant % does not exist', ARRAY[grant_id::text]);
    END IF;
    RETURN revoked;
END;
$$;

CREATE OR REPLACE FUNCTION fse.prescribe(nre text, citizen ticket.fiscal_code, gp_code text, services text[], priority text DEFAULT NULL::text, prescribed_on date DEFAULT CURRENT_DATE)
 RETURNS fse.prescription
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    written fse.prescription;
BEGIN
    PERFORM ticket.refuse_long_text('fse.prescribe', 'nre', nre, 64);
    PERFORM ticket.refuse_long_text('fse.prescribe', 'gp_code', gp_code, 16);
    PERFORM ticket.refuse_long_text('fse.prescribe', 'priority', priority, 16);
    PERFORM ticket.refuse_long_text('fse.prescribe', 'services', array_to_string(services, ','), 2000);
    INSERT INTO fse.prescription (nre, fiscal_code, gp_code, prescribed_on, priority, services)
    VALUES (upper(btrim(nre)), citizen, gp_code, prescribed_on, upper(priority), services)
    RETURNING * INTO written;
    RETURN written;
END;
$$;

CREATE OR REPLACE FUNCTION ticket.create_asl_publication(asl_code text)
 RETURNS name
 LANGUAGE plpgsql
 SET search_path = pg_catalog, ticket, pg_temp
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
        ' ticket.priority_class WHERE (NOT shipped)'
        ' WITH (publish = ''insert, update, delete'')',
        publication, asl_code);
    RETURN publication;
END;
$$;

CREATE OR REPLACE FUNCTION ticket.become_asl_node(asl_code text)
 RETURNS void
 LANGUAGE plpgsql
 SET search_path = pg_catalog, ticket, pg_temp
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
                             'ticket.exemption_scope', 'ticket.service']::regclass[] LOOP
        EXECUTE format('ALTER TABLE %s ENABLE ALWAYS TRIGGER replica_queue, ENABLE ALWAYS TRIGGER replica_apply,'
                       ' ENABLE ALWAYS TRIGGER rules_replicated', t);
    END LOOP;
    EXECUTE 'ALTER TABLE ticket.nre_region ENABLE ALWAYS TRIGGER rules_replicated';
    EXECUTE 'ALTER TABLE ticket.priority_class ENABLE ALWAYS TRIGGER rules_replicated';
END;
$$;

--------------------------------------------------------------------------
-- A citizen's status on a date (band and exemptions) is implemented once,
-- in C (ticket.citizen_status, registry_status.c): the views that compare
-- what is stored with what the registry gives ask it, instead of a
-- set-wise formulation of their own that could drift from it.
--------------------------------------------------------------------------

CREATE OR REPLACE VIEW cup.booking_expected AS
 SELECT b.booking_id,
    b.fiscal_code,
    b.service_date,
    b.status,
    b.bill,
    ticket.price(p.services, ticket.effective_band(s.declared_band, b.service_date), s.exemptions, b.service_date) AS expected_bill
   FROM ((cup.booking b
     JOIN fse.prescription p ON ((p.nre = b.nre)))
     CROSS JOIN LATERAL ticket.citizen_status(b.fiscal_code, b.service_date) s(declared_band, exemptions))
  WHERE (b.status <> 'cancelled'::text);

CREATE OR REPLACE VIEW fse.prescription_expected AS
 SELECT p.nre,
    p.fiscal_code,
    p.prescribed_on,
    p.band,
    p.exemptions,
    ticket.effective_band(s.declared_band, p.prescribed_on) AS expected_band,
    s.exemptions AS expected_exemptions
   FROM (fse.prescription p
     CROSS JOIN LATERAL ticket.citizen_status(p.fiscal_code, p.prescribed_on) s(declared_band, exemptions));

-- Issue 16 (part A): help at the desk with fiscal codes, no tables.
CREATE FUNCTION ticket.fiscal_code_problems(code text) RETURNS TABLE(field text, "position" integer, problem text, expected text)
    LANGUAGE c IMMUTABLE STRICT ROWS 2 PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'fiscal_code_problems';

COMMENT ON FUNCTION ticket.fiscal_code_problems(code text) IS 'one row per wrong field of a fiscal code (surname, given_name, year, month, day, birthplace, check, or code for the whole input) with what belongs there; none for a valid code';

REVOKE ALL ON FUNCTION ticket.fiscal_code_problems(code text) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_problems(code text) TO ticket_library;

CREATE FUNCTION ticket.fiscal_code_normalize(code text) RETURNS text
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'fiscal_code_normalize';

COMMENT ON FUNCTION ticket.fiscal_code_normalize(code text) IS 'pasted input made ready for the type: ASCII spaces and hyphens dropped, ASCII letters upper-cased; non-ASCII is an error (22021)';

REVOKE ALL ON FUNCTION ticket.fiscal_code_normalize(code text) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_normalize(code text) TO ticket_library;

CREATE FUNCTION ticket.fiscal_code_omocode(code ticket.fiscal_code, level integer) RETURNS ticket.fiscal_code
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'fiscal_code_omocode';

COMMENT ON FUNCTION ticket.fiscal_code_omocode(code ticket.fiscal_code, level integer) IS 'the form of the code at an omocode level 0..7: the first level digits from the right substituted, check character recomputed; other kinds: the code itself';

REVOKE ALL ON FUNCTION ticket.fiscal_code_omocode(code ticket.fiscal_code, level integer) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_omocode(code ticket.fiscal_code, level integer) TO ticket_library;

CREATE FUNCTION ticket.fiscal_code_candidates(code text) RETURNS SETOF ticket.fiscal_code
    LANGUAGE c IMMUTABLE STRICT ROWS 16 PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'fiscal_code_candidates';

COMMENT ON FUNCTION ticket.fiscal_code_candidates(code text) IS 'the valid personal codes one substituted character away from a 16-character input, at most 16; none for a valid code';

REVOKE ALL ON FUNCTION ticket.fiscal_code_candidates(code text) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_candidates(code text) TO ticket_library;

CREATE FUNCTION ticket.fiscal_code_decode_partial(partial text, OUT surname text, OUT given_name text, OUT year2 integer, OUT month integer, OUT day integer, OUT sex text, OUT birthplace text, OUT code ticket.fiscal_code) RETURNS record
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'fiscal_code_decode_partial';

COMMENT ON FUNCTION ticket.fiscal_code_decode_partial(partial text, OUT surname text, OUT given_name text, OUT year2 integer, OUT month integer, OUT day integer, OUT sex text, OUT birthplace text, OUT code ticket.fiscal_code) IS 'the fields of the first 11 or 15 characters of a personal code; birthplace and the whole code (check character added) only from 15';

REVOKE ALL ON FUNCTION ticket.fiscal_code_decode_partial(partial text, OUT surname text, OUT given_name text, OUT year2 integer, OUT month integer, OUT day integer, OUT sex text, OUT birthplace text, OUT code ticket.fiscal_code) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_decode_partial(partial text, OUT surname text, OUT given_name text, OUT year2 integer, OUT month integer, OUT day integer, OUT sex text, OUT birthplace text, OUT code ticket.fiscal_code) TO ticket_library;

CREATE FUNCTION ticket.fiscal_code_match_fields(code ticket.fiscal_code, surname text, given_name text, sex text, birth_date date, birthplace text) RETURNS TABLE(field text, matches boolean)
    LANGUAGE c STABLE STRICT ROWS 7 PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'fiscal_code_match_fields';

COMMENT ON FUNCTION ticket.fiscal_code_match_fields(code ticket.fiscal_code, surname text, given_name text, sex text, birth_date date, birthplace text) IS 'which fields of the code (surname, given_name, sex, year, month, day, birthplace; omocodes as their canonical form) agree with the code the personal data give; NULL for non-personal codes';

REVOKE ALL ON FUNCTION ticket.fiscal_code_match_fields(code ticket.fiscal_code, surname text, given_name text, sex text, birth_date date, birthplace text) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_match_fields(code ticket.fiscal_code, surname text, given_name text, sex text, birth_date date, birthplace text) TO ticket_library;

--------------------------------------------------------------------------
-- Issue 16 (B): the birthplace data in encoding and decoding: a place by
-- name, the whole decode in one call, attributability as an opt-in check.
--------------------------------------------------------------------------

CREATE FUNCTION ticket.birthplace_era(code text, on_date date) RETURNS ticket.birthplace
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    era ticket.birthplace;
BEGIN
    -- The era in force on the date; failing that, the first era after it
    -- (a code issued by a later municipality, docs §10.3 "attributable"),
    -- failing that the last era before it.
    SELECT b.* INTO era
      FROM ticket.birthplace b
     WHERE b.code = upper(birthplace_era.code)
     ORDER BY b.valid @> on_date DESC,
              lower(b.valid) > on_date DESC,
              CASE WHEN lower(b.valid) > on_date THEN lower(b.valid) END ASC,
              lower(b.valid) DESC,
              b.name
     LIMIT 1;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    RETURN era;
END;
$$;

COMMENT ON FUNCTION ticket.birthplace_era(code text, on_date date) IS 'the ticket.birthplace row of a Belfiore code on a date: the era in force, else the next era, else the last one; NULL for an unknown code';

REVOKE ALL ON FUNCTION ticket.birthplace_era(code text, on_date date) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.birthplace_era(code text, on_date date) TO ticket_library;

CREATE FUNCTION ticket.birthplace_attributable(code text, on_date date) RETURNS boolean
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    -- Attributable (docs §10.3): some era of the code is in force on the
    -- date or begins after it; not when every era ended before the date
    -- (the complement, for a known code, of the birth-date century rule).
    RETURN EXISTS (SELECT 1 FROM ticket.birthplace b
                    WHERE b.code = upper(birthplace_attributable.code)
                      AND (upper_inf(b.valid) OR upper(b.valid) > on_date));
END;
$$;

COMMENT ON FUNCTION ticket.birthplace_attributable(code text, on_date date) IS 'true when some era of a Belfiore code is in force on the date or begins after it; false when every era ended before it or the code is unknown';

REVOKE ALL ON FUNCTION ticket.birthplace_attributable(code text, on_date date) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.birthplace_attributable(code text, on_date date) TO ticket_library;

CREATE FUNCTION ticket.birthplace_code(name text, on_date date) RETURNS text
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    -- A spelling's key: accents off (precomposed here, combining marks with
    -- the rest), upper case, only A-Z and 0-9 kept (apostrophes, spaces,
    -- hyphens and dots dropped).  The same expression for the input and
    -- for the table: keep the two in step.
    accented constant text := 'àáâäãåèéêëìíîïòóôöõùúûüýÿçñÀÁÂÄÃÅÈÉÊËÌÍÎÏÒÓÔÖÕÙÚÛÜÝÇÑ';
    plain constant text    := 'aaaaaaeeeeiiiiooooouuuuyycnAAAAAAEEEEIIIIOOOOOUUUUYCN';
    parts text[];
    wanted text;
    wanted_province text;
    in_force text[];
    attributable text[];
    shown text[];
    chosen text[];
    listed text;
    n integer;
BEGIN
    PERFORM ticket.refuse_long_text('ticket.birthplace_code', 'name', birthplace_code.name, 200);
    -- "San Severo (FG)": a name, then a province (EE for a foreign state).
    parts := regexp_match(birthplace_code.name, '^(.*?)\s*\(\s*([A-Za-z]{2})\s*\)\s*$');
    IF parts IS NULL THEN
        wanted := regexp_replace(upper(translate(birthplace_code.name, accented, plain)), '[^A-Z0-9]', '', 'g');
    ELSE
        wanted := regexp_replace(upper(translate(parts[1], accented, plain)), '[^A-Z0-9]', '', 'g');
        wanted_province := upper(parts[2]);
    END IF;
    IF wanted = '' THEN
        PERFORM ticket.raise_error('22023', 'birthplace name % has no letters', ARRAY[birthplace_code.name]);
    END IF;

    -- Each spelling of that name (official, transliterated, other official
    -- names), one group per code, name and province: is it in force on the
    -- date, is its code attributable on the date (in force then or later).
    WITH spelled AS (
        SELECT DISTINCT b.code, b.name, b.province, b.valid
          FROM ticket.birthplace b
         CROSS JOIN LATERAL unnest(ARRAY[b.name, b.name_ascii]
                                   || COALESCE(string_to_array(b.alt_name, '/'), '{}'::text[])) AS s(spelling)
         WHERE regexp_replace(upper(translate(s.spelling, accented, plain)), '[^A-Z0-9]', '', 'g') = wanted
    ), grouped AS (
        SELECT g.code, g.name, g.province,
               bool_or(g.valid @> on_date) AS now_in_force,
               ticket.birthplace_attributable(g.code, on_date) AS code_attributable,
               g.code || ' ' || g.name || ' (' || g.province || ') '
                   || min(lower(g.valid))::text || '/'
                   || CASE WHEN bool_or(upper_inf(g.valid)) THEN '..'
                           ELSE (max(upper(g.valid)) - 1)::text END AS description
          FROM spelled g
         GROUP BY g.code, g.name, g.province
    )
    SELECT array_agg(DISTINCT g.code) FILTER (WHERE g.now_in_force AND (wanted_province IS NULL OR g.province = wanted_province)),
           array_agg(DISTINCT g.code) FILTER (WHERE g.code_attributable AND (wanted_province IS NULL OR g.province = wanted_province)),
           array_agg(g.description ORDER BY g.code, g.description)
      INTO in_force, attributable, shown
      FROM grouped g;

    -- The name in force on the date; failing that, a code of that name
    -- that is attributable on the date (Agrigento for a 1920 birth, when
    -- it was Girgenti; Torino before its first era).
    chosen := COALESCE(in_force, attributable);
    IF cardinality(chosen) = 1 THEN
        RETURN chosen[1];
    END IF;

    IF cardinality(chosen) > 1 THEN
        -- Only the candidates: the groups of the chosen codes.
        SELECT array_agg(d ORDER BY d) INTO shown
          FROM unnest(shown) AS d
         WHERE left(d, 4) = ANY (chosen)
           AND (wanted_province IS NULL OR d LIKE '%(' || wanted_province || ')%');
    END IF;
    n := COALESCE(cardinality(shown), 0);
    listed := array_to_string(shown[1:4], '; ');

    IF cardinality(chosen) > 1 THEN
        IF n > 4 THEN
            PERFORM ticket.raise_error('22023', 'birthplace name % is ambiguous on %', ARRAY[birthplace_code.name, on_date::text],
                                       'Candidates: % and % more.',
                                       'Add the province in brackets, as in "Livo (TN)", or pass the Belfiore code to ticket.fiscal_code_encode.',
                                       ARRAY[listed, (n - 4)::text]);
        END IF;
        PERFORM ticket.raise_error('22023', 'birthplace name % is ambiguous on %', ARRAY[birthplace_code.name, on_date::text],
                                   'Candidates: %.',
                                   'Add the province in brackets, as in "Livo (TN)", or pass the Belfiore code to ticket.fiscal_code_encode.',
                                   ARRAY[listed]);
    END IF;
    IF n > 4 THEN
        PERFORM ticket.raise_error('TK016', 'no birthplace is named % on %', ARRAY[birthplace_code.name, on_date::text],
                                   'Places of that name: % and % more.',
                                   'Load the national archive with ticket_load_birthplaces.psql, or correct the birthplace.',
                                   ARRAY[listed, (n - 4)::text]);
    ELSIF n > 0 THEN
        PERFORM ticket.raise_error('TK016', 'no birthplace is named % on %', ARRAY[birthplace_code.name, on_date::text],
                                   'Places of that name: %.',
                                   'Load the national archive with ticket_load_birthplaces.psql, or correct the birthplace.',
                                   ARRAY[listed]);
    END IF;
    PERFORM ticket.raise_error('TK016', 'no birthplace is named % on %', ARRAY[birthplace_code.name, on_date::text],
                               NULL,
                               'Load the national archive with ticket_load_birthplaces.psql, or correct the birthplace.');
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION ticket.birthplace_code(name text, on_date date) IS 'Belfiore code of a birthplace name on a date ("San Severo (FG)", "Torino", "Spagna"; case, accents, apostrophes and spaces ignored): the name in force on the date, else a code of that name attributable on it; 22023 when ambiguous, TK016 when unknown, the candidates in the detail';

REVOKE ALL ON FUNCTION ticket.birthplace_code(name text, on_date date) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.birthplace_code(name text, on_date date) TO ticket_library;

CREATE FUNCTION ticket.fiscal_code_place_attributable(code ticket.fiscal_code, reference date DEFAULT CURRENT_DATE) RETURNS boolean
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    born date := ticket.fiscal_code_birth_date(fiscal_code_place_attributable.code, reference);
BEGIN
    IF born IS NULL THEN
        RETURN false;
    END IF;
    RETURN ticket.birthplace_attributable(ticket.fiscal_code_birthplace(fiscal_code_place_attributable.code), born);
END;
$$;

COMMENT ON FUNCTION ticket.fiscal_code_place_attributable(code ticket.fiscal_code, reference date) IS 'opt-in check: the birthplace code is attributable on the birth date (birthplace_attributable); false for unknown places and non-personal codes; validity never asks this';

REVOKE ALL ON FUNCTION ticket.fiscal_code_place_attributable(code ticket.fiscal_code, reference date) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_place_attributable(code ticket.fiscal_code, reference date) TO ticket_library;

CREATE FUNCTION ticket.fiscal_code_encode_place(surname text, given_name text, sex text, birth_date date, birthplace_name text) RETURNS ticket.fiscal_code
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    RETURN ticket.fiscal_code_encode(surname, given_name, sex, birth_date,
                                     ticket.birthplace_code(birthplace_name, birth_date));
END;
$$;

COMMENT ON FUNCTION ticket.fiscal_code_encode_place(surname text, given_name text, sex text, birth_date date, birthplace_name text) IS 'the canonical fiscal code for the personal data, the birthplace given by name (San Severo (FG), Torino, Spagna) and resolved on the birth date by birthplace_code';

REVOKE ALL ON FUNCTION ticket.fiscal_code_encode_place(surname text, given_name text, sex text, birth_date date, birthplace_name text) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_encode_place(surname text, given_name text, sex text, birth_date date, birthplace_name text) TO ticket_library;

CREATE FUNCTION ticket.fiscal_code_decode(code ticket.fiscal_code, reference date DEFAULT CURRENT_DATE, OUT kind text, OUT sex text, OUT birth_date date, OUT birthplace text, OUT place_name text, OUT province text, OUT region text, OUT place_kind text, OUT place_attributable boolean, OUT omocode_mask integer, OUT canonical ticket.fiscal_code) RETURNS record
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    era ticket.birthplace;
BEGIN
    -- Every field from the function that owns its rule.
    kind := ticket.fiscal_code_kind(fiscal_code_decode.code);
    sex := ticket.fiscal_code_sex(fiscal_code_decode.code);
    birth_date := ticket.fiscal_code_birth_date(fiscal_code_decode.code, reference);
    birthplace := ticket.fiscal_code_birthplace(fiscal_code_decode.code);
    IF birthplace IS NOT NULL THEN
        era := ticket.birthplace_era(birthplace, birth_date);
        place_name := era.name;
        province := era.province;
        region := era.region;
        place_kind := era.kind;
    END IF;
    place_attributable := ticket.fiscal_code_place_attributable(fiscal_code_decode.code, reference);
    omocode_mask := ticket.fiscal_code_omocode_mask(fiscal_code_decode.code);
    canonical := ticket.fiscal_code_canonical(fiscal_code_decode.code);
END;
$$;

COMMENT ON FUNCTION ticket.fiscal_code_decode(code ticket.fiscal_code, reference date, OUT kind text, OUT sex text, OUT birth_date date, OUT birthplace text, OUT place_name text, OUT province text, OUT region text, OUT place_kind text, OUT place_attributable boolean, OUT omocode_mask integer, OUT canonical ticket.fiscal_code) IS 'everything a fiscal code says, in one row: kind, sex, birth date (fiscal_code_birth_date), birthplace code, its era on the birth date (birthplace_era: name, province, region, municipality or country), attributability, omocode mask, canonical form';

REVOKE ALL ON FUNCTION ticket.fiscal_code_decode(code ticket.fiscal_code, reference date, OUT kind text, OUT sex text, OUT birth_date date, OUT birthplace text, OUT place_name text, OUT province text, OUT region text, OUT place_kind text, OUT place_attributable boolean, OUT omocode_mask integer, OUT canonical ticket.fiscal_code) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_decode(code ticket.fiscal_code, reference date, OUT kind text, OUT sex text, OUT birth_date date, OUT birthplace text, OUT place_name text, OUT province text, OUT region text, OUT place_kind text, OUT place_attributable boolean, OUT omocode_mask integer, OUT canonical ticket.fiscal_code) TO ticket_library;

-- birthplace_name now asks birthplace_era: one rule for the era of a date.
CREATE OR REPLACE FUNCTION ticket.birthplace_name(code text, on_date date) RETURNS text
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    -- One rule for the era of a date: ticket.birthplace_era.
    RETURN (ticket.birthplace_era(birthplace_name.code, on_date)).name;
END;
$$;

COMMENT ON FUNCTION ticket.birthplace_name(code text, on_date date) IS 'name of a Belfiore code on a date: the era in force, else the next era, else the last one (see birthplace_era); NULL for an unknown code';

REVOKE ALL ON FUNCTION ticket.birthplace_name(code text, on_date date) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.birthplace_name(code text, on_date date) TO ticket_library;

--------------------------------------------------------------------------
-- The region of a birthplace (ANPR IDREGIONE, by ticket_load_birthplaces.psql),
-- which ticket.fiscal_code_decode returns.
--------------------------------------------------------------------------

ALTER TABLE ticket.birthplace ADD COLUMN region text;
COMMENT ON COLUMN ticket.birthplace.region IS 'the region of a municipality in that era (from ANPR IDREGIONE: its ISTAT name; ''territorio ex italiano'' for EX), NULL for a foreign state or where ANPR gives none';

--------------------------------------------------------------------------
-- Born closed: every function of the extension, whatever script made it,
-- is taken from PUBLIC.  Keep this block at the end of every script.
--------------------------------------------------------------------------

DO $close$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT d.objid::regprocedure FROM pg_catalog.pg_depend d
              WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.deptype = 'e'
                AND d.refclassid = 'pg_catalog.pg_extension'::regclass
                AND d.refobjid = (SELECT e.oid FROM pg_catalog.pg_extension e WHERE e.extname = 'ticket')
    LOOP
        EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
END;
$close$;
