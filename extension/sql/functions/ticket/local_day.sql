CREATE FUNCTION ticket.local_day(at timestamp with time zone) RETURNS date
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
BEGIN
    RETURN (at AT TIME ZONE 'Europe/Rome')::date;
END;
$$;

COMMENT ON FUNCTION ticket.local_day(at timestamp with time zone) IS 'the calendar day of an instant in Italy (Europe/Rome), whatever the session''s TimeZone; IMMUTABLE like the timezone() it uses';

REVOKE ALL ON FUNCTION ticket.local_day(at timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.local_day(at timestamp with time zone) TO ticket_library;
