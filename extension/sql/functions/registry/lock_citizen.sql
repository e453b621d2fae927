CREATE FUNCTION registry.lock_citizen(citizen ticket.fiscal_code, on_date date, what text) RETURNS registry.citizen
    LANGUAGE c
    AS 'MODULE_PATHNAME', 'ticket_lock_citizen';

COMMENT ON FUNCTION registry.lock_citizen(citizen ticket.fiscal_code, on_date date, what text) IS 'takes the citizen''s lock row for a write about them (serialising such writes) and returns the citizen, refusing unknown citizens (23503) and the deceased (TK010) through registry.lock_citizen_in_full, which also creates a missing lock row (C from 1.3: every row trigger of the registry and the bookings calls it); VOLATILE because it updates the lock row';

REVOKE ALL ON FUNCTION registry.lock_citizen(citizen ticket.fiscal_code, on_date date, what text) FROM PUBLIC;
