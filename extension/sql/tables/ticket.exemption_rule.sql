CREATE TABLE ticket.exemption_rule (
    regime_id text NOT NULL,
    exemption ticket.exemption,
    family text,
    coverage text NOT NULL,
    spares_band_quota boolean NOT NULL,
    spares_drugs boolean NOT NULL,
    spares_er boolean NOT NULL,
    note text,
    shipped boolean DEFAULT false NOT NULL,
    covers_all_drugs boolean DEFAULT false NOT NULL,
    max_age integer,
    spares_brand_difference boolean DEFAULT false NOT NULL,
    CONSTRAINT exemption_rule_max_age_check CHECK (((max_age >= 0) AND (max_age <= 150))),
    CONSTRAINT exemption_rule_covers_all_drugs_check CHECK (((NOT covers_all_drugs) OR spares_drugs)),
    CONSTRAINT exemption_rule_check CHECK (((exemption IS NULL) <> (family IS NULL))),
    CONSTRAINT exemption_rule_coverage_check CHECK ((coverage = ANY (ARRAY['all'::text, 'listed'::text, 'first_visit'::text]))),
    CONSTRAINT exemption_rule_family_check CHECK ((family = ANY (ARRAY['income'::text, 'regional'::text, 'invalidity'::text, 'pregnancy'::text, 'prevention'::text, 'other'::text, 'chronic'::text, 'rare'::text])))
);

ALTER TABLE ONLY ticket.exemption_rule REPLICA IDENTITY FULL;

COMMENT ON TABLE ticket.exemption_rule IS 'what an exemption written on a prescription covers under a regime: a rule for one code beats the rule for its family';

COMMENT ON COLUMN ticket.exemption_rule.regime_id IS 'the regime the rule belongs to';

COMMENT ON COLUMN ticket.exemption_rule.exemption IS 'the exemption code the rule is for; NULL when the rule is for a family';

COMMENT ON COLUMN ticket.exemption_rule.family IS 'the exemption family the rule is for (income, chronic, ...); NULL when it is for one code';

COMMENT ON COLUMN ticket.exemption_rule.coverage IS 'all = every service; listed = the services of ticket.exemption_scope; first_visit = first visits only (FA2)';

COMMENT ON COLUMN ticket.exemption_rule.spares_band_quota IS 'no band quota on a prescription the exemption applies to';

COMMENT ON COLUMN ticket.exemption_rule.spares_drugs IS 'drug items it covers pay no drug ticket';

COMMENT ON COLUMN ticket.exemption_rule.spares_er IS 'emergency-room accesses it covers pay no ticket';

COMMENT ON COLUMN ticket.exemption_rule.note IS 'where the rule comes from, or why it was chosen';

COMMENT ON COLUMN ticket.exemption_rule.shipped IS 'true for rows the extension ships (not dumped, not editable)';

COMMENT ON COLUMN ticket.exemption_rule.covers_all_drugs IS 'every drug item pays no drug ticket, whatever coverage says for services (2025: invalidity codes partial for services, S14 S27); needs spares_drugs';

COMMENT ON COLUMN ticket.exemption_rule.max_age IS 'the exemption applies only to citizens of this age or less on the service date (2025: FA2, children up to 14, S29 S30); NULL = any age; applied by ticket.citizen_status';

COMMENT ON COLUMN ticket.exemption_rule.spares_brand_difference IS 'no brand difference (price over reference price) on any drug of a prescription carrying the exemption, whatever coverage and spares_drugs say: war invalids and terrorism victims (2.6, 9: S13 S46 S19)';

ALTER TABLE ONLY ticket.exemption_rule
    ADD CONSTRAINT exemption_rule_regime_id_exemption_key UNIQUE (regime_id, exemption);

ALTER TABLE ONLY ticket.exemption_rule
    ADD CONSTRAINT exemption_rule_regime_id_family_key UNIQUE (regime_id, family);

ALTER TABLE ONLY ticket.exemption_rule
    ADD CONSTRAINT exemption_rule_regime_id_fkey FOREIGN KEY (regime_id) REFERENCES ticket.regime(regime_id) ON DELETE CASCADE;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE ticket.exemption_rule TO ticket_rules_admin;
GRANT SELECT ON TABLE ticket.exemption_rule TO ticket_library;

SELECT pg_catalog.pg_extension_config_dump('ticket.exemption_rule', 'WHERE NOT shipped');
