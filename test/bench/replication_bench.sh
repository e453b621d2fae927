#!/usr/bin/env bash
# test/bench/replication_bench.sh: cost of re-pricing on an ASL node of the
# regional network (issue 7) against plain logical replication of the same
# changes.
#
#   bash test/bench/replication_bench.sh
#   BENCH_CITIZENS=1000000 bash test/bench/replication_bench.sh   (the issue's size)
#
# Two throwaway clusters on 127.0.0.1 (ticket_network_start of
# extension/bin/common.sh, as ticket-network builds its network; the
# extension must be built and installed): the region (wal_level = logical)
# and the CUP node of ASL 080105, both with track_commit_timestamp = on.
#
# Built once, not measured:
#   * at the region, BENCH_CITIZENS citizens (default 100,000) as on 31 March
#     2020, all resident in ASL 080105: test/fixtures/population_2020.sql
#     with residence=080105 (two declarations each, grants,
#     prescriptions, FSE profiles and events; the incoming batch in
#     bench.batch_declaration and bench.batch_grant).  The bookings that
#     script writes at the region are moved to the ASL node (bookings live at
#     the ASL nodes in this topology): copied out with their 'booked' events,
#     deleted at the region; then ticket.create_asl_publication('080105');
#   * the ASL node's database: the extension, ticket.become_asl_node,
#     a subscription with the initial copy, waited for and dropped (its slot
#     with it), then the region's bookings and their 'booked' events loaded
#     as they were priced (1.6 future unpaid and 0.4 past paid bookings per
#     citizen).  ticket.check_consistency() must be empty at both (BENCH_CHECK=0
#     skips the checks; they are slow at a million).
#
# Measured, BENCH_RUNS runs of each side (default 3, alternating which goes
# first), each on fresh copies of both databases (CREATE DATABASE ...
# TEMPLATE, STRATEGY FILE_COPY) with their tables prewarmed: the ASL copy
# subscribes to the region copy WITH (copy_data = false, disable_on_error =
# true) and, once it streams, the region runs in one transaction the yearly
# batch of 1 April 2020 as network_bench.sh does (INSERT ... SELECT of a
# declaration per citizen, channel revenue_agency, 20 % of them a new band;
# INSERT ... SELECT of an income exemption E01-E04 for 10 %).  Timed: from
# the region's commit (the commit timestamp of the batch's transaction) to
# the moment the ASL node is seen to have applied it: a loop at the ASL node
# polls ticket.replication_health().last_applied_lsn every 10 ms until it
# passes pg_current_wal_insert_lsn() taken just before the COMMIT (the batch
# is the only transaction published after the subscription starts, so the
# next applied commit is the batch; pg_last_committed_xact() at the ASL must
# then be a replicated one).  Both clusters run on this machine: one clock.
# (The ASL's own commit timestamp cannot serve: the apply worker commits
# with the region's timestamp.)
#   ticket:   the ASL node as ticket.become_asl_node leaves it: the ALWAYS
#             triggers queue the citizens and re-price their unpaid bookings
#             inside the applied transaction (applied = consistent).
#   baseline: the same node with the triggers replica_queue,
#             replica_queue_update and replica_apply of registry.declaration
#             and registry.exemption_grant disabled: plain replication of the
#             same rows, the bookings left stale.
# After each run: the replicated registry rows at the ASL are the same on both
# sides; on the ticket side no unpaid booking is stale (cup.booking_expected)
# and, after the first run, ticket.check_consistency() is empty (with the
# check on); the bookings the baseline left stale are as many as the ticket
# side re-priced (priced_at moved; a 'repriced' event is written only when
# the amount changes, so there are fewer of those).  Target: ticket time
# <= 3 x baseline.
#
# BENCH_APPLY_TIMEOUT (seconds, default 7200): how long a side may take to
# apply the batch before the benchmark stops with an error.  (While the
# audit of the re-pricing UPDATE, ticket.audit_update, nested-loops its
# transition tables in the apply worker -- 1.1 as first released -- the
# ticket side takes about 35 s at 5,000 citizens, 140 s at 10,000, and
# hours at 100,000.)
#
# A missed target is reported, never an error.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../../extension/bin/common.sh
source extension/bin/common.sh
# shellcheck source=lib.sh
source test/bench/lib.sh

