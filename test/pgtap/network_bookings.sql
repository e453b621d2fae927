-- test/pgtap/network_bookings.sql
--
-- The network (0.3), cup.booking: priced at insert with the registry of the
-- service date, the status rules (TK013, each forbidden transition), paying
-- the amount shown (TK014), payment freezes the amount, moving re-prices an
-- unpaid booking and keeps a paid one, cancelling a paid booking refunds it,
-- done only when paid or free, bill and payment filled in by CUP (428C9),
-- immutable columns and no DELETE (TK018), no service before its
-- prescription, and rule changes: a user regime re-prices the unpaid
-- bookings when the deferred trigger fires (SET CONSTRAINTS ALL IMMEDIATE)
-- and leaves the paid ones.
--
-- Assumes CREATE EXTENSION ticket CASCADE and pgtap.  Run: pg_prove -d DB test/pgtap/

\set ON_ERROR_STOP 1
BEGIN;
\ir ../fixtures/birthplaces.sql
SET search_path = ticket, public;

SELECT plan(89);

INSERT INTO registry.gp (gp_code, fiscal_code, surname, given_name, asl_code)
VALUES ('GP001', ticket.fiscal_code_encode('Bianchi', 'Luca', 'M', '1960-02-03', 'F257'),
        'Bianchi', 'Luca', '080105');

CREATE FUNCTION pg_temp.citizen(surname text, given_name text, sex text, birth_date date,
                                birthplace text DEFAULT 'A944')
RETURNS text LANGUAGE sql AS $$
    INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace,
                                  residence_asl, gp_code)
    VALUES (ticket.fiscal_code_encode(surname, given_name, sex, birth_date, birthplace),
            surname, given_name, sex, birth_date, birthplace, '080105', 'GP001')
    RETURNING fiscal_code::text $$;

-- Writes prescription NRE 080 + n (12 digits) for a citizen; returns the NRE.
CREATE FUNCTION pg_temp.rx(n int, citizen text, services text[], prescribed_on date)
RETURNS text LANGUAGE sql AS $$
    SELECT (fse.prescribe('080' || lpad(n::text, 12, '0'), citizen::ticket.fiscal_code, 'GP001', services,
                          NULL, prescribed_on)).nre $$;

SELECT pg_temp.citizen('Rossi', 'Mario', 'M', '1970-05-10') AS mario,
       pg_temp.citizen('Costa', 'Elena', 'F', '1965-08-08') AS elena,
       pg_temp.citizen('Neri', 'Bruno', 'M', '1968-04-04') AS bruno \gset
SELECT (registry.self_certify(:'mario', 'RE2', 'cup_desk', 'op1', '2015-01-01', NULL, NULL, '2015-01-01')).declaration_id AS d1 \gset
SELECT (registry.self_certify(:'mario', 'RE3', 'cup_desk', 'op1', '2015-06-01', NULL, NULL, '2015-05-01')).declaration_id AS d2 \gset
SELECT (registry.self_certify(:'bruno', 'RE3', 'cup_desk', 'op1', '2011-08-29', NULL, NULL, '2011-08-29')).declaration_id AS d0 \gset
-- 88.74.1 (exam 45.00): 2011-2018 RE2 41.15, RE3 46.15, RE1 36.15; 2019 RE2 charged QB 36.15 (S15 S48)
SELECT pg_temp.rx(1, :'mario', ARRAY['88.74.1'], '2015-05-01') AS rx1,
       pg_temp.rx(2, :'mario', ARRAY['88.74.1'], '2015-05-01') AS rx2,
       pg_temp.rx(3, :'mario', ARRAY['88.74.1'], '2015-05-01') AS rx3,
       pg_temp.rx(4, :'mario', ARRAY['88.74.1'], '2015-05-01') AS rx4,
       pg_temp.rx(5, :'bruno', ARRAY['88.74.1'], '2011-09-01') AS rx5,
       pg_temp.rx(6, :'mario', ARRAY['88.74.1'], '2018-12-01') AS rx6,
       pg_temp.rx(7, :'mario', ARRAY['88.74.1'], '2018-12-01') AS rx7,
       pg_temp.rx(8, :'elena', ARRAY['89.52'], '2015-05-01') AS rx8 \gset
