CREATE TRIGGER audit_delete AFTER DELETE ON ticket.service REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_delete('code,effective_from');

CREATE TRIGGER audit_insert AFTER INSERT ON ticket.service REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_insert('code,effective_from');

CREATE TRIGGER audit_update AFTER UPDATE ON ticket.service REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_update('code,effective_from');

CREATE TRIGGER protect_shipped_rows BEFORE INSERT OR DELETE OR UPDATE ON ticket.service FOR EACH ROW EXECUTE FUNCTION ticket.protect_shipped_rows();

CREATE TRIGGER protect_shipped_rows_truncate BEFORE TRUNCATE ON ticket.service FOR EACH STATEMENT EXECUTE FUNCTION ticket.protect_shipped_rows();

CREATE CONSTRAINT TRIGGER replica_apply AFTER INSERT OR DELETE OR UPDATE ON ticket.service DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cup.apply_replicated();

ALTER TABLE ticket.service DISABLE TRIGGER replica_apply;

CREATE TRIGGER replica_queue AFTER INSERT OR DELETE OR UPDATE ON ticket.service FOR EACH ROW EXECUTE FUNCTION cup.queue_replicated();

ALTER TABLE ticket.service DISABLE TRIGGER replica_queue;

CREATE CONSTRAINT TRIGGER reprice_bookings AFTER INSERT OR DELETE OR UPDATE ON ticket.service DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cup.reprice_after_rule_change();

CREATE TRIGGER rules_changed AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON ticket.service FOR EACH STATEMENT EXECUTE FUNCTION ticket.rules_changed();

CREATE TRIGGER rules_dirty BEFORE INSERT OR DELETE OR UPDATE ON ticket.service FOR EACH ROW EXECUTE FUNCTION cup.rules_dirty();

CREATE TRIGGER rules_replicated AFTER INSERT OR DELETE OR UPDATE ON ticket.service FOR EACH ROW EXECUTE FUNCTION ticket.rules_changed();

ALTER TABLE ticket.service DISABLE TRIGGER rules_replicated;
