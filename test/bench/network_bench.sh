#!/usr/bin/env bash
# test/bench/network_bench.sh: cost of the network's triggers (issue 4)
# against the bare writes of the same rows.
#
#   bash test/bench/network_bench.sh
#   BENCH_CITIZENS=1000000 bash test/bench/network_bench.sh
#
# On a throwaway cluster (extension/bin/common.sh) it builds once, not
# measured, a population of BENCH_CITIZENS citizens (default 100,000) as on
# 31 March 2020 (test/fixtures/population_2020.sql: two declarations each,
# 1.6 future unpaid bookings and 0.4 past paid ones per citizen, exemption
# grants, FSE profiles and events), freezes it, and checks that
# ticket.check_consistency() is empty (BENCH_CHECK=0 skips that check).  Every measured side then runs on its own copy
# of that database (CREATE DATABASE ... TEMPLATE, STRATEGY FILE_COPY), with
# its tables and indexes prewarmed and a CHECKPOINT just before the timing.
#
#   a. Booking transactions (pgbench -n -M prepared -c 4 -j 2 -T
#      BENCH_PGBENCH_SECONDS, default 15; BENCH_PGBENCH_ROUNDS rounds, default
#      3, alternating the sides, the median TPS reported).
#      ticket:   network/book_ticket.pgbench: the INSERT of a prescription and
#                of its booking in one transaction, every trigger on (citizen
#                locks, boxes, pricing, outbox event and NOTIFY).
#      baseline: network/book_bare.pgbench: the same inserts into the same
#                tables -- prescription, booking, outbox event -- with the
#                user triggers of fse.prescription, cup.booking and
#                ticket.event disabled; boxes, maximum wait and bill are the
#                values the triggers compute, precomputed per citizen.
#      After the runs the rows the ticket side wrote are checked equal to
#      what the bare side writes.  Target: ticket TPS >= 0.75 x bare TPS.
#
#   b. The yearly batch of 1 April 2020: a band for every citizen from the
#      Revenue Agency (20 % of them a different band) and an income
#      exemption E01-E04 for 10 %, BENCH_RUNS runs of each side (default 3,
#      alternating which goes first), median of the totals.
#      ticket:   in one transaction, INSERT ... SELECT of the N declarations
#                (channel revenue_agency, applies_from 2020-04-01) and
#                INSERT ... SELECT of the grants, every trigger on: each
#                declaration closes the previous one, and propagation
#                refreshes the FSE profiles, re-prices the unpaid bookings
#                from 1 April, writes FSE and outbox events.
#      baseline: what any correct registry must write for the same batch,
#                with the user triggers of registry.declaration and
#                registry.exemption_grant disabled and no propagation: one
#                UPDATE closing the open declarations (valid_until =
#                2020-04-01; the exclusion constraint declaration_no_overlap
#                forbids two open ones), the same INSERT of the declarations,
#                the same INSERT of the grants (their range given in full, as
#                the ticket side gives it).  Indexes and constraints are the
#                same on both sides.
#      Timed: each statement and the COMMIT, summed per run.  After each run
#      the registry rows of the two sides are compared (they must be equal),
#      and after every ticket run ticket.check_consistency() must be empty
#      (when the check is on; not timed).  Target: ticket time <= 2 x baseline
#      (issue 19; it was 3).
#
#   Then, unless BENCH_PROFILE=0, one more ticket batch on a fresh copy with
#   pg_stat_statements (track = all) and track_functions = pl: where the
#   batch time goes, per nested statement and per function.
#
# A missed target is reported, never an error.
set -euo pipefail
cd "$(dirname "$0")/../.."
source extension/bin/common.sh
source test/bench/lib.sh

CITIZENS=${BENCH_CITIZENS:-100000}
RUNS=${BENCH_RUNS:-3}
PGB_SECONDS=${BENCH_PGBENCH_SECONDS:-15}
PGB_ROUNDS=${BENCH_PGBENCH_ROUNDS:-3}
PROFILE=${BENCH_PROFILE:-1}
NET=test/bench/network
if ! [ "$CITIZENS" -ge 100 ] 2>/dev/null || ! [ "$RUNS" -ge 1 ] 2>/dev/null ||
	! [ "$PGB_SECONDS" -ge 1 ] 2>/dev/null || ! [ "$PGB_ROUNDS" -ge 1 ] 2>/dev/null; then
	bench_die "BENCH_CITIZENS must be >= 100; BENCH_RUNS, BENCH_PGBENCH_SECONDS, BENCH_PGBENCH_ROUNDS >= 1"