SELECT registry.grant_exemption(:'elena', 'C01', '2015-01-01', 'asl_certificate', NULL, '2015-01-01') IS NOT NULL AS g \gset
SELECT pg_temp.rx(9, :'elena', ARRAY['89.52'], '2015-05-01') AS rx9 \gset

--------------------------------------------------------------------------
-- 1. Booking
--------------------------------------------------------------------------
SELECT coalesce(max(event_id), 0) AS ev0 FROM ticket.event \gset
SELECT (cup.book(:'rx1', '2015-06-10')).booking_id AS b1 \gset
SELECT results_eq(
    format($$SELECT fiscal_code::text, asl_code, status, amount, bill FROM cup.booking WHERE booking_id = %s$$, :b1),
    format($$SELECT '%s'::text, '080105'::text, 'booked'::text, 46.15::numeric(8,2),
                    ticket.price(ARRAY['88.74.1'], 'RE3', '{}', '2015-06-10')$$, :'mario'),
    'a booking: the patient, the residence ASL, priced with the band of the service date (RE3, not the RE2 of the prescription)');
SELECT is((SELECT band::text FROM fse.prescription WHERE nre = :'rx1'), 'RE2', '... while the prescription box says RE2');
SELECT results_eq(
    format($$SELECT kind, subject, payload FROM ticket.event WHERE event_id > %s$$, :ev0),
    format($$VALUES ('booked'::text, '%s'::text, jsonb_build_object('nre', '%s', 'service_date', '2015-06-10', 'asl', '080105',
                                                                    'amount', 46.15, 'regime', 'ER-2012-02-01'))$$, :b1, :'rx1'),
    'the booked event');
SELECT is((cup.book(:'rx2', '2015-05-20', '080104')).asl_code, '080104', 'another ASL can be chosen');
SELECT (SELECT booking_id FROM cup.booking WHERE nre = :'rx2') AS b2 \gset
SELECT is((SELECT amount FROM cup.booking WHERE booking_id = :b2), 41.15::numeric(8,2), 'before the RE3 declaration: RE2');
SELECT throws_ok(format($$SELECT cup.book('%s', '2015-06-11')$$, :'rx1'), '23505', NULL,
                 'a second live booking of one prescription (23505)');
SELECT throws_ok($$SELECT cup.book('080999999999999', '2015-06-11')$$, '23503',
                 'prescription 080999999999999 does not exist', 'a prescription that does not exist (23503)');
SELECT throws_ok(format($$SELECT cup.book('%s', '2015-04-30')$$, :'rx3'), '22023',
                 format('booking on 2015-04-30 of prescription %s written on 2015-05-01: a service cannot precede its prescription', :'rx3'),
                 'a service before its prescription (22023)');
SELECT throws_ok(format($$SELECT cup.book('%s', '2015-06-11', '999999')$$, :'rx3'), '23503', NULL, 'an unknown ASL (23503)');
SELECT throws_ok(format($$INSERT INTO cup.booking (nre, service_date, status) VALUES ('%s', '2015-06-11', 'paid')$$, :'rx3'),
                 'TK013', 'a booking starts as booked, not paid', 'a booking inserted as paid (TK013)');
SELECT throws_ok(format($$INSERT INTO cup.booking (nre, service_date, bill) VALUES ('%s', '2015-06-11', ticket.price(ARRAY['88.74.1'], NULL, NULL, '2015-06-11'))$$, :'rx3'),
                 '428C9', 'the bill and the payment of a booking are filled in by CUP', 'a hand-written bill (428C9)');
SELECT throws_ok(format($$INSERT INTO cup.booking (nre, service_date, paid_amount, paid_at) VALUES ('%s', '2015-06-11', 1, now())$$, :'rx3'),
                 '428C9', NULL, 'a hand-written payment (428C9)');
SELECT throws_ok(format($$INSERT INTO cup.booking (nre, fiscal_code, service_date) VALUES ('%s', '%s', '2015-06-11')$$, :'rx3', :'elena'),
                 '22023', format('prescription %s is for %s, not %s', :'rx3', :'mario', :'elena'),
                 'a booking for another patient than the prescription''s (22023)');

