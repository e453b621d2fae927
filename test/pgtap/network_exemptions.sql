-- test/pgtap/network_exemptions.sql
--
-- The network (0.3), registry.exemption_grant: income exemptions closed at
-- the next 1 April and refused beyond it, other exemptions open-ended, no
-- overlap (23P01), inserted unrevoked, living and registered citizens;
-- revocation (once: a second one is TK018), the effective range, history
-- (TK018), and propagation: FSE profile and events, outbox, prescription
-- boxes, re-pricing from the start (or the revocation) date, adjustments of
-- paid bookings only inside the 2011 transition (granted_at / revoked_at
-- until 30 September 2011 for the services from 29 August; S3 S4 S5), and
-- a grant revoked before it starts dropping out of the profile.
--
-- Assumes CREATE EXTENSION ticket CASCADE and pgtap.  Run: pg_prove -d DB test/pgtap/

\set ON_ERROR_STOP 1
BEGIN;
\ir ../fixtures/birthplaces.sql
SET search_path = ticket, public;

SELECT plan(59);

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

CREATE FUNCTION pg_temp.grant_(citizen text, exemption text, valid_from date, valid_until date DEFAULT NULL,
                               granted_on date DEFAULT NULL)
RETURNS bigint LANGUAGE sql AS $$
    SELECT (registry.grant_exemption(citizen::ticket.fiscal_code, exemption::ticket.exemption, valid_from,
                                     'asl_certificate', valid_until,
                                     coalesce(granted_on, valid_from)::timestamptz)).grant_id $$;

SELECT pg_temp.citizen('Rossi', 'Mario', 'M', '1970-05-10') AS mario,
       pg_temp.citizen('Morti', 'Ezio', 'M', '1930-01-01', 'A944', '2016-01-01') AS ezio,
       pg_temp.citizen('Costa', 'Elena', 'F', '1965-08-08') AS elena,
       pg_temp.citizen('Fabbri', 'Nina', 'F', '1975-07-07', 'F257') AS nina,
       pg_temp.citizen('Greco', 'Ugo', 'M', '1966-06-06', 'H223') AS ugo \gset

--------------------------------------------------------------------------
-- 1. Ranges
--------------------------------------------------------------------------
SELECT pg_temp.grant_(:'mario', 'E01', '2015-06-01') AS g_e01 \gset
SELECT is((SELECT valid FROM registry.exemption_grant WHERE grant_id = :g_e01), '[2015-06-01,2016-04-01)'::daterange,
          'an open income exemption from June ends at the next 1 April');
SELECT pg_temp.grant_(:'mario', 'E02', '2015-02-01') AS g_e02 \gset
SELECT pg_temp.grant_(:'mario', 'E03', '2015-04-01') AS g_e03 \gset
SELECT pg_temp.grant_(:'mario', 'E04', '2015-03-31') AS g_e04 \gset
SELECT is((SELECT valid FROM registry.exemption_grant WHERE grant_id = :g_e02),
          '[2015-02-01,2015-04-01)'::daterange, '... from February, at the 1 April of the same year');
SELECT is((SELECT valid FROM registry.exemption_grant WHERE grant_id = :g_e03),
          '[2015-04-01,2016-04-01)'::daterange, '... from 1 April, a whole year');
SELECT is((SELECT valid FROM registry.exemption_grant WHERE grant_id = :g_e04),
          '[2015-03-31,2015-04-01)'::daterange, '... from 31 March, one day');
SELECT throws_ok(
    format($$SELECT pg_temp.grant_('%s', 'E01', '2016-06-01', '2017-04-02')$$, :'elena'),
    '22023', 'income exemption E01 runs at most to 31 March 2017: [2016-06-01,2017-04-02) asks until 2017-04-01',
    'an income exemption past the next 1 April is refused (22023)');
