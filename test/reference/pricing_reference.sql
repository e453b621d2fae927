-- test/reference/pricing_reference.sql
--
-- A PL/pgSQL reference implementation of the tariff engine, written from the
-- algorithm in the header comment of extension/src/core/pricing_core.h (the
-- contract), the SQLSTATE table of extension/doc/ticket.md and the rule
-- tables themselves, NOT from pricing_core.c, so that a differential test
-- can compare the two: test/pgtap/pricing_differential.sql includes this file
-- (psql \ir) inside a transaction that it rolls back.
--
-- Deliberately different from the C engine: it reads ticket.regime,
-- regime_band, exemption_rule, exemption_scope (and ticket.service for the
-- catalogue variant) with plain SQL on every call, never the C rule cache;
-- money is numeric euros, not integer cents; the items are walked with
-- SQL-array loops and boolean arrays.
--
--   ticket_reference.price(items ticket.item[], band, exemptions, on_date)
--   ticket_reference.price(codes text[], band, exemptions, on_date)
--       the same ticket.bill as ticket.price (explanation: the reference's
--       own words, with [tags] naming the rules that fired, for the vacuity
--       checks of the tests), the same SQLSTATEs for bad prescriptions
--   ticket_reference.random_prescriptions(n, seed)
--       deterministic (setseed) test prescriptions, about 80 % valid
--
-- Points where the header leaves a choice open, and the reading taken here:
--   * Precedence between several defects of one prescription: the checks of
--     step 1 are applied item by item in the order the header lists them
--     (tariff, quantity, category, branch), the first offending item
--     deciding; the count of services is checked after all items.  The
--     SQL-surface checks (NULL fields, unknown kind, NaN) come first for all
--     items, as they happen while the arguments are read; the regime of the
--     date (TK005) before anything about the items; the band (step 2) after
--     the items.  "At least one item" and "at most 64 lines" are checks of
--     the whole array and come before the per-item checks.
--   * "applied" exemption (it spares the quota, it is the one reported):
--     one whose rule covers at least one item of the prescription, even an
--     item another exemption written before it covers too; the bill names
--     the first such exemption in the order written.
--   * NULL items and fields raise 22004, as extension/doc/ticket.md says.
--   * The quota threshold is compared with the tariff sum before the cap.
--   * An emergency-room consultation or exam without an access (TK009) is
--     checked after the count of services, before the band.
--
-- The file is idempotent (IF NOT EXISTS / OR REPLACE) and may be \ir-included
-- more than once.  It needs the ticket extension (its types and tables).

CREATE SCHEMA IF NOT EXISTS ticket_reference;

COMMENT ON SCHEMA ticket_reference IS
'PL/pgSQL reference implementations of the ticket rules, for differential tests (test/reference)';

--------------------------------------------------------------------------
-- Errors: SQLSTATE and a short message (the text is not compared).
--------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION ticket_reference.fail(state text, message text)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = state, MESSAGE = 'reference: ' || message;
END;
$$;

--------------------------------------------------------------------------
-- ticket_reference.price: one prescription of explicit items
--------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION ticket_reference.price(items ticket.item[],
                                                  band ticket.income_band,
                                                  exemptions ticket.exemption[],
                                                  on_date date)
RETURNS ticket.bill
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    max_lines   constant int := 64;
    max_qty     constant int := 1000;
    max_amount  constant numeric := 999999.99;
    spec_kinds  constant text[] := ARRAY['first_visit', 'control_visit', 'exam', 'ct_mri',
                                         'ambulatory_surgery'];
    all_kinds   constant text[] := ARRAY['first_visit', 'control_visit', 'exam', 'ct_mri',
                                         'ambulatory_surgery', 'drug', 'er_access', 'er_consultation',
                                         'er_exam'];
    reg         ticket.regime;
    n           int;
    -- the items as parallel arrays (1-based)
    codes       text[] := '{}';
    kinds       text[] := '{}';
    branches    text[] := '{}';
    tariffs     numeric[] := '{}';
    qtys        int[] := '{}';
    cats        text[] := '{}';
    it          ticket.item;
    services    bigint := 0;
    -- the amounts that depend on the band
    used_band   ticket.income_band;
    amt_quota   numeric;
    amt_ct      numeric;
    amt_pack    numeric;
    amt_cap     numeric;
    -- exemptions
    covered     boolean[];
    ex          ticket.exemption;
    ex_rule     record;
    ex_scope    text[];
    ex_hits     int;
    first_ex    ticket.exemption;
    spared      boolean := false;
    -- pricing
    base        numeric := 0;
    quota       numeric := 0;
    why         text[] := '{}';
    cat         text;
    fixed_surg  boolean;
    visits_only boolean;
    visit_amt   numeric;
    visit_sum   numeric;
    ct_seen     boolean;
    tsum        numeric;
    capped      numeric;
    packs       bigint;
    accesses    bigint;
    consults    bigint;
    exam_sum    numeric;
    exam_seen   boolean;
    result      ticket.bill;
