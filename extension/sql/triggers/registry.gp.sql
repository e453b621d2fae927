CREATE TRIGGER audit_delete AFTER DELETE ON registry.gp REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_delete('gp_code');

CREATE TRIGGER audit_insert AFTER INSERT ON registry.gp REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_insert('gp_code');

CREATE TRIGGER audit_update AFTER UPDATE ON registry.gp REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_update('gp_code');