SELECT pg_temp.grant_(:'elena', 'E01', '2016-06-01', '2017-04-01') AS g_el1 \gset
SELECT pg_temp.grant_(:'elena', 'C01', '2016-06-01') AS g_el2 \gset
SELECT is((SELECT valid FROM registry.exemption_grant WHERE grant_id = :g_el1),
          '[2016-06-01,2017-04-01)'::daterange, '... up to 31 March it is granted as asked');
SELECT is((SELECT valid FROM registry.exemption_grant WHERE grant_id = :g_el2),
          '[2016-06-01,)'::daterange, 'other exemptions stay open-ended');

SELECT throws_ok(
    format($$SELECT pg_temp.grant_('%s', 'E01', '2015-10-01', '2016-01-01')$$, :'mario'),
    '23P01', NULL, 'the same exemption twice over the same dates (23P01)');
SELECT lives_ok(
    format($$SELECT pg_temp.grant_('%s', 'E01', '2016-04-01')$$, :'mario'),
    'the next year, adjacent, is granted');
SELECT lives_ok(
    format($$SELECT pg_temp.grant_('%s', 'C02', '2015-10-01')$$, :'mario'),
    'another exemption over the same dates is granted');
SELECT throws_ok(
    format($$INSERT INTO registry.exemption_grant (fiscal_code, exemption, valid, source, revoked_on, revoked_at, revocation_reason)
             VALUES ('%s', 'C03', '[2015-01-01,)', 'asl_certificate', '2015-06-01', now(), 'x')$$, :'mario'),
    '22023', 'a grant is inserted unrevoked', 'a grant inserted already revoked (22023)');
SELECT throws_ok(
    format($$SELECT registry.grant_exemption('%s', 'C03', NULL, 'asl_certificate')$$, :'mario'),
    '23514', NULL, 'a grant without a start (23514)');
SELECT throws_ok(
    format($$SELECT registry.grant_exemption('%s', 'C03', '2015-01-01', 'neighbour')$$, :'mario'),
    '23514', NULL, 'an unknown source (23514)');
SELECT throws_ok(
    format($$SELECT pg_temp.grant_('%s', 'C01', '2016-01-01', NULL, '2015-12-01')$$, :'ezio'),
    'TK010', format('citizen %s died on 2016-01-01: no exemption on 2016-01-01', :'ezio'),
    'a grant from the day of death (TK010)');
SELECT throws_ok(
    format($$SELECT pg_temp.grant_('%s', 'C01', '2015-01-01')$$,
           ticket.fiscal_code_encode('Nessuno', 'Nemo', 'M', '1970-01-01', 'A944')),
    '23503', NULL, 'a citizen not in the registry (23503)');

--------------------------------------------------------------------------
-- 2. Revocation and history
--------------------------------------------------------------------------
SELECT pg_temp.grant_(:'nina', 'C01', '2015-01-01') AS g_nina \gset
SELECT lives_ok(format($$SELECT registry.revoke_exemption(%s, '2015-07-01', 'no longer invalid', '2015-07-02')$$, :g_nina),
                'revoking a grant');
SELECT results_eq(
    format($$SELECT valid, effective, revoked_on, revoked_at, revocation_reason FROM registry.exemption_grant WHERE grant_id = %s$$, :g_nina),
    $$VALUES ('[2015-01-01,)'::daterange, '[2015-01-01,2015-07-01)'::daterange, '2015-07-01'::date,
              '2015-07-02'::timestamptz, 'no longer invalid'::text)$$,
    'the grant keeps its range; effective ends at the revocation');
SELECT throws_ok(format($$SELECT registry.revoke_exemption(%s, '2015-08-01', 'again')$$, :g_nina),
                 'TK018', 'registry.exemption_grant rows are history: they cannot be changed',
                 'a second revocation (TK018)');
SELECT throws_ok(format($$UPDATE registry.exemption_grant SET revoked_on = NULL, revoked_at = NULL, revocation_reason = NULL WHERE grant_id = %s$$, :g_nina),
                 'TK018', NULL, 'undoing a revocation (TK018)');
