CREATE FUNCTION ticket.discard_regime(regime text) RETURNS void
    LANGUAGE plpgsql STRICT SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    drafted text;
BEGIN
    PERFORM ticket.refuse_long_text('ticket.discard_regime', 'regime', regime, 100);
    SELECT r.status INTO drafted
      FROM ticket.regime r WHERE r.regime_id OPERATOR(pg_catalog.=) discard_regime.regime FOR UPDATE;
    IF NOT FOUND THEN
        PERFORM ticket.raise_error('P0002', 'regime % does not exist', ARRAY[regime]);
    ELSIF drafted OPERATOR(pg_catalog.<>) 'draft' THEN
        PERFORM ticket.raise_error('55000', 'regime % is enacted: it cannot be discarded', ARRAY[regime],
                                   hint => 'Only a draft (ticket.draft_regime) is discarded; correct an enacted regime with a later one.');
    END IF;
    -- Its rows first, while the regime still says draft (cup.rules_dirty).
    DELETE FROM ticket.exemption_rule e WHERE e.regime_id OPERATOR(pg_catalog.=) discard_regime.regime;
    DELETE FROM ticket.regime_band b WHERE b.regime_id OPERATOR(pg_catalog.=) discard_regime.regime;
    DELETE FROM ticket.regime r WHERE r.regime_id OPERATOR(pg_catalog.=) discard_regime.regime;
END;
$$;

COMMENT ON FUNCTION ticket.discard_regime(regime text) IS 'deletes a draft regime with its bands and exemption rules (P0002 unknown, 55000 enacted: an enacted regime is corrected by a later one); runs as the owner, audited as the caller; VOLATILE because it writes';

REVOKE ALL ON FUNCTION ticket.discard_regime(regime text) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.discard_regime(regime text) TO ticket_rules_admin;
