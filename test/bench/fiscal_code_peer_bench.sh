#!/usr/bin/env bash
# test/bench/fiscal_code_peer_bench.sh: ticket's fiscal-code functions side by
# side with the JavaScript peer codice-fiscale-js 2.4.0 (in node) and the
# PL/pgSQL reference (test/reference/fiscal_code_reference.sql), per code.
#
#   bash test/bench/fiscal_code_peer_bench.sh      # BENCH_ROWS=1000000 BENCH_RUNS=5
#
# Needs node (>= 18) and npm with the npm registry reachable on the first run:
# it installs codice-fiscale-js, pinned by test/bench/peer/package-lock.json,
# with `npm ci` into ${XDG_CACHE_HOME:-$HOME/.cache}/ticket-bench/peer (never
# into the source tree).  Starts a throwaway cluster, generates BENCH_ROWS
# codes in SQL (not measured) and exports them to JSON files for node:
#
#   src      BENCH_ROWS strings: 80 % personal codes made by
#            ticket.fiscal_code_encode (every 100th an omocode), 15 % of them
#            mutated (a wrong check character; day 32-39/72-79, 00 or 40; the
#            31st of a 30-day month; 29 February of a non-leap year; lower
#            case; surrounding spaces; an unknown place Z999; a place letter
#            outside [A-ILMZ]; a letter outside LMNPQRSTUV in a digit
#            position: all but the first with a recomputed check character),
#            5 % from ticket_reference.generate_codes (noise, numeric codes,
#            STP/ENI, non-ASCII).  Birthplaces are codes codice-fiscale-js knows.
#   dec      the valid personal codes of src (omocodes included).
#   persons  the personal data the codes of src were made from.
#
# Measured, BENCH_RUNS runs after one warm-up run, the database and node
# alternating (one psql session, then one node process, then the other way
# round; the order of the queries rotates within a session):
#
#   a. validation: SELECT count(*) FILTER (WHERE ticket.fiscal_code_is_valid(cf))
#      FROM src (the whole query: heap scan, call, aggregate; psql \timing, so
#      the round trip of one small result row too) vs a node loop calling
#      CodiceFiscale.check(cf) over the same strings in an array (timed with
#      process.hrtime.bigint() after one warm-up pass).  Target: >= 10x.
#   b. the same query vs the PL/pgSQL reference ticket_reference.is_valid on
#      the first BENCH_ROWS/10 rows.  Target: >= 100x.
#   (c and d: codice-fiscale-js on the first BENCH_PEER_ROWS codes only,
#   default BENCH_ROWS/200: its published build scans its whole place list
#   for every code decoded or encoded; ticket on all of them; per code.)
#   c. decoding from text: the cast to ticket.fiscal_code (validation) and
#      fiscal_code_sex, fiscal_code_birth_date, fiscal_code_birthplace over dec
#      vs new CodiceFiscale(cf) (validation, de-omocoding, sex, date, place
#      lookup) reading .gender, .birthday, .birthplace.cc.  Target: >= 10x.
#   d. encoding: ticket.fiscal_code_encode(surname, given_name, sex,
#      birth_date, birthplace) over persons vs CodiceFiscale.compute({surname,
#      name, gender, day, month, year, birthplace}).  Target: >= 10x.
#
# The PL/pgSQL reference only validates: c and d have no PL/pgSQL column.
# Figures are nanoseconds per code (median time / codes); min/median/max of
# the runs follow the table, then what each side accepts and a sample of the
# codes on which they disagree (with ticket's reason, ticket.fiscal_code_error).
# A benchmark is not a test: targets are only reported.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=SCRIPTDIR/../../extension/bin/common.sh
source extension/bin/common.sh
source test/bench/lib.sh