--------------------------------------------------------------------------
-- 2. Paying
--------------------------------------------------------------------------
SELECT (cup.book(:'rx3', '2015-06-15')).booking_id AS b3 \gset
-- shown 46.15; then the citizen declares RE1 from 2015-06-01
SELECT (registry.self_certify(:'mario', 'RE1', 'cup_desk', 'op1', '2015-06-01', NULL, NULL, '2015-06-02')).declaration_id AS d3 \gset
SELECT throws_ok(format($$SELECT cup.pay(%s, 46.15)$$, :b3), 'TK014', format('booking %s costs 36.15, not 46.15', :b3),
                 'paying the amount shown before a declaration changed it (TK014)');
SELECT is((SELECT status FROM cup.booking WHERE booking_id = :b3), 'booked', '... the booking stays unpaid');
SELECT coalesce(max(event_id), 0) AS ev1 FROM ticket.event \gset
SELECT lives_ok(format($$SELECT cup.pay(%s, 36.15, 'pharmacy', '2015-06-03 10:00+00')$$, :b3), 'paying the new amount');
SELECT results_eq(
    format($$SELECT status, paid_amount, paid_at, payment_channel FROM cup.booking WHERE booking_id = %s$$, :b3),
    $$VALUES ('paid'::text, 36.15::numeric(8,2), '2015-06-03 10:00+00'::timestamptz, 'pharmacy'::text)$$,
    'the payment is recorded');
SELECT results_eq(
    format($$SELECT kind, payload FROM ticket.event WHERE event_id > %s$$, :ev1),
    $$VALUES ('paid'::text, '{"from": "booked", "amount": 36.15, "paid_amount": 36.15}'::jsonb)$$,
    'the paid event');
SELECT throws_ok($$SELECT cup.pay(-1)$$, 'P0002', 'booking -1 does not exist', 'paying a booking that does not exist (P0002)');
-- A later declaration in 2015, outside the 2011 transition: the payment is final (S3 S4 S5).
SELECT (registry.self_certify(:'mario', 'RE3', 'cup_desk', 'op1', '2015-06-01', NULL, NULL, '2015-09-01')).declaration_id AS d4 \gset
SELECT results_eq(
    format($$SELECT amount, paid_amount, (bill).band::text FROM cup.booking WHERE booking_id = %s$$, :b3),
    $$VALUES (36.15::numeric(8,2), 36.15::numeric(8,2), 'RE1'::text)$$,
    'payment freezes the bill: a later declaration does not change it');
SELECT is((SELECT count(*)::int FROM cup.adjustment WHERE booking_id = :b3), 0, '... and outside the 2011 transition adds no adjustment');
SELECT is((SELECT amount FROM cup.booking WHERE booking_id = :b1), 46.15::numeric(8,2), 'the unpaid booking followed (RE3 again)');
SELECT lives_ok(format($$SELECT cup.pay(%s)$$, :b1), 'paying without an expected amount pays the current one');
SELECT is((SELECT paid_amount FROM cup.booking WHERE booking_id = :b1), 46.15::numeric(8,2), '... 46.15');

--------------------------------------------------------------------------
-- 3. Status rules
--------------------------------------------------------------------------
SELECT throws_ok(format($$UPDATE cup.booking SET status = 'booked' WHERE booking_id = %s$$, :b1), 'TK013',
                 format('booking %s cannot go from paid to booked', :b1), 'paid -> booked (TK013)');
SELECT throws_ok(format($$SELECT cup.complete(%s)$$, :b2), 'TK013',
                 format('booking %s owes 41.15: it must be paid before it is done', :b2), 'booked -> done with something owed (TK013)');
SELECT lives_ok(format($$SELECT cup.complete(%s)$$, :b1), 'paid -> done');
SELECT throws_ok(format($$SELECT cup.cancel(%s)$$, :b1), 'TK013', format('booking %s is done: it cannot change', :b1),
                 'done -> cancelled (TK013)');
