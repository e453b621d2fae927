#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# test/pgaudit/run.sh: the documented pgaudit configuration audits reads of
# self-certifications and exemptions (object audit through the role
# ticket_pgaudit, extension/scripts/ticket--0.5--1.0.sql), and only those.
#
#   bash test/pgaudit/run.sh
#
# Installs the Debian package postgresql-MAJOR-pgaudit (TICKET_PG_MAJOR) when it is missing (as
# root, as ticket_install_deps does).  Starts its own throwaway cluster
# (extension/bin/common.sh) with shared_preload_libraries = 'pgaudit', then
# appends the manual's postgresql.conf lines (pgaudit.role = 'ticket_pgaudit',
# pgaudit.log = 'none', pgaudit.log_parameter = on, a log_line_prefix with
# %u and %a) to that cluster's postgresql.conf and reloads; stops only that
# cluster at exit, whatever PGHOST/PGPORT say.  No CREATE EXTENSION pgaudit:
# object audit needs only the library (the extension's event triggers are for
# DDL in session audit), and this test shows it.
#
# In database ticket_pgaudit: CREATE EXTENSION ticket CASCADE, the birthplace
# fixture, a GP, two citizens, a self-certification and an exemption grant,
# two test-only plpgsql functions reading registry.declaration (one SECURITY
# INVOKER, one SECURITY DEFINER owned by the superuser), all as superuser.
# A LOGIN role cup_op1, member of ticket_cup_operator, bound to ASL 080105,
# runs each read in its own desk session: pgbench -t 1 with application_name
# cup-desk in extended query mode, so that the fiscal code travels as a bind
# parameter as from a desk application.  The AUDIT lines the server logged
# during each session must be:
#   * SELECT from registry.declaration, from registry.exemption_grant: one
#     AUDIT: OBJECT READ SELECT line naming the table, user cup_op1,
#     application cup-desk, the fiscal code in the parameter field;
#   * SELECT from registry.asl (ticket_pgaudit holds nothing on it): none;
#   * the SECURITY INVOKER function: one OBJECT line for the nested read;
#   * the SECURITY DEFINER function: none -- pgaudit does not log statements
#     run while the current user is a role the session user is not a member
#     of (the body of a SECURITY DEFINER function owned by someone else);
#   * fse.status(): none -- it is SECURITY DEFINER (like every API function
#     of the extension), and its reads are C index scans besides
#     (ticket.citizen_status), which no executor hook sees.  Asserted as it
#     is so that a change is noticed; the manual's "Auditing reads with
#     pgaudit" says what covers the gap (the audit log's READ rows).
# And no AUDIT: SESSION line at all.  Every read must succeed and see the
# fixture, or an absent line would prove nothing.
# TAP-ish "ok - ..." / "not ok - ..." lines; exit 0 on pass, 1 on failure.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# never touch a cluster the caller's environment points to
unset TICKET_CLUSTER_DIR
# shellcheck source=../../extension/bin/common.sh
source "$root/extension/bin/common.sh"
db=ticket_pgaudit
role=cup_op1
app=cup-desk
pkg=postgresql-$TICKET_PG_MAJOR-pgaudit

# --- pgaudit --------------------------------------------------------------------

ticket_install_packages "$pkg" || exit 1
if [ ! -f "$(pg_config --pkglibdir)/pgaudit.so" ]; then
	echo "pgaudit.so is not installed" >&2
	exit 1
fi
if [ ! -f "$(pg_config --sharedir)/extension/ticket.control" ]; then
	echo "the extension is not installed (make install)" >&2
	exit 1
fi

# --- the cluster ----------------------------------------------------------------