fi
if [ "$CITIZENS" -gt 5000000 ]; then
	bench_die "BENCH_CITIZENS at most 5000000 (the generated fiscal codes are distinct up to there)"
fi
# ticket.check_consistency() takes minutes at millions of citizens (280 s
# at the region's 4.48 million, README): BENCH_CHECK=0 skips it.
CHECK=${BENCH_CHECK:-1}
command -v pgbench >/dev/null || bench_die "pgbench is missing (postgresql-client-$TICKET_PG_MAJOR)"

bench_setup ticket_bench
POP=ticket_bench
"${PSQL[@]}" -f test/fixtures/birthplaces.sql >/dev/null || bench_die "loading the birthplace fixture failed"

citizens_h=$(printf "%'d" "$CITIZENS" 2>/dev/null || echo "$CITIZENS")
ticket_log "building the population of $citizens_h citizens (not measured)"
start=$(date +%s)
"${PSQL[@]}" -v citizens="$CITIZENS" -f test/fixtures/population_2020.sql >/dev/null || bench_die "building the population failed"
ticket_log "population built in $(($(date +%s) - start)) s"
if [ "$CHECK" = 1 ]; then
	ticket_log "checking the population with ticket.check_consistency()"
	bad=$("${PSQL[@]}" -Atc "SELECT count(*) FROM ticket.check_consistency()")
	[ "$bad" = 0 ] || bench_die "the population is inconsistent: $bad rows from ticket.check_consistency()"
fi
read -r future_bookings past_bookings batch_changed batch_grants < <("${PSQL[@]}" -AtF ' ' -c "
	SET search_path = public, ticket;
	SELECT count(*) FILTER (WHERE status = 'booked'), count(*) FILTER (WHERE status <> 'booked'),
	       (SELECT count(*) FROM bench.batch_declaration b JOIN bench.pop p USING (i) WHERE b.band <> p.old_band),
	       (SELECT count(*) FROM bench.batch_grant)
	  FROM cup.booking")
db_size=$("${PSQL[@]}" -Atc "SELECT pg_size_pretty(pg_database_size(current_database()))")

# SQL run in a fresh copy before anything is timed: every table and index of
# the network in shared buffers (as far as they fit), then a checkpoint.
PREWARM="SELECT count(pg_prewarm(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE n.nspname IN ('registry', 'fse', 'cup', 'ticket', 'bench') AND c.relkind IN ('r', 'i');"
# The registry as the batch leaves it: both sides must give the same.
FINGERPRINT="SELECT count(*), sum(hashtext(concat_ws('|', fiscal_code, band, declarant, channel, operator,
	signed_at, applies_from, valid_until, income_year))) FROM registry.declaration
	UNION ALL SELECT count(*), sum(hashtext(concat_ws('|', fiscal_code, exemption, valid, source, granted_at,
	revoked_on))) FROM registry.exemption_grant;"

copy_db() {
	createdb --strategy=file_copy -T "$POP" "$1" || bench_die "copying the population into $1 failed"
}

# --- a. booking transactions ------------------------------------------------

ticket_log "a. booking transactions: $PGB_ROUNDS round(s) of pgbench -T $PGB_SECONDS per side"
copy_db nb_tps_ticket
copy_db nb_tps_bare
psql -X -q -v ON_ERROR_STOP=1 -d nb_tps_bare -c 'ALTER TABLE fse.prescription DISABLE TRIGGER USER' \
	-c 'ALTER TABLE cup.booking DISABLE TRIGGER USER' -c 'ALTER TABLE ticket.event DISABLE TRIGGER USER' >/dev/null
for db in nb_tps_ticket nb_tps_bare; do
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "$PREWARM" >/dev/null
done
: >"$BENCH_WORK/tps"
pgbench_side() { # pgbench_side SIDE ROUND
	local side=$1 db=nb_tps_$1 script=$NET/book_$1.pgbench out tps lat
	[ "$side" = ticket ] || [ "$side" = bare ] || bench_die "unknown side $side"
	psql -X -q -d "$db" -c CHECKPOINT
	out=$(pgbench -n -M prepared -c 4 -j 2 -T "$PGB_SECONDS" -D citizens="$CITIZENS" -f "$script" "$db" 2>&1) ||
		{ printf '%s\n' "$out" | tail -n 20 >&2; bench_die "pgbench $side failed"; }
	tps=$(printf '%s\n' "$out" | awk '/^tps = / { print $3; exit }')
	lat=$(printf '%s\n' "$out" | awk '/^latency average = / { print $4; exit }')
	printf '%s\n' "$out" | grep -q '^number of failed transactions: 0 ' ||
		{ printf '%s\n' "$out" >&2; bench_die "pgbench $side had failed transactions"; }
	[ -n "$tps" ] || { printf '%s\n' "$out" >&2; bench_die "no tps in the pgbench $side output"; }
	echo "$side $2 $tps $lat" >>"$BENCH_WORK/tps"
}
for round in $(seq 1 "$PGB_ROUNDS"); do
	if [ $((round % 2)) -eq 1 ]; then
		pgbench_side ticket "$round"; pgbench_side bare "$round"
	else
		pgbench_side bare "$round"; pgbench_side ticket "$round"
	fi
