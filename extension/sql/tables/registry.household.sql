CREATE TABLE registry.household (
    household_id bigint NOT NULL,
    registered_at timestamp with time zone DEFAULT now() NOT NULL
);

CREATE SEQUENCE registry.household_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE registry.household_id_seq OWNED BY registry.household.household_id;

ALTER TABLE ONLY registry.household ALTER COLUMN household_id SET DEFAULT nextval('registry.household_id_seq'::regclass);

COMMENT ON SEQUENCE registry.household_id_seq IS 'numbers of registry.household';

GRANT USAGE ON SEQUENCE registry.household_id_seq TO ticket_registry_operator;

COMMENT ON TABLE registry.household IS 'fiscal households (nucleo familiare fiscale)';

COMMENT ON COLUMN registry.household.household_id IS 'the household';

COMMENT ON COLUMN registry.household.registered_at IS 'when the household entered the registry';

ALTER TABLE ONLY registry.household
    ADD CONSTRAINT household_pkey PRIMARY KEY (household_id);

GRANT SELECT,INSERT,UPDATE ON TABLE registry.household TO ticket_registry_operator;

SELECT pg_catalog.pg_extension_config_dump('registry.household', '');

SELECT pg_catalog.pg_extension_config_dump('registry.household_id_seq', '');
