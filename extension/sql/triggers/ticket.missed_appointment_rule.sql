CREATE TRIGGER audit_delete AFTER DELETE ON ticket.missed_appointment_rule REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_delete('effective_from');

CREATE TRIGGER audit_insert AFTER INSERT ON ticket.missed_appointment_rule REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_insert('effective_from');

CREATE TRIGGER audit_update AFTER UPDATE ON ticket.missed_appointment_rule REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_update('effective_from');

CREATE TRIGGER protect_shipped_rows BEFORE INSERT OR DELETE OR UPDATE ON ticket.missed_appointment_rule FOR EACH ROW EXECUTE FUNCTION ticket.protect_shipped_rows();

CREATE TRIGGER protect_shipped_rows_truncate BEFORE TRUNCATE ON ticket.missed_appointment_rule FOR EACH STATEMENT EXECUTE FUNCTION ticket.protect_shipped_rows();
