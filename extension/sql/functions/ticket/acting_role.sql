CREATE FUNCTION ticket.acting_role() RETURNS name
    LANGUAGE c STABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'ticket_acting_role';

COMMENT ON FUNCTION ticket.acting_role() IS 'the role the session acts as (session user, or the role of SET ROLE), also inside SECURITY DEFINER functions, where current_user is their owner';

REVOKE ALL ON FUNCTION ticket.acting_role() FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.acting_role() TO ticket_library;
