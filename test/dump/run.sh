#!/usr/bin/env bash
# pg_dump of a database using ticket, restored into a fresh one: every row of
# the extension's own tables (ticket.birthplace, the rule tables: user rows
# once, shipped rows from the install script) and of user tables with ticket
# types comes back identical, and a user-enacted regime prices the same bills
# (the last two fingerprints: bills stored before the dump, bills computed
# now), and the network (registry, FSE, CUP, outbox) comes back row for row
# with its sequences, ticket.check_consistency() empty on both sides.
# The restore runs with session_replication_role = replica, the documented
# procedure (extension/doc/ticket.md, "Backup and restore"): the network's
# triggers would otherwise treat restored history as new writes.
# Needs PGHOST/PGPORT/PGUSER.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
src=ticket_dump_src
dst=ticket_dump_dst
dump=$(mktemp /tmp/ticket-dump.XXXXXX)
trap 'rm -f "$dump"' EXIT
for db in "$src" "$dst"; do dropdb --if-exists "$db" 2>/dev/null; done

createdb "$src"
psql -X -q -v ON_ERROR_STOP=1 -d "$src" >/dev/null <<SQL
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
-- The network: citizens, a household, declarations (one closed by the next),
-- an exemption granted and one revoked, prescriptions, bookings booked, paid,
-- moved and cancelled, adjustments, events.
INSERT INTO registry.gp VALUES ('GP001', ticket.fiscal_code_encode('Medico', 'Primo', 'M', '1960-01-01', 'A944'),
                                'Medico', 'Primo', '080105', 'gp', NULL);
INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl, gp_code)
SELECT ticket.fiscal_code_encode(s, g, x, d, p), s, g, x, d, p, '080105', 'GP001'
  FROM (VALUES ('Rossi', 'Mario', 'M', date '1970-05-01', 'A944'), ('Rossi', 'Anna', 'F', '2005-03-02', 'A944'),
               ('Bianchi', 'Luca', 'M', '1950-07-07', 'F257')) v(s, g, x, d, p);
INSERT INTO registry.household DEFAULT VALUES;
INSERT INTO registry.household_member
SELECT fiscal_code, 1, CASE given_name WHEN 'Mario' THEN 'declarant' ELSE 'dependant' END
  FROM registry.citizen WHERE surname = 'Rossi';
CREATE TEMP TABLE who AS SELECT given_name, fiscal_code FROM registry.citizen;
SELECT fse.prescribe('080A00000000001', (SELECT fiscal_code FROM who WHERE given_name = 'Mario'), 'GP001',
                     '{89.7,89.52}', 'D', '2011-08-20');
SELECT fse.prescribe('080A00000000002', (SELECT fiscal_code FROM who WHERE given_name = 'Luca'), 'GP001',
                     '{88.91.1}', 'B', '2011-09-01');
SELECT fse.prescribe('080A00000000003', (SELECT fiscal_code FROM who WHERE given_name = 'Anna'), 'GP001',
                     '{89.7}', NULL, '2011-09-02');
SELECT cup.book('080A00000000001', '2011-09-05');
SELECT cup.book('080A00000000002', '2011-09-10');
SELECT cup.book('080A00000000003', '2011-09-12');
SELECT cup.pay(2, 70.00);
SELECT registry.self_certify((SELECT fiscal_code FROM who WHERE given_name = 'Mario'), 'RE1', 'cup_desk', 'op1',
                             '2011-08-29', signed_at => '2011-09-01');
SELECT registry.self_certify((SELECT fiscal_code FROM who WHERE given_name = 'Mario'), 'RE2', 'gp', 'dr1',
                             '2011-09-08', signed_at => '2011-09-08');
SELECT registry.self_certify((SELECT fiscal_code FROM who WHERE given_name = 'Anna'), 'RE2', 'caf', 'caf7',
                             '2011-08-29', declarant => (SELECT fiscal_code FROM who WHERE given_name = 'Mario'),
                             signed_at => '2011-09-03');
SELECT registry.self_certify((SELECT fiscal_code FROM who WHERE given_name = 'Luca'), 'RE2', 'call_centre', 'op2',
                             '2011-08-29', signed_at => '2011-10-15');
SELECT registry.grant_exemption((SELECT fiscal_code FROM who WHERE given_name = 'Luca'), 'E01', '2011-09-01',
                                'mef_list', granted_at => '2011-10-20');
