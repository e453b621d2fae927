# test/bench/lib.sh: what every benchmark under test/bench shares.  Source it
# after extension/bin/common.sh; it defines functions only.
#
# A benchmark writes one psql script in which each measured statement is
# preceded by `bench_measure KEY RUN SQL` (run 0 is the warm-up), runs it with
# bench_run, then reads medians with bench_median KEY and prints its table
# with bench_header and bench_row, and the spread of every side's runs with
# bench_stats and bench_ratios (min, median and max, so that a noisy figure
# shows as noisy; test/bench/run-all collects those lines too).  Benchmarks
# print figures, never fail on a missed target, and exit non-zero only on
# errors.

bench_die() {
	echo "$(basename "$0"): error: $*" >&2
	exit 1
}

# bench_measure KEY RUN SQL: one measured statement of the psql script.
bench_measure() { printf '\\echo @@ %s %s\n%s\n' "$1" "$2" "$3"; }

# bench_run SCRIPT EXPECTED_TIMINGS: run the script with \timing and collect
# "key run ms" lines in $BENCH_WORK/times.
bench_run() {
	local script=$1 expected=$2
	{
		printf '%s\n' '\timing on' '\o /dev/null'
		cat "$script"
	} >"$script.timed"
	if ! "${PSQL[@]}" -f "$script.timed" >"$BENCH_WORK/measure.out"; then
		tail -n 5 "$BENCH_WORK/measure.out" >&2
		bench_die "a measured statement failed"
	fi
	awk '
		/^@@ / { key = $2; run = $3; next }
		/^Time: / { if (key != "") { print key, run, $2; key = "" } }
	' "$BENCH_WORK/measure.out" >"$BENCH_WORK/times"
	if [ "$(wc -l <"$BENCH_WORK/times")" -ne "$expected" ]; then
		tail -n 20 "$BENCH_WORK/measure.out" >&2
		bench_die "expected $expected timings in the psql output, found $(wc -l <"$BENCH_WORK/times")"
	fi
}