done
# The ticket side wrote what the bare side writes: boxes, wait, ASL, bill.
read -r a_rows a_diff < <(psql -X -q -At -F ' ' -v ON_ERROR_STOP=1 -d nb_tps_ticket -c "
	SET search_path = public, ticket;
	SELECT count(*), count(*) FILTER (WHERE b.bill IS DISTINCT FROM p.bill OR b.asl_code <> p.asl
	           OR b.status <> 'booked' OR r.band IS DISTINCT FROM p.rx_band
	           OR r.exemptions IS DISTINCT FROM p.rx_exemptions OR r.max_wait_days IS DISTINCT FROM 60
	           OR r.gp_code <> p.gp_code)
	  FROM cup.booking b JOIN fse.prescription r ON r.nre = b.nre
	  JOIN bench.pop p ON p.fiscal_code = b.fiscal_code
	 WHERE b.nre LIKE '080B%'" | tail -n 1)
[ "$a_diff" = 0 ] || bench_die "$a_diff of $a_rows bookings written by the ticket side differ from the bare rows"
if [ "$CHECK" = 1 ]; then
	bad=$(psql -X -At -d nb_tps_ticket -c "SELECT count(*) FROM ticket.check_consistency()")
	[ "$bad" = 0 ] || bench_die "after the booking transactions: $bad rows from ticket.check_consistency()"
fi
dropdb nb_tps_ticket
dropdb nb_tps_bare

# --- b. the yearly batch ----------------------------------------------------

DECLARE_BATCH="INSERT INTO registry.declaration (fiscal_code, band, declarant, channel, signed_at, applies_from,
	                                  income_year)
SELECT b.fiscal_code, b.band, b.fiscal_code, 'revenue_agency', timestamptz '2020-03-31 02:00+02',
       date '2020-04-01', 2019
  FROM bench.batch_declaration b ORDER BY b.i;"
GRANT_BATCH="INSERT INTO registry.exemption_grant (fiscal_code, exemption, valid, source, granted_at)
SELECT b.fiscal_code, b.exemption, daterange('2020-04-01', '2021-04-01'),
       CASE WHEN b.exemption::text = 'E02' THEN 'self_certification' ELSE 'mef_list' END,
       timestamptz '2020-03-31 03:00+02'
  FROM bench.batch_grant b ORDER BY b.i;"
CLOSE_CURRENT="UPDATE registry.declaration d SET valid_until = date '2020-04-01'
  FROM bench.batch_declaration b
 WHERE d.fiscal_code = b.fiscal_code AND d.valid_until IS NULL;"

# batch_side SIDE RUN: the psql lines of one run of one side on a fresh copy.
batch_side() {
	local side=$1 run=$2
	printf '%s\n' '\c postgres' '\! createdb --strategy=file_copy -T '"$POP"' nb_batch' '\c nb_batch' \
		'SET search_path = public, ticket;'
	printf '%s\n' "$PREWARM"
	if [ "$side" = base ]; then
		printf '%s\n' 'ALTER TABLE registry.declaration DISABLE TRIGGER USER;' \
			'ALTER TABLE registry.exemption_grant DISABLE TRIGGER USER;'
	fi
	printf '%s\n' 'CHECKPOINT;' 'BEGIN;'
	if [ "$side" = base ]; then
		bench_measure "${side}_close" "$run" "$CLOSE_CURRENT"
	fi
	bench_measure "${side}_declarations" "$run" "$DECLARE_BATCH"
	bench_measure "${side}_grants" "$run" "$GRANT_BATCH"
	bench_measure "${side}_commit" "$run" "COMMIT;"
	printf '%s\n' "\\o $BENCH_WORK/fingerprint.$side.$run" "$FINGERPRINT"
	if [ "$side" = ticket ] && [ "$run" = 1 ]; then
		printf '%s\n' "\\o $BENCH_WORK/batch_effects" \
			"SELECT count(*) FROM ticket.event WHERE kind = 'repriced';"
	fi
	if [ "$side" = ticket ] && [ "$CHECK" = 1 ]; then
		printf '%s\n' "\\o $BENCH_WORK/batch_check.$run" "SELECT count(*) FROM ticket.check_consistency();"
	fi
	printf '%s\n' '\o /dev/null' '\c postgres' '\! dropdb nb_batch'
}
script=$BENCH_WORK/batch.sql
{
	printf '%s\n' '\pset format unaligned' '\pset tuples_only on'
	for run in $(seq 1 "$RUNS"); do
		if [ $((run % 2)) -eq 1 ]; then
			batch_side ticket "$run"; batch_side base "$run"
		else
			batch_side base "$run"; batch_side ticket "$run"
		fi
	done
} >"$script"
ticket_log "b. the yearly batch: $RUNS run(s) of each side, each on a fresh copy"
bench_run "$script" $((RUNS * 7))
for run in $(seq 1 "$RUNS"); do
	cmp -s "$BENCH_WORK/fingerprint.ticket.$run" "$BENCH_WORK/fingerprint.base.$run" ||
		bench_die "run $run: the registry after the ticket batch differs from the baseline's:
$(cat "$BENCH_WORK/fingerprint.ticket.$run") vs $(cat "$BENCH_WORK/fingerprint.base.$run")"
done
if [ "$CHECK" = 1 ]; then
	for run in $(seq 1 "$RUNS"); do
		[ "$(cat "$BENCH_WORK/batch_check.$run")" = 0 ] ||
			bench_die "after ticket batch run $run: $(cat "$BENCH_WORK/batch_check.$run") rows from ticket.check_consistency()"
	done
fi
repriced=$(cat "$BENCH_WORK/batch_effects")

# side_totals SIDE: the total ms of each run of a side, one a line.
side_totals() {
	awk -v p="$1_" 'index($1, p) == 1 { s[$2] += $3 } END { for (r in s) print s[r] }' "$BENCH_WORK/times"
}
median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.1f", v[(NR + 1) / 2];
	                                    else printf "%.1f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# step_median KEY: median of one timed statement, in seconds.
step_s() { awk -v v="$(bench_median "$1")" 'BEGIN { printf "%.2f", v / 1000 }'; }
b_t=$(side_totals ticket | median)
b_b=$(side_totals base | median)

# --- the profile --------------------------------------------------------------

profile_out=$BENCH_WORK/profile
: >"$profile_out"
if [ "$PROFILE" = 1 ]; then
	ticket_log "profile: one more ticket batch with pg_stat_statements (track = all)"
	"${PSQL[@]}" -qc "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'"
	ticket_cluster_restart ||
		bench_die "restarting the cluster with pg_stat_statements failed"
	copy_db nb_profile
	psql -X -q -v ON_ERROR_STOP=1 -d nb_profile >/dev/null <<SQL
CREATE EXTENSION pg_stat_statements;
$PREWARM
CHECKPOINT;
SELECT pg_stat_statements_reset();
SET pg_stat_statements.track = 'all';
SET track_functions = 'pl';
BEGIN;
$DECLARE_BATCH
$GRANT_BATCH
COMMIT;
SQL
	# a new session: the first one flushed its function statistics on exit
	psql -X -v ON_ERROR_STOP=1 -d nb_profile >"$profile_out" <<'SQL'
\pset footer off
\echo 'Nested statements of the ticket batch by total time (pg_stat_statements, track = all; a statement''s time includes the statements it runs):'
SELECT round(s.total_exec_time)::bigint AS total_ms, s.calls, round(s.mean_exec_time::numeric, 3) AS mean_ms, s.rows,
       left(regexp_replace(s.query, '\s+', ' ', 'g'), 150) AS statement
  FROM pg_stat_statements s
 WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
   AND s.query !~* '^(BEGIN|COMMIT|SET|SELECT pg_stat_statements_reset)'
 ORDER BY s.total_exec_time DESC LIMIT 20;
\echo 'Functions by self time (track_functions = pl):'
SELECT f.schemaname || '.' || f.funcname AS function, f.calls, round(f.total_time)::bigint AS total_ms,
       round(f.self_time)::bigint AS self_ms
  FROM pg_stat_user_functions f ORDER BY f.self_time DESC LIMIT 12;
SQL
	dropdb nb_profile
fi

# --- the table ----------------------------------------------------------------

