-- test/pgtap/network_registry.sql
--
-- The network (0.3), registry.citizen: the fiscal code against the personal
-- data (TK015; omocodes accepted; a recorded code_mismatch_reason overrides),
-- unknown birthplaces (TK016), STP / ENI / numeric codes (no personal data
-- to match), the table checks, and what recording a death does: unpaid
-- bookings from that day are cancelled (not paid ones, not earlier ones),
-- and nothing can be declared, granted, prescribed, booked or moved from it
-- (TK010).
--
-- Assumes CREATE EXTENSION ticket CASCADE and pgtap.  Run: pg_prove -d DB test/pgtap/

\set ON_ERROR_STOP 1
BEGIN;
\ir ../fixtures/birthplaces.sql
SET search_path = ticket, public;

SELECT plan(53);

INSERT INTO registry.gp (gp_code, fiscal_code, surname, given_name, asl_code)
VALUES ('GP001', ticket.fiscal_code_encode('Bianchi', 'Luca', 'M', '1960-02-03', 'F257'),
        'Bianchi', 'Luca', '080105');

-- A citizen whose code is computed from the data; returns the code.
CREATE FUNCTION pg_temp.citizen(surname text, given_name text, sex text, birth_date date,
                                birthplace text DEFAULT 'A944')
RETURNS text LANGUAGE sql AS $$
    INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace,
                                  residence_asl, gp_code)
    VALUES (ticket.fiscal_code_encode(surname, given_name, sex, birth_date, birthplace),
            surname, given_name, sex, birth_date, birthplace, '080105', 'GP001')
    RETURNING fiscal_code::text $$;

-- SQLSTATE and DETAIL of a statement that fails (NULL if it succeeds).
CREATE FUNCTION pg_temp.error_detail(sql text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    state text;
    detail text;
BEGIN
    EXECUTE sql;
    RETURN NULL;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, detail = PG_EXCEPTION_DETAIL;
    RETURN state || ': ' || detail;
END;
$$;

--------------------------------------------------------------------------
-- 1. Fiscal code against the personal data
--------------------------------------------------------------------------
SELECT ticket.fiscal_code_encode('Verdi', 'Anna', 'F', '1985-04-12', 'F257') AS anna,
       ticket.fiscal_code_encode('Verdi', 'Anna', 'F', '1985-04-13', 'F257') AS anna13,
       ticket.fiscal_code_encode('Verdi', 'Bice', 'F', '1985-04-12', 'F257') AS bice \gset

SELECT lives_ok(
    $$INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl)
      VALUES ('$$ || :'anna' || $$', 'Verdi', 'Anna', 'F', '1985-04-12', 'F257', '080104')$$,
    'a citizen whose code matches the data is registered');

SELECT throws_ok(
    $$INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl)
      VALUES ('$$ || :'anna13' || $$', 'Verdi', 'Bice', 'F', '1985-04-13', 'F257', '080104')$$,
    'TK015', format('fiscal code %s does not match the personal data of Bice Verdi', :'anna13'),
    'a code that does not match the data (given name) is refused (TK015)');

SELECT is(pg_temp.error_detail(
    $$INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl)
      VALUES ('$$ || :'anna13' || $$', 'Verdi', 'Anna', 'F', '1985-04-12', 'F257', '080104')$$),
    format('TK015: The data give %s.', :'anna'),
    'a code that does not match the data (day) is refused, and TK015 names the code the data give');

SELECT throws_ok(
    $$INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl)
      VALUES ('$$ || :'bice' || $$', 'Verdi', 'Bice', 'M', '1985-04-12', 'F257', '080104')$$,
    'TK015', NULL, 'the sex is part of the match (TK015)');

SELECT throws_ok(
    $$INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl)
      VALUES ('$$ || :'bice' || $$', 'Verdi', 'Bice', 'F', '1985-04-12', 'H223', '080104')$$,
    'TK015', NULL, 'the birthplace is part of the match (TK015)');

-- An omocode of the code the data give: accepted and stored as written.
SELECT f::text AS bice_omo
  FROM ticket.fiscal_code_omocodes(:'bice'::ticket.fiscal_code) WITH ORDINALITY AS o(f, n)
 WHERE n = 5 \gset
SELECT isnt(:'bice_omo'::text, :'bice'::text, 'the omocode differs from the code the data give');
SELECT lives_ok(
    $$INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl)
      VALUES ('$$ || :'bice_omo' || $$', 'Verdi', 'Bice', 'F', '1985-04-12', 'F257', '080104')$$,
    'an omocode of the matching code is accepted');
SELECT is((SELECT fiscal_code::text FROM registry.citizen WHERE given_name = 'Bice'), :'bice_omo'::text,
          'the omocode is stored as written');

