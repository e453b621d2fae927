CREATE TRIGGER audit_delete AFTER DELETE ON ticket.exemption_catalogue REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_delete('code_pattern,valid');

CREATE TRIGGER audit_insert AFTER INSERT ON ticket.exemption_catalogue REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_insert('code_pattern,valid');

CREATE TRIGGER audit_update AFTER UPDATE ON ticket.exemption_catalogue REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_update('code_pattern,valid');

CREATE TRIGGER keeps_grants_delete AFTER DELETE ON ticket.exemption_catalogue REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.exemption_catalogue_keeps_grants();

CREATE TRIGGER keeps_grants_update AFTER UPDATE ON ticket.exemption_catalogue REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.exemption_catalogue_keeps_grants();

CREATE TRIGGER protect_shipped_rows BEFORE INSERT OR DELETE OR UPDATE ON ticket.exemption_catalogue FOR EACH ROW EXECUTE FUNCTION ticket.protect_shipped_rows();

CREATE TRIGGER protect_shipped_rows_truncate BEFORE TRUNCATE ON ticket.exemption_catalogue FOR EACH STATEMENT EXECUTE FUNCTION ticket.protect_shipped_rows();

CREATE CONSTRAINT TRIGGER replica_apply AFTER INSERT OR DELETE OR UPDATE ON ticket.exemption_catalogue DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cup.apply_replicated();

ALTER TABLE ticket.exemption_catalogue DISABLE TRIGGER replica_apply;

CREATE TRIGGER replica_queue AFTER INSERT OR DELETE OR UPDATE ON ticket.exemption_catalogue FOR EACH ROW EXECUTE FUNCTION cup.queue_replicated();

ALTER TABLE ticket.exemption_catalogue DISABLE TRIGGER replica_queue;

CREATE CONSTRAINT TRIGGER reprice_bookings AFTER INSERT OR DELETE OR UPDATE ON ticket.exemption_catalogue DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cup.reprice_after_rule_change();

CREATE TRIGGER rules_changed AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON ticket.exemption_catalogue FOR EACH STATEMENT EXECUTE FUNCTION ticket.rules_changed();

CREATE TRIGGER rules_dirty BEFORE INSERT OR DELETE OR UPDATE ON ticket.exemption_catalogue FOR EACH ROW EXECUTE FUNCTION cup.rules_dirty();

CREATE TRIGGER rules_replicated AFTER INSERT OR DELETE OR UPDATE ON ticket.exemption_catalogue FOR EACH ROW EXECUTE FUNCTION ticket.rules_changed();

ALTER TABLE ticket.exemption_catalogue DISABLE TRIGGER rules_replicated;
