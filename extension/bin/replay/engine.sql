-- extension/bin/replay/engine.sql: the replay's own schema, `replay`.
--
--   psql -v seed=S -v citizens=N -v households=H -v gps=G -v paediatricians=P -f engine.sql
--
-- Run by extension/bin/ticket-replay in a database with the extension and
-- the birthplaces loaded, before population.sql and the phase scripts.
--
--   * replay.config     the run's parameters; replay.u(key, salt) the
--                       pseudo-random numbers: a hash of (seed, salt, key),
--                       so every draw is a pure function of the seed and
--                       the identity of what is drawn (no random(), no
--                       dependence on row order or on the plan);
--   * replay.bag        weighted lists (names, places, service mixes ...):
--                       an item repeated by its weight, drawn with u()
--                       (replay.bag_item: one row per item, for joins);
--   * replay.calendar   open days (no Sundays, no national holidays);
--   * the plan          replay.rx (the life of a prescription: written,
--                       booked, moved, cancelled, paid, done), replay.decl
--                       (declarations), replay.grant_plan, replay.revoke_plan,
--                       replay.person.death_date: what the GPs, the CUP desks
--                       and the registry will do, each with its simulated day;
--   * replay.step()     executes, set-wise (INSERT ... SELECT, UPDATE ...
--                       FROM), every planned write whose day falls in a
--                       window, through the extension's tables and triggers;
--                       the phase scripts call it window after window, in
--                       date order, one transaction per window;
--   * replay.on_shares() a statement run by each job (--jobs) on its share
--                       of the households, in its own session: the windows
--                       of replay.step() and phase 0's registry writes;
--   * the reports       per phase: rows written, rows per second, bookings
--                       priced and re-priced, adjustments, revenue by band,
--                       ticket.check_consistency().
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET search_path = public, ticket;
\o /dev/null

CREATE SCHEMA replay;
COMMENT ON SCHEMA replay IS 'the synthetic region and the plan of extension/bin/ticket-replay (not part of the extension)';

