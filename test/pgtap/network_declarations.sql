-- test/pgtap/network_declarations.sql
--
-- The network (0.3), registry.declaration: every check of the BEFORE
-- trigger (unknown citizen 23503, deceased TK010, declarant TK011, band of
-- the regime TK004, backdating TK012, valid_until written by hand 428C9,
-- operator by channel 23514), the closing of the current declaration and the
-- same-day correction, history (TK018), and what a declaration carries
-- downstream: FSE profile and FSE event, outbox event, prescription boxes,
-- re-pricing of unpaid bookings from applies_from, adjustments of paid ones
-- only inside the 2011 transition (forms signed until 30 September 2011 for
-- the services from 29 August; S3 S4 S5), and the 2019 regime (QB/QM; a 2011
-- RE band still on record is charged QB, no declaration QM; S15 S48).
--
-- Assumes CREATE EXTENSION ticket CASCADE and pgtap.  Run: pg_prove -d DB test/pgtap/

\set ON_ERROR_STOP 1
BEGIN;
\ir ../fixtures/birthplaces.sql
SET search_path = ticket, public;

SELECT plan(83);

INSERT INTO registry.gp (gp_code, fiscal_code, surname, given_name, asl_code)
VALUES ('GP001', ticket.fiscal_code_encode('Bianchi', 'Luca', 'M', '1960-02-03', 'F257'),
        'Bianchi', 'Luca', '080105');

CREATE FUNCTION pg_temp.citizen(surname text, given_name text, sex text, birth_date date,
                                birthplace text DEFAULT 'A944', death_date date DEFAULT NULL)
RETURNS text LANGUAGE sql AS $$
    INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace,
                                  residence_asl, gp_code, death_date)
    VALUES (ticket.fiscal_code_encode(surname, given_name, sex, birth_date, birthplace),
            surname, given_name, sex, birth_date, birthplace, '080105', 'GP001', death_date)
    RETURNING fiscal_code::text $$;

-- A declaration taken at the CUP desk; returns its id.
CREATE FUNCTION pg_temp.declare(citizen text, band text, applies_from date, signed_on date DEFAULT NULL,
                                declarant text DEFAULT NULL)
RETURNS bigint LANGUAGE sql AS $$
    SELECT (registry.self_certify(citizen::ticket.fiscal_code, band::ticket.income_band, 'cup_desk', 'op1',
                                  applies_from, declarant::ticket.fiscal_code, NULL,
                                  coalesce(signed_on, applies_from)::timestamptz)).declaration_id $$;

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

SELECT pg_temp.citizen('Rossi', 'Mario', 'M', '1970-05-10') AS mario,
       pg_temp.citizen('Morti', 'Ezio', 'M', '1930-01-01', 'A944', '2016-01-01') AS ezio,
       -- household: declarant, spouse, a minor, a sibling of age, an adult child
       pg_temp.citizen('Ferri', 'Gino', 'M', '1962-03-03') AS gino,
       pg_temp.citizen('Ferri', 'Rita', 'F', '1964-04-04', 'F257') AS rita,
       pg_temp.citizen('Ferri', 'Leo', 'M', '2000-06-15') AS leo,
       pg_temp.citizen('Ferri', 'Ada', 'F', '1990-01-01') AS ada,
       pg_temp.citizen('Conti', 'Elio', 'M', '1960-10-10') AS elio,
       -- a ward and a guardian
       pg_temp.citizen('Sala', 'Teo', 'M', '2005-01-01', 'H223') AS teo,
       pg_temp.citizen('Galli', 'Ivo', 'M', '1955-05-05', 'L219') AS ivo \gset

INSERT INTO registry.household (household_id) VALUES (1), (2);
INSERT INTO registry.household_member VALUES
    (:'gino', 1, 'declarant'), (:'rita', 1, 'spouse'), (:'leo', 1, 'dependant'), (:'ada', 1, 'dependant'),
    (:'elio', 2, 'declarant');
INSERT INTO registry.guardian VALUES (:'teo', :'ivo', '[2014-01-01,2016-01-01)');

