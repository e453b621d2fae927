CREATE TABLE ticket.service (
    code text NOT NULL,
    effective_from date NOT NULL,
    description text NOT NULL,
    branch text NOT NULL,
    kind text NOT NULL,
    tariff numeric(8,2),
    withdrawn boolean DEFAULT false NOT NULL,
    synthetic boolean NOT NULL,
    source text NOT NULL,
    shipped boolean DEFAULT false NOT NULL,
    CONSTRAINT service_check CHECK ((withdrawn OR (tariff IS NOT NULL))),
    CONSTRAINT service_code_check CHECK ((code ~ '^[A-Za-z0-9][A-Za-z0-9._-]*$'::text)),
    CONSTRAINT service_effective_from_check CHECK (isfinite(effective_from)),
    CONSTRAINT service_kind_check CHECK ((kind = ANY (ARRAY['first_visit'::text, 'control_visit'::text, 'exam'::text, 'ct_mri'::text, 'ambulatory_surgery'::text, 'drug'::text, 'er_access'::text, 'er_consultation'::text, 'er_exam'::text]))),
    CONSTRAINT service_tariff_check CHECK ((tariff >= (0)::numeric))
);

ALTER TABLE ONLY ticket.service REPLICA IDENTITY FULL;

COMMENT ON TABLE ticket.service IS 'service catalogue (nomenclatore): a row is in force from effective_from until the next row of the same code; withdrawn rows end a code';

COMMENT ON COLUMN ticket.service.code IS 'nomenclatore code of the service';

COMMENT ON COLUMN ticket.service.effective_from IS 'first service date this row applies to';

COMMENT ON COLUMN ticket.service.description IS 'what the service is';

COMMENT ON COLUMN ticket.service.branch IS 'specialist branch: services of one prescription share it';

COMMENT ON COLUMN ticket.service.kind IS 'first_visit, control_visit, exam, ct_mri, ambulatory_surgery, drug, er_access, er_consultation or er_exam: which rule prices it';

COMMENT ON COLUMN ticket.service.tariff IS 'regional tariff in euros';

COMMENT ON COLUMN ticket.service.withdrawn IS 'true: the code is no longer prescribable from effective_from';

COMMENT ON COLUMN ticket.service.synthetic IS 'true: the tariff is invented for examples and tests, not an official figure';

COMMENT ON COLUMN ticket.service.source IS 'where the tariff comes from';

COMMENT ON COLUMN ticket.service.shipped IS 'true for rows the extension ships (not dumped, not editable)';

ALTER TABLE ONLY ticket.service
    ADD CONSTRAINT service_pkey PRIMARY KEY (code, effective_from);

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE ticket.service TO ticket_rules_admin;
GRANT SELECT ON TABLE ticket.service TO ticket_library;


--
-- PostgreSQL database dump complete
--


SELECT pg_catalog.pg_extension_config_dump('ticket.service', 'WHERE NOT shipped');