SELECT throws_ok(format($$UPDATE cup.booking SET status = 'paid' WHERE booking_id = %s$$, :b1), 'TK013', NULL, 'done -> paid (TK013)');
SELECT throws_ok(format($$UPDATE cup.booking SET status = 'booked' WHERE booking_id = %s$$, :b1), 'TK013', NULL, 'done -> booked (TK013)');
SELECT throws_ok(format($$SELECT cup.move(%s, '2015-07-01')$$, :b1), 'TK013', NULL, 'moving a done booking (TK013)');
SELECT throws_ok(format($$UPDATE cup.booking SET cancel_reason = 'x' WHERE booking_id = %s$$, :b1), 'TK013', NULL,
                 'any change to a done booking (TK013)');

SELECT lives_ok(format($$SELECT cup.cancel(%s, 'no longer needed')$$, :b2), 'booked -> cancelled');
SELECT results_eq(
    format($$SELECT status, cancel_reason, cancelled_at IS NOT NULL, paid_amount FROM cup.booking WHERE booking_id = %s$$, :b2),
    $$VALUES ('cancelled'::text, 'no longer needed'::text, true, NULL::numeric(8,2))$$,
    'a cancelled booking keeps its history');
SELECT is((SELECT count(*)::int FROM cup.adjustment WHERE booking_id = :b2), 0, 'cancelling an unpaid booking refunds nothing');
SELECT throws_ok(format($$SELECT cup.cancel(%s)$$, :b2), 'TK013', format('booking %s is cancelled: it cannot change', :b2),
                 'cancelled -> cancelled (TK013)');
SELECT throws_ok(format($$SELECT cup.pay(%s)$$, :b2), 'TK013',
                 format('booking %s is cancelled: only a booked booking can be paid', :b2), 'cancelled -> paid (TK013)');
SELECT throws_ok(format($$SELECT cup.complete(%s)$$, :b2), 'TK013', NULL, 'cancelled -> done (TK013)');
SELECT throws_ok(format($$UPDATE cup.booking SET status = 'booked', cancelled_at = NULL WHERE booking_id = %s$$, :b2), 'TK013', NULL,
                 'cancelled -> booked (TK013)');
SELECT throws_ok(format($$SELECT cup.move(%s, '2015-07-01')$$, :b2), 'TK013', NULL, 'moving a cancelled booking (TK013)');
SELECT lives_ok(format($$SELECT cup.book('%s', '2015-07-01')$$, :'rx2'), 'the prescription can be booked again');

-- Free bookings: done without paying.
SELECT (cup.book(:'rx9', '2015-06-10')).booking_id AS bfree \gset
SELECT is((SELECT amount FROM cup.booking WHERE booking_id = :bfree), 0.00::numeric(8,2), 'an exempt booking costs nothing');
SELECT lives_ok(format($$SELECT cup.complete(%s)$$, :bfree), 'booked -> done when free');
SELECT results_eq(
    format($$SELECT status, paid_amount, paid_at IS NOT NULL FROM cup.booking WHERE booking_id = %s$$, :bfree),
    $$VALUES ('done'::text, 0.00::numeric(8,2), true)$$, '... recorded as paid 0.00');

-- Cancelling paid bookings: refunds.
SELECT (cup.book(:'rx4', '2015-06-20')).booking_id AS b4 \gset
SELECT (cup.pay(:b4)).paid_amount AS b4_paid \gset
SELECT throws_ok(format($$SELECT cup.pay(%s)$$, :b4), 'TK013',
                 format('booking %s is paid: only a booked booking can be paid', :b4),
                 'paying a paid booking again, even in the same transaction (TK013)');
SELECT is((SELECT paid_amount FROM cup.booking WHERE booking_id = :b4), :b4_paid, '... the payment stays as it was');
SELECT coalesce(max(event_id), 0) AS ev2 FROM ticket.event \gset
SELECT lives_ok(format($$SELECT cup.cancel(%s, 'patient asked')$$, :b4), 'paid -> cancelled');
SELECT results_eq(
    format($$SELECT amount, reason FROM cup.adjustment WHERE booking_id = %s$$, :b4),
    $$VALUES (-46.15::numeric(8,2), 'cancellation'::text)$$, 'a refund of what was paid');
