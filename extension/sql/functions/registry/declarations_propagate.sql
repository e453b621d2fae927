CREATE FUNCTION registry.declarations_propagate() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{registry.declaration}',
                                   '{"AFTER STATEMENT INSERT"}');
    -- The cause's events first, then its consequences' (from propagate).
    INSERT INTO ticket.event (kind, subject, fiscal_code, payload)
    SELECT 'declaration', n.declaration_id::text, n.fiscal_code,
           jsonb_build_object('band', n.band::text, 'applies_from', n.applies_from,
                              'declarant', n.declarant::text, 'channel', n.channel)
      FROM new_declarations n ORDER BY n.declaration_id;
    INSERT INTO fse.event (fiscal_code, kind, detail)
    SELECT n.fiscal_code, 'declaration',
           jsonb_build_object('declaration_id', n.declaration_id, 'band', n.band::text,
                              'applies_from', n.applies_from, 'channel', n.channel)
      FROM new_declarations n ORDER BY n.declaration_id;
    -- A citizen whose new declarations all declare the band of the one they
    -- close changes status on no date (80 % of the 1 April batch): NULL for
    -- the date of the change, so that registry.propagate refreshes the
    -- profile (it names the declaration) and re-prices nothing.  The one
    -- they close is the citizen's only older declaration ending on the day
    -- the first new one applies from; with two or more (one closed on the
    -- day it began) or none, the change counts as a change.  Window
    -- functions and one look-up per row: no join of the statement's rows,
    -- whatever the size of the statement the kept plan was made for.
    PERFORM registry.propagate(array_agg(s.fiscal_code),
                               array_agg(CASE WHEN s.band = ALL (s.citizen_bands)
                                                   AND closed.count = 1 AND closed.same_band
                                              THEN NULL ELSE s.applies_from END),
                               array_agg(s.known_on), 'declaration')
       FROM (SELECT n.fiscal_code, n.band, n.applies_from, ticket.local_day(n.signed_at) AS known_on,
                    min(n.applies_from) OVER citizen AS first_from,
                    array_agg(n.band) OVER citizen AS citizen_bands,
                    array_agg(n.declaration_id) OVER citizen AS citizen_new_ids
               FROM new_declarations n
             WINDOW citizen AS (PARTITION BY n.fiscal_code)) s
       CROSS JOIN LATERAL (
             SELECT count(*) AS count, bool_and(d.band = s.band) AS same_band
               FROM registry.declaration d
              WHERE d.fiscal_code = s.fiscal_code AND d.valid_until = s.first_from
                AND d.declaration_id <> ALL (s.citizen_new_ids)
             OFFSET 0) closed;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION registry.declarations_propagate() IS 'trigger: new declarations reach the FSE, the prescriptions and the bookings (nothing re-priced for a citizen whose band they leave as it was); FSE events and outbox events; VOLATILE because it writes';

REVOKE ALL ON FUNCTION registry.declarations_propagate() FROM PUBLIC;
