CREATE FUNCTION ticket.birthplace_name(code text, on_date date) RETURNS text
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    -- One rule for the era of a date: ticket.birthplace_era.
    RETURN (ticket.birthplace_era(birthplace_name.code, on_date)).name;
END;
$$;

COMMENT ON FUNCTION ticket.birthplace_name(code text, on_date date) IS 'name of a Belfiore code on a date: the era in force, else the next era, else the last one (see birthplace_era); NULL for an unknown code';

REVOKE ALL ON FUNCTION ticket.birthplace_name(code text, on_date date) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.birthplace_name(code text, on_date date) TO ticket_library;
