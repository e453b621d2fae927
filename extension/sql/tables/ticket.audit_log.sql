CREATE TABLE ticket.audit_log (
    audit_id bigint NOT NULL,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    txid xid8 DEFAULT pg_current_xact_id() NOT NULL,
    session_role name DEFAULT SESSION_USER NOT NULL,
    acting_role name DEFAULT ticket.acting_role() NOT NULL,
    application_name text DEFAULT current_setting('application_name'::text) NOT NULL,
    client_addr inet DEFAULT inet_client_addr(),
    table_name text NOT NULL,
    operation text NOT NULL,
    row_key text NOT NULL,
    old_row jsonb,
    new_row jsonb,
    CONSTRAINT audit_log_check CHECK (((old_row IS NULL) = (operation = ANY (ARRAY['INSERT'::text, 'READ'::text])))),
    CONSTRAINT audit_log_check1 CHECK (((new_row IS NULL) = (operation = 'DELETE'::text))),
    CONSTRAINT audit_log_operation_check CHECK ((operation = ANY (ARRAY['INSERT'::text, 'UPDATE'::text, 'DELETE'::text, 'READ'::text])))
);

CREATE SEQUENCE ticket.audit_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE ticket.audit_log_id_seq OWNED BY ticket.audit_log.audit_id;

ALTER TABLE ONLY ticket.audit_log ALTER COLUMN audit_id SET DEFAULT nextval('ticket.audit_log_id_seq'::regclass);

COMMENT ON SEQUENCE ticket.audit_log_id_seq IS 'numbers of ticket.audit_log';

COMMENT ON TABLE ticket.audit_log IS 'who changed which row of health data, money, rules or bindings, when, from what to what, also when the extension''s triggers wrote it; reads through fse.status and the portal; append-only, kept 24 months at least (ticket.audit_purge)';

COMMENT ON COLUMN ticket.audit_log.audit_id IS 'the order rows were recorded in';

COMMENT ON COLUMN ticket.audit_log.recorded_at IS 'when the changing transaction started (now())';

COMMENT ON COLUMN ticket.audit_log.txid IS 'the changing transaction';

COMMENT ON COLUMN ticket.audit_log.session_role IS 'session_user: who logged in';

COMMENT ON COLUMN ticket.audit_log.acting_role IS 'the role the session acted as (SET ROLE; ticket.acting_role())';

COMMENT ON COLUMN ticket.audit_log.application_name IS 'the application_name of the session (CUP desk, call centre, GP software, portal, batch)';

COMMENT ON COLUMN ticket.audit_log.client_addr IS 'the client''s address; NULL over a Unix socket';

COMMENT ON COLUMN ticket.audit_log.table_name IS 'the changed table, schema-qualified; for a READ the function that read';

COMMENT ON COLUMN ticket.audit_log.operation IS 'INSERT, UPDATE or DELETE of a row; READ: a citizen''s data read through fse.status or a portal function';

COMMENT ON COLUMN ticket.audit_log.row_key IS 'its primary key (the values of a key of several columns joined by /); for a READ the citizen''s fiscal code';

COMMENT ON COLUMN ticket.audit_log.old_row IS 'the row before (NULL for an INSERT and a READ)';

COMMENT ON COLUMN ticket.audit_log.new_row IS 'the row after (NULL for a DELETE); for a READ what was asked (date, authenticated person)';

ALTER TABLE ONLY ticket.audit_log
    ADD CONSTRAINT audit_log_pkey PRIMARY KEY (audit_id);

CREATE INDEX audit_log_recorded_idx ON ticket.audit_log USING brin (recorded_at);

CREATE INDEX audit_log_row_idx ON ticket.audit_log USING btree (table_name, row_key);

GRANT SELECT ON TABLE ticket.audit_log TO ticket_auditor;

SELECT pg_catalog.pg_extension_config_dump('ticket.audit_log', '');

SELECT pg_catalog.pg_extension_config_dump('ticket.audit_log_id_seq', '');
