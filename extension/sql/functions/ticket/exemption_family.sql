CREATE FUNCTION ticket.exemption_family(ticket.exemption) RETURNS text
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $_$
    SELECT c.family FROM ticket.exemption_catalogue c
     WHERE ticket.text($1) OPERATOR(pg_catalog.~) c.code_pattern
     ORDER BY pg_catalog.upper_inf(c.valid) DESC, pg_catalog.upper(c.valid) DESC
     LIMIT 1
$_$;

COMMENT ON FUNCTION ticket.exemption_family(ticket.exemption) IS 'income, regional, invalidity, pregnancy, prevention, other, chronic or rare: the family ticket.exemption_catalogue gives the code (its latest row); NULL for a code the catalogue does not hold';

REVOKE ALL ON FUNCTION ticket.exemption_family(ticket.exemption) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.exemption_family(ticket.exemption) TO ticket_library;
