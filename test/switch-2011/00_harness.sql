-- test/switch-2011/00_harness.sql: the replay's own schema.
--
--   * replay.tap: the assertions (printed as TAP by run.sh);
--   * replay.bill(): the INDEPENDENT bill of the service mixes the replay
--     generates, recomputed with plain SQL from ticket.regime, regime_band,
--     service and the registry rows (never ticket.price, cup.price_for,
--     ticket.effective_band, ticket.regime_for or the *_expected views);
--   * replay.op: the plan (what the CUP desks, GPs and the registry do, each
--     with its simulated time), executed in date order by replay.execute();
--   * wrappers around the API that note, per call, which events and
--     adjustments the call must produce according to the independent bills.

CREATE SCHEMA replay;

--------------------------------------------------------------------------
-- TAP
--------------------------------------------------------------------------

CREATE TABLE replay.tap (
    n            serial PRIMARY KEY,
    ok           boolean NOT NULL,
    description  text NOT NULL,
    diag         text,
    printed      boolean NOT NULL DEFAULT false
);

CREATE FUNCTION replay.ok(passed boolean, description text, diag text DEFAULT NULL)
RETURNS boolean LANGUAGE sql AS $$
    INSERT INTO replay.tap (ok, description, diag)
    VALUES (coalesce(passed, false), description,
            CASE WHEN NOT coalesce(passed, false) THEN coalesce(diag, 'condition is ' || coalesce(passed::text, 'NULL')) END)
    RETURNING ok;
$$;

CREATE FUNCTION replay.is(got numeric, want numeric, description text)
RETURNS boolean LANGUAGE sql AS $$
    SELECT replay.ok(got IS NOT DISTINCT FROM want, description,
                     format('got %s, want %s', coalesce(got::text, 'NULL'), coalesce(want::text, 'NULL')));
$$;

-- An error path: the statement must fail with this SQLSTATE and a message
-- matching the pattern (LIKE).  Runs in a subtransaction: nothing it did stays.
CREATE FUNCTION replay.throws(statement text, sqlstate text, message_like text, description text)
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    state text;
    message text;
BEGIN
    BEGIN
        EXECUTE statement;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT;
        RETURN replay.ok(state = sqlstate AND message LIKE message_like, description,
                         format('got %s "%s", want %s "%s"', state, message, sqlstate, message_like));
    END;
    RETURN replay.ok(false, description, format('no error, want %s "%s"', sqlstate, message_like));
END;
$$;

--------------------------------------------------------------------------
-- The independent bill
--------------------------------------------------------------------------
-- The service mixes of the replay (replay.mix) are specialist prescriptions
-- of one branch, without ambulatory surgery, drugs or emergency access:
-- first or control visits alone; a visit with exams of cardiology;
-- laboratory exams; an X-ray; CT or MRI alone or with an X-ray.  Their bill
-- (ticket-rules.md §2.1-§2.3, §3.1, §3.3, §3.4; extension/doc/ticket.md
-- "How a prescription is priced"):
--   regime   R  = the ticket.regime row with the latest effective_from <= service date
--   band     B  = the band of the declaration whose [applies_from, valid_until)
--                 holds the service date, if R has a regime_band row for it;
--                 else R.default_band (QM in 2019-2020), else none
--   amounts  quota Q, CT/MRI ticket T = the regime_band row of B, or without
--                 a band the regime row's own quota and ct_mri
--   exempt      = an E01/E02 grant whose valid range, cut at revoked_on,
--                 holds the service date: the bill is 0.00
--   tariff   t(s) = tariff of the ticket.service row of s with the latest
--                 effective_from <= service date (the 1 Feb 2012 update)
--   visits only, and R has fixed visit tickets: sum of R.first_visit /
--                 R.control_visit per visit
--   otherwise: T if there is a CT/MRI and T is not NULL, plus
--                 S = sum of the other tariffs (CT/MRI by tariff when T is NULL)
--                 capped at R.specialist_cap (counted when S > 0 or no fixed
--                 CT/MRI ticket), plus Q when Q > 0 and S > R.quota_threshold.
-- The label of the band is B even when an exemption makes the bill 0.

CREATE TYPE replay.bill AS (regime text, band text, total numeric(8,2));

CREATE FUNCTION replay.declared_on(citizen ticket.fiscal_code, on_date date)
RETURNS text LANGUAGE sql STABLE AS $$
    SELECT d.band::text FROM registry.declaration d
     WHERE d.fiscal_code = citizen AND d.applies_from <= on_date
       AND (d.valid_until IS NULL OR on_date < d.valid_until);
$$;