CREATE TABLE replay.config (
    seed            bigint NOT NULL,
    citizens        bigint NOT NULL CHECK (citizens >= 100),
    households      bigint NOT NULL,
    gps             integer NOT NULL,
    paediatricians  integer NOT NULL,
    jobs            integer NOT NULL DEFAULT 1 CHECK (jobs BETWEEN 1 AND 16),
    started         timestamptz NOT NULL DEFAULT clock_timestamp()
);
INSERT INTO replay.config (seed, citizens, households, gps, paediatricians, jobs)
VALUES (:seed, :citizens, :households, :gps, :paediatricians, :jobs);
-- More than one job: the windows are replayed by that many sessions (dblink
-- connections of the phase's session), each on its share of the households.
SELECT 'CREATE EXTENSION IF NOT EXISTS dblink SCHEMA replay' FROM replay.config WHERE jobs > 1 \gexec

--------------------------------------------------------------------------
-- Pseudo-random numbers: u(key, salt) in [0, 1), a pure function of the
-- seed (baked into the function, so that it stays IMMUTABLE and inlined),
-- the salt (one per kind of draw) and the key (the person, the household,
-- the prescription ...).
--------------------------------------------------------------------------
SELECT format($f$CREATE FUNCTION replay.u(k bigint, salt integer) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $b$SELECT ((hashint8extended(k, %s::bigint + salt) >> 11) & 9007199254740991)::double precision / 9007199254740992.0$b$$f$,
              seed * 1000003)
  FROM replay.config \gexec

-- A standard normal deviate (Box-Muller over two draws: salt and salt + 1).
CREATE FUNCTION replay.gauss(k bigint, salt integer) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$SELECT sqrt(-2 * ln(1 - replay.u(k, salt))) * cos(2 * pi() * replay.u(k, salt + 1))$$;

--------------------------------------------------------------------------
-- Bags: weighted lists.  An entry is 'item' or 'item:weight'; without a
-- weight, zipf > 0 weighs the n-th entry ceil(40 / n^zipf) (lists are
-- written most frequent first), else 1.
--------------------------------------------------------------------------
CREATE TABLE replay.bag (
    name   text PRIMARY KEY,
    items  text[] NOT NULL CHECK (cardinality(items) > 0)
);

CREATE FUNCTION replay.add_bag(bag_name text, list text, zipf double precision DEFAULT 0)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO replay.bag AS b (name, items)
    SELECT bag_name, array_agg(x.item ORDER BY x.ord, r)
      FROM (SELECT btrim(split_part(e, ':', 1), E' \n\r\t') AS item, ord,
                   CASE WHEN btrim(split_part(e, ':', 2), E' \n\r\t') <> '' THEN btrim(split_part(e, ':', 2), E' \n\r\t')::integer
                        WHEN zipf > 0 THEN ceil(40 / power(ord, zipf))::integer
                        ELSE 1 END AS w
              FROM unnest(string_to_array(list, ',')) WITH ORDINALITY AS t(e, ord)
             WHERE btrim(e, E' \n\r\t') <> '') x
     CROSS JOIN LATERAL generate_series(1, x.w) AS r
    HAVING count(*) > 0
        ON CONFLICT (name) DO UPDATE SET items = b.items || excluded.items;
$$;

-- The bags one item per row, for set-wise draws: a query computes the index
-- 1 + floor(u * n) and joins replay.bag_item on (name, idx), which scales
-- (a big array subscripted row after row would be detoasted each time).
-- replay.index_bags() refreshes them after bags are added.
CREATE TABLE replay.bag_n (name text PRIMARY KEY, n integer NOT NULL);
CREATE TABLE replay.bag_item (name text, idx integer, item text NOT NULL, PRIMARY KEY (name, idx));
CREATE FUNCTION replay.index_bags() RETURNS void LANGUAGE sql AS $$
    TRUNCATE replay.bag_n, replay.bag_item;
    INSERT INTO replay.bag_n SELECT name, cardinality(items) FROM replay.bag;
    INSERT INTO replay.bag_item SELECT b.name, t.idx, t.item FROM replay.bag b, unnest(b.items) WITH ORDINALITY AS t(item, idx);
    ANALYZE replay.bag_n, replay.bag_item;
$$;
-- One draw (for small volumes; bulk queries join bag_item themselves).
CREATE FUNCTION replay.draw(bag text, u double precision) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT i.item FROM replay.bag_n n JOIN replay.bag_item i ON i.name = n.name AND i.idx = 1 + floor(u * n.n)::integer
     WHERE n.name = bag
$$;

-- Which AUSL the region's residents live in (thousands of residents, 2015).
SELECT replay.add_bag('asl', '080101:287, 080102:450, 080103:532, 080104:702, 080105:870, 080106:133, 080109:353, 080114:1125');
-- Office hours (desks, GPs, pharmacies, CAF) and the call centre's day.
SELECT replay.add_bag('office_hour', '8:4, 9:7, 10:8, 11:7, 12:4, 13:1, 14:2, 15:4, 16:4, 17:3, 18:2');
SELECT replay.add_bag('call_hour', '8:6, 9:10, 10:9, 11:7, 12:5, 13:3, 14:4, 15:5, 16:5, 17:4, 18:3, 19:2');

--------------------------------------------------------------------------
-- The calendar: services and desks on open days (Monday to Saturday, no
-- national holiday); a planned day that is not open moves to the nearest
-- open one.
--------------------------------------------------------------------------
CREATE TABLE replay.calendar (
    day       date PRIMARY KEY,
    open      boolean NOT NULL,
    nearest   date NOT NULL           -- the nearest open day, earlier first
);
WITH days AS (
    SELECT d::date AS day FROM generate_series(date '2010-01-01', date '2027-12-31', interval '1 day') AS d
), holidays AS (
    SELECT make_date(y, m, dd) AS day
      FROM generate_series(2010, 2027) AS y,
           (VALUES (1, 1), (1, 6), (4, 25), (5, 1), (6, 2), (8, 15), (11, 1), (12, 8), (12, 25), (12, 26)) AS f(m, dd)
    UNION
    -- Easter Monday
    SELECT unnest(ARRAY['2010-04-05', '2011-04-25', '2012-04-09', '2013-04-01', '2014-04-21', '2015-04-06',
                        '2016-03-28', '2017-04-17', '2018-04-02', '2019-04-22', '2020-04-13', '2021-04-05',
                        '2022-04-18', '2023-04-10', '2024-04-01', '2025-04-21', '2026-04-06', '2027-03-29']::date[])
), flagged AS (
    SELECT d.day, extract(isodow FROM d.day) < 7 AND h.day IS NULL AS open
      FROM days d LEFT JOIN holidays h USING (day)
)
INSERT INTO replay.calendar (day, open, nearest)
SELECT f.day, f.open,
       CASE WHEN f.open THEN f.day
            ELSE (SELECT g.day FROM flagged g WHERE g.open AND g.day BETWEEN f.day - 4 AND f.day + 4
                   ORDER BY abs(g.day - f.day), g.day LIMIT 1) END
  FROM flagged f;

-- The calendar baked into an IMMUTABLE function as a constant array (the
-- function is inlined and the array folded once per query: no lookup per
-- row; `d` appears once, or an expensive argument would stop the inlining).
-- Days outside 2010-2027 give NULL.
SELECT format($f$CREATE FUNCTION replay.open_day(d date) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $b$SELECT ('%s'::date[])[d - date '2010-01-01' + 1]$b$$f$,
              array_agg(nearest ORDER BY day)::text)
  FROM replay.calendar \gexec

-- An instant on a day, minutes after midnight, Italian time.
CREATE FUNCTION replay.at(d date, minute integer) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$SELECT (d + make_interval(mins => minute)) AT TIME ZONE 'Europe/Rome'$$;

-- A minute of the day in office hours (desks, GPs, pharmacies, CAF) or in
-- the call centre's hours, from two uniform draws (the hour's weights
-- baked in as a constant array, so that the function is inlined).
SELECT format($f$CREATE FUNCTION replay.%s(u1 double precision, u2 double precision) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $b$SELECT 60 * ('%s'::integer[])[1 + floor(u1 * %s)::integer] + floor(60 * u2)::integer$b$$f$,
              CASE name WHEN 'office_hour' THEN 'office_minute' ELSE 'call_minute' END, items::integer[]::text, cardinality(items))
  FROM replay.bag WHERE name IN ('office_hour', 'call_hour') \gexec

--------------------------------------------------------------------------
-- Formatting
--------------------------------------------------------------------------
CREATE FUNCTION replay.n(x numeric) RETURNS text
LANGUAGE sql IMMUTABLE AS $$SELECT to_char(coalesce(x, 0), 'FM999,999,999,990')$$;
CREATE FUNCTION replay.eur(x numeric) RETURNS text
LANGUAGE sql IMMUTABLE AS $$SELECT to_char(coalesce(x, 0), 'FMS999,999,999,990.00')$$;
CREATE FUNCTION replay.eur0(x numeric) RETURNS text
LANGUAGE sql IMMUTABLE AS $$SELECT to_char(x, 'FM999,999,999,990.00')$$;
CREATE FUNCTION replay.pct(part numeric, whole numeric) RETURNS text
LANGUAGE sql IMMUTABLE AS $$SELECT CASE WHEN coalesce(whole, 0) = 0 THEN '-' ELSE to_char(100.0 * part / whole, 'FM990.0') || '%' END$$;
-- Elapsed wall time since the replay started: the prefix of progress lines
-- (a timing column: the smoke test strips it).
CREATE FUNCTION replay.clock() RETURNS text
LANGUAGE sql VOLATILE AS $$
    SELECT '[' || to_char(extract(epoch FROM clock_timestamp() - c.started), 'FM9990.0') || ' s]'
      FROM replay.config c
