#!/usr/bin/env bash
# test/source-tree/run.sh: the per-object sources of extension/sql hold the
# current definition of every object of the extension exactly once.
#
#   PGHOST=... PGPORT=... PGUSER=... bash test/source-tree/run.sh
#
# From the catalog of a fresh install (a scratch database): each function
# (every overload), table, view, type, sequence and trigger of the
# extension is created in exactly one file of extension/sql, and each
# function's overloads, each table's sequences, each table's triggers
# share one file; every file is taken by the MANIFEST (assemble builds the
# install script from exactly the MANIFEST's files); the install script
# has no CREATE OR REPLACE and no IF NOT EXISTS.  Prints TAP.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
src=$root/extension/sql
db=ticket_source_tree
dropdb --if-exists "$db" 2>/dev/null
createdb "$db"
trap 'dropdb --if-exists "$db" 2>/dev/null' EXIT
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c 'CREATE EXTENSION ticket CASCADE' 2>/dev/null

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/#   /'; return 0; }

# files_with PATTERN: the files of extension/sql with a line matching PATTERN (grep -E)
files_with() { (cd "$src" && grep -rlE --include='*.sql' -- "$1" . | sed 's|^\./||' | sort) || true; }

# The objects, as "kind<TAB>qualified name<TAB>how many" (overloads counted).
objects=$(psql -X -At -F $'\t' -d "$db" -c "
	WITH m AS (SELECT d.classid, d.objid FROM pg_depend d
	            WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
	              AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'ticket'))
	SELECT 'FUNCTION', p.pronamespace::regnamespace || '.' || p.proname, count(*)
	  FROM m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid GROUP BY 2
	UNION ALL
	SELECT CASE c.relkind WHEN 'r' THEN 'TABLE' WHEN 'v' THEN 'VIEW' WHEN 'S' THEN 'SEQUENCE' END,
	       c.relnamespace::regnamespace || '.' || c.relname, 1
	  FROM m JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
	UNION ALL
	SELECT 'TYPE', t.typnamespace::regnamespace || '.' || t.typname, 1
	  FROM m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
	  -- PostgreSQL 17 records the implicit types too (array and row types)
	 WHERE NOT EXISTS (SELECT 1 FROM pg_type e WHERE e.typarray = t.oid)
	   AND NOT EXISTS (SELECT 1 FROM pg_class r WHERE r.oid = t.typrelid AND r.relkind <> 'c')
	UNION ALL
	SELECT 'TRIGGER', tg.tgname || ' ON ' || (tg.tgrelid::regclass)::text, 1
	  FROM m JOIN pg_trigger tg ON m.classid = 'pg_class'::regclass AND tg.tgrelid = m.objid AND NOT tg.tgisinternal
	ORDER BY 1, 2")

bad=""
count=0
while IFS=$'\t' read -r kind name howmany; do
	[ -z "$kind" ] && continue
	count=$((count + 1))
	re_name=${name//./\\.}
	case $kind in
	FUNCTION) pattern="^CREATE FUNCTION ${re_name}\(" ;;
	# (a base type's shell, CREATE TYPE name;, is part of its one file)
	TYPE) pattern="^CREATE TYPE ${re_name} (\\(|AS)" ;;
	TRIGGER)
		trigger=${name%% ON *}
		table=${name#* ON }
		pattern="^CREATE (CONSTRAINT )?TRIGGER ${trigger} .* ON ${table//./\\.}( |$)" ;;
	TABLE) pattern="^CREATE (UNLOGGED )?TABLE ${re_name}( |$)" ;;
	*) pattern="^CREATE ${kind} ${re_name}( |$)" ;;
	esac
	files=$(files_with "$pattern")
	nfiles=$(printf '%s' "$files" | grep -c . || true)
	if [ "$kind" = TRIGGER ]; then
		# a trigger's CREATE may span lines: match its first line
		nlines=$( (cd "$src" && grep -rhE --include='*.sql' -- "^CREATE (CONSTRAINT )?TRIGGER ${trigger} " . ) |
			grep -cE " ON ${table//./\\.}( |$)" || true)
		[ "$nlines" = 1 ] || bad+="$kind $name: created $nlines times"$'\n'
	else
		nlines=$( (cd "$src" && grep -rhE --include='*.sql' -- "$pattern" .) | grep -c . || true)
		[ "$nfiles" = 1 ] && [ "$nlines" = "$howmany" ] ||
			bad+="$kind $name: $nlines definition(s) of $howmany in ${nfiles} file(s): $(echo $files)"$'\n'
	fi
done <<<"$objects"
if [ -z "$bad" ]; then
	ok "each of the $count functions, tables, views, sequences, types and triggers is defined once, in one file of extension/sql"
else
	not_ok "objects defined in no file, in several, or more than once" "$bad"
fi

# Every source file is one the MANIFEST takes.
taken=$(bash "$src/assemble" test | sed -n 's/^-- \(.*\.sql\)$/\1/p' | sort)
all=$(cd "$src" && find . -name '*.sql' | sed 's|^\./||' | sort)
missing=$(comm -13 <(printf '%s\n' "$taken") <(printf '%s\n' "$all"))
if [ -z "$missing" ]; then
	ok "every file of extension/sql is assembled into the install script (MANIFEST)"
else
	not_ok "files the MANIFEST does not take" "$missing"
fi
twice=$(printf '%s\n' "$taken" | uniq -d)
[ -z "$twice" ] && ok "no file is assembled twice" || not_ok "files assembled twice" "$twice"

# The install script's own rules.
forbidden=$(bash "$src/assemble" test | grep -nE 'CREATE OR REPLACE|(CREATE|ALTER|ADD) [A-Z ]*IF NOT EXISTS' || true)
[ -z "$forbidden" ] && ok "the install script has no CREATE OR REPLACE and no IF NOT EXISTS" ||
	not_ok "CREATE OR REPLACE or IF NOT EXISTS in the install script" "$forbidden"

# The script make installed is the one the sources make.
current=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" "$root/ticket.control")
installed=$(pg_config --sharedir)/extension/ticket--$current.sql
if cmp -s "$installed" <(bash "$src/assemble" "$current"); then
	ok "the installed ticket--$current.sql is the one extension/sql assembles"
else
	not_ok "the installed ticket--$current.sql is not what extension/sql assembles: run make install"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