--------------------------------------------------------------------------
-- 1. Who and when
--------------------------------------------------------------------------
SELECT throws_ok(
    format($$SELECT pg_temp.declare('%s', 'RE1', '2015-03-01')$$,
           ticket.fiscal_code_encode('Nessuno', 'Nemo', 'M', '1970-01-01', 'A944')),
    '23503', format('citizen %s is not in the registry', ticket.fiscal_code_encode('Nessuno', 'Nemo', 'M', '1970-01-01', 'A944')),
    'a citizen not in the registry (23503)');
SELECT throws_ok(
    format($$SELECT pg_temp.declare('%s', 'RE1', '2016-01-01', '2015-12-01')$$, :'ezio'),
    'TK010', format('citizen %s died on 2016-01-01: no declaration on 2016-01-01', :'ezio'),
    'a declaration applying from the day of death (TK010)');
SELECT lives_ok(
    format($$SELECT pg_temp.declare('%s', 'RE1', '2015-12-31', '2015-12-01')$$, :'ezio'),
    'a declaration applying from the day before the death');

-- Declarants.
SELECT throws_ok(
    format($$SELECT pg_temp.declare('%s', 'RE1', '2015-03-01', NULL, '%s')$$, :'mario', :'elio'),
    'TK011', format('%s may not self-certify the income band of %s', :'elio', :'mario'),
    'a stranger may not declare for an adult (TK011)');
SELECT throws_ok(
    format($$SELECT pg_temp.declare('%s', 'RE1', '2015-03-01', NULL, '%s')$$, :'ada', :'gino'),
    'TK011', NULL, 'a parent may not declare for an adult child of the household (TK011)');
SELECT throws_ok(
    format($$SELECT pg_temp.declare('%s', 'RE1', '2015-03-01', NULL, '%s')$$, :'gino', :'ada'),
    'TK011', NULL, 'an adult child may not declare for the parent (TK011)');
SELECT throws_ok(
    format($$SELECT pg_temp.declare('%s', 'RE1', '2015-03-01', NULL, '%s')$$, :'leo', :'ada'),
    'TK011', NULL, 'a sibling (dependant) may not declare for a minor (TK011)');
SELECT throws_ok(
    format($$SELECT pg_temp.declare('%s', 'RE1', '2015-03-01', NULL, '%s')$$, :'leo', :'elio'),
    'TK011', NULL, 'the declarant of another household may not declare for a minor (TK011)');
SELECT throws_ok(
    format($$SELECT pg_temp.declare('%s', 'RE1', '2015-03-01', NULL, '%s')$$, :'gino', :'leo'),
    'TK011', NULL, 'a minor may not declare for the parent (TK011)');
SELECT lives_ok(
    format($$SELECT pg_temp.declare('%s', 'RE2', '2015-03-01', NULL, '%s')$$, :'leo', :'gino'),
    'the household declarant declares for a minor dependant');
SELECT lives_ok(
    format($$SELECT pg_temp.declare('%s', 'RE3', '2016-03-01', NULL, '%s')$$, :'leo', :'rita'),
    'the spouse declares for a minor dependant');
SELECT lives_ok(
    format($$SELECT pg_temp.declare('%s', 'RE1', '2018-06-14', NULL, '%s')$$, :'leo', :'gino'),
    'a parent declares on the last day before the 18th birthday');
SELECT throws_ok(
    format($$SELECT pg_temp.declare('%s', 'RE1', '2018-06-15', NULL, '%s')$$, :'leo', :'gino'),
    'TK011', NULL, '... not on the 18th birthday (TK011)');
SELECT lives_ok(
    format($$SELECT pg_temp.declare('%s', 'RE1', '2018-06-15')$$, :'leo'),
    '... when the new adult declares for himself');
SELECT lives_ok(
    format($$SELECT pg_temp.declare('%s', 'RE2', '2015-03-01', '2014-06-01', '%s')$$, :'teo', :'ivo'),
    'a guardian declares for the ward during the appointment');
SELECT throws_ok(
    format($$SELECT pg_temp.declare('%s', 'RE3', '2016-02-01', '2016-01-01', '%s')$$, :'teo', :'ivo'),
    'TK011', NULL, '... not once the appointment has ended (TK011)');
SELECT throws_ok(
    format($$SELECT pg_temp.declare('%s', 'RE3', '2014-02-01', '2013-12-31', '%s')$$, :'teo', :'ivo'),
    'TK011', NULL, '... nor before it began (TK011)');

