/* extension/scripts/ticket--0.4--0.5.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION ticket UPDATE TO '0.5'" to load this file. \quit

--------------------------------------------------------------------------
-- 0.5: documentation in the catalog -- every column of the views that
-- ticket.check_consistency() compares with the stored rows says what it is,
-- so that \d+ explains them as it does the tables.
--------------------------------------------------------------------------

COMMENT ON COLUMN cup.booking_expected.booking_id IS 'the booking (cup.booking)';
COMMENT ON COLUMN cup.booking_expected.fiscal_code IS 'its patient';
COMMENT ON COLUMN cup.booking_expected.service_date IS 'its service date: the date of the rules and the registry that price it';
COMMENT ON COLUMN cup.booking_expected.status IS 'its status (only booked bookings follow the registry)';
COMMENT ON COLUMN cup.booking_expected.bill IS 'the bill stored on the booking';
COMMENT ON COLUMN cup.booking_expected.expected_bill IS 'the bill ticket.price gives today for the services, with the band and exemptions in force on the service date';

COMMENT ON COLUMN fse.prescription_expected.nre IS 'the prescription (fse.prescription)';
COMMENT ON COLUMN fse.prescription_expected.fiscal_code IS 'its patient';
COMMENT ON COLUMN fse.prescription_expected.prescribed_on IS 'its date: the date of the registry its boxes show';
COMMENT ON COLUMN fse.prescription_expected.band IS 'the band box stored on the prescription';
COMMENT ON COLUMN fse.prescription_expected.exemptions IS 'the exemption box stored on the prescription';
COMMENT ON COLUMN fse.prescription_expected.expected_band IS 'the band the registry gives for the date, as its regime charges it (ticket.effective_band)';
COMMENT ON COLUMN fse.prescription_expected.expected_exemptions IS 'the exemptions the registry gives for the date, in code order';

COMMENT ON COLUMN fse.profile_expected.fiscal_code IS 'the citizen';
COMMENT ON COLUMN fse.profile_expected.declaration_id IS 'the current declaration (valid_until IS NULL), or NULL';
COMMENT ON COLUMN fse.profile_expected.band IS 'its declared band';
COMMENT ON COLUMN fse.profile_expected.band_from IS 'the day it applies from';
COMMENT ON COLUMN fse.profile_expected.exemptions IS 'every exemption grant not wholly revoked, with the dates it covers';

--------------------------------------------------------------------------
-- 0.5: the errors of the PL/pgSQL functions in the session's language.
--
-- RAISE does not translate: its message is the text the function wrote.
-- ticket.raise_error (C, messages.c) looks the message, detail and hint
-- up in the extension's catalogue (extension/po/, the domain of the C
-- code's messages), fills in the % placeholders as RAISE does and raises
-- the error with the given SQLSTATE.  The English templates are listed in
-- messages.c, where make update-po finds them; sql/i18n.sql checks that
-- the list, the functions below and it.po agree.  In English every error
-- reads as before: same message, detail, hint and SQLSTATE.
--
-- Each function that raised is dropped and created again, its body the
-- same but for its RAISE statements, with its labels, search_path and
-- comment; the triggers of the trigger functions are dropped first and
-- created again as they were (the extension's own triggers only: a
-- trigger of someone else's on these functions makes the update fail
-- rather than vanish).
--------------------------------------------------------------------------

CREATE FUNCTION ticket.raise_error(sqlstate text, message text, args text[] DEFAULT '{}',
                                   detail text DEFAULT NULL, hint text DEFAULT NULL,
                                   detail_args text[] DEFAULT '{}', hint_args text[] DEFAULT '{}')
RETURNS void
AS 'MODULE_PATHNAME', 'ticket_raise_error'
LANGUAGE C VOLATILE PARALLEL SAFE;
COMMENT ON FUNCTION ticket.raise_error(text, text, text[], text, text, text[], text[]) IS
'raises an error (never returns): SQLSTATE sqlstate (five digits or upper-case letters, not class 00; 22023 otherwise), the message, detail and hint templates translated through the extension''s message catalogue (lc_messages) and filled in as PL/pgSQL RAISE does (each % takes the next argument of args, detail_args, hint_args; %% is a %; NULL is <NULL>; arguments left over are ignored); VOLATILE because it raises';

-- registry.lock_citizen: one sentence for each writer of the extension
-- (the `what' of its callers), so that each translates whole; another
-- caller's own word goes into a general sentence.
DROP FUNCTION registry.lock_citizen(ticket.fiscal_code, date, text);
CREATE FUNCTION registry.lock_citizen(citizen ticket.fiscal_code, on_date date, what text)
RETURNS registry.citizen
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    locked registry.citizen;
    remembered text;
BEGIN
    -- An UPDATE, not SELECT FOR UPDATE: under REPEATABLE READ a concurrent
    -- committed write about the same citizen must be a serialization
    -- failure, and only a changed row version makes it one.
    UPDATE registry.citizen_lock l SET revision = l.revision + 1
      FROM registry.citizen c
     WHERE l.fiscal_code = citizen AND c.fiscal_code = citizen
    RETURNING c.* INTO locked;
    IF NOT FOUND THEN
        PERFORM FROM registry.citizen c WHERE c.fiscal_code = citizen;
        IF NOT FOUND THEN
            PERFORM ticket.raise_error('23503', 'citizen % is not in the registry', ARRAY[citizen::text],
                hint => CASE what
                            WHEN 'booking' THEN 'Register the citizen in registry.citizen before the booking.'
                            WHEN 'declaration' THEN 'Register the citizen in registry.citizen before the declaration.'
                            WHEN 'exemption' THEN 'Register the citizen in registry.citizen before the exemption.'
                            WHEN 'payment' THEN 'Register the citizen in registry.citizen before the payment.'
                            WHEN 'prescription' THEN 'Register the citizen in registry.citizen before the prescription.'
                            WHEN 'revocation' THEN 'Register the citizen in registry.citizen before the revocation.'
                            ELSE 'Register the citizen in registry.citizen before the %.'
                        END,
                hint_args => ARRAY[coalesce(what, '')]);  -- a NULL what: nothing, as format() gave
        END IF;
        INSERT INTO registry.citizen_lock AS l VALUES (citizen, 1)
            ON CONFLICT (fiscal_code) DO UPDATE SET revision = l.revision + 1;
        SELECT * INTO locked FROM registry.citizen c WHERE c.fiscal_code = citizen;
    END IF;
    IF locked.death_date <= on_date THEN
        IF what IN ('booking', 'declaration', 'exemption', 'payment', 'prescription', 'revocation') THEN
            PERFORM ticket.raise_error('TK010',
                CASE what
                    WHEN 'booking' THEN 'citizen % died on %: no booking on %'
                    WHEN 'declaration' THEN 'citizen % died on %: no declaration on %'
                    WHEN 'exemption' THEN 'citizen % died on %: no exemption on %'
                    WHEN 'payment' THEN 'citizen % died on %: no payment on %'
                    WHEN 'prescription' THEN 'citizen % died on %: no prescription on %'
                    WHEN 'revocation' THEN 'citizen % died on %: no revocation on %'
                END,
                ARRAY[citizen::text, locked.death_date::text, on_date::text]);
        END IF;
        PERFORM ticket.raise_error('TK010', 'citizen % died on %: no % on %',
                                   ARRAY[citizen::text, locked.death_date::text, what, on_date::text]);
    END IF;
    -- Held until the transaction ends; a setting of the transaction (undone
    -- with it, or with a rolled-back savepoint) remembers whose.
    remembered := set_config('ticket.locked_citizen', citizen::text, true);
    RETURN locked;
END;
$$;
COMMENT ON FUNCTION registry.lock_citizen(ticket.fiscal_code, date, text) IS
'takes the citizen''s lock row for a write about them (serialising such writes) and returns the citizen, refusing unknown citizens (23503) and the deceased (TK010); VOLATILE because it updates the lock row';

DROP TRIGGER citizen_check ON registry.citizen;
DROP FUNCTION registry.citizen_check();
CREATE FUNCTION registry.citizen_check()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
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
COMMENT ON FUNCTION registry.citizen_check() IS
'trigger: a known birthplace (TK016) and a fiscal code that matches the personal data, omocodes accepted, unless a mismatch reason is recorded (TK015); VOLATILE because it guards writes';
CREATE TRIGGER citizen_check
    BEFORE INSERT OR UPDATE OF fiscal_code, surname, given_name, sex, birth_date, birthplace,
                               code_mismatch_reason
    ON registry.citizen FOR EACH ROW EXECUTE FUNCTION registry.citizen_check();

DROP TRIGGER declaration_before_insert ON registry.declaration;
DROP FUNCTION registry.declaration_before_insert();
CREATE FUNCTION registry.declaration_before_insert()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    current_declaration registry.declaration;
    was_internal boolean;
BEGIN
    IF NEW.valid_until IS NOT NULL THEN
        PERFORM ticket.raise_error('428C9', 'valid_until of a declaration is set by the next declaration',
            hint => 'Insert the declaration without valid_until.');
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
COMMENT ON FUNCTION registry.declaration_before_insert() IS
'trigger: a living citizen, an entitled declarant (TK011), a band the regime defines (TK004), no backdating behind the current declaration (TK012); closes the current one; VOLATILE because it writes';
CREATE TRIGGER declaration_before_insert BEFORE INSERT ON registry.declaration
    FOR EACH ROW EXECUTE FUNCTION registry.declaration_before_insert();

-- The hint is the trigger's argument: a template of the catalogue too.
DROP TRIGGER declaration_history ON registry.declaration;
DROP TRIGGER exemption_grant_history ON registry.exemption_grant;
DROP TRIGGER prescription_history ON fse.prescription;
DROP FUNCTION registry.refuse_history_change();
CREATE FUNCTION registry.refuse_history_change()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
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
COMMENT ON FUNCTION registry.refuse_history_change() IS
'trigger: declarations change only when the next one closes them; grants only by one revocation; neither is deleted (TK018); VOLATILE because it guards writes';
CREATE TRIGGER declaration_history BEFORE UPDATE OR DELETE ON registry.declaration
    FOR EACH ROW EXECUTE FUNCTION registry.refuse_history_change('Record a new declaration instead (registry.self_certify).');
CREATE TRIGGER exemption_grant_history BEFORE UPDATE OR DELETE ON registry.exemption_grant
    FOR EACH ROW EXECUTE FUNCTION registry.refuse_history_change('Revoke the grant instead (registry.revoke_exemption).');
CREATE TRIGGER prescription_history BEFORE DELETE ON fse.prescription
    FOR EACH ROW EXECUTE FUNCTION registry.refuse_history_change('A prescription is a signed document: write a new one.');

DROP TRIGGER exemption_grant_before_insert ON registry.exemption_grant;
DROP FUNCTION registry.exemption_grant_before_insert();
CREATE FUNCTION registry.exemption_grant_before_insert()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    next_april date;
BEGIN
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
COMMENT ON FUNCTION registry.exemption_grant_before_insert() IS
'trigger: a living citizen; income exemptions end by the next 1 April (an open range is closed there); VOLATILE because it writes';
CREATE TRIGGER exemption_grant_before_insert BEFORE INSERT ON registry.exemption_grant
    FOR EACH ROW EXECUTE FUNCTION registry.exemption_grant_before_insert();

DROP TRIGGER prescription_before_update ON fse.prescription;
DROP FUNCTION fse.prescription_before_update();
CREATE FUNCTION fse.prescription_before_update()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
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
COMMENT ON FUNCTION fse.prescription_before_update() IS
'trigger: a prescription is a signed document (TK018); only propagation refreshes its band and exemption boxes; VOLATILE because it guards writes';
CREATE TRIGGER prescription_before_update BEFORE UPDATE ON fse.prescription
    FOR EACH ROW EXECUTE FUNCTION fse.prescription_before_update();

DROP TRIGGER booking_before_update ON cup.booking;
DROP FUNCTION cup.booking_before_update();
CREATE FUNCTION cup.booking_before_update()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    prescription fse.prescription;
    patient registry.citizen;
BEGIN
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
COMMENT ON FUNCTION cup.booking_before_update() IS
'trigger: the prescription, patient and booking time never change (TK018); status rules (TK013), payment of the shown amount (TK014), bill and payment not written by hand (428C9), moves re-price; VOLATILE because it writes';
CREATE TRIGGER booking_before_update BEFORE UPDATE ON cup.booking
    FOR EACH ROW EXECUTE FUNCTION cup.booking_before_update();

DROP TRIGGER booking_refuse_delete ON cup.booking;
DROP FUNCTION cup.booking_refuse_delete();
CREATE FUNCTION cup.booking_refuse_delete()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    PERFORM ticket.raise_error('TK018', 'booking % is history: it cannot be deleted', ARRAY[OLD.booking_id::text],
        hint => 'Cancel it with cup.cancel.');
END;
$$;
COMMENT ON FUNCTION cup.booking_refuse_delete() IS 'trigger: bookings are cancelled, never deleted (TK018); VOLATILE because it guards writes';
CREATE TRIGGER booking_refuse_delete BEFORE DELETE ON cup.booking
    FOR EACH ROW EXECUTE FUNCTION cup.booking_refuse_delete();

DROP TRIGGER adjustment_history ON cup.adjustment;
DROP FUNCTION cup.adjustment_before_update();
CREATE FUNCTION cup.adjustment_before_update()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.settled_at IS NULL
       AND (NEW.adjustment_id, NEW.booking_id, NEW.amount, NEW.reason, NEW.created_at)
           IS NOT DISTINCT FROM (OLD.adjustment_id, OLD.booking_id, OLD.amount, OLD.reason, OLD.created_at) THEN
        RETURN NEW;
    END IF;
    PERFORM ticket.raise_error('TK018', 'adjustment % is history: only settling it once is allowed',
                               ARRAY[OLD.adjustment_id::text], hint => 'Settle it with cup.settle_adjustment.');
END;
$$;
COMMENT ON FUNCTION cup.adjustment_before_update() IS 'trigger: an adjustment is settled once and otherwise never changes (TK018); VOLATILE because it guards writes';
CREATE TRIGGER adjustment_history BEFORE UPDATE OR DELETE ON cup.adjustment
    FOR EACH ROW EXECUTE FUNCTION cup.adjustment_before_update();

DROP FUNCTION registry.revoke_exemption(bigint, date, text, timestamptz);
CREATE FUNCTION registry.revoke_exemption(grant_id bigint, revoked_on date, reason text,
                                          revoked_at timestamptz DEFAULT now())
RETURNS registry.exemption_grant
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    revoked registry.exemption_grant;
BEGIN
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
COMMENT ON FUNCTION registry.revoke_exemption(bigint, date, text, timestamptz) IS
'revokes an exemption grant from revoked_on (once; TK018 if already revoked); VOLATILE because it writes';

DROP FUNCTION cup.locked_booking(bigint, text);
CREATE FUNCTION cup.locked_booking(booking bigint, what text)
RETURNS cup.booking
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    found_booking cup.booking;
BEGIN
    SELECT * INTO found_booking FROM cup.booking b WHERE b.booking_id = booking;
    IF NOT FOUND THEN
        PERFORM ticket.raise_error('P0002', 'booking % does not exist', ARRAY[booking::text]);
    END IF;
    PERFORM registry.lock_citizen(found_booking.fiscal_code, '-infinity', what);
    SELECT * INTO found_booking FROM cup.booking b WHERE b.booking_id = booking FOR UPDATE;
    RETURN found_booking;
END;
$$;
COMMENT ON FUNCTION cup.locked_booking(bigint, text) IS
'a booking, locked after its patient (the lock order of every write about a citizen); VOLATILE because it writes';

DROP FUNCTION cup.settle_adjustment(bigint);
CREATE FUNCTION cup.settle_adjustment(adjustment bigint)
RETURNS cup.adjustment
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    settled cup.adjustment;
BEGIN
    UPDATE cup.adjustment a SET settled_at = now() WHERE a.adjustment_id = adjustment
    RETURNING * INTO settled;
    IF NOT FOUND THEN
        PERFORM ticket.raise_error('P0002', 'adjustment % does not exist', ARRAY[adjustment::text]);
    END IF;
    RETURN settled;
END;
$$;
COMMENT ON FUNCTION cup.settle_adjustment(bigint) IS 'records that a refund was paid out or an amount due was collected; VOLATILE because it writes';

--------------------------------------------------------------------------
-- cup.pay refuses a booking that is not booked (already paid, cancelled,
-- done) with TK013 and says so.  0.4 let the update trigger answer: a paid
-- booking paid again was 428C9 ("the bill and the payment are filled in by
-- CUP"), and a second payment in the same transaction passed silently.
--------------------------------------------------------------------------

DROP FUNCTION cup.pay(bigint, numeric, text, timestamptz);
CREATE FUNCTION cup.pay(booking bigint, expected_amount numeric DEFAULT NULL,
                        channel text DEFAULT 'cup_desk', paid_at timestamptz DEFAULT now())
RETURNS cup.booking
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    locked cup.booking;
    paid cup.booking;
BEGIN
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
COMMENT ON FUNCTION cup.pay(bigint, numeric, text, timestamptz) IS
'pays a booked booking and freezes its amount: TK013 for one that is not booked (paid, cancelled, done); with expected_amount, refuses (TK014) if the price is no longer the one shown; VOLATILE because it writes';

--------------------------------------------------------------------------
-- Comments on what had none: the I/O and comparison functions of
-- ticket.fiscal_code, the comparison operators of the three types, the
-- sequences of the network (\df+, \do+ and \ds+ explain them too).
--------------------------------------------------------------------------

COMMENT ON FUNCTION ticket.fiscal_code_in(cstring) IS 'input of ticket.fiscal_code: validates the text (22P02 with the reason) and stores it upper case';
COMMENT ON FUNCTION ticket.fiscal_code_out(ticket.fiscal_code) IS 'output of ticket.fiscal_code: the code as stored';
COMMENT ON FUNCTION ticket.fiscal_code_recv(internal) IS 'binary input of ticket.fiscal_code: validated like text input (22P03 for a wrong length)';
COMMENT ON FUNCTION ticket.fiscal_code_send(ticket.fiscal_code) IS 'binary output of ticket.fiscal_code: the characters of the code';
COMMENT ON FUNCTION ticket.fiscal_code_eq(ticket.fiscal_code, ticket.fiscal_code) IS 'implementation of = for fiscal codes (the stored codes are equal)';
COMMENT ON FUNCTION ticket.fiscal_code_ne(ticket.fiscal_code, ticket.fiscal_code) IS 'implementation of <> for fiscal codes';
COMMENT ON FUNCTION ticket.fiscal_code_lt(ticket.fiscal_code, ticket.fiscal_code) IS 'implementation of < for fiscal codes (byte order of the stored code)';
COMMENT ON FUNCTION ticket.fiscal_code_le(ticket.fiscal_code, ticket.fiscal_code) IS 'implementation of <= for fiscal codes';
COMMENT ON FUNCTION ticket.fiscal_code_gt(ticket.fiscal_code, ticket.fiscal_code) IS 'implementation of > for fiscal codes';
COMMENT ON FUNCTION ticket.fiscal_code_ge(ticket.fiscal_code, ticket.fiscal_code) IS 'implementation of >= for fiscal codes';
COMMENT ON FUNCTION ticket.fiscal_code_cmp(ticket.fiscal_code, ticket.fiscal_code) IS 'btree support: -1, 0 or 1 in the byte order of the stored codes';
COMMENT ON FUNCTION ticket.fiscal_code_hash(ticket.fiscal_code) IS 'hash support for fiscal codes (hash joins, hash indexes)';
COMMENT ON FUNCTION ticket.fiscal_code_hash_extended(ticket.fiscal_code, bigint) IS 'seeded hash support for fiscal codes (hash partitioning)';

COMMENT ON OPERATOR ticket.= (ticket.fiscal_code, ticket.fiscal_code) IS 'equal: the same stored code (an omocode is a different code: compare fiscal_code_canonical)';
COMMENT ON OPERATOR ticket.<> (ticket.fiscal_code, ticket.fiscal_code) IS 'not equal';
COMMENT ON OPERATOR ticket.< (ticket.fiscal_code, ticket.fiscal_code) IS 'less than, in the byte order of the stored codes';
COMMENT ON OPERATOR ticket.<= (ticket.fiscal_code, ticket.fiscal_code) IS 'less than or equal';
COMMENT ON OPERATOR ticket.> (ticket.fiscal_code, ticket.fiscal_code) IS 'greater than';
COMMENT ON OPERATOR ticket.>= (ticket.fiscal_code, ticket.fiscal_code) IS 'greater than or equal';
COMMENT ON OPERATOR ticket.= (ticket.income_band, ticket.income_band) IS 'equal: the same band code';
COMMENT ON OPERATOR ticket.<> (ticket.income_band, ticket.income_band) IS 'not equal';
COMMENT ON OPERATOR ticket.< (ticket.income_band, ticket.income_band) IS 'less than, in the order of the codes (as text)';
COMMENT ON OPERATOR ticket.<= (ticket.income_band, ticket.income_band) IS 'less than or equal';
COMMENT ON OPERATOR ticket.> (ticket.income_band, ticket.income_band) IS 'greater than';
COMMENT ON OPERATOR ticket.>= (ticket.income_band, ticket.income_band) IS 'greater than or equal';
COMMENT ON OPERATOR ticket.= (ticket.exemption, ticket.exemption) IS 'equal: the same exemption code';
COMMENT ON OPERATOR ticket.<> (ticket.exemption, ticket.exemption) IS 'not equal';
COMMENT ON OPERATOR ticket.< (ticket.exemption, ticket.exemption) IS 'less than, in the order of the codes (as text)';
COMMENT ON OPERATOR ticket.<= (ticket.exemption, ticket.exemption) IS 'less than or equal';
COMMENT ON OPERATOR ticket.> (ticket.exemption, ticket.exemption) IS 'greater than';
COMMENT ON OPERATOR ticket.>= (ticket.exemption, ticket.exemption) IS 'greater than or equal';

COMMENT ON SEQUENCE registry.household_id_seq IS 'numbers of registry.household';
COMMENT ON SEQUENCE registry.declaration_id_seq IS 'numbers of registry.declaration';
COMMENT ON SEQUENCE registry.exemption_grant_id_seq IS 'numbers of registry.exemption_grant';
COMMENT ON SEQUENCE fse.event_id_seq IS 'numbers of fse.event';
COMMENT ON SEQUENCE cup.booking_id_seq IS 'numbers of cup.booking';
COMMENT ON SEQUENCE cup.adjustment_id_seq IS 'numbers of cup.adjustment';
COMMENT ON SEQUENCE ticket.event_id_seq IS 'numbers of ticket.event: consumers catch up from the last one they saw (ticket.events_after)';
