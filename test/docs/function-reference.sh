#!/usr/bin/env bash
# test/docs/function-reference.sh: every function of the extension has one
# row in the manual's "Function reference", with a stable anchor and the
# version it appeared in.
#
#   PGHOST=... PGPORT=... PGUSER=... bash test/docs/function-reference.sh [DBNAME]
#
# DBNAME (or PGDATABASE) is a database where the extension is installed.
# A row starts `| <a id="ANCHOR"></a>`schema.name(arguments) → ...` | SINCE |`.
#   ANCHOR  fn-SCHEMA-NAME; for an overloaded name, followed by -TYPE, its
#           first argument's type ([] written -array): fn-ticket-text-exemption
#   SINCE   the version whose script first creates that signature, from
#           extension/scripts: ticket--0.1.sql is 0.1, ticket--A--B.sql is B
# The server resolves the rows' and the scripts' signatures (to_regprocedure),
# so argument names, defaults and abbreviated type names do not matter.
# Prints TAP; exits 1 on a missing, extra or wrong row, 2 if it cannot run.
set -euo pipefail

here=$(dirname "${BASH_SOURCE[0]}")
# shellcheck source=lib.sh
source "$here/lib.sh"
if [ $# -gt 0 ]; then
	export PGDATABASE=$1
fi
if [ -z "${PGDATABASE:-}" ]; then
	echo "Bail out! no database: pass one as the argument or set PGDATABASE"
	exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The scripts in version order, each once: the first to create a signature wins.
mapfile -t scripts < <(for f in "$docs_root"/extension/scripts/ticket--*.sql; do
	echo "$(sed -E 's/.*ticket--([0-9.]+--)?([0-9.]+)\.sql$/\2/' <<<"$f") $f"
done | sort -V | cut -d' ' -f2-)
perl "$here/signatures.pl" scripts "${scripts[@]}" | awk '{ print NR "\t" $0 }' >"$work/scripts.tsv"
docs_section '## Function reference' | perl "$here/signatures.pl" manual >"$work/manual.tsv"
if [ ! -s "$work/scripts.tsv" ] || [ ! -s "$work/manual.tsv" ]; then
	echo "Bail out! no signatures read from the scripts or from the manual's 'Function reference'"
	exit 2
fi

if ! psql -X -q -A -t -v ON_ERROR_STOP=1 >"$work/results" 2>"$work/err" <<SQL; then
SET search_path = ticket, registry, fse, cup, pg_catalog;
CREATE TEMP TABLE script_signature (ord integer, version text, signature text);
CREATE TEMP TABLE manual_row (line integer, anchor text, since text, signature text);
\copy script_signature FROM '$work/scripts.tsv'
\copy manual_row FROM '$work/manual.tsv'
WITH member AS (
    SELECT p.oid, n.nspname, p.proname, p.proargtypes,
           count(*) OVER (PARTITION BY n.nspname, p.proname) > 1 AS overloaded
      FROM pg_depend d
      JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'ticket'
      JOIN pg_proc p ON p.oid = d.objid
      JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE d.classid = 'pg_proc'::regclass AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'),
expected AS (
    SELECT m.oid, format('%s.%s(%s)', m.nspname, m.proname, oidvectortypes(m.proargtypes)) AS function,
           'fn-' || m.nspname || '-' || m.proname ||
           CASE WHEN m.overloaded
                THEN '-' || replace(replace(format_type(m.proargtypes[0], NULL), '[]', '-array'), ' ', '_')
                ELSE '' END AS anchor,
           (SELECT s.version FROM script_signature s
             WHERE to_regprocedure(s.signature) = m.oid ORDER BY s.ord LIMIT 1) AS since
      FROM member m),
documented AS (
    SELECT r.*, to_regprocedure(r.signature)::oid AS oid FROM manual_row r),
result AS (
    SELECT e.function AS sort_key,
           CASE WHEN count(d.line) = 1 THEN 'ok' ELSE 'not ok' END || '|' ||
           format('%s: one row in the Function reference (%s found)', e.function, count(d.line))
      FROM expected e LEFT JOIN documented d ON d.oid = e.oid
     GROUP BY e.function
    UNION ALL
    SELECT e.function,
           CASE WHEN d.anchor = e.anchor THEN 'ok' ELSE 'not ok' END || '|' ||
           format('%s: anchor %s (line %s of the section has %s)', e.function, e.anchor, d.line,
                  coalesce(nullif(d.anchor, ''), 'none'))
      FROM expected e JOIN documented d ON d.oid = e.oid
    UNION ALL
    SELECT e.function,
           CASE WHEN d.since = e.since THEN 'ok' ELSE 'not ok' END || '|' ||
           format('%s: since %s (line %s of the section says %s)', e.function,
                  coalesce(e.since, 'no script creates it'), d.line, coalesce(nullif(d.since, ''), 'nothing'))
      FROM expected e JOIN documented d ON d.oid = e.oid
    UNION ALL
    SELECT '~' || d.signature, 'not ok|' ||
           format('line %s of the section documents %s, no function of the extension', d.line, d.signature)
      FROM documented d
     WHERE d.oid IS NULL OR d.oid NOT IN (SELECT oid FROM expected)
    UNION ALL
    SELECT '~' || d.anchor, 'not ok|' || format('the anchor %s is on %s rows', d.anchor, count(*))
      FROM documented d WHERE d.anchor <> ''
     GROUP BY d.anchor HAVING count(*) > 1)
SELECT r FROM result AS t(sort_key, r) ORDER BY sort_key, r;
SQL
	echo "Bail out! the query failed: $(grep -m 1 ERROR "$work/err")"
	exit 2
fi

if [ ! -s "$work/results" ]; then
	echo "Bail out! the extension has no function"
	exit 2
fi
while IFS='|' read -r status description; do
	tap_record "$status" "$description"
done <"$work/results"
tap_finish "the Function reference of $docs_manual"
