CREATE FUNCTION ticket.check_consistency() RETURNS TABLE(invariant text, subject text, detail text)
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $_$
DECLARE
    at_region boolean := ticket.node_role() = 'region';
BEGIN
    -- Unpaid bookings hold the price the rules and the registry give now.
    RETURN QUERY
    SELECT 'booking_price', 'booking ' || e.booking_id,
           format('holds %s (%s), current data give %s (%s)', (e.bill).total, (e.bill).regime,
                  (e.expected_bill).total, (e.expected_bill).regime)
      FROM cup.booking_expected e
     WHERE e.status = 'booked' AND e.bill IS DISTINCT FROM e.expected_bill;

    -- A paid booking paid its bill.
    RETURN QUERY
    SELECT 'booking_payment', 'booking ' || b.booking_id,
           format('status %s, paid %s of %s', b.status, b.paid_amount, b.amount)
      FROM cup.booking b
     WHERE (b.status IN ('paid', 'done') OR (b.status = 'missed' AND b.paid_amount IS NOT NULL)) AND b.paid_amount IS DISTINCT FROM b.amount;

    -- A booking is for its prescription's patient, on or after its date.
    RETURN QUERY
    SELECT 'booking_prescription', 'booking ' || b.booking_id,
           format('booking for %s on %s, prescription %s for %s on %s', b.fiscal_code, b.service_date,
                  p.nre, p.fiscal_code, p.prescribed_on)
      FROM cup.booking b JOIN fse.prescription p ON p.nre = b.nre
     WHERE b.fiscal_code <> p.fiscal_code OR b.service_date < p.prescribed_on;

    -- The FSE profile says what the registry says (the region's).
    RETURN QUERY
    SELECT 'fse_profile', coalesce(e.fiscal_code, p.fiscal_code)::text,
           CASE WHEN p.fiscal_code IS NULL THEN 'no FSE profile'
                WHEN e.fiscal_code IS NULL THEN 'FSE profile of a citizen with no declaration or exemption'
                ELSE format('FSE shows %s from %s %s, registry %s from %s %s', p.band, p.band_from,
                            p.exemptions, e.band, e.band_from, e.exemptions) END
      FROM fse.profile_expected e
      FULL JOIN fse.profile p ON p.fiscal_code = e.fiscal_code
     WHERE at_region
       AND (p.fiscal_code IS NULL OR e.fiscal_code IS NULL
            OR (p.declaration_id, p.band, p.band_from, p.exemptions)
               IS DISTINCT FROM (e.declaration_id, e.band, e.band_from, e.exemptions));

    -- Prescription boxes are the registry's as of the prescription date.
    RETURN QUERY
    SELECT 'prescription_boxes', 'prescription ' || e.nre,
           format('boxes %s %s, registry on %s gives %s %s', e.band, e.exemptions, e.prescribed_on,
                  e.expected_band, e.expected_exemptions)
      FROM fse.prescription_expected e
     WHERE (e.band, e.exemptions) IS DISTINCT FROM (e.expected_band, e.expected_exemptions);

    -- Declarations of one citizen never overlap; at most one is current.
    RETURN QUERY
    SELECT 'declaration_overlap', a.fiscal_code::text,
           format('declarations %s %s and %s %s overlap', a.declaration_id, a.valid, b.declaration_id, b.valid)
      FROM registry.declaration a
      JOIN registry.declaration b ON b.fiscal_code = a.fiscal_code
                                 AND b.declaration_id > a.declaration_id AND b.valid && a.valid;

    -- Nothing declared, prescribed or booked (unpaid) for the dead.
    RETURN QUERY
    SELECT 'after_death', c.fiscal_code::text, format('%s on %s, died %s', w.what, w.on_date, c.death_date)
      FROM registry.citizen c
      JOIN LATERAL (SELECT 'declaration ' || d.declaration_id AS what, d.applies_from AS on_date
                      FROM registry.declaration d WHERE d.fiscal_code = c.fiscal_code
                    UNION ALL
                    SELECT 'prescription ' || p.nre, p.prescribed_on
                      FROM fse.prescription p WHERE p.fiscal_code = c.fiscal_code
                    UNION ALL
                    SELECT 'unpaid booking ' || b.booking_id, b.service_date
                      FROM cup.booking b
                     WHERE b.fiscal_code = c.fiscal_code AND b.status = 'booked') w
        ON w.on_date >= c.death_date
     WHERE c.death_date IS NOT NULL;

    -- Fiscal codes match the personal data unless a reason is recorded.
    RETURN QUERY
    SELECT 'fiscal_code_data', c.fiscal_code::text, 'the code does not match the personal data'
      FROM registry.citizen c
     WHERE c.code_mismatch_reason IS NULL AND ticket.fiscal_code_kind(c.fiscal_code) = 'personal'
       AND NOT ticket.fiscal_code_matches(c.fiscal_code, c.surname, c.given_name, c.sex,
                                          c.birth_date, c.birthplace);

    -- Every event is about a row that exists, and of its citizen (outer
    -- joins on the id: linear, not a probe per event).
    RETURN QUERY
    SELECT 'orphan_event', 'event ' || ev.event_id, format('%s %s of %s', ev.kind, ev.subject, ev.fiscal_code)
      FROM (SELECT e.*, CASE WHEN e.subject ~ '^[0-9]{1,18}$' THEN e.subject::bigint END AS id
              FROM ticket.event e) ev
      LEFT JOIN registry.declaration d
             ON ev.kind = 'declaration' AND d.declaration_id = ev.id AND d.fiscal_code = ev.fiscal_code
      LEFT JOIN registry.exemption_grant g
             ON ev.kind IN ('exemption_granted', 'exemption_revoked') AND g.grant_id = ev.id
            AND g.fiscal_code = ev.fiscal_code
      LEFT JOIN (cup.adjustment a JOIN cup.booking ab ON ab.booking_id = a.booking_id)
             ON ev.kind = 'adjustment' AND a.adjustment_id = ev.id AND ab.fiscal_code = ev.fiscal_code
      LEFT JOIN cup.booking b
             ON ev.kind IN ('booked', 'moved', 'repriced', 'paid', 'cancelled', 'done', 'missed')
            AND b.booking_id = ev.id AND b.fiscal_code = ev.fiscal_code
     WHERE d.declaration_id IS NULL AND g.grant_id IS NULL AND a.adjustment_id IS NULL
       AND b.booking_id IS NULL;

    -- Every declaration, grant and revocation reached the outbox and the FSE
    -- log (the region's).  Outer joins, not correlated NOT EXISTS: hash
    -- joins that spill to disk keep this linear at the size of the region.
    RETURN QUERY
    SELECT 'missing_event', 'declaration ' || d.declaration_id, 'no outbox or FSE event'
      FROM registry.declaration d
      LEFT JOIN ticket.event ev ON ev.kind = 'declaration' AND ev.subject = d.declaration_id::text
      LEFT JOIN fse.event fe ON fe.kind = 'declaration' AND fe.fiscal_code = d.fiscal_code
                            AND (fe.detail ->> 'declaration_id')::bigint = d.declaration_id
     WHERE at_region AND (ev.event_id IS NULL OR fe.event_id IS NULL);
    RETURN QUERY
    SELECT 'missing_event', 'grant ' || g.grant_id, 'no outbox or FSE event exemption_granted'
      FROM registry.exemption_grant g
      LEFT JOIN ticket.event ev ON ev.kind = 'exemption_granted' AND ev.subject = g.grant_id::text
      LEFT JOIN fse.event fe ON fe.kind = 'exemption_granted' AND fe.fiscal_code = g.fiscal_code
                            AND (fe.detail ->> 'grant_id')::bigint = g.grant_id
     WHERE at_region AND (ev.event_id IS NULL OR fe.event_id IS NULL);
    RETURN QUERY
    SELECT 'missing_event', 'grant ' || g.grant_id, 'no outbox or FSE event exemption_revoked'
      FROM registry.exemption_grant g
      LEFT JOIN ticket.event ev ON ev.kind = 'exemption_revoked' AND ev.subject = g.grant_id::text
      LEFT JOIN fse.event fe ON fe.kind = 'exemption_revoked' AND fe.fiscal_code = g.fiscal_code
                            AND (fe.detail ->> 'grant_id')::bigint = g.grant_id
     WHERE at_region AND g.revoked_on IS NOT NULL AND (ev.event_id IS NULL OR fe.event_id IS NULL);

    -- Every grant in effect is one the exemption catalogue allows on each
    -- of its days (issue 18): grants recorded before 1.3 were never checked
    -- against it, and pricing a day it does not hold the code is TK008.
    RETURN QUERY
    SELECT 'exemption_grant_catalogue', 'grant ' || p.grant_id, p.problem
      FROM ticket.exemption_grant_problems() p;

    -- An ASL node: nothing left in the queue of replicated changes.
    RETURN QUERY
    SELECT 'replica_queue', coalesce(q.fiscal_code::text, 'rules'), 'replicated change not re-priced: ' || q.cause
      FROM cup.replica_queue q;
END;
$_$;

COMMENT ON FUNCTION ticket.check_consistency() IS 'one row per violated invariant of the network (prices of unpaid bookings, payments, FSE profiles, prescription boxes, declaration overlaps, deaths, fiscal codes, events, grants the exemption catalogue does not allow; on an ASL node the FSE profiles and registry events are the region''s and not checked); empty on a healthy database';

REVOKE ALL ON FUNCTION ticket.check_consistency() FROM PUBLIC;
