#!/usr/bin/env bash
# test/switch-2011/run.sh: a replay of the 2011 switch, and of 2012, 2019 and 2020,
# on a synthetic population, through the network's API in date order; TAP
# output, non-zero exit on any failure.  Needs PGHOST/PGPORT/PGUSER (test/run
# starts the cluster); creates and drops its own database.
#
#   00_harness.sql       the replay schema: TAP, the independent bill, the plan
#                        executor, the API wrappers that note the expected
#                        events and adjustments, the per-phase checks
#   01_population.sql    GPs, households, citizens, E01 known in spring 2011
#   02_before_switch.sql prescriptions and bookings June-August 2011
#   03_switch.sql        29 Aug - 27 Oct 2011: self-certifications (60 days)
#   04_late_2011.sql     late declarations, corrections, revocations; the
#                        1 February 2012 tariff update (regime ER-2012-02-01)
#   05_2019.sql          QB/QM from the Revenue Agency on 1 January 2019
#   06_2020.sql          the abolition of 1 September 2020
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
db=${SWITCH_2011_DB:-ticket_switch_2011}
psql=(psql -X -q -v ON_ERROR_STOP=1 -d "$db")
started=$SECONDS

dropdb --if-exists "$db" 2>/dev/null
createdb "$db" || exit 1
# The simulated times are Italian office hours; the grace window counts days.
# The operators of the ticket types live in schema ticket.
psql -X -q -d "$db" -c "ALTER DATABASE $db SET timezone = 'Europe/Rome'" \
	-c "ALTER DATABASE $db SET search_path = public, ticket" \
	-c "ALTER DATABASE $db SET client_min_messages = warning" || exit 1
"${psql[@]}" -c 'CREATE EXTENSION ticket CASCADE' -f "$root/test/fixtures/birthplaces.sql" >/dev/null || exit 1

failed=0
n=0
print_new() {
	local line
	while IFS='|' read -r num ok desc diag; do
		[ -z "$num" ] && continue
		n=$num
		if [ "$ok" = t ]; then
			echo "ok $num - $desc"
		else
			echo "not ok $num - $desc"
			[ -n "$diag" ] && printf '# %s\n' "$diag"
			failed=1
		fi
	done < <(psql -X -q -At -d "$db" -c "UPDATE replay.tap SET printed = true WHERE NOT printed
	                                  RETURNING n, ok, description, replace(coalesce(diag, ''), E'\n', ' ')" 2>/dev/null | sort -n)
}

for f in 00_harness 01_population 02_before_switch 03_switch 04_late_2011 05_2019 06_2020; do
	t0=$SECONDS
	if ! err=$("${psql[@]}" -1 -f "$here/$f.sql" 2>&1 >/dev/null); then
		print_new
		n=$((n + 1))
		echo "not ok $n - $f.sql ran"
		printf '%s\n' "$err" | sed 's/^/# /'
		failed=1
		break
	fi
	print_new
	echo "# $f.sql: $((SECONDS - t0)) s"
done
echo "1..$n"
echo "# switch-2011: $((SECONDS - started)) s"
[ "${SWITCH_2011_KEEP_DB:-0}" = 1 ] || dropdb --if-exists "$db"
exit $failed
