-- The schemas of the network, in the order data flows: the registry,
-- the FSE it feeds, the CUP bookings priced from both.
CREATE SCHEMA registry;

COMMENT ON SCHEMA registry IS 'regional health registry (anagrafe assistiti): citizens, households, GPs, band declarations, exemption grants';

GRANT USAGE ON SCHEMA registry TO ticket_rules_admin;
GRANT USAGE ON SCHEMA registry TO ticket_registry_operator;
GRANT USAGE ON SCHEMA registry TO ticket_cup_operator;
GRANT USAGE ON SCHEMA registry TO ticket_gp;
GRANT USAGE ON SCHEMA registry TO ticket_pgaudit;

CREATE SCHEMA fse;

COMMENT ON SCHEMA fse IS 'electronic health record (FSE): each citizen''s ticket profile, event log and electronic prescriptions';

GRANT USAGE ON SCHEMA fse TO ticket_registry_operator;
GRANT USAGE ON SCHEMA fse TO ticket_cup_operator;
GRANT USAGE ON SCHEMA fse TO ticket_gp;
GRANT USAGE ON SCHEMA fse TO ticket_fse_portal;
GRANT USAGE ON SCHEMA fse TO ticket_pgaudit;

CREATE SCHEMA cup;

COMMENT ON SCHEMA cup IS 'CUP booking system: bookings, their bills and payments, adjustments';

GRANT USAGE ON SCHEMA cup TO ticket_cup_operator;

-- The schema ticket is CREATE EXTENSION's (ticket.control: schema = ticket).
GRANT USAGE ON SCHEMA ticket TO ticket_library;
GRANT USAGE ON SCHEMA ticket TO ticket_auditor;
