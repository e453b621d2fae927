CREATE TRIGGER audit_delete AFTER DELETE ON registry.declaration REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_delete('declaration_id');

CREATE TRIGGER audit_insert AFTER INSERT ON registry.declaration REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_insert('declaration_id');

CREATE TRIGGER audit_update AFTER UPDATE ON registry.declaration REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT WHEN ((current_setting('ticket.internal_write'::text, true) IS DISTINCT FROM 'on'::text)) EXECUTE FUNCTION ticket.audit_update('declaration_id');

CREATE TRIGGER declaration_authorised BEFORE INSERT ON registry.declaration FOR EACH ROW WHEN ((NOT ticket.acting_superuser())) EXECUTE FUNCTION registry.declaration_authorised();

CREATE TRIGGER declaration_before_insert BEFORE INSERT ON registry.declaration FOR EACH ROW EXECUTE FUNCTION registry.declaration_before_insert();

CREATE TRIGGER declaration_close_previous AFTER INSERT ON registry.declaration REFERENCING NEW TABLE AS new_declarations FOR EACH STATEMENT EXECUTE FUNCTION registry.declarations_close();

CREATE TRIGGER declaration_history BEFORE UPDATE ON registry.declaration FOR EACH ROW WHEN (((current_setting('ticket.internal_write'::text, true) IS DISTINCT FROM 'on'::text) OR (ROW(new.declaration_id, new.fiscal_code, new.band, new.declarant, new.channel, new.operator, new.signed_at, new.applies_from, new.income_year) IS DISTINCT FROM ROW(old.declaration_id, old.fiscal_code, old.band, old.declarant, old.channel, old.operator, old.signed_at, old.applies_from, old.income_year)))) EXECUTE FUNCTION registry.refuse_history_change('Record a new declaration instead (registry.self_certify).');

CREATE TRIGGER declaration_no_delete BEFORE DELETE ON registry.declaration FOR EACH ROW EXECUTE FUNCTION registry.refuse_history_change('Record a new declaration instead (registry.self_certify).');

CREATE TRIGGER declarations_propagate AFTER INSERT ON registry.declaration REFERENCING NEW TABLE AS new_declarations FOR EACH STATEMENT EXECUTE FUNCTION registry.declarations_propagate();

CREATE CONSTRAINT TRIGGER replica_apply AFTER INSERT OR DELETE OR UPDATE ON registry.declaration DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cup.apply_replicated();

ALTER TABLE registry.declaration DISABLE TRIGGER replica_apply;

CREATE TRIGGER replica_queue AFTER INSERT OR DELETE ON registry.declaration FOR EACH ROW EXECUTE FUNCTION cup.queue_replicated();

ALTER TABLE registry.declaration DISABLE TRIGGER replica_queue;

CREATE TRIGGER replica_queue_update AFTER UPDATE ON registry.declaration
    FOR EACH ROW WHEN ((OLD.band, OLD.applies_from, OLD.valid_until) IS DISTINCT FROM
                       (NEW.band, NEW.applies_from, NEW.valid_until))
    EXECUTE FUNCTION cup.queue_replicated();

ALTER TABLE registry.declaration DISABLE TRIGGER replica_queue_update;