-- Bands of the regime.
SELECT throws_ok(
    format($$SELECT pg_temp.declare('%s', 'QB', '2015-03-01')$$, :'mario'),
    'TK004', 'regime ER-2012-02-01 in force on 2015-03-01 does not define income band QB',
    'a 2019 band in 2015 (TK004)');
SELECT is(pg_temp.error_detail(format($$SELECT pg_temp.declare('%s', 'QB', '2015-03-01')$$, :'mario')),
          'TK004: Its bands are RE1, RE2, RE3.', 'TK004 lists the bands of the regime');
SELECT throws_ok(
    format($$SELECT pg_temp.declare('%s', 'RE2', '2019-03-01')$$, :'mario'),
    'TK004', 'regime ER-2019-01-01 in force on 2019-03-01 does not define income band RE2',
    'a 2011 band in 2019 (TK004)');
SELECT throws_ok(
    format($$SELECT pg_temp.declare('%s', 'QB', '2020-09-01')$$, :'mario'),
    'TK004', 'regime ER-2020-09-01 in force on 2020-09-01 does not define income band QB',
    'any band from 2020-09-01 (TK004)');
SELECT is(pg_temp.error_detail(format($$SELECT pg_temp.declare('%s', 'QB', '2023-01-01')$$, :'mario')),
          'TK004: It defines no income bands.', '... the detail says there are none');
SELECT throws_ok(
    format($$SELECT pg_temp.declare('%s', 'RE1', '2011-08-28')$$, :'mario'),
    'TK004', NULL, 'a band before the 2011 regime (TK004)');
SELECT lives_ok(format($$SELECT pg_temp.declare('%s', 'RE1', '2011-08-29')$$, :'elio'),
                'RE1 on the first day of the 2011 regime');
SELECT lives_ok(format($$SELECT pg_temp.declare('%s', 'QM', '2020-08-31')$$, :'elio'),
                'QM on the last day of the 2019 regime');

-- Backdating, valid_until, operator and channel.
SELECT pg_temp.declare(:'mario', 'RE2', '2015-03-01', '2015-02-20') AS m1 \gset
SELECT throws_ok(
    format($$SELECT pg_temp.declare('%s', 'RE3', '2015-02-28')$$, :'mario'),
    'TK012', format('a declaration for %s from 2015-02-28 would apply before the current one (from 2015-03-01)', :'mario'),
    'a declaration applying before the current one (TK012)');
SELECT throws_ok(
    format($$INSERT INTO registry.declaration (fiscal_code, band, declarant, channel, operator, applies_from, valid_until)
             VALUES ('%1$s', 'RE3', '%1$s', 'cup_desk', 'op1', '2016-01-01', '2017-01-01')$$, :'mario'),
    '428C9', 'valid_until of a declaration is set by the next declaration',
    'valid_until written by hand (428C9)');
SELECT throws_ok(
    format($$SELECT registry.self_certify('%s', 'RE3', 'cup_desk', NULL, '2016-01-01')$$, :'mario'),
    '23514', 'new row for relation "declaration" violates check constraint "declaration_operator_by_channel"',
    'a desk declaration without its operator (23514)');
SELECT throws_ok(
    format($$SELECT registry.self_certify('%s', 'RE3', 'fse_online', 'op1', '2016-01-01')$$, :'mario'),
    '23514', 'new row for relation "declaration" violates check constraint "declaration_operator_by_channel"',
    'an online declaration with an operator (23514)');
SELECT throws_ok(
    format($$SELECT registry.self_certify('%s', 'RE3', 'e-mail', 'op1', '2016-01-01')$$, :'mario'),
    '23514', NULL, 'an unknown channel (23514)');
SELECT throws_ok(
    format($$SELECT registry.self_certify('%s', 'RE3', 'cup_desk', '', '2016-01-01')$$, :'mario'),
    '23514', NULL, 'an empty operator (23514)');
SELECT is((SELECT count(*)::int FROM registry.declaration WHERE fiscal_code = :'mario'), 1,
          'none of the refused declarations left a row');
SELECT is((SELECT valid_until FROM registry.declaration WHERE declaration_id = :m1), NULL,
          '... nor closed the current one');

