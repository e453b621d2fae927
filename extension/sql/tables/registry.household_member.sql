CREATE TABLE registry.household_member (
    fiscal_code ticket.fiscal_code NOT NULL,
    household_id bigint NOT NULL,
    relation text NOT NULL,
    CONSTRAINT household_member_relation_check CHECK ((relation = ANY (ARRAY['declarant'::text, 'spouse'::text, 'dependant'::text])))
);

COMMENT ON TABLE registry.household_member IS 'who belongs to which fiscal household: the income-tax declarant, the spouse, the dependants';

COMMENT ON COLUMN registry.household_member.fiscal_code IS 'the member';

COMMENT ON COLUMN registry.household_member.household_id IS 'the household';

COMMENT ON COLUMN registry.household_member.relation IS 'declarant (files the income tax return), spouse or dependant';

ALTER TABLE ONLY registry.household_member
    ADD CONSTRAINT household_member_pkey PRIMARY KEY (fiscal_code);

CREATE INDEX household_member_household_idx ON registry.household_member USING btree (household_id);

CREATE UNIQUE INDEX household_one_declarant ON registry.household_member USING btree (household_id) WHERE (relation = 'declarant'::text);

ALTER TABLE ONLY registry.household_member
    ADD CONSTRAINT household_member_fiscal_code_fkey FOREIGN KEY (fiscal_code) REFERENCES registry.citizen(fiscal_code);

ALTER TABLE ONLY registry.household_member
    ADD CONSTRAINT household_member_household_id_fkey FOREIGN KEY (household_id) REFERENCES registry.household(household_id) ON DELETE CASCADE;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE registry.household_member TO ticket_registry_operator;

SELECT pg_catalog.pg_extension_config_dump('registry.household_member', '');
