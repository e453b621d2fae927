CREATE FUNCTION registry.exemption_grant_before_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    next_april date;
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{registry.exemption_grant}',
                                   '{"BEFORE ROW INSERT"}');
    IF NEW.revoked_on IS NOT NULL OR NEW.revoked_at IS NOT NULL THEN
        PERFORM ticket.raise_error('22023', 'a grant is inserted unrevoked',
            hint => 'Grant it, then revoke it with registry.revoke_exemption.');
    END IF;
    PERFORM registry.lock_citizen(NEW.fiscal_code, lower(NEW.valid), 'exemption');
    IF ticket.exemption_family(NEW.exemption) = 'income' THEN
        -- Income exemptions run 1 April to 31 March (§4.1; ../shared
        -- performance-reliability §5): the next 1 April after the start.
        next_april := make_date(extract(year FROM lower(NEW.valid) - interval '3 months')::integer + 1, 4, 1);
        IF upper_inf(NEW.valid) THEN
            NEW.valid := daterange(lower(NEW.valid), next_april);
        ELSIF upper(NEW.valid) > next_april THEN
            PERFORM ticket.raise_error('22023', 'income exemption % runs at most to 31 March %: % asks until %',
                                       ARRAY[NEW.exemption::text, extract(year FROM next_april)::text,
                                             NEW.valid::text, (upper(NEW.valid) - 1)::text],
                hint => 'Grant the next year as a new row.');
        END IF;
    END IF;
    RETURN NEW;
END;
$$;

COMMENT ON FUNCTION registry.exemption_grant_before_insert() IS 'trigger: a living citizen; income exemptions end by the next 1 April (an open range is closed there); VOLATILE because it writes';

REVOKE ALL ON FUNCTION registry.exemption_grant_before_insert() FROM PUBLIC;