$$;

--------------------------------------------------------------------------
-- The plan
--------------------------------------------------------------------------

-- The life of a prescription.  The GP writes it on prescribed_on; the CUP
-- books it on book_on (NULL: never booked) for service_date; it may be
-- moved (move_on, to move_to), cancelled (cancel_on), prepaid on the
-- booking day or paid on the day of the service, and is done on its final
-- date unless the patient does not show up.  Whether a payment is due is
-- decided when it happens, on the booking's price at that moment.
CREATE TABLE replay.rx (
    rx             bigint PRIMARY KEY,
    phase          smallint NOT NULL,
    kind           text NOT NULL CHECK (kind IN ('specialist', 'drug')),
    nre            text NOT NULL UNIQUE,
    pid            bigint NOT NULL,
    fiscal_code    ticket.fiscal_code NOT NULL,
    gp_code        text NOT NULL,
    mix            text NOT NULL,
    services       text[] NOT NULL,
    priority       text,
    prescribed_on  date NOT NULL,
    written_at     timestamptz NOT NULL,
    book_on        date,
    booked_at      timestamptz,
    service_date   date,
    asl_code       text,
    prepay         boolean NOT NULL DEFAULT false,
    pay_channel    text,
    move_on        date,
    move_to        date,
    cancel_on      date,
    cancel_reason  text,
    noshow         boolean NOT NULL DEFAULT false,
    final_date     date GENERATED ALWAYS AS (coalesce(move_to, service_date)) STORED
);
CREATE INDEX ON replay.rx (prescribed_on);
CREATE INDEX ON replay.rx (book_on);
CREATE INDEX ON replay.rx (move_on);
CREATE INDEX ON replay.rx (cancel_on);
CREATE INDEX ON replay.rx (final_date);

-- Declarations of an income band (self-certifications, Revenue Agency).
CREATE TABLE replay.decl (
    id            bigint PRIMARY KEY,
    phase         smallint NOT NULL,
    what          text NOT NULL,          -- form, late form, correction, agency, online
    fiscal_code   ticket.fiscal_code NOT NULL,
    band          text NOT NULL,
    declarant     ticket.fiscal_code NOT NULL,
    channel       text NOT NULL,
    operator      text,
    signed_at     timestamptz NOT NULL,
    applies_from  date NOT NULL,
    income_year   integer,
    day           date NOT NULL
);
CREATE INDEX ON replay.decl (day);

CREATE TABLE replay.grant_plan (
    id           bigint PRIMARY KEY,
    phase        smallint NOT NULL,
    fiscal_code  ticket.fiscal_code NOT NULL,
    exemption    text NOT NULL,
    valid_from   date NOT NULL,
    valid_until  date,
    source       text NOT NULL,
    granted_at   timestamptz NOT NULL,
    day          date NOT NULL
);
CREATE INDEX ON replay.grant_plan (day);

CREATE TABLE replay.revoke_plan (
    id           bigint PRIMARY KEY,
    phase        smallint NOT NULL,
    fiscal_code  ticket.fiscal_code NOT NULL,
    exemption    text NOT NULL,
    valid_from   date NOT NULL,           -- identifies the grant
    revoked_on   date NOT NULL,
    reason       text NOT NULL,
    revoked_at   timestamptz NOT NULL,
    day          date NOT NULL
);
CREATE INDEX ON replay.revoke_plan (day);

--------------------------------------------------------------------------
-- Phases and their counters
--------------------------------------------------------------------------
CREATE TABLE replay.phase (
    phase          smallint PRIMARY KEY,
    title          text NOT NULL,
    service_from   date,                  -- the service dates its revenue table covers
    service_to     date,
    started        timestamptz NOT NULL DEFAULT clock_timestamp(),
    planned        timestamptz,
    replayed       timestamptz,
    step_seconds   double precision NOT NULL DEFAULT 0,
    analyze_seconds double precision NOT NULL DEFAULT 0,   -- of step_seconds: ANALYZE between windows
    check_seconds  double precision,
    check_rows     bigint,
    -- the last ids before the phase: what the phase added is above them
    event0         bigint NOT NULL,
    adjustment0    bigint NOT NULL,
    booking0       bigint NOT NULL,
    declaration0   bigint NOT NULL,
    grant0         bigint NOT NULL,
    -- the same at the last progress line
    event_mark     bigint NOT NULL,
    adjustment_mark bigint NOT NULL,
    declaration_mark bigint NOT NULL
);

CREATE TABLE replay.counter (
    phase   smallint NOT NULL,
    till    date NOT NULL,               -- end of the window (exclusive)
    what    text NOT NULL,
    n       bigint NOT NULL,
    seconds double precision,            -- the statement's time (triggers included), in its job's session
    printed boolean NOT NULL DEFAULT false,
    -- which job's session wrote the rows (replay.step_part; NULL: a phase script's own)
    job     integer DEFAULT nullif(current_setting('replay.job', true), '')::integer,
    backend integer NOT NULL DEFAULT pg_backend_pid()
);