SELECT throws_ok(format($$UPDATE registry.exemption_grant SET valid = '[2015-01-01,2015-03-01)' WHERE grant_id = %s$$, :g_e01),
                 'TK018', NULL, 'changing the range (TK018)');
SELECT throws_ok(format($$UPDATE registry.exemption_grant SET exemption = 'E02', revoked_on = '2015-09-01', revoked_at = now(), revocation_reason = 'x' WHERE grant_id = %s$$, :g_e01),
                 'TK018', NULL, 'changing the exemption along with a revocation (TK018)');
SELECT throws_ok(format($$DELETE FROM registry.exemption_grant WHERE grant_id = %s$$, :g_e01),
                 'TK018', 'registry.exemption_grant rows are history: they cannot be deleted',
                 'deleting a grant (TK018)');
SELECT throws_ok(format($$SELECT registry.revoke_exemption(%s, '2015-08-01', NULL)$$, :g_e01),
                 '23514', NULL, 'a revocation without a reason (23514)');
SELECT throws_ok($$SELECT registry.revoke_exemption(-1, '2015-08-01', 'x')$$,
                 'P0002', 'exemption grant -1 does not exist', 'revoking a grant that does not exist (P0002)');
SELECT lives_ok(
    format($$SELECT pg_temp.grant_('%s', 'C01', '2015-07-01')$$, :'nina'),
    'the same exemption can be granted again from the revocation date');
SELECT throws_ok(
    format($$SELECT pg_temp.grant_('%s', 'C01', '2015-06-30', '2015-07-01')$$, :'nina'),
    '23P01', NULL, '... but not over the dates the revoked grant still covers (23P01)');
SELECT lives_ok(format($$SELECT registry.revoke_exemption(%s, '2014-01-01', 'granted by mistake')$$, :g_e01),
                'revoking before the start');
SELECT is((SELECT effective FROM registry.exemption_grant WHERE grant_id = :g_e01), 'empty'::daterange,
          '... leaves an empty effective range');
SELECT is((SELECT count(*)::int FROM unnest((SELECT exemptions FROM fse.profile WHERE fiscal_code = :'mario')) e
            WHERE e.exemption = 'E01' AND lower(e.valid) = '2015-06-01'), 0,
          'a grant revoked before its start drops from the FSE profile');
SELECT is((SELECT count(*)::int FROM ticket.check_consistency()), 0, 'check_consistency() is empty');

--------------------------------------------------------------------------
-- 3. Propagation (paid bookings settled only in the 2011 transition:
--    S3 S4 S5)
--------------------------------------------------------------------------
SELECT pg_temp.citizen('Riva', 'Sara', 'F', '1980-10-10') AS sara \gset
-- 88.74.1 in 2011 and 2012 without a band: 51.15; with C01: 0.00
SELECT count(*) AS written FROM (
    SELECT fse.prescribe(nre, :'sara', 'GP001', ARRAY['88.74.1'], NULL, d::date)
      FROM (VALUES ('080000000000301', '2011-08-29'), ('080000000000302', '2011-09-05'),
                   ('080000000000303', '2012-02-06'), ('080000000000304', '2011-09-01'),
                   ('080000000000305', '2011-09-06')) v(nre, d)) s \gset
SELECT (cup.book('080000000000301', '2011-08-31')).booking_id AS bk_before,
       (cup.book('080000000000302', '2011-09-10')).booking_id AS bk_after,
       (cup.book('080000000000303', '2012-02-10')).booking_id AS pp_out,
       (cup.book('080000000000304', '2011-09-02')).booking_id AS pp_in \gset
SELECT (cup.pay(:pp_out)).status AS s1, (cup.pay(:pp_in)).status AS s2 \gset
SELECT coalesce(max(event_id), 0) AS ev0 FROM ticket.event \gset
SELECT coalesce(max(event_id), 0) AS fev0 FROM fse.event \gset

