CREATE FUNCTION fse.portal_events(authenticated ticket.fiscal_code, citizen ticket.fiscal_code, after_id bigint DEFAULT 0, max_events integer DEFAULT 100) RETURNS SETOF fse.event
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
BEGIN
    PERFORM fse.portal_check(authenticated, citizen);
    PERFORM ticket.audit_read('fse.portal_events', citizen, jsonb_build_object('authenticated', authenticated, 'after_id', after_id));
    RETURN QUERY
        SELECT e.* FROM fse.event e
         WHERE e.fiscal_code = citizen AND e.event_id > after_id
         ORDER BY e.event_id
         LIMIT greatest(max_events, 0);
END;
$$;

COMMENT ON FUNCTION fse.portal_events(authenticated ticket.fiscal_code, citizen ticket.fiscal_code, after_id bigint, max_events integer) IS 'the portal: a citizen''s FSE log after an event id (at most max_events), for the authenticated person (fse.portal_check); VOLATILE because it records the read';

REVOKE ALL ON FUNCTION fse.portal_events(authenticated ticket.fiscal_code, citizen ticket.fiscal_code, after_id bigint, max_events integer) FROM PUBLIC;
GRANT ALL ON FUNCTION fse.portal_events(authenticated ticket.fiscal_code, citizen ticket.fiscal_code, after_id bigint, max_events integer) TO ticket_fse_portal;
