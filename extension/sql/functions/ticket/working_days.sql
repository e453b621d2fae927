CREATE FUNCTION ticket.working_days(from_day date, to_day date) RETURNS integer
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    first_year integer;
    last_year integer;
    days integer;
BEGIN
    IF NOT isfinite(from_day) OR NOT isfinite(to_day) THEN
        PERFORM ticket.raise_error('22023', 'working days between % and %: the dates must be finite',
                                   ARRAY[from_day::text, to_day::text]);
    END IF;
    IF to_day <= from_day THEN
        RETURN 0;
    END IF;
    SELECT extract(year FROM min(h.day))::integer, extract(year FROM max(h.day))::integer
      INTO first_year, last_year
      FROM ticket.public_holiday h;
    IF first_year IS NULL OR extract(year FROM from_day) < first_year
       OR extract(year FROM to_day - 1) > last_year THEN
        PERFORM ticket.raise_error('22023', 'working days between % and %: the calendar of public holidays covers % to %',
                                   ARRAY[from_day::text, to_day::text, coalesce(first_year::text, 'no year'),
                                         coalesce(last_year::text, 'no year')],
                                   hint => 'Add the holidays of the missing years to ticket.public_holiday.');
    END IF;
    SELECT count(*)::integer INTO days
      FROM generate_series(from_day, to_day - 1, interval '1 day') AS g(d)
     WHERE extract(isodow FROM g.d) <> 7
       AND NOT EXISTS (SELECT 1 FROM ticket.public_holiday h WHERE h.day = g.d::date);
    RETURN days;
END;
$$;

COMMENT ON FUNCTION ticket.working_days(from_day date, to_day date) IS 'the working days from from_day up to the day before to_day (0 when to_day is not later): every day but Sundays and the national holidays of ticket.public_holiday (Saturdays work); 22023 for a range outside the years the calendar lists; STABLE because it reads the calendar';

REVOKE ALL ON FUNCTION ticket.working_days(from_day date, to_day date) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.working_days(from_day date, to_day date) TO ticket_library;