SELECT pg_temp.grant_(:'sara', 'C01', '2011-09-01', NULL, '2011-09-20') AS g_sara \gset
SELECT results_eq(
    format($$SELECT booking_id, status, amount FROM cup.booking WHERE fiscal_code = '%s' ORDER BY booking_id$$, :'sara'),
    format($$VALUES (%s::bigint, 'booked'::text, 51.15::numeric(8,2)), (%s, 'booked', 0.00),
                    (%s, 'paid', 51.15), (%s, 'paid', 51.15)$$, :bk_before, :bk_after, :pp_out, :pp_in),
    'a grant re-prices the unpaid bookings from its start; earlier and paid ones keep their amount');
SELECT results_eq(
    format($$SELECT booking_id, a.amount, reason FROM cup.adjustment a JOIN cup.booking b USING (booking_id)
              WHERE b.fiscal_code = '%s' ORDER BY adjustment_id$$, :'sara'),
    format($$VALUES (%s::bigint, -51.15::numeric(8,2), 'exemption_granted'::text)$$, :pp_in),
    'S3 S4 S5: a refund for the paid booking of the 2011 transition, none for the paid one of 2012');
SELECT results_eq(
    format($$SELECT nre, exemptions FROM fse.prescription WHERE fiscal_code = '%s' ORDER BY nre$$, :'sara'),
    $$VALUES ('080000000000301'::text, '{}'::ticket.exemption[]), ('080000000000302', '{C01}'),
             ('080000000000303', '{C01}'), ('080000000000304', '{C01}'), ('080000000000305', '{C01}')$$,
    'exemption boxes of prescriptions from the start are refreshed');
SELECT results_eq(
    format($$SELECT exemptions FROM fse.profile WHERE fiscal_code = '%s'$$, :'sara'),
    $$VALUES (ARRAY[ROW('C01', '[2011-09-01,)', 'asl_certificate')::registry.exemption_period])$$,
    'the FSE profile lists the exemption');
SELECT results_eq(
    format($$SELECT kind, detail FROM fse.event WHERE event_id > %s ORDER BY event_id$$, :fev0),
    format($$VALUES ('exemption_granted'::text, jsonb_build_object('grant_id', %s, 'exemption', 'C01', 'valid', '[2011-09-01,)',
                     'effective', '[2011-09-01,)', 'source', 'asl_certificate', 'revocation_reason', NULL))$$, :g_sara),
    'the FSE event');
SELECT bag_eq(
    format($$SELECT kind, subject, payload FROM ticket.event WHERE event_id > %s$$, :ev0),
    format($$VALUES ('exemption_granted'::text, '%1$s'::text, '{"exemption": "C01", "valid": "[2011-09-01,)", "effective": "[2011-09-01,)", "source": "asl_certificate"}'::jsonb),
                    ('repriced', '%2$s', '{"old_amount": 51.15, "new_amount": 0.00, "service_date": "2011-09-10", "regime": "ER-2011-08-29"}'),
                    ('adjustment', (SELECT adjustment_id::text FROM cup.adjustment WHERE booking_id = %3$s),
                     jsonb_build_object('booking_id', %3$s, 'amount', -51.15, 'reason', 'exemption_granted'))$$,
           :g_sara, :bk_after, :pp_in),
    'outbox: exemption_granted, repriced, adjustment');

-- A paid free booking, then the revocation.
SELECT (cup.book('080000000000305', '2011-09-06')).booking_id AS pp_free \gset
SELECT (cup.pay(:pp_free)).paid_amount AS free_paid \gset
SELECT is(:'free_paid'::numeric, 0.00, 'a free booking is paid 0.00');
SELECT coalesce(max(event_id), 0) AS ev1 FROM ticket.event \gset
SELECT coalesce(max(event_id), 0) AS fev1 FROM fse.event \gset
SELECT lives_ok(format($$SELECT registry.revoke_exemption(%s, '2011-09-05', 'certificate withdrawn', '2011-09-30')$$, :g_sara),
                'revoking from 2011-09-05, known 2011-09-30 (the last day of the transition)');
