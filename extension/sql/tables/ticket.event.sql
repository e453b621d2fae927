CREATE TABLE ticket.event (
    event_id bigint NOT NULL,
    kind text NOT NULL,
    subject text NOT NULL,
    fiscal_code ticket.fiscal_code NOT NULL,
    payload jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    txid xid8 DEFAULT pg_current_xact_id() NOT NULL,
    CONSTRAINT event_kind_check CHECK ((kind = ANY (ARRAY['declaration'::text, 'exemption_granted'::text, 'exemption_revoked'::text, 'booked'::text, 'moved'::text, 'repriced'::text, 'paid'::text, 'cancelled'::text, 'done'::text, 'adjustment'::text, 'missed'::text])))
);

CREATE SEQUENCE ticket.event_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE ticket.event_id_seq OWNED BY ticket.event.event_id;

ALTER TABLE ONLY ticket.event ALTER COLUMN event_id SET DEFAULT nextval('ticket.event_id_seq'::regclass);

COMMENT ON SEQUENCE ticket.event_id_seq IS 'numbers of ticket.event: consumers catch up from the last one they saw (ticket.events_after)';

COMMENT ON TABLE ticket.event IS 'outbox of events (declarations, exemptions, bookings, re-pricing, adjustments); NOTIFY ticket_event carries the newest event_id';

COMMENT ON COLUMN ticket.event.event_id IS 'position in the outbox; readers resume after the last one they saw';

COMMENT ON COLUMN ticket.event.kind IS 'declaration, exemption_granted, exemption_revoked, booked, moved, repriced, paid, cancelled, done, adjustment or missed';

COMMENT ON COLUMN ticket.event.subject IS 'the key of the row the event is about: declaration_id, grant_id, booking_id or adjustment_id';

COMMENT ON COLUMN ticket.event.fiscal_code IS 'the citizen the event is about';

COMMENT ON COLUMN ticket.event.payload IS 'the event''s facts (band, amounts, dates ...) as JSON';

COMMENT ON COLUMN ticket.event.created_at IS 'when the writing transaction started';

COMMENT ON COLUMN ticket.event.txid IS 'the writing transaction, so that readers deliver only settled events (events_after)';

ALTER TABLE ONLY ticket.event
    ADD CONSTRAINT event_pkey PRIMARY KEY (event_id);

SELECT pg_catalog.pg_extension_config_dump('ticket.event', '');

SELECT pg_catalog.pg_extension_config_dump('ticket.event_id_seq', '');
