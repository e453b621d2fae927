-- test/switch-2011/03_switch.sql: Monday 29 August - Thursday 27 October 2011, the
-- 60 days after the switch.  Households self-certify their band (RE1, RE2,
-- RE3 by family income; above 100,000 nobody declares) at CUP desks, GPs,
-- pharmacies, CAF and the call centre, a parent for each minor; most forms
-- apply from 29 August (paid bookings since then are adjusted when the form
-- arrives within 60 days of the service), some from the day they are
-- signed.  A tail of households declares late (28 October - 20 December,
-- executed in 04_late_2011.sql).  Meanwhile the CUP keeps booking and taking
-- payments, and the rest of the E01 arrive.
SELECT replay.begin_phase('the switch (29 August - 27 October 2011)');
SELECT setseed(0.1190);

CREATE FUNCTION replay.band_of(income numeric) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN income <= 36152.00 THEN 'RE1' WHEN income <= 70000.00 THEN 'RE2'
                WHEN income <= 100000.00 THEN 'RE3' END;
$$;

CREATE FUNCTION replay.pick_channel(gp text, asl text) RETURNS text[] LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    r numeric := random();
    n text := lpad((1 + floor(random() * 12))::text, 2, '0');
BEGIN
    RETURN CASE WHEN r < 0.40 THEN ARRAY['cup_desk', 'CUP-' || asl || '-' || n]
                WHEN r < 0.60 THEN ARRAY['gp', gp]
                WHEN r < 0.75 THEN ARRAY['pharmacy', 'FARM-' || asl || '-' || n]
                WHEN r < 0.90 THEN ARRAY['caf', 'CAF-' || n]
                ELSE ARRAY['call_centre', 'CC-' || n] END;
END;
$$;

DO $$
DECLARE
    h record;
    m record;
    day date;
    member_day date;
    at timestamptz;
    ch text[];
    declarant ticket.fiscal_code;
    retro boolean;
BEGIN
    FOR h IN SELECT p.household_id, p.income, p.asl,
                    max(p.fiscal_code::text) FILTER (WHERE p.relation = 'declarant') AS head,
                    max(p.fiscal_code::text) FILTER (WHERE p.relation = 'spouse') AS spouse
               FROM replay.person p
              WHERE p.special IS NULL AND p.income <= 100000
              GROUP BY p.household_id, p.income, p.asl ORDER BY p.household_id LOOP
        CONTINUE WHEN random() >= 0.85;
        day := CASE WHEN random() < 0.88 THEN date '2011-08-29' + floor(60 * power(random(), 1.8))::integer
                    ELSE date '2011-10-28' + floor(random() * 54)::integer END;
        retro := random() < 0.8;
        FOR m IN SELECT p.* FROM replay.person p
                  WHERE p.household_id = h.household_id
                    AND NOT p.unemployed
                    AND NOT EXISTS (SELECT 1 FROM replay.e01 e WHERE e.fiscal_code = p.fiscal_code AND e.early)
                  ORDER BY p.relation, p.fiscal_code LOOP
            CONTINUE WHEN random() >= 0.95;
            member_day := CASE WHEN m.relation = 'spouse' AND random() < 0.3
                               THEN least(day + floor(random() * 20)::integer, date '2011-12-20') ELSE day END;
            at := replay.at(member_day, floor(random() * 540)::integer);
            ch := replay.pick_channel(m.gp_code, h.asl);
            declarant := CASE WHEN m.birth_date > member_day - interval '18 years'
                              THEN coalesce(CASE WHEN random() < 0.3 THEN h.spouse END, h.head)::ticket.fiscal_code
                              ELSE m.fiscal_code END;
            INSERT INTO replay.op (op_at, kind, citizen, band, channel, operator, day, declarant, income_year)
            VALUES (at, 'certify', m.fiscal_code, replay.band_of(h.income), ch[1], ch[2],
                    CASE WHEN retro THEN date '2011-08-29' ELSE member_day END, declarant, 2010);
        END LOOP;
    END LOOP;
END;
$$;

