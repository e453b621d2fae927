CREATE FUNCTION ticket.fiscal_code_place_name(code ticket.fiscal_code, reference date DEFAULT CURRENT_DATE) RETURNS text
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    RETURN ticket.birthplace_name(ticket.fiscal_code_birthplace(fiscal_code_place_name.code),
                                  ticket.fiscal_code_birth_date(fiscal_code_place_name.code, reference));
END;
$$;

COMMENT ON FUNCTION ticket.fiscal_code_place_name(code ticket.fiscal_code, reference date) IS 'name of the birthplace valid on the birth date (see birthplace_name); NULL when unknown or not a personal code';

REVOKE ALL ON FUNCTION ticket.fiscal_code_place_name(code ticket.fiscal_code, reference date) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_place_name(code ticket.fiscal_code, reference date) TO ticket_library;