# bench_median KEY: median of the measured runs (run 0, the warm-up, left out).
bench_median() {
	awk -v k="$1" '$1 == k && $2 > 0 { print $3 }' "$BENCH_WORK/times" | sort -g |
		awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.1f", v[(NR + 1) / 2];
		                          else printf "%.1f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# bench_runs_of KEY: the measured runs, rounded, space-separated.
bench_runs_of() {
	awk -v k="$1" '$1 == k && $2 > 0 { printf "%s%.0f", sep, $3; sep = " " }' "$BENCH_WORK/times"
}

# bench_scaled FACTOR VALUE...: each value times FACTOR, space-separated.
bench_scaled() {
	local factor=$1
	shift
	awk -v f="$factor" -v v="$*" 'BEGIN { n = split(v, a, " "); for (i = 1; i <= n; i++) printf "%s%s", (i > 1 ? " " : ""), a[i] * f }'
}

# bench_values KEY: the measured runs as timed, space-separated (for
# bench_stats and bench_ratios).
bench_values() {
	awk -v k="$1" '$1 == k && $2 > 0 { printf "%s%s", sep, $3; sep = " " }' "$BENCH_WORK/times"
}

# bench_ratios LABEL MODE "TICKET VALUES" "BASELINE VALUES": the ratio of the
# medians and, so that noise shows, of the fastest runs and of the slowest
# (MODE le: ticket / baseline, lower is better; ge: baseline / ticket, a
# speed-up; tps: ticket / baseline of throughputs, higher is better).
bench_ratios() {
	awk -v label="$1" -v mode="$2" -v t="$3" -v b="$4" '
		function sorted(s, v,    n, i, j, x) {
			n = split(s, v, " ")
			for (i = 2; i <= n; i++) { x = v[i] + 0; for (j = i - 1; j >= 1 && v[j] + 0 > x; j--) v[j + 1] = v[j]; v[j + 1] = x }
			return n
		}
		function med(v, n) { return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }
		function r(x, y) { return mode == "ge" ? y / x : x / y }
		BEGIN {
			nt = sorted(t, tv); nb = sorted(b, bv)
			if (nt == 0 || nb == 0) { printf "%s: no runs\n", label; exit }
			f = mode == "ge" ? "%.0fx" : "%.2f"
			printf "%s: median " f ", fastest vs fastest " f ", slowest vs slowest " f "\n", label,
				r(med(tv, nt), med(bv, nb)), r(tv[mode == "tps" ? nt : 1], bv[mode == "tps" ? nb : 1]),
				r(tv[mode == "tps" ? 1 : nt], bv[mode == "tps" ? 1 : nb])
		}'
}

# bench_code: which code a benchmark measures.  The scripts measure the
# installed extension (they do not install it): this line says whether the
# installed install script is the one this checkout assembles, so a
# comparison of two commits cannot measure the same code twice unnoticed
# (make install in each checkout first).
bench_code() {
	local version installed commit
	version=$("${PSQL[@]}" -Atc "SELECT extversion FROM pg_extension WHERE extname = 'ticket'")
	installed="$("${PG_CONFIG:-pg_config}" --sharedir)/extension/ticket--$version.sql"
	commit=$(git rev-parse --short HEAD 2>/dev/null || echo 'no git')
	if cmp -s "$installed" <(bash extension/sql/assemble "$version" 2>/dev/null); then
		echo "code:       ticket $version installed from this checkout ($commit: the same install script)"
	else
		echo "code:       ticket $version installed, NOT this checkout's ($commit): its install script differs; make install here first"
	fi
}

# bench_header TITLE WIDTH [UNIT]: machine, date, settings, and the table
# header (UNIT of the two figures: ms unless told, e.g. ns per code).
bench_header() {
	local cpu settings unit=${3:-ms}
	cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
	[ -n "$cpu" ] || cpu=$(lscpu 2>/dev/null | awk -F': *' '/^Model name/ { print $2; exit }')
	[ -n "$cpu" ] || cpu=unknown
	settings=$("${PSQL[@]}" -Atc "SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name)
		FROM pg_settings WHERE name IN ('jit', 'max_parallel_workers_per_gather', 'shared_buffers', 'fsync')")
	echo
	echo "$1"
	echo "date:       $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
	echo "nproc:      $(nproc)"
	echo "CPU:        $cpu"
	echo "PostgreSQL: $("${PSQL[@]}" -Atc 'SELECT version()')"
	bench_code
	echo "settings:   $settings"
	echo
	BENCH_WIDTH=$2
	printf '| %-*s | %9s | %11s | %6s | %-7s | %-4s |\n' "$BENCH_WIDTH" measure "ticket $unit" "baseline $unit" ratio target "met?"
	printf '|-%s-|----------:|------------:|-------:|---------|------|\n' "$(printf '%*s' "$BENCH_WIDTH" '' | tr ' ' -)"
}

# bench_row LABEL TICKET_MS BASELINE_MS MODE TARGET: MODE le -> the ratio
# ticket/baseline must be <= TARGET; MODE ge -> baseline/ticket (a speed-up)
# must be >= TARGET.
bench_row() {
	awk -v w="$BENCH_WIDTH" -v label="$1" -v t="$2" -v b="$3" -v mode="$4" -v target="$5" 'BEGIN {
		if (mode == "le") { ratio = sprintf("%.2f", t / b); met = t / b <= target ? "yes" : "no"; tg = "<= " target }
		else { ratio = sprintf("%.0fx", b / t); met = b / t >= target ? "yes" : "no"; tg = ">= " target "x" }
		printf "| %-*s | %9.1f | %11.1f | %6s | %-7s | %-4s |\n", w, label, t, b, ratio, tg, met
	}'
}

# bench_width LABEL...: the width of the widest label.
bench_width() {
	local w=0 l
	for l in "$@"; do
		if [ ${#l} -gt "$w" ]; then w=${#l}; fi
	done
	echo "$w"
}

# bench_setup DB SETTINGS...: a scratch directory ($BENCH_WORK) and a
# throwaway cluster with the settings, both removed on exit (the cluster is
# kept with TICKET_KEEP_CLUSTER=1), a database DB with the extension, and
# PSQL, the psql command line for it.
bench_setup() {
	local db=$1
	shift
	BENCH_WORK=$(mktemp -d /tmp/ticket-bench.XXXXXX)
	chmod 755 "$BENCH_WORK"
	# A larger shared_buffers keeps the tables in memory; no autovacuum runs
	# between the measurements.
	ticket_cluster_start shared_buffers=512MB autovacuum=off "$@"
	if [ "${TICKET_KEEP_CLUSTER:-0}" = 1 ]; then
		trap 'rm -rf "$BENCH_WORK"' EXIT
	else
		trap 'rm -rf "$BENCH_WORK"; ticket_cluster_stop' EXIT
	fi
	createdb "$db"
	PSQL=(psql -X -q -v ON_ERROR_STOP=1 -d "$db")
	"${PSQL[@]}" -c 'CREATE EXTENSION ticket CASCADE' >/dev/null ||
		bench_die "CREATE EXTENSION ticket failed: is the extension built and installed (make && make install)?"
}

# bench_stats LABEL VALUE...: one line, "LABEL: min X median Y max Z (n runs)",
# of the values (one per run, in any unit; the median of an even count is the
# mean of the middle two).
bench_stats() {
	local label=$1
	shift
	printf '%s\n' "$@" | sort -g | awk -v label="$label" '{ v[NR] = $1 } END {
		median = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%s: min %s median %s max %s (%d runs)\n", label, v[1], median, v[NR], NR }'
}
