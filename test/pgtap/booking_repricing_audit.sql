-- test/pgtap/booking_repricing_audit.sql
--
-- 1.3 (issue 19): every re-pricing of a booking is an audit row, whoever
-- writes it -- the network's own writes included -- and a lean one (the
-- key, bill, amount and priced_at before and after), while a change to a
-- watched column keeps both whole rows.  And the WHEN of
-- booking_before_update, which skips the function for the network's
-- re-pricing of a booked booking, still lets every internal write reach
-- the checks it must pass: identity (TK018) and final statuses (TK013).
--
-- Assumes CREATE EXTENSION ticket CASCADE and pgtap, run as a superuser.
-- Run: pg_prove -d DB test/pgtap/booking_repricing_audit.sql

\set ON_ERROR_STOP 1
BEGIN;
\ir ../fixtures/birthplaces.sql
SET LOCAL search_path = ticket, public;
SET LOCAL TimeZone = 'UTC';
SET LOCAL lc_messages = 'C';

SELECT plan(10);

INSERT INTO registry.gp (gp_code, fiscal_code, surname, given_name, asl_code)
VALUES ('GPRA1', ticket.fiscal_code_encode('Bianchi', 'Luca', 'M', '1960-02-03', 'A944'), 'Bianchi', 'Luca', '080105');
INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl, gp_code)
VALUES (ticket.fiscal_code_encode('Rossi', 'Mario', 'M', '1970-05-10', 'A944'), 'Rossi', 'Mario', 'M', '1970-05-10',
        'A944', '080105', 'GPRA1'),
       (ticket.fiscal_code_encode('Costa', 'Elena', 'F', '1965-08-08', 'A944'), 'Costa', 'Elena', 'F', '1965-08-08',
        'A944', '080105', 'GPRA1');
SELECT ticket.fiscal_code_encode('Rossi', 'Mario', 'M', '1970-05-10', 'A944') AS mario,
       ticket.fiscal_code_encode('Costa', 'Elena', 'F', '1965-08-08', 'A944') AS elena \gset
-- 88.74.1 (exam 45.00): in 2015 no declaration 51.15, RE1 36.15; in 2027 36.15.
SELECT (fse.prescribe('080000000000101', :'mario', 'GPRA1', ARRAY['88.74.1'], NULL, '2015-05-01')).nre AS rx1,
       (fse.prescribe('080000000000102', :'mario', 'GPRA1', ARRAY['88.74.1'], NULL, '2015-05-01')).nre AS rx2,
       (fse.prescribe('080000000000103', :'mario', 'GPRA1', ARRAY['88.74.1'], NULL, '2015-05-01')).nre AS rx3,
       (fse.prescribe('080000000000104', :'elena', 'GPRA1', ARRAY['88.74.1'], NULL, '2027-02-01')).nre AS rx4 \gset
SELECT (cup.book(:'rx1', '2015-07-01')).booking_id AS b1, (cup.book(:'rx2', '2015-07-02')).booking_id AS b2,
       (cup.book(:'rx3', '2015-07-03')).booking_id AS b3, (cup.book(:'rx4', '2027-03-01')).booking_id AS b4 \gset
SELECT cup.pay(:b2) IS NOT NULL AS paid, cup.cancel(:b3) IS NOT NULL AS cancelled \gset

CREATE TEMP TABLE before_rows AS SELECT * FROM cup.booking;
SELECT coalesce(max(audit_id), 0) AS au0 FROM ticket.audit_log \gset

--------------------------------------------------------------------------
-- 1. The network's re-pricing (a declaration propagated) is audited, lean
--------------------------------------------------------------------------
SELECT registry.self_certify(:'mario', 'RE1', 'cup_desk', 'op1', '2015-06-01', signed_at => '2015-06-01') IS NOT NULL AS d \gset
SELECT is((SELECT amount FROM cup.booking WHERE booking_id = :b1), 36.15::numeric(8,2),
          'a declaration RE1 re-prices the unpaid booking (51.15 -> 36.15)');
SELECT results_eq(format($$SELECT row_key, operation, old_row, new_row FROM ticket.audit_log
                            WHERE audit_id > %s AND table_name = 'cup.booking' ORDER BY audit_id$$, :au0),
                  format($$SELECT o.booking_id::text, 'UPDATE'::text,
                                  jsonb_build_object('booking_id', o.booking_id, 'bill', o.bill, 'amount', o.amount, 'priced_at', o.priced_at),
                                  jsonb_build_object('booking_id', b.booking_id, 'bill', b.bill, 'amount', b.amount, 'priced_at', b.priced_at)
                             FROM before_rows o JOIN cup.booking b USING (booking_id) WHERE b.booking_id = %s$$, :b1),
                  'one lean audit row for the re-priced booking only (the paid and the cancelled ones untouched): key, bill, amount, priced_at before and after');