CREATE FUNCTION replay.begin_phase(p integer, title text, service_from date, service_to date)
RETURNS text LANGUAGE sql AS $$
    INSERT INTO replay.phase (phase, title, service_from, service_to, event0, adjustment0, booking0,
                              declaration0, grant0, event_mark, adjustment_mark, declaration_mark)
    SELECT p, title, service_from, service_to, e, a, b, d, g, e, a, d
      FROM (SELECT (SELECT coalesce(max(event_id), 0) FROM ticket.event) AS e,
                   (SELECT coalesce(max(adjustment_id), 0) FROM cup.adjustment) AS a,
                   (SELECT coalesce(max(booking_id), 0) FROM cup.booking) AS b,
                   (SELECT coalesce(max(declaration_id), 0) FROM registry.declaration) AS d,
                   (SELECT coalesce(max(grant_id), 0) FROM registry.exemption_grant) AS g) m;
    SELECT format(E'\n== Phase %s: %s', p, title);
$$;

CREATE FUNCTION replay.count(p integer, till date, what text, n bigint, since timestamptz DEFAULT NULL) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO replay.counter (phase, till, what, n, seconds)
    SELECT p, till, what, n, extract(epoch FROM clock_timestamp() - since) WHERE n > 0;
$$;

-- Rows the phase wrote itself (the triggers' own writes are not counted).
CREATE FUNCTION replay.rows_written(p integer) RETURNS bigint
LANGUAGE sql STABLE AS $$SELECT coalesce(sum(n), 0)::bigint FROM replay.counter WHERE phase = p$$;

CREATE FUNCTION replay.planned(p integer) RETURNS text LANGUAGE sql AS $$
    ANALYZE replay.rx, replay.decl, replay.grant_plan, replay.revoke_plan;
    UPDATE replay.phase SET planned = clock_timestamp() WHERE phase = p;
    SELECT format('%s planned: %s prescriptions, %s declarations, %s exemption grants, %s revocations',
                  replay.clock(),
                  replay.n((SELECT count(*) FROM replay.rx WHERE phase = p)),
                  replay.n((SELECT count(*) FROM replay.decl WHERE phase = p)),
                  replay.n((SELECT count(*) FROM replay.grant_plan WHERE phase = p)),
                  replay.n((SELECT count(*) FROM replay.revoke_plan WHERE phase = p)));
$$;

--------------------------------------------------------------------------
-- The step: every planned write of [d0, d1), set-wise, in a fixed order
-- (what reaches the registry first, then the CUP: grants, declarations,
-- revocations, prescriptions, bookings, moves, cancellations, payments,
-- completions, deaths).  With progress, returns the progress line of
-- everything since the previous one.  The statements are EXECUTEd: each
-- window gets a plan for its own dates (a cached generic plan cannot tell
-- a day from five years), while the triggers keep theirs.
--
-- With replay.config.jobs > 1 the window is replayed by that many sessions
-- at once (replay.step_part over dblink, one transaction each), each on its
-- share of the households (replay.share): every write about a citizen,
-- a declaration for a relative included, is in the household's session,
-- in the same order as with one job, and different households share no
-- row but the GPs' (key-share locks): the rows, and so the reports, do not
-- depend on the number of jobs.  All of them finish before the window's
-- ANALYZE and progress line, and before the next window.
--------------------------------------------------------------------------

-- The share of a household (or of a citizen without one, by -pid): 0 to
-- parts - 1, a hash (households are numbered in order of AUSL and size).
CREATE FUNCTION replay.share(hh bigint, pid bigint, parts integer) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$SELECT floor(replay.u(coalesce(hh, -pid), 990) * parts)::integer$$;

-- How a job's session connects to this database (the server's own port
-- and address; dblink_connect as a superuser, as the replay runs).
CREATE FUNCTION replay.job_connection() RETURNS text LANGUAGE sql STABLE AS $$
    SELECT format('dbname=%s user=%s port=%s host=%s application_name=ticket-replay-job',
                  quote_literal(current_database()), quote_literal(current_user), current_setting('port'),
                  quote_literal(coalesce(host(inet_server_addr()),
                                         btrim(split_part(current_setting('unix_socket_directories'), ',', 1)))))
$$;

