CREATE FUNCTION registry.refuse_history_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{fse.prescription,registry.declaration,registry.exemption_grant}',
                                   '{"BEFORE ROW UPDATE","BEFORE ROW DELETE"}');
    IF TG_OP = 'DELETE' THEN
        PERFORM ticket.raise_error('TK018', '%.% rows are history: they cannot be deleted',
                                   ARRAY[TG_TABLE_SCHEMA::text, TG_TABLE_NAME::text], hint => TG_ARGV[0]);
    END IF;
    -- A declaration's closing (the network's own write of valid_until
    -- alone) never reaches here: declaration_history's WHEN lets it through.
    IF TG_TABLE_NAME = 'exemption_grant' THEN  -- (NEW.grant_id exists only there)
        IF (NEW.grant_id, NEW.fiscal_code, NEW.exemption, NEW.valid, NEW.source, NEW.granted_at)
           IS NOT DISTINCT FROM
           (OLD.grant_id, OLD.fiscal_code, OLD.exemption, OLD.valid, OLD.source, OLD.granted_at)
           AND OLD.revoked_on IS NULL AND NEW.revoked_on IS NOT NULL THEN
            PERFORM registry.lock_citizen(NEW.fiscal_code, '-infinity', 'revocation');
            NEW.revoked_at := coalesce(NEW.revoked_at, now());
            RETURN NEW;
        END IF;
    END IF;
    PERFORM ticket.raise_error('TK018', '%.% rows are history: they cannot be changed',
                               ARRAY[TG_TABLE_SCHEMA::text, TG_TABLE_NAME::text], hint => TG_ARGV[0]);
END;
$$;

COMMENT ON FUNCTION registry.refuse_history_change() IS 'trigger: declarations never change (their closing by the next one passes declaration_history''s WHEN, not this function); grants only by one revocation; neither is deleted (TK018); VOLATILE because it guards writes';

REVOKE ALL ON FUNCTION registry.refuse_history_change() FROM PUBLIC;
