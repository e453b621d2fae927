CREATE TRIGGER audit_delete AFTER DELETE ON registry.household_member REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_delete('fiscal_code');

CREATE TRIGGER audit_insert AFTER INSERT ON registry.household_member REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_insert('fiscal_code');

CREATE TRIGGER audit_update AFTER UPDATE ON registry.household_member REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_update('fiscal_code');
