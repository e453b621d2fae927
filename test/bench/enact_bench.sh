#!/usr/bin/env bash
# test/bench/enact_bench.sh: enacting a regime at the region's scale (issue
# 19) against a bare UPDATE of the same rows, and the what-if over a year.
#
#   bash test/bench/enact_bench.sh                        # the region
#   BENCH_CITIZENS=100000 bash test/bench/enact_bench.sh  # a quick one
#
# On a throwaway cluster (extension/bin/common.sh) it builds once, not
# measured but timed, a population of BENCH_CITIZENS citizens (default
# 4,480,000, Emilia-Romagna) as on 31 March 2020 with
# test/fixtures/population_2020.sql (per citizen 1.6 future unpaid bookings,
# service dates 2020-04-01 .. 2020-10-31, spread over the eight AUSL, and 0.4
# past paid ones), and checks that ticket.check_consistency() is empty.
# A login of ticket_rules_admin, as the rules administrator would, then
# drafts BENCH-2020-04-01 from ER-2019-01-01 (ticket.draft_regime), effective
# 2020-04-01, and changes its amounts (specialist cap 36.15 -> 38.00, QB and
# QM quota + 1.00, CT/MRI + 2.00).  The draft prices the unpaid bookings from
# 2020-04-01 to 2020-08-31 (ER-2020-09-01 follows); their bills under it,
# ticket.price_under as ticket.simulate prices them, are precomputed into
# bench.enact_bill.  Every measured run works on its own copy of that
# database (CREATE DATABASE ... TEMPLATE, STRATEGY FILE_COPY), its tables and
# indexes prewarmed and a CHECKPOINT just before the timing; BENCH_RUNS runs
# per side (default 3), alternating which side goes first, the last run's
# bare side first.  Unless the profile follows, the last run's ticket side
# works on the population itself, which nothing reads after it: at the
# region's size the disk cannot hold the population, a copy and an
# enactment at once (BENCH_RUNS=1 BENCH_PROFILE=0 then needs no copy while
# the enactment writes).
#
#   a. ticket:   as the ticket_rules_admin login, SELECT
#                ticket.enact_regime('BENCH-2020-04-01'): every trigger on
#                (booking_before_update per row, the audit and outbox
#                statement triggers), the audit rows and the band boxes of
#                the prescriptions written by enact.
#      baseline: one UPDATE cup.booking SET bill, priced_at FROM
#                bench.enact_bill (the same rows, the same bills,
#                precomputed), the user triggers of cup.booking disabled.
#      After every run both copies are fingerprinted (every booking: id,
#      bill, status, paid amount) and must be equal, the number of rows
#      written must be equal, and after every ticket run
#      ticket.check_consistency() must be empty.
#      Targets: ticket <= 5 min, ticket <= 3 x baseline.
#   b. ticket.simulate('BENCH-2020-04-01', '2019-11-01', '2020-10-31') as the
#      same login, on the ticket copy before the enactment: a full year of
#      the region's bookings (every live booking of the population).
#      Target: <= 5 min.
#
#   Then, unless BENCH_PROFILE=0, one more enactment on a fresh copy with
#   pg_stat_statements (track = all) and track_functions = all: where the
#   enactment's time goes, per nested statement and per function.
#
# Disk: the population takes about 5.6 GB per million citizens (25 GB for
# the region; the generator's own tables are dropped once it is built); one
# copy exists at a time besides it, and an enactment adds to it (DISK_GB_*
# below: the free disk is checked before building).  A missed target is
# reported, never an error.
set -euo pipefail
cd "$(dirname "$0")/../.."
source extension/bin/common.sh
source test/bench/lib.sh

CITIZENS=${BENCH_CITIZENS:-4480000}
RUNS=${BENCH_RUNS:-3}
PROFILE=${BENCH_PROFILE:-1}
# Disk per million citizens (GB), measured at 100,000 citizens (1.3 paired):
# the population 5.6, what an enactment adds (new booking versions, audit
# rows, events, its transition tables spilled to disk) 2.7, what the bare
# UPDATE adds 0.6; and fixed: the WAL up to max_wal_size and past it while a
# checkpoint runs.  The peak: the population, its copy and the side that
# runs on the copy; see the check below.
DISK_GB_POPULATION=5.6
DISK_GB_ENACT=2.7
DISK_GB_BARE=0.6
DISK_GB_FIXED=12
if ! [ "$CITIZENS" -ge 1000 ] 2>/dev/null || ! [ "$RUNS" -ge 1 ] 2>/dev/null; then
	bench_die "BENCH_CITIZENS must be >= 1000, BENCH_RUNS >= 1"
