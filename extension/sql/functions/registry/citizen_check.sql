CREATE FUNCTION registry.citizen_check() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{registry.citizen}',
                                   '{"BEFORE ROW INSERT","BEFORE ROW UPDATE"}');
    IF NOT EXISTS (SELECT 1 FROM ticket.birthplace b WHERE b.code = NEW.birthplace) THEN
        PERFORM ticket.raise_error('TK016', 'birthplace % of citizen % is not a known Belfiore code',
                                   ARRAY[NEW.birthplace, NEW.fiscal_code::text],
            hint => 'Load the national archive with ticket_load_birthplaces.psql, or correct the birthplace.');
    END IF;
    IF NEW.code_mismatch_reason IS NULL
       AND ticket.fiscal_code_kind(NEW.fiscal_code) = 'personal'
       AND NOT ticket.fiscal_code_matches(NEW.fiscal_code, NEW.surname, NEW.given_name, NEW.sex,
                                          NEW.birth_date, NEW.birthplace) THEN
        PERFORM ticket.raise_error('TK015', 'fiscal code % does not match the personal data of % %',
                                   ARRAY[NEW.fiscal_code::text, NEW.given_name, NEW.surname],
            detail => 'The data give %.',
            detail_args => ARRAY[ticket.fiscal_code_encode(NEW.surname, NEW.given_name, NEW.sex,
                                                           NEW.birth_date, NEW.birthplace)::text],
            hint => 'Correct the data, or record why a legacy code differs in code_mismatch_reason.');
    END IF;
    RETURN NEW;
END;
$$;

COMMENT ON FUNCTION registry.citizen_check() IS 'trigger: a known birthplace (TK016) and a fiscal code that matches the personal data, omocodes accepted, unless a mismatch reason is recorded (TK015); VOLATILE because it guards writes';

REVOKE ALL ON FUNCTION registry.citizen_check() FROM PUBLIC;
