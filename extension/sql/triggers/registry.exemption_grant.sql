CREATE TRIGGER audit_delete AFTER DELETE ON registry.exemption_grant REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_delete('grant_id');

CREATE TRIGGER audit_insert AFTER INSERT ON registry.exemption_grant REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_insert('grant_id');

CREATE TRIGGER audit_update AFTER UPDATE ON registry.exemption_grant REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_update('grant_id');

CREATE TRIGGER exemption_grant_before_insert BEFORE INSERT ON registry.exemption_grant FOR EACH ROW EXECUTE FUNCTION registry.exemption_grant_before_insert();

CREATE TRIGGER exemption_grant_history BEFORE DELETE OR UPDATE ON registry.exemption_grant FOR EACH ROW EXECUTE FUNCTION registry.refuse_history_change('Revoke the grant instead (registry.revoke_exemption).');

CREATE TRIGGER grants_propagate_insert AFTER INSERT ON registry.exemption_grant REFERENCING NEW TABLE AS new_grants FOR EACH STATEMENT EXECUTE FUNCTION registry.grants_propagate();

CREATE TRIGGER grants_propagate_revoke AFTER UPDATE ON registry.exemption_grant REFERENCING NEW TABLE AS new_grants FOR EACH STATEMENT EXECUTE FUNCTION registry.grants_propagate();

CREATE CONSTRAINT TRIGGER replica_apply AFTER INSERT OR DELETE OR UPDATE ON registry.exemption_grant DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cup.apply_replicated();

ALTER TABLE registry.exemption_grant DISABLE TRIGGER replica_apply;

CREATE TRIGGER replica_queue AFTER INSERT OR DELETE ON registry.exemption_grant FOR EACH ROW EXECUTE FUNCTION cup.queue_replicated();

ALTER TABLE registry.exemption_grant DISABLE TRIGGER replica_queue;

CREATE TRIGGER replica_queue_update AFTER UPDATE ON registry.exemption_grant
    FOR EACH ROW WHEN ((OLD.exemption, OLD.valid, OLD.revoked_on) IS DISTINCT FROM
                       (NEW.exemption, NEW.valid, NEW.revoked_on))
    EXECUTE FUNCTION cup.queue_replicated();

ALTER TABLE registry.exemption_grant DISABLE TRIGGER replica_queue_update;
