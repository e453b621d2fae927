CREATE TABLE ticket.missed_appointment_rule (
    effective_from date NOT NULL,
    notice_days integer,
    legal_reference text NOT NULL,
    note text NOT NULL,
    shipped boolean DEFAULT false NOT NULL,
    CONSTRAINT missed_appointment_rule_effective_from_check CHECK (isfinite(effective_from)),
    CONSTRAINT missed_appointment_rule_notice_days_check CHECK (((notice_days >= 1) AND (notice_days <= 30)))
);

ALTER TABLE ONLY ticket.missed_appointment_rule REPLICA IDENTITY FULL;

COMMENT ON TABLE ticket.missed_appointment_rule IS 'the missed-appointment (mancata disdetta) rule in force from effective_from until the next row: a booking neither attended nor cancelled notice_days working days before its service is charged the lowest band''s ordinary ticket of its services, exemptions ignored (cup.mark_missed)';

COMMENT ON COLUMN ticket.missed_appointment_rule.effective_from IS 'first service date the rule covers';

COMMENT ON COLUMN ticket.missed_appointment_rule.notice_days IS 'a cancellation is in time when at least this many working days (ticket.working_days) lie from its day up to the day before the service; NULL: no charge for missed appointments from effective_from (a suspension)';

COMMENT ON COLUMN ticket.missed_appointment_rule.legal_reference IS 'the act that makes the rule';

COMMENT ON COLUMN ticket.missed_appointment_rule.note IS 'the sources and the choices made where they are uncertain';

COMMENT ON COLUMN ticket.missed_appointment_rule.shipped IS 'true for rows the extension ships (not dumped, not editable)';

ALTER TABLE ONLY ticket.missed_appointment_rule
    ADD CONSTRAINT missed_appointment_rule_pkey PRIMARY KEY (effective_from);

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE ticket.missed_appointment_rule TO ticket_rules_admin;
GRANT SELECT ON TABLE ticket.missed_appointment_rule TO ticket_library;

SELECT pg_catalog.pg_extension_config_dump('ticket.missed_appointment_rule', 'WHERE NOT shipped');
