CREATE TABLE ticket.exemption_catalogue (
    code_pattern text NOT NULL,
    family text NOT NULL,
    valid daterange NOT NULL,
    period text NOT NULL,
    grant_sources text[] NOT NULL,
    description text NOT NULL,
    note text NOT NULL,
    shipped boolean DEFAULT false NOT NULL,
    CONSTRAINT exemption_catalogue_code_pattern_check CHECK (((code_pattern ~ '^\^.*\$$'::text) AND (length(code_pattern) <= 100))),
    CONSTRAINT exemption_catalogue_family_check CHECK ((family = ANY (ARRAY['income'::text, 'regional'::text, 'invalidity'::text, 'pregnancy'::text, 'prevention'::text, 'other'::text, 'chronic'::text, 'rare'::text]))),
    CONSTRAINT exemption_catalogue_grant_sources_check CHECK (((cardinality(grant_sources) > 0) AND (grant_sources <@ ARRAY['asl_certificate'::text, 'mef_list'::text, 'self_certification'::text]))),
    CONSTRAINT exemption_catalogue_period_check CHECK ((period = ANY (ARRAY['fiscal_year'::text, 'edition'::text, 'as_granted'::text]))),
    CONSTRAINT exemption_catalogue_valid_check CHECK ((NOT isempty(valid)))
);

ALTER TABLE ONLY ticket.exemption_catalogue REPLICA IDENTITY FULL;

COMMENT ON TABLE ticket.exemption_catalogue IS 'the exemption codes in force, as data: a code written on a prescription or granted is accepted on a service date only if a row holds it then; the row gives its family and how its grants are dated';

COMMENT ON COLUMN ticket.exemption_catalogue.code_pattern IS 'the codes of the row: an anchored regular expression over the upper-case code (^E0[1-4]$, ^T12$)';

COMMENT ON COLUMN ticket.exemption_catalogue.family IS 'the family of its codes (income, regional, invalidity, pregnancy, prevention, other, chronic, rare): what a family rule of ticket.exemption_rule matches';

COMMENT ON COLUMN ticket.exemption_catalogue.valid IS 'the service dates on which its codes exist (an edition of E99: the edition''s dates)';

COMMENT ON COLUMN ticket.exemption_catalogue.period IS 'how a grant is dated: fiscal_year = ends by the next 1 April (an open grant is closed there); edition = ends by the end of the row (an open grant is closed there); as_granted = as the certificate says';

COMMENT ON COLUMN ticket.exemption_catalogue.grant_sources IS 'the sources a grant of its codes may come from (registry.exemption_grant.source)';

COMMENT ON COLUMN ticket.exemption_catalogue.description IS 'what the codes are';

COMMENT ON COLUMN ticket.exemption_catalogue.note IS 'where the row comes from (the source ids of ticket-rules.md), or why it was chosen';

COMMENT ON COLUMN ticket.exemption_catalogue.shipped IS 'true for rows the extension ships (not dumped, not editable)';

ALTER TABLE ONLY ticket.exemption_catalogue
    ADD CONSTRAINT exemption_catalogue_no_overlap EXCLUDE USING gist (code_pattern WITH =, valid WITH &&);

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE ticket.exemption_catalogue TO ticket_rules_admin;
GRANT SELECT ON TABLE ticket.exemption_catalogue TO ticket_library;

SELECT pg_catalog.pg_extension_config_dump('ticket.exemption_catalogue', 'WHERE NOT shipped');
