CREATE FUNCTION ticket.acting_superuser() RETURNS boolean
    LANGUAGE c STABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'ticket_acting_superuser';

COMMENT ON FUNCTION ticket.acting_superuser() IS 'whether ticket.acting_role() is a superuser: the one kind of role no check of the extension restricts';

REVOKE ALL ON FUNCTION ticket.acting_superuser() FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.acting_superuser() TO ticket_library;
