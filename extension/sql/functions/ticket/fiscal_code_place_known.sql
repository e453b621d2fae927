CREATE FUNCTION ticket.fiscal_code_place_known(code ticket.fiscal_code) RETURNS boolean
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM ticket.birthplace b
                    WHERE b.code = ticket.fiscal_code_birthplace(fiscal_code_place_known.code));
END;
$$;

COMMENT ON FUNCTION ticket.fiscal_code_place_known(code ticket.fiscal_code) IS 'true when the birthplace code of a personal code is in ticket.birthplace (any era); false for non-personal codes';

REVOKE ALL ON FUNCTION ticket.fiscal_code_place_known(code ticket.fiscal_code) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_place_known(code ticket.fiscal_code) TO ticket_library;
