/* extension/scripts/ticket--0.3--0.4.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION ticket UPDATE TO '0.4'" to load this file. \quit

--------------------------------------------------------------------------
-- 0.4: the INSERT paths of prescriptions and bookings in C.
--
-- Every booking transaction runs them, so they are C functions now
-- (prescription_insert.c, booking_insert.c): the registry, the
-- prescription and the patient are read through their indexes, the
-- patient's lock is one kept statement (none when the transaction holds
-- it), the bill is the C engine's.  The same checks, the same errors and
-- SQLSTATEs, in the same order; a NULL in a required column is now left to
-- its NOT NULL constraint (23502).  Updates stay in PL/pgSQL, in functions
-- of their own.
--------------------------------------------------------------------------

DROP TRIGGER prescription_before_write ON fse.prescription;
DROP FUNCTION fse.prescription_before_write();
DROP TRIGGER booking_before_write ON cup.booking;
DROP FUNCTION cup.booking_before_write();

CREATE FUNCTION fse.prescription_before_insert()
RETURNS trigger
AS 'MODULE_PATHNAME', 'fse_prescription_before_insert'
LANGUAGE C VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp;
COMMENT ON FUNCTION fse.prescription_before_insert() IS
'trigger (C): boxes not written by hand (428C9), NRE region (22P02), priority (23503), a living patient (23503, TK010) whose lock it takes, a practising GP (TK017), valid services (TK001-TK006); fills the band and exemption boxes and the maximum wait; VOLATILE because it writes';
CREATE TRIGGER prescription_before_insert BEFORE INSERT ON fse.prescription
    FOR EACH ROW EXECUTE FUNCTION fse.prescription_before_insert();

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
    RAISE EXCEPTION 'prescription % is a signed document: it cannot be changed', OLD.nre
        USING ERRCODE = 'TK018', HINT = 'Write a new prescription.';
END;
$$;
COMMENT ON FUNCTION fse.prescription_before_update() IS
'trigger: a prescription is a signed document (TK018); only propagation refreshes its band and exemption boxes; VOLATILE because it guards writes';
CREATE TRIGGER prescription_before_update BEFORE UPDATE ON fse.prescription
    FOR EACH ROW EXECUTE FUNCTION fse.prescription_before_update();

CREATE FUNCTION cup.booking_before_insert()
RETURNS trigger
AS 'MODULE_PATHNAME', 'cup_booking_before_insert'
LANGUAGE C VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp;
COMMENT ON FUNCTION cup.booking_before_insert() IS
'trigger (C): a booking starts booked (TK013) without bill or payment (428C9), on an existing prescription (23503) of its patient, not before it (22023), for a living patient (23503, TK010) whose lock it takes; prices it as of the service date, fills the ASL and writes the booked event; VOLATILE because it writes';
CREATE TRIGGER booking_before_insert BEFORE INSERT ON cup.booking
    FOR EACH ROW EXECUTE FUNCTION cup.booking_before_insert();

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
        RAISE EXCEPTION 'booking %: the prescription, the patient and the booking time cannot change', OLD.booking_id
            USING ERRCODE = 'TK018', HINT = 'Cancel it and book again.';
    END IF;
    IF OLD.status IN ('cancelled', 'done') THEN
        RAISE EXCEPTION 'booking % is %: it cannot change', OLD.booking_id, OLD.status
            USING ERRCODE = 'TK013';
    END IF;
    IF ticket.in_internal_write() THEN
        RETURN NEW;         -- re-pricing and cancellations by propagation
    END IF;
    -- The payment is written once, by booked -> paid/done below.
    IF NEW.bill IS DISTINCT FROM OLD.bill
       OR ((NEW.paid_amount, NEW.paid_at) IS DISTINCT FROM (OLD.paid_amount, OLD.paid_at)
           AND (OLD.status <> 'booked' OR NEW.status = OLD.status)) THEN
        RAISE EXCEPTION 'booking %: the bill and the payment are filled in by CUP', OLD.booking_id
            USING ERRCODE = 'generated_always', HINT = 'Use cup.move, cup.pay, cup.cancel, cup.complete.';
    END IF;

    SELECT * INTO prescription FROM fse.prescription p WHERE p.nre = NEW.nre;
    IF NEW.service_date < prescription.prescribed_on THEN
        RAISE EXCEPTION 'booking on % of prescription % written on %: a service cannot precede its prescription',
                        NEW.service_date, NEW.nre, prescription.prescribed_on
            USING ERRCODE = 'invalid_parameter_value';
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
            RAISE EXCEPTION 'booking % cannot go from % to %', OLD.booking_id, OLD.status, NEW.status
                USING ERRCODE = 'TK013';
        END IF;
        IF NEW.status = 'cancelled' THEN
            NEW.cancelled_at := coalesce(NEW.cancelled_at, now());
            RETURN NEW;
        END IF;
        IF OLD.status = 'booked' AND NEW.status = 'done' AND OLD.amount <> 0 THEN
            RAISE EXCEPTION 'booking % owes %: it must be paid before it is done', OLD.booking_id, OLD.amount
                USING ERRCODE = 'TK013', HINT = 'Pay it with cup.pay.';
        END IF;
        IF OLD.status = 'booked' THEN
            -- Paying (or completing a free booking) freezes the amount.
            IF NEW.paid_amount IS NOT NULL AND NEW.paid_amount <> (OLD.bill).total THEN
                RAISE EXCEPTION 'booking % costs %, not %', OLD.booking_id, (OLD.bill).total, NEW.paid_amount
                    USING ERRCODE = 'TK014',
                          HINT = 'The price changed since it was shown: show the new bill and pay that.';
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
