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
    IF TG_TABLE_NAME = 'declaration' THEN
        IF ticket.in_internal_write()
           AND (NEW.declaration_id, NEW.fiscal_code, NEW.band, NEW.declarant, NEW.channel, NEW.operator,
                NEW.signed_at, NEW.applies_from, NEW.income_year)
               IS NOT DISTINCT FROM
               (OLD.declaration_id, OLD.fiscal_code, OLD.band, OLD.declarant, OLD.channel, OLD.operator,
                OLD.signed_at, OLD.applies_from, OLD.income_year) THEN
            RETURN NEW;
        END IF;
    ELSIF (NEW.grant_id, NEW.fiscal_code, NEW.exemption, NEW.valid, NEW.source, NEW.granted_at)
          IS NOT DISTINCT FROM
          (OLD.grant_id, OLD.fiscal_code, OLD.exemption, OLD.valid, OLD.source, OLD.granted_at)
          AND OLD.revoked_on IS NULL AND NEW.revoked_on IS NOT NULL THEN
        PERFORM registry.lock_citizen(NEW.fiscal_code, '-infinity', 'revocation');
        NEW.revoked_at := coalesce(NEW.revoked_at, now());
        RETURN NEW;
    END IF;
    PERFORM ticket.raise_error('TK018', '%.% rows are history: they cannot be changed',
                               ARRAY[TG_TABLE_SCHEMA::text, TG_TABLE_NAME::text], hint => TG_ARGV[0]);
END;
$$;

COMMENT ON FUNCTION registry.refuse_history_change() IS 'trigger: declarations change only when the next one closes them; grants only by one revocation; neither is deleted (TK018); VOLATILE because it guards writes';

REVOKE ALL ON FUNCTION registry.refuse_history_change() FROM PUBLIC;