-- Runs a statement once per job, {part} and {parts} replaced by the job's
-- share and their number: in this session with one job, else in each job's
-- session (dblink, connected on first use, kept with this session) at
-- once, one transaction each, returning when all are done; a job's error
-- is raised here.
CREATE FUNCTION replay.on_shares(statement text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    jobs integer := (SELECT c.jobs FROM replay.config c);
    conn text;
BEGIN
    IF jobs = 1 THEN
        EXECUTE replace(replace(statement, '{part}', '0'), '{parts}', '1');
        RETURN;
    END IF;
    FOR i IN 0 .. jobs - 1 LOOP
        conn := 'replay_job_' || i;
        IF conn <> ALL (coalesce(replay.dblink_get_connections(), '{}')) THEN
            PERFORM replay.dblink_connect(conn, replay.job_connection());
        END IF;
        IF replay.dblink_send_query(conn, replace(replace(statement, '{part}', i::text), '{parts}', jobs::text)) <> 1 THEN
            RAISE EXCEPTION 'replay job %: could not send %', i, statement;
        END IF;
    END LOOP;
    -- The second call frees the connection for the next statement.
    FOR i IN 0 .. jobs - 1 LOOP
        conn := 'replay_job_' || i;
        PERFORM * FROM replay.dblink_get_result(conn) AS r(x text);
        PERFORM * FROM replay.dblink_get_result(conn) AS r(x text);
    END LOOP;
END;
$$;

CREATE FUNCTION replay.step(p integer, d0 date, d1 date, progress boolean DEFAULT false, label text DEFAULT NULL)
RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz := clock_timestamp();
    t timestamptz;
BEGIN
    PERFORM replay.on_shares(format('SELECT replay.step_part(%s, %L, %L, {part}, {parts})', p, d0, d1));

    -- Statistics that follow the growth of the tables (autovacuum is too
    -- slow for a replay): the next windows are planned on them.
    t := clock_timestamp();
    PERFORM replay.analyze_if_grown();
    UPDATE replay.phase SET step_seconds = step_seconds + extract(epoch FROM clock_timestamp() - t0),
                            analyze_seconds = analyze_seconds + extract(epoch FROM clock_timestamp() - t)
     WHERE phase = p;
    IF progress THEN
        RETURN QUERY SELECT replay.progress(p, coalesce(label, 'to ' || to_char(d1 - 1, 'DD Mon YYYY')));
    END IF;
END;
$$;

-- One job's share of a window: the writes about the citizens of the
-- households with replay.share(...) = part (all of them when parts = 1:
-- no filter at all).  Its counters' seconds are this session's.
CREATE FUNCTION replay.step_part(p integer, d0 date, d1 date, part integer, parts integer)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    t timestamptz;
    n bigint;
    -- the filters of the plan's rows: by prescription (pid) or by fiscal code
    by_pid text := CASE WHEN parts > 1 THEN
        'AND EXISTS (SELECT 1 FROM replay.person x WHERE x.pid = r.pid AND replay.share(x.hh, x.pid, $4) = $3)' ELSE '' END;
    by_code text := CASE WHEN parts > 1 THEN
        'AND EXISTS (SELECT 1 FROM replay.person x WHERE x.fiscal_code = @.fiscal_code AND replay.share(x.hh, x.pid, $4) = $3)' ELSE '' END;
BEGIN
    PERFORM set_config('replay.job', part::text, true);   -- for replay.counter.job, until the commit
    t := clock_timestamp();
    EXECUTE replace($q$
    INSERT INTO registry.exemption_grant (fiscal_code, exemption, valid, source, granted_at)
    SELECT g.fiscal_code, g.exemption::ticket.exemption, daterange(g.valid_from, g.valid_until), g.source, g.granted_at
      FROM replay.grant_plan g
     WHERE g.day >= $1 AND g.day < $2
       /*share*/
     ORDER BY g.granted_at, g.id
    $q$, '/*share*/', replace(by_code, '@', 'g')) USING d0, d1, part, parts;
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM replay.count(p, d1, 'grants', n, t);

    t := clock_timestamp();
    EXECUTE replace($q$
    INSERT INTO registry.declaration (fiscal_code, band, declarant, channel, operator, signed_at, applies_from, income_year)
    SELECT d.fiscal_code, d.band::ticket.income_band, d.declarant, d.channel, d.operator, d.signed_at, d.applies_from,
           d.income_year
      FROM replay.decl d
     WHERE d.day >= $1 AND d.day < $2
       /*share*/
     ORDER BY d.signed_at, d.id
    $q$, '/*share*/', replace(by_code, '@', 'd')) USING d0, d1, part, parts;
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM replay.count(p, d1, 'declarations', n, t);

    t := clock_timestamp();
    EXECUTE replace($q$
    UPDATE registry.exemption_grant g
       SET revoked_on = r.revoked_on, revocation_reason = r.reason, revoked_at = r.revoked_at
      FROM replay.revoke_plan r
     WHERE r.day >= $1 AND r.day < $2
       AND g.fiscal_code = r.fiscal_code AND g.exemption = r.exemption::ticket.exemption
       AND lower(g.valid) = r.valid_from AND g.revoked_on IS NULL
       /*share*/
    $q$, '/*share*/', replace(by_code, '@', 'r')) USING d0, d1, part, parts;
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM replay.count(p, d1, 'revocations', n, t);

    t := clock_timestamp();
    EXECUTE replace($q$
    INSERT INTO fse.prescription (nre, fiscal_code, gp_code, prescribed_on, priority, services, written_at)
    SELECT r.nre, r.fiscal_code, r.gp_code, r.prescribed_on, r.priority, r.services, r.written_at
      FROM replay.rx r
     WHERE r.prescribed_on >= $1 AND r.prescribed_on < $2
       /*share*/
     ORDER BY r.written_at, r.rx
    $q$, '/*share*/', by_pid) USING d0, d1, part, parts;
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM replay.count(p, d1, 'prescriptions', n, t);

    t := clock_timestamp();
    EXECUTE replace($q$
    INSERT INTO cup.booking (nre, asl_code, service_date, booked_at)
    SELECT r.nre, r.asl_code, r.service_date, r.booked_at
      FROM replay.rx r
     WHERE r.book_on >= $1 AND r.book_on < $2
       /*share*/
     ORDER BY r.booked_at, r.rx
    $q$, '/*share*/', by_pid) USING d0, d1, part, parts;
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM replay.count(p, d1, 'bookings', n, t);

    -- A move re-prices an unpaid booking (the trigger); a paid one keeps its amount.
    t := clock_timestamp();
    EXECUTE replace($q$
    UPDATE cup.booking b SET service_date = r.move_to
      FROM replay.rx r
     WHERE r.move_on >= $1 AND r.move_on < $2
       AND b.nre = r.nre AND b.status IN ('booked', 'paid')
       /*share*/
    $q$, '/*share*/', by_pid) USING d0, d1, part, parts;
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM replay.count(p, d1, 'moves', n, t);

    -- A cancelled paid booking is refunded (an adjustment, by the trigger);
    -- a no-show is cancelled only when it was not paid in advance.
    t := clock_timestamp();
    EXECUTE replace($q$
    UPDATE cup.booking b
       SET status = 'cancelled', cancel_reason = r.cancel_reason,
           cancelled_at = replay.at(r.cancel_on, 600 + (r.rx % 300)::integer)
      FROM replay.rx r
     WHERE r.cancel_on >= $1 AND r.cancel_on < $2
       AND b.nre = r.nre
       AND (b.status = 'booked' OR (b.status = 'paid' AND r.cancel_reason <> 'no-show'))
       /*share*/
    $q$, '/*share*/', by_pid) USING d0, d1, part, parts;
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM replay.count(p, d1, 'cancellations', n, t);

    -- Payments: in advance on the booking day, or at the desk on the day of
    -- the service; a free booking pays nothing.
    t := clock_timestamp();
    EXECUTE replace($q$
    UPDATE cup.booking b
       SET status = 'paid', payment_channel = r.pay_channel,
           paid_at = CASE WHEN r.prepay AND r.book_on >= $1 AND r.book_on < $2 THEN r.booked_at + interval '4 minutes'
                          ELSE greatest(r.booked_at + interval '10 minutes',
                                        replay.at(r.final_date, 450 + (r.rx % 240)::integer)) END
      FROM replay.rx r
     WHERE ((r.prepay AND r.book_on >= $1 AND r.book_on < $2)
            OR (r.final_date >= $1 AND r.final_date < $2 AND NOT r.noshow))
       AND b.nre = r.nre AND b.status = 'booked' AND b.amount > 0
       /*share*/
    $q$, '/*share*/', by_pid) USING d0, d1, part, parts;
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM replay.count(p, d1, 'payments', n, t);

    t := clock_timestamp();
    EXECUTE replace($q$
    UPDATE cup.booking b SET status = 'done'
      FROM replay.rx r
     WHERE r.final_date >= $1 AND r.final_date < $2 AND NOT r.noshow
       AND b.nre = r.nre
       AND (b.status = 'paid' OR (b.status = 'booked' AND b.amount = 0))
       /*share*/
    $q$, '/*share*/', by_pid) USING d0, d1, part, parts;
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM replay.count(p, d1, 'completions', n, t);

    -- A recorded death cancels the unpaid bookings from that day (trigger).
    t := clock_timestamp();
    EXECUTE replace($q$
    UPDATE registry.citizen c SET death_date = x.death_date
      FROM replay.person x
     WHERE x.death_date >= $1 AND x.death_date < $2 AND c.fiscal_code = x.fiscal_code
       AND c.death_date IS NULL
       /*share*/
    $q$, '/*share*/', CASE WHEN parts > 1 THEN 'AND replay.share(x.hh, x.pid, $4) = $3' ELSE '' END) USING d0, d1, part, parts;
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM replay.count(p, d1, 'deaths', n, t);

END;
$$;

-- ANALYZE the network's tables when one kind of write (declarations,
-- grants, prescriptions, bookings, payments) grew by half since the last
-- time.  The triggers' generic plans are made on the statistics: a plan
-- made while the declarations were few (a seq scan in a nested loop) turns
-- quadratic when they become thousands; ANALYZE also invalidates it.  A
-- sample of 7,500 rows a table (statistics target 25, not 100) is enough
-- for those plans (row counts, keys) and a quarter of the cost: at 14,000
-- citizens ANALYZE took 8 % of the replay's time.
CREATE TABLE replay.analyzed (what text PRIMARY KEY, n bigint NOT NULL);
CREATE FUNCTION replay.analyze_network() RETURNS void LANGUAGE plpgsql SET default_statistics_target = 25 AS $$
BEGIN
    ANALYZE registry.citizen, registry.citizen_lock, registry.declaration, registry.exemption_grant,
            registry.household_member, fse.profile, fse.event, fse.prescription, cup.booking, cup.adjustment,
            ticket.event;
    INSERT INTO replay.analyzed AS a (what, n)
    SELECT what, sum(n) FROM replay.counter GROUP BY what
        ON CONFLICT (what) DO UPDATE SET n = excluded.n;