-- A legacy mismatch with a recorded reason.
SELECT ticket.fiscal_code_encode('Gialli', 'Carlo', 'M', '1950-07-01', 'L219') AS carlo \gset
SELECT throws_ok(
    $$INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl)
      VALUES ('$$ || :'carlo' || $$', 'Gialli', 'Carlo', 'M', '1950-07-02', 'L219', '080105')$$,
    'TK015', NULL, 'the legacy code is refused without a reason');
SELECT lives_ok(
    $$INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl,
                                    code_mismatch_reason)
      VALUES ('$$ || :'carlo' || $$', 'Gialli', 'Carlo', 'M', '1950-07-02', 'L219', '080105',
              'issued with the wrong day by the Revenue Agency')$$,
    '... and accepted with code_mismatch_reason');
SELECT throws_ok(
    format($$UPDATE registry.citizen SET code_mismatch_reason = NULL WHERE fiscal_code = '%s'$$, :'carlo'),
    'TK015', NULL, 'removing the reason of a mismatching code is refused (TK015)');
SELECT throws_ok(
    format($$UPDATE registry.citizen SET code_mismatch_reason = '' WHERE fiscal_code = '%s'$$, :'carlo'),
    '23514', NULL, 'an empty reason is not a reason (23514)');
SELECT throws_ok(
    format($$UPDATE registry.citizen SET surname = 'Rossi' WHERE fiscal_code = '%s'$$, :'anna'),
    'TK015', format('fiscal code %s does not match the personal data of Anna Rossi', :'anna'),
    'changing the personal data so that the code no longer matches is refused (TK015)');
SELECT throws_ok(
    format($$UPDATE registry.citizen SET birth_date = '1985-04-13' WHERE fiscal_code = '%s'$$, :'anna'),
    'TK015', NULL, 'changing the birth date alone is checked too (TK015)');
SELECT lives_ok(
    format($$UPDATE registry.citizen SET residence_asl = '080105' WHERE fiscal_code = '%s'$$, :'anna'),
    'other columns change freely');

--------------------------------------------------------------------------
-- 2. Birthplaces; codes without personal data
--------------------------------------------------------------------------
SELECT ticket.fiscal_code_encode('Blu', 'Marco', 'M', '1990-01-01', 'H501') AS roman \gset
SELECT throws_ok(
    $$INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl)
      VALUES ('$$ || :'roman' || $$', 'Blu', 'Marco', 'M', '1990-01-01', 'H501', '080105')$$,
    'TK016', format('birthplace H501 of citizen %s is not a known Belfiore code', :'roman'),
    'a birthplace missing from ticket.birthplace is refused (TK016)');
SELECT throws_ok(
    $$INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl,
                                    code_mismatch_reason)
      VALUES ('$$ || :'roman' || $$', 'Blu', 'Marco', 'M', '1990-01-01', 'H501', '080105', 'legacy')$$,
    'TK016', NULL, '... a mismatch reason does not excuse it (TK016)');
SELECT throws_ok(
    $$INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl)
      VALUES ('STP0801234567890', 'Ionescu', 'Ana', 'F', '1990-01-01', 'Z130', '080105')$$,
    'TK016', NULL, '... nor an STP code (TK016)');
SELECT throws_ok(
    $$INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl)
      VALUES ('STP0801234567890', 'Ionescu', 'Ana', 'F', '1990-01-01', 'X129', '080105')$$,
    'TK016', NULL, 'a birthplace that is not even shaped like a Belfiore code is unknown (TK016, before the 23514 check)');
SELECT throws_ok(
    format($$UPDATE registry.citizen SET birthplace = 'H501' WHERE fiscal_code = '%s'$$, :'anna'),
    'TK016', NULL, 'changing the birthplace to an unknown code is refused (TK016)');

SELECT lives_ok(
    $$INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl)
      VALUES ('STP0801234567890', 'Ionescu', 'Ana', 'F', '1990-01-01', 'Z129', '080105')$$,
    'an STP code carries no personal data: accepted as it is');
SELECT lives_ok(
    $$INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl)
      VALUES ('ENI0801234567891', 'Popescu', 'Dan', 'M', '1991-02-02', 'Z129', '080105')$$,
    'an ENI code likewise');
SELECT lives_ok(
    $$INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl)
      VALUES ('00000010017', 'Neri', 'Ugo', 'M', '1992-03-03', 'A944', '080105')$$,
    'a numeric (provisional) code likewise');
SELECT is((SELECT array_agg(ticket.fiscal_code_kind(fiscal_code) ORDER BY fiscal_code::text)
             FROM registry.citizen
            WHERE fiscal_code::text IN ('STP0801234567890', 'ENI0801234567891', '00000010017')),
          ARRAY['numeric', 'eni', 'stp'], 'the three kinds are registered');
SELECT lives_ok(
    $$UPDATE registry.citizen SET surname = 'Ionescu-Pop' WHERE fiscal_code = 'STP0801234567890'$$,
    'the data of an STP citizen change freely');
