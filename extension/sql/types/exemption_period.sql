CREATE TYPE registry.exemption_period AS (
	exemption ticket.exemption,
	valid daterange,
	source text
);

COMMENT ON TYPE registry.exemption_period IS 'an exemption and the service dates it covers';
