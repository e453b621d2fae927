# test/tap/t/002_regional_network.pl: the regional network on logical
# replication (issue 7, version 1.1).
#
# Three nodes on 127.0.0.1: the region (wal_level = logical) and the CUP
# nodes of two ASLs, Bologna (080105) and Modena (080104), each its own
# cluster with the extension, made an ASL node (ticket.become_asl_node) and
# subscribed to the region's publication for its ASL (disable_on_error).
# The registry and the prescriptions are written at the region, the
# bookings at the ASL nodes.  Scenarios, each checked at the ASL nodes
# (amounts, bands, regimes, ticket.event, cup.adjustment):
#   1. a declaration at the region re-prices the unpaid booking at the
#      citizen's ASL only and adjusts a paid one inside the 2011 window;
#   2. an exemption grant refunds a paid booking, its revocation re-prices;
#   3. a resident moves: the citizen row leaves the old ASL node and
#      reaches the new one, the old bookings stay, the new ASL books, and a
#      later declaration re-prices at both;
#   4. a decree (a new regime) reaches both ASLs and re-prices the unpaid
#      bookings from its date; an exemption code the region adds to the
#      catalogue (a municipal code, issue 18) reaches them, is priced there,
#      and closing it (its grant revoked first) re-prices;
#   5. an ASL node crashes (immediate shutdown) while declarations are made;
#      after the restart it catches up, re-prices and adjusts; a paid
#      booking of 2012 and a form signed on 1 October 2011 adjust nothing;
#   6. an apply error (a local row conflicting with a replicated one)
#      disables the subscription (replication_health: 'disabled after an
#      error'); the row removed and the subscription enabled, the node
#      catches up and adjusts;
#   7. ticket.check_consistency() is empty on every node and every
#      subscription streams.
#
# Dates (issue 18, S3 S4 S5; ../shared/docs/ticket-rules.md §1.4 and §9):
# a paid booking is adjusted after a late declaration or exemption grant
# only in the 2011 transition, for the services from 29 August 2011 and
# forms signed until 30 September 2011 (ticket.regime.adjustment_until
# 2011-09-30, adjustment_grace_days 60 of ER-2011-08-29); later regimes have
# no window, paid is final.  So the dated scenarios (1, 2, 3, 5, 6) run in
# August-October 2011 under ER-2011-08-29 (they ran in 2015, under
# ER-2012-02-01, when the 60-day window was thought permanent); the decree
# of scenario 4 stays in 2026-27, where no window is involved.
#
# Run with `make tap-check` (Makefile), against the installed extension.
use strict;
use warnings;

use FindBin;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(usleep);

my $tap_dir  = $FindBin::RealBin . '/..';
my $fixtures = "$tap_dir/../fixtures";
my $db       = 'ticket_net';
my %asl_name = ('080105' => 'asl_bo', '080104' => 'asl_mo');

my $conf = q{
max_connections = 30
jit = off
max_parallel_workers_per_gather = 0
};

# The region: logical decoding for two subscribers, listening on 127.0.0.1
# (the subscriptions connect over TCP).
my $region = PostgreSQL::Test::Cluster->new('region');
$region->init(allows_streaming => 'logical');
$region->append_conf('postgresql.conf', $conf . q{
max_wal_senders = 10
max_replication_slots = 10
listen_addresses = '127.0.0.1'
});
$region->start;

my %asl;
for my $code (sort keys %asl_name)
{
	my $node = PostgreSQL::Test::Cluster->new($asl_name{$code});
	$node->init;
	$node->append_conf('postgresql.conf', $conf . q{
max_logical_replication_workers = 4
max_sync_workers_per_subscription = 2
});
	$node->start;
	$asl{$code} = $node;
}
my ($bo, $mo) = ($asl{'080105'}, $asl{'080104'});

for my $node ($region, $bo, $mo)
{
	$node->safe_psql('postgres', "CREATE DATABASE $db");
	$node->safe_psql($db, 'CREATE EXTENSION ticket CASCADE');
}

sub region { return $region->safe_psql($db, $_[0]); }
sub at     { my ($node, $sql) = @_; return $node->safe_psql($db, $sql); }

# Waits until the subscription of an ASL node has applied (committed) all
# the region committed so far: the apply position the subscriber reports
# to the region's walsender.  The re-pricing runs inside each applied
# transaction, at its commit; the replica queue is then empty.
sub sync_asl
{
	my ($code) = @_;
	$region->wait_for_catchup("asl_$code");
	$asl{$code}->poll_query_until($db, 'SELECT NOT EXISTS (SELECT 1 FROM cup.replica_queue)')
	  or die "replica queue of $code not empty";
	return;
}
sub sync_all { sync_asl($_) for sort keys %asl; return; }

