CREATE FUNCTION ticket.fiscal_code_encode_place(surname text, given_name text, sex text, birth_date date, birthplace_name text) RETURNS ticket.fiscal_code
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    RETURN ticket.fiscal_code_encode(surname, given_name, sex, birth_date,
                                     ticket.birthplace_code(birthplace_name, birth_date));
END;
$$;

COMMENT ON FUNCTION ticket.fiscal_code_encode_place(surname text, given_name text, sex text, birth_date date, birthplace_name text) IS 'the canonical fiscal code for the personal data, the birthplace given by name (San Severo (FG), Torino, Spagna) and resolved on the birth date by birthplace_code';

REVOKE ALL ON FUNCTION ticket.fiscal_code_encode_place(surname text, given_name text, sex text, birth_date date, birthplace_name text) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_encode_place(surname text, given_name text, sex text, birth_date date, birthplace_name text) TO ticket_library;
