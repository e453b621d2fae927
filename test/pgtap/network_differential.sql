-- test/pgtap/network_differential.sql
--
-- The network (0.3), a differential over a populated fixture: 24 citizens
-- with declarations across the regimes (RE bands 2011-2018, QB/QM 2019-2020,
-- none after), same-day corrections, exemption grants and revocations (some
-- before their start), and prescriptions and bookings from 2010 to 2027 in
-- every state, written in an order that makes propagation re-price, adjust
-- and refresh.  For every live booking the single-row path
-- (registry.status_on + ticket.effective_band + ticket.price, and
-- cup.price_for) agrees with the set-wise view cup.booking_expected; the
-- prescription boxes agree with status_on on the prescription date; the FSE
-- profile agrees with fse.profile_expected; unpaid bills are the expected
-- ones and check_consistency() is empty.
--
-- Assumes CREATE EXTENSION ticket CASCADE and pgtap.  Run: pg_prove -d DB test/pgtap/

\set ON_ERROR_STOP 1
BEGIN;
\ir ../fixtures/birthplaces.sql
SET search_path = ticket, public;

INSERT INTO registry.gp (gp_code, fiscal_code, surname, given_name, asl_code)
VALUES ('GP001', ticket.fiscal_code_encode('Bianchi', 'Luca', 'M', '1960-02-03', 'F257'),
        'Bianchi', 'Luca', '080105');

-- 24 citizens: surname x given name x birth date x birthplace, deterministic.
CREATE TEMP TABLE person ON COMMIT DROP AS
SELECT i, ticket.fiscal_code_encode(s, g, x, b, p)::text AS fc, s, g, x, b, p
  FROM (SELECT i,
               (ARRAY['Rossi', 'Bianchi', 'Verdi', 'Neri', 'Gallo', 'Conti'])[1 + i % 6] AS s,
               (ARRAY['Anna', 'Marco', 'Giulia', 'Luca'])[1 + i / 6] AS g,
               (ARRAY['F', 'M', 'F', 'M'])[1 + i / 6] AS x,
               date '1940-01-01' + i * 997 AS b,
               (ARRAY['A944', 'F257', 'H223', 'L219', 'Z129'])[1 + i % 5] AS p
          FROM generate_series(0, 23) i) t;
INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl, gp_code)
SELECT fc, s, g, x, b, p, (ARRAY['080105', '080104', '080103'])[1 + i % 3], 'GP001' FROM person;

-- Services by branch that share a prescription.
CREATE TEMP TABLE rx_kind ON COMMIT DROP AS
SELECT k, services FROM (VALUES (0, ARRAY['88.74.1']), (1, ARRAY['89.52']), (2, ARRAY['89.7']),
                                (3, ARRAY['88.91.1', '88.74.1']), (4, ARRAY['89.52', '89.50', '89.7']),
                                (5, ARRAY['90.62.2', '90.43.2']), (6, ARRAY['89.01'])) v(k, services);

-- Phase 1: six prescriptions per citizen over 2010-2027, booked 5-40 days later.
CREATE TEMP TABLE rx ON COMMIT DROP AS
SELECT p.i, n, '080' || lpad((p.i * 10 + n)::text, 12, '0') AS nre,
       date '2010-03-01' + ((p.i * 37 + n * 1123) % 6200) AS prescribed_on,
       (SELECT services FROM rx_kind WHERE k = (p.i + n) % 7) AS services,
       5 + (p.i * 13 + n * 7) % 36 AS delay
  FROM person p CROSS JOIN generate_series(0, 5) n;
SELECT count(*) AS written FROM (SELECT fse.prescribe(nre, (SELECT fc FROM person WHERE person.i = rx.i)::ticket.fiscal_code, 'GP001', services,
                                                      (ARRAY[NULL, 'B', 'D', 'P'])[1 + (i + n) % 4], prescribed_on)
                                   FROM rx ORDER BY i, n) s \gset
SELECT count(*) AS booked FROM (SELECT cup.book(nre, prescribed_on + delay) FROM rx WHERE n % 2 = 0 ORDER BY i, n) s \gset