SELECT results_eq(
    format($$SELECT kind, payload FROM ticket.event WHERE event_id > %s ORDER BY event_id$$, :ev2),
    format($$VALUES ('cancelled'::text, '{"from": "paid", "amount": 46.15, "paid_amount": 46.15}'::jsonb),
                    ('adjustment', jsonb_build_object('booking_id', %s, 'amount', -46.15, 'reason', 'cancellation'))$$, :b4),
    'cancelled and adjustment events');
-- paid, adjusted inside the 2011 transition (S3 S4 S5), then cancelled: the
-- refund nets the adjustment
SELECT (cup.book(:'rx5', '2011-09-10')).booking_id AS b5 \gset
SELECT (cup.pay(:b5)).paid_amount AS b5_paid \gset
SELECT (registry.self_certify(:'bruno', 'RE2', 'cup_desk', 'op1', '2011-09-01', NULL, NULL, '2011-09-20')).declaration_id AS d5 \gset
SELECT is((SELECT sum(amount) FROM cup.adjustment WHERE booking_id = :b5), -5.00::numeric,
          'S3 S4 S5: paid 46.15 in September 2011, now RE2 (signed 2011-09-20): -5.00 adjusted');
SELECT lives_ok(format($$SELECT cup.cancel(%s)$$, :b5), 'cancelling it');
SELECT is((SELECT sum(amount) FROM cup.adjustment WHERE booking_id = :b5), -46.15::numeric,
          '... refunds the remaining 41.15: paid and adjusted together come back');
SELECT is((SELECT count(*)::int FROM cup.adjustment WHERE booking_id = :bfree), 0, 'a free booking never gets an adjustment');
-- Mario back to RE2 from July 2015 (for the moves below).
SELECT (registry.self_certify(:'mario', 'RE2', 'cup_desk', 'op1', '2015-07-01', NULL, NULL, '2015-07-20')).declaration_id AS d6 \gset

--------------------------------------------------------------------------
-- 4. Moving
--------------------------------------------------------------------------
SELECT (cup.book(:'rx6', '2018-12-20')).booking_id AS b6 \gset
SELECT (cup.book(:'rx7', '2018-12-21')).booking_id AS b7 \gset
SELECT (cup.pay(:b7)).paid_amount AS b7_paid \gset
SELECT is((SELECT amount FROM cup.booking WHERE booking_id = :b6), 41.15::numeric(8,2), 'RE2 in 2018');
SELECT coalesce(max(event_id), 0) AS ev3 FROM ticket.event \gset
SELECT lives_ok(format($$SELECT cup.move(%s, '2019-03-10')$$, :b6), 'moving an unpaid booking into 2019');
SELECT results_eq(
    format($$SELECT service_date, amount, (bill).regime FROM cup.booking WHERE booking_id = %s$$, :b6),
    $$VALUES ('2019-03-10'::date, 36.15::numeric(8,2), 'ER-2019-01-01'::text)$$,
    '... re-prices it with the rules and the registry of the new date (S15 S48: RE2 charged QB in 2019)');
SELECT results_eq(
    format($$SELECT kind, payload FROM ticket.event WHERE event_id > %s ORDER BY event_id$$, :ev3),
    $$VALUES ('moved'::text, '{"from": "2018-12-20", "to": "2019-03-10"}'::jsonb),
             ('repriced', '{"old_amount": 41.15, "new_amount": 36.15, "service_date": "2019-03-10", "regime": "ER-2019-01-01"}')$$,
    'moved and repriced events');
SELECT lives_ok(format($$SELECT cup.move(%s, '2019-03-11')$$, :b7), 'moving a paid booking');
SELECT results_eq(
    format($$SELECT service_date, amount, paid_amount, (bill).regime FROM cup.booking WHERE booking_id = %s$$, :b7),
    $$VALUES ('2019-03-11'::date, 41.15::numeric(8,2), 41.15::numeric(8,2), 'ER-2012-02-01'::text)$$,
    '... keeps its bill and its payment');
SELECT throws_ok(format($$SELECT cup.move(%s, '2018-11-30')$$, :b6), '22023', NULL, 'moving before the prescription (22023)');
SELECT throws_ok($$SELECT cup.move(-1, '2019-03-10')$$, 'P0002', NULL, 'moving a booking that does not exist (P0002)');

