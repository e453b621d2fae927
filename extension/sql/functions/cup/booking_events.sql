CREATE FUNCTION cup.booking_events() RETURNS trigger
    LANGUAGE c SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS 'MODULE_PATHNAME', 'cup_booking_events';

COMMENT ON FUNCTION cup.booking_events() IS 'trigger: outbox events for changed bookings (paid, cancelled, done, missed, moved, repriced; booked is written at insert; paid also for the charge of a missed appointment), old and new rows paired by position; refund adjustment when a paid booking is cancelled; VOLATILE because it writes';

REVOKE ALL ON FUNCTION cup.booking_events() FROM PUBLIC;
