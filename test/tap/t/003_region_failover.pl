# test/tap/t/003_region_failover.pl: the region survives a failover
# (issue 17, version 1.3; PostgreSQL 17 and later).
#
# The region (wal_level = logical) has a physical standby that synchronises
# the logical slots (sync_replication_slots, hot_standby_feedback, a
# physical slot named in the region's synchronized_standby_slots).  Two ASL
# nodes subscribe to their publications with failover = true.  Then:
#   1. replication_health() at the standby shows both ASL slots
#      synchronised, at the region their failover flag, at the ASL nodes
#      the subscriptions' failover;
#   2. a declaration storm (pgbench, declare.pgbench) at the region while
#      the ASL nodes apply; the region dies (immediate shutdown) in the
#      middle of it and the standby is promoted;
#   3. every declaration an ASL node had applied is at the new primary
#      (synchronized_standby_slots: nothing reaches an ASL before the
#      standby has it);
#   4. the new primary waits for no standby (synchronized_standby_slots
#      reset at the promotion), each ASL subscription is pointed at it
#      (ALTER SUBSCRIPTION ... CONNECTION, then ENABLE: the lost connection
#      disabled it, disable_on_error) and the storm goes on there;
#   5. every published table, with its row filter, holds the same rows at
#      each ASL node as at the new primary (counts and checksums: no row
#      lost, none applied twice), the rows written after the promotion
#      among them; every subscription streams without an apply error and
#      ticket.check_consistency() is empty on every node.
# On PostgreSQL 15 and 16 there are no failover slots: the test is skipped
# (the manual's "Failover of the region" says what to do there).
#
# Run with `make tap-check` (Makefile), against the installed extension.
use strict;
use warnings;

use FindBin;
use IPC::Run;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(usleep);

my $tap_dir  = $FindBin::RealBin . '/..';
my $fixtures = "$tap_dir/../fixtures";
my $db       = 'ticket_fo';

my $region = PostgreSQL::Test::Cluster->new('region');
plan skip_all => 'failover slots need PostgreSQL 17 or later (this is ' . $region->pg_version . ')'
  if $region->pg_version < 17;

my $conf = q{
max_connections = 30
jit = off
max_parallel_workers_per_gather = 0
};

# The region: logical decoding for the subscribers; the logical walsenders
# of failover slots send nothing the standby (its physical slot) has not
# flushed, so no ASL node gets ahead of the region's successor.
$region->init(allows_streaming => 'logical');
$region->append_conf('postgresql.conf', $conf . q{
max_wal_senders = 10
max_replication_slots = 10
listen_addresses = '127.0.0.1'
synchronized_standby_slots = 'standby_slot'
});
$region->start;
$region->safe_psql('postgres', "SELECT pg_create_physical_replication_slot('standby_slot')");
$region->safe_psql('postgres', "CREATE DATABASE $db");
$region->safe_psql($db, 'CREATE EXTENSION ticket CASCADE');
for my $file ("$fixtures/birthplaces.sql", "$tap_dir/population.sql")
{
	my ($rc, $out, $err) = $region->psql($db, undef,
		extra_params => [ '-v', 'ON_ERROR_STOP=1', '-f', $file ]);
	is($rc, 0, "region: loaded $file") or diag($err);
}

# Two ASLs with residents in the population (population.sql spreads them
# over the region's ASLs).
my @codes = split /\n/, $region->safe_psql($db,
	'SELECT residence_asl FROM registry.citizen GROUP BY 1 ORDER BY 1 LIMIT 2');
is(scalar(@codes), 2, "two ASLs: @codes");
for my $code (@codes)
{
	$region->safe_psql($db, "SELECT ticket.create_asl_publication('$code')");
}

# The standby: streams from its physical slot and synchronises the failover
# slots (primary_conninfo names a database: the slot sync worker needs one).
$region->backup('base');
my $standby = PostgreSQL::Test::Cluster->new('standby');
$standby->init_from_backup($region, 'base', has_streaming => 1);
my $region_tcp = 'host=127.0.0.1 port=' . $region->port . ' user=postgres';
$standby->append_conf('postgresql.conf', qq{
primary_slot_name = 'standby_slot'
primary_conninfo = '$region_tcp dbname=$db application_name=standby'
hot_standby_feedback = on
sync_replication_slots = on
});
$standby->start;
$region->wait_for_replay_catchup($standby);

sub at { my ($node, $sql) = @_; return $node->safe_psql($db, $sql); }

