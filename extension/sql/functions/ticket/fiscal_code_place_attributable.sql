CREATE FUNCTION ticket.fiscal_code_place_attributable(code ticket.fiscal_code, reference date DEFAULT CURRENT_DATE) RETURNS boolean
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    born date := ticket.fiscal_code_birth_date(fiscal_code_place_attributable.code, reference);
BEGIN
    IF born IS NULL THEN
        RETURN false;
    END IF;
    RETURN ticket.birthplace_attributable(ticket.fiscal_code_birthplace(fiscal_code_place_attributable.code), born);
END;
$$;

COMMENT ON FUNCTION ticket.fiscal_code_place_attributable(code ticket.fiscal_code, reference date) IS 'opt-in check: the birthplace code is attributable on the birth date (birthplace_attributable); false for unknown places and non-personal codes; validity never asks this';

REVOKE ALL ON FUNCTION ticket.fiscal_code_place_attributable(code ticket.fiscal_code, reference date) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_place_attributable(code ticket.fiscal_code, reference date) TO ticket_library;
