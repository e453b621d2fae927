-- test/switch-2011/05_2019.sql: December 2018 - June 2019.  Bookings for 2019 made
-- in December 2018 are priced with the 2019 rules: a 2011 RE band on record is
-- charged QB, nothing on record QM, the default (ticket-rules.md §3.3, §9;
-- S15 S48).  On 1 January 2019 the Revenue Agency
-- data give most citizens QB (family income up to 100,000) or QM: channel
-- revenue_agency, no operator, income year 2017.  Some citizens without data
-- self-certify QB in the FSE; E01 from the MEF list from 1 April 2019, a few
-- self-certified from 1 January.
SELECT replay.begin_phase('2019: QB/QM (December 2018 - June 2019)');
SELECT setseed(0.2019);

DO $$
DECLARE
    p record;
    at timestamptz;
BEGIN
    FOR p IN SELECT * FROM replay.person WHERE special IS NULL ORDER BY fiscal_code LOOP
        IF random() < 0.35 THEN
            at := replay.at(replay.day_between('2018-12-01', '2018-12-28'), floor(random() * 540)::integer);
            PERFORM replay.plan_prescription(p.fiscal_code, p.gp_code, at,
                                             replay.day_between('2019-01-02', '2019-06-28'));
        END IF;
        IF random() < 0.25 THEN
            at := replay.at(replay.day_between('2019-01-02', '2019-04-30'), floor(random() * 540)::integer);
            PERFORM replay.plan_prescription(p.fiscal_code, p.gp_code, at,
                                             least((at AT TIME ZONE 'Europe/Rome')::date + 3 + floor(random() * 90)::integer,
                                                   date '2019-06-28'));
        END IF;
    END LOOP;
END;
$$;

ALTER TABLE replay.person ADD COLUMN agency_2019 boolean;
UPDATE replay.person SET agency_2019 = special IS NULL AND random() < 0.75;   -- heap order

INSERT INTO replay.op (op_at, kind, citizen, band, channel, operator, day, declarant, income_year)
SELECT replay.at('2019-01-01', -120), 'certify', fiscal_code,
       CASE WHEN income <= 100000 THEN 'QB' ELSE 'QM' END, 'revenue_agency', NULL, '2019-01-01', fiscal_code, 2017
  FROM replay.person WHERE agency_2019 ORDER BY fiscal_code;

-- Adults without agency data, income up to 100,000: 20 % self-certify QB
-- online (from the day they sign).
INSERT INTO replay.op (op_at, kind, citizen, band, channel, operator, day, declarant, income_year)
SELECT at, 'certify', fiscal_code, 'QB', 'fse_online', NULL, (at AT TIME ZONE 'Europe/Rome')::date, fiscal_code, 2018
  FROM (SELECT fiscal_code, replay.at(replay.day_between('2019-01-15', '2019-03-31'), 700) AS at
          FROM replay.person
         WHERE special IS NULL AND NOT agency_2019 AND income <= 100000 AND birth_date < '2001-01-01'
         ORDER BY fiscal_code) x
 WHERE random() < 0.2;

-- E01 (65 and over or under 6 on 1 April 2019, income up to 36,151.98).
INSERT INTO replay.op (op_at, kind, citizen, exemption, day, source)
SELECT CASE WHEN early THEN replay.at('2019-02-11', 60) ELSE replay.at('2019-03-25', 0) END, 'grant', fiscal_code, 'E01',
       CASE WHEN early THEN date '2019-01-01' ELSE date '2019-04-01' END,
       CASE WHEN early THEN 'self_certification' ELSE 'mef_list' END
  FROM (SELECT fiscal_code, random() < 0.2 AS early FROM replay.person
         WHERE special IS NULL AND income <= 36151.98
           AND (birth_date <= '1954-04-01' OR birth_date > '2013-04-01')
         ORDER BY fiscal_code) x;

SELECT replay.execute('2019-07-01 00:00 Europe/Rome');

SELECT replay.check_phase();
SELECT replay.ok(count(*) > 600, format('2019: %s QB/QM attributions from the Revenue Agency', count(*)))
  FROM registry.declaration WHERE channel = 'revenue_agency' AND operator IS NULL AND income_year = 2017;
-- From 2012 paid bookings are final: the 60-day adjustment was the 2011
-- transition (ticket-rules.md §1.4, §9; S3 S4 S5), so 2019 refunds nothing.
-- The attribution re-prices only the bookings whose band it changes (no
-- form: QM to QB; a 2011 RE band is QB before and after, S15 S48): fewer
-- than under 1.1, where every RE declarant went from QM to QB; which ones,
-- exactly, check_phase compares with the independent computation.
SELECT replay.ok(replay.count_expect('repriced') > 50 AND replay.count_expect('adjustment', true, -1, 'declaration') = 0,
                 format('2019: QB re-priced %s unpaid bookings and refunded %s prepaid ones (none: paid is final)',
                        replay.count_expect('repriced'), replay.count_expect('adjustment', true, -1, 'declaration')));
-- The RE1-RE3 forms became QB on 1 January 2019 (ticket-rules.md §3.3, §9;
-- S15 S48); 1.1 charged them QM, the default.
SELECT replay.ok(count(*) > 5 AND count(*) FILTER (WHERE (b.bill).band::text = 'QB') = count(*),
                 format('2019: %s unpaid bookings of citizens whose current form is a 2011 RE band are charged QB', count(*)))
  FROM cup.booking b
 WHERE b.status = 'booked' AND b.service_date >= '2019-01-01'
   AND replay.declared_on(b.fiscal_code, b.service_date) LIKE 'RE_'
   AND NOT replay.exempt_on(b.fiscal_code, b.service_date);
SELECT replay.ok(replay.count_expect('adjustment', true, -1, 'exemption_granted') = 0,
                 'no refunds for E01 self-certified in February from 1 January 2019: paid is final after 2011 (S3 S4 S5)');
SELECT replay.throws(format($q$SELECT registry.self_certify(%L, 'RE1', 'fse_online', NULL, '2019-03-01', NULL, 2018, '2019-03-01 10:00')$q$,
                            fiscal_code),
                     'TK004', 'regime ER-2019-01-01 in force on 2019-03-01 does not define income band RE1',
                     '2019: RE1 is not a band of 2019 (TK004)')
  FROM replay.person WHERE special = 'RE2 refund';
SELECT replay.throws(format($q$SELECT registry.self_certify(%L, 'QB', 'fse_online', 'CUP-1', '2019-03-01', NULL, 2018, '2019-03-01 10:00')$q$,
                            fiscal_code),
                     '23514', '%declaration_operator_by_channel%',
                     '2019: an online form has no operator (check constraint)')
  FROM replay.person WHERE special = 'RE2 refund';