# The ASL nodes, subscribed with failover = true (as in 002_regional_network.pl).
my %asl;
for my $code (@codes)
{
	my $node = PostgreSQL::Test::Cluster->new("asl_$code");
	$node->init;
	$node->append_conf('postgresql.conf', $conf . q{
max_logical_replication_workers = 4
max_sync_workers_per_subscription = 2
});
	$node->start;
	$node->safe_psql('postgres', "CREATE DATABASE $db");
	at($node, 'CREATE EXTENSION ticket CASCADE');
	at($node, "SELECT ticket.become_asl_node('$code')");
	at($node, "CREATE SUBSCRIPTION asl_$code CONNECTION '$region_tcp dbname=$db' PUBLICATION ticket_asl_$code"
		  . ' WITH (disable_on_error = true, synchronous_commit = on, failover = true)');
	$asl{$code} = $node;
}
for my $code (@codes)
{
	$asl{$code}->wait_for_subscription_sync($region, "asl_$code", $db);
}

# Waits until an ASL node has applied all its publisher committed so far.
sub sync_asl
{
	my ($publisher, $code) = @_;
	$publisher->wait_for_catchup("asl_$code");
	$asl{$code}->poll_query_until($db, 'SELECT NOT EXISTS (SELECT 1 FROM cup.replica_queue)')
	  or die "replica queue of $code not empty";
	return;
}

#--------------------------------------------------------------------------
# 1. The slots are failover slots, synchronised to the standby
#--------------------------------------------------------------------------
my $slots = join(', ', map { "'asl_$_'" } @codes);
for my $code (@codes)
{
	is(at($asl{$code}, "SELECT state || ' ' || failover FROM ticket.replication_health()"),
		'streaming true', "1. $code: the subscription streams, with failover");
}
is(at($region, "SELECT string_agg(subscription || ' ' || state || ' ' || failover, ', ' ORDER BY 1)"
	  . " FROM ticket.replication_health() WHERE subscription IN ($slots)"),
	join(', ', map { "asl_$_ slot in use true" } @codes),
	'1. region: both ASL slots in use, failover slots');
ok($standby->poll_query_until($db, qq{
SELECT count(*) = 2 FROM ticket.replication_health()
 WHERE subscription IN ($slots) AND state = 'slot synchronised' AND synced AND failover
   AND invalidation_reason IS NULL}),
	'1. standby: replication_health() shows both ASL slots synchronised');

#--------------------------------------------------------------------------
# 2. A declaration storm at the region; the region dies in the middle of it
#--------------------------------------------------------------------------
sub storm_start
{
	my ($node) = @_;
	my ($out, $err) = ('', '');
	my $h = IPC::Run::start(
		[ 'pgbench', '-n', '-c', '2', '-j', '1', '-T', '600', '--max-tries=20',
		  '-D', 'clients=2', '-f', "$tap_dir/declare.pgbench",
		  '-h', $node->host, '-p', $node->port, $db ],
		'<', \undef, '>', \$out, '2>', \$err);
	return { handle => $h, out => \$out, err => \$err };
}
sub storm_running
{
	my ($s) = @_;
	eval { $s->{handle}->pump_nb; };
	return $s->{handle}->pumpable;
}
sub declarations { return at($_[0], 'SELECT count(*) FROM registry.declaration'); }

my $before = declarations($region);
my $storm  = storm_start($region);
# Until both ASL nodes have applied at least 100 declarations of the storm
# (every declaration is published to every ASL): they apply while it writes.
for my $code (@codes)
{
	ok($asl{$code}->poll_query_until($db, "SELECT count(*) > $before + 100 FROM registry.declaration"),
		"2. $code applies the storm's declarations");
}
ok(storm_running($storm), '2. the storm is running when the region dies');
$region->stop('immediate');
$storm->{handle}->finish;
unlike(${ $storm->{err} }, qr/ERROR:/, '2. the storm: no SQL error before the region died')
  or diag(${ $storm->{err} });

$standby->promote;
is(at($standby, 'SELECT pg_is_in_recovery()'), 'f', '2. the standby is promoted');
# Its configuration is the region's: synchronized_standby_slots names a
# slot the new primary does not have, and its walsenders would wait for it
# forever.  Until it has a standby of its own, it waits for none.
$standby->safe_psql('postgres', "ALTER SYSTEM SET synchronized_standby_slots = ''");
$standby->reload;
is(at($standby, "SELECT string_agg(subscription || ' ' || (invalidation_reason IS NULL) || ' ' || failover, ', ' ORDER BY 1)"
	  . " FROM ticket.replication_health() WHERE subscription IN ($slots)"),
	join(', ', map { "asl_$_ true true" } @codes),
	'2. the new primary has both ASL slots, valid, failover');