# ticket.event of a node after an event id, '; '-separated: repriced
# <booking> <old>-><new> <regime>, adjustment of <booking> <amount> <reason>.
sub events_after
{
	my ($node, $mark) = @_;
	return at($node, qq{
SELECT coalesce(string_agg(
         CASE e.kind
              WHEN 'repriced' THEN format('repriced %s %s->%s %s', e.subject, e.payload ->> 'old_amount',
                                          e.payload ->> 'new_amount', e.payload ->> 'regime')
              WHEN 'adjustment' THEN format('adjustment of %s %s %s', e.payload ->> 'booking_id',
                                            e.payload ->> 'amount', e.payload ->> 'reason')
              ELSE e.kind || ' ' || e.subject END, '; ' ORDER BY e.event_id), '')
  FROM ticket.event e WHERE e.event_id > $mark});
}
sub last_event { return at($_[0], 'SELECT coalesce(max(event_id), 0) FROM ticket.event'); }

# amount|status|band|regime of a booking (the band and regime of its bill).
sub booking
{
	my ($node, $id) = @_;
	return at($node, "SELECT amount || '|' || status || '|' || coalesce((bill).band::text, '-') || '|' || (bill).regime"
		  . " FROM cup.booking WHERE booking_id = $id");
}
sub adjustments
{
	my ($node, $id) = @_;
	return at($node, "SELECT coalesce(string_agg(amount || ' ' || reason, '; ' ORDER BY adjustment_id), '')"
		  . " FROM cup.adjustment WHERE booking_id = $id");
}
sub health
{
	my ($node) = @_;
	return at($node, 'SELECT state || \'|\' || apply_errors || \'|\' || tables_not_ready FROM ticket.replication_health()');
}

#--------------------------------------------------------------------------
# The region: birthplaces, GPs, citizens, declarations, prescriptions
#--------------------------------------------------------------------------
my ($rc, $out, $err) = $region->psql($db, undef,
	extra_params => [ '-v', 'ON_ERROR_STOP=1', '-f', "$fixtures/birthplaces.sql" ]);
is($rc, 0, 'region: birthplaces loaded') or diag($err);

region(q{
INSERT INTO registry.gp (gp_code, fiscal_code, surname, given_name, asl_code)
VALUES ('GPBO01', ticket.fiscal_code_encode('Bianchi', 'Luca', 'M', '1960-02-03', 'A944'), 'Bianchi', 'Luca', '080105'),
       ('GPMO01', ticket.fiscal_code_encode('Neri', 'Paola', 'F', '1966-06-01', 'F257'), 'Neri', 'Paola', '080104');
});

# name => [surname, given name, sex, birth date, birthplace, ASL]
my %people = (
	bo1 => [ 'Rossi', 'Mario', 'M', '1970-05-10', 'A944', '080105' ],
	bo3 => [ 'Bruni', 'Anna',  'F', '1980-03-03', 'A944', '080105' ],
	bo4 => [ 'Galli', 'Piero', 'M', '1975-07-07', 'A944', '080105' ],
	bo5 => [ 'Serra', 'Elisa', 'F', '1985-11-11', 'A944', '080105' ],
	mo1 => [ 'Verdi', 'Luca',  'M', '1965-01-01', 'F257', '080104' ],
	mo2 => [ 'Gallo', 'Sara',  'F', '1972-02-02', 'F257', '080104' ],
	mo3 => [ 'Conti', 'Marco', 'M', '1990-09-09', 'F257', '080104' ]);
my %cf;
for my $p (sort keys %people)
{
	my ($surname, $given, $sex, $born, $place, $code) = @{ $people{$p} };
	my $gp = $code eq '080105' ? 'GPBO01' : 'GPMO01';
	$cf{$p} = region(qq{
INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl, gp_code)
VALUES (ticket.fiscal_code_encode('$surname', '$given', '$sex', '$born', '$place'),
        '$surname', '$given', '$sex', '$born', '$place', '$code', '$gp')
RETURNING fiscal_code});
}
is(scalar(keys %cf), 7, 'region: seven citizens, four resident in Bologna, three in Modena');

# Everybody but bo5 RE2 from the start of the bands, 29 August 2011
# (88.74.1, an exam of 45.00: ER-2011-08-29 caps it at 36.15 and adds the
# quota of the band, as ER-2012-02-01 does: RE1 36.15 + 0, RE2 36.15 + 5 =
# 41.15, RE3 36.15 + 10 = 46.15, no declaration 36.15 + 15 = 51.15; 36.15
# in 2026 when there are no bands).
region(join('', map { qq{SELECT registry.self_certify('$cf{$_}', 'RE2', 'cup_desk', 'setup', '2011-08-29', NULL, 2010,
                                                  '2011-08-29 10:00+02');\n} } grep { $_ ne 'bo5' } sort keys %cf));

