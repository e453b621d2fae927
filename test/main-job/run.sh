#!/usr/bin/env bash
# test/main-job/run.sh: smoke test of the main job, extension/bin/ticket-replay.
#
#   bash test/main-job/run.sh
#
# Runs the replay twice at a tiny size with the same seed (--no-install: the
# extension installed on this machine, the cluster of PGHOST/PGPORT/PGUSER,
# or a throwaway one started here when none is given), once with two jobs
# (two sessions replaying each window) and once with one, and checks that
# both runs exit 0, that every phase (0-6) reports an empty
# ticket.check_consistency(), that the reports are complete, and that they are
# identical apart from the timing columns: the same rows whichever sessions
# wrote them.  Also the refusals of the command
# line (exit status 2).  TAP output; non-zero exit on any failure.

# The helpers below are called through check(): shellcheck cannot see it.
# shellcheck disable=SC2317
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=../../extension/bin/common.sh
source "$root/extension/bin/common.sh"
replay=$root/extension/bin/ticket-replay
citizens=${MAIN_JOB_CITIZENS:-2000}
seed=${MAIN_JOB_SEED:-7}

if [ ! -f "$(pg_config --sharedir)/extension/ticket.control" ]; then
	echo "Bail out! the extension is not installed (make install)"
	exit 1
fi
# The caller's cluster when there is one (test/run's); else one of our own,
# and only that one is stopped at the end.
own_cluster=0
if [ -z "${PGPORT:-}" ] || ! psql -X -q -d postgres -c 'SELECT 1' >/dev/null 2>&1; then
	# shellcheck disable=SC2119
	ticket_cluster_start >/dev/null 2>&1 || { echo "Bail out! could not start a cluster"; exit 1; }
	own_cluster=1
fi

work=$(mktemp -d /tmp/ticket-main-job.XXXXXX)
db_a=main_job_a_$$
db_b=main_job_b_$$
cleanup() {
	dropdb --if-exists "$db_a" >/dev/null 2>&1
	dropdb --if-exists "$db_b" >/dev/null 2>&1
	rm -rf "$work"
	if [ "$own_cluster" = 1 ]; then
		ticket_cluster_stop
	fi
}
trap cleanup EXIT

n=0
failed=0
check() {   # check <description> <command...>: one TAP line
	local description=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $description"
		return 0
	fi
	echo "not ok $n - $description"
	failed=1
	return 1
}
diag() { sed 's/^/# /'; }

# The report without its timing: the "[12.3 s]" prefix of progress lines,
# the rows "seconds ..." and "rows per second" of the phase tables, the
# "time:" line of the summary, and the database name of the last line.
untimed() {
	sed -E 's/^\[[0-9.]+ s\] //' "$1" |
		grep -Ev '^ (seconds [a-z]+|rows per second) +\|' |
		grep -Ev '^time: |^The database is kept: '
}

jobs_of() { if [ "$1" = "$db_a" ]; then echo 2; else echo 1; fi; }
for db in "$db_a" "$db_b"; do
	start=$SECONDS
	bash "$replay" --no-install --db "$db" --citizens "$citizens" --seed "$seed" --jobs "$(jobs_of "$db")" \
		>"$work/$db.out" 2>"$work/$db.err"
	echo $? >"$work/$db.rc"
	echo "# $db: $((SECONDS - start)) s"
done

for db in "$db_a" "$db_b"; do
	check "ticket-replay --citizens $citizens --seed $seed --jobs $(jobs_of "$db") exits 0 ($db)" [ "$(cat "$work/$db.rc")" = 0 ] ||
		diag <"$work/$db.err"
done

# Seven phase tables, each with "ticket.check_consistency() | 0 rows", and
# no other value.
consistency_rows() { grep -E '^ ticket\.check_consistency\(\) +\|' "$1"; }
for db in "$db_a" "$db_b"; do
	check "every phase 0-6 reports ticket.check_consistency() empty ($db)" \
		[ "$(consistency_rows "$work/$db.out" | grep -cE '\| 0 rows$')" = 7 ] ||
		consistency_rows "$work/$db.out" | diag
	check "no phase reports a non-empty ticket.check_consistency() ($db)" \
		[ "$(consistency_rows "$work/$db.out" | grep -cvE '\| 0 rows$')" = 0 ]
