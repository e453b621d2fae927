CREATE FUNCTION cup.booking_before_insert() RETURNS trigger
    LANGUAGE c SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS 'MODULE_PATHNAME', 'cup_booking_before_insert';

COMMENT ON FUNCTION cup.booking_before_insert() IS 'trigger (C): a booking starts booked (TK013) without bill or payment (428C9), on an existing prescription (23503) of its patient, not before it (22023), for a living patient (23503, TK010) whose lock it takes; prices it as of the service date, fills the ASL and writes the booked event; VOLATILE because it writes';

REVOKE ALL ON FUNCTION cup.booking_before_insert() FROM PUBLIC;
