-- test/switch-2011/02_before_switch.sql: 1 June - 28 August 2011.  GPs prescribe,
-- CUP books for dates before and after Monday 29 August (the 2011 rules are
-- already data: a booking for September is priced with them, without a
-- band: the top amounts); some pay in advance, most on the day.  E02 for
-- the unemployed and some E01 reach the registry in the summer.  Some
-- bookings are moved across 29 August.
SELECT replay.begin_phase('before the switch (June - 28 August 2011)');
SELECT setseed(0.0829);

DO $$
DECLARE
    p record;
    at timestamptz;
    service date;
    nre text;
    moved date;
BEGIN
    FOR p IN SELECT * FROM replay.person WHERE special IS NULL ORDER BY fiscal_code LOOP
        FOR k IN 1..floor(random() * 2.6)::integer LOOP
            at := replay.at(replay.day_between('2011-06-01', '2011-08-28'), floor(random() * 540)::integer);
            service := least((at AT TIME ZONE 'Europe/Rome')::date + 3 + floor(random() * 200)::integer,
                             date '2012-03-31');
            nre := replay.plan_prescription(p.fiscal_code, p.gp_code, at, service);
            -- moved across 29 August before the service, when still unpaid
            moved := CASE WHEN service < '2011-08-29' THEN service + 14 ELSE service - 14 END;
            IF service BETWEEN '2011-08-15' AND '2011-09-12' AND random() < 0.2
               AND least(service, moved) - 1 >= (at AT TIME ZONE 'Europe/Rome')::date THEN
                INSERT INTO replay.op (op_at, kind, nre, day)
                VALUES (replay.at(replay.day_between((at AT TIME ZONE 'Europe/Rome')::date,
                                                     least(service, moved) - 1), 400),
                        'move', nre, moved);
            END IF;
        END LOOP;
    END LOOP;
END;
$$;

-- The hand-made cases: paid bookings of September 2011 (04_late_2011.sql).
SELECT replay.plan_prescription(p.fiscal_code, p.gp_code, replay.at(c.prescribed, 60), c.service,
                                c.prepay, 1.0, 0.0, c.mix, c.label)
  FROM (VALUES ('grace day 60', date '2011-08-10', date '2011-09-01', 1.0, 'visit + ECG', 'grace day 60'),
               ('grace day 61', '2011-08-10', '2011-09-01', 1.0, 'visit + ECG', 'grace day 61'),
               ('RE2 refund', '2011-08-12', '2011-09-05', 0.0, 'visit + ECG', 'RE2 refund'),
               ('late E01', '2011-08-01', '2011-08-22', 0.0, 'blood count + HbA1c + lipids', 'late E01 baseline'),
               ('late E01', '2011-08-01', '2011-09-12', 0.0, 'MRI of the brain', 'late E01 after switch'),
               ('correction up', '2011-08-16', '2011-09-15', 0.0, 'blood count + HbA1c + lipids', 'correction up'))
       AS c(special, prescribed, service, prepay, mix, label)
  JOIN replay.person p ON p.special = c.special;

-- E02 for the unemployed declarants, from the day it is granted.
INSERT INTO replay.op (op_at, kind, citizen, exemption, day, source)
SELECT at, 'grant', fiscal_code, 'E02', (at AT TIME ZONE 'Europe/Rome')::date, 'self_certification'
  FROM (SELECT fiscal_code,
               replay.at(replay.day_between('2011-06-01', '2011-08-28'), 30) AS at
          FROM replay.person WHERE unemployed AND relation = 'declarant' ORDER BY fiscal_code) x;

-- A third of the E01 the registry did not know yet arrive in August (from
-- 1 April 2011): unpaid bookings are re-priced, paid ones of September
-- (the 2011 regime has a grace window) are refunded; paid ones before
-- 29 August are final (ER-BASELINE and ER-2011-05-01 have none).
ALTER TABLE replay.e01 ADD COLUMN granted_on date;
UPDATE replay.e01 SET granted_on = CASE WHEN random() < 0.35 THEN replay.day_between('2011-08-01', '2011-08-28')
                                        ELSE replay.day_between('2011-08-29', '2011-11-30') END
 WHERE NOT early;
INSERT INTO replay.op (op_at, kind, citizen, exemption, day, source)
SELECT replay.at(granted_on, 120), 'grant', fiscal_code, 'E01', date '2011-04-01', 'asl_certificate'
  FROM replay.e01 WHERE NOT early ORDER BY fiscal_code;

SELECT replay.execute('2011-08-29 00:00 Europe/Rome');

SELECT replay.check_phase();
SELECT replay.ok(replay.count_expect('booked') > 1000,
                 format('before the switch: %s bookings', replay.count_expect('booked')));
SELECT replay.ok((SELECT count(*) FROM cup.booking WHERE service_date < '2011-08-29' AND status <> 'cancelled') > 300
                 AND (SELECT count(*) FROM cup.booking WHERE service_date >= '2011-08-29' AND status <> 'cancelled') > 600,
                 'before the switch: bookings on both sides of 29 August 2011');
SELECT replay.is((SELECT count(*) FROM cup.booking b
                   -- ER-2011-05-01 since 1.3: the emergency room by appropriateness
                   -- from May 2011 (DGR 389/2011; ticket-rules §2.5, §9; S25 S26 S61)
                   WHERE (b.bill).regime <> CASE WHEN b.service_date < '2011-05-01' THEN 'ER-BASELINE'
                                                 WHEN b.service_date < '2011-08-29' THEN 'ER-2011-05-01'
                                                 WHEN b.service_date < '2012-02-01' THEN 'ER-2011-08-29'
                                                 ELSE 'ER-2012-02-01' END), 0,
                 'before the switch: every booking is priced by the regime of its service date, not of its booking date');
SELECT replay.ok((SELECT count(*) FROM cup.booking b WHERE b.service_date >= '2011-08-29' AND b.amount > 0
                     AND (b.bill).band IS NULL AND (b.bill).band_quota IN (0, 15)) > 500,
                 'before the switch: bookings after 29 August carry the no-declaration amounts (quota 15)');
SELECT replay.ok(replay.count_expect('moved') > 20 AND replay.count_expect('repriced') > 20,
                 format('before the switch: %s moves across 29 August, %s re-pricings',
                        replay.count_expect('moved'), replay.count_expect('repriced')));
SELECT replay.ok(replay.count_expect('adjustment', true, -1, 'exemption_granted') > 0,
                 format('before the switch: %s refunds of prepaid September bookings for E01 granted in August',
                        replay.count_expect('adjustment', true, -1, 'exemption_granted')));
SELECT replay.is((SELECT count(*) FROM cup.adjustment a JOIN cup.booking b USING (booking_id)
                   WHERE b.service_date < '2011-08-29' AND a.reason <> 'cancellation'), 0,
                 'before the switch: no adjustment of a paid booking of the baseline regime (no grace window)');
SELECT replay.ok((SELECT count(*) FROM replay.expect e JOIN cup.booking b USING (booking_id)
                   WHERE e.kind = 'repriced' AND b.service_date < '2011-08-29') > 0,
                 'before the switch: E01/E02 re-price unpaid baseline bookings');
