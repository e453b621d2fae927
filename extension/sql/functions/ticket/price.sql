CREATE FUNCTION ticket.price(codes text[], band ticket.income_band, exemptions ticket.exemption[], on_date date) RETURNS ticket.bill
    LANGUAGE c STABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'ticket_price_codes';

COMMENT ON FUNCTION ticket.price(codes text[], band ticket.income_band, exemptions ticket.exemption[], on_date date) IS 'the co-payment of one prescription of catalogue services (ticket.service in force on on_date), one of each code';

CREATE FUNCTION ticket.price(items ticket.item[], band ticket.income_band, exemptions ticket.exemption[], on_date date) RETURNS ticket.bill
    LANGUAGE c STABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'ticket_price_items';

COMMENT ON FUNCTION ticket.price(items ticket.item[], band ticket.income_band, exemptions ticket.exemption[], on_date date) IS 'the co-payment of one prescription under the regime in force on on_date; band NULL = no declaration on record';

REVOKE ALL ON FUNCTION ticket.price(codes text[], band ticket.income_band, exemptions ticket.exemption[], on_date date) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.price(codes text[], band ticket.income_band, exemptions ticket.exemption[], on_date date) TO ticket_library;

REVOKE ALL ON FUNCTION ticket.price(items ticket.item[], band ticket.income_band, exemptions ticket.exemption[], on_date date) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.price(items ticket.item[], band ticket.income_band, exemptions ticket.exemption[], on_date date) TO ticket_library;
