CREATE FUNCTION ticket.prescription_max_wait(nre text, priority text, services text[], on_date date) RETURNS integer
    LANGUAGE c STABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'ticket_prescription_max_wait';

COMMENT ON FUNCTION ticket.prescription_max_wait(nre text, priority text, services text[], on_date date) IS 'the longest wait a priority allows for these services (visit or diagnostic figure); refuses an NRE of an unknown region (22P02) and an unknown priority (23503); NULL without a priority';

REVOKE ALL ON FUNCTION ticket.prescription_max_wait(nre text, priority text, services text[], on_date date) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.prescription_max_wait(nre text, priority text, services text[], on_date date) TO ticket_library;
