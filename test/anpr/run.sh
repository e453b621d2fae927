#!/usr/bin/env bash
# Loads the official ANPR archive with the documented command, twice (a reload
# replaces the data), checks that a bad file changes nothing, then runs the
# pgTAP checks of anpr_archive.sql.  Needs PGHOST/PGPORT/PGUSER of a cluster
# with ticket and pgtap installed.  Exit 0 = pass, 1 = fail, 77 = skipped.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${TICKET_SHARED_DATA:-$root/../shared/data}
anpr=$data/ANPR_archivio_comuni.csv
if [ ! -f "$anpr" ]; then
	echo "SKIP: $anpr does not exist, the ANPR archive test did not run"
	exit 77
fi
loader=$root/extension/scripts/ticket_load_birthplaces.psql
db=ticket_anpr
dropdb --if-exists "$db"
createdb "$db"
psql -X -q -d "$db" -c 'CREATE EXTENSION ticket CASCADE; CREATE EXTENSION pgtap;'
load() {
	psql -X -q -d "$db" -v anpr="$1" -v countries="$data/countries.json" \
		-v deleted_countries="$data/deleted-countries.json" -f "$loader"
}
rows() { psql -X -At -d "$db" -c 'SELECT count(*) FROM ticket.birthplace'; }

echo "# loading $anpr"
load "$anpr" >/dev/null
first=$(rows)
load "$anpr" >/dev/null
second=$(rows)
if [ "$first" != "$second" ]; then
	echo "not ok - reload changed the row count ($first then $second)"
	exit 1
fi
echo "# reload kept $second rows"

# A file with one malformed code must abort the whole reload.
bad=$(mktemp /tmp/ticket-anpr-bad.XXXXXX.csv)
trap 'rm -f "$bad"' EXIT
sed '3s/"A001"/"XX01"/' "$anpr" >"$bad"
chmod 644 "$bad"
if load "$bad" >/dev/null 2>&1; then
	echo "not ok - a malformed file was loaded"
	exit 1
fi
after=$(rows)
if [ "$after" != "$second" ]; then
	echo "not ok - a failed reload left $after rows instead of $second"
	exit 1
fi
echo "# a malformed file was refused and the $after rows stayed"
pg_prove -d "$db" "$root/test/anpr/anpr_archive.sql"
