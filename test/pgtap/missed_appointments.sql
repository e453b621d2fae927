-- test/pgtap/missed_appointments.sql
--
-- Issue 18, missed appointments (mancata disdetta): LR Emilia-Romagna
-- 2/2016 art. 23 (ticket-rules.md §9 item 1 [P]; text in GU 3rd special
-- series 30-07-2016): a booking neither attended nor cancelled in time is
-- charged, exempt or not, the ordinary ticket of the lowest income band on
-- the service date, from 4 April 2016 (ticket.missed_appointment_rule).
-- In time = at least 3 working days from the cancellation's day (in Italy)
-- to the day before the service; working days: not Sundays, not the
-- national holidays of ticket.public_holiday; Saturdays and patron saints
-- work (AUSL Reggio Emilia's reading of the rule).
--
-- Assumes CREATE EXTENSION ticket CASCADE and pgtap.  Run: pg_prove -d DB test/pgtap/

\set ON_ERROR_STOP 1
BEGIN;
\ir ../fixtures/birthplaces.sql
SET search_path = ticket, public;

SELECT plan(54);

--------------------------------------------------------------------------
-- 1. The working-day calendar
--------------------------------------------------------------------------
-- Friday 3 June 2016; Thursday 2 June is Republic Day (Law 260/1949 as
-- amended by Law 336/2000): the three working days before are Mon 30 May,
-- Tue 31 May, Wed 1 June.
SELECT is(ticket.working_days('2016-05-30', '2016-06-03'), 3, 'Mon 30 May to Fri 3 June 2016: 3 working days (2 June a holiday)');
SELECT is(ticket.working_days('2016-05-31', '2016-06-03'), 2, 'Tue 31 May to Fri 3 June 2016: only 2, the holiday inside');
SELECT is(ticket.working_days('2016-05-24', '2016-05-27'), 3, 'the same weekdays a week earlier, no holiday: 3');
-- Saturdays work (AUSL Reggio Emilia), Sundays do not.
SELECT is(ticket.working_days('2016-05-06', '2016-05-10'), 3, 'Fri 6 to Tue 10 May 2016: Fri, Sat, Mon');
SELECT is(ticket.working_days('2016-05-07', '2016-05-10'), 2, 'Sat 7 to Tue 10 May 2016: Sat, Mon');
-- Easter Monday, listed per year: 17 April 2017.
SELECT is(ticket.working_days('2017-04-17', '2017-04-20'), 2, 'Easter Monday 2017 is not a working day');
SELECT is(ticket.working_days('2017-04-15', '2017-04-20'), 3, 'Sat 15 April 2017: Sat, Tue, Wed');
-- 4 October, a national holiday again from 2026 (Law 151/2025): Sunday in
-- 2026, Monday in 2027.
SELECT is(ticket.working_days('2027-10-04', '2027-10-05'), 0, 'Mon 4 October 2027 (San Francesco, Law 151/2025)');
SELECT is(ticket.working_days('2025-10-03', '2025-10-05'), 2, '... but Sat 4 October 2025 was a working day');
SELECT is(ticket.working_days('2016-06-03', '2016-06-03'), 0, 'an empty range: 0');
SELECT is(ticket.working_days('2016-06-10', '2016-06-03'), 0, 'a reversed range: 0');
SELECT is(ticket.working_days('2030-12-20', '2031-01-01'), 8, 'the last days the calendar covers');
SELECT throws_ok($$SELECT ticket.working_days('2030-12-20', '2031-01-02')$$, '22023',
                 'working days between 2030-12-20 and 2031-01-02: the calendar of public holidays covers 2011 to 2030',
                 'past the calendar''s years (22023)');
SELECT throws_ok($$SELECT ticket.working_days('2010-12-31', '2011-01-05')$$, '22023', NULL, 'before the calendar''s years (22023)');
SELECT throws_ok($$SELECT ticket.working_days('-infinity', '2011-01-05')$$, '22023', NULL, 'an infinite date (22023)');
SELECT is(ticket.working_days(NULL, '2011-01-05'), NULL, 'STRICT');
SELECT throws_ok($$UPDATE ticket.public_holiday SET name = 'x' WHERE day = '2016-06-02'$$, 'TK007', NULL,
                 'shipped holidays are read-only (TK007)');
SELECT throws_ok($$UPDATE ticket.missed_appointment_rule SET notice_days = 2$$, 'TK007', NULL,
                 'the shipped rule is read-only (TK007)');

--------------------------------------------------------------------------
-- 2. The registry
--------------------------------------------------------------------------
INSERT INTO registry.gp (gp_code, fiscal_code, surname, given_name, asl_code)
VALUES ('GP001', ticket.fiscal_code_encode('Bianchi', 'Luca', 'M', '1960-02-03', 'F257'),
        'Bianchi', 'Luca', '080105');
CREATE FUNCTION pg_temp.citizen(surname text, given_name text, sex text, birth_date date)
RETURNS text LANGUAGE sql AS $$
    INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace,
                                  residence_asl, gp_code)
    VALUES (ticket.fiscal_code_encode(surname, given_name, sex, birth_date, 'A944'),
            surname, given_name, sex, birth_date, 'A944', '080105', 'GP001')
    RETURNING fiscal_code::text $$;