--------------------------------------------------------------------------
-- 2. Closing, same-day correction, history
--------------------------------------------------------------------------
SELECT (registry.self_certify(:'mario', 'RE3', 'fse_online', NULL, '2016-01-01', NULL, 2014,
                              '2015-12-20')).declaration_id AS m2 \gset
SELECT is((SELECT valid_until FROM registry.declaration WHERE declaration_id = :m1), '2016-01-01'::date,
          'the next declaration closes the current one on its applies_from');
SELECT is((SELECT valid FROM registry.declaration WHERE declaration_id = :m1), '[2015-03-01,2016-01-01)'::daterange,
          '... its range ends there');
SELECT is((SELECT valid FROM registry.declaration WHERE declaration_id = :m2), '[2016-01-01,)'::daterange,
          'the new one is current');
SELECT ok((SELECT declared_band = 'RE2' FROM registry.status_on(:'mario', '2015-12-31'))
          AND (SELECT declared_band = 'RE3' FROM registry.status_on(:'mario', '2016-01-01')),
          'status_on: RE2 on the last day of the first, RE3 from the second');
SELECT pg_temp.declare(:'mario', 'RE1', '2016-01-01', '2016-01-02') AS m3 \gset
SELECT is((SELECT valid FROM registry.declaration WHERE declaration_id = :m2), 'empty'::daterange,
          'a correction from the same day supersedes the corrected one entirely (empty range)');
SELECT is((SELECT valid_until FROM registry.declaration WHERE declaration_id = :m2), '2016-01-01'::date,
          '... valid_until = applies_from');
SELECT is((SELECT declared_band FROM registry.status_on(:'mario', '2016-01-01')), 'RE1'::income_band,
          '... and the correction applies');
SELECT results_eq(
    format($$SELECT declaration_id, band, band_from FROM fse.profile WHERE fiscal_code = '%s'$$, :'mario'),
    format($$VALUES (%s::bigint, 'RE1'::ticket.income_band, '2016-01-01'::date)$$, :m3),
    'the FSE profile shows the correction');

SELECT throws_ok(format($$UPDATE registry.declaration SET band = 'RE3' WHERE declaration_id = %s$$, :m1),
                 'TK018', 'registry.declaration rows are history: they cannot be changed',
                 'changing a declaration (TK018)');
SELECT throws_ok(format($$UPDATE registry.declaration SET valid_until = '2017-01-01' WHERE declaration_id = %s$$, :m3),
                 'TK018', 'registry.declaration rows are history: they cannot be changed',
                 'closing a declaration by hand (TK018)');
SELECT throws_ok(format($$UPDATE registry.declaration SET valid_until = NULL WHERE declaration_id = %s$$, :m1),
                 'TK018', NULL, 'reopening a closed declaration (TK018)');
SELECT throws_ok(format($$DELETE FROM registry.declaration WHERE declaration_id = %s$$, :m1),
                 'TK018', 'registry.declaration rows are history: they cannot be deleted',
                 'deleting a declaration (TK018)');
-- The network's own writes (ticket.internal_write) pass declaration_history
-- only to set valid_until alone: its WHEN.
SELECT ticket.internal_write(true) IS NOT NULL AS iw \gset
SELECT throws_ok(format($$UPDATE registry.declaration SET band = 'RE3' WHERE declaration_id = %s$$, :m1),
                 'TK018', 'registry.declaration rows are history: they cannot be changed',
                 'an internal write changing a declaration''s band (TK018)');
SELECT throws_ok(format($$UPDATE registry.declaration SET applies_from = applies_from - 1, valid_until = valid_until WHERE declaration_id = %s$$, :m1),
                 'TK018', NULL, 'an internal write moving a declaration''s start (TK018)');
SELECT throws_ok(format($$DELETE FROM registry.declaration WHERE declaration_id = %s$$, :m1),
                 'TK018', NULL, 'an internal write deleting a declaration (TK018)');
SELECT lives_ok(format($$UPDATE registry.declaration SET valid_until = valid_until WHERE declaration_id = %s$$, :m1),
                'an internal write of valid_until alone passes (the closing)');
SELECT ticket.internal_write(false) IS NOT NULL AS iw \gset