SELECT throws_ok(
    $$INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl)
      VALUES ('00000020016', 'Neri', 'Ugo', 'X', '1992-03-03', 'A944', '080105')$$,
    '23514', NULL, 'sex is M or F (23514)');
SELECT throws_ok(
    $$INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl)
      VALUES ('00000020016', 'Neri', 'Ugo', 'M', '1992-03-03', 'A944', '999999')$$,
    '23503', NULL, 'the residence ASL must exist (23503)');
SELECT is((SELECT count(*)::int FROM ticket.check_consistency()), 0,
          'check_consistency() is empty: the legacy code has its reason');

--------------------------------------------------------------------------
-- 3. Deaths
--------------------------------------------------------------------------
SELECT pg_temp.citizen('Neri', 'Paolo', 'M', '1940-09-09') AS paolo \gset
SELECT pg_temp.citizen('Rosa', 'Lia', 'F', '1945-01-20') AS lia \gset

SELECT throws_ok(
    format($$UPDATE registry.citizen SET death_date = '1940-09-08' WHERE fiscal_code = '%s'$$, :'paolo'),
    '23514', NULL, 'a death before the birth is refused (23514)');

SELECT count(*) AS written FROM (
    SELECT fse.prescribe('080' || lpad(n::text, 12, '0'), :'paolo', 'GP001', ARRAY['88.74.1'], NULL, '2015-03-01')
      FROM generate_series(1, 5) n) s \gset
SELECT (cup.book('080000000000001', '2015-03-05')).booking_id AS b_before,
       (cup.book('080000000000002', '2015-03-10')).booking_id AS b_on,
       (cup.book('080000000000003', '2015-04-01')).booking_id AS b_after,
       (cup.book('080000000000004', '2015-04-02')).booking_id AS b_paid \gset
SELECT (cup.pay(:b_paid)).status AS paid_status \gset
SELECT (cup.book('080000000000005', '2015-03-20')).booking_id AS b_cancelled \gset
SELECT (cup.cancel(:b_cancelled, 'patient asked')).status AS cancelled_status \gset
SELECT coalesce(max(event_id), 0) AS ev0 FROM ticket.event \gset

SELECT lives_ok(
    format($$UPDATE registry.citizen SET death_date = '2015-03-10' WHERE fiscal_code = '%s'$$, :'paolo'),
    'recording a death');
SELECT results_eq(
    format($$SELECT booking_id, status, cancel_reason FROM cup.booking WHERE fiscal_code = '%s'
              ORDER BY booking_id$$, :'paolo'),
    format($$VALUES (%s::bigint, 'booked'::text, NULL::text), (%s, 'cancelled', 'death of the patient'),
                    (%s, 'cancelled', 'death of the patient'), (%s, 'paid', NULL),
                    (%s, 'cancelled', 'patient asked')$$,
           :b_before, :b_on, :b_after, :b_paid, :b_cancelled),
    'unpaid bookings from the day of death are cancelled; earlier ones, paid ones and cancelled ones are untouched');
SELECT is((SELECT count(*)::int FROM cup.booking
            WHERE booking_id IN (:b_on, :b_after) AND cancelled_at IS NOT NULL), 2,
          'the cancelled bookings have cancelled_at');
SELECT is((SELECT paid_amount FROM cup.booking WHERE booking_id = :b_paid), 51.15,
          'the paid booking keeps its payment');
SELECT is((SELECT count(*)::int FROM cup.adjustment a JOIN cup.booking b USING (booking_id)
            WHERE b.fiscal_code = :'paolo'), 0,
          'cancelling unpaid bookings on death creates no adjustment');
SELECT results_eq(
    format($$SELECT kind, subject, payload FROM ticket.event WHERE event_id > %s ORDER BY event_id$$, :ev0),
    format($$VALUES ('cancelled'::text, '%s'::text, '{"from": "booked", "amount": 51.15, "paid_amount": null}'::jsonb),
                    ('cancelled', '%s', '{"from": "booked", "amount": 51.15, "paid_amount": null}')$$,
           :b_on, :b_after),
    'one cancelled event per booking cancelled on death');
SELECT is((SELECT count(*)::int FROM ticket.check_consistency()), 0,
          'check_consistency() is empty after the death');

-- Nothing from the day of death.
SELECT throws_ok(
    format($$SELECT registry.self_certify('%s', 'RE1', 'cup_desk', 'op1', '2015-03-10', NULL, NULL, '2015-03-09')$$, :'paolo'),
    'TK010', format('citizen %s died on 2015-03-10: no declaration on 2015-03-10', :'paolo'),
    'no declaration applying from the day of death (TK010)');
