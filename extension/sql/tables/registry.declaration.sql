CREATE TABLE registry.declaration (
    declaration_id bigint NOT NULL,
    fiscal_code ticket.fiscal_code NOT NULL,
    band ticket.income_band NOT NULL,
    declarant ticket.fiscal_code NOT NULL,
    channel text NOT NULL,
    operator text,
    signed_at timestamp with time zone DEFAULT now() NOT NULL,
    applies_from date NOT NULL,
    valid_until date,
    income_year integer,
    valid daterange GENERATED ALWAYS AS (daterange(applies_from, valid_until)) STORED,
    CONSTRAINT declaration_applies_from_check CHECK (isfinite(applies_from)),
    CONSTRAINT declaration_channel_check CHECK ((channel = ANY (ARRAY['cup_desk'::text, 'call_centre'::text, 'gp'::text, 'pharmacy'::text, 'caf'::text, 'fse_online'::text, 'revenue_agency'::text]))),
    CONSTRAINT declaration_check CHECK ((valid_until >= applies_from)),
    CONSTRAINT declaration_income_year_check CHECK (((income_year >= 1900) AND (income_year <= 9999))),
    CONSTRAINT declaration_operator_by_channel CHECK (((operator IS NULL) = (channel = ANY (ARRAY['fse_online'::text, 'revenue_agency'::text])))),
    CONSTRAINT declaration_operator_check CHECK ((operator <> ''::text))
);

ALTER TABLE ONLY registry.declaration FORCE ROW LEVEL SECURITY;

CREATE SEQUENCE registry.declaration_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE registry.declaration_id_seq OWNED BY registry.declaration.declaration_id;

ALTER TABLE ONLY registry.declaration ALTER COLUMN declaration_id SET DEFAULT nextval('registry.declaration_id_seq'::regclass);

COMMENT ON SEQUENCE registry.declaration_id_seq IS 'numbers of registry.declaration';

GRANT USAGE ON SEQUENCE registry.declaration_id_seq TO ticket_registry_operator;

COMMENT ON TABLE registry.declaration IS 'self-certifications of the family income band, with history; no two of one citizen overlap (declaration_no_overlap)';

COMMENT ON COLUMN registry.declaration.declaration_id IS 'the declaration';

COMMENT ON COLUMN registry.declaration.fiscal_code IS 'the citizen the band is declared for';

COMMENT ON COLUMN registry.declaration.band IS 'the declared band: one the regime in force on applies_from defines';

COMMENT ON COLUMN registry.declaration.declarant IS 'who signed: the citizen, or for a minor a parent (household declarant or spouse) or guardian';

COMMENT ON COLUMN registry.declaration.channel IS 'where it was signed; revenue_agency = attributed from Agenzia delle Entrate data (2019 on)';

COMMENT ON COLUMN registry.declaration.operator IS 'the operator who took it (NULL for fse_online and revenue_agency)';

COMMENT ON COLUMN registry.declaration.signed_at IS 'when it was signed: the grace window of paid bookings counts from this day';

COMMENT ON COLUMN registry.declaration.applies_from IS 'first service date it applies to';

COMMENT ON COLUMN registry.declaration.valid_until IS 'set by the next declaration: first day it no longer applies (exclusive); NULL = current';

COMMENT ON COLUMN registry.declaration.income_year IS 'the tax year of the declared income';

COMMENT ON COLUMN registry.declaration.valid IS 'the service dates it applies to, [applies_from, valid_until)';

ALTER TABLE ONLY registry.declaration
    ADD CONSTRAINT declaration_no_overlap EXCLUDE USING gist (((fiscal_code)::text) WITH =, valid WITH &&) DEFERRABLE INITIALLY DEFERRED;

COMMENT ON CONSTRAINT declaration_no_overlap ON registry.declaration IS 'no two declarations of a citizen overlap, so at most one is current (open ranges always overlap); checked at commit: a statement''s new rows are inserted before its trigger declaration_close_previous closes their predecessors';

ALTER TABLE ONLY registry.declaration
    ADD CONSTRAINT declaration_pkey PRIMARY KEY (declaration_id);

CREATE INDEX declaration_citizen_idx ON registry.declaration USING btree (fiscal_code, applies_from);

CREATE INDEX declaration_current_idx ON registry.declaration USING btree (fiscal_code) WHERE (valid_until IS NULL);

ALTER TABLE ONLY registry.declaration
    ADD CONSTRAINT declaration_declarant_fkey FOREIGN KEY (declarant) REFERENCES registry.citizen(fiscal_code);

ALTER TABLE ONLY registry.declaration
    ADD CONSTRAINT declaration_fiscal_code_fkey FOREIGN KEY (fiscal_code) REFERENCES registry.citizen(fiscal_code);

CREATE POLICY cup_operators ON registry.declaration FOR SELECT TO ticket_cup_operator USING ((( SELECT ticket.bound_asl(CURRENT_USER) AS bound_asl) IS NOT NULL));

ALTER TABLE registry.declaration ENABLE ROW LEVEL SECURITY;

CREATE POLICY gp_patients ON registry.declaration FOR SELECT TO ticket_gp USING ((fiscal_code OPERATOR(ticket.=) ANY ( SELECT c.fiscal_code
   FROM registry.citizen c
  WHERE (c.gp_code = ( SELECT ticket.bound_gp(CURRENT_USER) AS bound_gp)))));

CREATE POLICY registry_operators ON registry.declaration TO ticket_registry_operator USING (true) WITH CHECK (true);

GRANT SELECT,INSERT ON TABLE registry.declaration TO ticket_registry_operator;
GRANT SELECT ON TABLE registry.declaration TO ticket_cup_operator;
GRANT SELECT ON TABLE registry.declaration TO ticket_gp;
GRANT SELECT ON TABLE registry.declaration TO ticket_pgaudit;

SELECT pg_catalog.pg_extension_config_dump('registry.declaration', '');

SELECT pg_catalog.pg_extension_config_dump('registry.declaration_id_seq', '');