fi
if [ "$CITIZENS" -gt 5000000 ]; then
	bench_die "BENCH_CITIZENS at most 5000000 (the generated fiscal codes are distinct up to there)"
fi

# Sorts of a few million rows in the triggers' statements: memory as a
# region's server gives them.
bench_setup enact_bench work_mem=64MB maintenance_work_mem=1GB max_wal_size=8GB checkpoint_timeout=30min
# The disk a run needs, checked before the hour of building: the population,
# one copy, what an enactment adds to it (new booking versions, audit rows,
# the transition tables of its statement triggers spilled to disk) and the
# WAL up to max_wal_size.  At the region's size a run that started with 75 GB
# free filled the disk during its first enactment (issue 19).
# The ticket side works on a copy in every run but the last, and in the last
# one too when the profile follows.
last_in_place=$([ "$PROFILE" = 0 ] && echo 1 || echo 0)
no_copy_enacts=$([ "$RUNS" -eq 1 ] && [ "$last_in_place" = 1 ] && echo 1 || echo 0)
if [ "$no_copy_enacts" = 1 ]; then
	gb_per_million=$(awk -v p=$DISK_GB_POPULATION -v e=$DISK_GB_ENACT -v b=$DISK_GB_BARE \
		'BEGIN { print (2 * p + b > p + e) ? 2 * p + b : p + e }')
else
	gb_per_million=$(awk -v p=$DISK_GB_POPULATION -v e=$DISK_GB_ENACT 'BEGIN { print 2 * p + e }')
fi
need_gb=$(awk -v c="$CITIZENS" -v m="$gb_per_million" -v f=$DISK_GB_FIXED 'BEGIN { printf "%d", c / 1e6 * m + f + 0.999 }')
free_gb=$(df -P -B1G "$TICKET_CLUSTER_DIR" | awk 'NR == 2 { print $4 }')
if [ "$free_gb" -lt "$need_gb" ]; then
	fits=$(awk -v free="$free_gb" -v m="$gb_per_million" -v f=$DISK_GB_FIXED 'BEGIN { printf "%d", (free - f) * 1e6 / m }')
	bench_die "$CITIZENS citizens need about $need_gb GB free under $TICKET_CLUSTER_DIR, $free_gb GB are:" \
		"$([ "$fits" -ge 1000 ] && echo "set BENCH_CITIZENS to at most about $fits, or free disk" || echo "free disk")" \
		"$([ "$no_copy_enacts" = 1 ] || echo "(BENCH_RUNS=1 BENCH_PROFILE=0 needs less)")"
fi
POP=enact_bench
ADMIN=bench_rules_admin
REGIME=BENCH-2020-04-01
load=$(cut -d' ' -f1-3 /proc/loadavg)
"${PSQL[@]}" -f test/fixtures/birthplaces.sql >/dev/null || bench_die "loading the birthplace fixture failed"
"${PSQL[@]}" -c "CREATE ROLE $ADMIN LOGIN IN ROLE ticket_rules_admin" >/dev/null

citizens_h=$(printf "%'d" "$CITIZENS" 2>/dev/null || echo "$CITIZENS")
ticket_log "building the population of $citizens_h citizens (not measured)"
start=$(date +%s)
"${PSQL[@]}" -v citizens="$CITIZENS" -f test/fixtures/population_2020.sql >/dev/null || bench_die "building the population failed"
build_s=$(($(date +%s) - start))
ticket_log "population built in $build_s s; checking it with ticket.check_consistency()"
start=$(date +%s)
bad=$("${PSQL[@]}" -Atc "SELECT count(*) FROM ticket.check_consistency()")
[ "$bad" = 0 ] || bench_die "the population is inconsistent: $bad rows from ticket.check_consistency()"
check_s=$(($(date +%s) - start))

