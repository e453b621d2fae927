#!/usr/bin/env bash
# test/upgrade/run.sh: every supported version, updated to the current one,
# is the extension a fresh install of the current one is.
#
# A fresh install runs the install script built from the per-object sources
# (extension/sql, assembled by make into ticket--CURRENT.sql); every older
# version the server knows (pg_available_extension_versions: 0.1, then each
# version an upgrade script of extension/scripts reaches, 1.0 and 1.1
# among them) is installed with CREATE EXTENSION ... VERSION and updated
# with ALTER EXTENSION ticket UPDATE, through the hand-written upgrade
# scripts.  The two must agree:
#   - test/upgrade/fingerprint.sql: every member with its comment, every
#     function's definition (body, volatility, strictness, parallel label,
#     security, proconfig) and ACL, columns, constraints, indexes, triggers
#     and whether they are enabled, row-level security and policies, grants
#     (of tables and of columns), publications, the dump filters of the
#     configuration tables, comments, and the rows of every table (the
#     shipped rules, nothing else);
#   - pg_dump --schema-only of the whole database.
# Any difference fails with a readable diff.  And the comparison can fail:
# in scratch copies of the fresh database a definition is made to diverge
# (a function body, a label, a grant, a column's grant, a comment, a
# trigger's state, a dump filter, a shipped row), and each must be reported.
# Needs PGHOST/PGPORT/PGUSER of a cluster where the extension is installed.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
current=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" "$root/ticket.control")
work=$(mktemp -d /tmp/ticket-upgrade.XXXXXX)
trap 'rm -rf "$work"' EXIT
status=0

fingerprint() {
	psql -X -q -v ON_ERROR_STOP=1 -d "$1" -f "$root/test/upgrade/fingerprint.sql"
}
# (\restrict lines carry a random key of each run.)
schema_dump() {
	pg_dump --schema-only -d "$1" | grep -v -e '^-- Dumped' -e '^.restrict ' -e '^.unrestrict '
}
# compare DB LABEL: 0 when DB is the fresh install, else the diff (first lines)
compare() {
	local db=$1 label=$2
	fingerprint "$db" >"$work/$label.fp"
	schema_dump "$db" >"$work/$label.dump"
	if ! diff -u "$work/fresh.fp" "$work/$label.fp" >"$work/$label.fp.diff"; then
		echo "# $label: the fingerprint differs from a fresh $current:"
		head -n 30 "$work/$label.fp.diff" | sed 's/^/#   /'
		return 1
	elif ! diff -u "$work/fresh.dump" "$work/$label.dump" >"$work/$label.dump.diff"; then
		echo "# $label: pg_dump --schema-only differs from a fresh $current:"
		head -n 30 "$work/$label.dump.diff" | sed 's/^/#   /'
		return 1
	fi
}

# The fresh install runs the built script, not a chain of upgrades.
sharedir=$(pg_config --sharedir)
if [ -f "$sharedir/extension/ticket--$current.sql" ]; then
	echo "ok - the install script of $current is installed: CREATE EXTENSION runs it, not the upgrades"
else
	echo "not ok - $sharedir/extension/ticket--$current.sql is missing (make install builds it from extension/sql)"
	status=1
fi
dropdb --if-exists ticket_upgrade_fresh 2>/dev/null
createdb ticket_upgrade_fresh
psql -X -q -v ON_ERROR_STOP=1 -d ticket_upgrade_fresh -c 'CREATE EXTENSION ticket CASCADE' 2>/dev/null
fingerprint ticket_upgrade_fresh >"$work/fresh.fp"
schema_dump ticket_upgrade_fresh >"$work/fresh.dump"

