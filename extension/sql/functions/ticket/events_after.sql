CREATE FUNCTION ticket.events_after(last_id bigint, max_events integer DEFAULT 1000) RETURNS SETOF ticket.event
    LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    horizon xid8 := pg_snapshot_xmin(pg_current_snapshot());
    everything boolean := ticket.acting_superuser();
    acting name := ticket.acting_role();
    asl text;
    gp text;
BEGIN
    IF NOT everything THEN
        asl := ticket.bound_asl(acting);
        gp := ticket.bound_gp(acting);
        IF asl IS NULL AND gp IS NULL THEN
            PERFORM ticket.raise_error('42501', 'role % is not bound to an ASL or a GP: it may not read events',
                                       ARRAY[acting::text],
                                       hint => 'A DBA binds an event consumer to the ASL or the GP it serves: INSERT INTO ticket.role_binding.');
        END IF;
    END IF;
    -- Event ids are taken before commit, so a transaction still running may
    -- hold ids below ones already committed.  Deliver in id order only the
    -- events of transactions older than every running one, and stop at the
    -- first visible event that is newer: a reader that resumes from the
    -- last id it got then skips nothing that was visible to it.
    RETURN QUERY
    SELECT e.* FROM ticket.event e
     WHERE e.event_id > last_id AND e.txid < horizon
       AND e.event_id < coalesce((SELECT min(f.event_id) FROM ticket.event f
                                   WHERE f.event_id > last_id AND f.txid >= horizon), 9223372036854775807)
       AND (everything
            OR EXISTS (SELECT 1 FROM registry.citizen c
                        WHERE c.fiscal_code = e.fiscal_code AND (c.residence_asl = asl OR c.gp_code = gp))
            OR (asl IS NOT NULL AND e.kind IN ('booked', 'moved', 'repriced', 'paid', 'cancelled', 'done', 'missed')
                AND EXISTS (SELECT 1 FROM cup.booking b
                             WHERE b.booking_id = e.subject::bigint AND b.asl_code = asl))
            OR (asl IS NOT NULL AND e.kind = 'adjustment'
                AND EXISTS (SELECT 1 FROM cup.adjustment a JOIN cup.booking b USING (booking_id)
                             WHERE a.adjustment_id = e.subject::bigint AND b.asl_code = asl)))
     ORDER BY e.event_id
     LIMIT max_events;
END;
$$;

COMMENT ON FUNCTION ticket.events_after(last_id bigint, max_events integer) IS 'the settled outbox events after an id, in id order, at most max_events: for a member of ticket_event_consumer those of its binding (an ASL''s residents and bookings, a GP''s patients; 42501 unbound), for a superuser all';

REVOKE ALL ON FUNCTION ticket.events_after(last_id bigint, max_events integer) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.events_after(last_id bigint, max_events integer) TO ticket_event_consumer;
