CREATE FUNCTION registry.propagate(citizens ticket.fiscal_code[], from_dates date[], known_dates date[], cause text) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
DECLARE
    was_internal boolean := ticket.internal_write(true);
BEGIN
    -- from_dates: the day from which each citizen's status changed; NULL
    -- when it changed on no day (a declaration of the band of the one it
    -- closes): the profile is refreshed, no prescription or booking looked at.
    -- FSE profile: what the registry says now; none for a citizen left with
    -- neither a declaration nor an exemption (only a revocation leaves one
    -- so: a new declaration or grant never does, and the search is a pass
    -- over every citizen's profile for nothing).
    IF cause NOT IN ('declaration', 'exemption_granted') THEN
        DELETE FROM fse.profile p
         USING (SELECT DISTINCT u.fiscal_code FROM unnest(citizens) AS u(fiscal_code)) c
         WHERE p.fiscal_code = c.fiscal_code
           AND NOT EXISTS (SELECT 1 FROM fse.profile_expected e WHERE e.fiscal_code = c.fiscal_code);
    END IF;
    INSERT INTO fse.profile AS p (fiscal_code, declaration_id, band, band_from, exemptions, updated_at)
    SELECT e.fiscal_code, e.declaration_id, e.band, e.band_from, e.exemptions, now()
      FROM (SELECT DISTINCT u.fiscal_code FROM unnest(citizens) AS u(fiscal_code)) c
      JOIN fse.profile_expected e ON e.fiscal_code = c.fiscal_code
        ON CONFLICT (fiscal_code) DO UPDATE
       SET declaration_id = excluded.declaration_id, band = excluded.band,
           band_from = excluded.band_from, exemptions = excluded.exemptions,
           updated_at = excluded.updated_at;

    -- Prescription boxes: the registry as of each prescription date.
    UPDATE fse.prescription p
       SET band = e.expected_band, exemptions = e.expected_exemptions
      FROM (SELECT u.fiscal_code, min(u.from_date) AS from_date
              FROM unnest(citizens, from_dates) AS u(fiscal_code, from_date)
             GROUP BY u.fiscal_code) c,
           fse.prescription_expected e
     WHERE e.fiscal_code = c.fiscal_code AND e.prescribed_on >= c.from_date
       AND p.nre = e.nre
       AND (e.band, e.exemptions) IS DISTINCT FROM (e.expected_band, e.expected_exemptions);

    -- The bookings (the same function the ASL nodes run).
    PERFORM cup.propagate_bookings(citizens, from_dates, known_dates, cause);
    was_internal := ticket.internal_write(was_internal);
END;
$$;

COMMENT ON FUNCTION registry.propagate(citizens ticket.fiscal_code[], from_dates date[], known_dates date[], cause text) IS 'carries registry changes to the FSE profile, the prescription boxes, the unpaid bookings (re-priced) and the paid ones inside the grace window (adjustments: cup.propagate_bookings); VOLATILE because it writes';

REVOKE ALL ON FUNCTION registry.propagate(citizens ticket.fiscal_code[], from_dates date[], known_dates date[], cause text) FROM PUBLIC;