# Prescriptions: NRE => [citizen, prescribed on].
my %rx = (
	'080BO0000000001' => [ 'bo1', '2011-08-29' ],
	'080BO0000000002' => [ 'bo1', '2011-08-29' ],
	'080BO0000000003' => [ 'bo1', '2026-11-20' ],
	'080BO0000000004' => [ 'bo1', '2026-11-20' ],
	'080BO0000000005' => [ 'bo3', '2011-08-29' ],
	'080BO0000000006' => [ 'bo3', '2011-08-29' ],
	'080BO0000000007' => [ 'bo4', '2011-08-29' ],
	'080BO0000000008' => [ 'bo4', '2011-08-29' ],
	'080BO0000000009' => [ 'bo5', '2011-08-29' ],
	'080MO0000000001' => [ 'mo1', '2011-08-29' ],
	'080MO0000000002' => [ 'mo2', '2011-08-29' ],
	'080MO0000000003' => [ 'mo2', '2011-08-29' ],
	'080MO0000000004' => [ 'mo3', '2026-11-20' ],
	'080MO0000000005' => [ 'mo2', '2012-02-01' ]);
region(join('', map {
	my ($p, $on) = @{ $rx{$_} };
	my $gp = $people{$p}[5] eq '080105' ? 'GPBO01' : 'GPMO01';
	qq{SELECT fse.prescribe('$_', '$cf{$p}', '$gp', '{88.74.1}', NULL, '$on');\n}
} sort keys %rx));
is(region('SELECT count(*) FROM fse.prescription'), '14', 'region: fourteen prescriptions');

for my $code (sort keys %asl)
{
	is(region("SELECT ticket.create_asl_publication('$code')"), "ticket_asl_$code",
		"region: publication for ASL $code");
}

#--------------------------------------------------------------------------
# The ASL nodes subscribe
#--------------------------------------------------------------------------
my $region_conn = 'host=127.0.0.1 port=' . $region->port . " dbname=$db user=postgres";
for my $code (sort keys %asl)
{
	my $node = $asl{$code};
	at($node, "SELECT ticket.become_asl_node('$code')");
	at($node, "CREATE SUBSCRIPTION asl_$code CONNECTION '$region_conn' PUBLICATION ticket_asl_$code"
		  . ' WITH (disable_on_error = true, synchronous_commit = on)');
}
for my $code (sort keys %asl)
{
	my $node = $asl{$code};
	$node->wait_for_subscription_sync($region, "asl_$code", $db);
	ok($node->poll_query_until($db, "SELECT state = 'streaming' FROM ticket.replication_health()"),
		"$code: the subscription streams after the initial copy");
	is(at($node, 'SELECT ticket.node_role()'), 'asl', "$code: an ASL node");
}
is(at($bo, 'SELECT string_agg(surname, \',\' ORDER BY surname) FROM registry.citizen'), 'Bruni,Galli,Rossi,Serra',
	'080105: its four residents, no other');
is(at($mo, 'SELECT string_agg(surname, \',\' ORDER BY surname) FROM registry.citizen'), 'Conti,Gallo,Verdi',
	'080104: its three residents, no other');
for my $node ($bo, $mo)
{
	is(at($node, 'SELECT (SELECT count(*) FROM registry.declaration) || \' \' || (SELECT count(*) FROM fse.prescription)'
		  . ' || \' \' || (SELECT count(*) FROM registry.gp)'),
		'6 14 2', $node->name . ': every declaration, prescription and GP');
}

#--------------------------------------------------------------------------
# Bookings at the ASL nodes (as superuser), some paid
#--------------------------------------------------------------------------
sub book
{
	my ($node, $nre, $on) = @_;
	return at($node, "SELECT (cup.book('$nre', '$on')).booking_id");
}
sub pay
{
	my ($node, $id, $at) = @_;
	return at($node, "SELECT (cup.pay($id, NULL, 'cup_desk', '$at')).status");
}
my %b;
# The services of 2011 are of ER-2011-08-29 (the 2011 transition); m6 is a
# paid service of ER-2012-02-01, a regime without a window.
$b{b1} = book($bo, '080BO0000000001', '2011-09-10');    # bo1, unpaid
$b{b2} = book($bo, '080BO0000000002', '2011-09-12');    # bo1, paid
$b{b3} = book($bo, '080BO0000000005', '2011-09-20');    # bo3, unpaid
$b{b4} = book($bo, '080BO0000000006', '2011-09-05');    # bo3, paid
$b{b5} = book($bo, '080BO0000000007', '2011-09-26');    # bo4 (moves), unpaid
$b{b6} = book($bo, '080BO0000000003', '2026-12-20');    # bo1, before the decree
$b{b7} = book($bo, '080BO0000000004', '2027-01-15');    # bo1, after the decree
$b{b8} = book($bo, '080BO0000000009', '2011-09-10');    # bo5 (no declaration), unpaid
$b{m1} = book($mo, '080MO0000000001', '2011-09-10');    # mo1, unpaid
$b{m2} = book($mo, '080MO0000000002', '2011-09-10');    # mo2, unpaid
$b{m3} = book($mo, '080MO0000000003', '2011-09-05');    # mo2, paid
$b{m4} = book($mo, '080MO0000000004', '2027-01-20');    # mo3, after the decree
$b{m6} = book($mo, '080MO0000000005', '2012-02-10');    # mo2, paid, of 2012 (no window)
is(pay($bo, $b{b2}, '2011-09-12 09:00+02'), 'paid', '080105: a booking of bo1 paid');
is(pay($bo, $b{b4}, '2011-09-05 09:00+02'), 'paid', '080105: a booking of bo3 paid');
is(pay($mo, $b{m3}, '2011-09-05 09:00+02'), 'paid', '080104: a booking of mo2 paid');
is(pay($mo, $b{m6}, '2012-02-10 09:00+01'), 'paid', '080104: a booking of mo2 of 2012 paid');
is(at($bo, 'SELECT string_agg(amount::text || \' \' || (bill).regime, \', \' ORDER BY booking_id) FROM cup.booking'),
	'41.15 ER-2011-08-29, 41.15 ER-2011-08-29, 41.15 ER-2011-08-29, 41.15 ER-2011-08-29, 41.15 ER-2011-08-29, '
	  . '36.15 ER-2025-05-02, 36.15 ER-2025-05-02, 51.15 ER-2011-08-29',
	'080105: the bookings priced with RE2 (2011), without bands (2026-27), without a declaration (bo5)');
