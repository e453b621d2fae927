CREATE FUNCTION ticket.event_notify() RETURNS trigger
    LANGUAGE c SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS 'MODULE_PATHNAME', 'ticket_event_notify';

COMMENT ON FUNCTION ticket.event_notify() IS 'trigger: notes each new event_id; the transaction sends NOTIFY ticket_event with the highest at commit; VOLATILE because it notifies';

REVOKE ALL ON FUNCTION ticket.event_notify() FROM PUBLIC;