BEGIN
    -- price() returns NULL for NULL items or date (band and exemptions may be NULL)
    IF items IS NULL OR on_date IS NULL THEN
        RETURN NULL;
    END IF;

    -- The regime of the date: the latest that has started.
    IF NOT isfinite(on_date) THEN
        PERFORM ticket_reference.fail('22023', 'the date must be finite');
    END IF;
    SELECT * INTO reg FROM ticket.regime g
     WHERE g.effective_from <= on_date ORDER BY g.effective_from DESC LIMIT 1;
    IF NOT FOUND THEN
        PERFORM ticket_reference.fail('TK005', format('no regime on %s', on_date));
    END IF;
    why := why || format('regime %s', reg.regime_id);

    -- Reading the arguments: every item must be there, with its fields.
    n := coalesce(cardinality(items), 0);
    FOR i IN 1 .. n LOOP
        -- (a row of NULL fields counts as NULL too: the same SQLSTATE either way)
        IF items[i] IS NULL THEN
            PERFORM ticket_reference.fail('22004', format('item %s is NULL', i));
        END IF;
        it := items[i];
        IF it.code IS NULL THEN
            PERFORM ticket_reference.fail('22004', format('item %s: no code', i));
        END IF;
        IF it.kind IS NULL THEN
            PERFORM ticket_reference.fail('22004', format('item %s: no kind', i));
        END IF;
        IF NOT (it.kind = ANY (all_kinds)) THEN
            PERFORM ticket_reference.fail('22023', format('item %s: unknown kind %s', i, it.kind));
        END IF;
        IF it.branch IS NULL THEN
            PERFORM ticket_reference.fail('22004', format('item %s: no branch', i));
        END IF;
        IF it.tariff IS NULL THEN
            PERFORM ticket_reference.fail('22004', format('item %s: no tariff', i));
        END IF;
        IF it.tariff = 'NaN'::numeric THEN
            PERFORM ticket_reference.fail('22023', format('item %s: tariff is not a number', i));
        END IF;
        IF abs(round(it.tariff, 2)) > max_amount THEN
            PERFORM ticket_reference.fail('22003', format('item %s: tariff out of range', i));
        END IF;
        codes    := codes || it.code;
        kinds    := kinds || it.kind;
        branches := branches || it.branch;
        tariffs  := tariffs || round(it.tariff, 2);
        qtys     := qtys || coalesce(it.quantity, 1);
        cats     := cats || CASE WHEN it.kind = 'drug' THEN 'drugs'
                                 WHEN it.kind IN ('er_access', 'er_consultation', 'er_exam') THEN 'er'
                                 ELSE 'specialist' END;
    END LOOP;

    -- Step 1: the checks.
    IF n = 0 THEN
        PERFORM ticket_reference.fail('22023', 'no items');
    END IF;
    IF n > max_lines THEN
        PERFORM ticket_reference.fail('TK001', format('%s lines', n));
    END IF;
    FOR i IN 1 .. n LOOP
        IF tariffs[i] < 0 THEN
            PERFORM ticket_reference.fail('22023', format('item %s: negative tariff', i));
        END IF;
        IF qtys[i] NOT BETWEEN 1 AND max_qty THEN
            PERFORM ticket_reference.fail('22023', format('item %s: quantity %s', i, qtys[i]));
        END IF;
        IF cats[i] <> cats[1] THEN
            PERFORM ticket_reference.fail('TK003', format('item %s: %s with %s', i, cats[i], cats[1]));
        END IF;
        IF cats[1] = 'specialist' AND branches[i] <> branches[1] THEN
            PERFORM ticket_reference.fail('TK002', format('item %s: branch %s, not %s', i, branches[i], branches[1]));
        END IF;
        IF cats[1] = 'specialist' THEN
            services := services + qtys[i];
        END IF;
    END LOOP;
    IF services > reg.max_items THEN
        PERFORM ticket_reference.fail('TK001', format('%s services, at most %s', services, reg.max_items));
    END IF;
    cat := cats[1];
    -- consultations and exams of the emergency room come with an access
    IF cat = 'er' AND NOT ('er_access' = ANY (kinds)) THEN
        PERFORM ticket_reference.fail('TK009', 'emergency-room consultations or exams without an access');
    END IF;

    -- Step 2: the band.
    used_band := coalesce(band, reg.default_band);
    IF used_band IS NOT NULL THEN
        SELECT b.quota, b.ct_mri, b.drug_per_pack, b.drug_cap
          INTO amt_quota, amt_ct, amt_pack, amt_cap
          FROM ticket.regime_band b
         WHERE b.regime_id = reg.regime_id AND b.band::text = used_band::text;
        IF NOT FOUND THEN
            IF band IS NULL THEN
                PERFORM ticket_reference.fail('22000', format('default band %s missing', used_band));
            END IF;
            PERFORM ticket_reference.fail('TK004', format('no band %s in %s', band, reg.regime_id));
        END IF;
        why := why || format('band %s%s', used_band, CASE WHEN band IS NULL THEN ' [default-band]' ELSE '' END);
    ELSE
        amt_quota := reg.quota;
        amt_ct := reg.ct_mri;
        amt_pack := reg.drug_per_pack;
        amt_cap := reg.drug_cap;
        why := why || 'no band [no-band]'::text;
    END IF;

    -- Step 3: the exemptions, in the order written.  First, each must be
    -- in ticket.exemption_catalogue on the date (issue 18): TK008, after the
    -- items and the band, before any amount.
    FOR e IN 1 .. coalesce(cardinality(exemptions), 0) LOOP
        CONTINUE WHEN exemptions[e] IS NULL;
        IF NOT EXISTS (SELECT FROM ticket.exemption_catalogue c
                        WHERE exemptions[e]::text ~ c.code_pattern AND c.valid @> on_date) THEN
            PERFORM ticket_reference.fail('TK008', format('%s not in the exemption catalogue on %s',
                                                          exemptions[e], on_date));
        END IF;
    END LOOP;
    covered := array_fill(false, ARRAY[n]);
    FOR e IN 1 .. coalesce(cardinality(exemptions), 0) LOOP
        ex := exemptions[e];
        CONTINUE WHEN ex IS NULL;
        -- the rule for the code, else the rule for its family
        SELECT r.coverage, r.spares_band_quota, r.spares_drugs, r.spares_er, r.covers_all_drugs INTO ex_rule
          FROM ticket.exemption_rule r
         WHERE r.regime_id = reg.regime_id
           AND (r.exemption::text = ex::text
                OR (r.exemption IS NULL AND r.family = ticket.exemption_family(ex)))
         ORDER BY r.exemption IS NULL
         LIMIT 1;
        IF NOT FOUND THEN
            why := why || format('exemption %s ignored [ex-unknown]', ex);
            CONTINUE;
        END IF;
        IF ex_rule.coverage = 'listed' THEN
            SELECT coalesce(array_agg(s.service_code), '{}') INTO ex_scope
              FROM ticket.exemption_scope s WHERE s.exemption::text = ex::text;
        END IF;
        ex_hits := 0;
        FOR i IN 1 .. n LOOP
            IF (ex_rule.coverage = 'all'
                OR (ex_rule.coverage = 'listed' AND codes[i] = ANY (ex_scope))
                OR (ex_rule.coverage = 'first_visit' AND kinds[i] = 'first_visit')
                -- every drug, whatever the coverage (2025 invalidity codes, S27)
                OR (cats[i] = 'drugs' AND ex_rule.covers_all_drugs))
               AND (cats[i] = 'specialist'
                    OR (cats[i] = 'drugs' AND ex_rule.spares_drugs)
                    OR (cats[i] = 'er' AND ex_rule.spares_er)) THEN
                covered[i] := true;
                ex_hits := ex_hits + 1;
            END IF;
        END LOOP;
        IF ex_hits > 0 THEN
            first_ex := coalesce(first_ex, ex);
            spared := spared OR ex_rule.spares_band_quota;
            why := why || format('exemption %s covers %s item(s) [ex-applied]', ex, ex_hits);
        ELSE
            why := why || format('exemption %s covers nothing [ex-idle]', ex);
        END IF;
    END LOOP;

    IF false = ANY (covered) THEN
        IF cat = 'specialist' THEN
            -- 4a. a fixed-ticket ambulatory surgery: the whole prescription
            fixed_surg := false;
            FOR i IN 1 .. n LOOP
                IF NOT covered[i] AND kinds[i] = 'ambulatory_surgery'
                   AND reg.ambulatory_surgery IS NOT NULL
                   AND (reg.surgery_fixed_codes IS NULL OR codes[i] = ANY (reg.surgery_fixed_codes)) THEN
                    fixed_surg := true;
                END IF;
            END LOOP;
            IF fixed_surg THEN
                base := reg.ambulatory_surgery;
                why := why || format('surgery ticket %s [surgery]', base);
            ELSE
                -- 4b. visits only, each with its fixed ticket
                visits_only := true;
                visit_sum := 0;
                FOR i IN 1 .. n LOOP
                    CONTINUE WHEN covered[i];
                    visit_amt := CASE kinds[i] WHEN 'first_visit' THEN reg.first_visit
                                               WHEN 'control_visit' THEN reg.control_visit END;
                    IF visit_amt IS NULL THEN
                        visits_only := false;
                        EXIT;
                    END IF;
                    visit_sum := visit_sum + qtys[i] * visit_amt;
                END LOOP;
                IF visits_only THEN
                    base := visit_sum;
                    why := why || format('visit tickets %s [visits]', base);
                ELSE
                    -- 4c. CT/MRI fixed ticket once, the rest by tariff
                    ct_seen := false;
                    tsum := 0;
                    FOR i IN 1 .. n LOOP
                        CONTINUE WHEN covered[i];
                        IF kinds[i] = 'ct_mri' AND amt_ct IS NOT NULL THEN
                            ct_seen := true;
                        ELSE
                            tsum := tsum + qtys[i] * tariffs[i];
                        END IF;
                    END LOOP;
                    IF ct_seen THEN
                        base := base + amt_ct;
                        why := why || format('CT/MRI ticket %s [ct]', amt_ct);
                    END IF;
                    capped := CASE WHEN reg.specialist_cap IS NOT NULL
                                   THEN least(tsum, reg.specialist_cap) ELSE tsum END;
                    base := base + capped;
                    IF capped < tsum THEN
                        why := why || format('tariffs %s, cap %s [cap]', tsum, capped);
                    ELSE
                        why := why || format('tariffs %s [tariffs]', tsum);
                    END IF;
                    IF tsum > reg.quota_threshold AND coalesce(amt_quota, 0) > 0 THEN
                        IF spared THEN
                            why := why || 'quota spared [quota-spared]'::text;
                        ELSE
                            quota := amt_quota;
                            why := why || format('quota %s [quota]', quota);
                        END IF;
                    END IF;
                END IF;
            END IF;
        ELSIF cat = 'drugs' THEN
            packs := 0;
            FOR i IN 1 .. n LOOP
                IF NOT covered[i] THEN
                    packs := packs + qtys[i];
                END IF;
            END LOOP;
            IF coalesce(amt_pack, 0) = 0 THEN
                why := why || 'no drug ticket [drug-free]'::text;
            ELSE
                base := packs * amt_pack;
                IF amt_cap IS NOT NULL AND base > amt_cap THEN
                    base := amt_cap;
                    why := why || format('%s packs, capped %s [drug-cap]', packs, base);
                ELSE
                    why := why || format('%s packs, %s [drug]', packs, base);
                END IF;
            END IF;
        ELSE
            accesses := 0;
            consults := 0;
            exam_sum := 0;
            exam_seen := false;
            FOR i IN 1 .. n LOOP
                CONTINUE WHEN covered[i];
                IF kinds[i] = 'er_consultation' THEN
                    consults := consults + qtys[i];
                ELSIF kinds[i] = 'er_exam' THEN
                    exam_sum := exam_sum + qtys[i] * tariffs[i];
                    exam_seen := true;
                ELSIF codes[i] = ANY (reg.er_chargeable_codes) THEN
                    accesses := accesses + qtys[i];
                END IF;
            END LOOP;
            IF accesses > 0 AND reg.er_access IS NOT NULL THEN
                base := accesses * reg.er_access;
                why := why || format('%s access(es), %s [er]', accesses, base);
                -- with an access that pays: its consultations and exams
                -- (§2.5: S25), when the regime has the rules
                IF consults > 0 AND reg.er_consultation IS NOT NULL THEN
                    base := base + consults * reg.er_consultation;
                    why := why || format('%s consultation(s) x %s [er-consult]', consults, reg.er_consultation);
                END IF;
                IF exam_seen AND reg.er_exam_cap IS NOT NULL THEN
                    IF exam_sum > reg.er_exam_cap THEN
                        base := base + reg.er_exam_cap;
                        why := why || format('exams %s, cap %s [er-exam-cap]', exam_sum, reg.er_exam_cap);
                    ELSE
                        base := base + exam_sum;
                        why := why || format('exams %s [er-exam]', exam_sum);
                    END IF;
                END IF;
            ELSE
                why := why || 'no chargeable access [er-free]'::text;
            END IF;
        END IF;
    ELSE
        why := why || 'all items exempt [all-exempt]'::text;
    END IF;

    IF base + quota > max_amount THEN
        PERFORM ticket_reference.fail('22003', format('total %s', base + quota));
    END IF;
    result.total := base + quota;
    result.base := base;
    result.band_quota := quota;
    result.regime := reg.regime_id;
    result.band := used_band;
    result.exemption := first_ex;
    result.explanation := 'reference: ' || array_to_string(why, '; ');
    RETURN result;
