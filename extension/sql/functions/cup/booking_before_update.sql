CREATE FUNCTION cup.booking_before_update() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    prescription fse.prescription;
    patient registry.citizen;
    rule ticket.missed_appointment_rule;
    notice integer;
    lowest_band ticket.income_band;
    sanction ticket.bill;
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{cup.booking}',
                                   '{"BEFORE ROW UPDATE"}');
    IF (NEW.booking_id, NEW.nre, NEW.fiscal_code, NEW.booked_at)
       IS DISTINCT FROM (OLD.booking_id, OLD.nre, OLD.fiscal_code, OLD.booked_at) THEN
        PERFORM ticket.raise_error('TK018', 'booking %: the prescription, the patient and the booking time cannot change',
                                   ARRAY[OLD.booking_id::text], hint => 'Cancel it and book again.');
    END IF;
    -- Final, except: a late cancellation can still be marked missed, and a
    -- missed booking's charge is paid once (nothing else of it changes).
    IF OLD.status IN ('cancelled', 'done', 'missed')
       AND NOT (OLD.status = 'cancelled' AND NEW.status = 'missed')
       AND NOT (OLD.status = 'missed' AND OLD.paid_at IS NULL AND NEW.paid_at IS NOT NULL
                AND (NEW.status, NEW.service_date, NEW.asl_code, NEW.bill, NEW.priced_at,
                     NEW.cancelled_at, NEW.cancel_reason)
                    IS NOT DISTINCT FROM (OLD.status, OLD.service_date, OLD.asl_code, OLD.bill, OLD.priced_at,
                                          OLD.cancelled_at, OLD.cancel_reason)) THEN
        PERFORM ticket.raise_error('TK013', 'booking % is %: it cannot change', ARRAY[OLD.booking_id::text, OLD.status]);
    END IF;
    -- Re-pricing and cancellations by propagation.  The trigger's WHEN
    -- skips this function for an internal write to a booked booking that
    -- keeps its identity (the checks above pass it: a re-pricing costs
    -- no call per booking); keep the two in step.
    IF ticket.in_internal_write() THEN
        RETURN NEW;
    END IF;
    -- The payment is written once, by booked -> paid/done below.
    IF NEW.bill IS DISTINCT FROM OLD.bill
       OR ((NEW.paid_amount, NEW.paid_at) IS DISTINCT FROM (OLD.paid_amount, OLD.paid_at)
           AND (OLD.status <> 'booked' OR NEW.status = OLD.status) AND OLD.status <> 'missed') THEN
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

    -- Status changes, and paying the charge of a missed appointment (missed
    -- to missed: the check at the top let nothing else change).
    IF NEW.status <> OLD.status OR OLD.status = 'missed' THEN
        IF (OLD.status, NEW.status) NOT IN (('booked', 'paid'), ('booked', 'cancelled'),
                                             ('booked', 'done'), ('paid', 'done'), ('paid', 'cancelled'),
                                             ('booked', 'missed'), ('cancelled', 'missed'), ('missed', 'missed'))
           OR (NEW.status = 'missed' AND NEW.service_date <> OLD.service_date) THEN
            PERFORM ticket.raise_error('TK013', 'booking % cannot go from % to %',
                                       ARRAY[OLD.booking_id::text, OLD.status, NEW.status]);
        END IF;
        IF NEW.status = 'missed' AND OLD.status <> 'missed' THEN
            -- LR 2/2016 art. 23 (ticket.missed_appointment_rule): not
            -- attended and not cancelled in time, exempt or not, the
            -- ordinary ticket of the lowest band on the service date.
            IF OLD.service_date >= ticket.local_day(now()) THEN
                PERFORM ticket.raise_error('TK013', 'booking %: its service on % has not passed: it cannot be missed yet',
                                           ARRAY[OLD.booking_id::text, OLD.service_date::text]);
            END IF;
            SELECT * INTO rule FROM ticket.missed_appointment_rule r
             WHERE r.effective_from <= OLD.service_date ORDER BY r.effective_from DESC LIMIT 1;
            IF NOT FOUND OR rule.notice_days IS NULL THEN
                PERFORM ticket.raise_error('TK005', 'no missed-appointment rule covers %', ARRAY[OLD.service_date::text],
                                           hint => 'See ticket.missed_appointment_rule.');
            END IF;
            IF OLD.status = 'cancelled' THEN
                notice := ticket.working_days(ticket.local_day(OLD.cancelled_at), OLD.service_date);
                IF notice >= rule.notice_days THEN
                    PERFORM ticket.raise_error('TK013', 'booking % was cancelled in time: % working days before its service on % (% needed)',
                                               ARRAY[OLD.booking_id::text, notice::text, OLD.service_date::text,
                                                     rule.notice_days::text]);
                END IF;
            END IF;
            SELECT rb.band INTO lowest_band FROM ticket.regime_band rb
             WHERE rb.regime_id = ticket.regime_for(OLD.service_date)
             ORDER BY lower(rb.income_range) NULLS FIRST, rb.band LIMIT 1;
            sanction := ticket.price(prescription.services, lowest_band, NULL::ticket.exemption[], OLD.service_date);
            sanction.explanation := 'missed appointment (' || rule.legal_reference || '): ' || sanction.explanation;
            NEW.bill := sanction;
            NEW.priced_at := now();
            NEW.paid_amount := NULL;    -- a payment before a late cancellation was refunded by it
            NEW.paid_at := NULL;
            NEW.payment_channel := NULL;
            RETURN NEW;
        END IF;
        IF NEW.status = 'cancelled' THEN
            NEW.cancelled_at := coalesce(NEW.cancelled_at, now());
            RETURN NEW;
        END IF;
        IF OLD.status = 'booked' AND NEW.status = 'done' AND OLD.amount <> 0 THEN
            PERFORM ticket.raise_error('TK013', 'booking % owes %: it must be paid before it is done',
                                       ARRAY[OLD.booking_id::text, OLD.amount::text], hint => 'Pay it with cup.pay.');
        END IF;
        IF OLD.status IN ('booked', 'missed') THEN
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

COMMENT ON FUNCTION cup.booking_before_update() IS 'trigger: the prescription, patient and booking time never change (TK018); status rules (TK013), payment of the shown amount (TK014), bill and payment not written by hand (428C9), moves re-price; a missed appointment (booked, or cancelled late, service passed) gets the missed-appointment charge (ticket.missed_appointment_rule; TK005 without one); VOLATILE because it writes';

REVOKE ALL ON FUNCTION cup.booking_before_update() FROM PUBLIC;
