CREATE FUNCTION registry.lock_citizen_in_full(citizen ticket.fiscal_code, on_date date, what text) RETURNS registry.citizen
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    locked registry.citizen;
    remembered text;
BEGIN
    -- registry.lock_citizen (C) takes the usual way; here come the citizens
    -- it found without a lock row, unknown or deceased.  An UPDATE, not
    -- SELECT FOR UPDATE: under REPEATABLE READ a concurrent committed write
    -- about the same citizen must be a serialization failure, and only a
    -- changed row version makes it one.
    UPDATE registry.citizen_lock l SET revision = l.revision + 1
      FROM registry.citizen c
     WHERE l.fiscal_code = citizen AND c.fiscal_code = citizen
    RETURNING c.* INTO locked;
    IF NOT FOUND THEN
        PERFORM FROM registry.citizen c WHERE c.fiscal_code = citizen;
        IF NOT FOUND THEN
            PERFORM ticket.raise_error('23503', 'citizen % is not in the registry', ARRAY[citizen::text],
                hint => CASE what
                            WHEN 'booking' THEN 'Register the citizen in registry.citizen before the booking.'
                            WHEN 'declaration' THEN 'Register the citizen in registry.citizen before the declaration.'
                            WHEN 'exemption' THEN 'Register the citizen in registry.citizen before the exemption.'
                            WHEN 'payment' THEN 'Register the citizen in registry.citizen before the payment.'
                            WHEN 'prescription' THEN 'Register the citizen in registry.citizen before the prescription.'
                            WHEN 'revocation' THEN 'Register the citizen in registry.citizen before the revocation.'
                            ELSE 'Register the citizen in registry.citizen before the %.'
                        END,
                hint_args => ARRAY[coalesce(what, '')]);  -- a NULL what: nothing, as format() gave
        END IF;
        INSERT INTO registry.citizen_lock AS l VALUES (citizen, 1)
            ON CONFLICT (fiscal_code) DO UPDATE SET revision = l.revision + 1;
        SELECT * INTO locked FROM registry.citizen c WHERE c.fiscal_code = citizen;
    END IF;
    IF locked.death_date <= on_date THEN
        IF what IN ('booking', 'declaration', 'exemption', 'payment', 'prescription', 'revocation') THEN
            PERFORM ticket.raise_error('TK010',
                CASE what
                    WHEN 'booking' THEN 'citizen % died on %: no booking on %'
                    WHEN 'declaration' THEN 'citizen % died on %: no declaration on %'
                    WHEN 'exemption' THEN 'citizen % died on %: no exemption on %'
                    WHEN 'payment' THEN 'citizen % died on %: no payment on %'
                    WHEN 'prescription' THEN 'citizen % died on %: no prescription on %'
                    WHEN 'revocation' THEN 'citizen % died on %: no revocation on %'
                END,
                ARRAY[citizen::text, locked.death_date::text, on_date::text]);
        END IF;
        PERFORM ticket.raise_error('TK010', 'citizen % died on %: no % on %',
                                   ARRAY[citizen::text, locked.death_date::text, what, on_date::text]);
    END IF;
    -- Held until the transaction ends; a setting of the transaction (undone
    -- with it, or with a rolled-back savepoint) remembers whose.
    remembered := set_config('ticket.locked_citizen', citizen::text, true);
    RETURN locked;
END;
$$;

COMMENT ON FUNCTION registry.lock_citizen_in_full(citizen ticket.fiscal_code, on_date date, what text) IS 'registry.lock_citizen''s way for the unusual cases (1.3): creates a missing lock row, refuses unknown citizens (23503) and the deceased (TK010), else takes the lock and returns the citizen; VOLATILE because it updates the lock row';

REVOKE ALL ON FUNCTION registry.lock_citizen_in_full(citizen ticket.fiscal_code, on_date date, what text) FROM PUBLIC;
