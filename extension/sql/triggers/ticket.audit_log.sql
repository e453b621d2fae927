CREATE TRIGGER audit_log_append_only BEFORE DELETE OR UPDATE ON ticket.audit_log FOR EACH ROW EXECUTE FUNCTION ticket.audit_log_append_only();

CREATE TRIGGER audit_log_append_only_truncate BEFORE TRUNCATE ON ticket.audit_log FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_log_append_only();
