CREATE TRIGGER audit_delete AFTER DELETE ON ticket.exemption_catalogue REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_delete('code_pattern,valid');

CREATE TRIGGER audit_insert AFTER INSERT ON ticket.exemption_catalogue REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_insert('code_pattern,valid');

CREATE TRIGGER audit_update AFTER UPDATE ON ticket.exemption_catalogue REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_update('code_pattern,valid');

CREATE TRIGGER protect_shipped_rows BEFORE INSERT OR DELETE OR UPDATE ON ticket.exemption_catalogue FOR EACH ROW EXECUTE FUNCTION ticket.protect_shipped_rows();

CREATE TRIGGER protect_shipped_rows_truncate BEFORE TRUNCATE ON ticket.exemption_catalogue FOR EACH STATEMENT EXECUTE FUNCTION ticket.protect_shipped_rows();

CREATE TRIGGER rules_changed AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON ticket.exemption_catalogue FOR EACH STATEMENT EXECUTE FUNCTION ticket.rules_changed();