#--------------------------------------------------------------------------
# 3. Nothing an ASL node applied is missing at the new primary
#--------------------------------------------------------------------------
# What each ASL node holds stays as it is until it is pointed at the new
# primary: its publisher is gone.
my %held;
for my $code (@codes)
{
	$asl{$code}->poll_query_until($db, 'SELECT NOT EXISTS (SELECT 1 FROM cup.replica_queue)')
	  or die "replica queue of $code not empty";
	my ($n, $max, $ids) = split /\|/, at($asl{$code},
		'SELECT count(*) || \'|\' || max(declaration_id) || \'|\' || string_agg(declaration_id::text, \',\')'
		  . ' FROM registry.declaration');
	$held{$code} = $n;
	is(at($standby, "SELECT count(*) FROM registry.declaration WHERE declaration_id IN ($ids)"), $n,
		"3. $code: the $n declarations it applied (up to $max) are all at the new primary");
}

#--------------------------------------------------------------------------
# 4. The ASL nodes follow the new primary; the storm goes on there
#--------------------------------------------------------------------------
# The region's death may have disabled a subscription (disable_on_error
# counts the lost connection as an apply error): enabled again, the errors
# counted so far are the baseline.
my $new_tcp = 'host=127.0.0.1 port=' . $standby->port . " user=postgres dbname=$db";
my %errors;
for my $code (@codes)
{
	$errors{$code} = at($asl{$code}, 'SELECT apply_errors FROM ticket.replication_health()');
	at($asl{$code}, "ALTER SUBSCRIPTION asl_$code CONNECTION '$new_tcp'");
	at($asl{$code}, "ALTER SUBSCRIPTION asl_$code ENABLE");
}
my $at_promotion = declarations($standby);
$storm = storm_start($standby);
ok($standby->poll_query_until($db, "SELECT count(*) > $at_promotion + 100 FROM registry.declaration"),
	'4. the storm writes at the new primary');
# a resident of each ASL moves to the other one, after the promotion
my ($c0, $c1) = @codes;
my $moved = at($standby, qq{
UPDATE registry.citizen c SET residence_asl = CASE c.residence_asl WHEN '$c0' THEN '$c1' ELSE '$c0' END
 WHERE c.fiscal_code::text IN (SELECT min(fiscal_code::text) FROM registry.citizen
                                WHERE residence_asl IN ('$c0', '$c1') GROUP BY residence_asl)
RETURNING c.fiscal_code});
my @moved = split /\n/, $moved;
is(scalar(@moved), 2, '4. a resident of each ASL moves to the other');
ok(storm_running($storm), '4. the storm still runs at the new primary');
$storm->{handle}->kill_kill;
$storm->{handle}->finish;
unlike(${ $storm->{err} }, qr/ERROR:/, '4. the storm at the new primary: no SQL error')
  or diag(${ $storm->{err} });

#--------------------------------------------------------------------------
# 5. Each ASL node holds what the new primary publishes to it, once
#--------------------------------------------------------------------------
sync_asl($standby, $_) for @codes;

# count and md5 of the rows of each published table the row filter passes,
# ordered by their text: the same at both ends or a row was lost or doubled.
sub published_rows
{
	my ($node, $code) = @_;
	my @tables = split /\n/, at($standby, qq{
SELECT format('%I.%I', schemaname, tablename) || '|' || coalesce(rowfilter, 'true')
  FROM pg_publication_tables WHERE pubname = 'ticket_asl_$code' ORDER BY 1});
	return join("\n", map {
		my ($table, $filter) = split /\|/, $_, 2;
		"$table " . at($node, "SELECT count(*) || ' ' || coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '-')"
			  . " FROM $table t WHERE $filter");
	} @tables);
}
for my $code (@codes)
{
	my $node = $asl{$code};
	is(published_rows($node, $code), published_rows($standby, $code),
		"5. $code: every published row of the new primary, once (counts and checksums)");
	ok(declarations($node) > $held{$code} + 100, "5. $code: the declarations written after the promotion arrived");
	is(at($node, "SELECT count(*) FROM registry.citizen WHERE fiscal_code::text IN ('" . join("','", @moved) . "')"),
		'1', "5. $code: the moves after the promotion arrived (one resident left, one came)");
	is(at($node, qq{SELECT state || ' ' || enabled || ' ' || (apply_errors = $errors{$code}) || ' ' || failover
                      FROM ticket.replication_health()}),
		'streaming true true true', "5. $code: streams from the new primary, no apply error since");
}
for my $node ($standby, values %asl)
{
	is(at($node, 'SELECT count(*) FROM ticket.check_consistency()'), '0',
		'5. ' . $node->name . ': ticket.check_consistency() is empty')
	  or diag(at($node, 'SELECT * FROM ticket.check_consistency() LIMIT 20'));
}

$_->stop for values %asl;
$standby->stop;
done_testing();
