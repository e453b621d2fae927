-- test/switch-2011/06_2020.sql: July - October 2020.  Bookings straddle Tuesday
-- 1 September 2020, when the bands and the quota were abolished (regime
-- ER-2020-09-01, already data): the same prescription costs the QM quota in
-- August and none in September; CT/MRI 36.15 for everyone.  Some bookings
-- are moved across the date (re-priced when the bill changes: QM or no band
-- in August; a QB bill is the same on both sides), citizens charged QM by
-- default (no data, no declaration: a 2011 RE band is QB already, S15 S48)
-- still self-certify QB in the summer (it changes August bookings only),
-- and no band can be declared from 1 September.
SELECT replay.begin_phase('2020: the abolition of 1 September (July - October 2020)');
SELECT setseed(0.2020);

DO $$
DECLARE
    p record;
    at timestamptz;
    service date;
    moved date;
    nre text;
BEGIN
    FOR p IN SELECT * FROM replay.person WHERE special IS NULL ORDER BY fiscal_code LOOP
        CONTINUE WHEN random() >= 0.4;
        at := replay.at(replay.day_between('2020-07-01', '2020-08-28'), floor(random() * 540)::integer);
        service := replay.day_between(greatest((at AT TIME ZONE 'Europe/Rome')::date + 3, date '2020-08-03'),
                                      date '2020-10-30');
        nre := replay.plan_prescription(p.fiscal_code, p.gp_code, at, service);
        moved := CASE WHEN service < '2020-09-01' THEN service + 21 ELSE service - 21 END;
        IF service BETWEEN '2020-08-10' AND '2020-09-21' AND random() < 0.8
           AND least(service, moved) - 1 >= (at AT TIME ZONE 'Europe/Rome')::date THEN
            INSERT INTO replay.op (op_at, kind, nre, day)
            VALUES (replay.at(replay.day_between((at AT TIME ZONE 'Europe/Rome')::date, least(service, moved) - 1), 450),
                    'move', nre, moved);
        END IF;
    END LOOP;
END;
$$;

INSERT INTO replay.op (op_at, kind, citizen, band, channel, operator, day, declarant, income_year)
SELECT at, 'certify', fiscal_code, 'QB', 'fse_online', NULL, (at AT TIME ZONE 'Europe/Rome')::date, fiscal_code, 2019
  FROM (SELECT p.fiscal_code, replay.at(replay.day_between('2020-07-01', '2020-08-25'), 720) AS at
          FROM replay.person p
         WHERE p.special IS NULL AND p.income <= 100000 AND p.birth_date < '2002-07-01'
           AND ticket.effective_band(replay.declared_on(p.fiscal_code, '2020-07-01')::ticket.income_band,
                                     '2020-07-01') IS DISTINCT FROM 'QB'
         ORDER BY p.fiscal_code) x
 WHERE random() < 0.9;

SELECT replay.execute('2020-11-01 00:00 Europe/Rome');

SELECT replay.check_phase();
SELECT replay.ok(count(*) FILTER (WHERE b.service_date < '2020-09-01') > 100
                 AND count(*) FILTER (WHERE b.service_date >= '2020-09-01') > 100
                 AND count(*) FILTER (WHERE b.service_date >= '2020-09-01'
                                        AND ((b.bill).regime <> 'ER-2020-09-01' OR (b.bill).band IS NOT NULL
                                             OR (b.bill).band_quota <> 0)) = 0,
                 format('2020: %s bookings before and %s from 1 September; from then no band and no quota',
                        count(*) FILTER (WHERE b.service_date < '2020-09-01'),
                        count(*) FILTER (WHERE b.service_date >= '2020-09-01')))
  FROM cup.booking b WHERE b.service_date >= '2020-07-01' AND b.status <> 'cancelled';
SELECT replay.ok(count(*) > 0 AND count(*) FILTER (WHERE b.amount <> 36.15) = 0,
                 format('2020: %s non-exempt MRI bookings from 1 September cost 36.15', count(*)))
  FROM cup.booking b JOIN fse.prescription p USING (nre)
 WHERE b.service_date >= '2020-09-01' AND b.status <> 'cancelled' AND p.services = '{88.91.1}'
   AND NOT replay.exempt_on(b.fiscal_code, b.service_date);
