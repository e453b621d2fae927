CREATE TRIGGER audit_delete AFTER DELETE ON registry.household REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_delete('household_id');

CREATE TRIGGER audit_insert AFTER INSERT ON registry.household REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_insert('household_id');

CREATE TRIGGER audit_update AFTER UPDATE ON registry.household REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_update('household_id');
