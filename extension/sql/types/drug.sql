CREATE TYPE ticket.drug AS (
	code text,
	packs integer,
	price numeric(8,2),
	reference_price numeric(8,2),
	not_substitutable boolean
);

COMMENT ON TYPE ticket.drug IS 'one fascia A drug line of a prescription, for ticket.price_drugs: its code, packs (NULL = 1), the price of the pack dispensed, the reference price of its class (NULL = none: no brand difference) and the prescriber''s not-substitutable mark (spares the difference only under a regime whose not_substitutable_spares_brand_difference is true; no shipped one: L. 405/2001 art. 7 c. 4)';
