# test/tap/t/001_crash_recovery.pl: crash recovery of the network (issue 6).
#
# A throwaway node with ticket and amcheck, a population of 200 citizens
# (test/tap/population.sql), then two storms at once, each two pgbench
# clients: declarations through registry.self_certify (declare.pgbench,
# which re-price the unpaid bookings) and prescriptions + bookings +
# payments (book.pgbench).  While both write, a marker declaration is
# committed, the committed row counts and highest ids are noted, and the
# server is stopped with an immediate shutdown (no checkpoint: recovery
# replays the WAL).  After the restart: the marker and every row committed
# before the crash are there, ticket.check_consistency() is empty,
# bt_index_check (heapallindexed) passes on every btree index and
# verify_heapam finds nothing in every table of schemas ticket, registry,
# fse, cup (and their TOAST tables).
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
my $db       = 'ticket_crash';
my @schemas  = qw(ticket registry fse cup);
my $schema_list = join(', ', map { "'$_'" } @schemas);

my $node = PostgreSQL::Test::Cluster->new('crash');
$node->init;
$node->append_conf(
	'postgresql.conf', q{
max_connections = 30
jit = off
max_parallel_workers_per_gather = 0
# no checkpoint of its own during the storms: recovery has WAL to replay
checkpoint_timeout = 30min
max_wal_size = 1GB
});
$node->start;

$node->safe_psql('postgres', "CREATE DATABASE $db");
$node->safe_psql($db, 'CREATE EXTENSION ticket CASCADE; CREATE EXTENSION amcheck;');
for my $file ("$fixtures/birthplaces.sql", "$tap_dir/population.sql")
{
	my ($rc, $out, $err) = $node->psql($db, undef,
		extra_params => [ '-v', 'ON_ERROR_STOP=1', '-f', $file ]);
	is($rc, 0, "loaded $file") or diag($err);
}
is($node->safe_psql($db, 'SELECT count(*) FROM registry.citizen'),
	'201', 'population: 201 citizens');
is($node->safe_psql($db, 'SELECT count(*) FROM ticket.check_consistency()'),
	'0', 'consistent before the storms');
# the work already there before the storms, flushed by a checkpoint
$node->safe_psql($db, 'CHECKPOINT');

my %before = (
	declarations => $node->safe_psql($db, 'SELECT count(*) FROM registry.declaration'),
	bookings     => $node->safe_psql($db, 'SELECT count(*) FROM cup.booking'),
	prescriptions => $node->safe_psql($db, 'SELECT count(*) FROM fse.prescription'));

# A storm's pgbench still runs: read what it wrote so far (IPC::Run sees
# its end only then), then whether its pipes are still open.
sub storm_running
{
	my ($s) = @_;
	eval { $s->{handle}->pump_nb; };
	return $s->{handle}->pumpable;
}

# The storms: pgbench runs far longer than the test waits; the crash ends
# them (their clients then fail to reach the server).
my @storms;
for my $storm (
	[ 'declarations', 'declare.pgbench', '-D', 'clients=2' ],
	[ 'bookings',     'book.pgbench' ])
{
	my ($name, $script, @vars) = @$storm;
	my ($out, $err) = ('', '');
	my @cmd = (
		'pgbench', '-n', '-c', '2', '-j', '1', '-T', '120', '--max-tries=20',
		@vars, '-f', "$tap_dir/$script",
		'-h', $node->host, '-p', $node->port, $db);
	my $h = IPC::Run::start(\@cmd, '<', \undef, '>', \$out, '2>', \$err);
	push @storms, { name => $name, handle => $h, out => \$out, err => \$err };
}

# Wait until both storms have committed work of their own (at most 60 s;
# at once if a storm has ended: pgbench stops a client on a SQL error).
my ($decl_written, $book_written) = (0, 0);
my $deadline = time + 60;
while (time < $deadline)
{
	($decl_written, $book_written) = split /\|/, $node->safe_psql(
		$db, qq{
SELECT (SELECT count(*) > $before{declarations} + 100 FROM registry.declaration)::int,
       (SELECT count(*) > $before{bookings} + 100 FROM cup.booking)::int});
	last if ($decl_written && $book_written) || grep { !storm_running($_) } @storms;
	usleep(200_000);
}
ok($decl_written, 'the declaration storm writes');
ok($book_written, 'the booking storm writes');

# Still storming a few seconds; then a marker committed in the middle of it,
# and what is committed before the crash.
sleep 3;
my $marker = $node->safe_psql(
	$db, q{
SELECT (registry.self_certify(c.fiscal_code, 'RE3', 'cup_desk', 'MARKER', date '2011-10-01', NULL, 2010,
                              timestamptz '2011-09-25 10:00+02')).declaration_id
  FROM crash.citizen c WHERE c.i = 0});
like($marker, qr/^\d+$/, "marker declaration $marker committed during the storms");
my $committed = $node->safe_psql(
	$db, q{
SELECT (SELECT count(*) FROM registry.declaration) || ' ' || (SELECT max(declaration_id) FROM registry.declaration)
       || ' ' || (SELECT count(*) FROM cup.booking) || ' ' || (SELECT max(booking_id) FROM cup.booking)
       || ' ' || (SELECT count(*) FROM cup.booking WHERE status = 'paid')
       || ' ' || (SELECT count(*) FROM fse.prescription)});
my ($n_decl, $max_decl, $n_book, $max_book, $n_paid, $n_rx) = split / /, $committed;
ok($n_paid > 0, "payments committed before the crash ($n_paid)");

# Both storms are still running at the crash.
for my $s (@storms)
{
	ok(storm_running($s), "the $s->{name} storm is running at the crash");
}
$node->stop('immediate');

