CREATE TRIGGER audit_delete AFTER DELETE ON registry.asl REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_delete('asl_code');

CREATE TRIGGER audit_insert AFTER INSERT ON registry.asl REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_insert('asl_code');

CREATE TRIGGER audit_update AFTER UPDATE ON registry.asl REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_update('asl_code');

CREATE TRIGGER protect_shipped_rows BEFORE INSERT OR DELETE OR UPDATE ON registry.asl FOR EACH ROW EXECUTE FUNCTION ticket.protect_shipped_rows();

CREATE TRIGGER protect_shipped_rows_truncate BEFORE TRUNCATE ON registry.asl FOR EACH STATEMENT EXECUTE FUNCTION ticket.protect_shipped_rows();