CITIZENS=${BENCH_CITIZENS:-100000}
RUNS=${BENCH_RUNS:-3}
CHECK=${BENCH_CHECK:-1}
APPLY_TIMEOUT=${BENCH_APPLY_TIMEOUT:-7200}
ASL=080105
if ! [ "$CITIZENS" -ge 100 ] 2>/dev/null || ! [ "$RUNS" -ge 1 ] 2>/dev/null ||
	! [ "$APPLY_TIMEOUT" -ge 1 ] 2>/dev/null; then
	bench_die "BENCH_CITIZENS must be >= 100, BENCH_RUNS and BENCH_APPLY_TIMEOUT >= 1"
fi
if [ "$CITIZENS" -gt 5000000 ]; then
	bench_die "BENCH_CITIZENS at most 5000000 (the generated fiscal codes are distinct up to there)"
fi

# --- two clusters ---------------------------------------------------------------

BENCH_WORK=$(mktemp -d /tmp/ticket-bench.XXXXXX)
chmod 755 "$BENCH_WORK"
keep=${TICKET_KEEP_CLUSTER:-0}
NETWORK=$BENCH_WORK/network.state
REGION_DIR='' ASL_DIR='' RP='' AP=''
cleanup() {
	if [ "$keep" = 1 ]; then
		ticket_log "kept: the region in ${REGION_DIR:-?} (127.0.0.1:${RP:-?}, database rb_pop)," \
			"the ASL node in ${ASL_DIR:-?} (127.0.0.1:${AP:-?}, database ab_pop)"
	else
		ticket_network_stop "$NETWORK"
	fi
	rm -rf "$BENCH_WORK"
}
trap cleanup EXIT
# The region and the ASL node as the project builds a network.  A larger
# shared_buffers keeps the tables in memory; no autovacuum runs between the
# measurements.
ticket_network_start "$NETWORK" region asl -- shared_buffers=512MB autovacuum=off max_wal_size=4GB \
	track_commit_timestamp=on || bench_die "starting the two clusters failed"
REGION_DIR=${TICKET_NODE_DIR[region]} RP=${TICKET_NODE_PORT[region]}
ASL_DIR=${TICKET_NODE_DIR[asl]} AP=${TICKET_NODE_PORT[asl]}
# region DB / asl DB: psql on a database of each cluster.
region() { local db=$1; shift; psql -X -q -v ON_ERROR_STOP=1 -p "$RP" -d "$db" "$@"; }
asl() { local db=$1; shift; psql -X -q -v ON_ERROR_STOP=1 -p "$AP" -d "$db" "$@"; }
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -p "$RP" -d postgres)

# --- the region -----------------------------------------------------------------

createdb -p "$RP" rb_pop
region rb_pop -c 'CREATE EXTENSION ticket CASCADE' >/dev/null 2>&1 ||
	bench_die "CREATE EXTENSION ticket failed: is the extension built and installed (make && make install)?"
region rb_pop -f test/fixtures/birthplaces.sql >/dev/null || bench_die "loading the birthplace fixture failed"
citizens_h=$(printf "%'d" "$CITIZENS" 2>/dev/null || echo "$CITIZENS")
ticket_log "region: the population of $citizens_h citizens, all resident in ASL $ASL (not measured)"
start=$(date +%s)
region rb_pop -v citizens="$CITIZENS" -v residence="$ASL" -f test/fixtures/population_2020.sql >/dev/null ||
	bench_die "building the population failed"
ticket_log "population built in $(($(date +%s) - start)) s"
[ "$(region rb_pop -Atc "SELECT count(*) FROM registry.citizen WHERE residence_asl <> '$ASL'")" = 0 ] ||
	bench_die "the population has citizens outside ASL $ASL"