is(at($mo, 'SELECT string_agg(amount::text || \' \' || (bill).regime, \', \' ORDER BY booking_id) FROM cup.booking'),
	'41.15 ER-2011-08-29, 41.15 ER-2011-08-29, 41.15 ER-2011-08-29, 36.15 ER-2025-05-02, 41.15 ER-2012-02-01',
	'080104: the bookings priced (RE2 in 2011 and 2012)');
is(at($bo, "SELECT asl_code FROM cup.booking WHERE booking_id = $b{b1}"), '080105', '080105: its bookings are its own');

# The booking state of every booking of a node, to show what did not change.
sub all_bookings
{
	my ($node) = @_;
	return at($node, q{SELECT string_agg(booking_id || ':' || amount || ':' || status, ' ' ORDER BY booking_id) FROM cup.booking});
}

#--------------------------------------------------------------------------
# 1. A declaration at the region
#--------------------------------------------------------------------------
my ($ev_bo, $ev_mo) = (last_event($bo), last_event($mo));
my $mo_before = all_bookings($mo);
# Signed on 20 September 2011: inside the window of the paid service of
# 12 September 2011 (S3 S4 S5).
region(qq{SELECT registry.self_certify('$cf{bo1}', 'RE3', 'cup_desk', 'op1', '2011-09-01', NULL, 2010,
                                       '2011-09-20 10:00+02')});
# and a first declaration (bo5 had none)
region(qq{SELECT registry.self_certify('$cf{bo5}', 'RE1', 'cup_desk', 'op1', '2011-09-01', NULL, 2010,
                                       '2011-09-20 10:00+02')});
sync_all();
is(booking($bo, $b{b1}), '46.15|booked|RE3|ER-2011-08-29', '1. the unpaid booking at 080105 re-priced with RE3');
is(booking($bo, $b{b8}), '36.15|booked|RE1|ER-2011-08-29', '1. a first declaration re-prices too (RE1)');
is(booking($bo, $b{b2}), '41.15|paid|RE2|ER-2011-08-29', '1. the paid booking keeps its bill');
is(adjustments($bo, $b{b2}), '5.00 declaration', '1. ... and gets an adjustment of 5.00 (inside the 2011 window: 46.15 - 41.15)');
is(events_after($bo, $ev_bo),
	"repriced $b{b1} 41.15->46.15 ER-2011-08-29; adjustment of $b{b2} 5.00 declaration; "
	  . "repriced $b{b8} 51.15->36.15 ER-2011-08-29",
	'1. the repriced and adjustment events at 080105');
is(booking($bo, $b{b6}) . ' ' . booking($bo, $b{b7}), '36.15|booked|-|ER-2025-05-02 36.15|booked|-|ER-2025-05-02',
	'1. the bookings of 2026-27 (no bands) unchanged');
is(events_after($mo, $ev_mo), '', '1. no event at 080104');
is(all_bookings($mo), $mo_before, '1. the bookings of 080104 untouched');

#--------------------------------------------------------------------------
# 2. An exemption granted, then revoked
#--------------------------------------------------------------------------
$ev_bo = last_event($bo);
# Granted on 15 September 2011 from 1 September: the paid service of
# 5 September 2011 is refunded (inside the 2011 window, S3 S4 S5).
my $grant = region(qq{SELECT (registry.grant_exemption('$cf{bo3}', 'E02', '2011-09-01', 'self_certification', NULL,
                                                        '2011-09-15 10:00+02')).grant_id});
sync_all();
is(booking($bo, $b{b3}), '0.00|booked|RE2|ER-2011-08-29', '2. the unpaid booking is free with E02');
is(adjustments($bo, $b{b4}), '-41.15 exemption_granted', '2. the paid one refunded (inside the 2011 window: 0.00 - 41.15)');
is(events_after($bo, $ev_bo),
	"repriced $b{b3} 41.15->0.00 ER-2011-08-29; adjustment of $b{b4} -41.15 exemption_granted",
	'2. the repriced and adjustment events of the grant at 080105');
