CREATE FUNCTION ticket.fiscal_code_decode(code ticket.fiscal_code, reference date DEFAULT CURRENT_DATE, OUT kind text, OUT sex text, OUT birth_date date, OUT birthplace text, OUT place_name text, OUT province text, OUT region text, OUT place_kind text, OUT place_attributable boolean, OUT omocode_mask integer, OUT canonical ticket.fiscal_code) RETURNS record
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    era ticket.birthplace;
BEGIN
    -- Every field from the function that owns its rule.
    kind := ticket.fiscal_code_kind(fiscal_code_decode.code);
    sex := ticket.fiscal_code_sex(fiscal_code_decode.code);
    birth_date := ticket.fiscal_code_birth_date(fiscal_code_decode.code, reference);
    birthplace := ticket.fiscal_code_birthplace(fiscal_code_decode.code);
    IF birthplace IS NOT NULL THEN
        era := ticket.birthplace_era(birthplace, birth_date);
        place_name := era.name;
        province := era.province;
        region := era.region;
        place_kind := era.kind;
    END IF;
    place_attributable := ticket.fiscal_code_place_attributable(fiscal_code_decode.code, reference);
    omocode_mask := ticket.fiscal_code_omocode_mask(fiscal_code_decode.code);
    canonical := ticket.fiscal_code_canonical(fiscal_code_decode.code);
END;
$$;

COMMENT ON FUNCTION ticket.fiscal_code_decode(code ticket.fiscal_code, reference date, OUT kind text, OUT sex text, OUT birth_date date, OUT birthplace text, OUT place_name text, OUT province text, OUT region text, OUT place_kind text, OUT place_attributable boolean, OUT omocode_mask integer, OUT canonical ticket.fiscal_code) IS 'everything a fiscal code says, in one row: kind, sex, birth date (fiscal_code_birth_date), birthplace code, its era on the birth date (birthplace_era: name, province, region, municipality or country), attributability, omocode mask, canonical form';

REVOKE ALL ON FUNCTION ticket.fiscal_code_decode(code ticket.fiscal_code, reference date, OUT kind text, OUT sex text, OUT birth_date date, OUT birthplace text, OUT place_name text, OUT province text, OUT region text, OUT place_kind text, OUT place_attributable boolean, OUT omocode_mask integer, OUT canonical ticket.fiscal_code) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_decode(code ticket.fiscal_code, reference date, OUT kind text, OUT sex text, OUT birth_date date, OUT birthplace text, OUT place_name text, OUT province text, OUT region text, OUT place_kind text, OUT place_attributable boolean, OUT omocode_mask integer, OUT canonical ticket.fiscal_code) TO ticket_library;
