CREATE FUNCTION ticket.birthplace_attributable(code text, on_date date) RETURNS boolean
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    -- Attributable (docs §10.3): some era of the code is in force on the
    -- date or begins after it; not when every era ended before the date
    -- (the complement, for a known code, of the birth-date century rule).
    RETURN EXISTS (SELECT 1 FROM ticket.birthplace b
                    WHERE b.code = upper(birthplace_attributable.code)
                      AND (upper_inf(b.valid) OR upper(b.valid) > on_date));
END;
$$;

COMMENT ON FUNCTION ticket.birthplace_attributable(code text, on_date date) IS 'true when some era of a Belfiore code is in force on the date or begins after it; false when every era ended before it or the code is unknown';

REVOKE ALL ON FUNCTION ticket.birthplace_attributable(code text, on_date date) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.birthplace_attributable(code text, on_date date) TO ticket_library;