is(events_after($mo, $ev_mo), '', '2. still no event at 080104');

$ev_bo = last_event($bo);
region(qq{SELECT registry.revoke_exemption($grant, '2011-09-20', 'income above the limit', '2011-09-19 10:00+02')});
sync_all();
is(booking($bo, $b{b3}), '41.15|booked|RE2|ER-2011-08-29', '2. revoked from the service date: the booking pays again');
is(adjustments($bo, $b{b4}), '-41.15 exemption_granted', '2. the paid booking before the revocation: no new adjustment');
is(events_after($bo, $ev_bo), "repriced $b{b3} 0.00->41.15 ER-2011-08-29", '2. the repriced event of the revocation');

#--------------------------------------------------------------------------
# 3. A resident moves from Bologna to Modena
#--------------------------------------------------------------------------
($ev_bo, $ev_mo) = (last_event($bo), last_event($mo));
region(qq{UPDATE registry.citizen SET residence_asl = '080104' WHERE fiscal_code::text = '$cf{bo4}'});
sync_all();
is(at($bo, "SELECT count(*) FROM registry.citizen WHERE fiscal_code::text = '$cf{bo4}'"), '0',
	'3. the citizen row left the old ASL node');
is(at($mo, "SELECT residence_asl FROM registry.citizen WHERE fiscal_code::text = '$cf{bo4}'"), '080104',
	'3. ... and reached the new one');
is(booking($bo, $b{b5}), '41.15|booked|RE2|ER-2011-08-29', '3. the old ASL keeps its booking of the citizen');
is(events_after($bo, $ev_bo) . events_after($mo, $ev_mo), '', '3. the move changes no price');
is(at($bo, 'SELECT count(*) FROM ticket.check_consistency()'), '0', '3. the old ASL node is consistent');
# The old ASL no longer books for the citizen (its row is gone there).
($rc, $out, $err) = $bo->psql($db, "\\set VERBOSITY verbose\nSELECT cup.book('080BO0000000008', '2011-09-28')");
isnt($rc, 0, '3. the old ASL cannot book for the citizen any more');
like($err, qr/ERROR:  23503: citizen \Q$cf{bo4}\E is not in the registry/, '3. ... 23503: not in its registry');
$b{m5} = book($mo, '080BO0000000008', '2011-09-28');
is(booking($mo, $b{m5}), '41.15|booked|RE2|ER-2011-08-29', '3. the new ASL books for the citizen');
is(at($mo, "SELECT asl_code || ' ' || fiscal_code FROM cup.booking WHERE booking_id = $b{m5}"), "080104 $cf{bo4}",
	'3. ... a booking of 080104');

($ev_bo, $ev_mo) = (last_event($bo), last_event($mo));
region(qq{SELECT registry.self_certify('$cf{bo4}', 'RE1', 'cup_desk', 'op1', '2011-09-22', NULL, 2010,
                                       '2011-09-21 10:00+02')});
sync_all();
is(booking($bo, $b{b5}), '36.15|booked|RE1|ER-2011-08-29', '3. a later declaration re-prices at the old ASL');
is(booking($mo, $b{m5}), '36.15|booked|RE1|ER-2011-08-29', '3. ... and at the new one');
is(events_after($bo, $ev_bo), "repriced $b{b5} 41.15->36.15 ER-2011-08-29", '3. the repriced event at 080105');
is(events_after($mo, $ev_mo), "repriced $b{m5} 41.15->36.15 ER-2011-08-29", '3. the repriced event at 080104');

