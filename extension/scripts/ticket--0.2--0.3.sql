/* extension/scripts/ticket--0.2--0.3.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION ticket UPDATE TO '0.3'" to load this file. \quit

--------------------------------------------------------------------------
-- The network: the regional registry (schema registry), the electronic
-- health record (schema fse) and the CUP booking system (schema cup), kept
-- consistent by triggers.  One schema per system so that grants, row-level
-- security and logical replication map onto them; the rules and the types
-- stay in schema ticket.  README "Schemas" says why prescriptions live in
-- fse.
--
-- How a change travels (extension/doc/ticket.md, "The network"):
--   * every write about a citizen first takes the citizen's lock row
--     (registry.lock_citizen, once per transaction), so writes about one citizen are serialised
--     and, under REPEATABLE READ, a concurrent one is a serialization
--     failure (40001) instead of a silent write skew;
--   * row triggers validate and fill in what the registry knows;
--   * statement triggers propagate set-wise (registry.propagate): FSE
--     profile, prescription boxes, re-pricing of unpaid bookings,
--     adjustments of paid ones inside the grace window, events.
--
-- Functions here run with search_path = pg_catalog, ticket, pg_temp: the
-- operators of the ticket types live in schema ticket, which only the
-- extension's owner can create objects in.
--
-- SQLSTATEs raised here (class TK continues the engine's TK001-TK007):
--   TK010 the citizen is deceased on that date
--   TK011 the declarant may not declare for the citizen
--   TK012 a declaration would apply before the citizen's current one
--   TK013 a booking status change that is not allowed
--   TK014 the amount changed since it was shown (pay with expected_amount)
--   TK015 the fiscal code does not match the personal data
--   TK016 the birthplace code is not a known Belfiore code
--   TK017 the GP has ceased practising on that date
--   TK018 the row is history: it cannot be changed or deleted
--   428C9 a column the registry fills in was written by hand
--------------------------------------------------------------------------

--------------------------------------------------------------------------
-- Rule data the network needs
--------------------------------------------------------------------------

-- The grace window of 2011 (§1.4): a band or exemption that reaches the
-- registry within this many days after a service still settles the
-- difference on a paid booking (refund or amount due).  NULL: a paid
-- booking is final.  [choice] The sources only describe 2011; every later
-- shipped regime keeps 60 days as its refund window; the pre-2011 regime
-- has none.
ALTER TABLE ticket.regime ADD COLUMN adjustment_grace_days integer
    CHECK (adjustment_grace_days BETWEEN 0 AND 3660);
COMMENT ON COLUMN ticket.regime.adjustment_grace_days IS
'days after a service within which a later band or exemption still adjusts a paid booking (2011: 60); NULL = paid bookings are final';
UPDATE ticket.regime SET adjustment_grace_days = 60 WHERE shipped AND regime_id <> 'ER-BASELINE';

CREATE FUNCTION ticket.effective_band(declared ticket.income_band, on_date date)
RETURNS ticket.income_band
AS 'MODULE_PATHNAME', 'ticket_effective_band' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ticket.effective_band(ticket.income_band, date) IS
'the declared band if the regime in force on on_date defines it, else NULL (the regime''s default applies): RE2 means nothing to the 2019 rules';

-- Ministry region codes, the first three characters of an NRE (§5; HL7
-- Italia MinSan list; 080 = Emilia-Romagna).
CREATE TABLE ticket.nre_region (
    region_code  text PRIMARY KEY CHECK (region_code ~ '^[0-9]{3}$'),
    name         text NOT NULL,
    shipped      boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE ticket.nre_region IS
'Ministry of Health region codes: the first three characters of an electronic prescription number (NRE)';
INSERT INTO ticket.nre_region (region_code, name, shipped) VALUES
    ('010', 'Piemonte', true), ('020', 'Valle d''Aosta', true), ('030', 'Lombardia', true),
    ('041', 'P.A. Bolzano', true), ('042', 'P.A. Trento', true), ('050', 'Veneto', true),
    ('060', 'Friuli-Venezia Giulia', true), ('070', 'Liguria', true),
    ('080', 'Emilia-Romagna', true), ('090', 'Toscana', true), ('100', 'Umbria', true),
    ('110', 'Marche', true), ('120', 'Lazio', true), ('130', 'Abruzzo', true),
    ('140', 'Molise', true), ('150', 'Campania', true), ('160', 'Puglia', true),
    ('170', 'Basilicata', true), ('180', 'Calabria', true), ('190', 'Sicilia', true),
    ('200', 'Sardegna', true);

-- Priority classes of a first-access prescription and their maximum waits
-- (§5, national PNGLA, stated by the ER FSE guide).
CREATE TABLE ticket.priority_class (
    priority         text PRIMARY KEY CHECK (priority ~ '^[A-Z]$'),
    description      text NOT NULL,
    max_wait_visit   integer NOT NULL CHECK (max_wait_visit > 0),
    max_wait_exam    integer NOT NULL CHECK (max_wait_exam > 0),
    shipped          boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE ticket.priority_class IS
'priority classes of a prescription (U, B, D, P) and the maximum wait in days for visits and for diagnostics';
INSERT INTO ticket.priority_class VALUES
    ('U', 'urgent: within 72 hours', 3, 3, true),
    ('B', 'short: within 10 days', 10, 10, true),
    ('D', 'deferrable: 30 days for visits, 60 for diagnostics', 30, 60, true),
    ('P', 'planned: within 120 days', 120, 120, true);

SELECT pg_catalog.pg_extension_config_dump('ticket.nre_region', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('ticket.priority_class', 'WHERE NOT shipped');
GRANT SELECT ON ticket.nre_region, ticket.priority_class TO PUBLIC;

-- Both are read through the per-backend rule cache (prescription_max_wait).
CREATE TRIGGER rules_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ticket.nre_region
    FOR EACH STATEMENT EXECUTE FUNCTION ticket.rules_changed();
CREATE TRIGGER rules_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ticket.priority_class
    FOR EACH STATEMENT EXECUTE FUNCTION ticket.rules_changed();

CREATE FUNCTION ticket.prescription_max_wait(nre text, priority text, services text[], on_date date)
RETURNS integer
AS 'MODULE_PATHNAME', 'ticket_prescription_max_wait' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION ticket.prescription_max_wait(text, text, text[], date) IS
'the longest wait a priority allows for these services (visit or diagnostic figure); refuses an NRE of an unknown region (22P02) and an unknown priority (23503); NULL without a priority';

CREATE TRIGGER protect_shipped_rows BEFORE INSERT OR UPDATE OR DELETE ON ticket.nre_region
    FOR EACH ROW EXECUTE FUNCTION ticket.protect_shipped_rows();
CREATE TRIGGER protect_shipped_rows_truncate BEFORE TRUNCATE ON ticket.nre_region
    FOR EACH STATEMENT EXECUTE FUNCTION ticket.protect_shipped_rows();
CREATE TRIGGER protect_shipped_rows BEFORE INSERT OR UPDATE OR DELETE ON ticket.priority_class
    FOR EACH ROW EXECUTE FUNCTION ticket.protect_shipped_rows();
CREATE TRIGGER protect_shipped_rows_truncate BEFORE TRUNCATE ON ticket.priority_class
    FOR EACH STATEMENT EXECUTE FUNCTION ticket.protect_shipped_rows();

--------------------------------------------------------------------------
-- Schemas
--------------------------------------------------------------------------

CREATE SCHEMA registry;
COMMENT ON SCHEMA registry IS
'regional health registry (anagrafe assistiti): citizens, households, GPs, band declarations, exemption grants';
CREATE SCHEMA fse;
COMMENT ON SCHEMA fse IS
'electronic health record (FSE): each citizen''s ticket profile, event log and electronic prescriptions';
CREATE SCHEMA cup;
COMMENT ON SCHEMA cup IS
'CUP booking system: bookings, their bills and payments, adjustments';

--------------------------------------------------------------------------
-- Registry
--------------------------------------------------------------------------

CREATE TABLE registry.asl (
    asl_code  text PRIMARY KEY CHECK (asl_code ~ '^[0-9]{6}$'),
    name      text NOT NULL,
    shipped   boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE registry.asl IS
'local health authorities (AUSL): region code and company code, as in the Ministry''s FLS11 list';
-- The eight AUSL of Emilia-Romagna since 2014 (Romagna merged Ravenna,
-- Forlì, Cesena and Rimini).  [P] codes as commonly published.
INSERT INTO registry.asl VALUES
    ('080101', 'AUSL di Piacenza', true), ('080102', 'AUSL di Parma', true),
    ('080103', 'AUSL di Reggio Emilia', true), ('080104', 'AUSL di Modena', true),
    ('080105', 'AUSL di Bologna', true), ('080106', 'AUSL di Imola', true),
    ('080109', 'AUSL di Ferrara', true), ('080114', 'AUSL della Romagna', true);
CREATE TRIGGER protect_shipped_rows BEFORE INSERT OR UPDATE OR DELETE ON registry.asl
    FOR EACH ROW EXECUTE FUNCTION ticket.protect_shipped_rows();
CREATE TRIGGER protect_shipped_rows_truncate BEFORE TRUNCATE ON registry.asl
    FOR EACH STATEMENT EXECUTE FUNCTION ticket.protect_shipped_rows();

CREATE TABLE registry.gp (
    gp_code      text PRIMARY KEY CHECK (gp_code ~ '^[A-Z0-9]{1,16}$'),
    fiscal_code  ticket.fiscal_code NOT NULL UNIQUE,
    surname      text NOT NULL CHECK (surname <> ''),
    given_name   text NOT NULL CHECK (given_name <> ''),
    asl_code     text NOT NULL REFERENCES registry.asl,
    kind         text NOT NULL DEFAULT 'gp' CHECK (kind IN ('gp', 'paediatrician')),
    ceased_on    date
);
COMMENT ON TABLE registry.gp IS
'general practitioners (MMG) and family paediatricians (PLS) who prescribe';
COMMENT ON COLUMN registry.gp.gp_code IS 'regional code of the doctor';
COMMENT ON COLUMN registry.gp.ceased_on IS 'first day the doctor no longer practises; NULL = practising';

CREATE TABLE registry.citizen (
    fiscal_code           ticket.fiscal_code PRIMARY KEY,
    surname               text NOT NULL CHECK (surname <> ''),
    given_name            text NOT NULL CHECK (given_name <> ''),
    sex                   text NOT NULL CHECK (sex IN ('M', 'F')),
    birth_date            date NOT NULL CHECK (isfinite(birth_date)),
    birthplace            text NOT NULL CHECK (birthplace ~ '^[A-ILMZ][0-9]{3}$'),
    residence_asl         text NOT NULL REFERENCES registry.asl,
    gp_code               text REFERENCES registry.gp,
    death_date            date CHECK (death_date >= birth_date),
    code_mismatch_reason  text CHECK (code_mismatch_reason <> ''),
    registered_at         timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE registry.citizen IS
'people entitled to regional health care; the fiscal code must match the personal data unless a legacy mismatch is recorded';
COMMENT ON COLUMN registry.citizen.birthplace IS 'Belfiore code of the birthplace (a row of ticket.birthplace)';
COMMENT ON COLUMN registry.citizen.residence_asl IS 'AUSL of residence: the CUP that books for the citizen by default';
COMMENT ON COLUMN registry.citizen.gp_code IS 'chosen GP or paediatrician';
COMMENT ON COLUMN registry.citizen.death_date IS 'date of death: nothing can be declared, prescribed or booked from that day';
COMMENT ON COLUMN registry.citizen.code_mismatch_reason IS
'why a legacy fiscal code does not match the personal data (e.g. issued by the Revenue Agency with a typo); NULL = it must match';
CREATE INDEX citizen_gp_code_idx ON registry.citizen (gp_code);

-- The row every write about a citizen updates first (registry.lock_citizen):
-- narrow, without checks, with room for HOT updates, created on first use.
-- Bookkeeping, not user data: not dumped (it is recreated on demand).
CREATE TABLE registry.citizen_lock (
    fiscal_code  ticket.fiscal_code PRIMARY KEY REFERENCES registry.citizen ON DELETE CASCADE,
    revision     bigint NOT NULL
) WITH (fillfactor = 50);
COMMENT ON TABLE registry.citizen_lock IS
'one row per citizen that writes about them update first, so that they are serialised (and a REPEATABLE READ race is a serialization failure)';
COMMENT ON COLUMN registry.citizen_lock.revision IS 'how many writes about the citizen took the lock';

-- The fiscal household (nucleo familiare fiscale): whose income the band is
-- about.  A citizen belongs to one household at a time.
CREATE SEQUENCE registry.household_id_seq;
CREATE TABLE registry.household (
    household_id   bigint PRIMARY KEY DEFAULT nextval('registry.household_id_seq'),
    registered_at  timestamptz NOT NULL DEFAULT now()
);
ALTER SEQUENCE registry.household_id_seq OWNED BY registry.household.household_id;
COMMENT ON TABLE registry.household IS 'fiscal households (nucleo familiare fiscale)';

CREATE TABLE registry.household_member (
    fiscal_code   ticket.fiscal_code PRIMARY KEY REFERENCES registry.citizen,
    household_id  bigint NOT NULL REFERENCES registry.household ON DELETE CASCADE,
    relation      text NOT NULL CHECK (relation IN ('declarant', 'spouse', 'dependant'))
);
COMMENT ON TABLE registry.household_member IS
'who belongs to which fiscal household: the income-tax declarant, the spouse, the dependants';
CREATE INDEX household_member_household_idx ON registry.household_member (household_id);
CREATE UNIQUE INDEX household_one_declarant ON registry.household_member (household_id)
    WHERE relation = 'declarant';

-- Guardians appointed for minors outside their household (tutore).
CREATE TABLE registry.guardian (
    ward         ticket.fiscal_code NOT NULL REFERENCES registry.citizen,
    guardian     ticket.fiscal_code NOT NULL REFERENCES registry.citizen,
    appointed    daterange NOT NULL CHECK (NOT isempty(appointed) AND NOT lower_inf(appointed)),
    PRIMARY KEY (ward, guardian, appointed),
    CHECK (ward <> guardian)
);
COMMENT ON TABLE registry.guardian IS
'legal guardians of minors: a guardian may self-certify for the ward during the appointment';

-- Self-certifications of the income band (and, from 2019, the bands the
-- Revenue Agency data attribute).  History: a declaration is never changed;
-- the next one closes it (valid_until), and a correction is a new
-- declaration (on the same day it supersedes the old one entirely).
CREATE SEQUENCE registry.declaration_id_seq;
CREATE TABLE registry.declaration (
    declaration_id  bigint PRIMARY KEY DEFAULT nextval('registry.declaration_id_seq'),
    fiscal_code     ticket.fiscal_code NOT NULL REFERENCES registry.citizen,
    band            ticket.income_band NOT NULL,
    declarant       ticket.fiscal_code NOT NULL REFERENCES registry.citizen,
    channel         text NOT NULL CHECK (channel IN ('cup_desk', 'call_centre', 'gp', 'pharmacy',
                                                     'caf', 'fse_online', 'revenue_agency')),
    operator        text CHECK (operator <> ''),
    signed_at       timestamptz NOT NULL DEFAULT now(),
    applies_from    date NOT NULL CHECK (isfinite(applies_from)),
    valid_until     date,
    income_year     integer CHECK (income_year BETWEEN 1900 AND 9999),
    valid           daterange GENERATED ALWAYS AS (daterange(applies_from, valid_until)) STORED,
    CHECK (valid_until >= applies_from),
    CONSTRAINT declaration_operator_by_channel
        CHECK ((operator IS NULL) = (channel IN ('fse_online', 'revenue_agency'))),
    CONSTRAINT declaration_no_overlap
        EXCLUDE USING gist ((fiscal_code::text) WITH =, valid WITH &&)
);
ALTER SEQUENCE registry.declaration_id_seq OWNED BY registry.declaration.declaration_id;
COMMENT ON TABLE registry.declaration IS
'self-certifications of the family income band, with history; no two of one citizen overlap (declaration_no_overlap)';
COMMENT ON COLUMN registry.declaration.band IS 'the declared band: one the regime in force on applies_from defines';
COMMENT ON COLUMN registry.declaration.declarant IS 'who signed: the citizen, or for a minor a parent (household declarant or spouse) or guardian';
COMMENT ON COLUMN registry.declaration.channel IS 'where it was signed; revenue_agency = attributed from Agenzia delle Entrate data (2019 on)';
COMMENT ON COLUMN registry.declaration.operator IS 'the operator who took it (NULL for fse_online and revenue_agency)';
COMMENT ON COLUMN registry.declaration.signed_at IS 'when it was signed: the grace window of paid bookings counts from this day';
COMMENT ON COLUMN registry.declaration.applies_from IS 'first service date it applies to';
COMMENT ON COLUMN registry.declaration.valid_until IS 'set by the next declaration: first day it no longer applies (exclusive); NULL = current';
COMMENT ON COLUMN registry.declaration.income_year IS 'the tax year of the declared income';
COMMENT ON COLUMN registry.declaration.valid IS 'the service dates it applies to, [applies_from, valid_until)';
CREATE INDEX declaration_citizen_idx ON registry.declaration (fiscal_code, applies_from);
CREATE UNIQUE INDEX declaration_one_current ON registry.declaration (fiscal_code) WHERE valid_until IS NULL;

CREATE SEQUENCE registry.exemption_grant_id_seq;
CREATE TABLE registry.exemption_grant (
    grant_id           bigint PRIMARY KEY DEFAULT nextval('registry.exemption_grant_id_seq'),
    fiscal_code        ticket.fiscal_code NOT NULL REFERENCES registry.citizen,
    exemption          ticket.exemption NOT NULL,
    valid              daterange NOT NULL CHECK (NOT isempty(valid) AND NOT lower_inf(valid)),
    source             text NOT NULL CHECK (source IN ('asl_certificate', 'mef_list', 'self_certification')),
    granted_at         timestamptz NOT NULL DEFAULT now(),
    revoked_on         date,
    revoked_at         timestamptz,
    revocation_reason  text CHECK (revocation_reason <> ''),
    effective          daterange GENERATED ALWAYS AS
                           (CASE WHEN revoked_on IS NULL THEN valid
                                 ELSE valid * daterange(NULL, revoked_on) END) STORED,
    CHECK ((revoked_on IS NULL) = (revocation_reason IS NULL)),
    CHECK ((revoked_on IS NULL) = (revoked_at IS NULL)),
    CONSTRAINT exemption_grant_no_overlap
        EXCLUDE USING gist ((fiscal_code::text) WITH =, (exemption::text) WITH =, effective WITH &&)
);
ALTER SEQUENCE registry.exemption_grant_id_seq OWNED BY registry.exemption_grant.grant_id;
COMMENT ON TABLE registry.exemption_grant IS
'exemptions granted to citizens; income exemptions (E01-E04) run 1 April to 31 March; a revocation ends one early';
COMMENT ON COLUMN registry.exemption_grant.valid IS 'service dates the grant covers as granted; income exemptions end by the next 1 April';
COMMENT ON COLUMN registry.exemption_grant.source IS 'asl_certificate, mef_list (the Ministry''s income list) or self_certification';
COMMENT ON COLUMN registry.exemption_grant.revoked_on IS 'first service date the grant no longer covers';
COMMENT ON COLUMN registry.exemption_grant.effective IS 'what the grant covers after any revocation';
CREATE INDEX exemption_grant_citizen_idx ON registry.exemption_grant (fiscal_code);

--------------------------------------------------------------------------
-- FSE
--------------------------------------------------------------------------

CREATE TYPE registry.exemption_period AS (
    exemption  ticket.exemption,
    valid      daterange,
    source     text
);
COMMENT ON TYPE registry.exemption_period IS 'an exemption and the service dates it covers';

CREATE TABLE fse.profile (
    fiscal_code     ticket.fiscal_code PRIMARY KEY REFERENCES registry.citizen,
    declaration_id  bigint REFERENCES registry.declaration,
    band            ticket.income_band,
    band_from       date,
    exemptions      registry.exemption_period[] NOT NULL DEFAULT '{}',
    updated_at      timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE fse.profile IS
'what the FSE shows of a citizen''s ticket status: the current declaration and every exemption in effect, as the registry says';
COMMENT ON COLUMN fse.profile.band IS 'band of the current (latest) declaration; whether a regime charges it is ticket.effective_band';
COMMENT ON COLUMN fse.profile.exemptions IS 'exemptions granted and not wholly revoked, by start date, with the dates they cover';

CREATE SEQUENCE fse.event_id_seq;
CREATE TABLE fse.event (
    event_id     bigint PRIMARY KEY DEFAULT nextval('fse.event_id_seq'),
    fiscal_code  ticket.fiscal_code NOT NULL REFERENCES registry.citizen,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    kind         text NOT NULL CHECK (kind IN ('declaration', 'exemption_granted', 'exemption_revoked')),
    detail       jsonb NOT NULL
);
ALTER SEQUENCE fse.event_id_seq OWNED BY fse.event.event_id;
COMMENT ON TABLE fse.event IS 'the citizen-facing log of the FSE: declarations and exemptions as they reached the registry';
CREATE INDEX event_citizen_idx ON fse.event (fiscal_code, event_id);

-- Electronic prescriptions (ricetta dematerializzata).  The band and
-- exemption boxes are the registry's, as of the prescription date: nobody
-- writes them by hand.
CREATE TABLE fse.prescription (
    nre            text PRIMARY KEY CHECK (nre ~ '^[0-9]{3}[0-9A-Z]{12}$'),
    fiscal_code    ticket.fiscal_code NOT NULL REFERENCES registry.citizen,
    gp_code        text NOT NULL REFERENCES registry.gp,
    prescribed_on  date NOT NULL CHECK (isfinite(prescribed_on)),
    priority       text,
    max_wait_days  integer,
    services       text[] NOT NULL CHECK (cardinality(services) BETWEEN 1 AND 64),
    band           ticket.income_band,
    exemptions     ticket.exemption[] NOT NULL DEFAULT '{}',
    written_at     timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE fse.prescription IS
'electronic prescriptions: the NRE, the patient, the GP, the services; band and exemption boxes filled from the registry';
COMMENT ON COLUMN fse.prescription.nre IS 'numero di ricetta elettronica: 15 characters, the Ministry region code first (080 = Emilia-Romagna)';
COMMENT ON COLUMN fse.prescription.priority IS 'U, B, D or P (a row of ticket.priority_class, checked by the trigger); NULL for a follow-up';
COMMENT ON COLUMN fse.prescription.max_wait_days IS 'the longest wait the priority allows: the visit figure if every service is a visit, else the diagnostic one';
COMMENT ON COLUMN fse.prescription.services IS 'service codes of ticket.service (a code twice = quantity two)';
COMMENT ON COLUMN fse.prescription.band IS 'band box: the band in force on prescribed_on that its regime charges (filled in)';
COMMENT ON COLUMN fse.prescription.exemptions IS 'exemption box: exemptions in effect on prescribed_on (filled in)';
CREATE INDEX prescription_citizen_idx ON fse.prescription (fiscal_code, prescribed_on);

--------------------------------------------------------------------------
-- CUP
--------------------------------------------------------------------------

CREATE SEQUENCE cup.booking_id_seq;
CREATE TABLE cup.booking (
    booking_id      bigint PRIMARY KEY DEFAULT nextval('cup.booking_id_seq'),
    nre             text NOT NULL REFERENCES fse.prescription,
    fiscal_code     ticket.fiscal_code NOT NULL,
    asl_code        text NOT NULL REFERENCES registry.asl,
    service_date    date NOT NULL CHECK (isfinite(service_date)),
    status          text NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'paid', 'cancelled', 'done')),
    bill            ticket.bill NOT NULL,
    amount          numeric(8,2) GENERATED ALWAYS AS ((bill).total) STORED,
    booked_at       timestamptz NOT NULL DEFAULT now(),
    priced_at       timestamptz NOT NULL DEFAULT now(),
    paid_amount     numeric(8,2),
    paid_at         timestamptz,
    payment_channel text,
    cancelled_at    timestamptz,
    cancel_reason   text,
    CHECK ((status IN ('paid', 'done')) <= (paid_amount IS NOT NULL)),
    CHECK ((paid_amount IS NULL) = (paid_at IS NULL)),
    CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL))
);
COMMENT ON TABLE cup.booking IS
'CUP bookings of a prescription: priced by ticket.price with the rules and the citizen''s data in force on the service date';
COMMENT ON COLUMN cup.booking.fiscal_code IS 'the prescription''s patient (filled in; the prescription''s foreign key and the trigger keep it a registered citizen)';
COMMENT ON COLUMN cup.booking.asl_code IS 'AUSL that provides the service (default: the patient''s residence)';
COMMENT ON COLUMN cup.booking.status IS 'booked (unpaid, re-priced when data change), paid (amount frozen), cancelled, done';
COMMENT ON COLUMN cup.booking.bill IS 'the bill: total, base, band quota, regime, band, exemption, explanation (filled in)';
COMMENT ON COLUMN cup.booking.amount IS 'the bill''s total';
COMMENT ON COLUMN cup.booking.priced_at IS 'when the bill was last computed';
COMMENT ON COLUMN cup.booking.paid_amount IS 'what was paid: the amount at payment time';
ALTER SEQUENCE cup.booking_id_seq OWNED BY cup.booking.booking_id;
CREATE INDEX booking_citizen_idx ON cup.booking (fiscal_code, service_date);
CREATE INDEX booking_nre_idx ON cup.booking (nre);
CREATE UNIQUE INDEX booking_one_live_per_prescription ON cup.booking (nre) WHERE status <> 'cancelled';

CREATE SEQUENCE cup.adjustment_id_seq;
CREATE TABLE cup.adjustment (
    adjustment_id  bigint PRIMARY KEY DEFAULT nextval('cup.adjustment_id_seq'),
    booking_id     bigint NOT NULL REFERENCES cup.booking,
    amount         numeric(8,2) NOT NULL CHECK (amount <> 0),
    reason         text NOT NULL CHECK (reason IN ('declaration', 'exemption_granted', 'exemption_revoked',
                                                   'cancellation')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    settled_at     timestamptz
);
COMMENT ON TABLE cup.adjustment IS
'differences on paid bookings: amount > 0 the citizen owes it, amount < 0 a refund; created when data change inside the grace window, or on cancelling a paid booking';
ALTER SEQUENCE cup.adjustment_id_seq OWNED BY cup.adjustment.adjustment_id;
CREATE INDEX adjustment_booking_idx ON cup.adjustment (booking_id);

--------------------------------------------------------------------------
-- The outbox: durable events for GP software and CUP.  Each transaction that
-- adds events sends NOTIFY ticket_event with the highest event_id it added
-- (at commit, as NOTIFY always is); listeners catch up with
-- ticket.events_after(last_id).
--------------------------------------------------------------------------

CREATE SEQUENCE ticket.event_id_seq;
CREATE TABLE ticket.event (
    event_id     bigint PRIMARY KEY DEFAULT nextval('ticket.event_id_seq'),
    kind         text NOT NULL CHECK (kind IN ('declaration', 'exemption_granted', 'exemption_revoked',
                                               'booked', 'moved', 'repriced', 'paid', 'cancelled',
                                               'done', 'adjustment')),
    subject      text NOT NULL,
    fiscal_code  ticket.fiscal_code NOT NULL,
    payload      jsonb NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    txid         xid8 NOT NULL DEFAULT pg_catalog.pg_current_xact_id()
);
ALTER SEQUENCE ticket.event_id_seq OWNED BY ticket.event.event_id;
COMMENT ON TABLE ticket.event IS
'outbox of events (declarations, exemptions, bookings, re-pricing, adjustments); NOTIFY ticket_event carries the newest event_id';
COMMENT ON COLUMN ticket.event.subject IS 'the key of the row the event is about: declaration_id, grant_id, booking_id or adjustment_id';
COMMENT ON COLUMN ticket.event.txid IS 'the writing transaction, so that readers deliver only settled events (events_after)';

--------------------------------------------------------------------------
-- What pg_dump keeps: every user row of every table, and the sequences.
--------------------------------------------------------------------------

SELECT pg_catalog.pg_extension_config_dump('registry.asl', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('registry.gp', '');
SELECT pg_catalog.pg_extension_config_dump('registry.citizen', '');
SELECT pg_catalog.pg_extension_config_dump('registry.household', '');
SELECT pg_catalog.pg_extension_config_dump('registry.household_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('registry.household_member', '');
SELECT pg_catalog.pg_extension_config_dump('registry.guardian', '');
SELECT pg_catalog.pg_extension_config_dump('registry.declaration', '');
SELECT pg_catalog.pg_extension_config_dump('registry.declaration_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('registry.exemption_grant', '');
SELECT pg_catalog.pg_extension_config_dump('registry.exemption_grant_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('fse.profile', '');
SELECT pg_catalog.pg_extension_config_dump('fse.event', '');
SELECT pg_catalog.pg_extension_config_dump('fse.event_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('fse.prescription', '');
SELECT pg_catalog.pg_extension_config_dump('cup.booking', '');
SELECT pg_catalog.pg_extension_config_dump('cup.booking_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('cup.adjustment', '');
SELECT pg_catalog.pg_extension_config_dump('cup.adjustment_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('ticket.event', '');
SELECT pg_catalog.pg_extension_config_dump('ticket.event_id_seq', '');

--------------------------------------------------------------------------
-- Reading the registry on a date
--------------------------------------------------------------------------

-- The one definition of "in force on a date" for single rows is C
-- (extension/src/registry_status.c: the declaration whose [applies_from,
-- valid_until) holds the date, the grants whose effective range holds it);
-- the set-wise views below (cup.booking_expected, fse.prescription_expected)
-- spell the same predicates in SQL, and a pgTAP differential keeps them
-- equal.  The views say "applies_from <= d AND d < valid_until" rather than
-- "valid @> d": the planner would otherwise pick the exclusion constraints'
-- GiST indexes, which match every citizen's range holding the date, instead
-- of the B-tree on the citizen.
CREATE FUNCTION ticket.citizen_status(citizen ticket.fiscal_code, on_date date,
                                      OUT declared_band ticket.income_band,
                                      OUT exemptions ticket.exemption[])
RETURNS record
AS 'MODULE_PATHNAME', 'ticket_citizen_status' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ticket.citizen_status(ticket.fiscal_code, date) IS
'the band declared for a date and the exemptions in effect that day, read through the indexes on the citizen (C: every prescription and booking asks); checks SELECT on the registry tables and refuses tables under row-level security';

CREATE FUNCTION registry.status_on(citizen ticket.fiscal_code, on_date date,
                                   OUT declared_band ticket.income_band,
                                   OUT exemptions ticket.exemption[])
RETURNS record
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    status record := ticket.citizen_status(citizen, on_date);
BEGIN
    declared_band := status.declared_band;
    exemptions := status.exemptions;
END;
$$;
COMMENT ON FUNCTION registry.status_on(ticket.fiscal_code, date) IS
'the band declared for a date (whether its regime charges it: ticket.effective_band) and the exemptions in effect that day';

CREATE FUNCTION fse.status(citizen ticket.fiscal_code, on_date date DEFAULT CURRENT_DATE,
                           OUT band ticket.income_band, OUT declared_band ticket.income_band,
                           OUT exemptions ticket.exemption[], OUT regime text)
RETURNS record
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    SELECT s.declared_band, s.exemptions INTO declared_band, exemptions
      FROM registry.status_on(citizen, on_date) s;
    band := ticket.effective_band(declared_band, on_date);
    regime := ticket.regime_for(on_date);
END;
$$;
COMMENT ON FUNCTION fse.status(ticket.fiscal_code, date) IS
'what the GP and the CUP desk see for a citizen on a date: the band the regime charges, the declared band, the exemptions, the regime';

CREATE FUNCTION cup.price_for(citizen ticket.fiscal_code, services text[], on_date date)
RETURNS ticket.bill
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    status record := ticket.citizen_status(citizen, on_date);
BEGIN
    RETURN ticket.price(services, ticket.effective_band(status.declared_band, on_date),
                        status.exemptions, on_date);
END;
$$;
COMMENT ON FUNCTION cup.price_for(ticket.fiscal_code, text[], date) IS
'the bill of services for a citizen on a service date, with the registry''s band and exemptions of that date';

-- Set-wise: what every live booking should cost now.
CREATE VIEW cup.booking_expected AS
SELECT b.booking_id, b.fiscal_code, b.service_date, b.status, b.bill,
       ticket.price(p.services, ticket.effective_band(d.band, b.service_date),
                    coalesce(g.exemptions, '{}'), b.service_date) AS expected_bill
  FROM cup.booking b
  JOIN fse.prescription p ON p.nre = b.nre
  LEFT JOIN LATERAL (SELECT d.band FROM registry.declaration d
                      WHERE d.fiscal_code = b.fiscal_code
                        AND d.applies_from <= b.service_date AND (d.valid_until IS NULL OR d.valid_until > b.service_date)) d ON true
  LEFT JOIN LATERAL (SELECT array_agg(g.exemption ORDER BY g.exemption) AS exemptions
                       FROM registry.exemption_grant g
                      WHERE g.fiscal_code = b.fiscal_code
                        AND lower(g.effective) <= b.service_date AND (upper_inf(g.effective) OR upper(g.effective) > b.service_date)) g ON true
 WHERE b.status <> 'cancelled';
COMMENT ON VIEW cup.booking_expected IS
'every live booking with the bill it would get now (expected_bill); unpaid bookings must hold exactly that';

-- Set-wise: what every prescription's boxes should hold.
CREATE VIEW fse.prescription_expected AS
SELECT p.nre, p.fiscal_code, p.prescribed_on, p.band, p.exemptions,
       ticket.effective_band(d.band, p.prescribed_on) AS expected_band,
       coalesce(g.exemptions, '{}') AS expected_exemptions
  FROM fse.prescription p
  LEFT JOIN LATERAL (SELECT d.band FROM registry.declaration d
                      WHERE d.fiscal_code = p.fiscal_code
                        AND d.applies_from <= p.prescribed_on AND (d.valid_until IS NULL OR d.valid_until > p.prescribed_on)) d ON true
  LEFT JOIN LATERAL (SELECT array_agg(g.exemption ORDER BY g.exemption) AS exemptions
                       FROM registry.exemption_grant g
                      WHERE g.fiscal_code = p.fiscal_code
                        AND lower(g.effective) <= p.prescribed_on AND (upper_inf(g.effective) OR upper(g.effective) > p.prescribed_on)) g ON true;
COMMENT ON VIEW fse.prescription_expected IS
'every prescription with the band and exemption boxes the registry gives for its date (expected_*)';

-- Set-wise: what every citizen's FSE profile should hold.
CREATE VIEW fse.profile_expected AS
SELECT c.fiscal_code, d.declaration_id, d.band, d.applies_from AS band_from,
       coalesce(e.exemptions, '{}') AS exemptions
  FROM registry.citizen c
  LEFT JOIN registry.declaration d
         ON d.fiscal_code = c.fiscal_code AND d.valid_until IS NULL
  LEFT JOIN LATERAL (SELECT array_agg(ROW(g.exemption, g.effective, g.source)::registry.exemption_period
                                      ORDER BY lower(g.effective), g.exemption, g.grant_id) AS exemptions
                       FROM registry.exemption_grant g
                      WHERE g.fiscal_code = c.fiscal_code
                        AND NOT isempty(g.effective)) e ON true
 WHERE d.declaration_id IS NOT NULL OR e.exemptions IS NOT NULL;
COMMENT ON VIEW fse.profile_expected IS
'the FSE profile each citizen with a declaration or an exemption should have, computed from the registry';

--------------------------------------------------------------------------
-- The calendar day of an instant, in Italy
--------------------------------------------------------------------------

-- A form signed at 00:30 in Bologna is signed that day whatever the
-- session's TimeZone: the grace window and a minor's age count Italian days.
CREATE FUNCTION ticket.local_day(at timestamptz)
RETURNS date
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    RETURN (at AT TIME ZONE 'Europe/Rome')::date;
END;
$$;
COMMENT ON FUNCTION ticket.local_day(timestamptz) IS
'the calendar day of an instant in Italy (Europe/Rome), whatever the session''s TimeZone; IMMUTABLE like the timezone() it uses';

--------------------------------------------------------------------------
-- Writes the network makes itself
--------------------------------------------------------------------------

-- Columns nobody writes by hand (a declaration's valid_until, a prescription's
-- boxes, a booking's bill) are written by the propagation inside
-- ticket.internal_write(true) ... (false): a transaction-local setting the
-- guarding triggers read.  (Being inside some trigger is not enough: an
-- application's own trigger writing cup.booking must meet the same rules.)
CREATE FUNCTION ticket.internal_write(enable boolean)
RETURNS boolean
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    previous boolean := coalesce(current_setting('ticket.internal_write', true), '') = 'on';
    setting text;
BEGIN
    -- Assignments, not PERFORM: PL/pgSQL evaluates them without the executor.
    setting := set_config('ticket.internal_write', CASE WHEN enable THEN 'on' ELSE 'off' END, true);
    RETURN previous;
END;
$$;
COMMENT ON FUNCTION ticket.internal_write(boolean) IS
'marks the writes that follow as the network''s own propagation (or ends that) and returns the previous state; VOLATILE because it changes a setting';

CREATE FUNCTION ticket.in_internal_write()
RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    RETURN coalesce(current_setting('ticket.internal_write', true), '') = 'on';
END;
$$;
COMMENT ON FUNCTION ticket.in_internal_write() IS
'whether the current write is the network''s own propagation (see ticket.internal_write)';

--------------------------------------------------------------------------
-- Serialising writes per citizen
--------------------------------------------------------------------------

CREATE FUNCTION registry.lock_citizen(citizen ticket.fiscal_code, on_date date, what text)
RETURNS registry.citizen
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    locked registry.citizen;
    remembered text;
BEGIN
    -- An UPDATE, not SELECT FOR UPDATE: under REPEATABLE READ a concurrent
    -- committed write about the same citizen must be a serialization
    -- failure, and only a changed row version makes it one.
    UPDATE registry.citizen_lock l SET revision = l.revision + 1
      FROM registry.citizen c
     WHERE l.fiscal_code = citizen AND c.fiscal_code = citizen
    RETURNING c.* INTO locked;
    IF NOT FOUND THEN
        PERFORM FROM registry.citizen c WHERE c.fiscal_code = citizen;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'citizen % is not in the registry', citizen
                USING ERRCODE = 'foreign_key_violation',
                      HINT = format('Register the citizen in registry.citizen before the %s.', what);
        END IF;
        INSERT INTO registry.citizen_lock AS l VALUES (citizen, 1)
            ON CONFLICT (fiscal_code) DO UPDATE SET revision = l.revision + 1;
        SELECT * INTO locked FROM registry.citizen c WHERE c.fiscal_code = citizen;
    END IF;
    IF locked.death_date <= on_date THEN
        RAISE EXCEPTION 'citizen % died on %: no % on %', citizen, locked.death_date, what, on_date
            USING ERRCODE = 'TK010';
    END IF;
    -- Held until the transaction ends; a setting of the transaction (undone
    -- with it, or with a rolled-back savepoint) remembers whose.
    remembered := set_config('ticket.locked_citizen', citizen::text, true);
    RETURN locked;
END;
$$;
COMMENT ON FUNCTION registry.lock_citizen(ticket.fiscal_code, date, text) IS
'takes the citizen''s lock row for a write about them (serialising such writes) and returns the citizen, refusing unknown citizens (23503) and the deceased (TK010); VOLATILE because it updates the lock row';

--------------------------------------------------------------------------
-- Registry triggers
--------------------------------------------------------------------------

CREATE FUNCTION registry.citizen_check()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM ticket.birthplace b WHERE b.code = NEW.birthplace) THEN
        RAISE EXCEPTION 'birthplace % of citizen % is not a known Belfiore code', NEW.birthplace, NEW.fiscal_code
            USING ERRCODE = 'TK016',
                  HINT = 'Load the national archive with ticket_load_birthplaces.psql, or correct the birthplace.';
    END IF;
    IF NEW.code_mismatch_reason IS NULL
       AND ticket.fiscal_code_kind(NEW.fiscal_code) = 'personal'
       AND NOT ticket.fiscal_code_matches(NEW.fiscal_code, NEW.surname, NEW.given_name, NEW.sex,
                                          NEW.birth_date, NEW.birthplace) THEN
        RAISE EXCEPTION 'fiscal code % does not match the personal data of % %',
                        NEW.fiscal_code, NEW.given_name, NEW.surname
            USING ERRCODE = 'TK015',
                  DETAIL = format('The data give %s.',
                                  ticket.fiscal_code_encode(NEW.surname, NEW.given_name, NEW.sex,
                                                            NEW.birth_date, NEW.birthplace)),
                  HINT = 'Correct the data, or record why a legacy code differs in code_mismatch_reason.';
    END IF;
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION registry.citizen_check() IS
'trigger: a known birthplace (TK016) and a fiscal code that matches the personal data, omocodes accepted, unless a mismatch reason is recorded (TK015); VOLATILE because it guards writes';
CREATE TRIGGER citizen_check
    BEFORE INSERT OR UPDATE OF fiscal_code, surname, given_name, sex, birth_date, birthplace,
                               code_mismatch_reason
    ON registry.citizen FOR EACH ROW EXECUTE FUNCTION registry.citizen_check();

-- Recording a death cancels the unpaid bookings from that day.
CREATE FUNCTION registry.citizen_deaths()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    was_internal boolean := ticket.internal_write(true);
BEGIN
    UPDATE cup.booking b
       SET status = 'cancelled', cancelled_at = now(), cancel_reason = 'death of the patient'
     WHERE b.fiscal_code = NEW.fiscal_code
       AND b.status = 'booked' AND b.service_date >= NEW.death_date;
    was_internal := ticket.internal_write(was_internal);
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION registry.citizen_deaths() IS
'trigger: cancels the unpaid bookings of citizens on or after their recorded death; VOLATILE because it writes';
CREATE TRIGGER citizen_deaths
    AFTER UPDATE OF death_date ON registry.citizen
    FOR EACH ROW WHEN (NEW.death_date IS NOT NULL AND NEW.death_date IS DISTINCT FROM OLD.death_date)
    EXECUTE FUNCTION registry.citizen_deaths();

CREATE FUNCTION registry.may_declare_for(declarant ticket.fiscal_code, citizen ticket.fiscal_code,
                                         on_date date)
RETURNS boolean
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    IF declarant = citizen THEN
        RETURN true;
    END IF;
    -- Someone else declares only for a minor: a parent (the household's
    -- income-tax declarant or spouse), or an appointed guardian.
    RETURN EXISTS (SELECT 1 FROM registry.citizen c
                    WHERE c.fiscal_code = citizen
                      AND c.birth_date > (on_date - interval '18 years')::date)
       AND (EXISTS (SELECT 1 FROM registry.household_member m
                      JOIN registry.household_member p ON p.household_id = m.household_id
                     WHERE m.fiscal_code = citizen AND m.relation = 'dependant'
                       AND p.fiscal_code = declarant
                       AND p.relation IN ('declarant', 'spouse'))
            OR EXISTS (SELECT 1 FROM registry.guardian g
                        WHERE g.ward = citizen
                          AND g.guardian = declarant AND g.appointed @> on_date));
END;
$$;
COMMENT ON FUNCTION registry.may_declare_for(ticket.fiscal_code, ticket.fiscal_code, date) IS
'whether declarant may self-certify for citizen on a date: themselves, or for a minor a parent of the household or a guardian';

CREATE FUNCTION registry.declaration_before_insert()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    current_declaration registry.declaration;
    was_internal boolean;
BEGIN
    IF NEW.valid_until IS NOT NULL THEN
        RAISE EXCEPTION 'valid_until of a declaration is set by the next declaration'
            USING ERRCODE = 'generated_always', HINT = 'Insert the declaration without valid_until.';
    END IF;
    PERFORM registry.lock_citizen(NEW.fiscal_code, NEW.applies_from, 'declaration');
    IF NOT registry.may_declare_for(NEW.declarant, NEW.fiscal_code, ticket.local_day(NEW.signed_at)) THEN
        RAISE EXCEPTION '% may not self-certify the income band of %', NEW.declarant, NEW.fiscal_code
            USING ERRCODE = 'TK011',
                  DETAIL = 'Only the citizen, or for a minor a parent in the same fiscal household or an appointed guardian, may.';
    END IF;
    IF ticket.effective_band(NEW.band, NEW.applies_from) IS NULL THEN
        RAISE EXCEPTION 'regime % in force on % does not define income band %',
                        ticket.regime_for(NEW.applies_from), NEW.applies_from, NEW.band
            USING ERRCODE = 'TK004',
                  DETAIL = coalesce('Its bands are ' || (SELECT string_agg(rb.band::text, ', ' ORDER BY rb.band)
                                                            FROM ticket.regime_band rb
                                                           WHERE rb.regime_id = ticket.regime_for(NEW.applies_from)) || '.',
                                    'It defines no income bands.');
    END IF;
    SELECT * INTO current_declaration FROM registry.declaration d
     WHERE d.fiscal_code = NEW.fiscal_code AND d.valid_until IS NULL;
    IF FOUND THEN
        IF NEW.applies_from < current_declaration.applies_from THEN
            RAISE EXCEPTION 'a declaration for % from % would apply before the current one (from %)',
                            NEW.fiscal_code, NEW.applies_from, current_declaration.applies_from
                USING ERRCODE = 'TK012',
                      HINT = 'History is not rewritten: declare from the current one''s date or later.';
        END IF;
        was_internal := ticket.internal_write(true);
        UPDATE registry.declaration SET valid_until = NEW.applies_from
         WHERE declaration_id = current_declaration.declaration_id;
        was_internal := ticket.internal_write(was_internal);
    END IF;
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION registry.declaration_before_insert() IS
'trigger: a living citizen, an entitled declarant (TK011), a band the regime defines (TK004), no backdating behind the current declaration (TK012); closes the current one; VOLATILE because it writes';
CREATE TRIGGER declaration_before_insert BEFORE INSERT ON registry.declaration
    FOR EACH ROW EXECUTE FUNCTION registry.declaration_before_insert();

-- History rows: only the registry's own triggers close a declaration
-- (ticket.internal_write); a grant changes by one revocation.
CREATE FUNCTION registry.refuse_history_change()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION '%.% rows are history: they cannot be deleted', TG_TABLE_SCHEMA, TG_TABLE_NAME
            USING ERRCODE = 'TK018', HINT = TG_ARGV[0];
    END IF;
    IF TG_TABLE_NAME = 'declaration' THEN
        IF ticket.in_internal_write()
           AND (NEW.declaration_id, NEW.fiscal_code, NEW.band, NEW.declarant, NEW.channel, NEW.operator,
                NEW.signed_at, NEW.applies_from, NEW.income_year)
               IS NOT DISTINCT FROM
               (OLD.declaration_id, OLD.fiscal_code, OLD.band, OLD.declarant, OLD.channel, OLD.operator,
                OLD.signed_at, OLD.applies_from, OLD.income_year) THEN
            RETURN NEW;
        END IF;
    ELSIF (NEW.grant_id, NEW.fiscal_code, NEW.exemption, NEW.valid, NEW.source, NEW.granted_at)
          IS NOT DISTINCT FROM
          (OLD.grant_id, OLD.fiscal_code, OLD.exemption, OLD.valid, OLD.source, OLD.granted_at)
          AND OLD.revoked_on IS NULL AND NEW.revoked_on IS NOT NULL THEN
        PERFORM registry.lock_citizen(NEW.fiscal_code, '-infinity', 'revocation');
        NEW.revoked_at := coalesce(NEW.revoked_at, now());
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '%.% rows are history: they cannot be changed', TG_TABLE_SCHEMA, TG_TABLE_NAME
        USING ERRCODE = 'TK018', HINT = TG_ARGV[0];
END;
$$;
COMMENT ON FUNCTION registry.refuse_history_change() IS
'trigger: declarations change only when the next one closes them; grants only by one revocation; neither is deleted (TK018); VOLATILE because it guards writes';
CREATE TRIGGER declaration_history BEFORE UPDATE OR DELETE ON registry.declaration
    FOR EACH ROW EXECUTE FUNCTION registry.refuse_history_change('Record a new declaration instead (registry.self_certify).');
CREATE TRIGGER exemption_grant_history BEFORE UPDATE OR DELETE ON registry.exemption_grant
    FOR EACH ROW EXECUTE FUNCTION registry.refuse_history_change('Revoke the grant instead (registry.revoke_exemption).');

CREATE FUNCTION registry.exemption_grant_before_insert()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    next_april date;
BEGIN
    IF NEW.revoked_on IS NOT NULL OR NEW.revoked_at IS NOT NULL THEN
        RAISE EXCEPTION 'a grant is inserted unrevoked'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Grant it, then revoke it with registry.revoke_exemption.';
    END IF;
    PERFORM registry.lock_citizen(NEW.fiscal_code, lower(NEW.valid), 'exemption');
    IF ticket.exemption_family(NEW.exemption) = 'income' THEN
        -- Income exemptions run 1 April to 31 March (§4.1; ../shared
        -- performance-reliability §5): the next 1 April after the start.
        next_april := make_date(extract(year FROM lower(NEW.valid) - interval '3 months')::integer + 1, 4, 1);
        IF upper_inf(NEW.valid) THEN
            NEW.valid := daterange(lower(NEW.valid), next_april);
        ELSIF upper(NEW.valid) > next_april THEN
            RAISE EXCEPTION 'income exemption % runs at most to 31 March %: % asks until %',
                            NEW.exemption, extract(year FROM next_april), NEW.valid, upper(NEW.valid) - 1
                USING ERRCODE = 'invalid_parameter_value',
                      HINT = 'Grant the next year as a new row.';
        END IF;
    END IF;
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION registry.exemption_grant_before_insert() IS
'trigger: a living citizen; income exemptions end by the next 1 April (an open range is closed there); VOLATILE because it writes';
CREATE TRIGGER exemption_grant_before_insert BEFORE INSERT ON registry.exemption_grant
    FOR EACH ROW EXECUTE FUNCTION registry.exemption_grant_before_insert();

--------------------------------------------------------------------------
-- Propagation: from a registry change to the FSE and CUP, set-wise
--------------------------------------------------------------------------

-- citizens[i] changed from from_dates[i] (first service date affected), and
-- the registry learned it on known_on[i] (the grace window counts from it).
CREATE FUNCTION registry.propagate(citizens ticket.fiscal_code[], from_dates date[], known_dates date[],
                                   cause text)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
-- Its statements join views on unnest() of the arrays: custom plans would
-- re-plan them at every call (5 ms each) for the plan the generic one is.
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    was_internal boolean := ticket.internal_write(true);
BEGIN
    -- FSE profile: what the registry says now; none for a citizen left with
    -- neither a declaration nor an exemption.
    DELETE FROM fse.profile p
     USING (SELECT DISTINCT u.fiscal_code FROM unnest(citizens) AS u(fiscal_code)) c
     WHERE p.fiscal_code = c.fiscal_code
       AND NOT EXISTS (SELECT 1 FROM fse.profile_expected e WHERE e.fiscal_code = c.fiscal_code);
    INSERT INTO fse.profile AS p (fiscal_code, declaration_id, band, band_from, exemptions, updated_at)
    SELECT e.fiscal_code, e.declaration_id, e.band, e.band_from, e.exemptions, now()
      FROM (SELECT DISTINCT u.fiscal_code FROM unnest(citizens) AS u(fiscal_code)) c
      JOIN fse.profile_expected e ON e.fiscal_code = c.fiscal_code
        ON CONFLICT (fiscal_code) DO UPDATE
       SET declaration_id = excluded.declaration_id, band = excluded.band,
           band_from = excluded.band_from, exemptions = excluded.exemptions,
           updated_at = excluded.updated_at;

    -- Prescription boxes: the registry as of each prescription date.
    UPDATE fse.prescription p
       SET band = e.expected_band, exemptions = e.expected_exemptions
      FROM (SELECT u.fiscal_code, min(u.from_date) AS from_date
              FROM unnest(citizens, from_dates) AS u(fiscal_code, from_date)
             GROUP BY u.fiscal_code) c,
           fse.prescription_expected e
     WHERE e.fiscal_code = c.fiscal_code AND e.prescribed_on >= c.from_date
       AND p.nre = e.nre
       AND (e.band, e.exemptions) IS DISTINCT FROM (e.expected_band, e.expected_exemptions);

    -- Unpaid bookings: the new price (events come from cup.booking_events).
    UPDATE cup.booking b SET bill = e.expected_bill, priced_at = now()
      FROM (SELECT u.fiscal_code, min(u.from_date) AS from_date
              FROM unnest(citizens, from_dates) AS u(fiscal_code, from_date)
             GROUP BY u.fiscal_code) c,
           cup.booking_expected e
     WHERE e.fiscal_code = c.fiscal_code AND e.service_date >= c.from_date
       AND e.status = 'booked' AND b.booking_id = e.booking_id
       AND b.bill IS DISTINCT FROM e.expected_bill;

    -- Paid bookings that one of the changes reaches inside the grace window
    -- of the booking's regime: the difference between the new price and
    -- what was paid and adjusted so far.
    INSERT INTO cup.adjustment (booking_id, amount, reason)
    SELECT e.booking_id, (e.expected_bill).total - b.paid_amount - coalesce(a.adjusted, 0), cause
      FROM (SELECT u.fiscal_code, min(u.from_date) AS from_date
              FROM unnest(citizens, from_dates) AS u(fiscal_code, from_date)
             GROUP BY u.fiscal_code) c
      JOIN cup.booking_expected e ON e.fiscal_code = c.fiscal_code
      JOIN cup.booking b ON b.booking_id = e.booking_id
      JOIN ticket.regime r ON r.regime_id = (e.expected_bill).regime
      LEFT JOIN LATERAL (SELECT sum(a.amount) AS adjusted FROM cup.adjustment a
                          WHERE a.booking_id = e.booking_id) a ON true
     WHERE e.status IN ('paid', 'done') AND e.service_date >= c.from_date
       AND EXISTS (SELECT 1 FROM unnest(citizens, from_dates, known_dates) AS u(fiscal_code, from_date, known_on)
                    WHERE u.fiscal_code = c.fiscal_code AND u.from_date <= e.service_date
                      AND u.known_on <= e.service_date + r.adjustment_grace_days)
       AND (e.expected_bill).total - b.paid_amount - coalesce(a.adjusted, 0) <> 0;
    was_internal := ticket.internal_write(was_internal);
END;
$$;
COMMENT ON FUNCTION registry.propagate(ticket.fiscal_code[], date[], date[], text) IS
'carries registry changes to the FSE profile, the prescription boxes, the unpaid bookings (re-priced) and the paid ones inside the grace window (adjustments); VOLATILE because it writes';

CREATE FUNCTION registry.declarations_propagate()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    -- The cause's events first, then its consequences' (from propagate).
    INSERT INTO ticket.event (kind, subject, fiscal_code, payload)
    SELECT 'declaration', n.declaration_id::text, n.fiscal_code,
           jsonb_build_object('band', n.band::text, 'applies_from', n.applies_from,
                              'declarant', n.declarant::text, 'channel', n.channel)
      FROM new_declarations n ORDER BY n.declaration_id;
    INSERT INTO fse.event (fiscal_code, kind, detail)
    SELECT n.fiscal_code, 'declaration',
           jsonb_build_object('declaration_id', n.declaration_id, 'band', n.band::text,
                              'applies_from', n.applies_from, 'channel', n.channel)
      FROM new_declarations n ORDER BY n.declaration_id;
    PERFORM registry.propagate(array_agg(n.fiscal_code), array_agg(n.applies_from),
                               array_agg(ticket.local_day(n.signed_at)), 'declaration')
       FROM new_declarations n;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION registry.declarations_propagate() IS
'trigger: new declarations reach the FSE, the prescriptions and the bookings; FSE events and outbox events; VOLATILE because it writes';
CREATE TRIGGER declarations_propagate
    AFTER INSERT ON registry.declaration REFERENCING NEW TABLE AS new_declarations
    FOR EACH STATEMENT EXECUTE FUNCTION registry.declarations_propagate();

CREATE FUNCTION registry.grants_propagate()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    kind text := CASE TG_OP WHEN 'INSERT' THEN 'exemption_granted' ELSE 'exemption_revoked' END;
BEGIN
    -- The cause's events first, then its consequences' (from propagate).
    INSERT INTO ticket.event (kind, subject, fiscal_code, payload)
    SELECT kind, n.grant_id::text, n.fiscal_code,
           jsonb_build_object('exemption', n.exemption::text, 'valid', n.valid::text,
                              'effective', n.effective::text, 'source', n.source)
      FROM new_grants n ORDER BY n.grant_id;
    INSERT INTO fse.event (fiscal_code, kind, detail)
    SELECT n.fiscal_code, kind,
           jsonb_build_object('grant_id', n.grant_id, 'exemption', n.exemption::text,
                              'valid', n.valid::text, 'effective', n.effective::text,
                              'source', n.source, 'revocation_reason', n.revocation_reason)
      FROM new_grants n ORDER BY n.grant_id;
    IF TG_OP = 'INSERT' THEN
        PERFORM registry.propagate(array_agg(n.fiscal_code), array_agg(lower(n.valid)),
                                   array_agg(ticket.local_day(n.granted_at)), kind)
           FROM new_grants n;
    ELSE
        PERFORM registry.propagate(array_agg(n.fiscal_code), array_agg(n.revoked_on),
                                   array_agg(ticket.local_day(n.revoked_at)), kind)
           FROM new_grants n;
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION registry.grants_propagate() IS
'trigger: exemption grants and revocations reach the FSE, the prescriptions and the bookings; FSE events and outbox events; VOLATILE because it writes';
CREATE TRIGGER grants_propagate_insert
    AFTER INSERT ON registry.exemption_grant REFERENCING NEW TABLE AS new_grants
    FOR EACH STATEMENT EXECUTE FUNCTION registry.grants_propagate();
CREATE TRIGGER grants_propagate_revoke
    AFTER UPDATE ON registry.exemption_grant REFERENCING NEW TABLE AS new_grants
    FOR EACH STATEMENT EXECUTE FUNCTION registry.grants_propagate();

--------------------------------------------------------------------------
-- Prescriptions
--------------------------------------------------------------------------

CREATE FUNCTION fse.prescription_before_write()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    lookup record;
    ceased date;
    remembered text;
    priced ticket.bill;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        -- Only propagation refreshes the boxes; the rest is a signed document.
        IF ticket.in_internal_write()
           AND (NEW.nre, NEW.fiscal_code, NEW.gp_code, NEW.prescribed_on, NEW.priority,
                NEW.max_wait_days, NEW.services, NEW.written_at)
               IS NOT DISTINCT FROM
               (OLD.nre, OLD.fiscal_code, OLD.gp_code, OLD.prescribed_on, OLD.priority,
                OLD.max_wait_days, OLD.services, OLD.written_at) THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'prescription % is a signed document: it cannot be changed', OLD.nre
            USING ERRCODE = 'TK018', HINT = 'Write a new prescription.';
    END IF;
    IF NEW.band IS NOT NULL OR cardinality(NEW.exemptions) > 0 OR NEW.max_wait_days IS NOT NULL THEN
        RAISE EXCEPTION 'the band and exemption boxes of prescription % are filled from the registry', NEW.nre
            USING ERRCODE = 'generated_always',
                  HINT = 'Leave band, exemptions and max_wait_days out of the INSERT.';
    END IF;
    -- Region, priority and the longest wait, from the compiled rules.
    NEW.max_wait_days := ticket.prescription_max_wait(NEW.nre, NEW.priority, NEW.services, NEW.prescribed_on);
    -- The citizen's lock (registry.lock_citizen's UPDATE, inline for a
    -- living citizen with a lock row; the function otherwise creates the row
    -- or says what is wrong), joined with the GP.
    UPDATE registry.citizen_lock l SET revision = l.revision + 1
      FROM registry.citizen c LEFT JOIN registry.gp g ON g.gp_code = NEW.gp_code
     WHERE l.fiscal_code = NEW.fiscal_code AND c.fiscal_code = NEW.fiscal_code
       AND (c.death_date IS NULL OR c.death_date > NEW.prescribed_on)
    RETURNING g.ceased_on INTO ceased;
    IF FOUND THEN
        remembered := set_config('ticket.locked_citizen', NEW.fiscal_code::text, true);  -- as lock_citizen does
    ELSE
        PERFORM registry.lock_citizen(NEW.fiscal_code, NEW.prescribed_on, 'prescription');
        SELECT g.ceased_on INTO ceased FROM registry.gp g WHERE g.gp_code = NEW.gp_code;
    END IF;
    IF ceased <= NEW.prescribed_on THEN
        RAISE EXCEPTION 'GP % ceased practising on %: no prescription on %', NEW.gp_code, ceased,
                        NEW.prescribed_on
            USING ERRCODE = 'TK017';
    END IF;
    -- Read after the lock, with a snapshot of its own (a new statement):
    -- what the lock protects.
    lookup := ticket.citizen_status(NEW.fiscal_code, NEW.prescribed_on);
    NEW.band := ticket.effective_band(lookup.declared_band, NEW.prescribed_on);
    NEW.exemptions := lookup.exemptions;
    -- Validates the services the way the bill will: known on the date, one
    -- branch, compatible kinds, not too many (TK001-TK003, TK006).
    -- (an assignment, not PERFORM: evaluated without the executor)
    priced := ticket.price(NEW.services, NEW.band, NEW.exemptions, NEW.prescribed_on);
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION fse.prescription_before_write() IS
'trigger: NRE region (22P02), a living patient, a practising GP (TK017), valid services; fills the band and exemption boxes and the maximum wait; VOLATILE because it writes';
CREATE TRIGGER prescription_before_write BEFORE INSERT OR UPDATE ON fse.prescription
    FOR EACH ROW EXECUTE FUNCTION fse.prescription_before_write();
CREATE TRIGGER prescription_history BEFORE DELETE ON fse.prescription
    FOR EACH ROW EXECUTE FUNCTION registry.refuse_history_change('A prescription is a signed document: write a new one.');

--------------------------------------------------------------------------
-- Bookings
--------------------------------------------------------------------------

CREATE FUNCTION cup.booking_before_write()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    prescription fse.prescription;
    patient registry.citizen;
    fast record;
    have_fast boolean := false;
    status record;
    remembered text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'booked' THEN
            RAISE EXCEPTION 'a booking starts as booked, not %', NEW.status
                USING ERRCODE = 'TK013', HINT = 'Book it, then pay it with cup.pay.';
        END IF;
        IF NEW.bill IS DISTINCT FROM NULL OR NEW.paid_amount IS NOT NULL OR NEW.paid_at IS NOT NULL THEN
            RAISE EXCEPTION 'the bill and the payment of a booking are filled in by CUP'
                USING ERRCODE = 'generated_always', HINT = 'Leave bill and paid_* out of the INSERT.';
        END IF;
    ELSE
        IF (NEW.booking_id, NEW.nre, NEW.fiscal_code, NEW.booked_at)
           IS DISTINCT FROM (OLD.booking_id, OLD.nre, OLD.fiscal_code, OLD.booked_at) THEN
            RAISE EXCEPTION 'booking %: the prescription, the patient and the booking time cannot change', OLD.booking_id
                USING ERRCODE = 'TK018', HINT = 'Cancel it and book again.';
        END IF;
        IF OLD.status IN ('cancelled', 'done') THEN
            RAISE EXCEPTION 'booking % is %: it cannot change', OLD.booking_id, OLD.status
                USING ERRCODE = 'TK013';
        END IF;
        IF ticket.in_internal_write() THEN
            RETURN NEW;         -- re-pricing and cancellations by propagation
        END IF;
        -- The payment is written once, by booked -> paid/done below.
        IF NEW.bill IS DISTINCT FROM OLD.bill
           OR ((NEW.paid_amount, NEW.paid_at) IS DISTINCT FROM (OLD.paid_amount, OLD.paid_at)
               AND (OLD.status <> 'booked' OR NEW.status = OLD.status)) THEN
            RAISE EXCEPTION 'booking %: the bill and the payment are filled in by CUP', OLD.booking_id
                USING ERRCODE = 'generated_always', HINT = 'Use cup.move, cup.pay, cup.cancel, cup.complete.';
        END IF;
    END IF;

    IF TG_OP = 'INSERT' THEN
        -- The busiest path of all, in two statements: registry.lock_citizen's
        -- UPDATE joined with the prescription and the patient, then the
        -- outbox event; the bill in between is C (cup.price_for).  A
        -- transaction that already holds the patient's lock (it wrote the
        -- prescription, say) reads the same rows without taking it again.
        -- Anything missing falls to the slow path below, which says what.
        IF coalesce(current_setting('ticket.locked_citizen', true), '') <> '' THEN
            SELECT p.fiscal_code, p.services, c.residence_asl INTO fast
              FROM fse.prescription p JOIN registry.citizen c ON c.fiscal_code = p.fiscal_code
             WHERE p.nre = NEW.nre
               AND p.fiscal_code = current_setting('ticket.locked_citizen')::ticket.fiscal_code
               AND (NEW.fiscal_code IS NULL OR NEW.fiscal_code = p.fiscal_code)
               AND NEW.service_date >= p.prescribed_on
               AND (c.death_date IS NULL OR c.death_date > NEW.service_date);
            have_fast := FOUND;
        END IF;
        IF NOT have_fast THEN
            UPDATE registry.citizen_lock l SET revision = l.revision + 1
              FROM fse.prescription p JOIN registry.citizen c ON c.fiscal_code = p.fiscal_code
             WHERE p.nre = NEW.nre AND l.fiscal_code = p.fiscal_code
               AND (NEW.fiscal_code IS NULL OR NEW.fiscal_code = p.fiscal_code)
               AND NEW.service_date >= p.prescribed_on
               AND (c.death_date IS NULL OR c.death_date > NEW.service_date)
            RETURNING p.fiscal_code, p.services, c.residence_asl INTO fast;
            have_fast := FOUND;
            IF have_fast THEN
                remembered := set_config('ticket.locked_citizen', fast.fiscal_code::text, true);
            END IF;
        END IF;
        IF have_fast THEN
            NEW.fiscal_code := fast.fiscal_code;
            NEW.asl_code := coalesce(NEW.asl_code, fast.residence_asl);
            -- the registry read after the lock, the bill: C (cup.price_for's
            -- two calls, without a function call around them)
            status := ticket.citizen_status(fast.fiscal_code, NEW.service_date);
            NEW.bill := ticket.price(fast.services, ticket.effective_band(status.declared_band, NEW.service_date),
                                     status.exemptions, NEW.service_date);
            NEW.priced_at := now();
            INSERT INTO ticket.event (kind, subject, fiscal_code, payload)
            VALUES ('booked', NEW.booking_id::text, NEW.fiscal_code,
                    jsonb_build_object('nre', NEW.nre, 'service_date', NEW.service_date, 'asl', NEW.asl_code,
                                       'amount', (NEW.bill).total, 'regime', (NEW.bill).regime));
            RETURN NEW;
        END IF;
    END IF;

    SELECT * INTO prescription FROM fse.prescription p WHERE p.nre = NEW.nre;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'prescription % does not exist', NEW.nre USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF NEW.fiscal_code IS NULL THEN
        NEW.fiscal_code := prescription.fiscal_code;
    ELSIF NEW.fiscal_code <> prescription.fiscal_code THEN
        RAISE EXCEPTION 'prescription % is for %, not %', NEW.nre, prescription.fiscal_code, NEW.fiscal_code
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NEW.service_date < prescription.prescribed_on THEN
        RAISE EXCEPTION 'booking on % of prescription % written on %: a service cannot precede its prescription',
                        NEW.service_date, NEW.nre, prescription.prescribed_on
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    patient := registry.lock_citizen(NEW.fiscal_code,
                                     CASE WHEN TG_OP = 'INSERT' OR NEW.service_date <> OLD.service_date
                                          THEN NEW.service_date ELSE '-infinity' END,
                                     'booking');
    IF TG_OP = 'INSERT' THEN
        NEW.asl_code := coalesce(NEW.asl_code, patient.residence_asl);
        NEW.bill := cup.price_for(NEW.fiscal_code, prescription.services, NEW.service_date);
        NEW.priced_at := now();
        -- The outbox event here rather than in a statement trigger: bookings
        -- come one at a time (the fast path above writes the same).
        INSERT INTO ticket.event (kind, subject, fiscal_code, payload)
        VALUES ('booked', NEW.booking_id::text, NEW.fiscal_code,
                jsonb_build_object('nre', NEW.nre, 'service_date', NEW.service_date, 'asl', NEW.asl_code,
                                   'amount', (NEW.bill).total, 'regime', (NEW.bill).regime));
        RETURN NEW;
    END IF;

    -- Status changes.
    IF NEW.status <> OLD.status THEN
        IF (OLD.status, NEW.status) NOT IN (('booked', 'paid'), ('booked', 'cancelled'),
                                             ('booked', 'done'), ('paid', 'done'), ('paid', 'cancelled')) THEN
            RAISE EXCEPTION 'booking % cannot go from % to %', OLD.booking_id, OLD.status, NEW.status
                USING ERRCODE = 'TK013';
        END IF;
        IF NEW.status = 'cancelled' THEN
            NEW.cancelled_at := coalesce(NEW.cancelled_at, now());
            RETURN NEW;
        END IF;
        IF OLD.status = 'booked' AND NEW.status = 'done' AND OLD.amount <> 0 THEN
            RAISE EXCEPTION 'booking % owes %: it must be paid before it is done', OLD.booking_id, OLD.amount
                USING ERRCODE = 'TK013', HINT = 'Pay it with cup.pay.';
        END IF;
        IF OLD.status = 'booked' THEN
            -- Paying (or completing a free booking) freezes the amount.
            IF NEW.paid_amount IS NOT NULL AND NEW.paid_amount <> (OLD.bill).total THEN
                RAISE EXCEPTION 'booking % costs %, not %', OLD.booking_id, (OLD.bill).total, NEW.paid_amount
                    USING ERRCODE = 'TK014',
                          HINT = 'The price changed since it was shown: show the new bill and pay that.';
            END IF;
            NEW.paid_amount := (OLD.bill).total;
            NEW.paid_at := coalesce(NEW.paid_at, now());
        END IF;
        RETURN NEW;
    END IF;

    -- Moving an unpaid booking re-prices it; a paid one keeps its amount.
    IF NEW.service_date <> OLD.service_date AND NEW.status = 'booked' THEN
        NEW.bill := cup.price_for(NEW.fiscal_code, prescription.services, NEW.service_date);
        NEW.priced_at := now();
    END IF;
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION cup.booking_before_write() IS
'trigger: bookings of a living patient on a prescription (priced with the registry of the service date); status rules (TK013), payment of the shown amount (TK014), moves re-price; VOLATILE because it writes';
CREATE TRIGGER booking_before_write BEFORE INSERT OR UPDATE ON cup.booking
    FOR EACH ROW EXECUTE FUNCTION cup.booking_before_write();

CREATE FUNCTION cup.booking_refuse_delete()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION 'booking % is history: it cannot be deleted', OLD.booking_id
        USING ERRCODE = 'TK018', HINT = 'Cancel it with cup.cancel.';
END;
$$;
COMMENT ON FUNCTION cup.booking_refuse_delete() IS 'trigger: bookings are cancelled, never deleted (TK018); VOLATILE because it guards writes';
CREATE TRIGGER booking_refuse_delete BEFORE DELETE ON cup.booking
    FOR EACH ROW EXECUTE FUNCTION cup.booking_refuse_delete();

CREATE FUNCTION cup.booking_events()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    INSERT INTO ticket.event (kind, subject, fiscal_code, payload)
    SELECT e.kind, n.booking_id::text, n.fiscal_code, e.payload
      FROM old_bookings o JOIN new_bookings n USING (booking_id)
     CROSS JOIN LATERAL (VALUES
            (CASE WHEN n.status <> o.status THEN n.status END,
             jsonb_build_object('from', o.status, 'amount', n.amount, 'paid_amount', n.paid_amount)),
            (CASE WHEN n.service_date <> o.service_date THEN 'moved' END,
             jsonb_build_object('from', o.service_date, 'to', n.service_date)),
            (CASE WHEN n.amount <> o.amount THEN 'repriced' END,
             jsonb_build_object('old_amount', o.amount, 'new_amount', n.amount,
                                'service_date', n.service_date, 'regime', (n.bill).regime)))
            AS e(kind, payload)
     WHERE e.kind IS NOT NULL
     ORDER BY n.booking_id;
    -- Cancelling a paid booking refunds what was paid and adjusted.
    INSERT INTO cup.adjustment (booking_id, amount, reason)
    SELECT n.booking_id, -(n.paid_amount + coalesce(a.adjusted, 0)), 'cancellation'
      FROM old_bookings o JOIN new_bookings n USING (booking_id)
      LEFT JOIN LATERAL (SELECT sum(a.amount) AS adjusted FROM cup.adjustment a
                          WHERE a.booking_id = n.booking_id) a ON true
     WHERE o.status = 'paid' AND n.status = 'cancelled'
       AND n.paid_amount + coalesce(a.adjusted, 0) <> 0;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION cup.booking_events() IS
'trigger: outbox events for changed bookings (paid, cancelled, done, moved, repriced; booked is written at insert); refund adjustment when a paid booking is cancelled; VOLATILE because it writes';
CREATE TRIGGER booking_events_update
    AFTER UPDATE ON cup.booking REFERENCING OLD TABLE AS old_bookings NEW TABLE AS new_bookings
    FOR EACH STATEMENT EXECUTE FUNCTION cup.booking_events();

CREATE FUNCTION cup.adjustment_events()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    INSERT INTO ticket.event (kind, subject, fiscal_code, payload)
    SELECT 'adjustment', n.adjustment_id::text, b.fiscal_code,
           jsonb_build_object('booking_id', n.booking_id, 'amount', n.amount, 'reason', n.reason)
      FROM new_adjustments n JOIN cup.booking b ON b.booking_id = n.booking_id
     ORDER BY n.adjustment_id;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION cup.adjustment_events() IS 'trigger: an outbox event for each adjustment; VOLATILE because it writes';
CREATE TRIGGER adjustment_events
    AFTER INSERT ON cup.adjustment REFERENCING NEW TABLE AS new_adjustments
    FOR EACH STATEMENT EXECUTE FUNCTION cup.adjustment_events();

CREATE FUNCTION cup.adjustment_before_update()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.settled_at IS NULL
       AND (NEW.adjustment_id, NEW.booking_id, NEW.amount, NEW.reason, NEW.created_at)
           IS NOT DISTINCT FROM (OLD.adjustment_id, OLD.booking_id, OLD.amount, OLD.reason, OLD.created_at) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'adjustment % is history: only settling it once is allowed', OLD.adjustment_id
        USING ERRCODE = 'TK018', HINT = 'Settle it with cup.settle_adjustment.';
END;
$$;
COMMENT ON FUNCTION cup.adjustment_before_update() IS 'trigger: an adjustment is settled once and otherwise never changes (TK018); VOLATILE because it guards writes';
CREATE TRIGGER adjustment_history BEFORE UPDATE OR DELETE ON cup.adjustment
    FOR EACH ROW EXECUTE FUNCTION cup.adjustment_before_update();

--------------------------------------------------------------------------
-- Rule changes re-price the unpaid bookings once, at commit
--------------------------------------------------------------------------

CREATE FUNCTION ticket.rules_cache_reset()
RETURNS void
AS 'MODULE_PATHNAME', 'ticket_rules_cache_reset' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION ticket.rules_cache_reset() IS
'drops this backend''s compiled rules so that the next price() reads the tables again; VOLATILE because it drops backend state';

CREATE FUNCTION cup.rules_dirty()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    PERFORM set_config('ticket.reprice_pending', 'on', true);
    RETURN coalesce(NEW, OLD);
END;
$$;
COMMENT ON FUNCTION cup.rules_dirty() IS
'trigger: notes that the rules changed since the bookings were last re-priced in this transaction; VOLATILE because it changes a setting';

CREATE FUNCTION cup.reprice_after_rule_change()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    was_internal boolean;
BEGIN
    -- Deferred row trigger, one event per changed rule row: the first to
    -- fire (at commit, or at SET CONSTRAINTS ... IMMEDIATE) re-prices for
    -- every rule change so far (cup.rules_dirty marked them); the others
    -- find nothing pending.
    IF coalesce(current_setting('ticket.reprice_pending', true), '') <> 'on' THEN
        RETURN NULL;
    END IF;
    PERFORM set_config('ticket.reprice_pending', 'off', true);
    -- In IMMEDIATE mode this fires before the statement trigger that
    -- invalidates the rule cache: read the tables afresh.
    PERFORM ticket.rules_cache_reset();
    was_internal := ticket.internal_write(true);
    UPDATE cup.booking b SET bill = e.expected_bill, priced_at = now()
      FROM cup.booking_expected e
     WHERE e.status = 'booked' AND b.booking_id = e.booking_id
       AND b.bill IS DISTINCT FROM e.expected_bill;
    -- Which declared band a regime charges is rule data too.
    UPDATE fse.prescription p
       SET band = e.expected_band, exemptions = e.expected_exemptions
      FROM fse.prescription_expected e
     WHERE p.nre = e.nre
       AND (e.band, e.exemptions) IS DISTINCT FROM (e.expected_band, e.expected_exemptions);
    was_internal := ticket.internal_write(was_internal);
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION cup.reprice_after_rule_change() IS
'trigger: at commit of a change to the rules, unpaid bookings get the bill the new rules give (paid ones are final) and prescriptions the band box; VOLATILE because it writes';
CREATE TRIGGER rules_dirty BEFORE INSERT OR UPDATE OR DELETE ON ticket.regime
    FOR EACH ROW EXECUTE FUNCTION cup.rules_dirty();
CREATE CONSTRAINT TRIGGER reprice_bookings AFTER INSERT OR UPDATE OR DELETE ON ticket.regime
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cup.reprice_after_rule_change();
CREATE TRIGGER rules_dirty BEFORE INSERT OR UPDATE OR DELETE ON ticket.regime_band
    FOR EACH ROW EXECUTE FUNCTION cup.rules_dirty();
CREATE CONSTRAINT TRIGGER reprice_bookings AFTER INSERT OR UPDATE OR DELETE ON ticket.regime_band
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cup.reprice_after_rule_change();
CREATE TRIGGER rules_dirty BEFORE INSERT OR UPDATE OR DELETE ON ticket.exemption_rule
    FOR EACH ROW EXECUTE FUNCTION cup.rules_dirty();
CREATE CONSTRAINT TRIGGER reprice_bookings AFTER INSERT OR UPDATE OR DELETE ON ticket.exemption_rule
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cup.reprice_after_rule_change();
CREATE TRIGGER rules_dirty BEFORE INSERT OR UPDATE OR DELETE ON ticket.exemption_scope
    FOR EACH ROW EXECUTE FUNCTION cup.rules_dirty();
CREATE CONSTRAINT TRIGGER reprice_bookings AFTER INSERT OR UPDATE OR DELETE ON ticket.exemption_scope
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cup.reprice_after_rule_change();
CREATE TRIGGER rules_dirty BEFORE INSERT OR UPDATE OR DELETE ON ticket.service
    FOR EACH ROW EXECUTE FUNCTION cup.rules_dirty();
CREATE CONSTRAINT TRIGGER reprice_bookings AFTER INSERT OR UPDATE OR DELETE ON ticket.service
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cup.reprice_after_rule_change();

--------------------------------------------------------------------------
-- The outbox: NOTIFY and catching up
--------------------------------------------------------------------------

CREATE FUNCTION ticket.event_notify()
RETURNS trigger
AS 'MODULE_PATHNAME', 'ticket_event_notify' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION ticket.event_notify() IS
'trigger: notes each new event_id; the transaction sends NOTIFY ticket_event with the highest at commit; VOLATILE because it notifies';
CREATE TRIGGER event_notify BEFORE INSERT ON ticket.event
    FOR EACH ROW EXECUTE FUNCTION ticket.event_notify();

CREATE FUNCTION ticket.events_after(last_id bigint, max_events integer DEFAULT 1000)
RETURNS SETOF ticket.event
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    horizon xid8 := pg_snapshot_xmin(pg_current_snapshot());
BEGIN
    -- Event ids are taken before commit, so a transaction still running may
    -- hold ids below ones already committed.  Deliver in id order only the
    -- events of transactions older than every running one, and stop at the
    -- first visible event that is newer: a reader that resumes from the
    -- last id it got then skips nothing that was visible to it.
    RETURN QUERY
    SELECT e.* FROM ticket.event e
     WHERE e.event_id > last_id AND e.txid < horizon
       AND e.event_id < coalesce((SELECT min(f.event_id) FROM ticket.event f
                                   WHERE f.event_id > last_id AND f.txid >= horizon), 9223372036854775807)
     ORDER BY e.event_id
     LIMIT max_events;
END;
$$;
COMMENT ON FUNCTION ticket.events_after(bigint, integer) IS
'the settled events after last_id, in id order (at most max_events): what a LISTEN ticket_event client reads to catch up';

--------------------------------------------------------------------------
-- The application API: thin functions over the triggers
--------------------------------------------------------------------------

CREATE FUNCTION registry.self_certify(citizen ticket.fiscal_code, band ticket.income_band,
                                      channel text, operator text DEFAULT NULL,
                                      applies_from date DEFAULT CURRENT_DATE,
                                      declarant ticket.fiscal_code DEFAULT NULL,
                                      income_year integer DEFAULT NULL,
                                      signed_at timestamptz DEFAULT now())
RETURNS registry.declaration
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    declared registry.declaration;
BEGIN
    INSERT INTO registry.declaration (fiscal_code, band, declarant, channel, operator, signed_at,
                                      applies_from, income_year)
    VALUES (citizen, band, coalesce(declarant, citizen), channel, operator, signed_at,
            applies_from, income_year)
    RETURNING * INTO declared;
    RETURN declared;
END;
$$;
COMMENT ON FUNCTION registry.self_certify(ticket.fiscal_code, ticket.income_band, text, text, date,
                                          ticket.fiscal_code, integer, timestamptz) IS
'records a self-certification of the income band (declarant defaults to the citizen); everything downstream follows; VOLATILE because it writes';

CREATE FUNCTION registry.grant_exemption(citizen ticket.fiscal_code, exemption ticket.exemption,
                                         valid_from date, source text, valid_until date DEFAULT NULL,
                                         granted_at timestamptz DEFAULT now())
RETURNS registry.exemption_grant
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    granted registry.exemption_grant;
BEGIN
    INSERT INTO registry.exemption_grant (fiscal_code, exemption, valid, source, granted_at)
    VALUES (citizen, exemption, daterange(valid_from, valid_until), source, granted_at)
    RETURNING * INTO granted;
    RETURN granted;
END;
$$;
COMMENT ON FUNCTION registry.grant_exemption(ticket.fiscal_code, ticket.exemption, date, text, date, timestamptz) IS
'grants an exemption from valid_from to valid_until (exclusive; income exemptions default to the next 1 April); VOLATILE because it writes';

CREATE FUNCTION registry.revoke_exemption(grant_id bigint, revoked_on date, reason text,
                                          revoked_at timestamptz DEFAULT now())
RETURNS registry.exemption_grant
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    revoked registry.exemption_grant;
BEGIN
    UPDATE registry.exemption_grant g
       SET revoked_on = revoke_exemption.revoked_on, revocation_reason = reason,
           revoked_at = revoke_exemption.revoked_at
     WHERE g.grant_id = revoke_exemption.grant_id
    RETURNING * INTO revoked;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'exemption grant % does not exist', grant_id USING ERRCODE = 'no_data_found';
    END IF;
    RETURN revoked;
END;
$$;
COMMENT ON FUNCTION registry.revoke_exemption(bigint, date, text, timestamptz) IS
'revokes an exemption grant from revoked_on (once; TK018 if already revoked); VOLATILE because it writes';

CREATE FUNCTION fse.prescribe(nre text, citizen ticket.fiscal_code, gp_code text, services text[],
                              priority text DEFAULT NULL, prescribed_on date DEFAULT CURRENT_DATE)
RETURNS fse.prescription
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    written fse.prescription;
BEGIN
    INSERT INTO fse.prescription (nre, fiscal_code, gp_code, prescribed_on, priority, services)
    VALUES (upper(btrim(nre)), citizen, gp_code, prescribed_on, upper(priority), services)
    RETURNING * INTO written;
    RETURN written;
END;
$$;
COMMENT ON FUNCTION fse.prescribe(text, ticket.fiscal_code, text, text[], text, date) IS
'writes an electronic prescription; its band and exemption boxes come from the registry; VOLATILE because it writes';

-- The booking functions take the patient's row first, then the booking's:
-- the order propagation uses, so a payment and a declaration never deadlock.
CREATE FUNCTION cup.locked_booking(booking bigint, what text)
RETURNS cup.booking
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    found_booking cup.booking;
BEGIN
    SELECT * INTO found_booking FROM cup.booking b WHERE b.booking_id = booking;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'booking % does not exist', booking USING ERRCODE = 'no_data_found';
    END IF;
    PERFORM registry.lock_citizen(found_booking.fiscal_code, '-infinity', what);
    SELECT * INTO found_booking FROM cup.booking b WHERE b.booking_id = booking FOR UPDATE;
    RETURN found_booking;
END;
$$;
COMMENT ON FUNCTION cup.locked_booking(bigint, text) IS
'a booking, locked after its patient (the lock order of every write about a citizen); VOLATILE because it writes';

CREATE FUNCTION cup.book(nre text, service_date date, asl_code text DEFAULT NULL)
RETURNS cup.booking
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    booked cup.booking;
BEGIN
    INSERT INTO cup.booking (nre, service_date, asl_code)
    VALUES (upper(btrim(nre)), service_date, asl_code)
    RETURNING * INTO booked;
    RETURN booked;
END;
$$;
COMMENT ON FUNCTION cup.book(text, date, text) IS
'books a prescription on a service date (ASL default: the patient''s residence) and prices it; VOLATILE because it writes';

CREATE FUNCTION cup.move(booking bigint, service_date date)
RETURNS cup.booking
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    moved cup.booking;
BEGIN
    PERFORM cup.locked_booking(booking, 'booking');
    UPDATE cup.booking b SET service_date = move.service_date WHERE b.booking_id = booking
    RETURNING * INTO moved;
    RETURN moved;
END;
$$;
COMMENT ON FUNCTION cup.move(bigint, date) IS
'moves a booking to another date: an unpaid one is re-priced, a paid one keeps its amount; VOLATILE because it writes';

CREATE FUNCTION cup.pay(booking bigint, expected_amount numeric DEFAULT NULL,
                        channel text DEFAULT 'cup_desk', paid_at timestamptz DEFAULT now())
RETURNS cup.booking
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    paid cup.booking;
BEGIN
    PERFORM cup.locked_booking(booking, 'payment');
    UPDATE cup.booking b
       SET status = 'paid', paid_amount = expected_amount, payment_channel = channel,
           paid_at = pay.paid_at
     WHERE b.booking_id = booking
    RETURNING * INTO paid;
    RETURN paid;
END;
$$;
COMMENT ON FUNCTION cup.pay(bigint, numeric, text, timestamptz) IS
'pays a booking and freezes its amount; with expected_amount, refuses (TK014) if the price is no longer the one shown; VOLATILE because it writes';

CREATE FUNCTION cup.cancel(booking bigint, reason text DEFAULT NULL)
RETURNS cup.booking
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    cancelled cup.booking;
BEGIN
    PERFORM cup.locked_booking(booking, 'booking');
    UPDATE cup.booking b SET status = 'cancelled', cancel_reason = reason
     WHERE b.booking_id = booking
    RETURNING * INTO cancelled;
    RETURN cancelled;
END;
$$;
COMMENT ON FUNCTION cup.cancel(bigint, text) IS
'cancels a booking (kept as history); a paid one gets a refund adjustment; VOLATILE because it writes';

CREATE FUNCTION cup.complete(booking bigint)
RETURNS cup.booking
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    done cup.booking;
BEGIN
    PERFORM cup.locked_booking(booking, 'booking');
    UPDATE cup.booking b SET status = 'done' WHERE b.booking_id = booking
    RETURNING * INTO done;
    RETURN done;
END;
$$;
COMMENT ON FUNCTION cup.complete(bigint) IS 'marks a booking done (paid, or free of charge); VOLATILE because it writes';

CREATE FUNCTION cup.settle_adjustment(adjustment bigint)
RETURNS cup.adjustment
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
DECLARE
    settled cup.adjustment;
BEGIN
    UPDATE cup.adjustment a SET settled_at = now() WHERE a.adjustment_id = adjustment
    RETURNING * INTO settled;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'adjustment % does not exist', adjustment USING ERRCODE = 'no_data_found';
    END IF;
    RETURN settled;
END;
$$;
COMMENT ON FUNCTION cup.settle_adjustment(bigint) IS 'records that a refund was paid out or an amount due was collected; VOLATILE because it writes';

--------------------------------------------------------------------------
-- The consistency check
--------------------------------------------------------------------------

CREATE FUNCTION ticket.check_consistency()
RETURNS TABLE (invariant text, subject text, detail text)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, ticket, pg_temp
AS $$
BEGIN
    -- Unpaid bookings hold the price the rules and the registry give now.
    RETURN QUERY
    SELECT 'booking_price', 'booking ' || e.booking_id,
           format('holds %s (%s), current data give %s (%s)', (e.bill).total, (e.bill).regime,
                  (e.expected_bill).total, (e.expected_bill).regime)
      FROM cup.booking_expected e
     WHERE e.status = 'booked' AND e.bill IS DISTINCT FROM e.expected_bill;

    -- A paid booking paid its bill.
    RETURN QUERY
    SELECT 'booking_payment', 'booking ' || b.booking_id,
           format('status %s, paid %s of %s', b.status, b.paid_amount, b.amount)
      FROM cup.booking b
     WHERE b.status IN ('paid', 'done') AND b.paid_amount IS DISTINCT FROM b.amount;

    -- A booking is for its prescription's patient, on or after its date.
    RETURN QUERY
    SELECT 'booking_prescription', 'booking ' || b.booking_id,
           format('booking for %s on %s, prescription %s for %s on %s', b.fiscal_code, b.service_date,
                  p.nre, p.fiscal_code, p.prescribed_on)
      FROM cup.booking b JOIN fse.prescription p ON p.nre = b.nre
     WHERE b.fiscal_code <> p.fiscal_code OR b.service_date < p.prescribed_on;

    -- The FSE profile says what the registry says.
    RETURN QUERY
    SELECT 'fse_profile', coalesce(e.fiscal_code, p.fiscal_code)::text,
           CASE WHEN p.fiscal_code IS NULL THEN 'no FSE profile'
                WHEN e.fiscal_code IS NULL THEN 'FSE profile of a citizen with no declaration or exemption'
                ELSE format('FSE shows %s from %s %s, registry %s from %s %s', p.band, p.band_from,
                            p.exemptions, e.band, e.band_from, e.exemptions) END
      FROM fse.profile_expected e
      FULL JOIN fse.profile p ON p.fiscal_code = e.fiscal_code
     WHERE p.fiscal_code IS NULL OR e.fiscal_code IS NULL
        OR (p.declaration_id, p.band, p.band_from, p.exemptions)
           IS DISTINCT FROM (e.declaration_id, e.band, e.band_from, e.exemptions);

    -- Prescription boxes are the registry's as of the prescription date.
    RETURN QUERY
    SELECT 'prescription_boxes', 'prescription ' || e.nre,
           format('boxes %s %s, registry on %s gives %s %s', e.band, e.exemptions, e.prescribed_on,
                  e.expected_band, e.expected_exemptions)
      FROM fse.prescription_expected e
     WHERE (e.band, e.exemptions) IS DISTINCT FROM (e.expected_band, e.expected_exemptions);

    -- Declarations of one citizen never overlap; at most one is current.
    RETURN QUERY
    SELECT 'declaration_overlap', a.fiscal_code::text,
           format('declarations %s %s and %s %s overlap', a.declaration_id, a.valid, b.declaration_id, b.valid)
      FROM registry.declaration a
      JOIN registry.declaration b ON b.fiscal_code = a.fiscal_code
                                 AND b.declaration_id > a.declaration_id AND b.valid && a.valid;

    -- Nothing declared, prescribed or booked (unpaid) for the dead.
    RETURN QUERY
    SELECT 'after_death', c.fiscal_code::text, format('%s on %s, died %s', w.what, w.on_date, c.death_date)
      FROM registry.citizen c
      JOIN LATERAL (SELECT 'declaration ' || d.declaration_id AS what, d.applies_from AS on_date
                      FROM registry.declaration d WHERE d.fiscal_code = c.fiscal_code
                    UNION ALL
                    SELECT 'prescription ' || p.nre, p.prescribed_on
                      FROM fse.prescription p WHERE p.fiscal_code = c.fiscal_code
                    UNION ALL
                    SELECT 'unpaid booking ' || b.booking_id, b.service_date
                      FROM cup.booking b
                     WHERE b.fiscal_code = c.fiscal_code AND b.status = 'booked') w
        ON w.on_date >= c.death_date
     WHERE c.death_date IS NOT NULL;

    -- Fiscal codes match the personal data unless a reason is recorded.
    RETURN QUERY
    SELECT 'fiscal_code_data', c.fiscal_code::text, 'the code does not match the personal data'
      FROM registry.citizen c
     WHERE c.code_mismatch_reason IS NULL AND ticket.fiscal_code_kind(c.fiscal_code) = 'personal'
       AND NOT ticket.fiscal_code_matches(c.fiscal_code, c.surname, c.given_name, c.sex,
                                          c.birth_date, c.birthplace);

    -- Every event is about a row that exists, and of its citizen (outer
    -- joins on the id: linear, not a probe per event).
    RETURN QUERY
    SELECT 'orphan_event', 'event ' || ev.event_id, format('%s %s of %s', ev.kind, ev.subject, ev.fiscal_code)
      FROM (SELECT e.*, CASE WHEN e.subject ~ '^[0-9]{1,18}$' THEN e.subject::bigint END AS id
              FROM ticket.event e) ev
      LEFT JOIN registry.declaration d
             ON ev.kind = 'declaration' AND d.declaration_id = ev.id AND d.fiscal_code = ev.fiscal_code
      LEFT JOIN registry.exemption_grant g
             ON ev.kind IN ('exemption_granted', 'exemption_revoked') AND g.grant_id = ev.id
            AND g.fiscal_code = ev.fiscal_code
      LEFT JOIN (cup.adjustment a JOIN cup.booking ab ON ab.booking_id = a.booking_id)
             ON ev.kind = 'adjustment' AND a.adjustment_id = ev.id AND ab.fiscal_code = ev.fiscal_code
      LEFT JOIN cup.booking b
             ON ev.kind IN ('booked', 'moved', 'repriced', 'paid', 'cancelled', 'done')
            AND b.booking_id = ev.id AND b.fiscal_code = ev.fiscal_code
     WHERE d.declaration_id IS NULL AND g.grant_id IS NULL AND a.adjustment_id IS NULL
       AND b.booking_id IS NULL;

    -- Every declaration, grant and revocation reached the outbox and the FSE
    -- log.  Outer joins, not correlated NOT EXISTS: hash joins that spill
    -- to disk keep this linear at the size of the region.
    RETURN QUERY
    SELECT 'missing_event', 'declaration ' || d.declaration_id, 'no outbox or FSE event'
      FROM registry.declaration d
      LEFT JOIN ticket.event ev ON ev.kind = 'declaration' AND ev.subject = d.declaration_id::text
      LEFT JOIN fse.event fe ON fe.kind = 'declaration' AND fe.fiscal_code = d.fiscal_code
                            AND (fe.detail ->> 'declaration_id')::bigint = d.declaration_id
     WHERE ev.event_id IS NULL OR fe.event_id IS NULL;
    RETURN QUERY
    SELECT 'missing_event', 'grant ' || g.grant_id, 'no outbox or FSE event exemption_granted'
      FROM registry.exemption_grant g
      LEFT JOIN ticket.event ev ON ev.kind = 'exemption_granted' AND ev.subject = g.grant_id::text
      LEFT JOIN fse.event fe ON fe.kind = 'exemption_granted' AND fe.fiscal_code = g.fiscal_code
                            AND (fe.detail ->> 'grant_id')::bigint = g.grant_id
     WHERE ev.event_id IS NULL OR fe.event_id IS NULL;
    RETURN QUERY
    SELECT 'missing_event', 'grant ' || g.grant_id, 'no outbox or FSE event exemption_revoked'
      FROM registry.exemption_grant g
      LEFT JOIN ticket.event ev ON ev.kind = 'exemption_revoked' AND ev.subject = g.grant_id::text
      LEFT JOIN fse.event fe ON fe.kind = 'exemption_revoked' AND fe.fiscal_code = g.fiscal_code
                            AND (fe.detail ->> 'grant_id')::bigint = g.grant_id
     WHERE g.revoked_on IS NOT NULL AND (ev.event_id IS NULL OR fe.event_id IS NULL);
END;
$$;
COMMENT ON FUNCTION ticket.check_consistency() IS
'one row per violated invariant of the network (prices of unpaid bookings, payments, FSE profiles, prescription boxes, declaration overlaps, deaths, fiscal codes, events); empty on a healthy database';

--------------------------------------------------------------------------
-- Every column explains itself in \d+ (the rule tables of 0.2 included)
--------------------------------------------------------------------------

COMMENT ON COLUMN ticket.regime.description IS 'what the regime changed, in a line';
COMMENT ON COLUMN ticket.regime_band.regime_id IS 'the regime that defines the band';
COMMENT ON COLUMN ticket.regime_band.band IS 'the band code printed on prescriptions (RE1, QB, ...)';
COMMENT ON COLUMN ticket.regime_band.shipped IS 'true for rows the extension ships (not dumped, not editable)';
COMMENT ON COLUMN ticket.exemption_rule.regime_id IS 'the regime the rule belongs to';
COMMENT ON COLUMN ticket.exemption_rule.exemption IS 'the exemption code the rule is for; NULL when the rule is for a family';
COMMENT ON COLUMN ticket.exemption_rule.family IS 'the exemption family the rule is for (income, chronic, ...); NULL when it is for one code';
COMMENT ON COLUMN ticket.exemption_rule.note IS 'where the rule comes from, or why it was chosen';
COMMENT ON COLUMN ticket.exemption_rule.shipped IS 'true for rows the extension ships (not dumped, not editable)';
COMMENT ON COLUMN ticket.exemption_scope.exemption IS 'a partial exemption (coverage = listed)';
COMMENT ON COLUMN ticket.exemption_scope.service_code IS 'a service it covers (ticket.service.code)';
COMMENT ON COLUMN ticket.exemption_scope.synthetic IS 'true: an invented example, not an official list entry';
COMMENT ON COLUMN ticket.exemption_scope.shipped IS 'true for rows the extension ships (not dumped, not editable)';
COMMENT ON COLUMN ticket.service.code IS 'nomenclatore code of the service';
COMMENT ON COLUMN ticket.service.effective_from IS 'first service date this row applies to';
COMMENT ON COLUMN ticket.service.description IS 'what the service is';
COMMENT ON COLUMN ticket.service.branch IS 'specialist branch: services of one prescription share it';
COMMENT ON COLUMN ticket.service.kind IS 'first_visit, control_visit, exam, ct_mri, ambulatory_surgery, drug or er_access: which rule prices it';
COMMENT ON COLUMN ticket.service.tariff IS 'regional tariff in euros';
COMMENT ON COLUMN ticket.service.withdrawn IS 'true: the code is no longer prescribable from effective_from';
COMMENT ON COLUMN ticket.service.shipped IS 'true for rows the extension ships (not dumped, not editable)';
COMMENT ON COLUMN ticket.nre_region.region_code IS 'three-digit Ministry region code';
COMMENT ON COLUMN ticket.nre_region.name IS 'the region';
COMMENT ON COLUMN ticket.nre_region.shipped IS 'true for rows the extension ships (not dumped, not editable)';
COMMENT ON COLUMN ticket.priority_class.priority IS 'the letter written on the prescription';
COMMENT ON COLUMN ticket.priority_class.description IS 'what the class means';
COMMENT ON COLUMN ticket.priority_class.max_wait_visit IS 'longest wait in days for a visit';
COMMENT ON COLUMN ticket.priority_class.max_wait_exam IS 'longest wait in days for diagnostics';
COMMENT ON COLUMN ticket.priority_class.shipped IS 'true for rows the extension ships (not dumped, not editable)';
COMMENT ON COLUMN ticket.event.event_id IS 'position in the outbox; readers resume after the last one they saw';
COMMENT ON COLUMN ticket.event.kind IS 'declaration, exemption_granted, exemption_revoked, booked, moved, repriced, paid, cancelled, done or adjustment';
COMMENT ON COLUMN ticket.event.fiscal_code IS 'the citizen the event is about';
COMMENT ON COLUMN ticket.event.payload IS 'the event''s facts (band, amounts, dates ...) as JSON';
COMMENT ON COLUMN ticket.event.created_at IS 'when the writing transaction started';

COMMENT ON COLUMN registry.asl.asl_code IS 'region code (080) and company code';
COMMENT ON COLUMN registry.asl.name IS 'the health authority';
COMMENT ON COLUMN registry.asl.shipped IS 'true for rows the extension ships (not dumped, not editable)';
COMMENT ON COLUMN registry.gp.fiscal_code IS 'the doctor''s fiscal code';
COMMENT ON COLUMN registry.gp.surname IS 'the doctor''s surname';
COMMENT ON COLUMN registry.gp.given_name IS 'the doctor''s given name';
COMMENT ON COLUMN registry.gp.asl_code IS 'the AUSL the doctor works for';
COMMENT ON COLUMN registry.gp.kind IS 'gp (medico di medicina generale) or paediatrician (pediatra di libera scelta)';
COMMENT ON COLUMN registry.citizen.fiscal_code IS 'the citizen''s fiscal code, as issued';
COMMENT ON COLUMN registry.citizen.surname IS 'surname as registered';
COMMENT ON COLUMN registry.citizen.given_name IS 'given name(s) as registered';
COMMENT ON COLUMN registry.citizen.sex IS 'M or F, as in the fiscal code';
COMMENT ON COLUMN registry.citizen.birth_date IS 'date of birth';
COMMENT ON COLUMN registry.citizen.registered_at IS 'when the row entered the registry';
COMMENT ON COLUMN registry.citizen_lock.fiscal_code IS 'the citizen';
COMMENT ON COLUMN registry.household.household_id IS 'the household';
COMMENT ON COLUMN registry.household.registered_at IS 'when the household entered the registry';
COMMENT ON COLUMN registry.household_member.fiscal_code IS 'the member';
COMMENT ON COLUMN registry.household_member.household_id IS 'the household';
COMMENT ON COLUMN registry.household_member.relation IS 'declarant (files the income tax return), spouse or dependant';
COMMENT ON COLUMN registry.guardian.ward IS 'the minor';
COMMENT ON COLUMN registry.guardian.guardian IS 'the appointed guardian';
COMMENT ON COLUMN registry.guardian.appointed IS 'the days the appointment covers';
COMMENT ON COLUMN registry.declaration.declaration_id IS 'the declaration';
COMMENT ON COLUMN registry.declaration.fiscal_code IS 'the citizen the band is declared for';
COMMENT ON COLUMN registry.exemption_grant.grant_id IS 'the grant';
COMMENT ON COLUMN registry.exemption_grant.fiscal_code IS 'the exempt citizen';
COMMENT ON COLUMN registry.exemption_grant.exemption IS 'the exemption code';
COMMENT ON COLUMN registry.exemption_grant.granted_at IS 'when the registry learned of it: the grace window of paid bookings counts from this day';
COMMENT ON COLUMN registry.exemption_grant.revoked_at IS 'when the registry learned of the revocation';
COMMENT ON COLUMN registry.exemption_grant.revocation_reason IS 'why it was revoked';

COMMENT ON COLUMN fse.profile.fiscal_code IS 'the citizen';
COMMENT ON COLUMN fse.profile.declaration_id IS 'the current declaration (registry.declaration)';
COMMENT ON COLUMN fse.profile.band_from IS 'the date the current declaration applies from';
COMMENT ON COLUMN fse.profile.updated_at IS 'when the registry last changed it';
COMMENT ON COLUMN fse.event.event_id IS 'the entry';
COMMENT ON COLUMN fse.event.fiscal_code IS 'the citizen';
COMMENT ON COLUMN fse.event.recorded_at IS 'when it reached the FSE';
COMMENT ON COLUMN fse.event.kind IS 'declaration, exemption_granted or exemption_revoked';
COMMENT ON COLUMN fse.event.detail IS 'what changed, as JSON';
COMMENT ON COLUMN fse.prescription.fiscal_code IS 'the patient';
COMMENT ON COLUMN fse.prescription.gp_code IS 'the prescribing doctor';
COMMENT ON COLUMN fse.prescription.prescribed_on IS 'the prescription date: the boxes show the registry of that day';
COMMENT ON COLUMN fse.prescription.written_at IS 'when it reached the FSE';

COMMENT ON COLUMN cup.booking.booking_id IS 'the booking';
COMMENT ON COLUMN cup.booking.nre IS 'the prescription booked';
COMMENT ON COLUMN cup.booking.service_date IS 'the day of the service: rules and citizen data of that day price it';
COMMENT ON COLUMN cup.booking.booked_at IS 'when it was booked';
COMMENT ON COLUMN cup.booking.paid_at IS 'when it was paid';
COMMENT ON COLUMN cup.booking.payment_channel IS 'where it was paid (CUP desk, online, pharmacy ...)';
COMMENT ON COLUMN cup.booking.cancelled_at IS 'when it was cancelled';
COMMENT ON COLUMN cup.booking.cancel_reason IS 'why it was cancelled';
COMMENT ON COLUMN cup.adjustment.adjustment_id IS 'the adjustment';
COMMENT ON COLUMN cup.adjustment.booking_id IS 'the paid booking it settles';
COMMENT ON COLUMN cup.adjustment.amount IS 'positive: the citizen owes it; negative: a refund';
COMMENT ON COLUMN cup.adjustment.reason IS 'declaration, exemption_granted, exemption_revoked or cancellation';
COMMENT ON COLUMN cup.adjustment.created_at IS 'when it was created';
COMMENT ON COLUMN cup.adjustment.settled_at IS 'when the refund was paid out or the amount collected; NULL = open';
