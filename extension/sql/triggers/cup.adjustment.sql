CREATE TRIGGER adjustment_events AFTER INSERT ON cup.adjustment REFERENCING NEW TABLE AS new_adjustments FOR EACH STATEMENT EXECUTE FUNCTION cup.adjustment_events();

CREATE TRIGGER adjustment_history BEFORE DELETE OR UPDATE ON cup.adjustment FOR EACH ROW EXECUTE FUNCTION cup.adjustment_before_update();

CREATE TRIGGER audit_delete AFTER DELETE ON cup.adjustment REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_delete('adjustment_id');

CREATE TRIGGER audit_insert AFTER INSERT ON cup.adjustment REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_insert('adjustment_id');

CREATE TRIGGER audit_update AFTER UPDATE ON cup.adjustment REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket.audit_update('adjustment_id');
