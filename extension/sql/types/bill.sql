CREATE TYPE ticket.bill AS (
	total numeric(8,2),
	base numeric(8,2),
	band_quota numeric(8,2),
	regime text,
	band ticket.income_band,
	exemption ticket.exemption,
	explanation text
);

COMMENT ON TYPE ticket.bill IS 'what a prescription costs: total = base + band_quota; the regime, band and exemption applied; the rules that fired';