CREATE FUNCTION replay.exempt_on(citizen ticket.fiscal_code, on_date date)
RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM registry.exemption_grant g
                    WHERE g.fiscal_code = citizen AND g.exemption::text IN ('E01', 'E02')
                      AND lower(g.valid) <= on_date
                      AND (upper(g.valid) IS NULL OR on_date < upper(g.valid))
                      AND (g.revoked_on IS NULL OR on_date < g.revoked_on));
$$;

CREATE FUNCTION replay.bill(citizen ticket.fiscal_code, services text[], on_date date)
RETURNS replay.bill LANGUAGE plpgsql STABLE AS $$
DECLARE
    r ticket.regime;
    declared text;
    eff_band text;
    quota numeric;
    ct numeric;
    n_items integer;
    n_visits integer;
    visit_sum numeric;
    n_ct integer;
    rest numeric;
    fixed_ct boolean;
    total numeric := 0;
BEGIN
    SELECT * INTO r FROM ticket.regime WHERE effective_from <= on_date ORDER BY effective_from DESC LIMIT 1;
    declared := replay.declared_on(citizen, on_date);
    IF declared IS NOT NULL AND EXISTS (SELECT 1 FROM ticket.regime_band rb
                                         WHERE rb.regime_id = r.regime_id AND rb.band::text = declared) THEN
        eff_band := declared;
    ELSE
        -- a band the regime replaces (RE1-RE3 in 2019: QB; ticket-rules.md
        -- §3.3, §9, S15 S48), else the default band
        SELECT rb.band::text INTO eff_band FROM ticket.regime_band rb
         WHERE rb.regime_id = r.regime_id AND declared = ANY (rb.replaces::text[]);
        eff_band := coalesce(eff_band, r.default_band::text);
    END IF;
    IF eff_band IS NULL THEN
        quota := r.quota;
        ct := r.ct_mri;
    ELSE
        SELECT rb.quota, rb.ct_mri INTO quota, ct FROM ticket.regime_band rb
         WHERE rb.regime_id = r.regime_id AND rb.band::text = eff_band;
    END IF;
    IF replay.exempt_on(citizen, on_date) THEN
        RETURN (r.regime_id, eff_band, 0.00)::replay.bill;
    END IF;
    SELECT count(*), count(*) FILTER (WHERE s.kind IN ('first_visit', 'control_visit')),
           sum(CASE s.kind WHEN 'first_visit' THEN r.first_visit WHEN 'control_visit' THEN r.control_visit END),
           count(*) FILTER (WHERE s.kind = 'ct_mri'),
           coalesce(sum(s.tariff) FILTER (WHERE s.kind <> 'ct_mri' OR ct IS NULL), 0)
      INTO n_items, n_visits, visit_sum, n_ct, rest
      FROM unnest(services) AS u(code)
     CROSS JOIN LATERAL (SELECT sv.kind, sv.tariff FROM ticket.service sv
                          WHERE sv.code = u.code AND sv.effective_from <= on_date
                          ORDER BY sv.effective_from DESC LIMIT 1) s;
    IF n_visits = n_items AND r.first_visit IS NOT NULL AND r.control_visit IS NOT NULL THEN
        RETURN (r.regime_id, eff_band, visit_sum)::replay.bill;
    END IF;
    fixed_ct := n_ct > 0 AND ct IS NOT NULL;
    IF fixed_ct THEN
        total := ct;
    END IF;
    IF rest > 0 OR NOT fixed_ct THEN
        total := total + least(rest, coalesce(r.specialist_cap, rest));
        IF coalesce(quota, 0) > 0 AND rest > r.quota_threshold THEN
            total := total + quota;
        END IF;
    END IF;
    RETURN (r.regime_id, eff_band, total)::replay.bill;
END;
$$;

-- The last day a change still adjusts a paid booking of the regime of a
-- service date (the 2011 transition closed on 30 September 2011: §1.4, §9,
-- S3 S4 S5); 'infinity' when the regime sets none.
CREATE FUNCTION replay.grace_until(service_date date)
RETURNS date LANGUAGE sql STABLE AS $$
    SELECT coalesce(r.adjustment_until, 'infinity') FROM ticket.regime r
     WHERE r.effective_from <= service_date ORDER BY r.effective_from DESC LIMIT 1;
$$;

CREATE FUNCTION replay.grace_days(service_date date)
RETURNS integer LANGUAGE sql STABLE AS $$
    SELECT r.adjustment_grace_days FROM ticket.regime r
     WHERE r.effective_from <= service_date ORDER BY r.effective_from DESC LIMIT 1;
$$;

--------------------------------------------------------------------------
-- Phases and expectations
--------------------------------------------------------------------------

CREATE TABLE replay.phase (
    phase_no        serial PRIMARY KEY,
    name            text NOT NULL UNIQUE,
    first_event     bigint NOT NULL,    -- events of the phase: event_id >= first_event
    first_adjustment bigint NOT NULL
);

