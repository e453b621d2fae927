#!/usr/bin/env bash
# test/docs/coverage.sh: the manual (extension/doc/ticket.md) names every
# object of the extension where a reader looks for it.
#
#   PGHOST=... PGPORT=... PGUSER=... bash test/docs/coverage.sh [DBNAME]
#
# DBNAME (or PGDATABASE) is a database where the extension is installed.
# From its catalogue: every function (schema-qualified; each overload needs
# an entry), type, table, view and sequence of the extension, the event kinds
# the CHECK constraints of ticket.event and fse.event allow, the invariants
# ticket.check_consistency() reports, and the SQLSTATEs its constraints
# imply.  From the scripts and the C sources: every SQLSTATE raised (RAISE
# ... ERRCODE, errcode(...), MAKE_SQLSTATE, aclcheck_error) and every
# setting read or set (current_setting, set_config, GetConfigOption).
# Each must appear (grep -F) in its section of the manual:
#
#   functions            ## Function reference   ("schema.name(" once per overload)
#   types                ## Types
#   tables, views, seqs  ## Tables, views and sequences
#   settings             ## Settings
#   event kinds          ### Events: the outbox and LISTEN   (as `kind`)
#   invariants           ### The consistency check           (as `invariant`)
#   SQLSTATEs            ## Errors and SQLSTATEs
#
# Prints TAP (plan first); exits 1 if anything is missing, 2 if it cannot
# run.  TICKET_MANUAL overrides the manual's path (to try a modified copy).
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
root=$docs_root
manual=$docs_manual
if [ $# -gt 0 ]; then
	export PGDATABASE=$1
fi
if [ -z "${PGDATABASE:-}" ]; then
	echo "Bail out! no database: pass one as the argument or set PGDATABASE"
	exit 2
fi
if [ ! -r "$manual" ]; then
	echo "Bail out! cannot read the manual $manual"
	exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

psql_query() {
	psql -X -q -A -t -F '|' -v ON_ERROR_STOP=1 -c "$1"
}

sections=('## Function reference' '## Types' '## Tables, views and sequences' '## Settings'
	'### Events: the outbox and LISTEN' '### The consistency check' '## Errors and SQLSTATEs')
declare -A section_file=()
for head in "${sections[@]}"; do
	file=$work/section.$((${#section_file[@]} + 1))
	docs_section "$head" >"$file"
	section_file[$head]=$file
done

# ---- what the catalogue says ----------------------------------------------
if ! psql_query "SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'ticket'" >"$work/ext" 2>"$work/err"; then
	echo "Bail out! psql failed: $(head -n 1 "$work/err")"
	exit 2
fi
if [ "$(cat "$work/ext")" != 1 ]; then
	echo "Bail out! the extension ticket is not installed in database $PGDATABASE"
	exit 2
fi

if ! psql_query "
WITH member AS (
    SELECT d.classid, d.objid
      FROM pg_catalog.pg_depend d
      JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid AND e.extname = 'ticket'
     WHERE d.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND d.deptype = 'e')
SELECT 'function', n.nspname || '.' || p.proname, count(*)
  FROM member m
  JOIN pg_catalog.pg_proc p ON m.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND p.oid = m.objid
  JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
 GROUP BY 2
UNION ALL
SELECT 'type', n.nspname || '.' || t.typname, 1
  FROM member m
  JOIN pg_catalog.pg_type t ON m.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND t.oid = m.objid
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
 -- PostgreSQL 17 records the implicit types too (a type's array type, a
 -- table's or view's row type): they are their owner's, not objects of their own.
 WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type e WHERE e.typarray = t.oid)
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class r WHERE r.oid = t.typrelid AND r.relkind <> 'c')
UNION ALL
SELECT CASE WHEN c.relkind IN ('r', 'p') THEN 'table' WHEN c.relkind IN ('v', 'm') THEN 'view'
            WHEN c.relkind = 'S' THEN 'sequence' ELSE 'relation' END,
       n.nspname || '.' || c.relname, 1
  FROM member m
  JOIN pg_catalog.pg_class c ON m.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND c.oid = m.objid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
UNION ALL
SELECT DISTINCT 'event kind', k.kind[1], 1
  FROM pg_catalog.pg_constraint con,
       LATERAL pg_catalog.regexp_matches(pg_catalog.pg_get_constraintdef(con.oid), '''([a-z_]+)''', 'g') AS k(kind)
 WHERE con.conrelid IN ('ticket.event'::pg_catalog.regclass, 'fse.event'::pg_catalog.regclass)
   AND con.contype = 'c' AND pg_catalog.pg_get_constraintdef(con.oid) LIKE '%kind%'
UNION ALL
SELECT DISTINCT 'invariant', i.name[1], 1
  FROM pg_catalog.pg_proc p,
       LATERAL pg_catalog.regexp_matches(p.prosrc, 'SELECT ''([a-z_]+)'',', 'g') AS i(name)
 WHERE p.oid = 'ticket.check_consistency()'::pg_catalog.regprocedure
UNION ALL
SELECT DISTINCT 'implied sqlstate',
       CASE con.contype WHEN 'c' THEN '23514' WHEN 'f' THEN '23503' WHEN 'x' THEN '23P01' ELSE '23505' END, 1
  FROM member m
  JOIN pg_catalog.pg_constraint con ON m.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                                   AND con.conrelid = m.objid
 WHERE con.contype IN ('c', 'f', 'x', 'u', 'p')
UNION ALL
SELECT DISTINCT 'implied sqlstate', '23502', 1
  FROM member m
  JOIN pg_catalog.pg_attribute a ON m.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                                AND a.attrelid = m.objid AND a.attnum > 0 AND a.attnotnull
 ORDER BY 1, 2" >"$work/catalog" 2>"$work/err"; then
	echo "Bail out! the catalogue query failed: $(head -n 1 "$work/err")"
	exit 2
fi

# ---- what the sources say ----------------------------------------------------
scripts=("$root"/extension/scripts/*.sql)
csources=("$root"/extension/src/*.c "$root"/extension/src/core/*.c)
headers=("$root"/extension/src/*.h "$root"/extension/include/*.h)

# ERRCODE_X -> SQLSTATE for the extension's own codes (MAKE_SQLSTATE('T','K',...))
declare -A own_code=()
while read -r name chars; do
	own_code[$name]=$(tr -d "', " <<<"$chars")
done < <(grep -hE '^#define[[:space:]]+ERRCODE_[A-Z0-9_]+[[:space:]]+MAKE_SQLSTATE' "${headers[@]}" |
	sed -E "s/^#define[[:space:]]+(ERRCODE_[A-Z0-9_]+)[[:space:]]+MAKE_SQLSTATE\((.*)\).*/\1 \2/")

codes=()      # literal SQLSTATEs
conditions=() # condition names, resolved by the server below
while read -r value; do
	if [[ $value =~ ^[0-9A-Z]{5}$ ]]; then
		codes+=("$value")
	else
		conditions+=("$value")
	fi
done < <(grep -ohE "ERRCODE[[:space:]]*=[[:space:]]*'[^']+'" "${scripts[@]}" | sed -E "s/.*'(.*)'/\1/" | sort -u)
while read -r name; do
	if [ -n "${own_code[$name]:-}" ]; then
		codes+=("${own_code[$name]}")
	else
		conditions+=("$(tr '[:upper:]' '[:lower:]' <<<"${name#ERRCODE_}")")
	fi
done < <(grep -ohE 'errcode\((ERRCODE_[A-Z0-9_]+)\)' "${csources[@]}" | sed -E 's/errcode\((.*)\)/\1/' | sort -u)
if grep -qE 'aclcheck_error\(' "${csources[@]}"; then
	codes+=(42501)
fi

# Condition names to SQLSTATEs: raise each in PL/pgSQL and catch it.
if [ ${#conditions[@]} -gt 0 ]; then
	list=$(printf "'%s'," "${conditions[@]}")
	if ! psql -X -q -v ON_ERROR_STOP=1 -c "SET client_min_messages = notice;" -c "
DO \$\$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY[${list%,}]::text[] LOOP
        BEGIN
            RAISE EXCEPTION USING ERRCODE = name;
        EXCEPTION WHEN OTHERS THEN
            RAISE NOTICE 'sqlstate % %', name,
                CASE WHEN SQLSTATE = '42704' AND name <> 'undefined_object' THEN 'unknown' ELSE SQLSTATE END;
        END;
    END LOOP;
END
\$\$" 2>"$work/conditions" >/dev/null; then
		echo "Bail out! resolving condition names failed: $(grep -m 1 ERROR "$work/conditions")"
		exit 2
	fi
	while read -r name code; do
		if [ "$code" = unknown ]; then
			echo "Bail out! the server does not know the condition name $name"
			exit 2
		fi
		codes+=("$code")
	done < <(sed -nE 's/^NOTICE:  sqlstate ([a-z_]+) ([0-9A-Z]{5})$/\1 \2/p' "$work/conditions")
	resolved=$(grep -c '^NOTICE:  sqlstate ' "$work/conditions" || true)
	if [ "$resolved" -ne ${#conditions[@]} ]; then
		echo "Bail out! resolved $resolved of ${#conditions[@]} condition names"
		exit 2
	fi
fi

settings=$( {
	grep -ohE "(current_setting|set_config)\('ticket\.[a-z_]+'" "${scripts[@]}" || true
	grep -hE 'GetConfigOption|set_config_option|_SETTING' "${csources[@]}" || true
} | grep -oE 'ticket\.[a-z_]+' | sort -u)

# ---- the checks ---------------------------------------------------------------
for head in "${sections[@]}"; do
	if [ -s "${section_file[$head]}" ]; then
		tap_record ok "the manual has the section '$head'"
	else
		tap_record "not ok" "the manual has the section '$head'"
	fi
done

declare -A seen=()
while IFS='|' read -r category name count; do
	case $category in
		function)
			file=${section_file['## Function reference']}
			found=$({ grep -oF -- "$name(" "$file" || true; } | wc -l)
			if [ "$found" -ge "$count" ]; then
				tap_record ok "function $name ($count signature(s)) in 'Function reference'"
			else
				tap_record "not ok" "function $name ($count signature(s)) in 'Function reference': $found entries"
			fi
			;;
		type | table | view | sequence | relation)
			if [ "$category" = type ]; then
				head='## Types'
			else
				head='## Tables, views and sequences'
			fi
			if grep -qFw -- "$name" "${section_file[$head]}"; then
				tap_record ok "$category $name in '${head#* }'"
			else
				tap_record "not ok" "$category $name in '${head#* }'"
			fi
			;;
		'event kind')
			if grep -qF -- "\`$name\`" "${section_file['### Events: the outbox and LISTEN']}"; then
				tap_record ok "event kind $name in 'Events'"
			else
				tap_record "not ok" "event kind $name in 'Events'"
			fi
			;;
		invariant)
			if grep -qF -- "\`$name\`" "${section_file['### The consistency check']}"; then
				tap_record ok "invariant $name in 'The consistency check'"
			else
				tap_record "not ok" "invariant $name in 'The consistency check'"
			fi
			;;
		'implied sqlstate')
			codes+=("$name")
			;;
	esac
	seen[$category]=1
done <"$work/catalog"

# The catalogue query must have found something of each kind: an empty list
# would make every check above vacuous.
for category in function type table view sequence 'event kind' invariant; do
	if [ -n "${seen[$category]:-}" ]; then
		tap_record ok "the catalogue lists objects of kind '$category'"
	else
		tap_record "not ok" "the catalogue lists objects of kind '$category'"
	fi
done
if [ -n "$settings" ]; then
	tap_record ok "the sources read settings"
else
	tap_record "not ok" "the sources read settings"
fi
if [ ${#codes[@]} -gt 10 ]; then
	tap_record ok "the sources raise SQLSTATEs (${#codes[@]} found)"
else
	tap_record "not ok" "the sources raise SQLSTATEs (${#codes[@]} found)"
fi

for setting in $settings; do
	if grep -qFw -- "$setting" "${section_file['## Settings']}"; then
		tap_record ok "setting $setting in 'Settings'"
	else
		tap_record "not ok" "setting $setting in 'Settings'"
	fi
done

for code in $(printf '%s\n' "${codes[@]}" | sort -u); do
	if grep -qFw -- "$code" "${section_file['## Errors and SQLSTATEs']}"; then
		tap_record ok "SQLSTATE $code in 'Errors and SQLSTATEs'"
	else
		tap_record "not ok" "SQLSTATE $code in 'Errors and SQLSTATEs'"
	fi
done

tap_finish "missing from $manual"
