CREATE FUNCTION ticket.exemption_catalogue_keeps_grants() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    stranded bigint;
    first_grant bigint;
    problem text;
    patterns text[];
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{ticket.exemption_catalogue}',
                                   '{"AFTER STATEMENT UPDATE","AFTER STATEMENT DELETE"}');
    -- A change of the catalogue may not leave a grant in effect that it no
    -- longer allows (issue 18): pricing a day the code is not held is
    -- TK008, so every booking of the holder on that day could no longer be
    -- priced.  Only the grants of the codes the changed rows match are
    -- read (an insert only adds days: no trigger).  The grants are ended
    -- first (registry.revoke_exemption), in the same transaction.
    patterns := ARRAY(SELECT o.code_pattern FROM old_rows o);
    IF TG_OP OPERATOR(pg_catalog.=) 'UPDATE' THEN   -- a DELETE has no new_rows
        patterns := patterns OPERATOR(pg_catalog.||) ARRAY(SELECT n.code_pattern FROM new_rows n);
    END IF;
    SELECT count(*), min(p.grant_id), (array_agg(p.problem ORDER BY p.grant_id))[1]
      INTO stranded, first_grant, problem
      FROM ticket.exemption_grant_problems(patterns) p;
    IF stranded OPERATOR(pg_catalog.>) 0 THEN
        PERFORM ticket.raise_error('23001', 'this change of ticket.exemption_catalogue leaves % grants in effect that it does not allow; grant %: %',
                                   ARRAY[stranded::text, first_grant::text, problem],
            hint => 'End those grants first (registry.revoke_exemption from the day the catalogue ends them), in the same transaction; ticket.check_consistency() lists them as exemption_grant_catalogue.');
    END IF;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION ticket.exemption_catalogue_keeps_grants() IS 'trigger: refuses a change or deletion of catalogue rows that leaves a grant in effect the catalogue no longer allows (23001: its code not held on one of its days, its source, its span), so that no booking of its holder is stranded unpriceable; VOLATILE because it guards writes';

REVOKE ALL ON FUNCTION ticket.exemption_catalogue_keeps_grants() FROM PUBLIC;