CREATE FUNCTION replay.begin_phase(name text) RETURNS void LANGUAGE sql AS $$
    INSERT INTO replay.phase (name, first_event, first_adjustment)
    VALUES (name, (SELECT coalesce(max(event_id), 0) + 1 FROM ticket.event),
            (SELECT coalesce(max(adjustment_id), 0) + 1 FROM cup.adjustment));
    SELECT set_config('replay.phase', max(phase_no)::text, false) FROM replay.phase;
$$;

CREATE FUNCTION replay.current_phase() RETURNS integer LANGUAGE sql STABLE AS $$
    SELECT current_setting('replay.phase')::integer;
$$;

-- What the network must have produced: one row per event (kind, subject
-- booking or citizen, the new amount for repriced, the amount and reason of
-- adjustments).
CREATE TABLE replay.expect (
    phase_no    integer NOT NULL DEFAULT replay.current_phase(),
    kind        text NOT NULL,
    booking_id  bigint,
    amount      numeric(8,2),
    reason      text
);

-- The independent bill of each booking when it was paid (or completed free).
CREATE TABLE replay.paid (
    booking_id  bigint PRIMARY KEY,
    regime      text NOT NULL,
    band        text,
    total       numeric(8,2) NOT NULL
);

-- Facts the phase checks use: which test case each booking belongs to.
CREATE TABLE replay.marker (
    label       text NOT NULL,
    booking_id  bigint,
    citizen     ticket.fiscal_code
);

--------------------------------------------------------------------------
-- Wrappers: call the API, note what it must produce
--------------------------------------------------------------------------

-- The independent bills of a citizen's live bookings right now.
CREATE UNLOGGED TABLE replay.snap (
    booking_id    bigint PRIMARY KEY,
    status        text NOT NULL,
    service_date  date NOT NULL,
    total         numeric(8,2) NOT NULL
);

