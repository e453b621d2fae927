CREATE TRIGGER audit_delete AFTER DELETE ON ticket.public_holiday REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_delete('day');

CREATE TRIGGER audit_insert AFTER INSERT ON ticket.public_holiday REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_insert('day');

CREATE TRIGGER audit_update AFTER UPDATE ON ticket.public_holiday REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_update('day');

CREATE TRIGGER protect_shipped_rows BEFORE INSERT OR DELETE OR UPDATE ON ticket.public_holiday FOR EACH ROW EXECUTE FUNCTION ticket.protect_shipped_rows();

CREATE TRIGGER protect_shipped_rows_truncate BEFORE TRUNCATE ON ticket.public_holiday FOR EACH STATEMENT EXECUTE FUNCTION ticket.protect_shipped_rows();
