CREATE FUNCTION cup.adjustment_events() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{cup.adjustment}',
                                   '{"AFTER STATEMENT INSERT"}');
    INSERT INTO ticket.event (kind, subject, fiscal_code, payload)
    SELECT 'adjustment', n.adjustment_id::text, b.fiscal_code,
           jsonb_build_object('booking_id', n.booking_id, 'amount', n.amount, 'reason', n.reason)
      FROM new_adjustments n JOIN cup.booking b ON b.booking_id = n.booking_id
     ORDER BY n.adjustment_id;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION cup.adjustment_events() IS 'trigger: an outbox event for each adjustment; VOLATILE because it writes';

REVOKE ALL ON FUNCTION cup.adjustment_events() FROM PUBLIC;
