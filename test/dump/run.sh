#!/usr/bin/env bash
# pg_dump of a database using ticket, restored into a fresh one: every row of
# the extension's own tables (ticket.birthplace, the rule tables: user rows
# once, shipped rows from the install script) and of user tables with ticket
# types comes back identical, and a user-enacted regime prices the same bills
# (the last two fingerprints: bills stored before the dump, bills computed
# now).  Needs PGHOST/PGPORT/PGUSER.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
src=ticket_dump_src
dst=ticket_dump_dst
dump=$(mktemp /tmp/ticket-dump.XXXXXX)
trap 'rm -f "$dump"' EXIT
for db in "$src" "$dst"; do dropdb --if-exists "$db" 2>/dev/null; done

createdb "$src"
psql -X -q -v ON_ERROR_STOP=1 -d "$src" <<SQL
CREATE EXTENSION ticket CASCADE;
\i $root/test/fixtures/birthplaces.sql
CREATE TABLE patient (cf ticket.fiscal_code PRIMARY KEY, surname text);
INSERT INTO patient VALUES ('CCCFBA85D03L219P', 'Caccamo'), ('CCCFBA85D03L21VE', 'Caccamo'),
                           ('02342520158', NULL), ('STP0800001234567', NULL);
-- A decree enacted by the user: its rows must survive, the shipped ones
-- must come back from the install script, not twice.
INSERT INTO ticket.regime (regime_id, effective_from, legal_reference, description, default_band,
                           specialist_cap, quota, first_visit, control_visit, er_access, er_chargeable_codes)
VALUES ('ER-2027-01-01', '2027-01-01', 'DGR test', 'user regime', 'ZB', 30.00, 7.00, 20.00, 15.00, 25.00, '{PS-WHITE}');
INSERT INTO ticket.regime_band (regime_id, band, income_range, quota, ct_mri, drug_per_pack, drug_cap)
VALUES ('ER-2027-01-01', 'ZA', '[0,50000]', 0, 30, 1, 2), ('ER-2027-01-01', 'ZB', '(50000,)', 9, 60, 2, 4);
INSERT INTO ticket.exemption_rule (regime_id, family, coverage, spares_band_quota, spares_drugs, spares_er)
VALUES ('ER-2027-01-01', 'income', 'all', true, true, true);
INSERT INTO ticket.service (code, effective_from, description, branch, kind, tariff, synthetic, source)
VALUES ('USR.1', '2026-06-01', 'a user service', 'laboratory', 'exam', 12.00, true, 'test');
INSERT INTO ticket.exemption_scope (exemption, service_code) VALUES ('013', 'USR.1');
CREATE TABLE bill_before AS
SELECT (ticket.price(ARRAY['USR.1'], b, e, DATE '2027-03-01')).*
  FROM (VALUES (NULL::ticket.income_band, NULL::ticket.exemption[]), ('ZA', NULL),
               ('ZB', '{013}'), (NULL, '{E01}')) AS v(b, e);
SQL

# A fingerprint of every row, in a stable order.
fingerprint() {
	psql -X -At -d "$1" -c "
		SELECT (SELECT count(*) || ':' || md5(string_agg(b::text, '|' ORDER BY b::text)) FROM ticket.birthplace b)
		    || ' ' ||
		       (SELECT count(*) || ':' || md5(string_agg(p::text, '|' ORDER BY p::text)) FROM public.patient p)
		    || ' ' ||
		       (SELECT string_agg(t || ':' || n, ',' ORDER BY t) FROM (
		            SELECT 'regime' t, count(*) n FROM ticket.regime UNION ALL
		            SELECT 'band', count(*) FROM ticket.regime_band UNION ALL
		            SELECT 'rule', count(*) FROM ticket.exemption_rule UNION ALL
		            SELECT 'service', count(*) FROM ticket.service UNION ALL
		            SELECT 'scope', count(*) FROM ticket.exemption_scope) c)
		    || ' ' ||
		       (SELECT md5(string_agg(b::text, '|' ORDER BY b::text)) FROM public.bill_before b)
		    || ' ' ||
		       (SELECT md5(string_agg(b::text, '|' ORDER BY b::text)) FROM (
		            SELECT (ticket.price(ARRAY['USR.1'], b, e, DATE '2027-03-01')).*
		              FROM (VALUES (NULL::ticket.income_band, NULL::ticket.exemption[]), ('ZA', NULL),
		                           ('ZB', '{013}'), (NULL, '{E01}')) AS v(b, e)) b)"
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
echo "ok - pg_dump/pg_restore kept every row (birthplaces, user rule rows, user data) and the bills"