-- A change that applies from from_date (a form's applies_from, a grant's
-- start, a revocation's first day) cannot change the independent bill of an
-- earlier service date, and a paid booking outside its grace window is not
-- adjusted: only the others are noted (the phase checks still compare every
-- booking with its independent bill).
CREATE FUNCTION replay.take_snapshot(citizen ticket.fiscal_code, from_date date, known_on date)
RETURNS void LANGUAGE sql AS $$
    DELETE FROM replay.snap;
    INSERT INTO replay.snap
    SELECT b.booking_id, b.status, b.service_date, (replay.bill(b.fiscal_code, p.services, b.service_date)).total
      FROM cup.booking b JOIN fse.prescription p ON p.nre = b.nre
     WHERE b.fiscal_code = citizen AND b.service_date >= from_date
       AND (b.status = 'booked'
            OR (b.status IN ('paid', 'done') AND known_on <= b.service_date + replay.grace_days(b.service_date)
                                                 AND known_on <= replay.grace_until(b.service_date)));
$$;

-- After a registry change known on known_on: unpaid bookings whose
-- independent bill changed are re-priced; paid ones inside the grace window
-- of their service date's regime get the difference as an adjustment.
CREATE FUNCTION replay.note_registry_change(citizen ticket.fiscal_code, known_on date, reason text)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO replay.expect (kind, booking_id, amount, reason)
    SELECT CASE WHEN s.status = 'booked' THEN 'repriced' ELSE 'adjustment' END, s.booking_id,
           CASE WHEN s.status = 'booked' THEN a.total ELSE a.total - s.total END,
           CASE WHEN s.status = 'booked' THEN NULL ELSE reason END
      FROM replay.snap s
      JOIN LATERAL (SELECT (replay.bill(b.fiscal_code, p.services, b.service_date)).total
                      FROM cup.booking b JOIN fse.prescription p ON p.nre = b.nre
                     WHERE b.booking_id = s.booking_id) a ON true
     WHERE a.total <> s.total
       AND (s.status = 'booked'
            OR known_on <= s.service_date + replay.grace_days(s.service_date)
                AND known_on <= replay.grace_until(s.service_date))
     ORDER BY s.booking_id;
$$;

CREATE FUNCTION replay.certify(citizen ticket.fiscal_code, band text, channel text, operator text,
                               applies_from date, declarant ticket.fiscal_code, income_year integer,
                               signed_at timestamptz)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM replay.take_snapshot(citizen, applies_from, signed_at::date);
    PERFORM registry.self_certify(citizen, band::ticket.income_band, channel, operator, applies_from,
                                  declarant, income_year, signed_at);
    INSERT INTO replay.expect (kind) VALUES ('declaration');
    PERFORM replay.note_registry_change(citizen, signed_at::date, 'declaration');
END;
$$;

CREATE FUNCTION replay.grant_exemption(citizen ticket.fiscal_code, exemption text, valid_from date,
                                       source text, granted_at timestamptz)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM replay.take_snapshot(citizen, valid_from, granted_at::date);
    PERFORM registry.grant_exemption(citizen, exemption::ticket.exemption, valid_from, source, NULL, granted_at);
    INSERT INTO replay.expect (kind) VALUES ('exemption_granted');
    PERFORM replay.note_registry_change(citizen, granted_at::date, 'exemption_granted');
END;
$$;

CREATE FUNCTION replay.revoke_exemption(citizen ticket.fiscal_code, exemption text, revoked_on date,
                                        reason text, revoked_at timestamptz)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    grant_id bigint;
BEGIN
    SELECT g.grant_id INTO STRICT grant_id FROM registry.exemption_grant g
     WHERE g.fiscal_code = citizen AND g.exemption::text = revoke_exemption.exemption AND g.revoked_on IS NULL
       AND lower(g.valid) <= revoke_exemption.revoked_on AND revoke_exemption.revoked_on < upper(g.valid);
    PERFORM replay.take_snapshot(citizen, revoked_on, revoked_at::date);
    PERFORM registry.revoke_exemption(grant_id, revoked_on, reason, revoked_at);
    INSERT INTO replay.expect (kind) VALUES ('exemption_revoked');
    PERFORM replay.note_registry_change(citizen, revoked_at::date, 'exemption_revoked');
END;
$$;

CREATE FUNCTION replay.book(nre text, service_date date) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    booked cup.booking;
BEGIN
    booked := cup.book(nre, service_date);
    INSERT INTO replay.expect (kind, booking_id, amount) VALUES ('booked', booked.booking_id, booked.amount);
END;
$$;

-- Pay what the desk shows (the booking's amount); a free booking is
-- completed instead.  Nothing to do for a booking already paid or cancelled.
CREATE FUNCTION replay.pay(nre text, channel text, paid_at timestamptz) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    b cup.booking;
    bill replay.bill;
BEGIN
    SELECT * INTO b FROM cup.booking WHERE cup.booking.nre = pay.nre AND status = 'booked';
    IF NOT FOUND THEN
        RETURN;
    END IF;
    bill := replay.bill(b.fiscal_code, (SELECT p.services FROM fse.prescription p WHERE p.nre = b.nre),
                        b.service_date);
    IF b.amount = 0 THEN
        PERFORM cup.complete(b.booking_id);
        INSERT INTO replay.expect (kind, booking_id) VALUES ('done', b.booking_id);
    ELSE
        PERFORM cup.pay(b.booking_id, b.amount, channel, paid_at);
        INSERT INTO replay.expect (kind, booking_id) VALUES ('paid', b.booking_id);
    END IF;
    INSERT INTO replay.paid VALUES (b.booking_id, bill.regime, bill.band, bill.total);
END;
$$;

CREATE FUNCTION replay.complete(nre text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    id bigint;
BEGIN
    SELECT booking_id INTO id FROM cup.booking b WHERE b.nre = complete.nre AND b.status = 'paid';
    IF FOUND THEN
        PERFORM cup.complete(id);
        INSERT INTO replay.expect (kind, booking_id) VALUES ('done', id);
    END IF;
END;
$$;

-- Cancelling a paid booking refunds what was paid and adjusted.
CREATE FUNCTION replay.cancel(nre text, reason text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    b cup.booking;
    refund numeric;
BEGIN
    SELECT * INTO b FROM cup.booking WHERE cup.booking.nre = cancel.nre AND status IN ('booked', 'paid');
    IF NOT FOUND THEN
        RETURN;
    END IF;
    PERFORM cup.cancel(b.booking_id, reason);
    INSERT INTO replay.expect (kind, booking_id) VALUES ('cancelled', b.booking_id);
    IF b.status = 'paid' THEN
        SELECT -(p.total + coalesce((SELECT sum(e.amount) FROM replay.expect e
                                      WHERE e.kind = 'adjustment' AND e.booking_id = b.booking_id), 0))
          INTO refund FROM replay.paid p WHERE p.booking_id = b.booking_id;
        IF refund <> 0 THEN
            INSERT INTO replay.expect (kind, booking_id, amount, reason)
            VALUES ('adjustment', b.booking_id, refund, 'cancellation');
        END IF;
    END IF;
END;
$$;

-- Move an unpaid booking: re-priced on the new date.
CREATE FUNCTION replay.move(nre text, new_date date) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    b cup.booking;
    services text[];
    before numeric;
    after numeric;
BEGIN
    SELECT * INTO b FROM cup.booking WHERE cup.booking.nre = move.nre AND status = 'booked';
    IF NOT FOUND THEN
        RETURN;
    END IF;
    SELECT p.services INTO services FROM fse.prescription p WHERE p.nre = b.nre;
    before := (replay.bill(b.fiscal_code, services, b.service_date)).total;
    PERFORM cup.move(b.booking_id, new_date);
    after := (replay.bill(b.fiscal_code, services, new_date)).total;
    INSERT INTO replay.expect (kind, booking_id) VALUES ('moved', b.booking_id);
    IF after <> before THEN
        INSERT INTO replay.expect (kind, booking_id, amount) VALUES ('repriced', b.booking_id, after);
    END IF;
END;
$$;

--------------------------------------------------------------------------
-- The plan and its executor
--------------------------------------------------------------------------

CREATE TABLE replay.op (
    seq          bigserial PRIMARY KEY,
    op_at        timestamptz NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('certify', 'grant', 'revoke', 'prescribe', 'book', 'pay',
                                               'complete', 'cancel', 'move')),
    citizen      ticket.fiscal_code,
    nre          text,
    band         text,
    channel      text,
    operator     text,
    day          date,          -- applies_from, valid_from, revoked_on, service date, new date
    declarant    ticket.fiscal_code,
    income_year  integer,
    exemption    text,
    source       text,
    services     text[],
    priority     text,
    gp_code      text,
    label        text,          -- a test case: replay.marker gets the booking
    executed     boolean NOT NULL DEFAULT false
);
CREATE INDEX op_pending ON replay.op (op_at, seq) WHERE NOT executed;

-- Everything planned before upto, in date order, as the systems would do it.
CREATE FUNCTION replay.execute(upto timestamptz) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    o replay.op;
    n integer := 0;
BEGIN
    FOR o IN SELECT * FROM replay.op WHERE NOT executed AND op_at < upto ORDER BY op_at, seq LOOP
        CASE o.kind
        WHEN 'certify' THEN
            PERFORM replay.certify(o.citizen, o.band, o.channel, o.operator, o.day, o.declarant,
                                   o.income_year, o.op_at);
        WHEN 'grant' THEN
            PERFORM replay.grant_exemption(o.citizen, o.exemption, o.day, o.source, o.op_at);
        WHEN 'revoke' THEN
            PERFORM replay.revoke_exemption(o.citizen, o.exemption, o.day, o.source, o.op_at);
        WHEN 'prescribe' THEN
            PERFORM fse.prescribe(o.nre, o.citizen, o.gp_code, o.services, o.priority, o.day);
        WHEN 'book' THEN
            PERFORM replay.book(o.nre, o.day);
        WHEN 'pay' THEN
            PERFORM replay.pay(o.nre, o.channel, o.op_at);
        WHEN 'complete' THEN
            PERFORM replay.complete(o.nre);
        WHEN 'cancel' THEN
            PERFORM replay.cancel(o.nre, o.source);
        WHEN 'move' THEN
            PERFORM replay.move(o.nre, o.day);
        END CASE;
        IF o.label IS NOT NULL THEN
            INSERT INTO replay.marker (label, booking_id, citizen)
            SELECT o.label, b.booking_id, coalesce(o.citizen, b.fiscal_code)
              FROM (SELECT NULL) x LEFT JOIN cup.booking b ON b.nre = o.nre AND b.status <> 'cancelled';
        END IF;
        UPDATE replay.op SET executed = true WHERE seq = o.seq;
        n := n + 1;
    END LOOP;
    RETURN n;
END;
$$;

--------------------------------------------------------------------------
-- Planning helpers (random() after setseed(): deterministic)
--------------------------------------------------------------------------

CREATE FUNCTION replay.pick(choices text[]) RETURNS text LANGUAGE sql VOLATILE AS $$
    SELECT choices[1 + floor(random() * cardinality(choices))::integer];
$$;

-- A random day in [first, last].
CREATE FUNCTION replay.day_between(first date, last date) RETURNS date LANGUAGE sql VOLATILE AS $$
    SELECT first + floor(random() * (last - first + 1))::integer;
$$;

-- Office hours in Italy, as a timestamptz.
CREATE FUNCTION replay.at(day date, minutes_after_8 integer) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$
    SELECT (day + time '08:00' + make_interval(mins => minutes_after_8)) AT TIME ZONE 'Europe/Rome';
$$;

-- Service mixes: name, branch, services.  Kept to the rules replay.bill knows.
CREATE TABLE replay.mix (
    mix       text PRIMARY KEY,
    weight    integer NOT NULL,
    services  text[] NOT NULL,
    priority  text
);
INSERT INTO replay.mix VALUES
    ('first visit (cardiology)',        14, '{89.7}', 'D'),
    ('control visit (cardiology)',      10, '{89.01}', NULL),
    ('eye examination',                  6, '{95.02}', 'P'),
    ('visit + ECG',                     12, '{89.7,89.52}', 'D'),
    ('control + ECG + Holter',           6, '{89.01,89.52,89.50}', NULL),
    ('ECG',                              8, '{89.52}', 'B'),
    ('lipids + glucose (under 10)',     10, '{90.43.2,90.27.1}', 'P'),
    ('blood count + HbA1c + lipids',    10, '{90.62.2,90.28.1,90.43.2}', 'P'),
    ('X-ray of ribs',                    6, '{87.43.1}', 'D'),
    ('abdominal ultrasound',             6, '{88.74.1}', 'D'),
    ('MRI of the brain',                 5, '{88.91.1}', 'B'),
    ('CT of the head + X-ray',           3, '{88.01.1,87.43.1}', 'U');

CREATE FUNCTION replay.pick_mix() RETURNS replay.mix LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    target numeric := random() * (SELECT sum(weight) FROM replay.mix);
    m replay.mix;
BEGIN
    FOR m IN SELECT * FROM replay.mix ORDER BY mix LOOP
        target := target - m.weight;
        IF target < 0 THEN
            RETURN m;
        END IF;
    END LOOP;
    RETURN m;
END;
$$;

CREATE SEQUENCE replay.nre_seq;
CREATE FUNCTION replay.next_nre() RETURNS text LANGUAGE sql VOLATILE AS $$
    SELECT '080' || lpad(upper(to_hex(nextval('replay.nre_seq'))), 12, '0');
$$;

-- Plan one prescription and its booking: prescribed and booked at `at`,
-- service on service_date; paid in advance (prepaid), on the service day,
-- or never; completed after payment; maybe cancelled before the service.
CREATE FUNCTION replay.plan_prescription(citizen ticket.fiscal_code, gp text, at timestamptz,
                                         service_date date, p_prepay numeric DEFAULT 0.25,
                                         p_pay numeric DEFAULT 0.85, p_cancel numeric DEFAULT 0.03,
                                         forced_mix text DEFAULT NULL, label text DEFAULT NULL)
RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    m replay.mix;
    nre text := replay.next_nre();
    prescribed date := (at AT TIME ZONE 'Europe/Rome')::date;
    r numeric := random();
    cancel_day date;
BEGIN
    IF forced_mix IS NULL THEN
        m := replay.pick_mix();
    ELSE
        SELECT * INTO STRICT m FROM replay.mix WHERE mix = forced_mix;
    END IF;
    INSERT INTO replay.op (op_at, kind, citizen, nre, day, services, priority, gp_code)
    VALUES (at, 'prescribe', citizen, nre, prescribed, m.services, m.priority, gp);
    INSERT INTO replay.op (op_at, kind, nre, day, label)
    VALUES (at + interval '5 minutes', 'book', nre, service_date, label);
    IF r < p_prepay AND service_date > prescribed THEN
        INSERT INTO replay.op (op_at, kind, nre, channel)
        VALUES (at + interval '10 minutes', 'pay', nre, replay.pick('{cup_desk,cup_desk,pharmacy,online}'));
    ELSIF r < p_pay THEN
        INSERT INTO replay.op (op_at, kind, nre, channel)
        VALUES (replay.at(service_date, floor(random() * 30)::integer), 'pay', nre, 'cup_desk');
    END IF;
    IF random() < 0.5 THEN
        INSERT INTO replay.op (op_at, kind, nre) VALUES (replay.at(service_date, 300), 'complete', nre);
    END IF;
    IF random() < p_cancel AND service_date > prescribed + 1 THEN
        cancel_day := replay.day_between(prescribed + 1, service_date - 1);
        INSERT INTO replay.op (op_at, kind, nre, source)
        VALUES (replay.at(cancel_day, 200), 'cancel', nre, 'cancelled by the patient');
    END IF;
    RETURN nre;
END;
$$;

--------------------------------------------------------------------------
-- The checks at the end of every phase
--------------------------------------------------------------------------

-- Per regime and band: live bookings (count, sum of amounts), refunds and
-- amounts due; from the network (bills as stored) ...
CREATE VIEW replay.totals_network AS
WITH live AS (
    SELECT (b.bill).regime AS regime, coalesce((b.bill).band::text, '-') AS band,
           count(*) AS bookings, sum(b.amount) AS amount
      FROM cup.booking b WHERE b.status <> 'cancelled' GROUP BY 1, 2),
adj AS (
    SELECT (b.bill).regime AS regime, coalesce((b.bill).band::text, '-') AS band,
           coalesce(sum(a.amount) FILTER (WHERE a.amount < 0), 0) AS refunds,
           coalesce(sum(a.amount) FILTER (WHERE a.amount > 0), 0) AS due
      FROM cup.adjustment a JOIN cup.booking b ON b.booking_id = a.booking_id GROUP BY 1, 2)
SELECT regime, band, coalesce(l.bookings, 0) AS bookings, coalesce(l.amount, 0) AS amount,
       coalesce(a.refunds, 0) AS refunds, coalesce(a.due, 0) AS due
  FROM live l FULL JOIN adj a USING (regime, band);

-- ... and independently: unpaid bookings at their replay.bill now, paid
-- ones at the replay.bill noted when paid, adjustments as noted by the
-- wrappers.
CREATE VIEW replay.totals_independent AS
WITH bills AS (
    SELECT b.booking_id, b.status,
           CASE WHEN b.status = 'booked' THEN replay.bill(b.fiscal_code, p.services, b.service_date)
                ELSE (pd.regime, pd.band, pd.total)::replay.bill END AS bill
      FROM cup.booking b JOIN fse.prescription p ON p.nre = b.nre
      LEFT JOIN replay.paid pd ON pd.booking_id = b.booking_id
     WHERE b.status <> 'cancelled' OR pd.booking_id IS NOT NULL),
live AS (
    SELECT (bill).regime AS regime, coalesce((bill).band, '-') AS band, count(*) AS bookings,
           sum((bill).total) AS amount
      FROM bills WHERE status <> 'cancelled' GROUP BY 1, 2),
adj AS (
    SELECT (pd.regime) AS regime, coalesce(pd.band, '-') AS band,
           coalesce(sum(e.amount) FILTER (WHERE e.amount < 0), 0) AS refunds,
           coalesce(sum(e.amount) FILTER (WHERE e.amount > 0), 0) AS due
      FROM replay.expect e JOIN replay.paid pd ON pd.booking_id = e.booking_id
     WHERE e.kind = 'adjustment' GROUP BY 1, 2)
SELECT regime, band, coalesce(l.bookings, 0) AS bookings, coalesce(l.amount, 0) AS amount,
       coalesce(a.refunds, 0) AS refunds, coalesce(a.due, 0) AS due
  FROM live l FULL JOIN adj a USING (regime, band);

CREATE FUNCTION replay.check_phase() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    ph replay.phase;
    diag text;
    n bigint;
    m bigint;
BEGIN
    SELECT * INTO ph FROM replay.phase WHERE phase_no = replay.current_phase();

    SELECT count(*), string_agg(format('%s %s: %s', invariant, subject, detail), '; ')
      INTO n, diag
      FROM (SELECT * FROM ticket.check_consistency() LIMIT 5) c;
    PERFORM replay.ok(n = 0, ph.name || ': ticket.check_consistency() is empty', diag);

    -- Unpaid bookings hold the independent bill (amount, regime, band).
    SELECT count(*), string_agg(format('booking %s holds %s %s %s, independent %s', booking_id, amount,
                                       regime, band, bill), '; ')
      INTO n, diag
      FROM (SELECT b.booking_id, b.amount, (b.bill).regime, (b.bill).band::text AS band,
                   replay.bill(b.fiscal_code, p.services, b.service_date) AS bill
              FROM cup.booking b JOIN fse.prescription p ON p.nre = b.nre
             WHERE b.status = 'booked') x
     WHERE (amount, regime, band) IS DISTINCT FROM ((bill).total, (bill).regime, (bill).band);
    PERFORM replay.ok(n = 0, ph.name || ': every unpaid booking holds the independently computed bill',
                      left(diag, 1500));

    -- Paid bookings paid the independent bill of their payment time.
    SELECT count(*), string_agg(format('booking %s paid %s, independent %s', b.booking_id, b.paid_amount,
                                       pd.total), '; ')
      INTO n, diag
      FROM cup.booking b LEFT JOIN replay.paid pd ON pd.booking_id = b.booking_id
     WHERE b.paid_amount IS NOT NULL
       AND ((b.paid_amount, (b.bill).regime, (b.bill).band::text) IS DISTINCT FROM (pd.total, pd.regime, pd.band));
    PERFORM replay.ok(n = 0, ph.name || ': every paid booking paid the independently computed bill',
                      left(diag, 1500));

    -- Totals per regime and band.
    SELECT count(*), string_agg(format('%s %s', side, t), '; ')
      INTO n, diag
      FROM ((SELECT 'network' AS side, x::text AS t FROM
               (SELECT * FROM replay.totals_network EXCEPT SELECT * FROM replay.totals_independent) x)
            UNION ALL
            (SELECT 'independent', x::text FROM
               (SELECT * FROM replay.totals_independent EXCEPT SELECT * FROM replay.totals_network) x)) d;
    PERFORM replay.ok(n = 0, ph.name || ': totals per regime and band (bookings, amounts, refunds, amounts due) match the independent computation',
                      left(diag, 1500));

    -- Re-pricing events of the phase: booking and new amount.
    SELECT count(*), string_agg(format('%s %s %s', side, booking_id, amount), '; ')
      INTO n, diag
      FROM ((SELECT 'network' AS side, * FROM
               (SELECT ev.subject::bigint AS booking_id, (ev.payload ->> 'new_amount')::numeric AS amount
                  FROM ticket.event ev WHERE ev.event_id >= ph.first_event AND ev.kind = 'repriced'
                EXCEPT ALL
                SELECT e.booking_id, e.amount FROM replay.expect e
                 WHERE e.phase_no = ph.phase_no AND e.kind = 'repriced') x)
            UNION ALL
            (SELECT 'expected', * FROM
               (SELECT e.booking_id, e.amount FROM replay.expect e
                 WHERE e.phase_no = ph.phase_no AND e.kind = 'repriced'
                EXCEPT ALL
                SELECT ev.subject::bigint, (ev.payload ->> 'new_amount')::numeric
                  FROM ticket.event ev WHERE ev.event_id >= ph.first_event AND ev.kind = 'repriced') x)) d;
    SELECT count(*) INTO m FROM replay.expect e WHERE e.phase_no = ph.phase_no AND e.kind = 'repriced';
    PERFORM replay.ok(n = 0, format('%s: the %s repriced events are the bookings whose independent bill changed, with the new amount',
                                    ph.name, m), left(diag, 1500));

    -- Adjustments of the phase: booking, amount, reason; one event each.
    SELECT count(*), string_agg(format('%s %s %s %s', side, booking_id, amount, reason), '; ')
      INTO n, diag
      FROM ((SELECT 'network' AS side, * FROM
               (SELECT a.booking_id, a.amount, a.reason FROM cup.adjustment a
                 WHERE a.adjustment_id >= ph.first_adjustment
                EXCEPT ALL
                SELECT e.booking_id, e.amount, e.reason FROM replay.expect e
                 WHERE e.phase_no = ph.phase_no AND e.kind = 'adjustment') x)
            UNION ALL
            (SELECT 'expected', * FROM
               (SELECT e.booking_id, e.amount, e.reason FROM replay.expect e
                 WHERE e.phase_no = ph.phase_no AND e.kind = 'adjustment'
                EXCEPT ALL
                SELECT a.booking_id, a.amount, a.reason FROM cup.adjustment a
                 WHERE a.adjustment_id >= ph.first_adjustment) x)) d;
    SELECT count(*) INTO m FROM replay.expect e WHERE e.phase_no = ph.phase_no AND e.kind = 'adjustment';
    PERFORM replay.ok(n = 0, format('%s: the %s adjustments are the paid bookings whose independent bill changed inside the grace window (and paid cancellations)',
                                    ph.name, m), left(diag, 1500));
    SELECT count(*) INTO n FROM ticket.event ev
     WHERE ev.event_id >= ph.first_event AND ev.kind = 'adjustment'
       AND EXISTS (SELECT 1 FROM cup.adjustment a WHERE a.adjustment_id::text = ev.subject
                      AND a.adjustment_id >= ph.first_adjustment);
    SELECT count(*) INTO m FROM cup.adjustment a WHERE a.adjustment_id >= ph.first_adjustment;
    PERFORM replay.ok(n = m AND n = (SELECT count(*) FROM ticket.event ev
                                      WHERE ev.event_id >= ph.first_event AND ev.kind = 'adjustment'),
                      ph.name || ': one adjustment event per adjustment of the phase',
                      format('%s events for %s adjustments', n, m));

    -- Every other event kind: as many as the API calls that must produce one.
    SELECT count(*), string_agg(format('%s: network %s, expected %s', kind, got, want), '; ')
      INTO n, diag
      FROM (SELECT kind, count(*) AS got FROM ticket.event
             WHERE event_id >= ph.first_event AND kind NOT IN ('repriced', 'adjustment') GROUP BY kind) g
      FULL JOIN (SELECT kind, count(*) AS want FROM replay.expect
                  WHERE phase_no = ph.phase_no AND kind NOT IN ('repriced', 'adjustment') GROUP BY kind) w
     USING (kind)
     WHERE got IS DISTINCT FROM want;
    PERFORM replay.ok(n = 0, ph.name || ': events of every other kind (declaration, exemption, booked, paid, done, cancelled, moved) match the API calls',
                      diag);
END;
$$;

CREATE FUNCTION replay.count_expect(kind text, only_phase boolean DEFAULT true, sign integer DEFAULT 0,
                                    reason text DEFAULT NULL)
RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT count(*) FROM replay.expect e
     WHERE e.kind = count_expect.kind
       AND (NOT only_phase OR e.phase_no = replay.current_phase())
       AND (sign = 0 OR sign(e.amount) = count_expect.sign)
       AND (count_expect.reason IS NULL OR e.reason = count_expect.reason);
$$;
