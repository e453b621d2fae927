CREATE TABLE ticket.priority_class (
    priority text NOT NULL,
    description text NOT NULL,
    max_wait_visit integer NOT NULL,
    max_wait_exam integer NOT NULL,
    shipped boolean DEFAULT false NOT NULL,
    CONSTRAINT priority_class_max_wait_exam_check CHECK ((max_wait_exam > 0)),
    CONSTRAINT priority_class_max_wait_visit_check CHECK ((max_wait_visit > 0)),
    CONSTRAINT priority_class_priority_check CHECK ((priority ~ '^[A-Z]$'::text))
);

ALTER TABLE ONLY ticket.priority_class REPLICA IDENTITY FULL;

COMMENT ON TABLE ticket.priority_class IS 'priority classes of a prescription (U, B, D, P) and the maximum wait in days for visits and for diagnostics';

COMMENT ON COLUMN ticket.priority_class.priority IS 'the letter written on the prescription';

COMMENT ON COLUMN ticket.priority_class.description IS 'what the class means';

COMMENT ON COLUMN ticket.priority_class.max_wait_visit IS 'longest wait in days for a visit';

COMMENT ON COLUMN ticket.priority_class.max_wait_exam IS 'longest wait in days for diagnostics';

COMMENT ON COLUMN ticket.priority_class.shipped IS 'true for rows the extension ships (not dumped, not editable)';

ALTER TABLE ONLY ticket.priority_class
    ADD CONSTRAINT priority_class_pkey PRIMARY KEY (priority);

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE ticket.priority_class TO ticket_rules_admin;
GRANT SELECT ON TABLE ticket.priority_class TO ticket_library;

SELECT pg_catalog.pg_extension_config_dump('ticket.priority_class', 'WHERE NOT shipped');