# one line: \copy takes one
BOOKING_COLS='booking_id, nre, fiscal_code, asl_code, service_date, status, bill, booked_at, priced_at'
BOOKING_COLS+=', paid_amount, paid_at, payment_channel, cancelled_at, cancel_reason'
EVENT_COLS='kind, subject, fiscal_code, payload, created_at'
ticket_log "region: moving the bookings to the ASL node; the publication"
region rb_pop >/dev/null <<SQL
\\copy (SELECT $BOOKING_COLS FROM cup.booking ORDER BY booking_id) TO '$BENCH_WORK/bookings.copy'
\\copy (SELECT $EVENT_COLS FROM ticket.event WHERE kind = 'booked' ORDER BY event_id) TO '$BENCH_WORK/events.copy'
ALTER TABLE cup.booking DISABLE TRIGGER USER;
ALTER TABLE ticket.event DISABLE TRIGGER USER;
DELETE FROM ticket.event WHERE kind = 'booked';
DELETE FROM cup.booking;
ALTER TABLE cup.booking ENABLE TRIGGER USER;
ALTER TABLE ticket.event ENABLE TRIGGER USER;
SELECT ticket.create_asl_publication('$ASL');
VACUUM (FREEZE, ANALYZE);
CHECKPOINT;
SQL
chmod 644 "$BENCH_WORK"/*.copy

# --- the ASL node ---------------------------------------------------------------

# wait_streaming DB SUB SECONDS: until the subscription streams with every
# table ready.
wait_streaming() { ticket_wait_streaming "$AP" "$1" "$2" "$3" || bench_die "subscription $2 of $1: not streaming"; }
ticket_log "ASL $ASL: the extension, become_asl_node, the initial copy"
createdb -p "$AP" ab_pop
asl ab_pop -c 'CREATE EXTENSION ticket CASCADE' -c 'CREATE EXTENSION pg_prewarm' >/dev/null 2>&1 ||
	bench_die "CREATE EXTENSION ticket at the ASL node failed"
asl ab_pop -f test/fixtures/birthplaces.sql >/dev/null
asl ab_pop -c "SELECT ticket.become_asl_node('$ASL')" >/dev/null
start=$(date +%s)
ticket_asl_subscribe "$AP" ab_pop "$ASL" "$RP" rb_pop sync bench_sync
wait_streaming ab_pop sync 3600
PGOPTIONS='-c client_min_messages=warning' asl ab_pop -c 'DROP SUBSCRIPTION sync'
ticket_log "initial copy in $(($(date +%s) - start)) s; loading the bookings"
asl ab_pop >/dev/null <<SQL
ALTER TABLE cup.booking DISABLE TRIGGER USER;
ALTER TABLE ticket.event DISABLE TRIGGER USER;
\\copy cup.booking ($BOOKING_COLS) FROM '$BENCH_WORK/bookings.copy'
\\copy ticket.event ($EVENT_COLS) FROM '$BENCH_WORK/events.copy'
ALTER TABLE cup.booking ENABLE TRIGGER USER;
ALTER TABLE ticket.event ENABLE TRIGGER USER;
SELECT setval('cup.booking_id_seq', (SELECT max(booking_id) FROM cup.booking));
VACUUM (FREEZE, ANALYZE);
CHECKPOINT;
SQL
for t in registry.citizen registry.declaration registry.exemption_grant fse.prescription; do
	[ "$(region rb_pop -Atc "SELECT count(*) FROM $t")" = "$(asl ab_pop -Atc "SELECT count(*) FROM $t")" ] ||
		bench_die "after the initial copy $t differs between the region and the ASL node"
done
if [ "$CHECK" = 1 ]; then
	ticket_log "checking both databases with ticket.check_consistency()"
	bad=$(region rb_pop -Atc 'SELECT count(*) FROM ticket.check_consistency()')
	[ "$bad" = 0 ] || bench_die "the region is inconsistent: $bad rows from ticket.check_consistency()"
	bad=$(asl ab_pop -Atc 'SELECT count(*) FROM ticket.check_consistency()')
	[ "$bad" = 0 ] || bench_die "the ASL node is inconsistent: $bad rows from ticket.check_consistency()"
fi
read -r future_bookings past_bookings < <(asl ab_pop -AtF ' ' -c "
	SELECT count(*) FILTER (WHERE status = 'booked'), count(*) FILTER (WHERE status <> 'booked') FROM cup.booking")
read -r batch_changed batch_grants < <(region rb_pop -AtF ' ' -c "
	SET search_path = public, ticket;
	SELECT (SELECT count(*) FROM bench.batch_declaration b JOIN bench.pop p USING (i) WHERE b.band <> p.old_band),
	       (SELECT count(*) FROM bench.batch_grant)")
size_r=$(region rb_pop -Atc "SELECT pg_size_pretty(pg_database_size(current_database()))")
size_a=$(asl ab_pop -Atc "SELECT pg_size_pretty(pg_database_size(current_database()))")

# --- the runs ---------------------------------------------------------------------

PREWARM="SELECT count(pg_prewarm(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE n.nspname IN ('registry', 'fse', 'cup', 'ticket', 'bench') AND c.relkind IN ('r', 'i');"
BATCH="SET search_path = public, ticket;
BEGIN;
INSERT INTO registry.declaration (fiscal_code, band, declarant, channel, signed_at, applies_from, income_year)
SELECT b.fiscal_code, b.band, b.fiscal_code, 'revenue_agency', timestamptz '2020-03-31 02:00+02',
       date '2020-04-01', 2019
  FROM bench.batch_declaration b ORDER BY b.i;
INSERT INTO registry.exemption_grant (fiscal_code, exemption, valid, source, granted_at)
SELECT b.fiscal_code, b.exemption, daterange('2020-04-01', '2021-04-01'),
       CASE WHEN b.exemption::text = 'E02' THEN 'self_certification' ELSE 'mef_list' END,
       timestamptz '2020-03-31 03:00+02'
  FROM bench.batch_grant b ORDER BY b.i;
SELECT pg_current_wal_insert_lsn() AS before_commit, pg_current_xact_id() AS fxid,
       extract(epoch FROM transaction_timestamp()) AS started \\gset
COMMIT;
SELECT :'before_commit', extract(epoch FROM t), extract(epoch FROM t) - :started
  FROM pg_xact_commit_timestamp(xid(:'fxid'::xid8)) AS t;"
# The replicated registry at the ASL node: both sides must give the same.
FINGERPRINT="SELECT count(*), sum(hashtext(concat_ws('|', declaration_id, fiscal_code, band, declarant, channel,
	operator, signed_at, applies_from, valid_until, income_year))) FROM registry.declaration
	UNION ALL SELECT count(*), sum(hashtext(concat_ws('|', grant_id, fiscal_code, exemption, valid, source,
	granted_at, revoked_on))) FROM registry.exemption_grant;"
STALE="SELECT count(*) FROM cup.booking_expected e WHERE e.status = 'booked' AND e.bill IS DISTINCT FROM e.expected_bill"
: >"$BENCH_WORK/times"

# run_side SIDE RUN: one run of one side on fresh copies; appends
# "side run latency_ms region_batch_ms" to $BENCH_WORK/times.
run_side() {
	local side=$1 run=$2 lsn t_commit batch_s origin t_seen
	createdb -p "$RP" --strategy=file_copy -T rb_pop rb_run
	createdb -p "$AP" --strategy=file_copy -T ab_pop ab_run
	if [ "$side" = base ]; then
		asl ab_run -c 'ALTER TABLE registry.declaration DISABLE TRIGGER replica_queue,
			DISABLE TRIGGER replica_queue_update, DISABLE TRIGGER replica_apply' \
			-c 'ALTER TABLE registry.exemption_grant DISABLE TRIGGER replica_queue,
			DISABLE TRIGGER replica_queue_update, DISABLE TRIGGER replica_apply'
	fi
	region rb_run -c "$PREWARM" >/dev/null
	asl ab_run -c "$PREWARM" >/dev/null
	ticket_asl_subscribe "$AP" ab_run "$ASL" "$RP" rb_run bench bench_run 'copy_data = false'
	wait_streaming ab_run bench 120
	region rb_run -c CHECKPOINT
	asl ab_run -c CHECKPOINT
	read -r lsn t_commit batch_s < <(region rb_run -At -F ' ' -f - <<<"$BATCH" | tail -n 1)
	[ -n "$batch_s" ] || bench_die "run $run $side: the batch at the region gave no LSN"
	# Poll until the ASL has applied a commit past the batch's LSN.
	asl ab_run -c "DO \$\$
	DECLARE
	    deadline timestamptz := clock_timestamp() + interval '$APPLY_TIMEOUT s';
	    h record;
	BEGIN
	    LOOP
	        SELECT * INTO h FROM ticket.replication_health() WHERE subscription = 'bench';
	        EXIT WHEN h.last_applied_lsn > '$lsn'::pg_lsn;
	        IF h.state LIKE 'disabled%' OR clock_timestamp() > deadline THEN
	            RAISE EXCEPTION 'subscription bench: % (applied %, waiting for %)', h.state, h.last_applied_lsn, '$lsn';
	        END IF;
	        PERFORM pg_sleep(0.01);
	    END LOOP;
	END \$\$" || bench_die "run $run $side: the ASL node did not apply the batch (BENCH_APPLY_TIMEOUT $APPLY_TIMEOUT s)"
	read -r origin t_seen < <(asl ab_run -At -F ' ' -c "SELECT x.roident, extract(epoch FROM clock_timestamp())
		FROM pg_last_committed_xact() x")
	[ "${origin:-0}" != 0 ] || bench_die "run $run $side: the last commit at the ASL node is not a replicated one"
	# The loop saw the batch applied at most 10 ms (plus one query) before
	# it returned: the time seen is t_seen.
	awk -v s="$side" -v r="$run" -v c="$t_commit" -v b="$batch_s" -v o="$t_seen" \
		'BEGIN { printf "%s %s %.1f %.1f\n", s, r, (o - c) * 1000, b * 1000 }' >>"$BENCH_WORK/times"
	# What the run left at the ASL node.
	asl ab_run -At -F ' ' -c "$FINGERPRINT" >"$BENCH_WORK/fingerprint.$side.$run"
	asl ab_run -At -c "$STALE" >"$BENCH_WORK/stale.$side.$run"
	if [ "$side" = ticket ]; then
		asl ab_run -At -c 'SELECT count(*) FROM cup.booking WHERE priced_at <> booked_at' \
			>"$BENCH_WORK/repriced.$run"
		asl ab_run -At -c "SELECT count(*) FROM ticket.event WHERE kind = 'repriced'" \
			>"$BENCH_WORK/repriced_events.$run"
		if [ "$CHECK" = 1 ] && [ "$run" = 1 ]; then
			asl ab_run -At -c 'SELECT count(*) FROM ticket.check_consistency()' >"$BENCH_WORK/check"
		fi
	fi
	PGOPTIONS='-c client_min_messages=warning' asl ab_run -c 'DROP SUBSCRIPTION bench'
	dropdb -p "$AP" ab_run
	dropdb -p "$RP" rb_run
}
ticket_log "the yearly batch: $RUNS run(s) of each side, each on fresh copies"
for run in $(seq 1 "$RUNS"); do
	if [ $((run % 2)) -eq 1 ]; then
		run_side ticket "$run"; run_side base "$run"
	else
		run_side base "$run"; run_side ticket "$run"
	fi
	ticket_log "run $run: $(awk -v r="$run" '$2 == r { printf "%s%s %.2f s", s, $1, $3 / 1000; s = ", " }' "$BENCH_WORK/times")"
done

for run in $(seq 1 "$RUNS"); do
	cmp -s "$BENCH_WORK/fingerprint.ticket.$run" "$BENCH_WORK/fingerprint.base.$run" ||
		bench_die "run $run: the replicated registry at the ASL differs between the sides:
$(cat "$BENCH_WORK/fingerprint.ticket.$run") vs $(cat "$BENCH_WORK/fingerprint.base.$run")"
	[ "$(cat "$BENCH_WORK/stale.ticket.$run")" = 0 ] ||
		bench_die "run $run: $(cat "$BENCH_WORK/stale.ticket.$run") unpaid bookings stale at the ASL after the ticket side"
	[ "$(cat "$BENCH_WORK/stale.base.$run")" = "$(cat "$BENCH_WORK/repriced.$run")" ] ||
		bench_die "run $run: the baseline left $(cat "$BENCH_WORK/stale.base.$run") bookings stale, the ticket side re-priced $(cat "$BENCH_WORK/repriced.$run")"
done
if [ "$CHECK" = 1 ]; then
	[ "$(cat "$BENCH_WORK/check")" = 0 ] ||
		bench_die "after the ticket batch: $(cat "$BENCH_WORK/check") rows from ticket.check_consistency() at the ASL node"
fi
repriced=$(cat "$BENCH_WORK/repriced.1")
repriced_events=$(cat "$BENCH_WORK/repriced_events.1")

# --- the table ----------------------------------------------------------------------

# median COLUMN SIDE: median of a column of $BENCH_WORK/times over the runs.
median() {
	awk -v c="$1" -v s="$2" '$1 == s { print $c }' "$BENCH_WORK/times" | sort -g |
		awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.1f", v[(NR + 1) / 2];
		                          else printf "%.1f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
runs_of() { awk -v c="$1" -v s="$2" '$1 == s { printf "%s%.2f", sep, $c / 1000; sep = " " }' "$BENCH_WORK/times"; }
future_h=$(printf "%'d" "$future_bookings" 2>/dev/null || echo "$future_bookings")
label="a. 1 April batch, $citizens_h citizens, ASL node with $future_h unpaid bookings: region commit -> ASL applied"
bench_header "ticket replication benchmark: region + ASL $ASL node, $citizens_h citizens (region $size_r, ASL $size_a), median of $RUNS runs" \
	"$(bench_width "$label" measure)"
bench_row "$label" "$(median 3 ticket)" "$(median 3 base)" le 3
echo
echo "region commit -> ASL applied, min / median / max of the $RUNS runs (s):"
bench_stats "a. ticket" $(runs_of 3 ticket)
bench_stats "a. baseline" $(runs_of 3 base)
bench_ratios "a. ratio ticket / baseline" le "$(runs_of 3 ticket)" "$(runs_of 3 base)"
echo "the batch at the region, first statement to commit (s; not part of the measure): ticket runs [$(runs_of 4 ticket)]," \
	"baseline runs [$(runs_of 4 base)]"
echo "batch: $citizens_h declarations ($batch_changed with a new band), $batch_grants grants; at the ASL node" \
	"$repriced unpaid bookings re-priced inside the applied transaction ($repriced_events 'repriced' events;" \
	"the baseline left $repriced stale);" \
	"$past_bookings past paid bookings; replicated registry rows equal on both sides$([ "$CHECK" = 1 ] &&
		echo '; check_consistency() empty at the ASL node after the ticket side')"
echo "ASL settings: $(psql -X -p "$AP" -d postgres -Atc "SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name)
	FROM pg_settings WHERE name IN ('shared_buffers', 'track_commit_timestamp', 'logical_decoding_work_mem')");" \
	"region: $("${PSQL[@]}" -Atc "SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name)
	FROM pg_settings WHERE name IN ('wal_level', 'logical_decoding_work_mem')")"