END;
$$;

COMMENT ON FUNCTION ticket_reference.price(ticket.item[], ticket.income_band, ticket.exemption[], date) IS
'reference pricing of explicit items, numeric euros, rule tables read with SQL';

--------------------------------------------------------------------------
-- ticket_reference.price: catalogue codes (ticket.service in force)
--------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION ticket_reference.price(codes text[],
                                                  band ticket.income_band,
                                                  exemptions ticket.exemption[],
                                                  on_date date)
RETURNS ticket.bill
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    items ticket.item[] := '{}';
    svc   ticket.service;
BEGIN
    IF codes IS NULL OR on_date IS NULL THEN
        RETURN NULL;
    END IF;
    IF NOT isfinite(on_date) THEN
        PERFORM ticket_reference.fail('22023', 'the date must be finite');
    END IF;
    IF NOT EXISTS (SELECT FROM ticket.regime g WHERE g.effective_from <= on_date) THEN
        PERFORM ticket_reference.fail('TK005', format('no regime on %s', on_date));
    END IF;
    FOR i IN 1 .. coalesce(cardinality(codes), 0) LOOP
        IF codes[i] IS NULL THEN
            PERFORM ticket_reference.fail('22004', format('code %s is NULL', i));
        END IF;
        SELECT * INTO svc FROM ticket.service s
         WHERE s.code = codes[i] AND s.effective_from <= on_date
         ORDER BY s.effective_from DESC LIMIT 1;
        IF NOT FOUND OR svc.withdrawn THEN
            PERFORM ticket_reference.fail('TK006', format('%s not in the catalogue on %s', codes[i], on_date));
        END IF;
        items := items || ROW(svc.code, svc.kind, svc.branch, svc.tariff, 1)::ticket.item;
    END LOOP;
    RETURN ticket_reference.price(items, band, exemptions, on_date);
