CREATE TABLE ticket.exemption_scope (
    exemption ticket.exemption NOT NULL,
    service_code text NOT NULL,
    synthetic boolean DEFAULT false NOT NULL,
    shipped boolean DEFAULT false NOT NULL
);

ALTER TABLE ONLY ticket.exemption_scope REPLICA IDENTITY FULL;

COMMENT ON TABLE ticket.exemption_scope IS 'services covered by a partial exemption (coverage = listed), e.g. the follow-up tests of a chronic disease';

COMMENT ON COLUMN ticket.exemption_scope.exemption IS 'a partial exemption (coverage = listed)';

COMMENT ON COLUMN ticket.exemption_scope.service_code IS 'a service it covers (ticket.service.code)';

COMMENT ON COLUMN ticket.exemption_scope.synthetic IS 'true: an invented example, not an official list entry';

COMMENT ON COLUMN ticket.exemption_scope.shipped IS 'true for rows the extension ships (not dumped, not editable)';

ALTER TABLE ONLY ticket.exemption_scope
    ADD CONSTRAINT exemption_scope_pkey PRIMARY KEY (exemption, service_code);

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE ticket.exemption_scope TO ticket_rules_admin;
GRANT SELECT ON TABLE ticket.exemption_scope TO ticket_library;

SELECT pg_catalog.pg_extension_config_dump('ticket.exemption_scope', 'WHERE NOT shipped');
