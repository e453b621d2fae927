CREATE TABLE registry.exemption_grant (
    grant_id bigint NOT NULL,
    fiscal_code ticket.fiscal_code NOT NULL,
    exemption ticket.exemption NOT NULL,
    valid daterange NOT NULL,
    source text NOT NULL,
    granted_at timestamp with time zone DEFAULT now() NOT NULL,
    revoked_on date,
    revoked_at timestamp with time zone,
    revocation_reason text,
    effective daterange GENERATED ALWAYS AS (
CASE
    WHEN (revoked_on IS NULL) THEN valid
    ELSE (valid * daterange(NULL::date, revoked_on))
END) STORED,
    CONSTRAINT exemption_grant_check CHECK (((revoked_on IS NULL) = (revocation_reason IS NULL))),
    CONSTRAINT exemption_grant_check1 CHECK (((revoked_on IS NULL) = (revoked_at IS NULL))),
    CONSTRAINT exemption_grant_revocation_reason_check CHECK ((revocation_reason <> ''::text)),
    CONSTRAINT exemption_grant_source_check CHECK ((source = ANY (ARRAY['asl_certificate'::text, 'mef_list'::text, 'self_certification'::text]))),
    CONSTRAINT exemption_grant_valid_check CHECK (((NOT isempty(valid)) AND (NOT lower_inf(valid))))
);

ALTER TABLE ONLY registry.exemption_grant FORCE ROW LEVEL SECURITY;

CREATE SEQUENCE registry.exemption_grant_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE registry.exemption_grant_id_seq OWNED BY registry.exemption_grant.grant_id;

ALTER TABLE ONLY registry.exemption_grant ALTER COLUMN grant_id SET DEFAULT nextval('registry.exemption_grant_id_seq'::regclass);

COMMENT ON SEQUENCE registry.exemption_grant_id_seq IS 'numbers of registry.exemption_grant';

GRANT USAGE ON SEQUENCE registry.exemption_grant_id_seq TO ticket_registry_operator;

COMMENT ON TABLE registry.exemption_grant IS 'exemptions granted to citizens; income exemptions (E01-E04) run 1 April to 31 March; a revocation ends one early';

COMMENT ON COLUMN registry.exemption_grant.grant_id IS 'the grant';

COMMENT ON COLUMN registry.exemption_grant.fiscal_code IS 'the exempt citizen';

COMMENT ON COLUMN registry.exemption_grant.exemption IS 'the exemption code';

COMMENT ON COLUMN registry.exemption_grant.valid IS 'service dates the grant covers as granted; income exemptions end by the next 1 April';

COMMENT ON COLUMN registry.exemption_grant.source IS 'asl_certificate, mef_list (the Ministry''s income list) or self_certification';

COMMENT ON COLUMN registry.exemption_grant.granted_at IS 'when the registry learned of it: the grace window of paid bookings counts from this day';

COMMENT ON COLUMN registry.exemption_grant.revoked_on IS 'first service date the grant no longer covers';

COMMENT ON COLUMN registry.exemption_grant.revoked_at IS 'when the registry learned of the revocation';

COMMENT ON COLUMN registry.exemption_grant.revocation_reason IS 'why it was revoked';

COMMENT ON COLUMN registry.exemption_grant.effective IS 'what the grant covers after any revocation';

ALTER TABLE ONLY registry.exemption_grant
    ADD CONSTRAINT exemption_grant_no_overlap EXCLUDE USING gist (((fiscal_code)::text) WITH =, ((exemption)::text) WITH =, effective WITH &&);

ALTER TABLE ONLY registry.exemption_grant
    ADD CONSTRAINT exemption_grant_pkey PRIMARY KEY (grant_id);

CREATE INDEX exemption_grant_citizen_idx ON registry.exemption_grant USING btree (fiscal_code);

ALTER TABLE ONLY registry.exemption_grant
    ADD CONSTRAINT exemption_grant_fiscal_code_fkey FOREIGN KEY (fiscal_code) REFERENCES registry.citizen(fiscal_code);

CREATE POLICY cup_operators ON registry.exemption_grant FOR SELECT TO ticket_cup_operator USING ((( SELECT ticket.bound_asl(CURRENT_USER) AS bound_asl) IS NOT NULL));

ALTER TABLE registry.exemption_grant ENABLE ROW LEVEL SECURITY;

CREATE POLICY gp_patients ON registry.exemption_grant FOR SELECT TO ticket_gp USING ((fiscal_code OPERATOR(ticket.=) ANY ( SELECT c.fiscal_code
   FROM registry.citizen c
  WHERE (c.gp_code = ( SELECT ticket.bound_gp(CURRENT_USER) AS bound_gp)))));

CREATE POLICY registry_operators ON registry.exemption_grant TO ticket_registry_operator USING (true) WITH CHECK (true);

GRANT SELECT,INSERT ON TABLE registry.exemption_grant TO ticket_registry_operator;
GRANT SELECT ON TABLE registry.exemption_grant TO ticket_cup_operator;
GRANT SELECT ON TABLE registry.exemption_grant TO ticket_gp;
GRANT SELECT ON TABLE registry.exemption_grant TO ticket_pgaudit;

SELECT pg_catalog.pg_extension_config_dump('registry.exemption_grant', '');

SELECT pg_catalog.pg_extension_config_dump('registry.exemption_grant_id_seq', '');
