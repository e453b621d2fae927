CREATE FUNCTION ticket.simulate(regime text, services_from date, services_to date) RETURNS TABLE(band ticket.income_band, bookings bigint, current_total numeric, draft_total numeric, difference numeric)
    LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
BEGIN
    PERFORM ticket.refuse_long_text('ticket.simulate', 'regime', regime, 100);
    IF NOT EXISTS (SELECT 1 FROM ticket.regime r WHERE r.regime_id OPERATOR(pg_catalog.=) simulate.regime) THEN
        PERFORM ticket.raise_error('P0002', 'regime % does not exist', ARRAY[regime]);
    END IF;
    -- One statement over the bookings of the period: each priced under the
    -- regime by name (ticket.price_under: the C engine, the catalogue of the
    -- service date), with the citizen's band and exemptions of that date;
    -- a declared band the regime neither defines nor replaces is its default
    -- band, as ticket.effective_band has it for the regime in force.
    RETURN QUERY
    SELECT d.band, pg_catalog.count(*), pg_catalog.sum((b.bill).total), pg_catalog.sum(d.total),
           pg_catalog.sum(d.total) OPERATOR(pg_catalog.-) pg_catalog.sum((b.bill).total)
      FROM cup.booking b
      JOIN fse.prescription p ON p.nre OPERATOR(pg_catalog.=) b.nre
     CROSS JOIN LATERAL ticket.citizen_status(b.fiscal_code, b.service_date) s
      -- the band charged: the declared one if the regime defines it, else
      -- the band of the regime that replaces it (2019: QB replaces RE1-RE3,
      -- as ticket.effective_band has it for the regimes in force)
      LEFT JOIN LATERAL (
            SELECT rb.band FROM ticket.regime_band rb
             WHERE rb.regime_id OPERATOR(pg_catalog.=) simulate.regime
               AND (rb.band OPERATOR(ticket.=) s.declared_band
                    OR s.declared_band OPERATOR(ticket.=) ANY (rb.replaces))
             ORDER BY (rb.band OPERATOR(ticket.=) s.declared_band) DESC
             LIMIT 1) rb ON true
     CROSS JOIN LATERAL ticket.price_under(simulate.regime, p.services, rb.band, s.exemptions, b.service_date) d
     WHERE b.status OPERATOR(pg_catalog.<>) 'cancelled'
       AND b.service_date OPERATOR(pg_catalog.>=) services_from
       AND b.service_date OPERATOR(pg_catalog.<=) services_to
     GROUP BY d.band
     ORDER BY d.band;
END;
$$;

COMMENT ON FUNCTION ticket.simulate(regime text, services_from date, services_to date) IS 'the what-if of a regime (a draft, usually): the live bookings with a service date from services_from to services_to, per band the regime would charge (NULL: none), their number, their bills now (current_total), their bills under the regime (draft_total, ticket.price_under on the service date) and the difference; writes nothing; runs as the owner (it reads every booking) and returns only totals';

REVOKE ALL ON FUNCTION ticket.simulate(regime text, services_from date, services_to date) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.simulate(regime text, services_from date, services_to date) TO ticket_rules_admin;
