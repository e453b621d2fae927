CREATE TABLE cup.adjustment (
    adjustment_id bigint NOT NULL,
    booking_id bigint NOT NULL,
    amount numeric(8,2) NOT NULL,
    reason text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    settled_at timestamp with time zone,
    CONSTRAINT adjustment_amount_check CHECK ((amount <> (0)::numeric)),
    CONSTRAINT adjustment_reason_check CHECK ((reason = ANY (ARRAY['declaration'::text, 'exemption_granted'::text, 'exemption_revoked'::text, 'cancellation'::text])))
);

ALTER TABLE ONLY cup.adjustment FORCE ROW LEVEL SECURITY;

CREATE SEQUENCE cup.adjustment_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE cup.adjustment_id_seq OWNED BY cup.adjustment.adjustment_id;

ALTER TABLE ONLY cup.adjustment ALTER COLUMN adjustment_id SET DEFAULT nextval('cup.adjustment_id_seq'::regclass);

COMMENT ON SEQUENCE cup.adjustment_id_seq IS 'numbers of cup.adjustment';

COMMENT ON TABLE cup.adjustment IS 'differences on paid bookings: amount > 0 the citizen owes it, amount < 0 a refund; created when data change inside the grace window, or on cancelling a paid booking';

COMMENT ON COLUMN cup.adjustment.adjustment_id IS 'the adjustment';

COMMENT ON COLUMN cup.adjustment.booking_id IS 'the paid booking it settles';

COMMENT ON COLUMN cup.adjustment.amount IS 'positive: the citizen owes it; negative: a refund';

COMMENT ON COLUMN cup.adjustment.reason IS 'declaration, exemption_granted, exemption_revoked or cancellation';

COMMENT ON COLUMN cup.adjustment.created_at IS 'when it was created';

COMMENT ON COLUMN cup.adjustment.settled_at IS 'when the refund was paid out or the amount collected; NULL = open';

ALTER TABLE ONLY cup.adjustment
    ADD CONSTRAINT adjustment_pkey PRIMARY KEY (adjustment_id);

CREATE INDEX adjustment_booking_idx ON cup.adjustment USING btree (booking_id);

ALTER TABLE ONLY cup.adjustment
    ADD CONSTRAINT adjustment_booking_id_fkey FOREIGN KEY (booking_id) REFERENCES cup.booking(booking_id);

ALTER TABLE cup.adjustment ENABLE ROW LEVEL SECURITY;

CREATE POLICY asl_bookings ON cup.adjustment FOR SELECT TO ticket_cup_operator USING ((booking_id IN ( SELECT b.booking_id
   FROM cup.booking b)));

GRANT SELECT ON TABLE cup.adjustment TO ticket_cup_operator;

SELECT pg_catalog.pg_extension_config_dump('cup.adjustment', '');

SELECT pg_catalog.pg_extension_config_dump('cup.adjustment_id_seq', '');