SELECT results_eq(
    format($$SELECT booking_id, amount FROM cup.booking WHERE fiscal_code = '%s' ORDER BY booking_id$$, :'sara'),
    format($$VALUES (%s::bigint, 51.15::numeric(8,2)), (%s, 51.15), (%s, 51.15), (%s, 51.15), (%s, 0.00)$$,
           :bk_before, :bk_after, :pp_out, :pp_in, :pp_free),
    'the unpaid booking after the revocation pays again; the paid ones keep their amount');
SELECT results_eq(
    format($$SELECT booking_id, amount, reason FROM cup.adjustment WHERE booking_id IN (%s, %s, %s) ORDER BY adjustment_id$$,
           :pp_out, :pp_in, :pp_free),
    format($$VALUES (%s::bigint, -51.15::numeric(8,2), 'exemption_granted'::text), (%s, 51.15, 'exemption_revoked')$$,
           :pp_in, :pp_free),
    'S3 S4 S5: the free booking of the transition owes the amount; the booking before revoked_on is untouched');
SELECT results_eq(
    format($$SELECT nre, exemptions FROM fse.prescription WHERE fiscal_code = '%s' ORDER BY nre$$, :'sara'),
    $$VALUES ('080000000000301'::text, '{}'::ticket.exemption[]), ('080000000000302', '{}'),
             ('080000000000303', '{}'), ('080000000000304', '{C01}'), ('080000000000305', '{}')$$,
    'exemption boxes from the revocation date are emptied (also the 2012 one), the earlier one keeps C01');
SELECT results_eq(
    format($$SELECT exemptions FROM fse.profile WHERE fiscal_code = '%s'$$, :'sara'),
    $$VALUES (ARRAY[ROW('C01', '[2011-09-01,2011-09-05)', 'asl_certificate')::registry.exemption_period])$$,
    'the FSE profile shows the effective range');
SELECT results_eq(
    format($$SELECT kind, detail ->> 'effective', detail ->> 'revocation_reason' FROM fse.event WHERE event_id > %s ORDER BY event_id$$, :fev1),
    $$VALUES ('exemption_revoked'::text, '[2011-09-01,2011-09-05)'::text, 'certificate withdrawn'::text)$$,
    'the FSE event of the revocation');
SELECT bag_eq(
    format($$SELECT kind, subject FROM ticket.event WHERE event_id > %s$$, :ev1),
    format($$VALUES ('exemption_revoked'::text, '%s'::text), ('repriced', '%s'),
                    ('adjustment', (SELECT adjustment_id::text FROM cup.adjustment WHERE booking_id = %s))$$,
           :g_sara, :bk_after, :pp_free),
    'outbox: exemption_revoked, repriced, adjustment');
SELECT results_eq(
    format($$SELECT band, declared_band, exemptions FROM fse.status('%s', '2011-09-04')$$, :'sara'),
    $$VALUES (NULL::ticket.income_band, NULL::ticket.income_band, '{C01}'::ticket.exemption[])$$,
    'fse.status on the last covered day');
SELECT is((SELECT exemptions FROM fse.status(:'sara', '2011-09-05')), '{}'::exemption[],
          'fse.status on the revocation date');
SELECT is((SELECT count(*)::int FROM ticket.check_consistency()), 0, 'check_consistency() is empty');

-- Settling an adjustment: once.
SELECT adjustment_id AS adj FROM cup.adjustment WHERE booking_id = :pp_free \gset
SELECT isnt((cup.settle_adjustment(:adj)).settled_at, NULL, 'settling an adjustment');
SELECT throws_ok(format($$SELECT cup.settle_adjustment(%s)$$, :adj), 'TK018',
                 format('adjustment %s is history: only settling it once is allowed', :adj), 'settling it twice (TK018)');