# Every older version, installed and updated.
mapfile -t versions < <(psql -X -At -d ticket_upgrade_fresh -c "
	SELECT version FROM pg_available_extension_versions
	 WHERE name = 'ticket' AND version <> '$current' ORDER BY string_to_array(version, '.')::int[]")
for wanted in 1.0 1.1 1.2; do
	printf '%s\n' "${versions[@]}" | grep -qx "$wanted" ||
		{ echo "not ok - release $wanted is not installable any more"; status=1; }
done
for version in "${versions[@]}"; do
	db=ticket_upgrade_from_${version//./_}
	dropdb --if-exists "$db" 2>/dev/null
	createdb "$db"
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" \
		-c "CREATE EXTENSION ticket VERSION '$version' CASCADE" \
		-c "ALTER EXTENSION ticket UPDATE" 2>/dev/null
	reached=$(psql -X -At -d "$db" -c "SELECT extversion FROM pg_extension WHERE extname = 'ticket'")
	path=$(psql -X -At -d "$db" -c "SELECT path FROM pg_extension_update_paths('ticket')
		WHERE source = '$version' AND target = '$current'")
	if [ "$reached" != "$current" ] || [ -z "$path" ]; then
		echo "not ok - from $version: reached $reached, update path '${path}'"
		status=1
	elif compare "$db" "from_$version"; then
		echo "ok - $version -> $current (path $path): fingerprint and pg_dump --schema-only equal a fresh $current's"
	else
		echo "not ok - $version updated to $current differs from a fresh $current"
		status=1
	fi
	dropdb "$db"
done

# Issue 18: grants recorded before 1.3 were never checked against the
# exemption catalogue; the update to 1.3 says how many it does not allow (a
# WARNING: an update script's NOTICEs are not shown), and nothing when there
# are none.  A 1.2 database with a citizen,
# then an E99 grant between the editions (1 April - 14 September 2025, S36).
db=ticket_upgrade_grants
dropdb --if-exists "$db" 2>/dev/null
createdb "$db"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "CREATE EXTENSION ticket VERSION '1.2' CASCADE" 2>/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$root/test/fixtures/birthplaces.sql" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null <<'SQL'
INSERT INTO registry.gp (gp_code, fiscal_code, surname, given_name, asl_code)
VALUES ('GP001', ticket.fiscal_code_encode('Bianchi', 'Luca', 'M', '1960-02-03', 'F257'), 'Bianchi', 'Luca', '080105');
INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl, gp_code)
VALUES (ticket.fiscal_code_encode('Rossi', 'Maria', 'F', '1970-05-01', 'A944'), 'Rossi', 'Maria', 'F',
        '1970-05-01', 'A944', '080105', 'GP001');
SQL
createdb -T "$db" "${db}_clean"
# (the row as 1.2 stored it: its triggers need the 1.2 library, which the
# 1.3 one replaces before the update)
psql -X -q -v ON_ERROR_STOP=1 -d "$db" >/dev/null -c "SET session_replication_role = replica" \
	-c "INSERT INTO registry.exemption_grant (fiscal_code, exemption, valid, source, granted_at)
	    VALUES (ticket.fiscal_code_encode('Rossi', 'Maria', 'F', '1970-05-01', 'A944'), 'E99',
	            '[2025-04-01,2025-09-15)', 'self_certification', '2025-04-01')"
notice=$(psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "ALTER EXTENSION ticket UPDATE" 2>&1 | grep 'exemption grant' || true)
if [ "$notice" = "WARNING:  ticket 1.3: 1 exemption grant(s) in effect not allowed by ticket.exemption_catalogue (pricing their days may fail with TK008)" ]; then
	echo "ok - the update of 1.2 says how many grants the exemption catalogue does not allow (1)"
else
	echo "not ok - the update of 1.2 with an E99 grant between the editions: '$notice'"
	status=1
fi
notice=$(psql -X -q -v ON_ERROR_STOP=1 -d "${db}_clean" -c "ALTER EXTENSION ticket UPDATE" 2>&1 | grep 'exemption grant' || true)
if [ -z "$notice" ]; then
	echo "ok - ... and nothing when every grant is allowed"
else
	echo "not ok - the update of 1.2 without grants says: '$notice'"
	status=1
fi
dropdb "$db"
dropdb "${db}_clean"

# The comparison can fail: each planted divergence, in a scratch copy of
# the fresh database, must be reported.
divergences=(
	"a function's body|CREATE OR REPLACE FUNCTION ticket.local_day(at timestamptz) RETURNS date LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, ticket, pg_temp AS \$\$ BEGIN RETURN (at AT TIME ZONE 'Europe/Rome')::date + 0; END \$\$"
	"a function's volatility|ALTER FUNCTION ticket.local_day(timestamptz) STABLE"
	"a function's grant|GRANT EXECUTE ON FUNCTION ticket.check_consistency() TO ticket_auditor"
	"a column's grant|GRANT UPDATE (status) ON TABLE ticket.regime TO ticket_rules_admin"
	"a comment|COMMENT ON TABLE cup.booking IS 'changed'"
	"a trigger's enabled state|ALTER TABLE registry.declaration ENABLE TRIGGER replica_queue"
	"a dump filter|UPDATE pg_extension SET extcondition[array_position(extconfig, 'ticket.regime'::regclass)] = '' WHERE extname = 'ticket'"
	"a shipped row|UPDATE ticket.regime SET description = description || '.' WHERE regime_id = 'ER-2012-02-01'"
	"a policy|DROP POLICY gp_patients ON registry.citizen"
)
for entry in "${divergences[@]}"; do
	what=${entry%%|*}
	sql=${entry#*|}
	db=ticket_upgrade_planted
	dropdb --if-exists "$db" 2>/dev/null
	createdb -T ticket_upgrade_fresh "$db"
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "SET session_replication_role = replica" -c "$sql" >/dev/null
	if compare "$db" planted >/dev/null; then
		echo "not ok - a planted divergence ($what) was not detected"
		status=1
	else
		echo "ok - a planted divergence is detected: $what"
	fi
	dropdb "$db"
done
dropdb ticket_upgrade_fresh
exit $status