--------------------------------------------------------------------------
-- 3. Events
--------------------------------------------------------------------------
SELECT results_eq(
    format($$SELECT detail FROM fse.event WHERE fiscal_code = '%s' AND kind = 'declaration' ORDER BY event_id$$, :'mario'),
    format($$VALUES (jsonb_build_object('declaration_id', %s, 'band', 'RE2', 'applies_from', '2015-03-01', 'channel', 'cup_desk')),
                    (jsonb_build_object('declaration_id', %s, 'band', 'RE3', 'applies_from', '2016-01-01', 'channel', 'fse_online')),
                    (jsonb_build_object('declaration_id', %s, 'band', 'RE1', 'applies_from', '2016-01-01', 'channel', 'cup_desk'))$$,
           :m1, :m2, :m3),
    'one FSE event per declaration, in order');
SELECT results_eq(
    format($$SELECT subject, payload FROM ticket.event WHERE fiscal_code = '%s' AND kind = 'declaration' ORDER BY event_id$$, :'mario'),
    format($$VALUES ('%s'::text, jsonb_build_object('band', 'RE2', 'applies_from', '2015-03-01', 'declarant', '%s', 'channel', 'cup_desk')),
                    ('%s', jsonb_build_object('band', 'RE3', 'applies_from', '2016-01-01', 'declarant', '%s', 'channel', 'fse_online')),
                    ('%s', jsonb_build_object('band', 'RE1', 'applies_from', '2016-01-01', 'declarant', '%s', 'channel', 'cup_desk'))$$,
           :m1, :'mario', :m2, :'mario', :m3, :'mario'),
    'one outbox event per declaration, in order');
SELECT is((SELECT payload ->> 'declarant' FROM ticket.event WHERE kind = 'declaration' AND fiscal_code = :'leo'
            ORDER BY event_id LIMIT 1), :'gino'::text,
          'the outbox event names the declarant who signed for a minor');

-- One statement, several citizens: set-wise propagation.
SELECT pg_temp.citizen('Uno', 'Primo', 'M', '1980-01-01') AS uno,
       pg_temp.citizen('Due', 'Seconda', 'F', '1981-02-02') AS due \gset
SELECT lives_ok(
    format($$INSERT INTO registry.declaration (fiscal_code, band, declarant, channel, applies_from)
             VALUES ('%1$s', 'RE1', '%1$s', 'revenue_agency', '2015-05-01'),
                    ('%2$s', 'RE3', '%2$s', 'revenue_agency', '2015-06-01')$$, :'uno', :'due'),
    'two citizens declared in one statement');
SELECT results_eq(
    format($$SELECT p.fiscal_code::text, p.band::text, p.band_from FROM fse.profile p
              WHERE p.fiscal_code IN ('%s', '%s') ORDER BY p.band$$, :'uno', :'due'),
    format($$VALUES ('%s'::text, 'RE1'::text, '2015-05-01'::date), ('%s', 'RE3', '2015-06-01')$$, :'uno', :'due'),
    '... both FSE profiles');
SELECT is((SELECT count(*)::int FROM ticket.event WHERE kind = 'declaration' AND fiscal_code IN (:'uno', :'due')), 2,
          '... both outbox events');

--------------------------------------------------------------------------
-- 4. Downstream: boxes, re-pricing, adjustments in the 2011 transition
--    (S3 S4 S5: forms signed until 30 September 2011 settle the services
--    from 29 August; afterwards, and in later regimes, paid bookings are
--    final)
--------------------------------------------------------------------------
SELECT pg_temp.citizen('Costa', 'Elena', 'F', '1965-08-08') AS elena \gset
-- 88.74.1 (exam, 45.00) in 2011 and 2012: no band 51.15, RE1 36.15, RE2 41.15, RE3 46.15
SELECT count(*) AS written FROM (
    SELECT fse.prescribe(nre, :'elena', 'GP001', ARRAY['88.74.1'], NULL, d::date)
      FROM (VALUES ('080000000000101', '2011-08-29'), ('080000000000102', '2011-09-05'),
                   ('080000000000103', '2011-10-10'), ('080000000000104', '2012-02-06'),
                   ('080000000000105', '2011-09-01'), ('080000000000106', '2011-09-01')) v(nre, d)) s \gset
