#!/usr/bin/env bash
# test/docs/control-paths.sh: every file ticket.control names exists.
#
#   bash test/docs/control-paths.sh [DBNAME]     (DBNAME is not used)
#
# A word of ticket.control (comment or setting) names a file when it has a
# / after a lower-case start (not PL/pgSQL) or ends in a file extension (.sql, .md, .c, .h, .json, .psql, .control):
# it must exist relative to the repository, its placeholders VERSION, OLD,
# NEW matching any version (ticket--VERSION.sql is the script make builds).
# $libdir/NAME, the module, must be built: NAME.so in the repository.
# Prints TAP; exits 1 if a file is missing, 2 if ticket.control is.
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$docs_root"
control=ticket.control
if [ ! -r "$control" ]; then
	echo "Bail out! no $control in $docs_root"
	exit 2
fi

mapfile -t words < <(tr -s " \t'\"(),;" '\n' <"$control" | sed -E 's/[.:]+$//' |
	grep -E '^[a-z$.][^/]*/|\.(sql|md|c|h|json|psql|control)$' | sort -u)
for word in "${words[@]}"; do
	if [[ $word == \$libdir/* ]]; then
		module=${word#\$libdir/}.so
		if [ -f "$module" ]; then
			tap_record ok "$word: the module $module is built"
		else
			tap_record "not ok" "$word: the module $module is built (run make)"
		fi
		continue
	fi
	pattern=$(sed -E 's/(^|[-/.])(VERSION|OLD|NEW)([-/.]|$)/\1*\3/g; s/(^|[-/.])(VERSION|OLD|NEW)([-/.]|$)/\1*\3/g' <<<"$word")
	# shellcheck disable=SC2086 # the pattern is a glob on purpose
	if compgen -G "$pattern" >/dev/null; then
		tap_record ok "$word exists ($(compgen -G "$pattern" | head -n 1))"
	else
		tap_record "not ok" "$word exists"
	fi
done
if [ ${#words[@]} -eq 0 ]; then
	tap_record "not ok" "$control names files (none found: the check would be vacuous)"
fi
tap_finish "the files named by $control"