END;
$$;

COMMENT ON FUNCTION ticket_reference.price(text[], ticket.income_band, ticket.exemption[], date) IS
'reference pricing of catalogue codes: the service rows in force on the date, one of each';

--------------------------------------------------------------------------
-- Test prescriptions
--------------------------------------------------------------------------

-- One element of an array, uniformly.
CREATE OR REPLACE FUNCTION ticket_reference.pick(choices anyarray)
RETURNS anyelement
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT choices[1 + floor(random() * cardinality(choices))::int] $$;

-- A random amount in euros, between lo and hi, in cents.
CREATE OR REPLACE FUNCTION ticket_reference.random_amount(lo numeric, hi numeric)
RETURNS numeric
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT round(lo + floor(random() * ((hi - lo) * 100 + 1)::float8)::numeric / 100, 2) $$;

-- A tariff near the interesting figures: the 10.00 quota threshold, the
-- 36.15 cap, zero, the catalogue's figures, or anything up to 200.
CREATE OR REPLACE FUNCTION ticket_reference.random_tariff()
RETURNS numeric
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    x float8 := random();
BEGIN
    RETURN CASE
        WHEN x < 0.35 THEN ticket_reference.pick(ARRAY[0.00, 0.01, 9.99, 10.00, 10.01, 36.14, 36.15,
                                                     36.16, 5.00, 18.08, 26.14, 26.15])
        WHEN x < 0.55 THEN ticket_reference.random_amount(9.00, 11.00)
        WHEN x < 0.70 THEN ticket_reference.random_amount(35.00, 37.50)
        WHEN x < 0.90 THEN ticket_reference.random_amount(0.00, 60.00)
        ELSE ticket_reference.random_amount(60.00, 1200.00)
    END;