SELECT (cup.book('080000000000101', '2011-08-31')).booking_id AS bk_before,
       (cup.book('080000000000102', '2011-09-10')).booking_id AS bk_after,
       (cup.book('080000000000103', '2011-10-15')).booking_id AS bk_later,
       (cup.book('080000000000104', '2012-02-10')).booking_id AS pp_out,
       (cup.book('080000000000105', '2011-09-02')).booking_id AS pp_in,
       (cup.book('080000000000106', '2011-09-03')).booking_id AS pp_done \gset
SELECT (cup.pay(:pp_out, 51.15)).status AS s1, (cup.pay(:pp_in, 51.15)).status AS s2,
       (cup.pay(:pp_done, 51.15)).status AS s3 \gset
SELECT (cup.complete(:pp_done)).status AS s4 \gset
SELECT coalesce(max(event_id), 0) AS ev0 FROM ticket.event \gset
SELECT coalesce(max(adjustment_id), 0) AS adj0 FROM cup.adjustment \gset

-- Known on 2011-09-20, inside the transition: the paid services of the 2011
-- regime from applies_from are settled; the paid one of 2012 (a regime
-- without a window) is not.
SELECT pg_temp.declare(:'elena', 'RE2', '2011-09-01', '2011-09-20') AS e1 \gset

SELECT results_eq(
    format($$SELECT booking_id, status, amount FROM cup.booking WHERE fiscal_code = '%s' ORDER BY booking_id$$, :'elena'),
    format($$VALUES (%s::bigint, 'booked'::text, 51.15::numeric(8,2)), (%s, 'booked', 41.15), (%s, 'booked', 41.15),
                    (%s, 'paid', 51.15), (%s, 'paid', 51.15), (%s, 'done', 51.15)$$,
           :bk_before, :bk_after, :bk_later, :pp_out, :pp_in, :pp_done),
    'unpaid bookings from applies_from are re-priced (RE2), the earlier one and the paid ones are not');
SELECT is((SELECT bill FROM cup.booking WHERE booking_id = :bk_after),
          ticket.price(ARRAY['88.74.1'], 'RE2', NULL, '2011-09-10'),
          'the re-priced bill is the engine''s bill for RE2 on the service date');
SELECT results_eq(
    format($$SELECT booking_id, amount, reason FROM cup.adjustment WHERE adjustment_id > %s ORDER BY booking_id$$, :adj0),
    format($$VALUES (%s::bigint, -10.00::numeric(8,2), 'declaration'::text), (%s, -10.00, 'declaration')$$,
           :pp_in, :pp_done),
    'S3 S4 S5: paid and done bookings of the 2011 transition get a refund; the paid one of 2012, none');
SELECT bag_eq(
    format($$SELECT kind, subject, payload FROM ticket.event WHERE event_id > %s AND kind <> 'declaration'$$, :ev0),
    format($$VALUES ('repriced'::text, '%s'::text, '{"old_amount": 51.15, "new_amount": 41.15, "service_date": "2011-09-10", "regime": "ER-2011-08-29"}'::jsonb),
                    ('repriced', '%s', '{"old_amount": 51.15, "new_amount": 41.15, "service_date": "2011-10-15", "regime": "ER-2011-08-29"}'),
                    ('adjustment', (SELECT adjustment_id::text FROM cup.adjustment WHERE booking_id = %s),
                     jsonb_build_object('booking_id', %s, 'amount', -10.00, 'reason', 'declaration')),
                    ('adjustment', (SELECT adjustment_id::text FROM cup.adjustment WHERE booking_id = %s),
                     jsonb_build_object('booking_id', %s, 'amount', -10.00, 'reason', 'declaration'))$$,
           :bk_after, :bk_later, :pp_in, :pp_in, :pp_done, :pp_done),
    'repriced and adjustment events');
SELECT results_eq(
    format($$SELECT nre, band::text FROM fse.prescription WHERE fiscal_code = '%s' ORDER BY nre$$, :'elena'),
    $$VALUES ('080000000000101'::text, NULL::text), ('080000000000102', 'RE2'), ('080000000000103', 'RE2'),
             ('080000000000104', 'RE2'), ('080000000000105', 'RE2'), ('080000000000106', 'RE2')$$,
    'prescription boxes from applies_from are refreshed, the earlier one keeps its box');