-- The hand-made cases (checked in 04_late_2011.sql): service on 1 September,
-- forms on the last day of the 2011 transition (30 September) and the day
-- after (ticket-rules.md §1.4, §9, S3 S4 S5: the adjustment was the 2011
-- transition, not a permanent 60-day window; "grace day 60/61" are the
-- people's old labels); an RE2 form inside the window; a late E01 granted
-- inside it; RE1 by mistake, corrected to RE3 inside the window.
INSERT INTO replay.op (op_at, kind, citizen, band, channel, operator, day, declarant, income_year)
SELECT replay.at(c.signed, 120), 'certify', p.fiscal_code, c.band, 'cup_desk', 'CUP-080105-01',
       '2011-08-29', p.fiscal_code, 2010
  FROM (VALUES ('grace day 60', date '2011-09-30', 'RE1'), ('grace day 61', '2011-10-01', 'RE1'),
               ('RE2 refund', '2011-09-20', 'RE2'), ('correction up', '2011-09-01', 'RE1'),
               ('correction up', '2011-09-25', 'RE3')) AS c(special, signed, band)
  JOIN replay.person p ON p.special = c.special;
INSERT INTO replay.op (op_at, kind, citizen, exemption, day, source)
SELECT replay.at('2011-09-28', 60), 'grant', p.fiscal_code, 'E01', '2011-04-01', 'asl_certificate'
  FROM replay.person p WHERE p.special = 'late E01';

-- New prescriptions during the switch: whoever has declared gets a band box.
DO $$
DECLARE
    p record;
    at timestamptz;
BEGIN
    FOR p IN SELECT * FROM replay.person WHERE special IS NULL ORDER BY fiscal_code LOOP
        CONTINUE WHEN random() >= 0.35;
        at := replay.at(replay.day_between('2011-08-29', '2011-10-27'), floor(random() * 540)::integer);
        PERFORM replay.plan_prescription(p.fiscal_code, p.gp_code, at,
                                         least((at AT TIME ZONE 'Europe/Rome')::date + 3 + floor(random() * 150)::integer,
                                               date '2012-03-31'));
    END LOOP;
END;
$$;

SELECT replay.execute('2011-10-28 00:00 Europe/Rome');

SELECT replay.check_phase();
SELECT replay.ok(replay.count_expect('declaration') > 600,
                 format('the switch: %s self-certifications in 60 days', replay.count_expect('declaration')));
SELECT replay.is((SELECT count(DISTINCT channel) FROM registry.declaration), 5,
                 'the switch: forms from CUP desks, GPs, pharmacies, CAF and the call centre');
SELECT replay.ok((SELECT count(*) FROM registry.declaration d JOIN registry.citizen c USING (fiscal_code)
                   WHERE d.declarant <> d.fiscal_code AND c.birth_date > d.signed_at::date - interval '18 years') > 50,
                 'the switch: minors declared by a parent',
                 (SELECT count(*) FROM registry.declaration WHERE declarant <> fiscal_code)::text);
SELECT replay.ok((SELECT count(*) FROM registry.declaration WHERE applies_from > '2011-08-29') > 50,
                 'the switch: some forms apply from the day they are signed');
SELECT replay.ok(replay.count_expect('adjustment', true, -1, 'declaration') > 50,
                 format('the switch: %s refunds of paid bookings for forms by 30 September 2011',
                        replay.count_expect('adjustment', true, -1, 'declaration')));
SELECT replay.ok(replay.count_expect('repriced') > 200,
                 format('the switch: %s unpaid bookings re-priced', replay.count_expect('repriced')));
SELECT replay.ok((SELECT count(*) FROM fse.prescription WHERE band IS NOT NULL) > 100,
                 'the switch: prescriptions written after a form carry its band');

-- Error paths, on the state the switch left.
SELECT replay.throws(format($q$SELECT registry.self_certify(%L, 'RE1', 'cup_desk', 'CUP-1', '2011-10-27', %L, 2010, '2011-10-27 10:00')$q$,
                            a.fiscal_code, b.fiscal_code),
                     'TK011', '% may not self-certify the income band of %',
                     'the switch: an adult of another household may not declare for an adult (TK011)')
  FROM (SELECT fiscal_code FROM replay.person WHERE relation = 'declarant' AND special IS NULL
         ORDER BY fiscal_code LIMIT 1) a,
       (SELECT fiscal_code FROM replay.person WHERE relation = 'declarant' AND special IS NULL
         ORDER BY fiscal_code DESC LIMIT 1) b;
SELECT replay.throws(format($q$SELECT registry.self_certify(%L, 'RE1', 'gp', 'X', '2011-10-27', %L, 2010, '2011-10-27 10:00')$q$,
                            kid.fiscal_code, kid.head),
                     'TK011', '% may not self-certify the income band of %',
                     'the switch: a parent may not declare for a child of 18 or more (TK011)')
  FROM (SELECT k.fiscal_code, (SELECT p.fiscal_code FROM replay.person p
                                WHERE p.household_id = k.household_id AND p.relation = 'declarant') AS head
          FROM replay.person k WHERE k.relation = 'dependant' AND k.birth_date <= '1993-10-27'
         ORDER BY k.fiscal_code LIMIT 1) kid;
SELECT replay.throws(format($q$SELECT registry.self_certify(%L, 'QB', 'cup_desk', 'CUP-1', '2011-10-27', NULL, 2010, '2011-10-27 10:00')$q$,
                            fiscal_code),
                     'TK004', 'regime ER-2011-08-29 in force on 2011-10-27 does not define income band QB',
                     'the switch: QB is not a band of 2011 (TK004)')
  FROM replay.person WHERE special = 'RE2 refund';
SELECT replay.throws(format($q$SELECT registry.self_certify(%L, 'RE2', 'cup_desk', 'CUP-1', '2011-08-29', %L, 2010, '2011-10-27 10:00')$q$,
                            d.fiscal_code, d.declarant),
                     'TK012', 'a declaration for % from 2011-08-29 would apply before the current one (from %)',
                     'the switch: a form cannot apply before the current one (TK012)')
  FROM (SELECT fiscal_code, declarant FROM registry.declaration
         WHERE valid_until IS NULL AND applies_from > '2011-08-29' ORDER BY declaration_id LIMIT 1) d;
SELECT replay.throws(format($q$SELECT cup.pay(%s, %s, 'cup_desk', '2011-10-27 10:00')$q$, booking_id, amount + 15),
                     'TK014', 'booking % costs %, not %',
                     'the switch: paying an amount that is no longer the price is refused (TK014)')
  FROM (SELECT booking_id, amount FROM cup.booking WHERE status = 'booked' AND amount > 0
         ORDER BY booking_id LIMIT 1) b;
