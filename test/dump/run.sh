#!/usr/bin/env bash
# pg_dump of a database using ticket, restored into a fresh one: every row of
# the extension's own tables (ticket.birthplace) and of user tables with
# ticket types comes back identical.  Needs PGHOST/PGPORT/PGUSER.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
src=ticket_dump_src
dst=ticket_dump_dst
dump=$(mktemp /tmp/ticket-dump.XXXXXX)
trap 'rm -f "$dump"' EXIT
for db in "$src" "$dst"; do dropdb --if-exists "$db" 2>/dev/null; done

createdb "$src"
psql -X -q -v ON_ERROR_STOP=1 -d "$src" <<SQL
CREATE EXTENSION ticket;
\i $root/test/fixtures/birthplaces.sql
CREATE TABLE patient (cf ticket.fiscal_code PRIMARY KEY, surname text);
INSERT INTO patient VALUES ('CCCFBA85D03L219P', 'Caccamo'), ('CCCFBA85D03L21VE', 'Caccamo'),
                           ('02342520158', NULL), ('STP0800001234567', NULL);
SQL

# A fingerprint of every row, in a stable order.
fingerprint() {
	psql -X -At -d "$1" -c "
		SELECT (SELECT count(*) || ':' || md5(string_agg(b::text, '|' ORDER BY b::text)) FROM ticket.birthplace b)
		    || ' ' ||
		       (SELECT count(*) || ':' || md5(string_agg(p::text, '|' ORDER BY p::text)) FROM public.patient p)"
}

pg_dump -Fc -d "$src" -f "$dump"
createdb "$dst"
pg_restore --exit-on-error -d "$dst" "$dump"
before=$(fingerprint "$src")
after=$(fingerprint "$dst")
echo "# source:   $before"
echo "# restored: $after"
if [ "$before" != "$after" ] || [ "${before%%:*}" = 0 ]; then
	echo "not ok - the restored database differs from the dumped one"
	exit 1
fi
echo "ok - pg_dump/pg_restore kept every row (birthplaces and user data)"
