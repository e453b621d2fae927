CREATE TABLE registry.asl (
    asl_code text NOT NULL,
    name text NOT NULL,
    shipped boolean DEFAULT false NOT NULL,
    CONSTRAINT asl_asl_code_check CHECK ((asl_code ~ '^[0-9]{6}$'::text))
);

ALTER TABLE ONLY registry.asl REPLICA IDENTITY FULL;

COMMENT ON TABLE registry.asl IS 'local health authorities (AUSL): region code and company code, as in the Ministry''s FLS11 list';

COMMENT ON COLUMN registry.asl.asl_code IS 'region code (080) and company code';

COMMENT ON COLUMN registry.asl.name IS 'the health authority';

COMMENT ON COLUMN registry.asl.shipped IS 'true for rows the extension ships (not dumped, not editable)';

ALTER TABLE ONLY registry.asl
    ADD CONSTRAINT asl_pkey PRIMARY KEY (asl_code);

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE registry.asl TO ticket_rules_admin;
GRANT SELECT ON TABLE registry.asl TO ticket_registry_operator;
GRANT SELECT ON TABLE registry.asl TO ticket_cup_operator;
GRANT SELECT ON TABLE registry.asl TO ticket_gp;

SELECT pg_catalog.pg_extension_config_dump('registry.asl', 'WHERE NOT shipped');
