#!/usr/bin/env bash
# test/sqlsmith/run.sh: random SQL (sqlsmith, the Debian package) against a
# populated database, as an unprivileged role; passes when no backend crashed.
#
#   bash test/sqlsmith/run.sh                  # 2000 queries (the test command's run)
#   bash test/sqlsmith/run.sh --queries 20000  # the issue's long run
#
# Installs the Debian package sqlsmith when it is missing (as root).  Starts
# its own throwaway cluster (extension/bin/common.sh) and stops only that one
# at exit, whatever PGHOST/PGPORT say.  In database ticket_smith: CREATE
# EXTENSION ticket CASCADE, test/fixtures/birthplaces.sql and the population
# of test/fixtures/population_2020.sql (SMITH_CITIZENS citizens, default 3000:
# declarations, exemption grants, prescriptions, bookings, FSE and outbox
# events); search_path public, ticket on the database, as test/storm sets
# it (sqlsmith writes the operators of the ticket types unqualified).  Then
# a LOGIN role ticket_smith with no attribute at all (not superuser, no
# CREATEDB/CREATEROLE/REPLICATION/BYPASSRLS), member of those of the
# extension's NOLOGIN group roles that exist (ticket_rules_admin,
# ticket_registry_operator, ticket_cup_operator, ticket_gp, ticket_fse_portal)
# and of nothing else, with statement_timeout 2s, lock_timeout 1s and
# temp_file_limit 256MB.  sqlsmith runs as ticket_smith with a fixed seed
# (SMITH_SEED, default 6) and --max-queries; its query dump and progress go
# to the cluster directory (sqlsmith.queries, sqlsmith.log).  Random queries
# fail by the thousand: those errors are expected and only counted.  Each
# query's mark in sqlsmith.log: . ok, e error, t timeout, S syntax error,
# C connection broken.
#
# Pass/fail is decided by the server:
#   * the server log has no "terminated by signal", "exited with exit code",
#     PANIC, "terminating any other active server processes" nor
#     "reinitializing" line;
#   * no crash-and-reinitialize happened: an UNLOGGED canary row written in
#     database postgres before the run is still there (crash recovery empties
#     unlogged tables; pg_postmaster_start_time() does not change on a
#     crash-reinitialize, so it only catches a full restart -- also checked);
#   * the server answers SELECT 1 at the end;
#   * sqlsmith itself ran to the end (exit status 0, every query generated).
# On failure: the queries whose connection broke, the last queries sent, the
# server log lines around the crash; the logs are copied to a kept directory.
# Also reported (not a failure): internal errors (SQLSTATE XX000) the server
# logged.  Exit 0 on pass, 1 on failure, 2 on a bad command line.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# never touch a cluster the caller's environment points to
unset TICKET_CLUSTER_DIR
# shellcheck source=../../extension/bin/common.sh
source "$root/extension/bin/common.sh"

queries=2000
while [ $# -gt 0 ]; do
	case $1 in
	--queries) queries=${2:-}; shift 2 || { echo "--queries needs a value" >&2; exit 2; } ;;
	--queries=*) queries=${1#--queries=}; shift ;;
	*) echo "usage: $0 [--queries N]" >&2; exit 2 ;;
	esac
done
citizens=${SMITH_CITIZENS:-3000}
seed=${SMITH_SEED:-6}
for v in queries citizens seed; do
	if ! [[ ${!v} =~ ^[1-9][0-9]*$ ]]; then
		echo "$v must be a positive integer, not '${!v}'" >&2
		exit 2
	fi
done
[ "$citizens" -ge 100 ] || { echo "SMITH_CITIZENS must be >= 100" >&2; exit 2; }
db=ticket_smith
role=ticket_smith
group_roles=(ticket_rules_admin ticket_registry_operator ticket_cup_operator ticket_gp ticket_fse_portal)

# --- sqlsmith -------------------------------------------------------------------

ticket_install_packages sqlsmith || exit 1
command -v sqlsmith >/dev/null || { echo "sqlsmith is not on PATH" >&2; exit 1; }
if [ ! -f "$(pg_config --sharedir)/extension/ticket.control" ]; then
	echo "the extension is not installed (make install)" >&2
	exit 1
fi

# --- the cluster ----------------------------------------------------------------