# The draft, as the rules administrator writes it, and the bills it gives.
psql -X -q -v ON_ERROR_STOP=1 -U "$ADMIN" -d "$POP" >/dev/null <<SQL || bench_die "drafting $REGIME failed"
SELECT ticket.draft_regime('ER-2019-01-01', '$REGIME', date '2020-04-01');
UPDATE ticket.regime SET specialist_cap = 38.00 WHERE regime_id = '$REGIME';
UPDATE ticket.regime_band SET quota = quota + 1.00, ct_mri = ct_mri + 2.00 WHERE regime_id = '$REGIME';
SQL
"${PSQL[@]}" >/dev/null <<SQL || bench_die "precomputing the bills of $REGIME failed"
SET search_path = public, ticket;
-- The generator's own tables (the network benchmarks read them, this one
-- does not): 15 % of the population's disk, and of every copy's.
DROP TABLE bench.pop, bench.rx, bench.residence, bench.batch_declaration, bench.batch_grant;
CREATE TABLE bench.enact_bill AS
SELECT b.booking_id, d AS bill
  FROM cup.booking b
  JOIN fse.prescription p ON p.nre = b.nre
 CROSS JOIN LATERAL ticket.citizen_status(b.fiscal_code, b.service_date) s
  LEFT JOIN LATERAL (SELECT rb.band FROM ticket.regime_band rb
                      WHERE rb.regime_id = '$REGIME'
                        AND (rb.band = s.declared_band OR s.declared_band = ANY (rb.replaces))
                      ORDER BY (rb.band = s.declared_band) DESC LIMIT 1) rb ON true
 CROSS JOIN LATERAL ticket.price_under('$REGIME', p.services, rb.band, s.exemptions, b.service_date) d
 WHERE b.status = 'booked' AND b.service_date >= date '2020-04-01' AND b.service_date < date '2020-09-01'
   AND b.bill IS DISTINCT FROM d
 ORDER BY b.booking_id;