-- Only a bill that differs across the date is re-priced: QM or no band in
-- August (a QB bill is the same on both sides; since S15 S48 the 2011 RE
-- bands are QB too, so fewer moves re-price than under 1.1); which ones,
-- exactly, check_phase compares with the independent computation.
SELECT replay.ok(replay.count_expect('moved') > 20 AND x.n > 5,
                 format('2020: %s bookings moved across 1 September, %s re-priced by the move', replay.count_expect('moved'), x.n))
  FROM (SELECT count(*) AS n FROM replay.expect e WHERE e.phase_no = replay.current_phase()
           AND e.kind = 'repriced'
           AND EXISTS (SELECT 1 FROM replay.expect m WHERE m.phase_no = e.phase_no AND m.kind = 'moved'
                          AND m.booking_id = e.booking_id)) x;
SELECT replay.ok(replay.count_expect('declaration') > 50 AND count(*) > 0,
                 format('2020: %s QB forms in the summer re-priced %s August bookings', replay.count_expect('declaration'), count(*)))
  FROM replay.expect e JOIN cup.booking b USING (booking_id)
 WHERE e.phase_no = replay.current_phase() AND e.kind = 'repriced' AND b.service_date < '2020-09-01'
   AND NOT EXISTS (SELECT 1 FROM replay.expect m WHERE m.phase_no = e.phase_no AND m.kind = 'moved'
                      AND m.booking_id = e.booking_id);
SELECT replay.throws(format($q$SELECT registry.self_certify(%L, 'QB', 'fse_online', NULL, '2020-09-01', NULL, 2019, '2020-09-01 10:00')$q$,
                            fiscal_code),
                     'TK004', 'regime ER-2020-09-01 in force on 2020-09-01 does not define income band QB',
                     '2020: no band can be declared from 1 September 2020 (TK004)')
  FROM replay.person WHERE special = 'RE2 refund';

-- The whole history once more, after everything.
SELECT replay.is((SELECT count(*) FROM ticket.check_consistency()), 0,
                 'end: ticket.check_consistency() is empty after ten years of history');
SELECT replay.is((SELECT count(*) FROM cup.adjustment), (SELECT count(*) FROM replay.expect WHERE kind = 'adjustment'),
                 'end: every adjustment of the replay was expected, and no more');
SELECT replay.is((SELECT count(*) FROM ticket.event WHERE kind = 'repriced'),
                 (SELECT count(*) FROM replay.expect WHERE kind = 'repriced'),
                 'end: every re-pricing event of the replay was expected, and no more');

-- The grace window counts Italian days whatever the session's time zone:
-- a form signed at 00:30 on 1 October 2011 in Bologna (the day after the
-- 2011 transition closed, ticket-rules.md §1.4, §9, S3 S4 S5) adjusts
-- nothing, whether the desk's session runs in Europe/Rome or in UTC (where
-- it is still 30 September).  Each try is rolled back.
CREATE FUNCTION replay.day61_adjustments(zone text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    citizen ticket.fiscal_code := ticket.fiscal_code_encode('Sant''Ambrogio', 'Zoë', 'F', '1979-02-02', 'A944');
    booking bigint;
    n bigint;
BEGIN
    BEGIN
        PERFORM set_config('timezone', zone, true);
        INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl, gp_code)
        VALUES (citizen, 'Sant''Ambrogio', 'Zoë', 'F', '1979-02-02', 'A944', '080105', 'MMG0001');
        PERFORM fse.prescribe('080TZ0000000001', citizen, 'MMG0001', '{89.7,89.52}', 'D', '2011-08-10');
        booking := (cup.book('080TZ0000000001', '2011-09-01')).booking_id;
        PERFORM cup.pay(booking, NULL, 'cup_desk', timestamptz '2011-08-10 10:00 Europe/Rome');
        PERFORM registry.self_certify(citizen, 'RE1', 'cup_desk', 'CUP-080105-01', '2011-08-29', NULL, 2010,
                                      timestamptz '2011-10-01 00:30 Europe/Rome');
        SELECT count(*) INTO n FROM cup.adjustment a WHERE a.booking_id = booking;
        RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = 'roll back';
    EXCEPTION WHEN raise_exception THEN
        RETURN n;
    END;
END;
$$;
SELECT replay.is(replay.day61_adjustments('Europe/Rome'), 0,
                 'grace window: a form signed at 00:30 on 1 October 2011 (Italian time) adjusts nothing, session in Europe/Rome');
SELECT replay.is(replay.day61_adjustments('UTC'), 0,
                 'grace window: a form signed at 00:30 on 1 October 2011 (Italian time) adjusts nothing, session in UTC');
