CREATE TABLE ticket.nre_region (
    region_code text NOT NULL,
    name text NOT NULL,
    shipped boolean DEFAULT false NOT NULL,
    CONSTRAINT nre_region_region_code_check CHECK ((region_code ~ '^[0-9]{3}$'::text))
);

ALTER TABLE ONLY ticket.nre_region REPLICA IDENTITY FULL;

COMMENT ON TABLE ticket.nre_region IS 'Ministry of Health region codes: the first three characters of an electronic prescription number (NRE)';

COMMENT ON COLUMN ticket.nre_region.region_code IS 'three-digit Ministry region code';

COMMENT ON COLUMN ticket.nre_region.name IS 'the region';

COMMENT ON COLUMN ticket.nre_region.shipped IS 'true for rows the extension ships (not dumped, not editable)';

ALTER TABLE ONLY ticket.nre_region
    ADD CONSTRAINT nre_region_pkey PRIMARY KEY (region_code);

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE ticket.nre_region TO ticket_rules_admin;
GRANT SELECT ON TABLE ticket.nre_region TO ticket_library;

SELECT pg_catalog.pg_extension_config_dump('ticket.nre_region', 'WHERE NOT shipped');