-- Books prescription 080 + n for a citizen on a date; returns the booking.
CREATE FUNCTION pg_temp.booking(n int, citizen text, services text[], service_date date)
RETURNS bigint LANGUAGE sql AS $$
    SELECT fse.prescribe('080' || lpad(n::text, 12, '0'), citizen::ticket.fiscal_code, 'GP001', services,
                         NULL, service_date - 20);
    SELECT (cup.book('080' || lpad(n::text, 12, '0'), service_date)).booking_id $$;

SELECT pg_temp.citizen('Rossi', 'Mario', 'M', '1970-05-10') AS mario,
       pg_temp.citizen('Costa', 'Elena', 'F', '1965-08-08') AS elena \gset
-- Mario declares RE3 (70,000-100,000: quota 10.00, §1.2, §2.1); Elena is a
-- civil invalid 100 % (C01, total exemption, §4.3 S37, S54).
SELECT (registry.self_certify(:'mario', 'RE3', 'cup_desk', 'op1', '2016-01-01', NULL, NULL, '2016-01-01')).declaration_id IS NOT NULL AS d \gset
SELECT registry.grant_exemption(:'elena', 'C01', '2016-01-01', 'asl_certificate', NULL, '2016-01-01') IS NOT NULL AS g \gset

--------------------------------------------------------------------------
-- 3. Marking a booking missed: the charge
--------------------------------------------------------------------------
-- 88.74.1 (the 45.00 ultrasound of §2.7, synthetic tariff): Mario's own
-- ticket in 2016 is 36.15 (cap, §2.1) + 10.00 (RE3 quota) = 46.15; the
-- missed-appointment charge is the lowest band's (RE1, quota 0): 36.15.
SELECT pg_temp.booking(1, :'mario', ARRAY['88.74.1'], '2016-06-03') AS b1 \gset
SELECT is((SELECT amount FROM cup.booking WHERE booking_id = :b1), 46.15::numeric(8,2), 'RE3 in June 2016: 46.15');
SELECT coalesce(max(event_id), 0) AS ev0 FROM ticket.event \gset
SELECT coalesce(max(audit_id), 0) AS au0 FROM ticket.audit_log \gset
SELECT results_eq(
    format($$SELECT status, amount, (bill).band::text, (bill).regime, paid_amount FROM cup.mark_missed(%s)$$, :b1),
    $$VALUES ('missed'::text, 36.15::numeric(8,2), 'RE1'::text, 'ER-2012-02-01'::text, NULL::numeric(8,2))$$,
    'not attended, never cancelled: missed, charged the lowest band''s ticket (RE1 36.15, not his RE3 46.15; LR 2/2016 art. 23 c. 2)');
SELECT matches((SELECT (bill).explanation FROM cup.booking WHERE booking_id = :b1),
               '^missed appointment \(LR Emilia-Romagna 2/2016 art. 23', 'the bill says why');
SELECT results_eq(
    format($$SELECT kind, payload FROM ticket.event WHERE event_id > %s$$, :ev0),
    $$VALUES ('missed'::text, '{"from": "booked", "amount": 36.15, "paid_amount": null}'::jsonb),
             ('repriced', '{"old_amount": 46.15, "new_amount": 36.15, "service_date": "2016-06-03", "regime": "ER-2012-02-01"}'::jsonb)$$,
    'the missed and repriced events');
SELECT results_eq(
    format($$SELECT table_name, operation, old_row ->> 'status', new_row ->> 'status' FROM ticket.audit_log
              WHERE audit_id > %s AND table_name = 'cup.booking'$$, :au0),
    $$VALUES ('cup.booking'::text, 'UPDATE'::text, 'booked'::text, 'missed'::text)$$,
    'audited');