SELECT results_eq(
    format($$SELECT declaration_id, band::text, band_from, exemptions FROM fse.profile WHERE fiscal_code = '%s'$$, :'elena'),
    format($$VALUES (%s::bigint, 'RE2'::text, '2011-09-01'::date, '{}'::registry.exemption_period[])$$, :e1),
    'the FSE profile');
SELECT is((SELECT count(*)::int FROM ticket.check_consistency()), 0, 'check_consistency() is empty');

-- A second change inside the window, on its last day, adjusts by what is
-- still due.
SELECT pg_temp.declare(:'elena', 'RE1', '2011-09-02', '2011-09-30') AS e2 \gset
SELECT results_eq(
    format($$SELECT booking_id, sum(amount) FROM cup.adjustment WHERE adjustment_id > %s GROUP BY booking_id ORDER BY booking_id$$, :adj0),
    format($$VALUES (%s::bigint, -15.00::numeric), (%s, -15.00)$$, :pp_in, :pp_done),
    'S3 S4 S5: a second declaration, signed on 30 September 2011, adds only the remaining difference (-5.00 on top of -10.00)');
SELECT is((SELECT amount FROM cup.booking WHERE booking_id = :bk_after), 36.15::numeric(8,2),
          'the unpaid booking follows (RE1)');
SELECT is((SELECT amount FROM cup.booking WHERE booking_id = :pp_in), 51.15::numeric(8,2),
          'the paid booking keeps its amount');
-- Known a day too late: the transition closed on 30 September 2011.
SELECT pg_temp.declare(:'elena', 'RE3', '2011-09-02', '2011-10-01') AS e3 \gset
SELECT is((SELECT count(*)::int FROM cup.adjustment WHERE adjustment_id > :adj0 AND booking_id = :pp_in), 2,
          'S3 S4 S5: a declaration signed on 1 October 2011 adjusts nothing (1.1: within 60 days of the service)');
SELECT is((SELECT count(*)::int FROM cup.adjustment WHERE adjustment_id > :adj0 AND booking_id = :pp_done), 2,
          '... nor the done service of the next day');
SELECT is((SELECT sum(amount) FROM cup.adjustment WHERE booking_id = :pp_done), -15.00::numeric,
          '... which keeps its RE1 settlement (36.15 - 51.15), not RE3''s (46.15 - 51.15)');
SELECT is((SELECT amount FROM cup.booking WHERE booking_id = :bk_after), 46.15::numeric(8,2),
          'unpaid bookings are re-priced whatever the signing date');
SELECT is((SELECT count(*)::int FROM ticket.check_consistency()), 0, 'check_consistency() is still empty');

--------------------------------------------------------------------------
-- 5. The 2019 regime: QB / QM; a 2011 band still on record is charged QB,
--    no declaration QM (S15 S48)
--------------------------------------------------------------------------
SELECT pg_temp.citizen('Vecchi', 'Aldo', 'M', '1950-12-12') AS aldo \gset
SELECT pg_temp.declare(:'aldo', 'RE2', '2015-03-01') AS a1 \gset
SELECT count(*) AS written FROM (
    SELECT fse.prescribe('080000000000201', :'aldo', 'GP001', ARRAY['88.74.1'], NULL, '2018-12-01')
    UNION ALL
    SELECT fse.prescribe('080000000000202', :'aldo', 'GP001', ARRAY['88.74.1'], NULL, '2019-03-01')
    UNION ALL
    SELECT fse.prescribe('080000000000203', :'aldo', 'GP001', ARRAY['88.74.1'], NULL, '2021-03-01')) s \gset
SELECT (cup.book('080000000000201', '2018-12-20')).booking_id AS ab2018,
       (cup.book('080000000000202', '2019-03-10')).booking_id AS ab2019,
       (cup.book('080000000000203', '2021-03-10')).booking_id AS ab2021 \gset

SELECT is(ticket.effective_band('RE2', '2019-03-10'), 'QB'::income_band, 'S15 S48: effective_band: RE2 is charged QB in 2019');
SELECT is(ticket.effective_band('RE2', '2018-12-31'), 'RE2'::income_band, '... and is RE2 on the last day of 2018');
SELECT results_eq(
    format($$SELECT band::text, declared_band::text, exemptions, regime FROM fse.status('%s', '2019-03-10')$$, :'aldo'),
    $$VALUES ('QB'::text, 'RE2'::text, '{}'::ticket.exemption[], 'ER-2019-01-01'::text)$$,
    'S15 S48: fse.status in 2019: RE2 declared, QB charged');
