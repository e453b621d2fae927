CREATE TABLE fse.event (
    event_id bigint NOT NULL,
    fiscal_code ticket.fiscal_code NOT NULL,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    kind text NOT NULL,
    detail jsonb NOT NULL,
    CONSTRAINT event_kind_check CHECK ((kind = ANY (ARRAY['declaration'::text, 'exemption_granted'::text, 'exemption_revoked'::text])))
);

ALTER TABLE ONLY fse.event FORCE ROW LEVEL SECURITY;

CREATE SEQUENCE fse.event_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE fse.event_id_seq OWNED BY fse.event.event_id;

ALTER TABLE ONLY fse.event ALTER COLUMN event_id SET DEFAULT nextval('fse.event_id_seq'::regclass);

COMMENT ON SEQUENCE fse.event_id_seq IS 'numbers of fse.event';

COMMENT ON TABLE fse.event IS 'the citizen-facing log of the FSE: declarations and exemptions as they reached the registry';

COMMENT ON COLUMN fse.event.event_id IS 'the entry';

COMMENT ON COLUMN fse.event.fiscal_code IS 'the citizen';

COMMENT ON COLUMN fse.event.recorded_at IS 'when it reached the FSE';

COMMENT ON COLUMN fse.event.kind IS 'declaration, exemption_granted or exemption_revoked';

COMMENT ON COLUMN fse.event.detail IS 'what changed, as JSON';

ALTER TABLE ONLY fse.event
    ADD CONSTRAINT event_pkey PRIMARY KEY (event_id);

CREATE INDEX event_citizen_idx ON fse.event USING btree (fiscal_code, event_id);

ALTER TABLE ONLY fse.event
    ADD CONSTRAINT event_fiscal_code_fkey FOREIGN KEY (fiscal_code) REFERENCES registry.citizen(fiscal_code);

ALTER TABLE fse.event ENABLE ROW LEVEL SECURITY;

CREATE POLICY gp_patients ON fse.event FOR SELECT TO ticket_gp USING ((fiscal_code OPERATOR(ticket.=) ANY ( SELECT c.fiscal_code
   FROM registry.citizen c
  WHERE (c.gp_code = ( SELECT ticket.bound_gp(CURRENT_USER) AS bound_gp)))));

CREATE POLICY registry_operators ON fse.event FOR SELECT TO ticket_registry_operator USING (true);

GRANT SELECT ON TABLE fse.event TO ticket_registry_operator;
GRANT SELECT ON TABLE fse.event TO ticket_gp;

SELECT pg_catalog.pg_extension_config_dump('fse.event', '');

SELECT pg_catalog.pg_extension_config_dump('fse.event_id_seq', '');
