CREATE FUNCTION ticket.price_drugs(drugs ticket.drug[], band ticket.income_band, exemptions ticket.exemption[], on_date date) RETURNS ticket.bill
    LANGUAGE c STABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'ticket_price_drugs';

COMMENT ON FUNCTION ticket.price_drugs(drugs ticket.drug[], band ticket.income_band, exemptions ticket.exemption[], on_date date) IS 'the co-payment of one prescription of fascia A drugs under the regime in force on on_date, as ticket.price of drug items, plus the brand difference: price over reference price, per pack, outside the drug cap, paid by exempt citizens too unless an exemption rule spares it (war invalids, terrorism victims; ticket-rules.md 2.6, 9: S13 S46 S19; L. 405/2001 art. 7)';

REVOKE ALL ON FUNCTION ticket.price_drugs(drugs ticket.drug[], band ticket.income_band, exemptions ticket.exemption[], on_date date) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.price_drugs(drugs ticket.drug[], band ticket.income_band, exemptions ticket.exemption[], on_date date) TO ticket_library;
