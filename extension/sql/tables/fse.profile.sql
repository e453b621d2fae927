CREATE TABLE fse.profile (
    fiscal_code ticket.fiscal_code NOT NULL,
    declaration_id bigint,
    band ticket.income_band,
    band_from date,
    exemptions registry.exemption_period[] DEFAULT '{}'::registry.exemption_period[] NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE ONLY fse.profile FORCE ROW LEVEL SECURITY;

COMMENT ON TABLE fse.profile IS 'what the FSE shows of a citizen''s ticket status: the current declaration and every exemption in effect, as the registry says';

COMMENT ON COLUMN fse.profile.fiscal_code IS 'the citizen';

COMMENT ON COLUMN fse.profile.declaration_id IS 'the current declaration (registry.declaration)';

COMMENT ON COLUMN fse.profile.band IS 'band of the current (latest) declaration; whether a regime charges it is ticket.effective_band';

COMMENT ON COLUMN fse.profile.band_from IS 'the date the current declaration applies from';

COMMENT ON COLUMN fse.profile.exemptions IS 'exemptions granted and not wholly revoked, by start date, with the dates they cover';

COMMENT ON COLUMN fse.profile.updated_at IS 'when the registry last changed it';

ALTER TABLE ONLY fse.profile
    ADD CONSTRAINT profile_pkey PRIMARY KEY (fiscal_code);

ALTER TABLE ONLY fse.profile
    ADD CONSTRAINT profile_declaration_id_fkey FOREIGN KEY (declaration_id) REFERENCES registry.declaration(declaration_id);

ALTER TABLE ONLY fse.profile
    ADD CONSTRAINT profile_fiscal_code_fkey FOREIGN KEY (fiscal_code) REFERENCES registry.citizen(fiscal_code);

CREATE POLICY cup_operators ON fse.profile FOR SELECT TO ticket_cup_operator USING ((( SELECT ticket.bound_asl(CURRENT_USER) AS bound_asl) IS NOT NULL));

CREATE POLICY gp_patients ON fse.profile FOR SELECT TO ticket_gp USING ((fiscal_code OPERATOR(ticket.=) ANY ( SELECT c.fiscal_code
   FROM registry.citizen c
  WHERE (c.gp_code = ( SELECT ticket.bound_gp(CURRENT_USER) AS bound_gp)))));

ALTER TABLE fse.profile ENABLE ROW LEVEL SECURITY;

CREATE POLICY registry_operators ON fse.profile FOR SELECT TO ticket_registry_operator USING (true);

GRANT SELECT ON TABLE fse.profile TO ticket_registry_operator;
GRANT SELECT ON TABLE fse.profile TO ticket_cup_operator;
GRANT SELECT ON TABLE fse.profile TO ticket_gp;
GRANT SELECT ON TABLE fse.profile TO ticket_pgaudit;

SELECT pg_catalog.pg_extension_config_dump('fse.profile', '');