SELECT throws_ok(format($$UPDATE cup.adjustment SET amount = 1 WHERE adjustment_id = %s$$,
                        (SELECT adjustment_id FROM cup.adjustment WHERE booking_id = :pp_in)),
                 'TK018', NULL, 'changing an adjustment (TK018)');
SELECT throws_ok(format($$DELETE FROM cup.adjustment WHERE adjustment_id = %s$$, :adj), 'TK018', NULL,
                 'deleting an adjustment (TK018)');
SELECT throws_ok($$SELECT cup.settle_adjustment(-1)$$, 'P0002', NULL, 'settling an adjustment that does not exist (P0002)');

-- Several grants of one citizen in one statement, known at different dates.
SELECT pg_temp.citizen('Lodi', 'Tina', 'F', '1982-02-02') AS tina \gset
SELECT count(*) AS written FROM (
    SELECT fse.prescribe('080000000000401', :'tina', 'GP001', ARRAY['88.74.1'], NULL, '2011-09-01')) s \gset
SELECT (cup.book('080000000000401', '2011-09-02')).booking_id AS tb \gset
SELECT (cup.pay(:tb)).status AS s5 \gset
SELECT lives_ok(
    format($$INSERT INTO registry.exemption_grant (fiscal_code, exemption, valid, source, granted_at) VALUES
             ('%1$s', 'C02', '[2011-09-01,2011-12-31)', 'asl_certificate', '2011-09-10'),
             ('%1$s', 'E99', '[2011-11-01,2011-12-31)', 'asl_certificate', '2011-12-01')$$, :'tina'),
    'two grants of one citizen in one statement');
SELECT results_eq(
    format($$SELECT amount, reason FROM cup.adjustment WHERE booking_id = %s$$, :tb),
    $$VALUES (-51.15::numeric(8,2), 'exemption_granted'::text)$$,
    'S3 S4 S5: grants of one citizen loaded in one statement: the one known 8 days after the service, in the transition, refunds it');
-- The same grant known a day after the transition closed: paid is final.
SELECT pg_temp.citizen('Lodi', 'Olga', 'F', '1983-03-03') AS olga \gset
SELECT count(*) AS written FROM (
    SELECT fse.prescribe('080000000000402', :'olga', 'GP001', ARRAY['88.74.1'], NULL, '2011-09-01')) s \gset
SELECT (cup.book('080000000000402', '2011-09-02')).booking_id AS ob \gset
SELECT (cup.pay(:ob)).status AS s6 \gset
SELECT pg_temp.grant_(:'olga', 'C02', '2011-09-01', '2011-12-31', '2011-10-01') AS g_olga \gset
SELECT is((SELECT count(*)::int FROM cup.adjustment WHERE booking_id = :ob), 0,
          'S3 S4 S5: a grant known on 1 October 2011 refunds nothing (1.1: within 60 days of the service)');

-- Revoked before the start, for a citizen with nothing else on record.
SELECT pg_temp.grant_(:'ugo', 'C01', '2016-01-01') AS g_ugo \gset
SELECT results_eq(format($$SELECT exemptions FROM fse.profile WHERE fiscal_code = '%s'$$, :'ugo'),
                  $$VALUES (ARRAY[ROW('C01', '[2016-01-01,)', 'asl_certificate')::registry.exemption_period])$$,
                  'the grant is in the profile');
SELECT lives_ok(format($$SELECT registry.revoke_exemption(%s, '2015-12-01', 'granted by mistake')$$, :g_ugo),
                'revoking it before its start');
SELECT is((SELECT count(*)::int FROM fse.profile WHERE fiscal_code = :'ugo' AND cardinality(exemptions) > 0), 0,
          'revoked-before-start grant, citizen without declaration: the profile no longer shows it');
SELECT is((SELECT count(*)::int FROM ticket.check_consistency()), 0,
          '... and check_consistency() is empty');

SELECT * FROM finish();
ROLLBACK;