--------------------------------------------------------------------------
-- 5. Written by CUP only
--------------------------------------------------------------------------
SELECT throws_ok(format($$UPDATE cup.booking SET bill = ticket.price(ARRAY['88.74.1'], NULL, NULL, '2015-03-10') WHERE booking_id = %s$$, :b6),
                 '428C9', format('booking %s: the bill and the payment are filled in by CUP', :b6), 'a hand-written bill (428C9)');
SELECT throws_ok(format($$UPDATE cup.booking SET paid_amount = 1, paid_at = now() WHERE booking_id = %s$$, :b6),
                 '428C9', NULL, 'a hand-written payment without a status change (428C9)');
SELECT throws_ok(format($$UPDATE cup.booking SET paid_amount = 1 WHERE booking_id = %s$$, :b7),
                 '428C9', NULL, 'changing the payment of a paid booking (428C9)');
SELECT throws_ok(format($$UPDATE cup.booking SET nre = '%s' WHERE booking_id = %s$$, :'rx3', :b6),
                 'TK018', format('booking %s: the prescription, the patient and the booking time cannot change', :b6),
                 'changing the prescription (TK018)');
SELECT throws_ok(format($$UPDATE cup.booking SET fiscal_code = '%s' WHERE booking_id = %s$$, :'elena', :b6), 'TK018', NULL,
                 'changing the patient (TK018)');
SELECT throws_ok(format($$UPDATE cup.booking SET booked_at = booked_at - interval '1 day' WHERE booking_id = %s$$, :b6), 'TK018', NULL,
                 'changing the booking time (TK018)');
SELECT throws_ok(format($$UPDATE cup.booking SET booking_id = -5 WHERE booking_id = %s$$, :b6), 'TK018', NULL,
                 'changing the id (TK018)');
SELECT throws_ok(format($$DELETE FROM cup.booking WHERE booking_id = %s$$, :b2), 'TK018',
                 format('booking %s is history: it cannot be deleted', :b2), 'deleting a booking (TK018)');
SELECT is((SELECT count(*)::int FROM ticket.check_consistency()), 0, 'check_consistency() is empty');

--------------------------------------------------------------------------
-- 6. Rule changes
--------------------------------------------------------------------------
SELECT pg_temp.rx(20, :'elena', ARRAY['88.74.1'], '2027-02-01') AS rx20,
       pg_temp.rx(21, :'elena', ARRAY['88.74.1'], '2027-02-01') AS rx21 \gset
SELECT (cup.book(:'rx20', '2027-03-01')).booking_id AS b20,
       (cup.book(:'rx21', '2027-03-02')).booking_id AS b21 \gset
SELECT lives_ok(format($$SELECT cup.pay(%s)$$, :b21), 'a paid booking in 2027');
SELECT results_eq(
    format($$SELECT booking_id, amount, (bill).regime FROM cup.booking WHERE booking_id IN (%s, %s) ORDER BY booking_id$$, :b20, :b21),
    format($$VALUES (%s::bigint, 0.00::numeric(8,2), 'ER-2025-05-02'::text), (%s, 0.00, 'ER-2025-05-02')$$, :b20, :b21),
    'C01 is open-ended: both free under the 2025 rules');
SELECT pg_temp.citizen('Nuovi', 'Pia', 'F', '1990-09-09') AS pia \gset
SELECT pg_temp.rx(22, :'pia', ARRAY['88.74.1'], '2027-02-01') AS rx22,
       pg_temp.rx(23, :'pia', ARRAY['88.74.1'], '2027-02-01') AS rx23 \gset
SELECT (cup.book(:'rx22', '2027-03-01')).booking_id AS b22,
       (cup.book(:'rx23', '2027-03-02')).booking_id AS b23 \gset
SELECT (cup.pay(:b23)).paid_amount AS b23_paid \gset
SELECT coalesce(max(event_id), 0) AS ev4 FROM ticket.event \gset
INSERT INTO ticket.regime (regime_id, effective_from, legal_reference, description, specialist_cap, first_visit,
                           control_visit, ct_mri, ambulatory_surgery, er_access, er_chargeable_codes)
VALUES ('ER-2027-01-01', '2027-01-01', 'DGR draft', 'cap 30', 30.00, 20.00, 15.00, 30.00, 30.00, 25.00, '{PS-WHITE,PS-GREEN}');
SELECT is((SELECT amount FROM cup.booking WHERE booking_id = :b22), 36.15::numeric(8,2),
          'a regime inserted: the unpaid booking waits for the deferred trigger');