#--------------------------------------------------------------------------
# 4. A decree: a new regime from 2027 (the manual's "Enacting a new decree")
#--------------------------------------------------------------------------
($ev_bo, $ev_mo) = (last_event($bo), last_event($mo));
region(q{
BEGIN;
INSERT INTO ticket.regime (regime_id, effective_from, legal_reference, description,
    default_band, specialist_cap, quota_threshold, quota, ct_mri, first_visit, control_visit,
    ambulatory_surgery, surgery_fixed_codes, drug_per_pack, drug_cap, er_access,
    er_chargeable_codes, max_items, adjustment_grace_days)
VALUES ('ER-2027-01-01', '2027-01-01', 'draft DGR (2026), modelled on DGR 2075 of 3 December 2018',
        'QB/QM bands again; quota only for QM', 'QM', 36.15, 10.00, NULL, NULL, 23.00, 18.00,
        46.15, NULL, NULL, NULL, 25.00, '{PS-WHITE,PS-GREEN}', 8, 60);
INSERT INTO ticket.regime_band (regime_id, band, income_range, quota, ct_mri, drug_per_pack, drug_cap)
VALUES ('ER-2027-01-01', 'QB', '[0,100000.00]', 0.00, 36.15, 0.00, 0.00),
       ('ER-2027-01-01', 'QM', '(100000.00,)', 15.00, 70.00, 3.00, 6.00);
INSERT INTO ticket.exemption_rule (regime_id, exemption, family, coverage, spares_band_quota,
                                   spares_drugs, spares_er, note)
SELECT 'ER-2027-01-01', exemption, family, coverage, spares_band_quota, spares_drugs, spares_er, note
  FROM ticket.exemption_rule
 WHERE regime_id = ticket.regime_for('2026-12-31');
COMMIT;
});
sync_all();
for my $node ($bo, $mo)
{
	is(at($node, q{SELECT (SELECT count(*) FROM ticket.regime WHERE regime_id = 'ER-2027-01-01') || ' '
                       || (SELECT count(*) FROM ticket.regime_band WHERE regime_id = 'ER-2027-01-01') || ' '
                       || ((SELECT count(*) FROM ticket.exemption_rule WHERE regime_id = 'ER-2027-01-01')
                           = (SELECT count(*) FROM ticket.exemption_rule WHERE regime_id = 'ER-2025-05-02'))}),
		'1 2 true', '4. ' . $node->name . ': the decree\'s rows arrived');
}
is(booking($bo, $b{b7}), '51.15|booked|QM|ER-2027-01-01', '4. 080105: the unpaid booking of 2027 re-priced (QM default band)');
is(booking($bo, $b{b6}), '36.15|booked|-|ER-2025-05-02', '4. 080105: the booking of 2026 unchanged');
is(booking($mo, $b{m4}), '51.15|booked|QM|ER-2027-01-01', '4. 080104: the unpaid booking of 2027 re-priced');
is(events_after($bo, $ev_bo), "repriced $b{b7} 36.15->51.15 ER-2027-01-01", '4. the repriced event at 080105');
is(events_after($mo, $ev_mo), "repriced $b{m4} 36.15->51.15 ER-2027-01-01", '4. the repriced event at 080104');
is(at($bo, "SELECT (ticket.price(ARRAY['88.74.1'], NULL, '{}', '2027-02-01')).total"), '51.15',
	'4. 080105 prices with the new rules');

# A municipal indigence code the region adds (issue 18; no code in the
# sources, ticket-rules.md §9 items 4 and 5): a row of
# ticket.exemption_catalogue, published WHERE NOT shipped.  Filed first
# with the regional family, for which the regimes have no rule: accepted,
# and charged.
my $ic_price = q{SELECT (ticket.price(ARRAY['88.74.1'], NULL, '{IC001}', '2027-02-01')).total};
($rc, $out, $err) = $bo->psql($db, $ic_price);
like($err, qr/exemption IC001 is not in the exemption catalogue on 2027-02-01/,
	'4. before the region adds it, 080105 refuses the municipal code (TK008)');
($ev_bo, $ev_mo) = (last_event($bo), last_event($mo));
region(q{
INSERT INTO ticket.exemption_catalogue (code_pattern, family, valid, period, grant_sources, description, note)
VALUES ('^IC[0-9]{3}$', 'regional', '[2026-01-01,)', 'fiscal_year', '{asl_certificate}',
        'municipal indigence (a test code)', 'TAP: a code the region adds (ticket-rules.md §9 items 4, 5)')});
sync_all();
for my $node ($bo, $mo)
{
	is(at($node, q{SELECT family || ' ' || valid FROM ticket.exemption_catalogue WHERE code_pattern = '^IC[0-9]{3}$'}),
		'regional [2026-01-01,)', '4. ' . $node->name . ': the region\'s catalogue row arrived');
	is(at($node, $ic_price), '51.15', '4. ' . $node->name . ': pricing there accepts the code (regional: no rule, charged)');
}
my $ic_grant = region(qq{SELECT (registry.grant_exemption('$cf{bo1}', 'IC001', '2027-01-01', 'asl_certificate')).grant_id});
sync_all();
is(booking($bo, $b{b7}), '51.15|booked|QM|ER-2027-01-01', '4. 080105: the grant of the new code changes no price yet');
# The region files the code with the income exemptions (family rule 'all'):
# an edit of the catalogue alone re-prices at the nodes (its replicated row
# queues the re-pricing and drops the compiled rules).
region(q{UPDATE ticket.exemption_catalogue SET family = 'income' WHERE code_pattern = '^IC[0-9]{3}$'});
sync_all();
is(booking($bo, $b{b7}), '0.00|booked|QM|ER-2027-01-01', '4. 080105: the catalogue edit re-prices the booking of 2027');
is(events_after($bo, $ev_bo), "repriced $b{b7} 51.15->0.00 ER-2027-01-01", '4. ... its repriced event');
is(at($mo, $ic_price), '0.00', '4. 080104 prices the code as an income exemption');

