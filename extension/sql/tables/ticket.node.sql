CREATE TABLE ticket.node (
    singleton boolean DEFAULT true NOT NULL,
    role text NOT NULL,
    asl_code text,
    since timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT node_asl_has_code CHECK (((role = 'asl'::text) = (asl_code IS NOT NULL))),
    CONSTRAINT node_role_check CHECK ((role = ANY (ARRAY['region'::text, 'asl'::text]))),
    CONSTRAINT node_singleton_check CHECK (singleton)
);

COMMENT ON TABLE ticket.node IS 'what this database is in the regional network: no row (or role region) the region, role asl an ASL''s CUP node (ticket.become_asl_node)';

COMMENT ON COLUMN ticket.node.singleton IS 'always true: one row at most';

COMMENT ON COLUMN ticket.node.role IS 'region or asl';

COMMENT ON COLUMN ticket.node.asl_code IS 'for an ASL node: its ASL';

COMMENT ON COLUMN ticket.node.since IS 'when the database became what it is';

ALTER TABLE ONLY ticket.node
    ADD CONSTRAINT node_pkey PRIMARY KEY (singleton);

ALTER TABLE ONLY ticket.node
    ADD CONSTRAINT node_asl_code_fkey FOREIGN KEY (asl_code) REFERENCES registry.asl(asl_code);

SELECT pg_catalog.pg_extension_config_dump('ticket.node', '');
