CREATE TRIGGER audit_delete AFTER DELETE ON cup.booking REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_delete('booking_id');

CREATE TRIGGER audit_insert AFTER INSERT ON cup.booking REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_insert('booking_id');

CREATE TRIGGER audit_update AFTER UPDATE ON cup.booking REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_update('booking_id', 'status', 'service_date', 'paid_amount', 'paid_at', 'payment_channel', 'cancelled_at', '+bill', '+amount', '+priced_at');

CREATE TRIGGER booking_authorised BEFORE INSERT ON cup.booking FOR EACH ROW WHEN ((NOT ticket.acting_superuser())) EXECUTE FUNCTION cup.booking_authorised();

CREATE TRIGGER booking_before_insert BEFORE INSERT ON cup.booking FOR EACH ROW EXECUTE FUNCTION cup.booking_before_insert();

CREATE TRIGGER booking_before_update BEFORE UPDATE ON cup.booking FOR EACH ROW WHEN (((current_setting('ticket.internal_write'::text, true) IS DISTINCT FROM 'on'::text) OR (old.status <> 'booked'::text) OR (ROW(new.booking_id, new.nre, new.fiscal_code, new.booked_at) IS DISTINCT FROM ROW(old.booking_id, old.nre, old.fiscal_code, old.booked_at)))) EXECUTE FUNCTION cup.booking_before_update();

CREATE TRIGGER booking_events_update AFTER UPDATE ON cup.booking REFERENCING OLD TABLE AS old_bookings NEW TABLE AS new_bookings FOR EACH STATEMENT EXECUTE FUNCTION cup.booking_events();

CREATE TRIGGER booking_refuse_delete BEFORE DELETE ON cup.booking FOR EACH ROW EXECUTE FUNCTION cup.booking_refuse_delete();
