CREATE FUNCTION cup.settle_adjustment(adjustment bigint) RETURNS cup.adjustment
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    asl text := cup.acting_asl();
    settled cup.adjustment;
BEGIN
    UPDATE cup.adjustment a SET settled_at = now()
     WHERE a.adjustment_id = adjustment
       AND (asl IS NULL OR EXISTS (SELECT 1 FROM cup.booking b
                                    WHERE b.booking_id = a.booking_id AND b.asl_code = asl))
    RETURNING * INTO settled;
    IF NOT FOUND THEN
        PERFORM ticket.raise_error('P0002', 'adjustment % does not exist', ARRAY[adjustment::text]);
    END IF;
    RETURN settled;
END;
$$;

COMMENT ON FUNCTION cup.settle_adjustment(adjustment bigint) IS 'records that a refund was paid out or an amount due was collected, for an adjustment of the acting role''s ASL (P0002 for another ASL''s, as for a missing one: no oracle); VOLATILE because it writes';

REVOKE ALL ON FUNCTION cup.settle_adjustment(adjustment bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION cup.settle_adjustment(adjustment bigint) TO ticket_cup_operator;