started_cluster=0
# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
	local rc=$?
	if [ "$started_cluster" = 1 ]; then
		if [ "$rc" -ne 0 ]; then
			local keep
			keep=$(mktemp -d "${TMPDIR:-/tmp}/ticket-pgaudit.XXXXXX")
			cp "$TICKET_CLUSTER_DIR"/*.log "$keep"/ 2>/dev/null || true
			echo "# logs kept in $keep" >&2
		fi
		ticket_cluster_stop
	fi
}
trap cleanup EXIT
# our own trap stops it (and only it); shared_preload_libraries needs a
# start, the rest is what the manual puts in postgresql.conf
TICKET_KEEP_CLUSTER=1 ticket_cluster_start shared_preload_libraries=pgaudit
started_cluster=1
t_start=$SECONDS
log=$TICKET_CLUSTER_DIR/server.log
cat >>"$TICKET_CLUSTER_DIR/data/postgresql.conf" <<'CONF'
# --- the manual's "Auditing reads with pgaudit" ---
shared_preload_libraries = 'pgaudit'
pgaudit.role = 'ticket_pgaudit'
pgaudit.log = 'none'
pgaudit.log_parameter = on
log_line_prefix = '%m [%p] user=%u db=%d app=%a '
CONF
psql_su=(psql -X -q -v ON_ERROR_STOP=1)
"${psql_su[@]}" -d postgres -c 'SELECT pg_reload_conf()' >/dev/null
# pg_reload_conf() only signals: wait until the backends see the new values
for _ in $(seq 50); do
	settings=$("${psql_su[@]}" -d postgres -Atc "
		SELECT string_agg(name || '=' || setting, ' ' ORDER BY name) FROM pg_settings
		 WHERE name IN ('shared_preload_libraries', 'pgaudit.role', 'pgaudit.log',
		                'pgaudit.log_parameter', 'log_line_prefix')")
	[[ $settings == *pgaudit.role=ticket_pgaudit* ]] && break
	sleep 0.1
done
expected_settings="log_line_prefix=%m [%p] user=%u db=%d app=%a  pgaudit.log=none pgaudit.log_parameter=on pgaudit.role=ticket_pgaudit shared_preload_libraries=pgaudit"
if [ "$settings" != "$expected_settings" ]; then
	echo "the server did not take the settings: $settings" >&2
	exit 1
fi

# --- the database, the fixture, the role ----------------------------------------

createdb "$db"
# as test/storm and test/sqlsmith: the operators of the ticket types live in
# schema ticket (the desk writes fiscal_code = $1)
"${psql_su[@]}" -d "$db" -c "ALTER DATABASE $db SET search_path = public, ticket" >/dev/null
"${psql_su[@]}" -d "$db" -c 'CREATE EXTENSION ticket CASCADE' -f "$root/test/fixtures/birthplaces.sql" >/dev/null
"${psql_su[@]}" -d "$db" >/dev/null <<'SQL'
INSERT INTO registry.gp VALUES ('GP001', ticket.fiscal_code_encode('Medico', 'Primo', 'M', '1960-01-01', 'A944'),
                                'Medico', 'Primo', '080105', 'gp', NULL);
INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl, gp_code)
SELECT ticket.fiscal_code_encode(s, g, x, d, p), s, g, x, d, p, '080105', 'GP001'
  FROM (VALUES ('Rossi', 'Mario', 'M', date '1970-05-01', 'A944'),
               ('Bianchi', 'Luca', 'M', date '1950-07-07', 'F257')) v(s, g, x, d, p);
SELECT registry.self_certify(ticket.fiscal_code_encode('Rossi', 'Mario', 'M', '1970-05-01', 'A944'),
                             'RE1', 'cup_desk', 'op1', '2011-08-29', signed_at => '2011-09-01');
SELECT registry.grant_exemption(ticket.fiscal_code_encode('Bianchi', 'Luca', 'M', '1950-07-07', 'F257'),
                                'E01', '2011-09-01', 'mef_list', granted_at => '2011-10-20');
CREATE ROLE cup_op1 LOGIN;
GRANT ticket_cup_operator TO cup_op1;
INSERT INTO ticket.role_binding (role_name, asl_code) VALUES ('cup_op1', '080105');
-- test only: two plpgsql functions that read registry.declaration in a
-- nested statement, one SECURITY INVOKER, one SECURITY DEFINER (owner: the
-- superuser, as the extension's API functions)
CREATE FUNCTION public.probe_invoker(cf ticket.fiscal_code) RETURNS bigint
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, ticket, pg_temp
AS $$ BEGIN RETURN (SELECT count(*) FROM registry.declaration d WHERE d.fiscal_code = cf); END $$;
CREATE FUNCTION public.probe_definer(cf ticket.fiscal_code) RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, ticket, pg_temp
AS $$ BEGIN RETURN (SELECT count(*) FROM registry.declaration AS definer_d WHERE definer_d.fiscal_code = cf); END $$;
REVOKE ALL ON FUNCTION public.probe_invoker(ticket.fiscal_code), public.probe_definer(ticket.fiscal_code) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.probe_invoker(ticket.fiscal_code), public.probe_definer(ticket.fiscal_code) TO cup_op1;
SQL
cf_mario=$("${psql_su[@]}" -d "$db" -Atc "SELECT ticket.fiscal_code_encode('Rossi', 'Mario', 'M', '1970-05-01', 'A944')")
cf_luca=$("${psql_su[@]}" -d "$db" -Atc "SELECT ticket.fiscal_code_encode('Bianchi', 'Luca', 'M', '1950-07-07', 'F257')")

# --- the CUP desk -----------------------------------------------------------------

# desk NAME STATEMENT: one desk session (pgbench -t 1 as cup_op1, application
# cup-desk, extended query protocol: :cf_mario and :cf_luca are sent as bind
# parameters $1, as from the desk's application) runs the one-line STATEMENT,
# whose result column is named r; sets desk_result to r and desk_audit to the
# AUDIT lines the server logged meanwhile (no other session runs: every line
# of the log between the marks is this statement's).  A failed statement
# fails the test: an absent audit line proves nothing about a read that did
# not happen.
desk() {
	local name=$1 statement=$2 script out mark
	script=$TICKET_CLUSTER_DIR/desk-$name.pgbench
	out=$TICKET_CLUSTER_DIR/desk-$name.out
	printf '%s \\gset\n\\shell echo result :r\n' "$statement" >"$script"
	mark=$(wc -l <"$log")
	if ! PGAPPNAME=$app "$TICKET_PG_BIN/pgbench" -n -t 1 -M extended -U "$role" \
		-D cf_mario="$cf_mario" -D cf_luca="$cf_luca" -f "$script" "$db" >"$out" 2>&1; then
		cat "$out" >&2
		echo "the desk statement '$name' failed" >&2
		exit 1
	fi
	desk_result=$(sed -n 's/^result //p' "$out")
	# the backend writes its log lines before it answers the statement
	desk_audit=$(tail -n +"$((mark + 1))" "$log" | grep -F 'AUDIT: ' || true)
	echo "# $name: $statement -> $desk_result"
	local line
	while IFS= read -r line; do echo "#   $line"; done <<<"${desk_audit:-(no AUDIT line)}"
}

n_tests=0
n_failed=0
check() {
	local desc=$1
	shift
	n_tests=$((n_tests + 1))
	if "$@"; then
		echo "ok - $desc"
	else
		n_failed=$((n_failed + 1))
		echo "not ok - $desc"
	fi
}
# object_line RELATION PARAMETER: desk_audit is exactly one OBJECT READ SELECT
# line on RELATION, from cup_op1 with application cup-desk, whose parameter
# field (the last) is PARAMETER
object_line() {
	local relation=$1 parameter=$2
	[ "$(grep -c . <<<"$desk_audit")" = 1 ] &&
		grep -qE "^.* user=$role db=$db app=$app LOG:  AUDIT: OBJECT,[0-9]+,[0-9]+,READ,SELECT,TABLE,${relation//./\\.},.*,$parameter\$" <<<"$desk_audit"
}

# shellcheck disable=SC2016  # $1 is the statement's bind parameter, literally
desk declaration 'SELECT count(*) AS r FROM registry.declaration WHERE fiscal_code = :cf_mario'
check "registry.declaration: the desk read the citizen's one declaration" test "$desk_result" = 1
check "registry.declaration: one AUDIT: OBJECT READ SELECT line, user $role, application $app, the fiscal code as parameter" \
	object_line registry.declaration "$cf_mario"

desk exemption_grant 'SELECT count(*) AS r FROM registry.exemption_grant WHERE fiscal_code = :cf_luca'
check "registry.exemption_grant: the desk read the citizen's one grant" test "$desk_result" = 1
check "registry.exemption_grant: one AUDIT: OBJECT READ SELECT line, user $role, application $app, the fiscal code as parameter" \
	object_line registry.exemption_grant "$cf_luca"

desk asl "SELECT count(*) AS r FROM registry.asl WHERE asl_code = '080105'"
check "registry.asl: the desk read it" test "$desk_result" = 1
check "registry.asl, which ticket_pgaudit holds nothing on: no AUDIT line (the audit is selective)" \
	test -z "$desk_audit"

# A statement nested in a function is audited (substatement of the call),
# with the function's variables as parameters.
desk probe_invoker 'SELECT public.probe_invoker(:cf_mario) AS r'
check "a read nested in a SECURITY INVOKER plpgsql function: it ran" test "$desk_result" = 1
check "a read nested in a SECURITY INVOKER plpgsql function: one OBJECT line, user $role, the fiscal code as parameter" \
	object_line registry.declaration "\"$cf_mario,\""

# pgaudit (log_select_dml) logs nothing while the current user is a role the
# session user is not a member of: the body of a SECURITY DEFINER function
# owned by another role is not audited.  Every API function of the extension
# is SECURITY DEFINER, owned by the superuser that created it.
desk probe_definer 'SELECT public.probe_definer(:cf_mario) AS r'
check "a read nested in a SECURITY DEFINER plpgsql function owned by the superuser: it ran" test "$desk_result" = 1
check "a read nested in a SECURITY DEFINER function owned by the superuser: no AUDIT line (pgaudit skips their bodies)" \
	test -z "$desk_audit"

# fse.status reads registry.declaration and registry.exemption_grant inside
# SECURITY DEFINER functions, and there through ticket.citizen_status (C
# index scans that never reach the executor, so no hook of pgaudit runs).
desk fse_status "SELECT (fse.status(:cf_mario, '2011-10-01')).declared_band AS r"
check "fse.status(): it ran and read the declaration (band RE1)" test "$desk_result" = RE1
check "fse.status(): no AUDIT line (SECURITY DEFINER, and C index scans: pgaudit does not see its reads)" \
	test -z "$desk_audit"

# ...which is why fse.status records its reads itself: a READ row of
# ticket.audit_log with the desk's role and application.
read_rows=$("${psql_su[@]}" -At -d "$db" -c "SELECT count(*) FROM ticket.audit_log
	WHERE operation = 'READ' AND table_name = 'fse.status' AND row_key = '$cf_mario'
	  AND acting_role = '$role' AND application_name = '$app' AND new_row ->> 'on_date' = '2011-10-01'")
check "fse.status(): the read is a READ row of ticket.audit_log (role $role, application $app)" test "$read_rows" = 1

# session logging is off: nothing but OBJECT lines from the desk's sessions
check "no AUDIT: SESSION line at all (pgaudit.log = 'none')" \
	test -z "$(grep -F 'AUDIT: SESSION,' "$log" || true)"

echo "# $n_tests tests, $n_failed failed ($((SECONDS - t_start)) s)"
[ "$n_failed" -eq 0 ] || exit 1
