CREATE FUNCTION ticket.birthplace_era(code text, on_date date) RETURNS ticket.birthplace
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    era ticket.birthplace;
BEGIN
    -- The era in force on the date; failing that, the first era after it
    -- (a code issued by a later municipality, docs §10.3 "attributable"),
    -- failing that the last era before it.
    SELECT b.* INTO era
      FROM ticket.birthplace b
     WHERE b.code = upper(birthplace_era.code)
     ORDER BY b.valid @> on_date DESC,
              lower(b.valid) > on_date DESC,
              CASE WHEN lower(b.valid) > on_date THEN lower(b.valid) END ASC,
              lower(b.valid) DESC,
              b.name
     LIMIT 1;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    RETURN era;
END;
$$;

COMMENT ON FUNCTION ticket.birthplace_era(code text, on_date date) IS 'the ticket.birthplace row of a Belfiore code on a date: the era in force, else the next era, else the last one; NULL for an unknown code';

REVOKE ALL ON FUNCTION ticket.birthplace_era(code text, on_date date) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.birthplace_era(code text, on_date date) TO ticket_library;
