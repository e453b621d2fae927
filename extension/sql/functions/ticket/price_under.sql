CREATE FUNCTION ticket.price_under(regime text, codes text[], band ticket.income_band, exemptions ticket.exemption[], on_date date) RETURNS ticket.bill
    LANGUAGE c STABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'ticket_price_under';

COMMENT ON FUNCTION ticket.price_under(regime text, codes text[], band ticket.income_band, exemptions ticket.exemption[], on_date date) IS 'the bill of catalogue services as ticket.price gives it, under the named regime (enacted or draft) instead of the date''s, with the catalogue of on_date; NULL for a NULL regime, codes or date; P0002 for an unknown regime, 22000 for a draft whose rules contradict each other; the what-if of ticket.simulate';

REVOKE ALL ON FUNCTION ticket.price_under(regime text, codes text[], band ticket.income_band, exemptions ticket.exemption[], on_date date) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.price_under(regime text, codes text[], band ticket.income_band, exemptions ticket.exemption[], on_date date) TO ticket_rules_admin;