started_cluster=0
failed=0
# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
	local rc=$?
	if [ "$started_cluster" = 1 ]; then
		if [ "$failed" = 1 ] || [ "$rc" -ne 0 ]; then
			local keep
			keep=$(mktemp -d "${TMPDIR:-/tmp}/ticket-sqlsmith.XXXXXX")
			cp "$TICKET_CLUSTER_DIR"/*.log "$TICKET_CLUSTER_DIR"/sqlsmith.* "$keep"/ 2>/dev/null || true
			echo "# logs kept in $keep" >&2
		fi
		ticket_cluster_stop
	fi
}
trap cleanup EXIT
# our own trap stops it (and only it)
# shellcheck disable=SC2119  # no extra server settings
TICKET_KEEP_CLUSTER=1 ticket_cluster_start
started_cluster=1
t_start=$SECONDS
psql_su=(psql -X -q -v ON_ERROR_STOP=1)
# the SQLSTATE of every logged message, to find internal errors (XX000)
"${psql_su[@]}" -d postgres -c "ALTER SYSTEM SET log_line_prefix = '%m [%p] %e '" \
	-c 'SELECT pg_reload_conf()' >/dev/null

# --- the database, the population, the role -------------------------------------

createdb "$db"
# as test/storm and test/switch-2011: the operators of the ticket types live in
# schema ticket (sqlsmith writes them unqualified: a = b)
"${psql_su[@]}" -d "$db" -c "ALTER DATABASE $db SET search_path = public, ticket" >/dev/null
"${psql_su[@]}" -d "$db" -c 'CREATE EXTENSION ticket CASCADE' -f "$root/test/fixtures/birthplaces.sql" >/dev/null
ticket_log "building the population of $citizens citizens"
"${psql_su[@]}" -d "$db" -v citizens="$citizens" -f "$root/test/fixtures/population_2020.sql" >/dev/null
read -r n_citizens n_decl n_grants n_presc n_book < <("${psql_su[@]}" -d "$db" -AtF ' ' -c "
	SELECT (SELECT count(*) FROM registry.citizen), (SELECT count(*) FROM registry.declaration),
	       (SELECT count(*) FROM registry.exemption_grant), (SELECT count(*) FROM fse.prescription),
	       (SELECT count(*) FROM cup.booking)")
echo "# population: $n_citizens citizens, $n_decl declarations, $n_grants exemption grants, $n_presc prescriptions, $n_book bookings"

"${psql_su[@]}" -d "$db" -c "CREATE ROLE $role LOGIN" \
	-c "ALTER ROLE $role SET statement_timeout = '2s'" \
	-c "ALTER ROLE $role SET lock_timeout = '1s'" \
	-c "ALTER ROLE $role SET temp_file_limit = '256MB'" >/dev/null
granted=()
for g in "${group_roles[@]}"; do
	exists=$("${psql_su[@]}" -d "$db" -Atc "SELECT count(*) FROM pg_roles WHERE rolname = '$g'")
	if [ "$exists" = 1 ]; then
		"${psql_su[@]}" -d "$db" -c "GRANT $g TO $role" >/dev/null
		granted+=("$g")
	fi
done
# the role is what an ordinary user is: no attribute, only those memberships
attrs=$("${psql_su[@]}" -d "$db" -Atc "
	SELECT rolcanlogin AND NOT (rolsuper OR rolcreaterole OR rolcreatedb
	                            OR rolreplication OR rolbypassrls),
	       coalesce((SELECT string_agg(g.rolname, ' ' ORDER BY g.rolname)
	                   FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
	                  WHERE m.member = r.oid), '')
	  FROM pg_roles r WHERE rolname = '$role'")
expected_members=$(printf '%s\n' "${granted[@]}" | sed '/^$/d' | LC_ALL=C sort | paste -sd ' ')
if [ "$attrs" != "t|$expected_members" ]; then
	echo "role $role is not the unprivileged role this test needs: $attrs" >&2
	exit 1
fi
members=${granted[*]:-"none (no group role of the extension exists)"}
echo "# role $role: LOGIN, no other attribute; member of: $members"

# --- the crash detectors, before ------------------------------------------------

"${psql_su[@]}" -d postgres -c 'CREATE UNLOGGED TABLE smith_canary AS SELECT 1 AS alive' >/dev/null
start_time=$("${psql_su[@]}" -d postgres -Atc 'SELECT pg_postmaster_start_time()')
log=$TICKET_CLUSTER_DIR/server.log
log_lines_before=$(wc -l <"$log")

# --- sqlsmith -------------------------------------------------------------------

dump=$TICKET_CLUSTER_DIR/sqlsmith.queries
progress=$TICKET_CLUSTER_DIR/sqlsmith.log
target="host=$PGHOST port=$PGPORT dbname=$db user=$role"
# a watchdog only against a hung run (every statement has a 2 s timeout)
watchdog=$((600 + queries))
ticket_log "sqlsmith: $queries queries, seed $seed, as $role (logs in $TICKET_CLUSTER_DIR)"
t0=$SECONDS
smith_rc=0
(cd "$TICKET_CLUSTER_DIR" && timeout "$watchdog" sqlsmith --target="$target" --seed="$seed" \
	--max-queries="$queries" --verbose --dump-all-queries >"$dump" 2>"$progress") || smith_rc=$?
smith_s=$((SECONDS - t0))

# --- the verdict ----------------------------------------------------------------

why=()
# progress: one character per query: . ok, e error, t timeout, S syntax error,
# C connection broken (the server died under the query or killed the session)
marks=$(grep -E '^[.etSC]+$' "$progress" | tr -d '\n' || true)
count_of() { local s=${marks//[^$1]/}; echo "${#s}"; }
ran=${#marks}
n_ok=$(count_of .)
n_timeout=$(count_of t)
n_broken=$(count_of C)
n_err=$((ran - n_ok))
if [ "$smith_rc" = 124 ]; then
	why+=("sqlsmith did not finish within $watchdog s (a hang?)")
elif [ "$smith_rc" != 0 ]; then
	why+=("sqlsmith exited with status $smith_rc: $(grep -v -E '^[.etSC]+$' "$progress" | tail -n 3 | paste -sd ' ')")
fi
[ "$ran" = "$queries" ] || why+=("sqlsmith ran $ran queries of $queries")

alive=$("${psql_su[@]}" -d postgres -Atc 'SELECT 1' 2>&1) || true
[ "$alive" = 1 ] || why+=("the server does not answer SELECT 1: $alive")
canary=$("${psql_su[@]}" -d postgres -Atc 'SELECT count(*) FROM smith_canary' 2>&1) || true
[ "$canary" = 1 ] || why+=("the unlogged canary is gone ($canary): the server crashed and reinitialized")
start_after=$("${psql_su[@]}" -d postgres -Atc 'SELECT pg_postmaster_start_time()' 2>&1) || true
[ "$start_after" = "$start_time" ] || why+=("the postmaster restarted ($start_time -> $start_after)")

crash_re='terminated by signal|was terminated by|exited with exit code|PANIC:|terminating any other active server processes|all server processes terminated; reinitializing'
new_log=$TICKET_CLUSTER_DIR/server.run.log
tail -n +"$((log_lines_before + 1))" "$log" >"$new_log"
crashes=$(grep -a -E -c 'server process .* (was terminated by|exited with exit code)|PANIC:' "$new_log" || true)
crash_lines=$(grep -a -E -c "$crash_re" "$new_log" || true)
[ "$crash_lines" = 0 ] || why+=("the server log has $crash_lines crash lines ($crashes crashes)")

internal=$(grep -a -E '^[0-9-]+ [0-9:.]+ [A-Z]+ \[[0-9]+\] XX000 ERROR:' "$new_log" |
	sed -E 's/^[^]]*\] XX000 ERROR:  //' | sort | uniq -c | sort -rn || true)
if [ -n "$internal" ]; then
	echo "# note: internal errors (SQLSTATE XX000) the server logged:"
	awk 'NR <= 20 { print "#   " $0 }' <<<"$internal"
fi
echo "# top errors (sqlsmith):"
# the last report of sqlsmith (it reports every 800 queries and at the end)
awk '/^queries: /{ n = 0 } /^[0-9]+\t/ && n < 8 { top[++n] = $0 }
     END { for (i = 1; i <= n; i++) print "#   " top[i] }' "$progress"

if [ ${#why[@]} -gt 0 ]; then
	failed=1
	printf 'FAIL: %s\n' "${why[@]}"
	# the query under which each connection broke (the n-th query of the dump)
	if [ "$n_broken" -gt 0 ]; then
		echo "# queries whose connection broke (first 3):"
		awk -v m="$marks" 'BEGIN { for (i = 1; i <= length(m); i++) if (substr(m, i, 1) == "C" && ++n <= 3) print i }' |
			while read -r k; do
				echo "# --- query $k"
				awk -v k="$k" 'BEGIN { RS = ";\n" } NR == k { print $0 ";" }' "$dump"
			done
	fi
	echo "# the last 2 queries sqlsmith sent:"
	awk 'BEGIN { RS = ";\n" } { q[NR % 2] = $0; n = NR } END { if (n > 1) print q[(n - 1) % 2] ";"; if (n > 0) print q[n % 2] ";" }' "$dump"
	echo "# server log around the crash:"
	awk -v re="$crash_re" '$0 ~ re { on = 1 } on { print; if (++n >= 120) exit }
	     on && /database system is ready to accept connections/ { on = 0 }' "$new_log"
	echo "# sqlsmith's last output:"
	tail -n 5 "$progress"
fi
echo "# sqlsmith: $ran queries run, $n_err errored ($n_timeout timeouts, $n_broken broken connections), crashes $crashes; $smith_s s (seed $seed, $((SECONDS - t_start)) s in all)"
exit "$failed"
