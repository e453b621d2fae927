CREATE TABLE ticket.public_holiday (
    day date NOT NULL,
    name text NOT NULL,
    source text NOT NULL,
    shipped boolean DEFAULT false NOT NULL,
    CONSTRAINT public_holiday_day_check CHECK (isfinite(day)),
    CONSTRAINT public_holiday_name_check CHECK ((name <> ''::text)),
    CONSTRAINT public_holiday_source_check CHECK ((source <> ''::text))
);

ALTER TABLE ONLY ticket.public_holiday REPLICA IDENTITY FULL;

COMMENT ON TABLE ticket.public_holiday IS 'the working-day calendar: Italian national public holidays, one row a day (ticket.working_days); Sundays are never working days, Saturdays and local patron saints'' days are (AUSL Reggio Emilia''s reading of LR 2/2016 art. 23)';

COMMENT ON COLUMN ticket.public_holiday.day IS 'the holiday';

COMMENT ON COLUMN ticket.public_holiday.name IS 'which holiday (two on one day are one row naming both)';

COMMENT ON COLUMN ticket.public_holiday.source IS 'the law that makes the day a national holiday';

COMMENT ON COLUMN ticket.public_holiday.shipped IS 'true for rows the extension ships (not dumped, not editable)';

ALTER TABLE ONLY ticket.public_holiday
    ADD CONSTRAINT public_holiday_pkey PRIMARY KEY (day);

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE ticket.public_holiday TO ticket_rules_admin;
GRANT SELECT ON TABLE ticket.public_holiday TO ticket_library;

SELECT pg_catalog.pg_extension_config_dump('ticket.public_holiday', 'WHERE NOT shipped');
