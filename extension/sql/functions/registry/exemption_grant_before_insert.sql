CREATE FUNCTION registry.exemption_grant_before_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    patient registry.citizen;
    next_april date;
    code text;
    entry record;
    last_day date;
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{registry.exemption_grant}',
                                   '{"BEFORE ROW INSERT"}');
    IF NEW.revoked_on IS NOT NULL OR NEW.revoked_at IS NOT NULL THEN
        PERFORM ticket.raise_error('22023', 'a grant is inserted unrevoked',
            hint => 'Grant it, then revoke it with registry.revoke_exemption.');
    END IF;
    -- An assignment, not PERFORM: PL/pgSQL evaluates it without the executor.
    patient := registry.lock_citizen(NEW.fiscal_code, lower(NEW.valid), 'exemption');
    -- The catalogue (data) holds the code on the first day, and says where
    -- its grants come from and how they are dated (§4.1, §4.2, §9 item 3).
    -- A range without a start is the table's CHECK (23514), after this.
    IF lower_inf(NEW.valid) THEN
        RETURN NEW;
    END IF;
    code := ticket.text(NEW.exemption);
    SELECT c.family, c.valid, c.period, c.grant_sources INTO entry
      FROM ticket.exemption_catalogue c
     WHERE code OPERATOR(pg_catalog.~) c.code_pattern
       AND c.valid OPERATOR(pg_catalog.@>) lower(NEW.valid)
     ORDER BY c.code_pattern COLLATE "C"
     LIMIT 1;
    IF NOT FOUND THEN
        PERFORM ticket.raise_error('TK008', 'exemption % is not in the exemption catalogue on %',
                                   ARRAY[code, lower(NEW.valid)::text],
            hint => 'A code the region adds is a row of ticket.exemption_catalogue, with its rule in ticket.exemption_rule.');
    END IF;
    -- An unknown source is the table's CHECK (23514), after this.
    IF NOT NEW.source OPERATOR(pg_catalog.=) ANY (entry.grant_sources)
       AND NEW.source OPERATOR(pg_catalog.=) ANY ('{asl_certificate,mef_list,self_certification}'::text[]) THEN
        PERFORM ticket.raise_error('22023', 'exemption % is not granted from source %: its sources are %',
                                   ARRAY[code, NEW.source, pg_catalog.array_to_string(entry.grant_sources, ', ')]);
    END IF;
    IF entry.period OPERATOR(pg_catalog.=) 'fiscal_year' THEN
        -- 1 April to 31 March (§4.1; ../shared performance-reliability §5):
        -- the next 1 April after the start.
        next_april := make_date(extract(year FROM lower(NEW.valid) - interval '3 months')::integer + 1, 4, 1);
        last_day := next_april;
    ELSIF entry.period OPERATOR(pg_catalog.=) 'edition' THEN
        last_day := upper(entry.valid);     -- NULL for an edition without end
    END IF;
    IF last_day IS NOT NULL THEN
        IF upper_inf(NEW.valid) THEN
            NEW.valid := daterange(lower(NEW.valid), last_day);
        ELSIF upper(NEW.valid) > last_day THEN
            IF entry.family OPERATOR(pg_catalog.=) 'income' THEN
                PERFORM ticket.raise_error('22023', 'income exemption % runs at most to 31 March %: % asks until %',
                                           ARRAY[code, extract(year FROM next_april)::text,
                                                 NEW.valid::text, (upper(NEW.valid) - 1)::text],
                    hint => 'Grant the next year as a new row.');
            ELSE
                PERFORM ticket.raise_error('22023', 'exemption % runs at most to %: % asks until %',
                                           ARRAY[code, (last_day - 1)::text,
                                                 NEW.valid::text, (upper(NEW.valid) - 1)::text],
                    hint => 'Grant the next year or edition as a new row.');
            END IF;
        END IF;
    END IF;
    RETURN NEW;
END;
$$;

COMMENT ON FUNCTION registry.exemption_grant_before_insert() IS 'trigger: a living citizen; the code in ticket.exemption_catalogue on the first day (TK008), from one of its sources; a fiscal-year code ends by the next 1 April, an edition by the edition''s end (an open range is closed there); VOLATILE because it writes';

REVOKE ALL ON FUNCTION registry.exemption_grant_before_insert() FROM PUBLIC;