ALTER TABLE bench.enact_bill ADD PRIMARY KEY (booking_id);
VACUUM (FREEZE, ANALYZE) bench.enact_bill, ticket.regime, ticket.regime_band, ticket.exemption_rule, ticket.audit_log;
CHECKPOINT;
SQL
read -r future_bookings past_bookings asls year_bookings to_reprice < <("${PSQL[@]}" -AtF ' ' -c "
	SELECT count(*) FILTER (WHERE status = 'booked'), count(*) FILTER (WHERE status <> 'booked'),
	       count(DISTINCT asl_code) FILTER (WHERE status = 'booked'),
	       count(*) FILTER (WHERE status <> 'cancelled' AND service_date BETWEEN '2019-11-01' AND '2020-10-31'),
	       (SELECT count(*) FROM bench.enact_bill)
	  FROM cup.booking")
db_size=$("${PSQL[@]}" -Atc "SELECT pg_size_pretty(pg_database_size(current_database()))")

PREWARM="SELECT count(pg_prewarm(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE n.nspname IN ('registry', 'fse', 'cup', 'ticket', 'bench') AND c.relkind IN ('r', 'i');"
# Every booking as the run leaves it: both sides must give the same.
FINGERPRINT="SELECT count(*), sum(hashtext(concat_ws('|', booking_id, bill, status, paid_amount)))
	FROM cup.booking;"
ENACT="SELECT ticket.enact_regime('$REGIME');"
BARE="UPDATE cup.booking b SET bill = x.bill, priced_at = now() FROM bench.enact_bill x
 WHERE b.booking_id = x.booking_id;"
SIMULATE="SELECT * FROM ticket.simulate('$REGIME', date '2019-11-01', date '2020-10-31');"

# side SIDE RUN [in_place]: the psql lines of one run of one side on a fresh
# copy, or on the population itself (in_place: nothing reads it after).
side() {
	local side=$1 run=$2 db=eb_run
	if [ "${3:-}" = in_place ]; then
		db=$POP
		printf '%s\n' "\\c $db postgres" "$PREWARM"
	else
		printf '%s\n' '\c postgres postgres' '\! createdb --strategy=file_copy -T '"$POP"' eb_run' \
			'\c eb_run postgres' "$PREWARM"
	fi
	if [ "$side" = bare ]; then
		printf '%s\n' 'ALTER TABLE cup.booking DISABLE TRIGGER USER;'
	fi
	printf '%s\n' 'CHECKPOINT;'
	if [ "$side" = ticket ]; then
		printf '%s\n' "\\c $db $ADMIN"
		bench_measure simulate "$run" "$SIMULATE"
		printf '%s\n' "\\o $BENCH_WORK/written.$side.$run"
		bench_measure "$side" "$run" "$ENACT"
	else
		printf '%s\n' "\\o $BENCH_WORK/written.$side.$run"
		bench_measure "$side" "$run" "$BARE"
		printf '%s\n' "SELECT count(*) FROM bench.enact_bill;"
	fi
	printf '%s\n' "\\c $db postgres" "\\o $BENCH_WORK/fingerprint.$side.$run" "$FINGERPRINT"
	if [ "$side" = ticket ]; then
		printf '%s\n' "\\o $BENCH_WORK/check.$run" "SELECT count(*) FROM ticket.check_consistency();"
	fi
	printf '%s\n' '\o /dev/null' '\c postgres postgres'
	[ "$db" = "$POP" ] || printf '%s\n' '\! dropdb eb_run'
}
script=$BENCH_WORK/enact.sql
{
	printf '%s\n' '\pset format unaligned' '\pset tuples_only on'
	for run in $(seq 1 "$RUNS"); do
		if [ $(((RUNS - run) % 2)) -eq 0 ]; then
			side bare "$run"
			side ticket "$run" $([ "$run" = "$RUNS" ] && [ "$last_in_place" = 1 ] && echo in_place)
		else
			side ticket "$run"; side bare "$run"
		fi
	done
} >"$script"
ticket_log "$RUNS run(s) of each side, each on a fresh copy ($to_reprice bookings to re-price)"
bench_run "$script" $((RUNS * 3))
for run in $(seq 1 "$RUNS"); do
	cmp -s "$BENCH_WORK/written.ticket.$run" "$BENCH_WORK/written.bare.$run" ||
		bench_die "run $run: enact_regime re-priced $(cat "$BENCH_WORK/written.ticket.$run") bookings, the bare side $(cat "$BENCH_WORK/written.bare.$run")"
	cmp -s "$BENCH_WORK/fingerprint.ticket.$run" "$BENCH_WORK/fingerprint.bare.$run" ||
		bench_die "run $run: the bookings after the enactment differ from the bare side's:
$(cat "$BENCH_WORK/fingerprint.ticket.$run") vs $(cat "$BENCH_WORK/fingerprint.bare.$run")"
	[ "$(cat "$BENCH_WORK/check.$run")" = 0 ] ||
		bench_die "run $run: after the enactment, $(cat "$BENCH_WORK/check.$run") rows from ticket.check_consistency()"
done

# --- the profile --------------------------------------------------------------

profile_out=$BENCH_WORK/profile
: >"$profile_out"
if [ "$PROFILE" = 1 ]; then
	ticket_log "profile: one more enactment with pg_stat_statements (track = all), track_functions = all"
	"${PSQL[@]}" -qc "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'"
	ticket_cluster_restart || bench_die "restarting the cluster with pg_stat_statements failed"
	createdb --strategy=file_copy -T "$POP" eb_profile || bench_die "copying the population failed"
	# (both superuser settings: for the database, the login cannot set them)
	psql -X -q -v ON_ERROR_STOP=1 -d eb_profile >/dev/null <<SQL
CREATE EXTENSION pg_stat_statements;
ALTER DATABASE eb_profile SET pg_stat_statements.track = 'all';
ALTER DATABASE eb_profile SET track_functions = 'all';
$PREWARM
CHECKPOINT;
SELECT pg_stat_statements_reset();
SQL
	psql -X -q -v ON_ERROR_STOP=1 -U "$ADMIN" -d eb_profile -c "$ENACT" >/dev/null
	psql -X -v ON_ERROR_STOP=1 -d eb_profile >"$profile_out" <<'SQL'
\pset footer off
\echo 'Nested statements of the enactment by total time (pg_stat_statements, track = all; a statement''s time includes the statements and triggers it runs):'
SELECT round(s.total_exec_time)::bigint AS total_ms, s.calls, round(s.mean_exec_time::numeric, 3) AS mean_ms, s.rows,
       left(regexp_replace(s.query, '\s+', ' ', 'g'), 150) AS statement
  FROM pg_stat_statements s
 WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
   AND s.query !~* '^(BEGIN|COMMIT|SET|SELECT pg_stat_statements_reset)'
 ORDER BY s.total_exec_time DESC LIMIT 15;
\echo 'Functions by self time (track_functions = all):'
SELECT f.schemaname || '.' || f.funcname AS function, f.calls, round(f.total_time)::bigint AS total_ms,
       round(f.self_time)::bigint AS self_ms
  FROM pg_stat_user_functions f ORDER BY f.self_time DESC LIMIT 15;
SQL
	dropdb eb_profile
fi

# --- the results --------------------------------------------------------------

# secs KEY: the measured runs of KEY in seconds, one per line.
secs() { awk -v k="$1" '$1 == k { printf "%.2f\n", $3 / 1000 }' "$BENCH_WORK/times"; }
median_s() { bench_median "$1" | awk '{ printf "%.2f", $1 / 1000 }'; }
min_s() { secs "$1" | sort -g | head -n 1; }
t_med=$(median_s ticket)
b_med=$(median_s bare)
s_med=$(median_s simulate)
future_h=$(printf "%'d" "$future_bookings" 2>/dev/null || echo "$future_bookings")
reprice_h=$(printf "%'d" "$to_reprice" 2>/dev/null || echo "$to_reprice")
year_h=$(printf "%'d" "$year_bookings" 2>/dev/null || echo "$year_bookings")
label_a="a. enact a regime: $reprice_h unpaid bookings re-priced (ticket.enact_regime) vs one bare UPDATE of the same rows (s)"
label_a2="a. enact a regime, absolute (s)"
label_b="b. ticket.simulate over a year: $year_h bookings (s)"
width=$(bench_width "$label_a" "$label_a2" "$label_b" measure)
cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
echo
echo "ticket enactment benchmark: $citizens_h citizens, $future_h future unpaid bookings over $asls AUSL," \
	"$past_bookings past paid ones (database $db_size); median of $RUNS runs per side"
echo "date:       $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "nproc:      $(nproc), memory $(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
echo "CPU:        ${cpu:-unknown}"
echo "load:       $load (1, 5, 15 min) at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
echo "PostgreSQL: $("${PSQL[@]}" -Atc 'SELECT version()')"
bench_code
echo "settings:   $("${PSQL[@]}" -Atc "SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name)
	FROM pg_settings WHERE name IN ('jit', 'max_parallel_workers_per_gather', 'shared_buffers', 'work_mem', 'fsync')")"
echo "population: built in $build_s s, checked (ticket.check_consistency(), empty) in $check_s s"
echo
printf '| %-*s | %9s | %9s | %6s | %-7s | %-4s |\n' "$width" measure ticket baseline ratio target "met?"
printf '|-%s-|----------:|----------:|-------:|---------|------|\n' "$(printf '%*s' "$width" '' | tr ' ' -)"
awk -v w="$width" -v label="$label_a" -v t="$t_med" -v b="$b_med" 'BEGIN {
	printf "| %-*s | %9.2f | %9.2f | %6.2f | %-7s | %-4s |\n", w, label, t, b, t / b, "<= 3", (t / b <= 3 ? "yes" : "no") }'