# Medians of the rounds (this machine's TPS swings by 15 % from run to run).
a_t=$(awk '$1 == "ticket" { print $3 }' "$BENCH_WORK/tps" | median)
a_b=$(awk '$1 == "bare" { print $3 }' "$BENCH_WORK/tps" | median)
a_tl=$(awk '$1 == "ticket" { print $4 }' "$BENCH_WORK/tps" | median)
a_bl=$(awk '$1 == "bare" { print $4 }' "$BENCH_WORK/tps" | median)
future_h=$(printf "%'d" "$future_bookings" 2>/dev/null || echo "$future_bookings")
label_a="a. booking transactions/s: prescription + booking (+ pricing, event) with all triggers vs the same inserts bare (pgbench -c 4 -j 2, median of ${PGB_ROUNDS}x${PGB_SECONDS} s)"
label_b="b. yearly batch 1 April, $citizens_h citizens, $future_h future unpaid bookings (s)"
width=$(bench_width "$label_a" "$label_b" measure)
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
echo
echo "ticket network benchmark: $citizens_h citizens (database $db_size), pgbench ${PGB_ROUNDS}x${PGB_SECONDS} s per side, batch median of $RUNS runs"
echo "date:       $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "nproc:      $(nproc)"
echo "CPU:        ${cpu:-unknown}"
echo "PostgreSQL: $("${PSQL[@]}" -Atc 'SELECT version()')"
bench_code
echo "settings:   $("${PSQL[@]}" -Atc "SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name)
	FROM pg_settings WHERE name IN ('jit', 'max_parallel_workers_per_gather', 'shared_buffers', 'fsync')")"
echo
printf '| %-*s | %9s | %9s | %6s | %-7s | %-4s |\n' "$width" measure ticket baseline ratio target "met?"
printf '|-%s-|----------:|----------:|-------:|---------|------|\n' "$(printf '%*s' "$width" '' | tr ' ' -)"
awk -v w="$width" -v label="$label_a" -v t="$a_t" -v b="$a_b" 'BEGIN {
	printf "| %-*s | %9.1f | %9.1f | %6.2f | %-7s | %-4s |\n", w, label, t, b, t / b, ">= 0.75", (t / b >= 0.75 ? "yes" : "no") }'
awk -v w="$width" -v label="$label_b" -v t="$b_t" -v b="$b_b" 'BEGIN {
	printf "| %-*s | %9.2f | %9.2f | %6.2f | %-7s | %-4s |\n", w, label, t / 1000, b / 1000, t / b, "<= 2", (t / b <= 2 ? "yes" : "no") }'
echo
tps_of() { awk -v s="$1" '$1 == s { printf "%s%s", sep, $3; sep = " " }' "$BENCH_WORK/tps"; }
echo "min / median / max of the runs:"
bench_stats "a. ticket TPS" $(tps_of ticket)
bench_stats "a. bare TPS" $(tps_of bare)
bench_ratios "a. ratio ticket / bare TPS" tps "$(tps_of ticket)" "$(tps_of bare)"
echo "   latency (median of the rounds): ticket $a_tl ms, bare $a_bl ms"
echo "   the $a_rows bookings the ticket side wrote equal the bare rows (boxes, wait, ASL, bill)"
secs_of() { side_totals "$1" | awk '{ printf "%s%.2f", s, $1 / 1000; s = " " }'; }
bench_stats "b. ticket batch (s)" $(secs_of ticket)
bench_stats "b. baseline batch (s)" $(secs_of base)
bench_ratios "b. ratio ticket / baseline" le "$(secs_of ticket)" "$(secs_of base)"
# The sides of a run ran one after the other: the ratio within each run is
# the least exposed to the load of a shared machine.
bench_stats "b. ratio ticket / baseline within each run" $(awk '
	{ split($1, k, "_"); s[k[1], $2] += $3; runs[$2] = 1 }
	END { for (r in runs) printf "%.2f\n", s["ticket", r] / s["base", r] }' "$BENCH_WORK/times")
echo "   ticket median steps (s): declarations $(step_s ticket_declarations), grants $(step_s ticket_grants)," \
	"commit $(step_s ticket_commit)"
echo "   baseline median steps (s): close $(step_s base_close), declarations $(step_s base_declarations)," \
	"grants $(step_s base_grants), commit $(step_s base_commit)"
echo "   batch: $citizens_h declarations ($batch_changed with a new band), $batch_grants grants;" \
	"$repriced unpaid bookings re-priced; $past_bookings past paid bookings untouched;" \
	"registry rows equal on both sides$([ "$CHECK" = 1 ] && echo '; check_consistency() empty after every ticket run')"
if [ -s "$profile_out" ]; then
	echo
	echo "profile of the ticket batch (one extra run, instrumented; not the timed runs):"
	cat "$profile_out"
fi