END;
$$;

-- n amounts (n >= 1) that add up exactly to total: random cuts in cents.
CREATE OR REPLACE FUNCTION ticket_reference.split_amount(total numeric, n int)
RETURNS numeric[]
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    cents bigint := (total * 100)::bigint;
    cuts  bigint[];
    parts numeric[] := '{}';
    prev  bigint := 0;
BEGIN
    SELECT array_agg(c ORDER BY c) INTO cuts
      FROM (SELECT floor(random() * (cents + 1))::bigint AS c FROM generate_series(1, n - 1)) s;
    cuts := coalesce(cuts, '{}') || cents;
    FOREACH cents IN ARRAY cuts LOOP
        parts := parts || ((cents - prev) / 100.0)::numeric(8,2);
        prev := cents;
    END LOOP;
    RETURN parts;
END;
$$;

CREATE OR REPLACE FUNCTION ticket_reference.random_prescriptions(n int, seed float8)
RETURNS TABLE (id int, items ticket.item[], band ticket.income_band,
               exemptions ticket.exemption[], on_date date)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    last_day    constant date := '2027-12-31';
    -- exemption codes by family; the four with scope rows come first
    scoped      constant text[] := ARRAY['013', '0A31', 'M12', 'L03'];
    pool        constant text[] := ARRAY[
        'E01', 'E02', 'E03', 'E04',                              -- income
        'E99', 'FA2', 'FB1', 'FC3',                              -- regional (FB1, FC3: no rule)
        'C01', 'C03', 'C05', 'G01', 'G02', 'L01', 'L03', 'L04', 'S01', 'S03', 'N01', 'V01', 'V02',
        'M00', 'M12', 'M41', 'M50', 'M99',                       -- pregnancy
        'D01', 'D01B', 'D03', 'D05',                             -- prevention
        'B01', 'T01', 'I01', 'P02', 'F01', 'X01', 'TDL01', 'PML', -- other
        '013', '048', '0A31', '0C02',                            -- chronic
        'RI0050', 'RIG010', 'R99', 'RHG011'];                    -- rare
    spec_branches constant text[] := ARRAY['cardiology', 'radiology', 'laboratory', 'ophthalmology',
                                           'orthopaedics', 'dermatology'];
    spec_kinds  constant text[] := ARRAY['first_visit', 'control_visit', 'exam', 'exam', 'exam',
                                         'ct_mri', 'ambulatory_surgery'];
    er_codes    constant text[] := ARRAY['PS-WHITE', 'PS-GREEN', 'PS-BLUE', 'PS-ORANGE', 'PS-RED',
                                         'PS-WHITE', 'PS-GREEN'];
    regimes     text[];
    starts      date[];
    ends        date[];
    boundaries  date[];
    all_bands   text[];
    catalogue   ticket.item[];
    branch_items ticket.item[];
    its         ticket.item[];
    it          ticket.item;
    x           float8;
    r           int;
    nlines      int;
    shape       text;
    br          text;
    target      numeric;
    parts       numeric[];
    reg_bands   text[];
    exs         ticket.exemption[];
    k           int;
    h           int;
    scope_of_branch text;