--------------------------------------------------------------------------
-- 2. A watched column and the bill in one statement: whole rows
--------------------------------------------------------------------------
SELECT coalesce(max(audit_id), 0) AS au1 FROM ticket.audit_log \gset
SELECT cup.move(:b1, '2015-07-10') IS NOT NULL AS moved \gset
SELECT results_eq(format($$SELECT row_key, old_row ->> 'service_date', new_row ->> 'service_date', new_row ? 'nre', (new_row ->> 'amount')::numeric
                             FROM ticket.audit_log WHERE audit_id > %s AND table_name = 'cup.booking'$$, :au1),
                  format($$VALUES ('%s'::text, '2015-07-01'::text, '2015-07-10'::text, true, 36.15)$$, :b1),
                  'a move (re-priced too): one whole-row audit row, not a lean one beside it');

--------------------------------------------------------------------------
-- 3. A re-pricing that changes nothing is no row
--------------------------------------------------------------------------
SELECT coalesce(max(audit_id), 0) AS au2 FROM ticket.audit_log \gset
SELECT ticket.internal_write(true) IS NOT NULL AS iw \gset
UPDATE cup.booking SET bill = bill, priced_at = priced_at WHERE booking_id = :b1;
SELECT ticket.internal_write(false) IS NOT NULL AS iw \gset
SELECT is((SELECT count(*) FROM ticket.audit_log WHERE audit_id > :au2), 0::bigint,
          'an internal update that leaves bill and watched columns as they were: no audit row');

--------------------------------------------------------------------------
-- 4. A rule edit re-prices at commit: audited lean
--------------------------------------------------------------------------
SELECT coalesce(max(audit_id), 0) AS au3 FROM ticket.audit_log \gset
INSERT INTO ticket.regime (regime_id, effective_from, legal_reference, description, specialist_cap, first_visit,
                           control_visit, ct_mri, ambulatory_surgery, er_access, er_chargeable_codes)
VALUES ('ER-2027-01-01', '2027-01-01', 'DGR draft', 'cap 30', 30.00, 20.00, 15.00, 30.00, 30.00, 25.00, '{PS-WHITE,PS-GREEN}');
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT results_eq(format($$SELECT row_key, (old_row ->> 'amount')::numeric, (new_row ->> 'amount')::numeric,
                                  new_row -> 'bill' ->> 'regime', new_row ? 'status'
                             FROM ticket.audit_log WHERE audit_id > %s AND table_name = 'cup.booking' ORDER BY audit_id$$, :au3),
                  format($$VALUES ('%s'::text, 36.15, 30.00, 'ER-2027-01-01'::text, false)$$, :b4),
                  'a regime inserted re-prices the unpaid booking of 2027 at commit: a lean audit row, 36.15 -> 30.00');

--------------------------------------------------------------------------
-- 5. Internal writes still reach TK018 and TK013 (the trigger's WHEN)
--------------------------------------------------------------------------
SELECT ticket.internal_write(true) IS NOT NULL AS iw \gset
SELECT throws_ok(format($$UPDATE cup.booking SET fiscal_code = '%s' WHERE booking_id = %s$$, :'elena', :b1), 'TK018', NULL,
                 'an internal write changing a booked booking''s patient: TK018');
SELECT throws_ok(format($$UPDATE cup.booking SET booked_at = booked_at - interval '1 day' WHERE booking_id = %s$$, :b1), 'TK018', NULL,
                 'an internal write changing a booked booking''s booking time: TK018');
SELECT throws_ok(format($$UPDATE cup.booking SET bill = (SELECT bill FROM cup.booking WHERE booking_id = %s) WHERE booking_id = %s$$, :b4, :b3),
                 'TK013', format('booking %s is cancelled: it cannot change', :b3),
                 'an internal re-pricing of a cancelled booking: TK013');
SELECT throws_ok(format($$UPDATE cup.booking SET cancel_reason = 'x' WHERE booking_id = %s$$, :b3),
                 'TK013', NULL, 'any internal write to a cancelled booking: TK013');
SELECT ticket.internal_write(false) IS NOT NULL AS iw \gset
SELECT throws_ok(format($$UPDATE cup.booking SET bill = (SELECT bill FROM cup.booking WHERE booking_id = %s) WHERE booking_id = %s$$, :b4, :b1),
                 '428C9', NULL, 'a bill written by hand, not internal: 428C9');
SELECT * FROM finish();
ROLLBACK;