ROWS=${BENCH_ROWS:-1000000}
RUNS=${BENCH_RUNS:-5}
REF_ROWS=$((ROWS / 10))
# codice-fiscale-js' decoding and encoding scan its whole place list per
# code (hundreds of microseconds): they run on the first PEER_ROWS codes
PEER_ROWS=${BENCH_PEER_ROWS:-$((ROWS / 200 > 1000 ? ROWS / 200 : (ROWS < 1000 ? ROWS : 1000)))}
REFERENCE_SQL=test/reference/fiscal_code_reference.sql
PEER_SRC=test/bench/peer
PEER_DIR=${XDG_CACHE_HOME:-$HOME/.cache}/ticket-bench/peer

if ! [ "$ROWS" -ge 100 ] 2>/dev/null || ! [ "$RUNS" -ge 1 ] 2>/dev/null; then
	bench_die "BENCH_ROWS must be a number >= 100 and BENCH_RUNS a number >= 1"
fi
[ -f "$REFERENCE_SQL" ] || bench_die "$REFERENCE_SQL is missing"
# without node there is no peer to measure: say so and skip (run-all goes on)
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	echo "$(basename "$0"): skipped: node and npm (Node.js >= 18) are needed for the codice-fiscale-js side" >&2
	exit 0
fi

# ---------------------------------------------------------------------------
# The peer: npm ci of the pinned lock file into the cache directory, redone
# when the lock file changes.
# ---------------------------------------------------------------------------
mkdir -p "$PEER_DIR"
if ! cmp -s "$PEER_SRC/package-lock.json" "$PEER_DIR/package-lock.json" ||
	[ ! -f "$PEER_DIR/node_modules/codice-fiscale-js/package.json" ]; then
	ticket_log "installing codice-fiscale-js (npm ci) into $PEER_DIR"
	cp "$PEER_SRC/package.json" "$PEER_SRC/package-lock.json" "$PEER_DIR/"
	(cd "$PEER_DIR" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) ||
		bench_die "npm ci in $PEER_DIR failed (is the npm registry reachable?)"
fi
PEER_VERSION=$(node -p "require('$PEER_DIR/node_modules/codice-fiscale-js/package.json').version")
NODE=(env NODE_PATH="$PEER_DIR/node_modules" node "$PEER_SRC/peer.js")

bench_setup ticket_peer_bench
"${PSQL[@]}" -f "$REFERENCE_SQL" >/dev/null || bench_die "loading $REFERENCE_SQL failed"

# ---------------------------------------------------------------------------
# Data (not measured)
# ---------------------------------------------------------------------------
ticket_log "generating $ROWS codes (not measured)"
"${NODE[@]}" places >"$BENCH_WORK/places.txt"
"${PSQL[@]}" -c "CREATE TABLE places (n serial PRIMARY KEY, code text NOT NULL)" \
	-c "\\copy places (code) FROM '$BENCH_WORK/places.txt'" >/dev/null
"${PSQL[@]}" -v rows="$ROWS" -v ref_rows="$REF_ROWS" >/dev/null <<'SQL'
SELECT count(*) AS nplaces FROM places \gset
CREATE TABLE persons AS
SELECT g AS id,
       (ARRAY['ROSSI','RUSSO','FERRARI','ESPOSITO','BIANCHI','ROMANO','COLOMBO','RICCI',
              'MARINO','GRECO','BRUNO','GALLO','CONTI','DE LUCA','MANCINI','COSTA',
              'GIORDANO','RIZZO','LOMBARDI','MORETTI','FO','XI','D''ANGELO',
              'SCHWARZENEGGER','NAZARENO','FÒ','MÜLLER'])[1 + g % 27]
         || (ARRAY['','A','E','I','O','U','N','S','T','R'])[1 + (g / 27) % 10] AS surname,
       (ARRAY['MARIO','GIULIA','FEDERICO','ALESSANDRO','FRANCESCA','AL','EVA','UGO',
              'MARIA TERESA','CHRISTIAN','LUCA','ELENA','GIOVANNI','SOFIA','MARCO',
              'CHIARA','NAZARENO','AURORA','LEONARDO','ALICE','NICCOLÒ','ZOË'])[1 + (g / 7) % 22] AS given_name,
       CASE WHEN g % 2 = 0 THEN 'M' ELSE 'F' END AS sex,
       DATE '1925-01-01' + ((g::bigint * 7919) % 36890)::int AS birth_date,
       (SELECT code FROM places WHERE n = 1 + (g::bigint * 31) % :nplaces) AS place
  FROM generate_series(1, :rows) g;