SELECT registry.grant_exemption((SELECT fiscal_code FROM who WHERE given_name = 'Anna'), '013', '2011-09-01',
                                'asl_certificate', granted_at => '2011-09-05');
SELECT registry.revoke_exemption(1, '2011-09-05', 'income above the limit', '2011-10-30');
SELECT cup.move(1, '2011-09-20');
SELECT cup.cancel(2, 'changed mind');
SELECT cup.pay(3);
SELECT cup.complete(3);
SELECT cup.settle_adjustment(1);
-- 1.0: a binding written by the DBA; the audit log the writes above filled.
INSERT INTO ticket.role_binding (role_name, asl_code) VALUES ('cup_bologna_1', '080105');
INSERT INTO ticket.role_binding (role_name, gp_code) VALUES ('dr_primo', 'GP001');
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

# Every row of every network table and the position of every sequence.
network_fingerprint() {
	psql -X -At -d "$1" -c "
		SELECT string_agg(t || '=' || n || ':' || h, ' ' ORDER BY t) FROM (
		    SELECT 'citizen' t, count(*) n, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) h FROM registry.citizen x UNION ALL
		    SELECT 'gp', count(*), md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM registry.gp x UNION ALL
		    SELECT 'household', count(*), md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM registry.household x UNION ALL
		    SELECT 'member', count(*), md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM registry.household_member x UNION ALL
		    SELECT 'declaration', count(*), md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM registry.declaration x UNION ALL
		    SELECT 'grant', count(*), md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM registry.exemption_grant x UNION ALL
		    SELECT 'profile', count(*), md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM fse.profile x UNION ALL
		    SELECT 'fse_event', count(*), md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM fse.event x UNION ALL
		    SELECT 'prescription', count(*), md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM fse.prescription x UNION ALL
		    SELECT 'booking', count(*), md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM cup.booking x UNION ALL
		    SELECT 'adjustment', count(*), md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM cup.adjustment x UNION ALL
		    SELECT 'event', count(*), md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM ticket.event x UNION ALL
		    SELECT 'role_binding', count(*), md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM ticket.role_binding x UNION ALL
		    SELECT 'audit_log', count(*), md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM ticket.audit_log x UNION ALL
		    SELECT 'sequences', count(*), string_agg(schemaname || '.' || sequencename || '@' || coalesce(last_value, 0), ',' ORDER BY schemaname, sequencename)
		      FROM pg_sequences WHERE schemaname IN ('registry', 'fse', 'cup', 'ticket')) f"
}

consistency() {
	psql -X -At -d "$1" -c "SELECT count(*) FROM ticket.check_consistency()"
}

pg_dump -Fc -d "$src" -f "$dump"
createdb "$dst"
PGOPTIONS='-c session_replication_role=replica' pg_restore --exit-on-error -d "$dst" "$dump"
network_before=$(network_fingerprint "$src")
network_after=$(network_fingerprint "$dst")
echo "# source:   $network_before"
echo "# restored: $network_after"
if [ "$network_before" != "$network_after" ] || [[ "$network_before" != *"booking=3:"* ]]; then
	echo "not ok - the restored network differs from the dumped one"
	exit 1
fi
echo "ok - every row of the network and every sequence came back"
if [ "$(consistency "$src")" != 0 ] || [ "$(consistency "$dst")" != 0 ]; then
	psql -X -d "$dst" -c "SELECT * FROM ticket.check_consistency()"
	echo "not ok - ticket.check_consistency() is not empty"
	exit 1
fi
echo "ok - ticket.check_consistency() is empty before and after"
# Writes after the restore continue the sequences instead of colliding.
psql -X -q -v ON_ERROR_STOP=1 -d "$dst" -c "SELECT cup.book('080A00000000002', '2011-09-30')" >/dev/null ||
	{ echo "not ok - a booking after the restore failed"; exit 1; }
echo "ok - a booking after the restore gets a fresh id and a price"
before=$(fingerprint "$src")
after=$(fingerprint "$dst")
echo "# source:   $before"
echo "# restored: $after"
if [ "$before" != "$after" ] || [ "${before%%:*}" = 0 ]; then
	echo "not ok - the restored database differs from the dumped one"
	exit 1
fi
echo "ok - pg_dump/pg_restore kept every row (birthplaces, user rule rows, user data) and the bills"
