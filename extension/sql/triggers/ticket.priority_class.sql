CREATE TRIGGER audit_delete AFTER DELETE ON ticket.priority_class REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_delete('priority');

CREATE TRIGGER audit_insert AFTER INSERT ON ticket.priority_class REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_insert('priority');

CREATE TRIGGER audit_update AFTER UPDATE ON ticket.priority_class REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_update('priority');

CREATE TRIGGER protect_shipped_rows BEFORE INSERT OR DELETE OR UPDATE ON ticket.priority_class FOR EACH ROW EXECUTE FUNCTION ticket.protect_shipped_rows();

CREATE TRIGGER protect_shipped_rows_truncate BEFORE TRUNCATE ON ticket.priority_class FOR EACH STATEMENT EXECUTE FUNCTION ticket.protect_shipped_rows();

CREATE TRIGGER rules_changed AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON ticket.priority_class FOR EACH STATEMENT EXECUTE FUNCTION ticket.rules_changed();

CREATE TRIGGER rules_replicated AFTER INSERT OR DELETE OR UPDATE ON ticket.priority_class FOR EACH ROW EXECUTE FUNCTION ticket.rules_changed();

ALTER TABLE ticket.priority_class DISABLE TRIGGER rules_replicated;