SET CONSTRAINTS ALL IMMEDIATE;
SELECT results_eq(
    format($$SELECT booking_id, amount, (bill).regime FROM cup.booking WHERE booking_id IN (%s, %s) ORDER BY booking_id$$, :b22, :b23),
    format($$VALUES (%s::bigint, 30.00::numeric(8,2), 'ER-2027-01-01'::text), (%s, 36.15, 'ER-2025-05-02')$$, :b22, :b23),
    'SET CONSTRAINTS ALL IMMEDIATE: the unpaid booking is re-priced with the new regime, the paid one is left');
SELECT bag_eq(
    format($$SELECT kind, subject, payload FROM ticket.event WHERE event_id > %s$$, :ev4),
    format($$VALUES ('repriced'::text, '%s'::text, '{"old_amount": 36.15, "new_amount": 30.00, "service_date": "2027-03-01", "regime": "ER-2027-01-01"}'::jsonb),
                    ('repriced', '%s', '{"old_amount": 0.00, "new_amount": 30.00, "service_date": "2027-03-01", "regime": "ER-2027-01-01"}')$$,
           :b22, :b20),
    'one repriced event per unpaid booking (the draft has no exemption rules: C01 no longer covers)');
SELECT is((SELECT amount FROM cup.booking WHERE booking_id = :b21), 0.00::numeric(8,2), '... the paid exempt booking is left too');
SELECT is((SELECT count(*)::int FROM cup.adjustment WHERE booking_id = :b23), 0, 'a rule change adjusts no paid booking');
SELECT is((SELECT count(*)::int FROM ticket.check_consistency()), 0, 'check_consistency() is empty after the rule change');

-- Now in IMMEDIATE mode: a further change re-prices at the end of its statement.
UPDATE ticket.regime SET specialist_cap = 25.00 WHERE regime_id = 'ER-2027-01-01';
SELECT is((SELECT amount FROM cup.booking WHERE booking_id = :b22), 25.00::numeric(8,2),
          'IMMEDIATE mode: a changed regime re-prices with the new rules');
SELECT pg_temp.rx(24, :'pia', ARRAY['88.74.1'], '2028-02-01') AS rx24 \gset
SELECT (cup.book(:'rx24', '2028-03-01')).booking_id AS b24 \gset
INSERT INTO ticket.regime (regime_id, effective_from, legal_reference, description, specialist_cap, first_visit,
                           control_visit, ct_mri, ambulatory_surgery, er_access, er_chargeable_codes)
VALUES ('ER-2028-01-01', '2028-01-01', 'DGR draft', 'cap 28', 28.00, 20.00, 15.00, 30.00, 30.00, 25.00, '{PS-WHITE,PS-GREEN}');
SELECT results_eq(
    format($$SELECT amount, (bill).regime FROM cup.booking WHERE booking_id = %s$$, :b24),
    $$VALUES (28.00::numeric(8,2), 'ER-2028-01-01'::text)$$,
    'IMMEDIATE mode: a regime inserted re-prices with the new rules');

-- Two firings inside one top-level statement.
SELECT pg_temp.rx(25, :'pia', ARRAY['88.74.1'], '2029-02-01') AS rx25 \gset
SELECT (cup.book(:'rx25', '2029-03-01')).booking_id AS b25 \gset
DO $$
BEGIN
    SET CONSTRAINTS ALL DEFERRED;
    INSERT INTO ticket.regime (regime_id, effective_from, legal_reference, description, specialist_cap, first_visit,
                               control_visit, ct_mri, ambulatory_surgery, er_access, er_chargeable_codes)
    VALUES ('ER-2029-01-01', '2029-01-01', 'DGR draft', 'cap 29', 29.00, 20.00, 15.00, 30.00, 30.00, 25.00, '{PS-WHITE,PS-GREEN}');
    SET CONSTRAINTS ALL IMMEDIATE;
    SET CONSTRAINTS ALL DEFERRED;
    UPDATE ticket.regime SET specialist_cap = 27.00 WHERE regime_id = 'ER-2029-01-01';
    SET CONSTRAINTS ALL IMMEDIATE;
