CREATE TRIGGER audit_delete AFTER DELETE ON registry.guardian REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_delete('ward,guardian,appointed');

CREATE TRIGGER audit_insert AFTER INSERT ON registry.guardian REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_insert('ward,guardian,appointed');

CREATE TRIGGER audit_update AFTER UPDATE ON registry.guardian REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_update('ward,guardian,appointed');
