CREATE TRIGGER audit_delete AFTER DELETE ON fse.prescription REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_delete('nre');

CREATE TRIGGER audit_insert AFTER INSERT ON fse.prescription REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_insert('nre');

CREATE TRIGGER audit_update AFTER UPDATE ON fse.prescription REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_update('nre');

CREATE TRIGGER prescription_authorised BEFORE INSERT ON fse.prescription FOR EACH ROW WHEN ((NOT ticket.acting_superuser())) EXECUTE FUNCTION fse.prescription_authorised();

CREATE TRIGGER prescription_before_insert BEFORE INSERT ON fse.prescription FOR EACH ROW EXECUTE FUNCTION fse.prescription_before_insert();

CREATE TRIGGER prescription_before_update BEFORE UPDATE ON fse.prescription FOR EACH ROW EXECUTE FUNCTION fse.prescription_before_update();

CREATE TRIGGER prescription_history BEFORE DELETE ON fse.prescription FOR EACH ROW EXECUTE FUNCTION registry.refuse_history_change('A prescription is a signed document: write a new one.');