ALTER TABLE persons ADD PRIMARY KEY (id);

CREATE TABLE refgen AS
SELECT n::int AS n, s FROM ticket_reference.generate_codes(:rows / 20 + 1, 0.5) WITH ORDINALITY AS t(s, n);

-- kind: what the row is; 16, 17, 18 of every 20 rows are mutated (10 ways),
-- 19 of 20 come from the reference generator
CREATE TABLE gen AS
SELECT p.id, ticket.fiscal_code_encode(p.surname, p.given_name, p.sex, p.birth_date, p.place)::text AS code,
       CASE WHEN p.id % 20 = 19 THEN 'reference generator'
            WHEN p.id % 20 >= 16 THEN (ARRAY['bad check char', 'day 32-39/72-79', 'day 00/40',
                 '31st of a 30-day month', '29 Feb, year 23', 'lower case', 'surrounding spaces',
                 'unknown place Z999', 'place letter not [A-ILMZ]', 'bad omocode letter'])[1 + (p.id / 20) % 10]
            WHEN p.id % 100 = 0 THEN 'omocode'
            ELSE 'valid' END AS kind,
       r.s AS ref
  FROM persons p LEFT JOIN refgen r ON p.id % 20 = 19 AND r.n = p.id / 20 + 1;

CREATE FUNCTION pg_temp.fix(s text) RETURNS text LANGUAGE sql IMMUTABLE
    RETURN s || ticket_reference.check_char(s);

CREATE TABLE src AS
SELECT id, kind,
       CASE kind
         WHEN 'valid' THEN code
         WHEN 'omocode' THEN (SELECT o::text FROM ticket.fiscal_code_omocodes(code::ticket.fiscal_code)
                                WITH ORDINALITY AS t(o, n) WHERE n = 2 + id % 127)
         WHEN 'reference generator' THEN ref
         WHEN 'bad check char' THEN left(code, 15) || chr(65 + (ascii(substr(code, 16, 1)) - 65 + 1 + id % 25) % 26)
         WHEN 'day 32-39/72-79' THEN pg_temp.fix(left(code, 9) || CASE WHEN substr(code, 10, 1) >= '4' THEN '7' ELSE '3' END
                                       || (2 + id % 8)::text || substr(code, 12, 4))
         WHEN 'day 00/40' THEN pg_temp.fix(left(code, 9) || CASE WHEN id % 2 = 0 THEN '00' ELSE '40' END || substr(code, 12, 4))
         WHEN '31st of a 30-day month' THEN pg_temp.fix(left(code, 8) || substr('DHPS', 1 + id % 4, 1)
                                       || CASE WHEN substr(code, 10, 1) >= '4' THEN '71' ELSE '31' END || substr(code, 12, 4))
         WHEN '29 Feb, year 23' THEN pg_temp.fix(left(code, 6) || '23B'
                                       || CASE WHEN substr(code, 10, 1) >= '4' THEN '69' ELSE '29' END || substr(code, 12, 4))
         WHEN 'lower case' THEN lower(code)
         WHEN 'surrounding spaces' THEN ' ' || code || ' '
         WHEN 'unknown place Z999' THEN pg_temp.fix(left(code, 11) || 'Z999')
         WHEN 'place letter not [A-ILMZ]' THEN pg_temp.fix(left(code, 11) || substr('JKNOPQRSTUVWXY', 1 + id % 14, 1) || substr(code, 13, 3))
         WHEN 'bad omocode letter' THEN pg_temp.fix(left(code, 6) || substr('AOKWXYZ', 1 + id % 7, 1) || substr(code, 8, 8))
       END AS cf
  FROM gen ORDER BY id;