BEGIN
    PERFORM setseed(seed);

    SELECT array_agg(g.regime_id ORDER BY g.effective_from),
           array_agg(g.effective_from ORDER BY g.effective_from)
      INTO regimes, starts
      FROM ticket.regime g;
    ends := '{}';
    FOR i IN 1 .. cardinality(starts) LOOP
        ends := ends || CASE WHEN i < cardinality(starts) THEN starts[i + 1] - 1 ELSE last_day END;
    END LOOP;
    boundaries := starts || ends || (starts[1] - 1);   -- the day before the first: no regime
    SELECT array_agg(DISTINCT b.band::text) INTO all_bands FROM ticket.regime_band b;
    all_bands := all_bands || ARRAY['RE4', 'QX'];
    SELECT array_agg(ROW(s.code, s.kind, s.branch, s.tariff, 1)::ticket.item ORDER BY s.code, s.effective_from)
      INTO catalogue
      FROM ticket.service s WHERE NOT s.withdrawn;

    FOR row_id IN 1 .. n LOOP
        -- the date: a regime's first or last day, before any regime, or
        -- uniform inside a regime chosen uniformly
        x := random();
        IF x < 0.25 THEN
            on_date := ticket_reference.pick(boundaries);
        ELSIF x < 0.26 THEN
            on_date := date '2000-01-01' + floor(random() * 3287)::int;   -- 2000 .. 2008
        ELSE
            r := 1 + floor(random() * cardinality(regimes))::int;
            on_date := starts[r] + floor(random() * (ends[r] - starts[r] + 1))::int;
        END IF;
        SELECT array_agg(b.band::text ORDER BY b.band::text) INTO reg_bands
          FROM ticket.regime_band b
         WHERE b.regime_id = (SELECT g.regime_id FROM ticket.regime g WHERE g.effective_from <= on_date
                               ORDER BY g.effective_from DESC LIMIT 1);

        -- the items
        its := '{}';
        scope_of_branch := NULL;
        x := random();
        IF x < 0.68 THEN
            -- specialist services of one branch
            br := ticket_reference.pick(spec_branches);
            scope_of_branch := CASE br WHEN 'cardiology' THEN '0A31' WHEN 'laboratory' THEN '013'
                                       WHEN 'radiology' THEN 'M12' WHEN 'orthopaedics' THEN 'L03' END;
            SELECT coalesce(array_agg(c), '{}') INTO branch_items
              FROM unnest(catalogue) c WHERE c.branch = br AND c.kind NOT IN ('drug', 'er_access');
            x := random();
            nlines := CASE WHEN x < 0.35 THEN 1 WHEN x < 0.60 THEN 2 WHEN x < 0.75 THEN 3
                           ELSE 4 + floor(random() * 5)::int END;
            x := random();
            shape := CASE WHEN x < 0.15 THEN 'visits' WHEN x < 0.35 THEN 'target'
                          WHEN x < 0.45 THEN 'ct' WHEN x < 0.52 THEN 'surgery' ELSE 'mix' END;
            IF shape = 'target' THEN
                -- exams whose tariffs add up to a figure on a boundary
                target := ticket_reference.pick(ARRAY[9.99, 10.00, 10.01, 36.14, 36.15, 36.16, 0.00, 46.15]);
                parts := ticket_reference.split_amount(target, least(nlines, 4));
                FOR i IN 1 .. cardinality(parts) LOOP
                    its := its || ROW(format('T-%s', i), 'exam', br, parts[i], 1)::ticket.item;
                END LOOP;
            ELSE
                FOR i IN 1 .. CASE WHEN shape = 'visits' THEN least(nlines, 3) ELSE nlines END LOOP
                    IF random() < 0.6 AND cardinality(branch_items) > 0 THEN
                        it := ticket_reference.pick(branch_items);
                    ELSE
                        it := ROW(format('X-%s', floor(random() * 90 + 10)), ticket_reference.pick(spec_kinds),
                                  br, ticket_reference.random_tariff(), 1)::ticket.item;
                    END IF;
                    IF shape = 'visits' THEN
                        it.kind := CASE WHEN random() < 0.5 THEN 'first_visit' ELSE 'control_visit' END;
                    ELSIF shape = 'ct' AND i = 1 THEN
                        it.kind := 'ct_mri';
                    ELSIF shape = 'surgery' AND i = 1 THEN
                        it := ROW(ticket_reference.pick(ARRAY['13.41', '04.43', '77.56', 'X-SURG']),
                                  'ambulatory_surgery', br, ticket_reference.random_amount(100, 900), 1)::ticket.item;
                    END IF;
                    its := its || it;
                END LOOP;
            END IF;
            -- quantities: mostly 1, sometimes NULL (= 1), sometimes 2
            FOR i IN 1 .. cardinality(its) LOOP
                x := random();
                its[i].quantity := CASE WHEN x < 0.80 THEN 1 WHEN x < 0.90 THEN NULL ELSE 2 END;
            END LOOP;
            -- defect: more than 8 services (extra lines or a large quantity)
            IF random() < 0.04 THEN
                IF random() < 0.5 THEN
                    its[1].quantity := 9 + floor(random() * 3)::int;
                ELSE
                    FOR i IN cardinality(its) + 1 .. 9 + floor(random() * 3)::int LOOP
                        its := its || ROW(format('X-%s', i), 'exam', br, ticket_reference.random_tariff(), 1)::ticket.item;
                    END LOOP;
                    FOR i IN 1 .. cardinality(its) LOOP
                        its[i].quantity := 1;
                    END LOOP;
                END IF;
            END IF;
            -- defect: mixed branches
            IF random() < 0.035 THEN
                k := 1 + floor(random() * (cardinality(its) + 1))::int;
                its := its[1:k - 1]
                       || ROW('89.52', 'exam', CASE WHEN br = 'cardiology' THEN 'laboratory' ELSE 'cardiology' END,
                              11.62, 1)::ticket.item
                       || its[k:];
            END IF;
        ELSIF x < 0.86 THEN
            -- drugs (fascia A packs)
            scope_of_branch := '013';
            FOR i IN 1 .. 1 + floor(random() * 3)::int LOOP
                IF random() < 0.6 THEN
                    it := ticket_reference.pick(ARRAY[ROW('A-0001', 'drug', 'pharmacy', 7.50, 1)::ticket.item,
                                                      ROW('A-0002', 'drug', 'pharmacy', 3.20, 1)::ticket.item]);
                ELSE
                    it := ROW(format('A-%s', floor(random() * 9000 + 1000)), 'drug', 'pharmacy',
                              ticket_reference.random_amount(0, 40), 1)::ticket.item;
                END IF;
                it.quantity := 1 + floor(random() * 4)::int;
                its := its || it;
            END LOOP;
        ELSE
            -- emergency-room accesses, one per triage colour
            FOR i IN 1 .. 1 + floor(random() * 2)::int LOOP
                its := its || ROW(ticket_reference.pick(er_codes), 'er_access', 'emergency', 0.00,
                                  CASE WHEN random() < 0.9 THEN 1 ELSE 2 END)::ticket.item;
            END LOOP;
            -- further consultations and exams PS asked for (May 2011), the
            -- exams adding up to a figure around the 36.15 cap; chosen by a
            -- hash of the row, not random(), so that the other prescriptions
            -- of a seed stay what they were before these kinds
            h := hashint4(row_id * 7 + 1) & 2147483647;
            IF h % 100 < 35 THEN
                its := its || ROW('PS-CONSULT', 'er_consultation', 'emergency', 0.00,
                                  1 + (h / 100) % 3)::ticket.item;
            END IF;
            h := hashint4(row_id * 7 + 2) & 2147483647;
            IF h % 100 < 40 THEN
                target := (ARRAY[0.00, 12.50, 36.14, 36.15, 36.16, 90.00])[1 + (h / 100) % 6];
                k := 1 + (h / 1000) % 3;
                FOR i IN 1 .. k LOOP
                    -- k parts adding up to target, the last taking the cents left
                    its := its || ROW(format('87.%s', i), 'er_exam', 'emergency',
                                      CASE WHEN i < k THEN trunc(target / k, 2)
                                           ELSE target - (k - 1) * trunc(target / k, 2) END,
                                      CASE WHEN (h / 10000) % 10 = i THEN 2 ELSE 1 END)::ticket.item;
                END LOOP;
            END IF;
            -- defect: consultations or exams without their access (TK009)
            h := hashint4(row_id * 7 + 3) & 2147483647;
            IF h % 100 < 6 AND EXISTS (SELECT FROM unnest(its) i WHERE i.kind <> 'er_access') THEN
                its := ARRAY(SELECT i FROM unnest(its) i WHERE i.kind <> 'er_access');
            END IF;
        END IF;

        -- defect: items of another category on the same prescription
        IF random() < 0.025 THEN
            k := 1 + floor(random() * (cardinality(its) + 1))::int;
            its := its[1:k - 1]
                   || ticket_reference.pick(ARRAY[ROW('A-0001', 'drug', 'pharmacy', 7.50, 1)::ticket.item,
                                                 ROW('PS-WHITE', 'er_access', 'emergency', 0.00, 1)::ticket.item,
                                                 ROW('89.52', 'exam', 'cardiology', 11.62, 1)::ticket.item])
                   || its[k:];
        END IF;
        -- defect: a negative tariff
        IF random() < 0.05 THEN
            k := 1 + floor(random() * cardinality(its))::int;
            its[k].tariff := -ticket_reference.random_amount(0.01, 50.00);
        END IF;
        -- rarer defects: bad quantity, unknown kind, NULL field or item,
        -- NaN tariff, no items at all
        x := random();
        k := 1 + floor(random() * cardinality(its))::int;
        IF x < 0.006 THEN
            its[k].quantity := ticket_reference.pick(ARRAY[0, -1, 1001]);
        ELSIF x < 0.009 THEN
            its[k].kind := ticket_reference.pick(ARRAY['visit', 'lab', 'Exam']);
        ELSIF x < 0.014 THEN
            x := random();
            IF x < 0.2 THEN its[k].code := NULL;
            ELSIF x < 0.4 THEN its[k].kind := NULL;
            ELSIF x < 0.6 THEN its[k].branch := NULL;
            ELSIF x < 0.8 THEN its[k].tariff := NULL;
            ELSE its := its[1:k - 1] || NULL::ticket.item || its[k:];
            END IF;
        ELSIF x < 0.016 THEN
            its[k].tariff := 'NaN';
        ELSIF x < 0.018 THEN
            its := '{}';
        END IF;

        -- the band: one of the regime's, none, or (about 4 %) a wrong one
        x := random();
        IF reg_bands IS NOT NULL THEN
            band := CASE WHEN x < 0.20 THEN NULL
                         WHEN x < 0.95 THEN ticket_reference.pick(reg_bands)
                         ELSE ticket_reference.pick(all_bands) END;
        ELSE
            band := CASE WHEN x < 0.965 THEN NULL ELSE ticket_reference.pick(all_bands) END;
        END IF;

        -- the exemptions: none, one, two or three, one of them sometimes the
        -- scope code of the branch, sometimes a NULL element
        x := random();
        k := CASE WHEN x < 0.45 THEN 0 WHEN x < 0.85 THEN 1 WHEN x < 0.97 THEN 2 ELSE 3 END;
        exs := CASE WHEN k = 0 AND random() < 0.5 THEN NULL ELSE '{}' END;
        FOR i IN 1 .. k LOOP
            x := random();
            exs := exs || CASE WHEN x < 0.30 THEN coalesce(scope_of_branch, ticket_reference.pick(scoped))
                               WHEN x < 0.36 THEN ticket_reference.pick(scoped)
                               WHEN x < 0.44 THEN ticket_reference.pick(ARRAY['E01', 'FA2', 'E99'])
                               WHEN x < 0.46 THEN NULL
                               ELSE ticket_reference.pick(pool) END::ticket.exemption;
        END LOOP;
        exemptions := exs;

        id := row_id;
        items := its;
        RETURN NEXT;
    END LOOP;