awk -v w="$width" -v label="$label_a2" -v t="$t_med" 'BEGIN {
	printf "| %-*s | %9.2f | %9s | %6s | %-7s | %-4s |\n", w, label, t, "", "", "<= 300", (t <= 300 ? "yes" : "no") }'
awk -v w="$width" -v label="$label_b" -v t="$s_med" 'BEGIN {
	printf "| %-*s | %9.2f | %9s | %6s | %-7s | %-4s |\n", w, label, t, "", "", "<= 300", (t <= 300 ? "yes" : "no") }'
echo
# shellcheck disable=SC2046
bench_stats "ticket.enact_regime (s)" $(secs ticket)
# shellcheck disable=SC2046
bench_stats "bare UPDATE (s)" $(secs bare)
# shellcheck disable=SC2046
bench_stats "ticket.simulate, a year (s)" $(secs simulate)
awk -v t="$t_med" -v b="$b_med" -v tf="$(min_s ticket)" -v bf="$(min_s bare)" 'BEGIN {
	printf "ratio ticket / bare: median %.2f, fastest vs fastest %.2f\n", t / b, tf / bf }'
echo "per run: ticket [$(secs ticket | tr '\n' ' ' | sed 's/ $//')], bare [$(secs bare | tr '\n' ' ' | sed 's/ $//')]," \
	"simulate [$(secs simulate | tr '\n' ' ' | sed 's/ $//')] s"
echo "every run: the $reprice_h bookings re-priced by each side, every booking equal on both sides" \
	"(id, bill, status, paid amount), ticket.check_consistency() empty after the enactment"
if [ -s "$profile_out" ]; then
	echo
	echo "profile of the enactment (one extra run, instrumented; not the timed runs):"
	cat "$profile_out"
fi
