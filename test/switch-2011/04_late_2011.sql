-- test/switch-2011/04_late_2011.sql: 28 October 2011 - 31 March 2012.  The late
-- forms (more than 60 days after the services of early September: paid
-- bookings stay as paid), corrections of a wrong band (same applies_from:
-- the new form supersedes the old one; amounts due or refunds inside the
-- window), E01 revoked from 1 October for income above the limit, the last
-- E01 grants, new bookings; and the tariff update of 1 February 2012 that is
-- already data (regime ER-2012-02-01, X-ray and lipid tariffs raised).
SELECT replay.begin_phase('late 2011 and the 2012 tariff update (28 October 2011 - 31 March 2012)');
SELECT setseed(0.1219);

-- Corrections: about 4 % of the adults who declared for themselves in the
-- 60 days declare the next band up or down, from the same day.
INSERT INTO replay.op (op_at, kind, citizen, band, channel, operator, day, declarant, income_year)
SELECT replay.at(replay.day_between('2011-11-02', '2011-12-15'), 200), 'certify', d.fiscal_code,
       CASE d.band::text WHEN 'RE1' THEN 'RE2' WHEN 'RE3' THEN 'RE2' ELSE replay.pick('{RE1,RE3}') END,
       'cup_desk', 'CUP-080105-05', d.applies_from, d.fiscal_code, 2010
  FROM (SELECT d.* FROM registry.declaration d JOIN replay.person p USING (fiscal_code)
         WHERE p.special IS NULL AND d.declarant = d.fiscal_code AND d.valid_until IS NULL
         ORDER BY d.declaration_id) d
 WHERE random() < 0.04;

-- E01 revoked from 1 October: income above the limit after all.
INSERT INTO replay.op (op_at, kind, citizen, exemption, day, source)
SELECT replay.at(replay.day_between('2011-11-02', '2011-11-30'), 300), 'revoke', g.fiscal_code, 'E01',
       '2011-10-01', 'income above the E01 limit'
  FROM (SELECT g.* FROM registry.exemption_grant g JOIN replay.person p USING (fiscal_code)
         WHERE p.special IS NULL AND g.exemption::text = 'E01' ORDER BY g.grant_id) g
 WHERE random() < 0.10;

DO $$
DECLARE
    p record;
    at timestamptz;
BEGIN
    FOR p IN SELECT * FROM replay.person WHERE special IS NULL ORDER BY fiscal_code LOOP
        CONTINUE WHEN random() >= 0.25;
        at := replay.at(replay.day_between('2011-10-28', '2011-12-31'), floor(random() * 540)::integer);
        PERFORM replay.plan_prescription(p.fiscal_code, p.gp_code, at,
                                         least((at AT TIME ZONE 'Europe/Rome')::date + 3 + floor(random() * 120)::integer,
                                               date '2012-03-31'));
    END LOOP;
END;
$$;

SELECT replay.execute('2012-04-01 00:00 Europe/Rome');

SELECT replay.check_phase();

-- The hand-made cases.
CREATE FUNCTION replay.adjustments_of(label text) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT coalesce(string_agg(a.amount || ' ' || a.reason, ', ' ORDER BY a.adjustment_id), 'none')
      FROM replay.marker m JOIN cup.adjustment a ON a.booking_id = m.booking_id WHERE m.label = adjustments_of.label;
$$;
-- The window is the 2011 transition: forms known by 30 September 2011
-- (ticket-rules.md §1.4, §9; S3 S4 S5), no longer 60 days after any service.
SELECT replay.ok(replay.adjustments_of('grace day 60') = '-15.00 declaration',
                 'grace window: RE1 signed on 30 September 2011 after a paid service of 1 September refunds the 15.00 quota',
                 replay.adjustments_of('grace day 60'));
SELECT replay.ok(replay.adjustments_of('grace day 61') = 'none',
                 'grace window: RE1 signed on 1 October 2011 leaves the paid booking as it is (S3 S4 S5)',
                 replay.adjustments_of('grace day 61'));
