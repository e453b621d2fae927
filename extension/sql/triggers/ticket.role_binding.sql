CREATE TRIGGER audit_delete AFTER DELETE ON ticket.role_binding REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_delete('role_name');

CREATE TRIGGER audit_insert AFTER INSERT ON ticket.role_binding REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_insert('role_name');

CREATE TRIGGER audit_update AFTER UPDATE ON ticket.role_binding REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_update('role_name');