-- Phase 2: declarations (in order per citizen), grants.
DO $$
DECLARE
    p record;
BEGIN
    FOR p IN SELECT * FROM person ORDER BY i LOOP
        IF p.i % 4 <> 3 THEN
            PERFORM registry.self_certify(p.fc::ticket.fiscal_code, ('RE' || (1 + p.i % 3))::ticket.income_band, 'cup_desk', 'op1',
                                          (date '2011-09-01' + p.i * 20), NULL, NULL, (date '2011-09-01' + p.i * 20 + p.i % 90)::timestamptz);
        END IF;
        IF p.i % 3 = 0 THEN
            PERFORM registry.self_certify(p.fc::ticket.fiscal_code, ('RE' || (1 + (p.i + 1) % 3))::ticket.income_band, 'fse_online', NULL,
                                          (date '2015-05-01' + p.i * 11), NULL, NULL, (date '2015-05-01' + p.i * 11 + 30)::timestamptz);
        END IF;
        IF p.i % 5 = 0 THEN      -- a same-day correction
            PERFORM registry.self_certify(p.fc::ticket.fiscal_code, 'RE1', 'caf', 'op2',
                                          (date '2015-05-01' + p.i * 11), NULL, NULL, (date '2015-05-01' + p.i * 11 + 31)::timestamptz);
        END IF;
        IF p.i % 2 = 0 THEN
            PERFORM registry.self_certify(p.fc::ticket.fiscal_code, (ARRAY['QB', 'QM'])[1 + p.i % 4 / 2]::ticket.income_band, 'revenue_agency', NULL,
                                          (date '2019-01-01' + p.i * 3), NULL, NULL, (date '2019-01-01' + p.i * 3 + 10)::timestamptz);
        END IF;
        IF p.i % 3 = 1 THEN
            PERFORM registry.grant_exemption(p.fc::ticket.fiscal_code, 'C01', date '2013-01-01' + p.i * 30, 'asl_certificate',
                                             NULL, (date '2013-01-01' + p.i * 30 + 20)::timestamptz);
        END IF;
        IF p.i % 4 = 1 THEN
            PERFORM registry.grant_exemption(p.fc::ticket.fiscal_code, 'E01', date '2016-06-01' + p.i, 'mef_list',
                                             NULL, (date '2016-06-01' + p.i)::timestamptz);
        END IF;
        IF p.i % 5 = 2 THEN
            PERFORM registry.grant_exemption(p.fc::ticket.fiscal_code, 'E99', date '2012-02-01' + p.i * 40, 'self_certification',
                                             date '2012-02-01' + p.i * 40 + 500, (date '2012-02-01' + p.i * 40)::timestamptz);
        END IF;
    END LOOP;
END;
$$;

-- Phase 3: the other half booked; some paid, done, moved, cancelled.
SELECT count(*) AS booked2 FROM (SELECT cup.book(nre, prescribed_on + delay) FROM rx WHERE n % 2 = 1 ORDER BY i, n) s \gset
SELECT count(*) AS paid FROM (SELECT cup.pay(b.booking_id) FROM (SELECT b.*, row_number() OVER (ORDER BY b.nre) AS r FROM cup.booking b) b WHERE b.r % 3 = 0 ORDER BY b.r) s \gset
SELECT count(*) AS done FROM (SELECT cup.complete(b.booking_id) FROM (SELECT b.*, row_number() OVER (ORDER BY b.nre) AS r FROM cup.booking b) b
                               WHERE b.r % 6 = 0 OR (b.status = 'booked' AND b.amount = 0 AND b.r % 2 = 0)
                               ORDER BY b.r) s \gset
SELECT count(*) AS moved FROM (SELECT cup.move(b.booking_id, b.service_date + 200) FROM (SELECT b.*, row_number() OVER (ORDER BY b.nre) AS r FROM cup.booking b) b
                                WHERE b.r % 5 = 1 AND b.status IN ('booked', 'paid') ORDER BY b.r) s \gset
SELECT count(*) AS cancelled FROM (SELECT cup.cancel(b.booking_id) FROM (SELECT b.*, row_number() OVER (ORDER BY b.nre) AS r FROM cup.booking b) b
                                    WHERE b.r % 7 = 2 AND b.status IN ('booked', 'paid') ORDER BY b.r) s \gset