ALTER TABLE src ADD PRIMARY KEY (id);
CREATE TABLE src_ref AS SELECT id, cf FROM src WHERE id <= :ref_rows ORDER BY id;
CREATE TABLE dec AS SELECT row_number() OVER (ORDER BY id) AS n, id, cf FROM src
 WHERE kind IN ('valid', 'omocode') ORDER BY id;
DROP TABLE gen, refgen;
VACUUM (FREEZE, ANALYZE) persons;
VACUUM (FREEZE, ANALYZE) src;
VACUUM (FREEZE, ANALYZE) src_ref;
VACUUM (FREEZE, ANALYZE) dec;
SQL

# exports for node: the same strings, in id order, as JSON (any character survives)
"${PSQL[@]}" -Atc "SELECT json_agg(cf ORDER BY id) FROM src" >"$BENCH_WORK/valid.json"
"${PSQL[@]}" -Atc "SELECT json_agg(cf ORDER BY n) FROM dec WHERE n <= $PEER_ROWS" >"$BENCH_WORK/decode.json"
"${PSQL[@]}" -Atc "SELECT json_agg(json_build_array(surname, given_name, sex,
		extract(year FROM birth_date)::int, extract(month FROM birth_date)::int,
		extract(day FROM birth_date)::int, place) ORDER BY id) FROM persons WHERE id <= $PEER_ROWS" >"$BENCH_WORK/encode.json"
n_dec=$("${PSQL[@]}" -Atc "SELECT count(*) FROM dec")
n_bad=$("${PSQL[@]}" -Atc "SELECT count(*) FROM dec WHERE NOT ticket.fiscal_code_is_valid(cf)")
[ "$n_bad" -eq 0 ] || bench_die "$n_bad of the generated personal codes are not valid"

# ---------------------------------------------------------------------------
# Measurements: per run one psql session (\timing) and one node process,
# alternating which goes first.
# ---------------------------------------------------------------------------
VAL_C="SELECT count(*) FILTER (WHERE ticket.fiscal_code_is_valid(cf)) FROM src;"
SCAN="SELECT count(cf) FROM src;"
VAL_REF="SELECT count(*) FILTER (WHERE ticket_reference.is_valid(cf)) FROM src_ref;"
DEC_C="SELECT count(*) FILTER (WHERE ticket.fiscal_code_sex(c) = 'F'), count(ticket.fiscal_code_birth_date(c)),
       count(ticket.fiscal_code_birthplace(c)) FROM (SELECT cf::ticket.fiscal_code AS c FROM dec OFFSET 0) s;"
