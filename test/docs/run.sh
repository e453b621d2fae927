#!/usr/bin/env bash
# test/docs/run.sh: every check of the manual (the docs layer of the tests).
#
#   PGHOST=... PGPORT=... PGUSER=... bash test/docs/run.sh DBNAME
#
# DBNAME is a database where the extension is installed.  Runs each check
# below (each prints TAP); prints the failing lines of a check that fails
# and one line per check.  Exit status 1 if any check fails.
set -uo pipefail
here=$(dirname "${BASH_SOURCE[0]}")
checks=(
	coverage.sh           # the manual names every object
	function-reference.sh # every function: one row, its anchor, its "since"
	rule-locations.sh     # "Where each rule lives" matches the source tree
	control-paths.sh      # ticket.control names files that exist
	trigger-chain.sh      # the trigger chain's picture is current and names real triggers
)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
status=0
for check in "${checks[@]}"; do
	if bash "$here/$check" "$@" >"$out" 2>&1; then
		echo "$check: $(grep -c '^ok' "$out") checks passed"
	else
		grep -v '^ok' "$out"
		echo "$check: FAILED"
		status=1
	fi
done
exit $status