-- Phase 4: revocations (one before its start), later declarations.
SELECT count(*) AS revoked FROM (
    SELECT registry.revoke_exemption(g.grant_id,
                                     CASE WHEN g.r % 2 = 0 THEN lower(g.valid) - 10 ELSE lower(g.valid) + 200 END,
                                     'review', (lower(g.valid) + 230)::timestamptz)
      FROM (SELECT g.*, row_number() OVER (ORDER BY g.fiscal_code::text) AS r FROM registry.exemption_grant g
             WHERE g.exemption = 'C01') g ORDER BY g.r) s \gset
SELECT count(*) AS declared FROM (
    SELECT registry.self_certify(p.fc::ticket.fiscal_code, 'QM', 'fse_online', NULL, date '2020-03-01' + p.i, NULL, NULL,
                                 (date '2020-03-01' + p.i)::timestamptz)
      FROM person p WHERE p.i % 3 = 2 ORDER BY p.i) s \gset

SELECT count(*) AS live FROM cup.booking_expected \gset
SELECT plan(:live + 9);

SELECT is(:live, 128, 'the fixture has 128 live bookings');
SELECT cmp_ok((SELECT count(DISTINCT status)::int FROM cup.booking), '=', 4, 'bookings in all four states');
SELECT cmp_ok((SELECT count(*)::int FROM cup.adjustment), '>', 0, 'propagation created adjustments');
SELECT cmp_ok((SELECT count(*)::int FROM ticket.event WHERE kind = 'repriced'), '>', 0, 'propagation re-priced bookings');

-- One test per live booking: the single-row path against the view.
SELECT is(ROW((cup.price_for(e.fiscal_code, p.services, e.service_date))::text,
              (ticket.price(p.services, ticket.effective_band(s.declared_band, e.service_date), s.exemptions, e.service_date))::text,
              (fse.status(e.fiscal_code, e.service_date)).band::text)::text,
          ROW(e.expected_bill::text, e.expected_bill::text, ticket.effective_band(s.declared_band, e.service_date)::text)::text,
          format('booking %s (%s, %s on %s)', e.booking_id, e.status, e.fiscal_code, e.service_date))
  FROM cup.booking_expected e
  JOIN cup.booking b USING (booking_id)
  JOIN fse.prescription p ON p.nre = b.nre
 CROSS JOIN LATERAL registry.status_on(e.fiscal_code, e.service_date) s
 ORDER BY e.booking_id;

SELECT is((SELECT count(*)::int FROM cup.booking_expected WHERE status = 'booked' AND bill IS DISTINCT FROM expected_bill), 0,
          'every unpaid booking holds the expected bill');
SELECT is((SELECT count(*)::int FROM fse.prescription p
            CROSS JOIN LATERAL registry.status_on(p.fiscal_code, p.prescribed_on) s
            WHERE (p.band, p.exemptions) IS DISTINCT FROM (ticket.effective_band(s.declared_band, p.prescribed_on), s.exemptions)), 0,
          'every prescription box agrees with status_on on its date');
SELECT is((SELECT count(*)::int FROM fse.profile_expected e FULL JOIN fse.profile p USING (fiscal_code)
            WHERE (p.declaration_id, p.band, p.band_from, p.exemptions) IS DISTINCT FROM (e.declaration_id, e.band, e.band_from, e.exemptions)), 0,
          'every FSE profile agrees with fse.profile_expected');
SELECT is((SELECT count(*)::int FROM cup.booking b JOIN fse.prescription p USING (nre)
            WHERE b.status = 'booked'
              AND b.bill IS DISTINCT FROM cup.price_for(b.fiscal_code, p.services, b.service_date)), 0,
          'every unpaid bill is cup.price_for of its service date');
SELECT results_eq($$SELECT invariant, subject FROM ticket.check_consistency()$$,
                  $$SELECT NULL::text, NULL::text WHERE false$$, 'check_consistency() is empty');

SELECT * FROM finish();
ROLLBACK;
