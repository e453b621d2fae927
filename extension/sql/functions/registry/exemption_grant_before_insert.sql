CREATE FUNCTION registry.exemption_grant_before_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    next_april date;
    by_fiscal_year boolean;
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{registry.exemption_grant}',
                                   '{"BEFORE ROW INSERT"}');
    IF NEW.revoked_on IS NOT NULL OR NEW.revoked_at IS NOT NULL THEN
        PERFORM ticket.raise_error('22023', 'a grant is inserted unrevoked',
            hint => 'Grant it, then revoke it with registry.revoke_exemption.');
    END IF;
    PERFORM registry.lock_citizen(NEW.fiscal_code, lower(NEW.valid), 'exemption');
    -- Income exemptions run 1 April to 31 March (§4.1; ../shared
    -- performance-reliability §5), and so do the grants of an exemption whose
    -- rule, in the regime of the grant's first day, says so from a date
    -- (ticket.exemption_rule.april_grants_from: FA2 since 2022, §9; S29 S30
    -- S48): the next 1 April after the start.
    by_fiscal_year := ticket.exemption_family(NEW.exemption) = 'income';
    IF NOT by_fiscal_year THEN
        SELECT coalesce(e.april_grants_from <= lower(NEW.valid), false) INTO by_fiscal_year
          FROM ticket.exemption_rule e
         WHERE e.regime_id = (SELECT r.regime_id FROM ticket.regime r
                               WHERE r.status = 'enacted' AND r.effective_from <= lower(NEW.valid)
                               ORDER BY r.effective_from DESC LIMIT 1)
           AND (e.exemption = NEW.exemption OR e.family = ticket.exemption_family(NEW.exemption))
         ORDER BY e.exemption IS NULL
         LIMIT 1;
    END IF;
    IF by_fiscal_year THEN
        next_april := make_date(extract(year FROM lower(NEW.valid) - interval '3 months')::integer + 1, 4, 1);
        IF upper_inf(NEW.valid) THEN
            NEW.valid := daterange(lower(NEW.valid), next_april);
        ELSIF upper(NEW.valid) > next_april AND ticket.exemption_family(NEW.exemption) = 'income' THEN
            PERFORM ticket.raise_error('22023', 'income exemption % runs at most to 31 March %: % asks until %',
                                       ARRAY[NEW.exemption::text, extract(year FROM next_april)::text,
                                             NEW.valid::text, (upper(NEW.valid) - 1)::text],
                hint => 'Grant the next year as a new row.');
        ELSIF upper(NEW.valid) > next_april THEN
            PERFORM ticket.raise_error('22023', 'exemption % is granted by fiscal year, at most to 31 March %: % asks until %',
                                       ARRAY[NEW.exemption::text, extract(year FROM next_april)::text,
                                             NEW.valid::text, (upper(NEW.valid) - 1)::text],
                hint => 'Grant the next year as a new row.');
        END IF;
    END IF;
    RETURN NEW;
END;
$$;

COMMENT ON FUNCTION registry.exemption_grant_before_insert() IS 'trigger: a living citizen; income exemptions, and those whose rule runs grants by fiscal year (exemption_rule.april_grants_from: FA2 since 2022), end by the next 1 April (an open range is closed there); VOLATILE because it writes';

REVOKE ALL ON FUNCTION registry.exemption_grant_before_insert() FROM PUBLIC;