END;
$$;

COMMENT ON FUNCTION ticket_reference.random_prescriptions(int, float8) IS
'n deterministic test prescriptions (setseed(seed), seed in [-1, 1]): every regime with extra weight on its first and last day, every kind and exemption family, tariffs around 10.00 and 36.15, about 20 % with defects';

--------------------------------------------------------------------------
-- ticket_reference.price_drugs: drugs with prices and reference prices
-- (issue 18, brand versus generic), from step 7 of the header and the
-- rule tables: the bill of the drug items as ticket_reference.price has
-- it, plus the difference of each pack over the reference price of its
-- class, unless an exemption written on the prescription has a rule (its
-- code's, else its family's) that spares the brand difference.  The
-- "not substitutable" mark changes no amount (L. 405/2001 art. 7 c. 4),
-- unless the regime's not_substitutable_spares_brand_difference is true:
-- then the marked drugs have no difference.
-- The exemption the bill names: the first, in the order written, that
-- covers an item or spares a difference there is.
--------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION ticket_reference.price_drugs(drugs ticket.drug[],
                                                        band ticket.income_band,
                                                        exemptions ticket.exemption[],
                                                        on_date date)
RETURNS ticket.bill
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    max_amount constant numeric := 999999.99;
    items      ticket.item[] := '{}';
    d          ticket.drug;
    difference numeric := 0;
    spares     boolean;
    spared     boolean := false;
    marks_spare boolean;
    named      ticket.exemption;
    ex         ticket.exemption;
    result     ticket.bill;