END;
$$;
SELECT is((SELECT amount FROM cup.booking WHERE booking_id = :b25), 27.00::numeric(8,2),
          'two firings in one DO block: the second change re-prices too');

-- A regime without bands in 2016: the bills and the band boxes follow.
SET CONSTRAINTS ALL DEFERRED;
SELECT pg_temp.rx(26, :'mario', ARRAY['88.74.1'], '2016-03-01') AS rx26 \gset
SELECT (cup.book(:'rx26', '2016-03-02')).booking_id AS b26 \gset
SELECT is((SELECT band::text FROM fse.prescription WHERE nre = :'rx26'), 'RE2', 'the 2016 prescription box says RE2');
INSERT INTO ticket.regime (regime_id, effective_from, legal_reference, description, specialist_cap, first_visit,
                           control_visit, ct_mri, ambulatory_surgery, er_access, er_chargeable_codes)
VALUES ('ER-2016-01-01', '2016-01-01', 'DGR draft', 'no bands', 30.00, 20.00, 15.00, 30.00, 30.00, 25.00, '{PS-WHITE,PS-GREEN}');
SET CONSTRAINTS ALL IMMEDIATE;
SELECT is((SELECT amount FROM cup.booking WHERE booking_id = :b26), 30.00::numeric(8,2),
          'a regime without bands: the unpaid 2016 booking is re-priced');
SELECT is((SELECT band::text FROM fse.prescription WHERE nre = :'rx26'), NULL,
          'a rule change refreshes the prescription band boxes (the regime charges no band)');
SELECT is((SELECT count(*)::int FROM ticket.check_consistency()), 0, 'check_consistency() is empty at the end');

--------------------------------------------------------------------------
-- 7. Payments and bills written around the rules (last: a failure here
--    leaves a damaged booking behind)
--------------------------------------------------------------------------
SELECT pg_temp.rx(30, :'mario', ARRAY['88.74.1'], '2015-05-01') AS rx30,
       pg_temp.rx(31, :'mario', ARRAY['88.74.1'], '2015-05-01') AS rx31,
       pg_temp.rx(32, :'mario', ARRAY['88.74.1'], '2015-05-01') AS rx32 \gset
SELECT (cup.book(:'rx30', '2015-07-15')).booking_id AS b30,
       (cup.book(:'rx31', '2015-07-16')).booking_id AS b31,
       (cup.book(:'rx32', '2015-07-17')).booking_id AS b32 \gset
SELECT (cup.pay(:b30)).paid_amount AS b30_paid, (cup.pay(:b31)).paid_amount AS b31_paid \gset
-- The payment rides along no status change either.
SELECT throws_ok(format($$UPDATE cup.booking SET status = 'cancelled', paid_amount = 1000 WHERE booking_id = %s$$, :b30),
                 '428C9', NULL, 'paid -> cancelled with a hand-written paid_amount (428C9)');
SELECT is((SELECT count(*)::int FROM cup.adjustment WHERE booking_id = :b30 AND amount < -41.15), 0,
          '... and no refund larger than the payment');
SELECT throws_ok(format($$UPDATE cup.booking SET status = 'done', paid_amount = 0 WHERE booking_id = %s AND status = 'paid'$$, :b31),
                 '428C9', NULL, 'paid -> done with a hand-written paid_amount (428C9)');

-- An application trigger that writes to cup.booking is checked like anyone else.
CREATE TEMP TABLE app_inbox (booking_id bigint);
CREATE FUNCTION pg_temp.app_inbox() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cup.booking SET bill = ROW(0, 0, 0, (bill).regime, (bill).band, (bill).exemption, 'free')::ticket.bill
     WHERE booking_id = NEW.booking_id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER app_inbox AFTER INSERT ON app_inbox FOR EACH ROW EXECUTE FUNCTION pg_temp.app_inbox();
SELECT throws_ok(format($$INSERT INTO app_inbox VALUES (%s)$$, :b32), '428C9', NULL,
                 'a write from an application trigger is still checked: a hand-written bill (428C9)');

SELECT * FROM finish();
ROLLBACK;
