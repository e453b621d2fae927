#!/usr/bin/env bash
# Every released version, updated to the current one, gives the same
# extension as a fresh install of the current one, and
# pg_extension_update_paths reaches the current version from each of them.
# Release 1.0 is kept for good (every later schema change is an upgrade
# script): installed as 1.0 and updated, pg_dump --schema-only of it equals
# that of a fresh install, and so does the fingerprint.
# pg_dump --schema-only prints nothing but CREATE EXTENSION for an
# extension's members, so the comparison is of fingerprint.sql's catalog
# listing instead: every member with its comment, function definitions and
# labels, columns, constraints, indexes, triggers, dump filters, grants, and
# the shipped rows.
# Needs PGHOST/PGPORT/PGUSER of a cluster with the extension installed.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
current=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" "$root/ticket.control")
work=$(mktemp -d /tmp/ticket-upgrade.XXXXXX)
trap 'rm -rf "$work"' EXIT

schema() {
	psql -X -q -v ON_ERROR_STOP=1 -d "$1" -f "$root/test/upgrade/fingerprint.sql"
}

dropdb --if-exists ticket_upgrade_fresh 2>/dev/null
createdb ticket_upgrade_fresh
psql -X -q -v ON_ERROR_STOP=1 -d ticket_upgrade_fresh -c 'CREATE EXTENSION ticket CASCADE'
schema ticket_upgrade_fresh >"$work/fresh.sql"

status=0
for script in "$root"/extension/scripts/ticket--*.sql; do
	name=$(basename "$script" .sql)
	case $name in *--*--*) continue ;; esac	# upgrade scripts
	version=${name#ticket--}
	[ "$version" = "$current" ] && continue
	db=ticket_upgrade_from_${version//./_}
	dropdb --if-exists "$db" 2>/dev/null
	createdb "$db"
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" \
		-c "CREATE EXTENSION ticket VERSION '$version' CASCADE" \
		-c "ALTER EXTENSION ticket UPDATE"
	reached=$(psql -X -At -d "$db" -c "SELECT extversion FROM pg_extension WHERE extname = 'ticket'")
	path=$(psql -X -At -d "$db" -c "SELECT path FROM pg_extension_update_paths('ticket')
		WHERE source = '$version' AND target = '$current'")
	schema "$db" >"$work/from_$version.sql"
	if [ "$reached" != "$current" ] || [ -z "$path" ]; then
		echo "not ok - from $version: reached $reached, update path '${path}'"
		status=1
	elif ! diff -u "$work/fresh.sql" "$work/from_$version.sql" >"$work/diff_$version"; then
		echo "not ok - $version updated to $current differs from a fresh $current:"
		head -n 40 "$work/diff_$version"
		status=1
	else
		echo "ok - $version -> $current (path $path) gives the schema of a fresh $current"
	fi
done

# Release 1.0, kept: CREATE EXTENSION ... VERSION '1.0', updated to the
# current version; every version the extension knows reaches the current one.
release=1.0
db=ticket_upgrade_from_release
dropdb --if-exists "$db" 2>/dev/null
createdb "$db"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" \
	-c "CREATE EXTENSION ticket VERSION '$release' CASCADE" \
	-c "ALTER EXTENSION ticket UPDATE"
# (\restrict lines carry a random key of each run.)
pg_dump --schema-only -d ticket_upgrade_fresh | grep -v -e '^-- Dumped' -e '^.restrict ' -e '^.unrestrict ' >"$work/fresh.dump"
pg_dump --schema-only -d "$db" | grep -v -e '^-- Dumped' -e '^.restrict ' -e '^.unrestrict ' >"$work/release.dump"
schema "$db" >"$work/from_release.sql"
if ! diff -u "$work/fresh.dump" "$work/release.dump" >"$work/diff_release_dump"; then
	echo "not ok - pg_dump --schema-only of $release updated to $current differs from a fresh $current:"
	head -n 40 "$work/diff_release_dump"
	status=1
elif ! diff -u "$work/fresh.sql" "$work/from_release.sql" >"$work/diff_release"; then
	echo "not ok - the fingerprint of $release updated to $current differs from a fresh $current:"
	head -n 40 "$work/diff_release"
	status=1
else
	echo "ok - $release -> $current: pg_dump --schema-only and the fingerprint equal a fresh $current's"
fi
unreachable=$(psql -X -At -d "$db" -c "
	SELECT string_agg(v.version, ', ' ORDER BY v.version)
	  FROM pg_available_extension_versions v
	 WHERE v.name = 'ticket' AND v.version <> '$current'
	   AND NOT EXISTS (SELECT 1 FROM pg_extension_update_paths('ticket') p
	                    WHERE p.source = v.version AND p.target = '$current' AND p.path IS NOT NULL)")
if [ -n "$unreachable" ] || ! psql -X -At -d "$db" -c "SELECT 1 FROM pg_available_extension_versions
		WHERE name = 'ticket' AND version = '$release'" | grep -q 1; then
	echo "not ok - pg_extension_update_paths: no path to $current from: ${unreachable:-(release $release missing)}"
	status=1
else
	echo "ok - pg_extension_update_paths('ticket') reaches $current from every version, $release included"
fi
dropdb "$db"
exit $status
