CREATE TABLE registry.citizen (
    fiscal_code ticket.fiscal_code NOT NULL,
    surname text NOT NULL,
    given_name text NOT NULL,
    sex text NOT NULL,
    birth_date date NOT NULL,
    birthplace text NOT NULL,
    residence_asl text NOT NULL,
    gp_code text,
    death_date date,
    code_mismatch_reason text,
    registered_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT citizen_birth_date_check CHECK (isfinite(birth_date)),
    CONSTRAINT citizen_birthplace_check CHECK ((birthplace ~ '^[A-ILMZ][0-9]{3}$'::text)),
    CONSTRAINT citizen_check CHECK ((death_date >= birth_date)),
    CONSTRAINT citizen_code_mismatch_reason_check CHECK ((code_mismatch_reason <> ''::text)),
    CONSTRAINT citizen_given_name_check CHECK ((given_name <> ''::text)),
    CONSTRAINT citizen_sex_check CHECK ((sex = ANY (ARRAY['M'::text, 'F'::text]))),
    CONSTRAINT citizen_surname_check CHECK ((surname <> ''::text))
);

ALTER TABLE ONLY registry.citizen FORCE ROW LEVEL SECURITY;

COMMENT ON TABLE registry.citizen IS 'people entitled to regional health care; the fiscal code must match the personal data unless a legacy mismatch is recorded';

COMMENT ON COLUMN registry.citizen.fiscal_code IS 'the citizen''s fiscal code, as issued';

COMMENT ON COLUMN registry.citizen.surname IS 'surname as registered';

COMMENT ON COLUMN registry.citizen.given_name IS 'given name(s) as registered';

COMMENT ON COLUMN registry.citizen.sex IS 'M or F, as in the fiscal code';

COMMENT ON COLUMN registry.citizen.birth_date IS 'date of birth';

COMMENT ON COLUMN registry.citizen.birthplace IS 'Belfiore code of the birthplace (a row of ticket.birthplace)';

COMMENT ON COLUMN registry.citizen.residence_asl IS 'AUSL of residence: the CUP that books for the citizen by default';

COMMENT ON COLUMN registry.citizen.gp_code IS 'chosen GP or paediatrician';

COMMENT ON COLUMN registry.citizen.death_date IS 'date of death: nothing can be declared, prescribed or booked from that day';

COMMENT ON COLUMN registry.citizen.code_mismatch_reason IS 'why a legacy fiscal code does not match the personal data (e.g. issued by the Revenue Agency with a typo); NULL = it must match';

COMMENT ON COLUMN registry.citizen.registered_at IS 'when the row entered the registry';

ALTER TABLE ONLY registry.citizen
    ADD CONSTRAINT citizen_pkey PRIMARY KEY (fiscal_code);

CREATE INDEX citizen_gp_code_idx ON registry.citizen USING btree (gp_code);

CREATE UNIQUE INDEX citizen_replica_identity ON registry.citizen USING btree (fiscal_code, residence_asl);

ALTER TABLE ONLY registry.citizen REPLICA IDENTITY USING INDEX citizen_replica_identity;

ALTER TABLE ONLY registry.citizen
    ADD CONSTRAINT citizen_gp_code_fkey FOREIGN KEY (gp_code) REFERENCES registry.gp(gp_code);

ALTER TABLE ONLY registry.citizen
    ADD CONSTRAINT citizen_residence_asl_fkey FOREIGN KEY (residence_asl) REFERENCES registry.asl(asl_code);

ALTER TABLE registry.citizen ENABLE ROW LEVEL SECURITY;

CREATE POLICY cup_operators ON registry.citizen FOR SELECT TO ticket_cup_operator USING ((( SELECT ticket.bound_asl(CURRENT_USER) AS bound_asl) IS NOT NULL));

CREATE POLICY gp_patients ON registry.citizen FOR SELECT TO ticket_gp USING ((gp_code = ( SELECT ticket.bound_gp(CURRENT_USER) AS bound_gp)));

CREATE POLICY registry_operators ON registry.citizen TO ticket_registry_operator USING (true) WITH CHECK (true);

GRANT SELECT,INSERT,UPDATE ON TABLE registry.citizen TO ticket_registry_operator;
GRANT SELECT ON TABLE registry.citizen TO ticket_cup_operator;
GRANT SELECT ON TABLE registry.citizen TO ticket_gp;

SELECT pg_catalog.pg_extension_config_dump('registry.citizen', '');