SELECT replay.ok(replay.adjustments_of('RE2 refund') = '-10.00 declaration',
                 'grace window: RE2 inside the window refunds 10.00 of the 15.00 quota',
                 replay.adjustments_of('RE2 refund'));
SELECT replay.ok(replay.adjustments_of('late E01 baseline') = 'none',
                 'grace window: an E01 granted on 28 September does not touch a paid booking of 22 August (ER-2011-05-01: paid is final)',
                 replay.adjustments_of('late E01 baseline'));
SELECT replay.ok(replay.adjustments_of('late E01 after switch') = '-70.00 exemption_granted',
                 'grace window: an E01 granted on 28 September refunds the 70.00 MRI paid on 12 September',
                 replay.adjustments_of('late E01 after switch'));
SELECT replay.ok(replay.adjustments_of('correction up') = '10.00 declaration',
                 'grace window: RE1 corrected to RE3 inside the window: 10.00 due on the paid booking',
                 replay.adjustments_of('correction up'));

-- Outside the window: paid bookings of the 2011 regime whose citizen's
-- first form, applying to them, arrived after 30 September 2011 (the end of
-- the transition, S3 S4 S5; also those within 60 days of the service).
SELECT replay.ok(count(*) > 5 AND count(*) FILTER (WHERE EXISTS (SELECT 1 FROM cup.adjustment a
                                                                   WHERE a.booking_id = x.booking_id)) = 0,
                 format('outside the window: %s paid bookings whose form came after 30 September 2011 kept their amount', count(*)))
  FROM (SELECT b.booking_id FROM cup.booking b
          JOIN registry.declaration d ON d.fiscal_code = b.fiscal_code
         WHERE b.status IN ('paid', 'done') AND (b.bill).regime = 'ER-2011-08-29' AND (b.bill).band IS NULL
           AND (b.bill).band_quota > 0
           AND d.applies_from <= b.service_date AND ticket.local_day(d.signed_at) > '2011-09-30'
           AND NOT EXISTS (SELECT 1 FROM registry.declaration e WHERE e.fiscal_code = b.fiscal_code
                              AND e.signed_at < d.signed_at)
           AND NOT EXISTS (SELECT 1 FROM registry.exemption_grant g WHERE g.fiscal_code = b.fiscal_code)) x;
-- After 30 September 2011 paid bookings are final (S3 S4 S5): the
-- corrections and revocations of November and December adjust nothing.
SELECT replay.ok(replay.count_expect('adjustment', true, 1, 'declaration') = 0
                 AND replay.count_expect('adjustment', true, 1, 'exemption_revoked') = 0,
                 format('late 2011: %s amounts due after corrections, %s after E01 revocations (none after the transition)',
                        replay.count_expect('adjustment', true, 1, 'declaration'),
                        replay.count_expect('adjustment', true, 1, 'exemption_revoked')));
SELECT replay.ok((SELECT count(*) FROM registry.declaration WHERE valid_until = applies_from) > 5,
                 'late 2011: a correction from the same day supersedes the old form entirely (empty validity)');

-- The 2012 tariff update is data: bookings from 1 February 2012 carry
-- regime ER-2012-02-01 and the new tariffs (the bills are checked above).
SELECT replay.ok(count(*) > 100 AND count(*) FILTER (WHERE (b.bill).regime = 'ER-2012-02-01') = count(*),
                 format('2012: %s live bookings from 1 February 2012 priced by ER-2012-02-01', count(*)))
  FROM cup.booking b WHERE b.service_date >= '2012-02-01' AND b.status <> 'cancelled';
SELECT replay.ok(count(*) > 10, format('2012: %s X-ray or lipid bookings priced with the tariffs of 1 February 2012', count(*)))
  FROM cup.booking b JOIN fse.prescription p USING (nre)
 WHERE b.service_date >= '2012-02-01' AND p.services && '{87.43.1,90.43.2}' AND b.amount > 0;
