CREATE TRIGGER audit_delete AFTER DELETE ON registry.citizen REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_delete('fiscal_code');

CREATE TRIGGER audit_insert AFTER INSERT ON registry.citizen REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_insert('fiscal_code');

CREATE TRIGGER audit_update AFTER UPDATE ON registry.citizen REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_update('fiscal_code');

CREATE TRIGGER citizen_check BEFORE INSERT OR UPDATE OF fiscal_code, surname, given_name, sex, birth_date, birthplace, code_mismatch_reason ON registry.citizen FOR EACH ROW EXECUTE FUNCTION registry.citizen_check();

CREATE TRIGGER citizen_deaths AFTER UPDATE OF death_date ON registry.citizen FOR EACH ROW WHEN (((new.death_date IS NOT NULL) AND (new.death_date IS DISTINCT FROM old.death_date))) EXECUTE FUNCTION registry.citizen_deaths();

CREATE CONSTRAINT TRIGGER replica_apply AFTER INSERT OR DELETE OR UPDATE ON registry.citizen DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cup.apply_replicated();

ALTER TABLE registry.citizen DISABLE TRIGGER replica_apply;

CREATE TRIGGER replica_queue AFTER INSERT OR DELETE ON registry.citizen FOR EACH ROW EXECUTE FUNCTION cup.queue_replicated();

ALTER TABLE registry.citizen DISABLE TRIGGER replica_queue;

CREATE TRIGGER replica_queue_update AFTER UPDATE ON registry.citizen FOR EACH ROW WHEN ((old.death_date IS DISTINCT FROM new.death_date)) EXECUTE FUNCTION cup.queue_replicated();

ALTER TABLE registry.citizen DISABLE TRIGGER replica_queue_update;
