CREATE FUNCTION registry.declarations_close() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    refused record;
    was_internal boolean;
BEGIN
    PERFORM ticket.trigger_expects(TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL, TG_OP,
                                   '{registry.declaration}',
                                   '{"AFTER STATEMENT INSERT"}');
    -- One UPDATE for the whole statement (the 1 April batch is 100,000 rows
    -- in one INSERT): each new row closes its predecessor, the citizen's
    -- previous row of this statement in the order the statement produced
    -- them, or for the citizen's first row the declaration current before
    -- the statement.  Until this runs the new rows overlap their
    -- predecessors: declaration_no_overlap is checked at commit.
    -- The row trigger declaration_before_insert has locked each citizen;
    -- this trigger (declaration_close_previous) fires before
    -- declarations_propagate, triggers of one event firing in name order.
    was_internal := ticket.internal_write(true);
    -- EXECUTE: planned for each statement's rows, as cup.booking_events: a
    -- plan kept from a big statement (a hash join) read all of
    -- registry.declaration twice for each later single declaration.
    EXECUTE $q$
    WITH new_rows AS MATERIALIZED (
        SELECT n.declaration_id, n.fiscal_code, n.applies_from,
               row_number() OVER () AS position      -- the order of production
          FROM new_declarations n
    ), in_statement AS (
        SELECT r.position, r.fiscal_code, r.applies_from,
               lag(r.declaration_id) OVER citizen_rows AS previous_id,
               lag(r.applies_from) OVER citizen_rows AS previous_from,
               array_agg(r.declaration_id) OVER citizen AS citizen_new_ids
          FROM new_rows r
        WINDOW citizen AS (PARTITION BY r.fiscal_code),
               citizen_rows AS (citizen ORDER BY r.position)
    ), closing AS (
        -- A citizen's first row closes the declaration current before the
        -- statement: declaration_no_overlap leaves one open besides the
        -- statement's own, found by one probe of declaration_current_idx
        -- (OFFSET 0: a look-up per row, never joined as a whole).  No row
        -- of the statement is compared with the others, whatever the
        -- estimates: the semi-join against the statement's rows it
        -- replaces became, planned for one row, a scan of them for each
        -- row (issue 19: 523 million comparisons of fiscal codes in a
        -- 50,000-citizen replay, a third of its time).
        SELECT s.position, s.fiscal_code, s.applies_from,
               coalesce(s.previous_id, c.declaration_id) AS closed_id,
               coalesce(s.previous_from, c.applies_from) AS closed_from
          FROM in_statement s
          LEFT JOIN LATERAL (
                SELECT d.declaration_id, d.applies_from
                  FROM registry.declaration d
                 WHERE s.previous_id IS NULL
                   AND d.fiscal_code = s.fiscal_code AND d.valid_until IS NULL
                   AND d.declaration_id <> ALL (s.citizen_new_ids)
                OFFSET 0
          ) c ON true
    ), closed AS (
        UPDATE registry.declaration d SET valid_until = x.applies_from
          FROM closing x
         WHERE d.declaration_id = x.closed_id AND x.closed_from <= x.applies_from
    )
    -- History is not rewritten: the first row, in the statement's order,
    -- that would apply before its predecessor fails the statement.
    SELECT x.fiscal_code, x.applies_from, x.closed_from
      FROM closing x
     WHERE x.closed_from > x.applies_from
     ORDER BY x.position LIMIT 1
    $q$ INTO refused;
    was_internal := ticket.internal_write(was_internal);
    IF refused.fiscal_code IS NOT NULL THEN         -- EXECUTE does not set FOUND
        PERFORM ticket.raise_error('TK012', 'a declaration for % from % would apply before the current one (from %)',
                                   ARRAY[refused.fiscal_code::text, refused.applies_from::text, refused.closed_from::text],
            hint => 'History is not rewritten: declare from the current one''s date or later.');
    END IF;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION registry.declarations_close() IS 'trigger: after an insert of declarations (statement), each new one closes its predecessor (valid_until = its applies_from) in one UPDATE; TK012 for one that would apply before it; VOLATILE because it writes';

REVOKE ALL ON FUNCTION registry.declarations_close() FROM PUBLIC;