BEGIN
    IF drugs IS NULL OR on_date IS NULL THEN
        RETURN NULL;
    END IF;
    IF isfinite(on_date) AND NOT EXISTS (SELECT FROM ticket.regime g WHERE g.effective_from <= on_date) THEN
        PERFORM ticket_reference.fail('TK005', format('no regime on %s', on_date));
    END IF;
    FOR i IN 1 .. coalesce(cardinality(drugs), 0) LOOP
        d := drugs[i];
        IF d IS NULL OR d.code IS NULL OR d.price IS NULL THEN
            PERFORM ticket_reference.fail('22004', format('drug %s: NULL', i));
        END IF;
        IF d.reference_price = 'NaN'::numeric THEN
            PERFORM ticket_reference.fail('22023', format('drug %s: reference price not a number', i));
        END IF;
        items := items || ROW(d.code, 'drug', 'pharmacy', d.price, d.packs)::ticket.item;
    END LOOP;
    -- the checks of the items, the band and the drug ticket
    FOR i IN 1 .. coalesce(cardinality(drugs), 0) LOOP
        d := drugs[i];
        IF d.price >= 0 AND coalesce(d.packs, 1) BETWEEN 1 AND 1000 AND round(d.reference_price, 2) < 0 THEN
            PERFORM ticket_reference.fail('22023', format('drug %s: negative reference price', i));
        END IF;
    END LOOP;
    result := ticket_reference.price(items, band, exemptions, on_date);
    SELECT g.not_substitutable_spares_brand_difference INTO marks_spare
      FROM ticket.regime g WHERE g.regime_id = result.regime;

    FOR i IN 1 .. cardinality(drugs) LOOP
        d := drugs[i];
        CONTINUE WHEN marks_spare AND coalesce(d.not_substitutable, false);
        IF d.reference_price IS NOT NULL AND round(d.price, 2) > round(d.reference_price, 2) THEN
            difference := difference + coalesce(d.packs, 1) * (round(d.price, 2) - round(d.reference_price, 2));
        END IF;
    END LOOP;
    IF difference > 0 THEN
        FOR e IN 1 .. coalesce(cardinality(exemptions), 0) LOOP
            ex := exemptions[e];
            CONTINUE WHEN ex IS NULL;
            SELECT r.spares_brand_difference INTO spares
              FROM ticket.exemption_rule r
             WHERE r.regime_id = result.regime
               AND (r.exemption::text = ex::text
                    OR (r.exemption IS NULL AND r.family = ticket.exemption_family(ex)))
             ORDER BY r.exemption IS NULL
             LIMIT 1;
            spares := FOUND AND spares;
            IF named IS NULL AND (spares OR ex::text = result.exemption::text) THEN
                named := ex;
            END IF;
            spared := spared OR spares;
        END LOOP;
        result.exemption := named;
        IF spared THEN
            result.explanation := result.explanation || format('; difference %s spared [brand-spared]', difference);
        ELSE
            result.base := result.base + difference;
            result.total := result.total + difference;
            result.explanation := result.explanation || format('; difference %s [brand]', difference);
        END IF;
    END IF;
    IF result.total > max_amount THEN
        PERFORM ticket_reference.fail('22003', format('total %s', result.total));
    END IF;
    RETURN result;
END;
$$;

COMMENT ON FUNCTION ticket_reference.price_drugs(ticket.drug[], ticket.income_band, ticket.exemption[], date) IS
'reference pricing of drugs with their reference prices: the drug ticket of ticket_reference.price plus the brand difference';