# The region closes the code on 10 January 2027: the grant is ended first,
# in the same transaction (a catalogue edit may not strand a grant, 23001).
$ev_bo = last_event($bo);
region(qq{
BEGIN;
SELECT registry.revoke_exemption($ic_grant, '2027-01-10', 'the municipal measure ends');
UPDATE ticket.exemption_catalogue SET valid = '[2026-01-01,2027-01-10)' WHERE code_pattern = '^IC[0-9]{3}\$';
COMMIT;
});
sync_all();
is(at($bo, q{SELECT valid FROM ticket.exemption_catalogue WHERE code_pattern = '^IC[0-9]{3}$'}), '[2026-01-01,2027-01-10)',
	'4. 080105: the catalogue edit arrived');
is(booking($bo, $b{b7}), '51.15|booked|QM|ER-2027-01-01', '4. 080105: the booking after the code\'s end pays again');
is(events_after($bo, $ev_bo), "repriced $b{b7} 0.00->51.15 ER-2027-01-01", '4. ... one repriced event');
($rc, $out, $err) = $bo->psql($db, $ic_price);
like($err, qr/exemption IC001 is not in the exemption catalogue on 2027-02-01/,
	'4. 080105 refuses the code after its end (TK008)');
is(events_after($mo, $ev_mo), '', '4. nothing changes at 080104');

#--------------------------------------------------------------------------
# 5. The Modena node crashes while declarations are made at the region
#--------------------------------------------------------------------------
($ev_bo, $ev_mo) = (last_event($bo), last_event($mo));
# The subscriptions commit synchronously (synchronous_commit = on, as the
# manual says): what a reader saw at 080104 before the crash is durable, so
# every event seen before it is there after it, with the same id.
my $events_before_crash = at($mo, 'SELECT string_agg(event_id || kind || subject, \',\' ORDER BY event_id) FROM ticket.event');
$mo->stop('immediate');
# Signed on 15 September 2011: inside the window of mo2's paid service of
# 5 September 2011, not of the paid one of 2012 (S3 S4 S5).
region(qq{SELECT registry.self_certify('$cf{mo1}', 'RE1', 'cup_desk', 'op1', '2011-09-01', NULL, 2010,
                                       '2011-09-15 10:00+02')});
region(qq{SELECT registry.self_certify('$cf{mo2}', 'RE3', 'cup_desk', 'op1', '2011-09-01', NULL, 2010,
                                       '2011-09-15 10:00+02')});
sync_asl('080105');
is(events_after($bo, $ev_bo), '', '5. nothing for 080105 in these declarations');
$mo->start;
ok($mo->log_contains('database system was not properly shut down; automatic recovery in progress'),
	'5. 080104 ran crash recovery');
sync_asl('080104');
is(at($mo, "SELECT string_agg(event_id || kind || subject, ',' ORDER BY event_id) FROM ticket.event WHERE event_id <= $ev_mo"),
	$events_before_crash, '5. the events of 080104 before the crash survived it');
is(booking($mo, $b{m1}), '36.15|booked|RE1|ER-2011-08-29', '5. after the restart: mo1 re-priced with RE1');
is(booking($mo, $b{m2}), '46.15|booked|RE3|ER-2011-08-29', '5. mo2 re-priced with RE3');
is(adjustments($mo, $b{m3}), '5.00 declaration', '5. the paid booking of mo2 adjusted (46.15 - 41.15)');
is(booking($mo, $b{m6}) . ' ' . adjustments($mo, $b{m6}), '41.15|paid|RE2|ER-2012-02-01 ',
	'5. the paid booking of mo2 of 2012 (ER-2012-02-01, no window) is final: no adjustment');
is(events_after($mo, $ev_mo),
	"repriced $b{m1} 41.15->36.15 ER-2011-08-29; repriced $b{m2} 41.15->46.15 ER-2011-08-29; "
	  . "adjustment of $b{m3} 5.00 declaration",
	'5. the events at 080104');
ok($mo->poll_query_until($db, "SELECT state = 'streaming' FROM ticket.replication_health()"),
	'5. 080104 streams again');

# A declaration signed on 1 October 2011, the day after the 2011 window
# closed (S3 S4 S5), though only 26 days after the paid service of
# 5 September 2011: the unpaid booking follows, the payments are final
# (as at the region: network_bookings.sql, network_declarations.sql).
$ev_mo = last_event($mo);
region(qq{SELECT registry.self_certify('$cf{mo2}', 'RE1', 'cup_desk', 'op1', '2011-09-01', NULL, 2010,
                                       '2011-10-01 10:00+02')});
sync_asl('080104');
is(booking($mo, $b{m2}), '36.15|booked|RE1|ER-2011-08-29', '5. a late declaration re-prices the unpaid booking');
is(adjustments($mo, $b{m3}), '5.00 declaration', '5. ... and adjusts no paid booking outside the 2011 window');
is(adjustments($mo, $b{m6}), '', '5. ... nor the paid one of 2012');
is(events_after($mo, $ev_mo), "repriced $b{m2} 46.15->36.15 ER-2011-08-29", '5. the events of the late declaration');