-- Elena, exempt (C01): her own ticket is 0.00; the charge is due all the
-- same: 89.52 ECG, national tariff 11.62 (S47), over 10.00 but RE1 pays no
-- quota: 11.62.
SELECT pg_temp.booking(2, :'elena', ARRAY['89.52'], '2016-06-03') AS b2 \gset
SELECT is((SELECT amount FROM cup.booking WHERE booking_id = :b2), 0.00::numeric(8,2), 'C01: free');
SELECT results_eq(
    format($$SELECT status, amount, (bill).exemption::text FROM cup.mark_missed(%s)$$, :b2),
    $$VALUES ('missed'::text, 11.62::numeric(8,2), NULL::text)$$,
    'an exempt citizen pays the charge too, exemption ignored (art. 23 c. 2 "anche se esente")');

-- 2019 (DGR 2075/2018): Giulia declared nothing, so QM (the default; an
-- RE1-RE3 declaration such as Mario's is QB from 2019, S15 S48):
-- 36.15 + 15.00 = 51.15; the charge is QB's: 36.15.
SELECT pg_temp.citizen('Verdi', 'Giulia', 'F', '1982-09-14') AS giulia \gset
SELECT pg_temp.booking(3, :'giulia', ARRAY['88.74.1'], '2019-03-05') AS b3 \gset
SELECT is((SELECT amount FROM cup.booking WHERE booking_id = :b3), 51.15::numeric(8,2), 'QM in 2019: 51.15');
SELECT results_eq(format($$SELECT amount, (bill).band::text FROM cup.mark_missed(%s)$$, :b3),
                  $$VALUES (36.15::numeric(8,2), 'QB'::text)$$, '2019: the QB ticket, 36.15');
-- 2021 (DGR 1044/2020, no bands): Elena's ECG 11.62.
SELECT pg_temp.booking(4, :'elena', ARRAY['89.52'], '2021-03-05') AS b4 \gset
SELECT results_eq(format($$SELECT amount, (bill).band::text FROM cup.mark_missed(%s)$$, :b4),
                  $$VALUES (11.62::numeric(8,2), NULL::text)$$, '2021, no bands: the ticket of the services, 11.62');

--------------------------------------------------------------------------
-- 4. Cancellations: in time or late (the holiday in the 3 working days)
--------------------------------------------------------------------------
-- Service Fri 3 June 2016.  Cancelled Tue 31 May: 2 working days (2 June a
-- holiday): late, the charge applies.  Cancelled Mon 30 May: in time.
SELECT pg_temp.booking(5, :'elena', ARRAY['89.52'], '2016-06-03') AS b5,
       pg_temp.booking(6, :'elena', ARRAY['89.52'], '2016-06-03') AS b6,
       pg_temp.booking(7, :'elena', ARRAY['89.52'], '2016-06-03') AS b7 \gset
UPDATE cup.booking SET status = 'cancelled', cancelled_at = '2016-05-31 09:00+02' WHERE booking_id = :b5;
UPDATE cup.booking SET status = 'cancelled', cancelled_at = '2016-05-30 18:00+02' WHERE booking_id = :b6;
-- 23:30 UTC of 30 May is already 31 May in Italy: late.
UPDATE cup.booking SET status = 'cancelled', cancelled_at = '2016-05-30 23:30+00' WHERE booking_id = :b7;
SELECT results_eq(format($$SELECT status, amount, cancelled_at FROM cup.mark_missed(%s)$$, :b5),
                  $$VALUES ('missed'::text, 11.62::numeric(8,2), '2016-05-31 09:00+02'::timestamptz)$$,
                  'cancelled Tue 31 May for Fri 3 June 2016: late (the 2 June holiday), charged; the cancellation time kept');
SELECT throws_ok(format($$SELECT cup.mark_missed(%s)$$, :b6), 'TK013',
                 format('booking %s was cancelled in time: 3 working days before its service on 2016-06-03 (3 needed)', :b6),
                 'cancelled Mon 30 May: in time (TK013)');
SELECT is((cup.mark_missed(:b7)).status, 'missed', 'the day of the cancellation is Italy''s (Europe/Rome)');

--------------------------------------------------------------------------
-- 5. What cannot be marked missed
--------------------------------------------------------------------------
SELECT pg_temp.booking(8, :'mario', ARRAY['88.74.1'], '2016-04-01') AS b8,
       pg_temp.booking(9, :'mario', ARRAY['88.74.1'], '2016-04-04') AS b9,
       pg_temp.booking(10, :'mario', ARRAY['88.74.1'], ticket.local_day(now())) AS b10,
       pg_temp.booking(11, :'mario', ARRAY['88.74.1'], '2016-06-03') AS b11,
       pg_temp.booking(12, :'mario', ARRAY['88.74.1'], '2016-06-03') AS b12 \gset
SELECT throws_ok(format($$SELECT cup.mark_missed(%s)$$, :b8), 'TK005', 'no missed-appointment rule covers 2016-04-01',
                 'before 4 April 2016: no rule (TK005)');
SELECT is((cup.mark_missed(:b9)).amount, 36.15::numeric(8,2), 'from 4 April 2016 (the first day)');
SELECT throws_ok(format($$SELECT cup.mark_missed(%s)$$, :b10), 'TK013',
                 format('booking %s: its service on %s has not passed: it cannot be missed yet', :b10, ticket.local_day(now())),
                 'a service of today has not passed (TK013)');
SELECT lives_ok(format($$SELECT cup.pay(%s)$$, :b11), 'b11 paid');
SELECT throws_ok(format($$SELECT cup.mark_missed(%s)$$, :b11), 'TK013', format('booking %s cannot go from paid to missed', :b11),
                 'a paid booking (TK013)');
SELECT lives_ok(format($$SELECT cup.complete(%s)$$, :b11), 'b11 done');
SELECT throws_ok(format($$SELECT cup.mark_missed(%s)$$, :b11), 'TK013', NULL, 'a done booking (TK013)');
SELECT throws_ok(format($$SELECT cup.mark_missed(%s)$$, :b1), 'TK013', format('booking %s is missed: it cannot change', :b1),
                 'twice (TK013)');
SELECT throws_ok(format($$SELECT cup.cancel(%s)$$, :b1), 'TK013', NULL, 'a missed booking is not cancelled (TK013)');
SELECT throws_ok(format($$SELECT cup.move(%s, '2016-07-01')$$, :b1), 'TK013', NULL, '... nor moved (TK013)');
SELECT throws_ok(format($$UPDATE cup.booking SET status = 'missed', service_date = '2016-06-02' WHERE booking_id = %s$$, :b12),
                 'TK013', NULL, 'missed on another date (TK013)');
SELECT throws_ok(format($$UPDATE cup.booking SET status = 'missed', bill = ticket.price(ARRAY['88.74.1'], 'RE1', NULL, '2016-06-03') WHERE booking_id = %s$$, :b12),
                 '428C9', NULL, 'the charge is not written by hand (428C9)');
SELECT throws_ok('SELECT cup.mark_missed(999999)', 'P0002', NULL, 'a booking that does not exist (P0002)');

--------------------------------------------------------------------------
-- 6. Paying the charge; booking the prescription again
--------------------------------------------------------------------------
SELECT throws_ok(format($$SELECT cup.pay(%s, 46.15)$$, :b1), 'TK014', NULL, 'the charge shown is 36.15 (TK014)');
SELECT coalesce(max(event_id), 0) AS ev1 FROM ticket.event \gset
SELECT results_eq(format($$SELECT status, paid_amount, payment_channel FROM cup.pay(%s, 36.15)$$, :b1),
                  $$VALUES ('missed'::text, 36.15::numeric(8,2), 'cup_desk'::text)$$, 'the charge paid: still missed');
SELECT results_eq(format($$SELECT kind, payload FROM ticket.event WHERE event_id > %s$$, :ev1),
                  $$VALUES ('paid'::text, '{"from": "missed", "amount": 36.15, "paid_amount": 36.15}'::jsonb)$$, 'a paid event');
SELECT throws_ok(format($$SELECT cup.pay(%s)$$, :b1), 'TK013',
                 format('booking %s: its missed-appointment charge is already paid', :b1), 'paid once (TK013)');
SELECT lives_ok(format($$SELECT cup.book((SELECT nre FROM cup.booking WHERE booking_id = %s), '2016-07-01')$$, :b1),
                'the prescription of a missed booking can be booked again');

--------------------------------------------------------------------------
-- 7. The calendar as data; who may; consistency
--------------------------------------------------------------------------
-- A region that rests on its patron saint adds the day (Bologna, San
-- Petronio, 4 October): audited like every rule row.
SELECT coalesce(max(audit_id), 0) AS au1 FROM ticket.audit_log \gset
INSERT INTO ticket.public_holiday (day, name, source) VALUES ('2016-10-04', 'San Petronio (Bologna)', 'local choice');
SELECT is(ticket.working_days('2016-10-03', '2016-10-06'), 2, 'a holiday added as a row counts');
SELECT is((SELECT count(*)::int FROM ticket.audit_log WHERE audit_id > :au1 AND table_name = 'ticket.public_holiday'), 1,
          'the added holiday is audited');
SELECT ok(has_function_privilege('ticket_cup_operator', 'cup.mark_missed(bigint)', 'EXECUTE'), 'a CUP operator may mark missed');
SELECT ok(NOT has_function_privilege('ticket_gp', 'cup.mark_missed(bigint)', 'EXECUTE'), '... a GP may not');
SELECT is_empty('SELECT * FROM ticket.check_consistency()', 'consistent');

SELECT * FROM finish();
ROLLBACK;