SELECT results_eq(
    format($$SELECT booking_id, amount, (bill).band::text, (bill).regime FROM cup.booking WHERE fiscal_code = '%s' ORDER BY booking_id$$, :'aldo'),
    format($$VALUES (%s::bigint, 41.15::numeric(8,2), 'RE2'::text, 'ER-2012-02-01'::text),
                    (%s, 36.15, 'QB', 'ER-2019-01-01'), (%s, 36.15, NULL, 'ER-2020-09-01')$$,
           :ab2018, :ab2019, :ab2021),
    'S15 S48: the 2018 booking pays RE2; the 2019 one QB (the RE2 carried over); the 2021 one no band');
SELECT results_eq(
    format($$SELECT nre, band::text FROM fse.prescription WHERE fiscal_code = '%s' ORDER BY nre$$, :'aldo'),
    $$VALUES ('080000000000201'::text, 'RE2'::text), ('080000000000202', 'QB'), ('080000000000203', NULL)$$,
    'S15 S48: prescription band boxes: RE2 in 2018, QB in 2019, empty in 2021');
-- Nothing declared: the default band QM (S15 S16).
SELECT pg_temp.citizen('Nuovi', 'Nino', 'M', '1952-02-02') AS nino \gset
SELECT count(*) AS written FROM (
    SELECT fse.prescribe('080000000000204', :'nino', 'GP001', ARRAY['88.74.1'], NULL, '2019-03-01')) s \gset
SELECT results_eq(
    $$SELECT amount, (bill).band::text, (bill).regime FROM cup.book('080000000000204', '2019-03-10')$$,
    $$VALUES (51.15::numeric(8,2), 'QM'::text, 'ER-2019-01-01'::text)$$,
    'S15 S16: nothing declared, the 2019 booking pays the default band QM (36.15 + 15.00)');
SELECT is((SELECT band::text FROM fse.profile WHERE fiscal_code = :'aldo'), 'RE2',
          'the FSE profile shows the declared band');

SELECT pg_temp.declare(:'aldo', 'QB', '2019-01-01', '2019-02-01') AS a2 \gset
SELECT results_eq(
    format($$SELECT booking_id, amount, (bill).band::text FROM cup.booking WHERE fiscal_code = '%s' ORDER BY booking_id$$, :'aldo'),
    format($$VALUES (%s::bigint, 41.15::numeric(8,2), 'RE2'::text), (%s, 36.15, 'QB'), (%s, 36.15, NULL)$$,
           :ab2018, :ab2019, :ab2021),
    'QB from 2019: the 2019 booking pays QB; 2018 and 2021 unchanged');
SELECT results_eq(
    format($$SELECT nre, band::text FROM fse.prescription WHERE fiscal_code = '%s' ORDER BY nre$$, :'aldo'),
    $$VALUES ('080000000000201'::text, 'RE2'::text), ('080000000000202', 'QB'), ('080000000000203', NULL)$$,
    '... the 2019 prescription box shows QB; 2021 none (no bands after 2020-09-01)');
SELECT results_eq(
    format($$SELECT band::text, declared_band::text FROM fse.status('%s', '2021-03-10')$$, :'aldo'),
    $$VALUES (NULL::text, 'QB'::text)$$,
    'fse.status in 2021: QB declared, not charged');
SELECT pg_temp.declare(:'aldo', 'QM', '2019-03-10', '2019-03-15') AS a3 \gset
SELECT is((SELECT amount FROM cup.booking WHERE booking_id = :ab2019), 51.15::numeric(8,2),
          'QM from the service date: the 2019 booking pays QM');
SELECT is((SELECT (bill).band::text FROM cup.booking WHERE booking_id = :ab2019), 'QM',
          '... with QM on the bill');
SELECT is((SELECT count(*)::int FROM ticket.check_consistency()), 0, 'check_consistency() is empty at the end');

SELECT * FROM finish();
ROLLBACK;
