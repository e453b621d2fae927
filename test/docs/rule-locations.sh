#!/usr/bin/env bash
# test/docs/rule-locations.sh: the manual's "Where each rule lives" matches
# the source tree.
#
#   bash test/docs/rule-locations.sh [DBNAME]     (DBNAME is not used)
#
# In the table's file column, each `quoted` name is checked:
#   a path (it has a /)        exists in the repository
#   schema.name                an SQL function, table, view or type created
#                              (CREATE ... schema.name) in a .sql file the row cites
#   schema.table.column        the table created in a cited .sql file, which
#                              names the column
#   a C identifier             defined (at the start of a line, PostgreSQL
#                              style) in a .c file the row cites
# Anything else quoted (a file pattern, `registry.*`) is not checked.
# Prints TAP; exits 1 if a check fails, 2 if the table is missing.
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$docs_root"

mapfile -t rows < <(docs_section '## Where each rule lives' | grep -E '^\| .* \| .* \|$' | tail -n +3)
if [ ${#rows[@]} -lt 10 ]; then
	echo "Bail out! the manual's 'Where each rule lives' has ${#rows[@]} rows"
	exit 2
fi

for row in "${rows[@]}"; do
	cell=${row%|}
	cell=${cell##*| }
	rule=$(cut -d'|' -f2 <<<"$row" | sed -E 's/^ +| +$//g')
	# shellcheck disable=SC2016 # backquotes, not an expansion
	mapfile -t names < <(grep -oE '`[^`]+`' <<<"$cell" | tr -d '`')
	cited_sql=()
	cited_c=()
	for name in "${names[@]}"; do
		if [[ $name == */* ]]; then
			if [ -e "$name" ]; then
				tap_record ok "'$rule': $name exists"
			else
				tap_record "not ok" "'$rule': $name exists"
			fi
			[[ $name == *.sql && -f $name ]] && cited_sql+=("$name")
			[[ $name == *.c && -f $name ]] && cited_c+=("$name")
		fi
	done
	for name in "${names[@]}"; do
		if [[ $name =~ ^(ticket|registry|fse|cup)\.([a-z_0-9]+)(\.([a-z_0-9]+))?$ ]]; then
			object="${BASH_REMATCH[1]}\\.${BASH_REMATCH[2]}"
			column=${BASH_REMATCH[4]}
			pattern="CREATE( OR REPLACE)?( UNLOGGED)? (FUNCTION|TABLE|VIEW|TYPE) ${object}[ (]"
			where=$({ grep -lE "$pattern" "${cited_sql[@]}" /dev/null || true; } | head -n 1)
			if [ -n "$where" ] && { [ -z "$column" ] || grep -qw -- "$column" "$where"; }; then
				tap_record ok "'$rule': $name created in $where"
			else
				tap_record "not ok" "'$rule': $name created in a file the row cites (${cited_sql[*]:-none})"
			fi
		elif [[ $name =~ ^[a-z][a-z0-9]*_[a-z0-9_]+$ ]] && [ ${#cited_c[@]} -gt 0 ]; then
			if grep -qE "^$name\(" "${cited_c[@]}"; then
				tap_record ok "'$rule': the C function $name defined in ${cited_c[*]}"
			else
				tap_record "not ok" "'$rule': the C function $name defined in ${cited_c[*]}"
			fi
		fi
	done
done
tap_finish "'Where each rule lives' of $docs_manual"
