CREATE TABLE registry.guardian (
    ward ticket.fiscal_code NOT NULL,
    guardian ticket.fiscal_code NOT NULL,
    appointed daterange NOT NULL,
    CONSTRAINT guardian_appointed_check CHECK (((NOT isempty(appointed)) AND (NOT lower_inf(appointed)))),
    CONSTRAINT guardian_check CHECK ((ward OPERATOR(ticket.<>) guardian))
);

COMMENT ON TABLE registry.guardian IS 'legal guardians of minors: a guardian may self-certify for the ward during the appointment';

COMMENT ON COLUMN registry.guardian.ward IS 'the minor';

COMMENT ON COLUMN registry.guardian.guardian IS 'the appointed guardian';

COMMENT ON COLUMN registry.guardian.appointed IS 'the days the appointment covers';

ALTER TABLE ONLY registry.guardian
    ADD CONSTRAINT guardian_pkey PRIMARY KEY (ward, guardian, appointed);

ALTER TABLE ONLY registry.guardian
    ADD CONSTRAINT guardian_guardian_fkey FOREIGN KEY (guardian) REFERENCES registry.citizen(fiscal_code);

ALTER TABLE ONLY registry.guardian
    ADD CONSTRAINT guardian_ward_fkey FOREIGN KEY (ward) REFERENCES registry.citizen(fiscal_code);

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE registry.guardian TO ticket_registry_operator;

SELECT pg_catalog.pg_extension_config_dump('registry.guardian', '');
