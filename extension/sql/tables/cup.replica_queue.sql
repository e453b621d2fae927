CREATE UNLOGGED TABLE cup.replica_queue (
    fiscal_code ticket.fiscal_code,
    from_date date NOT NULL,
    known_on date NOT NULL,
    cause text NOT NULL,
    CONSTRAINT replica_queue_cause_check CHECK ((cause = ANY (ARRAY['declaration'::text, 'exemption_granted'::text, 'exemption_revoked'::text, 'residence'::text, 'death'::text, 'rules'::text])))
);

COMMENT ON TABLE cup.replica_queue IS 'on an ASL node, the citizens whose bookings a replicated change may reach, until the commit of the applied transaction re-prices them (cup.apply_replicated); empty between transactions';

COMMENT ON COLUMN cup.replica_queue.fiscal_code IS 'the citizen; NULL for a rule change (every booking)';

COMMENT ON COLUMN cup.replica_queue.from_date IS 'the first service date the change reaches';

COMMENT ON COLUMN cup.replica_queue.known_on IS 'the day it became known (the grace window of paid bookings); infinity: adjust nothing';

COMMENT ON COLUMN cup.replica_queue.cause IS 'declaration, exemption_granted, exemption_revoked (the adjustment''s reason), residence, death, rules';
