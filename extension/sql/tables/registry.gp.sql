CREATE TABLE registry.gp (
    gp_code text NOT NULL,
    fiscal_code ticket.fiscal_code NOT NULL,
    surname text NOT NULL,
    given_name text NOT NULL,
    asl_code text NOT NULL,
    kind text DEFAULT 'gp'::text NOT NULL,
    ceased_on date,
    CONSTRAINT gp_given_name_check CHECK ((given_name <> ''::text)),
    CONSTRAINT gp_gp_code_check CHECK ((gp_code ~ '^[A-Z0-9]{1,16}$'::text)),
    CONSTRAINT gp_kind_check CHECK ((kind = ANY (ARRAY['gp'::text, 'paediatrician'::text]))),
    CONSTRAINT gp_surname_check CHECK ((surname <> ''::text))
);

COMMENT ON TABLE registry.gp IS 'general practitioners (MMG) and family paediatricians (PLS) who prescribe';

COMMENT ON COLUMN registry.gp.gp_code IS 'regional code of the doctor';

COMMENT ON COLUMN registry.gp.fiscal_code IS 'the doctor''s fiscal code';

COMMENT ON COLUMN registry.gp.surname IS 'the doctor''s surname';

COMMENT ON COLUMN registry.gp.given_name IS 'the doctor''s given name';

COMMENT ON COLUMN registry.gp.asl_code IS 'the AUSL the doctor works for';

COMMENT ON COLUMN registry.gp.kind IS 'gp (medico di medicina generale) or paediatrician (pediatra di libera scelta)';

COMMENT ON COLUMN registry.gp.ceased_on IS 'first day the doctor no longer practises; NULL = practising';

ALTER TABLE ONLY registry.gp
    ADD CONSTRAINT gp_fiscal_code_key UNIQUE (fiscal_code);

ALTER TABLE ONLY registry.gp
    ADD CONSTRAINT gp_pkey PRIMARY KEY (gp_code);

ALTER TABLE ONLY registry.gp
    ADD CONSTRAINT gp_asl_code_fkey FOREIGN KEY (asl_code) REFERENCES registry.asl(asl_code);

GRANT SELECT,INSERT,UPDATE ON TABLE registry.gp TO ticket_registry_operator;
GRANT SELECT ON TABLE registry.gp TO ticket_cup_operator;
GRANT SELECT ON TABLE registry.gp TO ticket_gp;

SELECT pg_catalog.pg_extension_config_dump('registry.gp', '');
