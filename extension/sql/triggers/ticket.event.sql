CREATE TRIGGER event_notify BEFORE INSERT ON ticket.event FOR EACH ROW EXECUTE FUNCTION ticket.event_notify();
