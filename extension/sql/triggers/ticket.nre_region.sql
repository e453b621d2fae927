CREATE TRIGGER audit_delete AFTER DELETE ON ticket.nre_region REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_delete('region_code');

CREATE TRIGGER audit_insert AFTER INSERT ON ticket.nre_region REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_insert('region_code');

CREATE TRIGGER audit_update AFTER UPDATE ON ticket.nre_region REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_update('region_code');

CREATE TRIGGER protect_shipped_rows BEFORE INSERT OR DELETE OR UPDATE ON ticket.nre_region FOR EACH ROW EXECUTE FUNCTION ticket.protect_shipped_rows();

CREATE TRIGGER protect_shipped_rows_truncate BEFORE TRUNCATE ON ticket.nre_region FOR EACH STATEMENT EXECUTE FUNCTION ticket.protect_shipped_rows();

CREATE TRIGGER rules_changed AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON ticket.nre_region FOR EACH STATEMENT EXECUTE FUNCTION ticket.rules_changed();

CREATE TRIGGER rules_replicated AFTER INSERT OR DELETE OR UPDATE ON ticket.nre_region FOR EACH ROW EXECUTE FUNCTION ticket.rules_changed();

ALTER TABLE ticket.nre_region DISABLE TRIGGER rules_replicated;
