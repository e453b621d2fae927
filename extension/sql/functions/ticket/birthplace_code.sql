CREATE FUNCTION ticket.birthplace_code(name text, on_date date) RETURNS text
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    -- A spelling's key: accents off (precomposed here, combining marks with
    -- the rest), upper case, only A-Z and 0-9 kept (apostrophes, spaces,
    -- hyphens and dots dropped).  The same expression for the input and
    -- for the table: keep the two in step.
    accented constant text := 'àáâäãåèéêëìíîïòóôöõùúûüýÿçñÀÁÂÄÃÅÈÉÊËÌÍÎÏÒÓÔÖÕÙÚÛÜÝÇÑ';
    plain constant text    := 'aaaaaaeeeeiiiiooooouuuuyycnAAAAAAEEEEIIIIOOOOOUUUUYCN';
    parts text[];
    wanted text;
    wanted_province text;
    in_force text[];
    attributable text[];
    shown text[];
    chosen text[];
    listed text;
    n integer;
BEGIN
    PERFORM ticket.refuse_long_text('ticket.birthplace_code', 'name', birthplace_code.name, 200);
    -- "San Severo (FG)": a name, then a province (EE for a foreign state).
    parts := regexp_match(birthplace_code.name, '^(.*?)\s*\(\s*([A-Za-z]{2})\s*\)\s*$');
    IF parts IS NULL THEN
        wanted := regexp_replace(upper(translate(birthplace_code.name, accented, plain)), '[^A-Z0-9]', '', 'g');
    ELSE
        wanted := regexp_replace(upper(translate(parts[1], accented, plain)), '[^A-Z0-9]', '', 'g');
        wanted_province := upper(parts[2]);
    END IF;
    IF wanted = '' THEN
        PERFORM ticket.raise_error('22023', 'birthplace name % has no letters', ARRAY[birthplace_code.name]);
    END IF;

    -- Each spelling of that name (official, transliterated, other official
    -- names), one group per code, name and province: is it in force on the
    -- date, is its code attributable on the date (in force then or later).
    WITH spelled AS (
        SELECT DISTINCT b.code, b.name, b.province, b.valid
          FROM ticket.birthplace b
         CROSS JOIN LATERAL unnest(ARRAY[b.name, b.name_ascii]
                                   || COALESCE(string_to_array(b.alt_name, '/'), '{}'::text[])) AS s(spelling)
         WHERE regexp_replace(upper(translate(s.spelling, accented, plain)), '[^A-Z0-9]', '', 'g') = wanted
    ), grouped AS (
        SELECT g.code, g.name, g.province,
               bool_or(g.valid @> on_date) AS now_in_force,
               ticket.birthplace_attributable(g.code, on_date) AS code_attributable,
               g.code || ' ' || g.name || ' (' || g.province || ') '
                   || min(lower(g.valid))::text || '/'
                   || CASE WHEN bool_or(upper_inf(g.valid)) THEN '..'
                           ELSE (max(upper(g.valid)) - 1)::text END AS description
          FROM spelled g
         GROUP BY g.code, g.name, g.province
    )
    SELECT array_agg(DISTINCT g.code) FILTER (WHERE g.now_in_force AND (wanted_province IS NULL OR g.province = wanted_province)),
           array_agg(DISTINCT g.code) FILTER (WHERE g.code_attributable AND (wanted_province IS NULL OR g.province = wanted_province)),
           array_agg(g.description ORDER BY g.code, g.description)
      INTO in_force, attributable, shown
      FROM grouped g;

    -- The name in force on the date; failing that, a code of that name
    -- that is attributable on the date (Agrigento for a 1920 birth, when
    -- it was Girgenti; Torino before its first era).
    chosen := COALESCE(in_force, attributable);
    IF cardinality(chosen) = 1 THEN
        RETURN chosen[1];
    END IF;

    IF cardinality(chosen) > 1 THEN
        -- Only the candidates: the groups of the chosen codes.
        SELECT array_agg(d ORDER BY d) INTO shown
          FROM unnest(shown) AS d
         WHERE left(d, 4) = ANY (chosen)
           AND (wanted_province IS NULL OR d LIKE '%(' || wanted_province || ')%');
    END IF;
    n := COALESCE(cardinality(shown), 0);
    listed := array_to_string(shown[1:4], '; ');

    IF cardinality(chosen) > 1 THEN
        IF n > 4 THEN
            PERFORM ticket.raise_error('22023', 'birthplace name % is ambiguous on %', ARRAY[birthplace_code.name, on_date::text],
                                       'Candidates: % and % more.',
                                       'Add the province in brackets, as in "Livo (TN)", or pass the Belfiore code to ticket.fiscal_code_encode.',
                                       ARRAY[listed, (n - 4)::text]);
        END IF;
        PERFORM ticket.raise_error('22023', 'birthplace name % is ambiguous on %', ARRAY[birthplace_code.name, on_date::text],
                                   'Candidates: %.',
                                   'Add the province in brackets, as in "Livo (TN)", or pass the Belfiore code to ticket.fiscal_code_encode.',
                                   ARRAY[listed]);
    END IF;
    IF n > 4 THEN
        PERFORM ticket.raise_error('TK016', 'no birthplace is named % on %', ARRAY[birthplace_code.name, on_date::text],
                                   'Places of that name: % and % more.',
                                   'Load the national archive with ticket_load_birthplaces.psql, or correct the birthplace.',
                                   ARRAY[listed, (n - 4)::text]);
    ELSIF n > 0 THEN
        PERFORM ticket.raise_error('TK016', 'no birthplace is named % on %', ARRAY[birthplace_code.name, on_date::text],
                                   'Places of that name: %.',
                                   'Load the national archive with ticket_load_birthplaces.psql, or correct the birthplace.',
                                   ARRAY[listed]);
    END IF;
    PERFORM ticket.raise_error('TK016', 'no birthplace is named % on %', ARRAY[birthplace_code.name, on_date::text],
                               NULL,
                               'Load the national archive with ticket_load_birthplaces.psql, or correct the birthplace.');
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION ticket.birthplace_code(name text, on_date date) IS 'Belfiore code of a birthplace name on a date ("San Severo (FG)", "Torino", "Spagna"; case, accents, apostrophes and spaces ignored): the name in force on the date, else a code of that name attributable on it; 22023 when ambiguous, TK016 when unknown, the candidates in the detail';

REVOKE ALL ON FUNCTION ticket.birthplace_code(name text, on_date date) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.birthplace_code(name text, on_date date) TO ticket_library;
