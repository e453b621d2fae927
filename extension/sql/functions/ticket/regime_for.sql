CREATE FUNCTION ticket.regime_for(on_date date) RETURNS text
    LANGUAGE c STABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'ticket_regime_for';

COMMENT ON FUNCTION ticket.regime_for(on_date date) IS 'the regime_id in force on a date (error TK005 when none)';

REVOKE ALL ON FUNCTION ticket.regime_for(on_date date) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.regime_for(on_date date) TO ticket_library;