DEC_SCAN="SELECT count(cf) FROM dec;"
ENC_C="SELECT count(ticket.fiscal_code_encode(surname, given_name, sex, birth_date, place)) FROM persons;"
ENC_SCAN="SELECT count(surname), count(given_name), count(sex), count(birth_date), count(place) FROM persons;"
queries=(valid "$VAL_C" scan "$SCAN" ref "$VAL_REF" decode "$DEC_C" decode_scan "$DEC_SCAN" encode "$ENC_C" encode_scan "$ENC_SCAN")
nq=$((${#queries[@]} / 2))

all_times=$BENCH_WORK/all_times
: >"$all_times"
db_run() {
	local run=$1 i k
	for ((i = 0; i < nq; i++)); do
		k=$(((i + run) % nq))
		bench_measure "${queries[2 * k]}" "$run" "${queries[2 * k + 1]}"
	done >"$BENCH_WORK/run.sql"
	bench_run "$BENCH_WORK/run.sql" "$nq"
	cat "$BENCH_WORK/times" >>"$all_times"
}
node_run() {
	"${NODE[@]}" run "$1" "$BENCH_WORK" >>"$all_times" || bench_die "the node side failed"
}
ticket_log "measuring: $RUNS runs after one warm-up run, database and node alternating"
for run in $(seq 0 "$RUNS"); do
	if [ $((run % 2)) -eq 0 ]; then db_run "$run"; node_run "$run"; else node_run "$run"; db_run "$run"; fi
done
cp "$all_times" "$BENCH_WORK/times"

# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------
# ns per code of the median (and of each run) of KEY over N codes
ns() { awk -v m="$(bench_median "$1")" -v n="$2" 'BEGIN { printf "%.1f", m * 1e6 / n }'; }
per_code() { # KEY N: ns per code of each run of KEY over N codes
	bench_scaled "$(awk -v n="$2" 'BEGIN { printf "%.9g", 1e6 / n }')" $(bench_values "$1")
}
a_t=$(ns valid "$ROWS"); a_b=$(ns peer_valid "$ROWS")
b_b=$(ns ref "$REF_ROWS")
n_pdec=$((PEER_ROWS < n_dec ? PEER_ROWS : n_dec))
c_t=$(ns decode "$n_dec"); c_b=$(ns peer_decode "$n_pdec")
d_t=$(ns encode "$ROWS"); d_b=$(ns peer_encode "$PEER_ROWS")

rows_h=$(printf "%'d" "$ROWS" 2>/dev/null || echo "$ROWS")
dec_h=$(printf "%'d" "$n_dec" 2>/dev/null || echo "$n_dec")
ref_h=$(printf "%'d" "$REF_ROWS" 2>/dev/null || echo "$REF_ROWS")
label_a="a. validate, ns/code: fiscal_code_is_valid vs codice-fiscale-js check() ($rows_h codes)"
label_b="b. validate, ns/code: fiscal_code_is_valid vs PL/pgSQL reference ($ref_h codes)"
peer_h=$(printf "%'d" "$n_pdec" 2>/dev/null || echo "$n_pdec")
label_c="c. decode sex+date+place from text, ns/code: ticket ($dec_h codes) vs codice-fiscale-js constructor ($peer_h)"
label_d="d. encode, ns/code: fiscal_code_encode ($rows_h people) vs codice-fiscale-js compute() ($peer_h)"
bench_header "ticket fiscal_code vs its peers: codice-fiscale-js $PEER_VERSION (node $(node --version)), PL/pgSQL reference; median of $RUNS runs after 1 warm-up, ns per code" \
	"$(bench_width "$label_a" "$label_b" "$label_c" "$label_d")" ns
bench_row "$label_a" "$a_t" "$a_b" ge 10
bench_row "$label_b" "$a_t" "$b_b" ge 100
bench_row "$label_c" "$c_t" "$c_b" ge 10
bench_row "$label_d" "$d_t" "$d_b" ge 10
echo
echo "ns per code, min / median / max of $RUNS runs:"
bench_stats "a. ticket fiscal_code_is_valid (query)" $(per_code valid "$ROWS")
bench_stats "a.   bare count(cf) over the same table" $(per_code scan "$ROWS")
bench_stats "a. codice-fiscale-js check()" $(per_code peer_valid "$ROWS")
bench_ratios "a. speed-up (c-f-js / ticket query)" ge "$(per_code valid "$ROWS")" "$(per_code peer_valid "$ROWS")"
bench_stats "b. PL/pgSQL ticket_reference.is_valid (query)" $(per_code ref "$REF_ROWS")
bench_ratios "b. speed-up (reference / ticket query)" ge "$(per_code valid "$ROWS")" "$(per_code ref "$REF_ROWS")"
bench_stats "c. ticket decode (query)" $(per_code decode "$n_dec")
bench_stats "c.   bare count(cf) over the same table" $(per_code decode_scan "$n_dec")
bench_stats "c. codice-fiscale-js new CodiceFiscale(cf)" $(per_code peer_decode "$n_pdec")
bench_ratios "c. speed-up (c-f-js / ticket query)" ge "$(per_code decode "$n_dec")" "$(per_code peer_decode "$n_pdec")"
bench_stats "d. ticket fiscal_code_encode (query)" $(per_code encode "$ROWS")
bench_stats "d.   bare count() of the five columns" $(per_code encode_scan "$ROWS")
bench_stats "d. codice-fiscale-js compute()" $(per_code peer_encode "$PEER_ROWS")
bench_ratios "d. speed-up (c-f-js / ticket query)" ge "$(per_code encode "$ROWS")" "$(per_code peer_encode "$PEER_ROWS")"
awk -v v="$a_t" -v s="$(ns scan "$ROWS")" -v d="$c_t" -v ds="$(ns decode_scan "$n_dec")" \
	-v e="$d_t" -v es="$(ns encode_scan "$ROWS")" -v pv="$a_b" -v pd="$c_b" -v pe="$d_b" 'BEGIN {
	printf "with the bare scan subtracted (the function calls alone): validate %.1f ns (%.0fx), decode %.1f ns (%.0fx), encode %.1f ns (%.0fx)\n",
		v - s, (v - s > 0 ? pv / (v - s) : 0), d - ds, (d - ds > 0 ? pd / (d - ds) : 0), e - es, (e - es > 0 ? pe / (e - es) : 0)
}'

# ---------------------------------------------------------------------------
# Agreement: what each side answered (node's answers come from run 0)
# ---------------------------------------------------------------------------
"${PSQL[@]}" -P pager=off -P null='(null)' <<SQL
\\set peer_valid \`cat "$BENCH_WORK/peer_valid.txt"\`
CREATE TEMP TABLE peer_valid AS
SELECT n::int AS id, c = '1' AS ok FROM string_to_table(:'peer_valid', NULL) WITH ORDINALITY AS t(c, n);
CREATE TEMP TABLE peer_decode (sex text, birth text, place text);
\\copy peer_decode FROM '$BENCH_WORK/peer_decode.txt'
ALTER TABLE peer_decode ADD n serial;
CREATE TEMP TABLE peer_encode (code text);
\\copy peer_encode FROM '$BENCH_WORK/peer_encode.txt'
ALTER TABLE peer_encode ADD n serial;

\\echo
\\echo 'validation: codes each side accepts, by kind of generated code'
SELECT kind, count(*) AS codes,
       count(*) FILTER (WHERE ticket.fiscal_code_is_valid(s.cf)) AS ticket,
       count(*) FILTER (WHERE p.ok) AS "codice-fiscale-js",
       count(*) FILTER (WHERE ticket.fiscal_code_is_valid(s.cf) AND NOT p.ok) AS "only ticket",
       count(*) FILTER (WHERE p.ok AND NOT ticket.fiscal_code_is_valid(s.cf)) AS "only c-f-js"
  FROM src s JOIN peer_valid p USING (id)
 GROUP BY ROLLUP (kind) ORDER BY kind NULLS LAST;
\\echo 'validation: the PL/pgSQL reference vs ticket on its sample (they must agree)'
SELECT count(*) AS codes, count(*) FILTER (WHERE ticket_reference.is_valid(cf)) AS reference,
       count(*) FILTER (WHERE ticket_reference.is_valid(cf) IS DISTINCT FROM ticket.fiscal_code_is_valid(cf)) AS disagreements
  FROM src_ref;
\\echo 'validation: disagreements, by ticket''s reason (ticket.fiscal_code_error), with one example each'
SELECT coalesce(regexp_replace(regexp_replace(regexp_replace(ticket.fiscal_code_error(s.cf),
                   '[0-9]+', 'NN', 'g'), '^''.''', '''?'''), ' in [A-Z][a-z]+\$', ' in <month>'),
                '(ticket accepts: ' || ticket.fiscal_code_kind(s.cf::ticket.fiscal_code)
                || CASE WHEN s.cf ~ '^\\s|\\s\$' THEN ', surrounding spaces' ELSE '' END || ')') AS "ticket's reason",
       p.ok AS "c-f-js accepts", count(*), (array_agg(format('%L', s.cf) ORDER BY s.id))[1:2] AS examples
  FROM src s JOIN peer_valid p USING (id)
 WHERE ticket.fiscal_code_is_valid(s.cf) <> p.ok
 GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 25;

\\echo 'decoding ($n_pdec codes): fields on which the two sides differ (ticket birth date with reference = today)'
WITH t AS (
  SELECT d.n, d.cf, ticket.fiscal_code_sex(d.cf::ticket.fiscal_code) AS sex,
         ticket.fiscal_code_birth_date(d.cf::ticket.fiscal_code)::text AS birth,
         ticket.fiscal_code_birthplace(d.cf::ticket.fiscal_code) AS place
    FROM dec d WHERE d.n <= $PEER_ROWS)
SELECT CASE WHEN p.sex = 'ERROR' THEN 'c-f-js error: ' || p.birth
            ELSE concat_ws(', ', CASE WHEN t.sex <> p.sex THEN 'sex' END,
                                 CASE WHEN t.birth <> p.birth THEN 'birth date' END,
                                 CASE WHEN t.place <> p.place THEN 'place' END) END AS differs,
       count(*), (array_agg(format('%s: ticket %s %s %s, c-f-js %s %s %s', t.cf, t.sex, t.birth, t.place,
                                   p.sex, p.birth, p.place) ORDER BY t.n))[1:2] AS examples
  FROM t JOIN peer_decode p USING (n)
 WHERE (t.sex, t.birth, t.place) IS DISTINCT FROM (p.sex, p.birth, p.place)
 GROUP BY 1 ORDER BY 2 DESC;
SELECT count(*) AS "decoded codes", count(*) FILTER (WHERE sex <> 'ERROR') AS "c-f-js decoded" FROM peer_decode;

\\echo 'encoding ($PEER_ROWS people): codes on which the two sides differ, by the part that differs and the input'
WITH t AS (
  SELECT id AS n, surname, given_name,
         ticket.fiscal_code_encode(surname, given_name, sex, birth_date, place)::text AS code
    FROM persons WHERE id <= $PEER_ROWS)
SELECT concat_ws(', ', CASE WHEN left(t.code, 3) <> left(p.code, 3) THEN 'surname part' END,
                       CASE WHEN substr(t.code, 4, 3) <> substr(p.code, 4, 3) THEN 'name part' END,
                       CASE WHEN substr(t.code, 7, 9) <> substr(p.code, 7, 9) THEN 'date or place' END) AS differs,
       concat_ws(', ', CASE WHEN t.surname ~ '[^ -~]' THEN 'non-ASCII surname' END,
                       CASE WHEN t.given_name ~ '[^ -~]' THEN 'non-ASCII given name' END) AS input,
       count(*), (array_agg(format('%s / %s: ticket %s, c-f-js %s', t.surname, t.given_name, t.code, p.code)
                            ORDER BY t.n))[1:2] AS examples
  FROM t JOIN peer_encode p USING (n)
 WHERE t.code IS DISTINCT FROM p.code
 GROUP BY 1, 2 ORDER BY 3 DESC;
SELECT count(*) AS "encoded people", count(*) FILTER (WHERE p.code = t.code) AS "same code"
  FROM peer_encode p JOIN (SELECT id AS n, ticket.fiscal_code_encode(surname, given_name, sex, birth_date, place)::text AS code FROM persons WHERE id <= $PEER_ROWS) t USING (n);
SQL
