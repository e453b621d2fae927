CREATE FUNCTION registry.declaration_before_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    patient registry.citizen;
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{registry.declaration}',
                                   '{"BEFORE ROW INSERT"}');
    IF NEW.valid_until IS NOT NULL THEN
        PERFORM ticket.raise_error('428C9', 'valid_until of a declaration is set by the next declaration',
            hint => 'Insert the declaration without valid_until.');
    END IF;
    -- Every channel, the Revenue Agency's too, and superusers' batches.
    IF NEW.signed_at > now() THEN
        PERFORM ticket.raise_error('22023', 'a self-certification cannot be signed in the future (%)',
                                   ARRAY[NEW.signed_at::text]);
    END IF;
    -- An assignment, not PERFORM: PL/pgSQL evaluates it without the executor.
    patient := registry.lock_citizen(NEW.fiscal_code, NEW.applies_from, 'declaration');
    IF NOT registry.may_declare_for(NEW.declarant, NEW.fiscal_code, ticket.local_day(NEW.signed_at)) THEN
        PERFORM ticket.raise_error('TK011', '% may not self-certify the income band of %',
                                   ARRAY[NEW.declarant::text, NEW.fiscal_code::text],
            detail => 'Only the citizen, or for a minor a parent in the same fiscal household or an appointed guardian, may.');
    END IF;
    -- A band the regime replaces (RE2 in 2019: QB) is charged, not declared anew.
    IF ticket.effective_band(NEW.band, NEW.applies_from) IS DISTINCT FROM NEW.band THEN
        PERFORM ticket.raise_error('TK004', 'regime % in force on % does not define income band %',
                                   ARRAY[ticket.regime_for(NEW.applies_from), NEW.applies_from::text, NEW.band::text],
            detail => CASE WHEN regime_bands.bands IS NULL THEN 'It defines no income bands.'
                           ELSE 'Its bands are %.' END,
            detail_args => ARRAY[regime_bands.bands])
          FROM (SELECT string_agg(rb.band::text, ', ' ORDER BY rb.band) AS bands
                  FROM ticket.regime_band rb
                 WHERE rb.regime_id = ticket.regime_for(NEW.applies_from)) AS regime_bands;
    END IF;
    RETURN NEW;
END;
$$;

COMMENT ON FUNCTION registry.declaration_before_insert() IS 'trigger: a living citizen, an entitled declarant (TK011), a band the regime defines (TK004), the citizen locked; the statement trigger declaration_close_previous (registry.declarations_close) closes the previous declaration; VOLATILE because it writes';

REVOKE ALL ON FUNCTION registry.declaration_before_insert() FROM PUBLIC;
