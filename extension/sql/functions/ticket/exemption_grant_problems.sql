CREATE FUNCTION ticket.exemption_grant_problems(code_patterns text[] DEFAULT NULL::text[]) RETURNS TABLE(grant_id bigint, problem text)
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $_$
    -- What registry.exemption_grant_before_insert checks of a new grant,
    -- over every day a grant is in effect (issue 18): the code held by a
    -- row of ticket.exemption_catalogue on each day, the first day's row
    -- allowing the source, the span within that row's period (fiscal year:
    -- to the next 1 April; edition: to the row's end).  Set-wise: the
    -- patterns are matched once per distinct code, the days the catalogue
    -- holds it computed once, then joined to the grants by hash.
    WITH codes AS MATERIALIZED (
        SELECT k.exemption, ticket.text(k.exemption) AS code
          FROM (SELECT DISTINCT g.exemption FROM registry.exemption_grant g) k
         WHERE $1 IS NULL OR ticket.text(k.exemption) OPERATOR(pg_catalog.~) ANY ($1)),
    code_rows AS MATERIALIZED (
        SELECT k.exemption, c.code_pattern, c.valid, c.period, c.grant_sources
          FROM codes k JOIN ticket.exemption_catalogue c ON k.code OPERATOR(pg_catalog.~) c.code_pattern),
    held AS MATERIALIZED (
        SELECT k.exemption, k.code,
               coalesce((SELECT pg_catalog.range_agg(r.valid) FROM code_rows r
                          WHERE r.exemption OPERATOR(ticket.=) k.exemption),
                        '{}'::pg_catalog.datemultirange) AS days
          FROM codes k),
    g AS MATERIALIZED (
        SELECT g.grant_id, g.exemption, h.code, g.effective, g.source,
               pg_catalog.datemultirange(g.effective) OPERATOR(pg_catalog.-) h.days AS missing
          FROM registry.exemption_grant g JOIN held h ON h.exemption OPERATOR(ticket.=) g.exemption
         WHERE NOT pg_catalog.isempty(g.effective)),
    first_row AS (
        SELECT DISTINCT ON (g.grant_id) g.grant_id, r.period, r.grant_sources, r.valid
          FROM g JOIN code_rows r ON r.exemption OPERATOR(ticket.=) g.exemption
                                 AND r.valid OPERATOR(pg_catalog.@>) pg_catalog.lower(g.effective)
         ORDER BY g.grant_id, r.code_pattern COLLATE "C"),
    checked AS (
        SELECT g.grant_id, g.code, g.effective, g.source, g.missing,
               f.period, f.grant_sources,
               CASE f.period
                 WHEN 'fiscal_year' THEN pg_catalog.make_date(
                     extract(year FROM pg_catalog.lower(g.effective) - interval '3 months')::integer + 1, 4, 1)
                 WHEN 'edition' THEN pg_catalog.upper(f.valid)
               END AS until
          FROM g LEFT JOIN first_row f ON f.grant_id OPERATOR(pg_catalog.=) g.grant_id),
    judged AS (
        SELECT c.grant_id,
               CASE
                 WHEN NOT pg_catalog.isempty(c.missing)
                   THEN pg_catalog.format('exemption %s is not in the exemption catalogue on the days %s (in effect %s)',
                                          c.code, c.missing, c.effective)
                 WHEN NOT c.source OPERATOR(pg_catalog.=) ANY (c.grant_sources)
                   THEN pg_catalog.format('exemption %s is not granted from source %s: its sources are %s',
                                          c.code, c.source, pg_catalog.array_to_string(c.grant_sources, ', '))
                 WHEN c.until IS NOT NULL
                      AND (pg_catalog.upper_inf(c.effective) OR pg_catalog.upper(c.effective) OPERATOR(pg_catalog.>) c.until)
                   THEN pg_catalog.format('exemption %s (%s) runs at most to %s: in effect %s',
                                          c.code, c.period, c.until - 1, c.effective)
               END AS problem
          FROM checked c)
    SELECT j.grant_id, j.problem FROM judged j WHERE j.problem IS NOT NULL ORDER BY j.grant_id
$_$;

COMMENT ON FUNCTION ticket.exemption_grant_problems(code_patterns text[]) IS 'the grants in effect (of the codes matching one of code_patterns; NULL: every grant) that ticket.exemption_catalogue does not allow, with why in English: the code not held on some of its days, a source not among the first day''s row''s, a span beyond its fiscal year or edition (ticket.check_consistency, the catalogue''s edits, the update to 1.3)';

REVOKE ALL ON FUNCTION ticket.exemption_grant_problems(code_patterns text[]) FROM PUBLIC;
