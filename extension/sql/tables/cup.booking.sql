CREATE TABLE cup.booking (
    booking_id bigint NOT NULL,
    nre text NOT NULL,
    fiscal_code ticket.fiscal_code NOT NULL,
    asl_code text NOT NULL,
    service_date date NOT NULL,
    status text DEFAULT 'booked'::text NOT NULL,
    bill ticket.bill NOT NULL,
    amount numeric(8,2) GENERATED ALWAYS AS ((bill).total) STORED,
    booked_at timestamp with time zone DEFAULT now() NOT NULL,
    priced_at timestamp with time zone DEFAULT now() NOT NULL,
    paid_amount numeric(8,2),
    paid_at timestamp with time zone,
    payment_channel text,
    cancelled_at timestamp with time zone,
    cancel_reason text,
    CONSTRAINT booking_check CHECK (((status = ANY (ARRAY['paid'::text, 'done'::text])) <= (paid_amount IS NOT NULL))),
    CONSTRAINT booking_check1 CHECK (((paid_amount IS NULL) = (paid_at IS NULL))),
    CONSTRAINT booking_check2 CHECK ((((status = 'cancelled'::text) <= (cancelled_at IS NOT NULL)) AND ((cancelled_at IS NOT NULL) <= (status = ANY (ARRAY['cancelled'::text, 'missed'::text]))))),
    CONSTRAINT booking_service_date_check CHECK (isfinite(service_date)),
    CONSTRAINT booking_status_check CHECK ((status = ANY (ARRAY['booked'::text, 'paid'::text, 'cancelled'::text, 'done'::text, 'missed'::text])))
);

ALTER TABLE ONLY cup.booking FORCE ROW LEVEL SECURITY;

CREATE SEQUENCE cup.booking_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE cup.booking_id_seq OWNED BY cup.booking.booking_id;

ALTER TABLE ONLY cup.booking ALTER COLUMN booking_id SET DEFAULT nextval('cup.booking_id_seq'::regclass);

COMMENT ON SEQUENCE cup.booking_id_seq IS 'numbers of cup.booking';

COMMENT ON TABLE cup.booking IS 'CUP bookings of a prescription: priced by ticket.price with the rules and the citizen''s data in force on the service date';

COMMENT ON COLUMN cup.booking.booking_id IS 'the booking';

COMMENT ON COLUMN cup.booking.nre IS 'the prescription booked';

COMMENT ON COLUMN cup.booking.fiscal_code IS 'the prescription''s patient (filled in; the prescription''s foreign key and the trigger keep it a registered citizen)';

COMMENT ON COLUMN cup.booking.asl_code IS 'AUSL that provides the service (default: the patient''s residence)';

COMMENT ON COLUMN cup.booking.service_date IS 'the day of the service: rules and citizen data of that day price it';

COMMENT ON COLUMN cup.booking.status IS 'booked (unpaid, re-priced when data change), paid (amount frozen), cancelled, done, missed (not attended and not cancelled in time: the bill is the missed-appointment charge, cup.mark_missed)';

COMMENT ON COLUMN cup.booking.bill IS 'the bill: total, base, band quota, regime, band, exemption, explanation (filled in)';

COMMENT ON COLUMN cup.booking.amount IS 'the bill''s total';

COMMENT ON COLUMN cup.booking.booked_at IS 'when it was booked';

COMMENT ON COLUMN cup.booking.priced_at IS 'when the bill was last computed';

COMMENT ON COLUMN cup.booking.paid_amount IS 'what was paid: the amount at payment time';

COMMENT ON COLUMN cup.booking.paid_at IS 'when it was paid';

COMMENT ON COLUMN cup.booking.payment_channel IS 'where it was paid (CUP desk, online, pharmacy ...)';

COMMENT ON COLUMN cup.booking.cancelled_at IS 'when it was cancelled (its day in Italy decides whether the cancellation was in time for the missed-appointment rule; a missed booking keeps the time of its late cancellation)';

COMMENT ON COLUMN cup.booking.cancel_reason IS 'why it was cancelled';

ALTER TABLE ONLY cup.booking
    ADD CONSTRAINT booking_pkey PRIMARY KEY (booking_id);

CREATE INDEX booking_citizen_idx ON cup.booking USING btree (fiscal_code, service_date);

CREATE INDEX booking_nre_idx ON cup.booking USING btree (nre);

CREATE UNIQUE INDEX booking_one_live_per_prescription ON cup.booking USING btree (nre) WHERE (status <> ALL (ARRAY['cancelled'::text, 'missed'::text]));

ALTER TABLE ONLY cup.booking
    ADD CONSTRAINT booking_asl_code_fkey FOREIGN KEY (asl_code) REFERENCES registry.asl(asl_code);

ALTER TABLE ONLY cup.booking
    ADD CONSTRAINT booking_nre_fkey FOREIGN KEY (nre) REFERENCES fse.prescription(nre);

CREATE POLICY asl_bookings ON cup.booking FOR SELECT TO ticket_cup_operator USING ((asl_code = ( SELECT ticket.bound_asl(CURRENT_USER) AS bound_asl)));

CREATE POLICY asl_books ON cup.booking FOR INSERT TO ticket_cup_operator WITH CHECK ((asl_code = ( SELECT ticket.bound_asl(CURRENT_USER) AS bound_asl)));

ALTER TABLE cup.booking ENABLE ROW LEVEL SECURITY;

GRANT SELECT ON TABLE cup.booking TO ticket_cup_operator;

SELECT pg_catalog.pg_extension_config_dump('cup.booking', '');

SELECT pg_catalog.pg_extension_config_dump('cup.booking_id_seq', '');
