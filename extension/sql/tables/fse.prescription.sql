CREATE TABLE fse.prescription (
    nre text NOT NULL,
    fiscal_code ticket.fiscal_code NOT NULL,
    gp_code text NOT NULL,
    prescribed_on date NOT NULL,
    priority text,
    max_wait_days integer,
    services text[] NOT NULL,
    band ticket.income_band,
    exemptions ticket.exemption[] DEFAULT '{}'::ticket.exemption[] NOT NULL,
    written_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT prescription_nre_check CHECK ((nre ~ '^[0-9]{3}[0-9A-Z]{12}$'::text)),
    CONSTRAINT prescription_prescribed_on_check CHECK (isfinite(prescribed_on)),
    CONSTRAINT prescription_services_check CHECK (((cardinality(services) >= 1) AND (cardinality(services) <= 64)))
);

ALTER TABLE ONLY fse.prescription FORCE ROW LEVEL SECURITY;

COMMENT ON TABLE fse.prescription IS 'electronic prescriptions: the NRE, the patient, the GP, the services; band and exemption boxes filled from the registry';

COMMENT ON COLUMN fse.prescription.nre IS 'numero di ricetta elettronica: 15 characters, the Ministry region code first (080 = Emilia-Romagna)';

COMMENT ON COLUMN fse.prescription.fiscal_code IS 'the patient';

COMMENT ON COLUMN fse.prescription.gp_code IS 'the prescribing doctor';

COMMENT ON COLUMN fse.prescription.prescribed_on IS 'the prescription date: the boxes show the registry of that day';

COMMENT ON COLUMN fse.prescription.priority IS 'U, B, D or P (a row of ticket.priority_class, checked by the trigger); NULL for a follow-up';

COMMENT ON COLUMN fse.prescription.max_wait_days IS 'the longest wait the priority allows: the visit figure if every service is a visit, else the diagnostic one';

COMMENT ON COLUMN fse.prescription.services IS 'service codes of ticket.service (a code twice = quantity two)';

COMMENT ON COLUMN fse.prescription.band IS 'band box: the band in force on prescribed_on that its regime charges (filled in)';

COMMENT ON COLUMN fse.prescription.exemptions IS 'exemption box: exemptions in effect on prescribed_on (filled in)';

COMMENT ON COLUMN fse.prescription.written_at IS 'when it reached the FSE';

ALTER TABLE ONLY fse.prescription
    ADD CONSTRAINT prescription_pkey PRIMARY KEY (nre);

CREATE INDEX prescription_citizen_idx ON fse.prescription USING btree (fiscal_code, prescribed_on);

ALTER TABLE ONLY fse.prescription
    ADD CONSTRAINT prescription_fiscal_code_fkey FOREIGN KEY (fiscal_code) REFERENCES registry.citizen(fiscal_code);

ALTER TABLE ONLY fse.prescription
    ADD CONSTRAINT prescription_gp_code_fkey FOREIGN KEY (gp_code) REFERENCES registry.gp(gp_code);

CREATE POLICY cup_operators ON fse.prescription FOR SELECT TO ticket_cup_operator USING ((( SELECT ticket.bound_asl(CURRENT_USER) AS bound_asl) IS NOT NULL));

CREATE POLICY gp_patients ON fse.prescription FOR SELECT TO ticket_gp USING (((gp_code = ( SELECT ticket.bound_gp(CURRENT_USER) AS bound_gp)) OR (fiscal_code OPERATOR(ticket.=) ANY ( SELECT c.fiscal_code
   FROM registry.citizen c
  WHERE (c.gp_code = ( SELECT ticket.bound_gp(CURRENT_USER) AS bound_gp))))));

CREATE POLICY gp_prescribes ON fse.prescription FOR INSERT TO ticket_gp WITH CHECK (((gp_code = ( SELECT ticket.bound_gp(CURRENT_USER) AS bound_gp)) AND (fiscal_code OPERATOR(ticket.=) ANY ( SELECT c.fiscal_code
   FROM registry.citizen c
  WHERE (c.gp_code = ( SELECT ticket.bound_gp(CURRENT_USER) AS bound_gp))))));

ALTER TABLE fse.prescription ENABLE ROW LEVEL SECURITY;

CREATE POLICY registry_operators ON fse.prescription FOR SELECT TO ticket_registry_operator USING (true);

GRANT SELECT ON TABLE fse.prescription TO ticket_registry_operator;
GRANT SELECT ON TABLE fse.prescription TO ticket_cup_operator;
GRANT SELECT ON TABLE fse.prescription TO ticket_gp;

SELECT pg_catalog.pg_extension_config_dump('fse.prescription', '');