#--------------------------------------------------------------------------
# 6. An apply error disables the subscription of Bologna
#--------------------------------------------------------------------------
($ev_bo, $ev_mo) = (last_event($bo), last_event($mo));
# A row written locally at the ASL node with the key of a row the region
# writes next.
at($bo, q{
INSERT INTO registry.gp (gp_code, fiscal_code, surname, given_name, asl_code)
VALUES ('GPBO02', ticket.fiscal_code_encode('Longo', 'Carla', 'F', '1971-04-04', 'A944'), 'Longo', 'Carla', '080105')});
region(q{
INSERT INTO registry.gp (gp_code, fiscal_code, surname, given_name, asl_code)
VALUES ('GPBO02', ticket.fiscal_code_encode('Moro', 'Dario', 'M', '1969-08-08', 'A944'), 'Moro', 'Dario', '080105')});
# then a declaration that would re-price bo1's bookings (paid 41.15 + 5.00).
my $lsn_before = region('SELECT pg_current_wal_insert_lsn()');
# (signed on 25 September 2011, inside the 2011 window, S3 S4 S5)
region(qq{SELECT registry.self_certify('$cf{bo1}', 'RE1', 'cup_desk', 'op1', '2011-09-01', NULL, 2010,
                                       '2011-09-25 10:00+02')});
ok($bo->poll_query_until($db, q{SELECT state = 'disabled after an error' AND apply_errors > 0 AND NOT enabled
                                  FROM ticket.replication_health()}),
	'6. 080105: the subscription is disabled after an error');
like(health($bo), qr/^disabled after an error\|[1-9]\d*\|0$/, '6. replication_health: disabled after an error, apply_errors > 0');
# PostgreSQL 18 reports an apply conflict as such ("conflict detected ...
# conflict=insert_exists", the index in the detail); earlier majors as the
# unique violation it is.
my $duplicate_gp_logged = $bo->pg_version >= 18
	? qr/conflict detected on relation "registry\.gp": conflict=insert_exists\n.*DETAIL:  Key already exists in unique index "gp_pkey"/
	: qr/duplicate key value violates unique constraint "gp_pkey"/;
ok($bo->log_contains($duplicate_gp_logged), '6. the apply error: the duplicate GP');
is(booking($bo, $b{b1}), '46.15|booked|RE3|ER-2011-08-29', '6. the declaration has not reached 080105');
sync_asl('080104');
is(at($mo, q{SELECT surname FROM registry.gp WHERE gp_code = 'GPBO02'}), 'Moro', '6. 080104 applied both');

at($bo, q{DELETE FROM registry.gp WHERE gp_code = 'GPBO02'});
at($bo, 'ALTER SUBSCRIPTION asl_080105 ENABLE');
sync_asl('080105');
ok($bo->poll_query_until($db, "SELECT state = 'streaming' FROM ticket.replication_health()"),
	'6. 080105 streams again once the conflicting row is removed');
is(at($bo, q{SELECT surname FROM registry.gp WHERE gp_code = 'GPBO02'}), 'Moro', '6. 080105 has the region\'s GP');
is(booking($bo, $b{b1}), '36.15|booked|RE1|ER-2011-08-29', '6. the declaration re-priced the unpaid booking');
is(adjustments($bo, $b{b2}), '5.00 declaration; -10.00 declaration', '6. ... and adjusted the paid one (36.15 - 41.15 - 5.00)');
is(events_after($bo, $ev_bo),
	"repriced $b{b1} 46.15->36.15 ER-2011-08-29; adjustment of $b{b2} -10.00 declaration",
	'6. the events at 080105 after the catch-up');
is(events_after($mo, $ev_mo), '', '6. no event at 080104 (no booking of bo1)');

#--------------------------------------------------------------------------
# 7. Everything consistent, every subscription streaming
#--------------------------------------------------------------------------
for my $node ($region, $bo, $mo)
{
	is(at($node, 'SELECT count(*) FROM ticket.check_consistency()'), '0',
		'7. ' . $node->name . ': ticket.check_consistency() is empty')
	  or diag(at($node, 'SELECT * FROM ticket.check_consistency() LIMIT 20'));
}
for my $code (sort keys %asl)
{
	my $node = $asl{$code};
	is(at($node, qq{SELECT state || ' ' || enabled || ' ' || (worker_pid IS NOT NULL) || ' ' || tables_not_ready || ' '
                           || (last_applied_lsn > '$lsn_before') || ' ' || (received_lsn >= last_applied_lsn)
                      FROM ticket.replication_health()}),
		'streaming true true 0 true true', "7. $code: streaming, every table ready, applied the last change");
}
is(at($mo, 'SELECT apply_errors FROM ticket.replication_health()'), '0', '7. 080104: no apply error');
is(region(q{SELECT string_agg(slot_name || ' ' || active, ', ' ORDER BY slot_name) FROM pg_replication_slots}),
	'asl_080104 true, asl_080105 true', '7. the region: both slots active');

$mo->stop;
$bo->stop;
$region->stop;
done_testing();