END;
$$;
CREATE FUNCTION replay.analyze_if_grown() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM (SELECT what, sum(n) AS n FROM replay.counter
                               WHERE what IN ('declarations', 'grants', 'prescriptions', 'bookings', 'payments')
                               GROUP BY what) c
                 LEFT JOIN replay.analyzed a USING (what)
                WHERE c.n > 1.5 * coalesce(a.n, 0) + 1000) THEN
        PERFORM replay.analyze_network();
    END IF;
END;
$$;

-- The progress line: what happened since the previous one.
CREATE FUNCTION replay.progress(p integer, label text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    ph replay.phase;
    c record;
    forms text;
    r record;
    line text;
BEGIN
    SELECT * INTO ph FROM replay.phase WHERE phase = p;
    SELECT coalesce(sum(n) FILTER (WHERE what = 'prescriptions'), 0) AS rx,
           coalesce(sum(n) FILTER (WHERE what = 'bookings'), 0) AS bk,
           coalesce(sum(n) FILTER (WHERE what = 'payments'), 0) AS paid,
           coalesce(sum(n) FILTER (WHERE what = 'declarations'), 0) AS decl,
           coalesce(sum(n) FILTER (WHERE what = 'grants'), 0) AS grants,
           coalesce(sum(n) FILTER (WHERE what = 'cancellations'), 0) AS cancelled,
           coalesce(sum(n) FILTER (WHERE what = 'deaths'), 0) AS deaths
      INTO c FROM replay.counter WHERE phase = p AND NOT printed;
    SELECT count(*) FILTER (WHERE e.kind = 'repriced') AS repriced,
           (SELECT count(*) FILTER (WHERE a.amount < 0) FROM cup.adjustment a WHERE a.adjustment_id > ph.adjustment_mark) AS refunds,
           (SELECT coalesce(sum(a.amount) FILTER (WHERE a.amount < 0), 0) FROM cup.adjustment a WHERE a.adjustment_id > ph.adjustment_mark) AS refunded,
           (SELECT count(*) FILTER (WHERE a.amount > 0) FROM cup.adjustment a WHERE a.adjustment_id > ph.adjustment_mark) AS dues
      INTO r FROM ticket.event e WHERE e.event_id > ph.event_mark;
    line := format('%s %s: %s prescriptions, %s bookings, %s payments',
                   replay.clock(), label, replay.n(c.rx), replay.n(c.bk), replay.n(c.paid));
    IF c.decl > 0 THEN
        SELECT string_agg(format('%s %s', replace(x.channel, '_', ' '), replay.pct(x.n, c.decl)), ', ' ORDER BY x.n DESC, x.channel)
          INTO forms
          FROM (SELECT d.channel, count(*) AS n FROM registry.declaration d
                 WHERE d.declaration_id > ph.declaration_mark GROUP BY d.channel) x;
        line := line || format(', %s declarations (%s)', replay.n(c.decl), forms);
    END IF;
    IF c.grants > 0 THEN
        line := line || format(', %s exemptions granted', replay.n(c.grants));
    END IF;
    line := line || format(', %s re-priced, %s refunds (%s)', replay.n(r.repriced), replay.n(r.refunds), replay.eur(r.refunded));
    IF r.dues > 0 THEN
        line := line || format(', %s amounts due', replay.n(r.dues));
    END IF;
    IF c.deaths > 0 THEN
        line := line || format(', %s deaths recorded', replay.n(c.deaths));
    END IF;
    UPDATE replay.counter SET printed = true WHERE phase = p AND NOT printed;
    UPDATE replay.phase
       SET event_mark = (SELECT coalesce(max(event_id), 0) FROM ticket.event),
           adjustment_mark = (SELECT coalesce(max(adjustment_id), 0) FROM cup.adjustment),
           declaration_mark = (SELECT coalesce(max(declaration_id), 0) FROM registry.declaration)
     WHERE phase = p;
    RETURN line;
END;
$$;

-- The statements that replay [d0, d1) in windows of `step` days (progress
-- every `every` windows and at the end), for \gexec.
CREATE FUNCTION replay.steps(p integer, d0 date, d1 date, step integer, every integer)
RETURNS SETOF text LANGUAGE sql STABLE AS $$
    SELECT format('SELECT * FROM replay.step(%s, %L, %L, %L)', p, w.a, least(w.a + step, d1),
                  w.i % every = 0 OR w.a + step >= d1)
      FROM (SELECT a::date AS a, row_number() OVER (ORDER BY a) AS i
              FROM generate_series(d0, d1 - 1, make_interval(days => step)) AS a) w
     ORDER BY w.a;
$$;

--------------------------------------------------------------------------
-- Reports
--------------------------------------------------------------------------

-- The consistency check at the end of a phase: its row count goes into the
-- report; a violation prints the rows and stops the replay.
CREATE FUNCTION replay.check(p integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz := clock_timestamp();
    n bigint;
BEGIN
    UPDATE replay.phase SET replayed = t0 WHERE phase = p;
    -- Fresh statistics first (the manual's advice after bulk writes): the
    -- check's joins are planned on them.
    PERFORM replay.analyze_if_grown();
    CREATE TEMPORARY TABLE IF NOT EXISTS consistency (invariant text, subject text, detail text);
    TRUNCATE consistency;
    INSERT INTO consistency SELECT * FROM ticket.check_consistency();
    GET DIAGNOSTICS n = ROW_COUNT;
    UPDATE replay.phase SET check_rows = n, check_seconds = extract(epoch FROM clock_timestamp() - t0)
     WHERE phase = p;
END;
$$;

CREATE FUNCTION replay.fail_if_inconsistent(p integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    n bigint := (SELECT check_rows FROM replay.phase WHERE phase = p);
BEGIN
    IF n <> 0 THEN
        RAISE EXCEPTION 'phase %: ticket.check_consistency() returned % rows', p, n
            USING HINT = 'The rows are printed above; the database is left as it is.';
    END IF;
END;
$$;

-- The phase's figures.  Timing rows are named 'seconds ...' and 'rows per
-- second' (the smoke test ignores them).
CREATE FUNCTION replay.report(p integer) RETURNS TABLE (item text, value text)
LANGUAGE plpgsql AS $$
DECLARE
    ph replay.phase;
    w bigint;
BEGIN
    SELECT * INTO ph FROM replay.phase WHERE phase = p;
    w := replay.rows_written(p);
    RETURN QUERY
    WITH c AS (SELECT what, sum(n) AS n FROM replay.counter WHERE phase = p GROUP BY what),
         adj AS (SELECT count(*) FILTER (WHERE amount < 0) AS refunds, coalesce(sum(amount) FILTER (WHERE amount < 0), 0) AS refunded,
                        count(*) FILTER (WHERE amount > 0) AS dues, coalesce(sum(amount) FILTER (WHERE amount > 0), 0) AS due,
                        count(*) FILTER (WHERE amount < 0 AND reason = 'cancellation') AS cancel_refunds
                   FROM cup.adjustment WHERE adjustment_id > ph.adjustment0),
         ev AS (SELECT count(*) AS events, count(*) FILTER (WHERE kind = 'repriced') AS repriced,
                       count(DISTINCT subject) FILTER (WHERE kind = 'repriced') AS repriced_bookings
                  FROM ticket.event WHERE event_id > ph.event0),
         kinds AS (SELECT o, what FROM unnest(ARRAY['citizens', 'households', 'household members', 'GPs and paediatricians',
                                                     'changes of doctor', 'declarations', 'grants', 'revocations', 'deaths',
                                                     'prescriptions', 'bookings', 'moves', 'cancellations', 'payments',
                                                     'completions']) WITH ORDINALITY AS k(what, o))
    SELECT y.item, y.value FROM (
    SELECT x.o, x.item, x.value FROM (VALUES
        (1, 'rows written', replay.n(w)),
        (2, '  registry', coalesce((SELECT string_agg(replay.n(c.n) || ' ' || c.what, ', ' ORDER BY k.o)
                                      FROM c JOIN kinds k USING (what) WHERE k.o <= 9), '-')),
        (3, '  FSE and CUP', coalesce((SELECT string_agg(replay.n(c.n) || ' ' || c.what, ', ' ORDER BY k.o)
                                         FROM c JOIN kinds k USING (what) WHERE k.o > 9), '-')),
        (4, 'seconds replaying', to_char(ph.step_seconds, 'FM99990.00')),
        (5, 'rows per second', replay.n(round(w / greatest(ph.step_seconds, 0.001))::numeric)),
        (6, 'seconds planning', to_char(extract(epoch FROM ph.planned - ph.started), 'FM99990.00')),
        (7, 'bookings priced', replay.n((SELECT n FROM c WHERE what = 'bookings'))),
        (8, 'bookings re-priced', replay.n((SELECT repriced_bookings FROM ev)) || ' bookings ('
                                  || replay.n((SELECT repriced FROM ev)) || ' re-pricings)'),
        (9, 'refunds', replay.n((SELECT refunds FROM adj)) || ' = ' || replay.eur((SELECT refunded FROM adj))
                       || ' (' || replay.n((SELECT cancel_refunds FROM adj)) || ' for cancelled paid bookings)'),
        (10, 'amounts due', replay.n((SELECT dues FROM adj)) || ' = ' || replay.eur((SELECT due FROM adj))),
        (11, 'outbox events', replay.n((SELECT events FROM ev))),
        (12, 'ticket.check_consistency()', replay.n(ph.check_rows) || ' rows'),
        (13, 'seconds checking', to_char(ph.check_seconds, 'FM99990.00'))) AS x(o, item, value)
    UNION ALL
    -- Where the replaying time went: one row 'seconds <kind>' per kind of
    -- write (its statements, the triggers they fire included; with --jobs,
    -- the jobs' seconds added up: more than the wall clock's) and one for
    -- ANALYZE, slowest first.  Timing rows, short values: they never widen
    -- the table, so that the report without them is the same run after run.
    SELECT 13 + row_number() OVER (ORDER BY t.seconds DESC, t.what), 'seconds ' || t.what,
           to_char(t.seconds, 'FM99990.00')
           || CASE WHEN t.n IS NOT NULL THEN ' (' || replay.n(round(t.n / greatest(t.seconds, 0.001))::numeric) || '/s)' ELSE '' END
      FROM (SELECT what, sum(n) AS n, sum(seconds) AS seconds FROM replay.counter
             WHERE phase = p AND seconds IS NOT NULL GROUP BY what
            UNION ALL
            SELECT 'analyze', NULL, ph.analyze_seconds WHERE ph.analyze_seconds > 0) t) y
     ORDER BY y.o;
END;
$$;

-- Revenue of the bookings whose (final) service date is in the phase's
-- window, by regime and band: what was charged (payments) and adjusted
-- since (refunds, amounts due), net of both.
CREATE FUNCTION replay.revenue(p integer)
RETURNS TABLE (regime text, band text, bookings text, free text, charged text, adjusted text, net text, per_booking text)
LANGUAGE sql STABLE AS $$
    WITH ph AS (SELECT * FROM replay.phase WHERE phase = p),
    b AS (SELECT (b.bill).regime AS regime,
                 coalesce((b.bill).band::text,
                          CASE WHEN EXISTS (SELECT 1 FROM ticket.regime_band rb WHERE rb.regime_id = (b.bill).regime)
                               THEN 'none declared' ELSE '-' END) AS band,
                 b.status, b.amount, b.paid_amount,
                 (SELECT sum(a.amount) FROM cup.adjustment a WHERE a.booking_id = b.booking_id) AS adjusted
            FROM cup.booking b, ph
           WHERE b.service_date >= ph.service_from AND b.service_date < ph.service_to),
    g AS (SELECT regime, band,
                 count(*) FILTER (WHERE status <> 'cancelled') AS bookings,
                 count(*) FILTER (WHERE status <> 'cancelled' AND amount = 0) AS free,
                 coalesce(sum(paid_amount), 0) AS charged,
                 coalesce(sum(adjusted), 0) AS adjusted
            FROM b GROUP BY GROUPING SETS ((regime, band), ()))
    SELECT coalesce(g.regime, 'total'), coalesce(g.band, ''), replay.n(g.bookings), replay.n(g.free),
           replay.eur0(g.charged), replay.eur(g.adjusted), replay.eur0(g.charged + g.adjusted),
           CASE WHEN g.bookings > 0 THEN replay.eur0(round((g.charged + g.adjusted) / g.bookings, 2)) END
      FROM g
     ORDER BY g.regime IS NULL, (SELECT r.effective_from FROM ticket.regime r WHERE r.regime_id = g.regime),
              g.band = 'none declared', g.band;
$$;
\o