for my $s (@storms)
{
	# pgbench ends when its connections break: each of its two clients
	# aborts then, in the middle of its script (the lost connection:
	# "perhaps the backend died", "server closed the connection"), and none
	# before: a client aborted by a SQL error shows the server's "ERROR:".
	$s->{handle}->finish;
	my @lines  = split /\n/, ${ $s->{err} };
	my @aborts = grep { /aborted in command/ } @lines;
	my @errors = grep { /ERROR:/ } @lines;
	is(scalar(@aborts), 2, "the $s->{name} storm: both clients were running at the crash");
	is(scalar(@errors), 0, "the $s->{name} storm: no SQL error")
	  or diag(join("\n", @errors[ 0 .. ($#errors < 9 ? $#errors : 9) ]));
	like(${ $s->{out} }, qr/^number of failed transactions: 0 /m,
		"the $s->{name} storm: no failed transaction");
	note("$s->{name} storm, pgbench stdout:\n${ $s->{out} }\nstderr:\n${ $s->{err} }");
}

ok($node->start(fail_ok => 1), 'the server restarts after the immediate shutdown');
ok($node->log_contains('database system was not properly shut down; automatic recovery in progress'),
	'the restart ran crash recovery');
ok($node->log_contains('redo starts at') && $node->log_contains('redo done at'),
	'recovery replayed WAL');

is($node->safe_psql($db, "SELECT operator || ' ' || band FROM registry.declaration WHERE declaration_id = $marker"),
	'MARKER RE3', 'the marker declaration survived');
ok($node->safe_psql($db, "SELECT count(*) >= $n_decl FROM registry.declaration WHERE declaration_id <= $max_decl") eq 't',
	"the $n_decl declarations committed before the crash survived");
ok($node->safe_psql($db, "SELECT count(*) >= $n_book FROM cup.booking WHERE booking_id <= $max_book") eq 't',
	"the $n_book bookings committed before the crash survived");
ok($node->safe_psql($db, "SELECT count(*) >= $n_paid FROM cup.booking WHERE status = 'paid' AND booking_id <= $max_book") eq 't',
	"the $n_paid payments committed before the crash survived");
ok($node->safe_psql($db, "SELECT count(*) >= $n_rx FROM fse.prescription") eq 't',
	"the $n_rx prescriptions committed before the crash survived");
ok($n_decl > $before{declarations} && $n_book > $before{bookings} && $n_rx > $before{prescriptions},
	'the storms wrote rows before the crash');

is($node->safe_psql($db, 'SELECT count(*) FROM ticket.check_consistency()'),
	'0', 'ticket.check_consistency() is empty after recovery')
  or diag($node->safe_psql($db, 'SELECT * FROM ticket.check_consistency() LIMIT 20'));

# amcheck: every btree index, with heapallindexed (every heap tuple is in the
# index), and every table and TOAST table through verify_heapam.
my $indexes = $node->safe_psql(
	$db, qq{
SELECT count(*)
  FROM pg_index i
  JOIN pg_class c ON c.oid = i.indexrelid
  JOIN pg_am am ON am.oid = c.relam
  JOIN pg_class t ON t.oid = i.indrelid
  JOIN pg_namespace n ON n.oid = t.relnamespace
 WHERE n.nspname IN ($schema_list) AND am.amname = 'btree' AND c.relpersistence = 'p'});
ok($indexes > 10, "$indexes btree indexes to check");
my ($rc, $out, $err) = $node->psql(
	$db, qq{
SELECT count(bt_index_check(index => i.indexrelid, heapallindexed => true))
  FROM pg_index i
  JOIN pg_class c ON c.oid = i.indexrelid
  JOIN pg_am am ON am.oid = c.relam
  JOIN pg_class t ON t.oid = i.indrelid
  JOIN pg_namespace n ON n.oid = t.relnamespace
 WHERE n.nspname IN ($schema_list) AND am.amname = 'btree' AND c.relpersistence = 'p'});
is($rc, 0, 'bt_index_check (heapallindexed) passes on every btree index') or diag($err);
is($out, $indexes, 'bt_index_check ran on every btree index');

my $tables = $node->safe_psql(
	$db, qq{
SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname IN ($schema_list) AND c.relkind IN ('r', 'm')});
ok($tables > 10, "$tables tables to check");
my $corruption = $node->safe_psql(
	$db, qq{
SELECT coalesce(string_agg(format('%s blk %s off %s: %s', x.rel, v.blkno, v.offnum, v.msg), E'\\n'), '')
  FROM (SELECT c.oid AS rel FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname IN ($schema_list) AND c.relkind IN ('r', 'm')
        UNION ALL
        SELECT c.reltoastrelid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname IN ($schema_list) AND c.relkind IN ('r', 'm') AND c.reltoastrelid <> 0) x
 CROSS JOIN LATERAL verify_heapam(x.rel::regclass, check_toast => true) v});
is($corruption, '', "verify_heapam finds nothing in the $tables tables and their TOAST tables");

# After recovery the network still takes writes: one more booking storm round.
is($node->safe_psql($db, q{
SELECT (cup.pay((cup.book((fse.prescribe('080R00000000001', c.fiscal_code, c.gp_code, '{89.7}', NULL,
                                         date '2011-11-02')).nre, date '2011-11-03')).booking_id)).status
  FROM crash.citizen c WHERE c.i = 0}), 'paid', 'after recovery: prescribe, book and pay');
is($node->safe_psql($db, 'SELECT count(*) FROM ticket.check_consistency()'),
	'0', 'still consistent after a write following recovery');

$node->stop;
done_testing();