SELECT lives_ok(
    format($$SELECT registry.self_certify('%s', 'RE1', 'cup_desk', 'op1', '2015-03-09', NULL, NULL, '2015-03-09')$$, :'paolo'),
    'a declaration applying from the day before is recorded');
SELECT throws_ok(
    format($$SELECT registry.grant_exemption('%s', 'C01', '2015-03-11', 'asl_certificate')$$, :'paolo'),
    'TK010', NULL, 'no exemption from after the death (TK010)');
SELECT throws_ok(
    format($$SELECT fse.prescribe('080000000000009', '%s', 'GP001', ARRAY['89.52'], NULL, '2015-03-10')$$, :'paolo'),
    'TK010', format('citizen %s died on 2015-03-10: no prescription on 2015-03-10', :'paolo'),
    'no prescription on the day of death (TK010)');
SELECT throws_ok(
    format($$SELECT cup.book('080000000000003', '2015-03-12')$$),
    'TK010', format('citizen %s died on 2015-03-10: no booking on 2015-03-12', :'paolo'),
    'no booking after the death (TK010)');
SELECT throws_ok(
    format($$SELECT cup.move(%s, '2015-03-10')$$, :b_before),
    'TK010', NULL, 'no booking moved to the day of death (TK010)');
SELECT lives_ok(
    format($$SELECT cup.pay(%s)$$, :b_before),
    'a booking before the death can still be paid');

-- An earlier date of death (a correction) cancels more.
SELECT (cup.book('080000000000002', '2015-03-06')).booking_id AS b_rebooked \gset
SELECT lives_ok(
    format($$UPDATE registry.citizen SET death_date = '2015-03-06' WHERE fiscal_code = '%s'$$, :'paolo'),
    'moving the date of death earlier');
SELECT is((SELECT status FROM cup.booking WHERE booking_id = :b_rebooked), 'cancelled',
          '... cancels the unpaid booking now after it');
SELECT is((SELECT status FROM cup.booking WHERE booking_id = :b_before), 'paid',
          '... not the paid one before it');
SELECT results_eq(
    $$SELECT invariant, subject, detail FROM ticket.check_consistency()$$,
    format($$VALUES ('after_death'::text, '%s'::text, 'declaration ' || %s || ' on 2015-03-09, died 2015-03-06')$$,
           :'paolo', (SELECT declaration_id FROM registry.declaration WHERE fiscal_code = :'paolo')),
    'the declaration recorded before the corrected death date moved is reported (after_death), nothing else');

-- Other citizens are untouched; every kind of write about a citizen takes
-- their lock row, once per transaction (ticket.locked_citizen remembers
-- whose lock the transaction holds; cleared here as a new transaction has it).
SELECT is((SELECT count(*)::int FROM registry.citizen_lock WHERE fiscal_code = :'lia'), 0,
          'a citizen nothing was written about has no lock row');
SELECT revision AS p0 FROM registry.citizen_lock WHERE fiscal_code = :'paolo' \gset
SELECT set_config('ticket.locked_citizen', '', true);
SELECT fse.prescribe('080000000000090', :'paolo', 'GP001', ARRAY['88.74.1'], NULL, '2015-03-02');
SELECT is((SELECT revision FROM registry.citizen_lock WHERE fiscal_code = :'paolo'), (:p0 + 1)::bigint,
          'a prescription takes the lock row of the patient');
SELECT fse.prescribe('080000000000091', :'paolo', 'GP001', ARRAY['88.74.1'], NULL, '2015-03-02');
SELECT is((SELECT revision FROM registry.citizen_lock WHERE fiscal_code = :'paolo'), (:p0 + 1)::bigint,
          '... once: the next write about the patient in the transaction holds it already');
SELECT set_config('ticket.locked_citizen', '', true);
SELECT cup.book('080000000000091', '2015-03-03');
SELECT is((SELECT revision FROM registry.citizen_lock WHERE fiscal_code = :'paolo'), (:p0 + 2)::bigint,
          'a booking takes the lock row of the patient');
SELECT set_config('ticket.locked_citizen', '', true);
SELECT cup.pay((SELECT booking_id FROM cup.booking WHERE nre = '080000000000091'));
SELECT is((SELECT revision FROM registry.citizen_lock WHERE fiscal_code = :'paolo'), (:p0 + 3)::bigint,
          'a payment takes the lock row of the patient');
SELECT throws_ok(
    format($$SELECT registry.self_certify('%s', 'RE1', 'cup_desk', 'op1', '2015-03-01', NULL, NULL, '2015-03-01')$$,
           ticket.fiscal_code_encode('Nessuno', 'Nemo', 'M', '1970-01-01', 'A944')),
    '23503', format('citizen %s is not in the registry',
                    ticket.fiscal_code_encode('Nessuno', 'Nemo', 'M', '1970-01-01', 'A944')),
    'a citizen not in the registry (23503)');

SELECT * FROM finish();
ROLLBACK;