done
check 'the two-job run replayed its windows in two sessions' \
	grep -q '^time: .* 2 sessions a window)' "$work/$db_a.out"
check 'the summary says the check was empty after every phase' \
	grep -q 'ticket.check_consistency() empty after every phase: yes$' "$work/$db_a.out"

complete() {
	local f=$1 p
	for p in 0 1 2 3 4 5 6; do
		grep -q "^== Phase $p: " "$f" || { echo "phase $p missing" | diag; return 1; }
	done
	grep -q '^What-if, 10 December 2018' "$f" && grep -q '^ inside the what-if  *| ER-2012-02-01  *| WHATIF-DGR-2075-2018  *| draft ' "$f" &&
		grep -qE '^ ticket\.simulate +\| as declared .* \| [1-9][0-9,]* +\| ' "$f" &&
		grep -q '^ income projection  *| ' "$f" &&
		grep -qE '^ after discard_regime +\| ER-2012-02-01 +\| +[0-9]+ \| +0 \| +[1-9][0-9]* \| +0$' "$f" &&
		grep -q '^Revenue by band, services of ' "$f" &&
		grep -q '^replay complete: 7 phases, ' "$f" && [ "$(grep -c '^ bookings priced ' "$f")" = 7 ] &&
		[ "$(grep -cE '^ bookings priced +\| [1-9]' "$f")" = 6 ]
}
check 'the report has the seven phases, bookings in phases 1-6, the what-if (a draft not in force, simulated, discarded: no draft left, audit rows by the administrator, consistent), the summary' \
	complete "$work/$db_a.out"
check 'the what-if login of phase 4 (ticket_replay_rules_admin) is dropped after each run' \
	[ "$(psql -X -At -d postgres -c "SELECT count(*) FROM pg_roles WHERE rolname = 'ticket_replay_rules_admin'")" = 0 ]

untimed "$work/$db_a.out" >"$work/a.txt"
untimed "$work/$db_b.out" >"$work/b.txt"
body() { [ "$(wc -l <"$1")" -gt 200 ] && [ "$(grep -c ': [0-9,]* prescriptions, ' "$1")" -gt 20 ]; }
check 'timing filtered out of the report leaves its body (over 200 lines, progress lines kept)' body "$work/a.txt"
same() { diff "$1" "$2" >"$work/diff" || { head -20 "$work/diff" | diag; return 1; }; }
check 'two runs with the same seed, two jobs and one, print the same reports, timing aside' same "$work/a.txt" "$work/b.txt"

# The command line refuses what it cannot do, with status 2 and a reason.
refuses() {   # refuses <message pattern> <arguments...>
	local pattern=$1 out rc
	shift
	out=$(bash "$replay" "$@" 2>&1)
	rc=$?
	if [ "$rc" = 2 ] && grep -q -e "$pattern" <<<"$out"; then
		return 0
	fi
	echo "status $rc: $out" | diag
	return 1
}
check 'an unknown option: status 2' refuses 'unknown option --bogus' --bogus
check 'a size below 1000: status 2' refuses '--citizens must be a number' --no-install --citizens 12
check 'no jobs: status 2' refuses '--jobs must be a number' --no-install --jobs 0
check 'an unknown region: status 2' refuses "unknown region 'lombardia'" --region-size lombardia
check '--no-install on an existing database: status 2, nothing dropped' \
	refuses "database $db_a exists" --no-install --db "$db_a"
check 'the existing database is still there' \
	[ "$(psql -X -At -d postgres -c "SELECT count(*) FROM pg_database WHERE datname = '$db_a'")" = 1 ]

echo "1..$n"
exit $failed
