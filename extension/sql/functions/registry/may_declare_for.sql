CREATE FUNCTION registry.may_declare_for(declarant ticket.fiscal_code, citizen ticket.fiscal_code, on_date date) RETURNS boolean
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
BEGIN
    IF declarant = citizen THEN
        RETURN true;
    END IF;
    -- Someone else declares only for a minor: a parent (the household's
    -- income-tax declarant or spouse), or an appointed guardian.
    RETURN EXISTS (SELECT 1 FROM registry.citizen c
                    WHERE c.fiscal_code = citizen
                      AND c.birth_date > (on_date - interval '18 years')::date)
       AND (EXISTS (SELECT 1 FROM registry.household_member m
                      JOIN registry.household_member p ON p.household_id = m.household_id
                     WHERE m.fiscal_code = citizen AND m.relation = 'dependant'
                       AND p.fiscal_code = declarant
                       AND p.relation IN ('declarant', 'spouse'))
            OR EXISTS (SELECT 1 FROM registry.guardian g
                        WHERE g.ward = citizen
                          AND g.guardian = declarant AND g.appointed @> on_date));
END;
$$;

COMMENT ON FUNCTION registry.may_declare_for(declarant ticket.fiscal_code, citizen ticket.fiscal_code, on_date date) IS 'whether declarant may self-certify for citizen on a date: themselves, or for a minor a parent of the household or a guardian';

REVOKE ALL ON FUNCTION registry.may_declare_for(declarant ticket.fiscal_code, citizen ticket.fiscal_code, on_date date) FROM PUBLIC;
