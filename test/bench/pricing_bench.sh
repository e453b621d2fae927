#!/usr/bin/env bash
# test/bench/pricing_bench.sh: cost of the C tariff engine against its baselines.
#
#   bash test/bench/pricing_bench.sh
#
# On a throwaway cluster (extension/bin/common.sh), generates BENCH_ROWS
# (default 1,000,000) specialist prescriptions of 1 to 8 exams of one branch,
# with tariffs around the 10.00 threshold and the 36.15 cap and every band of
# the 2011-2018 regime (not measured), then measures side by side, BENCH_RUNS
# times each (default 5, after a warm-up), reporting the median:
#
#   a. ticket.price(items, band, NULL, date) over every prescription vs the
#      plain SQL floor: the same rows summed with least(sum(tariff), 36.15)
#      plus a CASE for the band quota.  Target: at most 2x.
#   b. the C engine vs the PL/pgSQL reference ticket_reference.price
#      (test/reference/pricing_reference.sql) on the first BENCH_ROWS/100
#      prescriptions, scaled by 100.  Target: at least 20x faster.
#   c. the size of the per-backend rule cache for all regimes.  Target: < 1 MB.
#
# Before measuring it checks that the engine, the floor and the reference
# agree on the totals.  A missed target is reported, never an error.
set -euo pipefail
cd "$(dirname "$0")/../.."
source extension/bin/common.sh
source test/bench/lib.sh

ROWS=${BENCH_ROWS:-1000000}
RUNS=${BENCH_RUNS:-5}
REF_ROWS=$((ROWS / 100))
REFERENCE_SQL=test/reference/pricing_reference.sql

[ -f "$REFERENCE_SQL" ] || bench_die "$REFERENCE_SQL is missing (ticket_reference.price)"
if ! [ "$ROWS" -ge 100 ] 2>/dev/null || ! [ "$RUNS" -ge 1 ] 2>/dev/null; then
	bench_die "BENCH_ROWS must be a number >= 100 and BENCH_RUNS a number >= 1"
fi

bench_setup ticket_bench
"${PSQL[@]}" -f "$REFERENCE_SQL" >/dev/null || bench_die "loading $REFERENCE_SQL failed"

ticket_log "generating $ROWS prescriptions (not measured)"
"${PSQL[@]}" -v rows="$ROWS" -v ref_rows="$REF_ROWS" >/dev/null <<'SQL'
SELECT setseed(0.2011);
CREATE TABLE rx AS
SELECT p.id,
       (SELECT array_agg(ROW('EX' || k, 'exam', 'laboratory',
                             round((random() * random() * 40)::numeric, 2), 1)::ticket.item)
          FROM generate_series(1, 1 + (p.id * 7) % 8) AS k) AS items,
       (ARRAY['RE1', 'RE2', 'RE3', NULL])[1 + p.id % 4]::ticket.income_band AS band
  FROM generate_series(1, :rows) AS p(id);
CREATE TABLE rx_ref AS SELECT * FROM rx WHERE id <= :ref_rows;
VACUUM (FREEZE, ANALYZE) rx;
VACUUM (FREEZE, ANALYZE) rx_ref;
SQL

ENGINE="SELECT sum((ticket.price(items, band, NULL, DATE '2015-03-01')).total) FROM rx;"
FLOOR="SELECT sum(least(s, 36.15) + CASE WHEN s > 10.00 THEN CASE band::text WHEN 'RE1' THEN 0
	WHEN 'RE2' THEN 5 WHEN 'RE3' THEN 10 ELSE 15 END ELSE 0 END)
	FROM (SELECT band, (SELECT sum(i.tariff * i.quantity) FROM unnest(items) AS i) AS s FROM rx) AS t;"
ENGINE_REF="SELECT sum((ticket.price(items, band, NULL, DATE '2015-03-01')).total) FROM rx_ref;"
REFERENCE="SELECT sum((ticket_reference.price(items, band, NULL, DATE '2015-03-01')).total) FROM rx_ref;"

# The three must agree before any of them is timed.
engine_sum=$("${PSQL[@]}" -Atc "${ENGINE%;}") || bench_die "the engine failed"
floor_sum=$("${PSQL[@]}" -Atc "${FLOOR%;}") || bench_die "the SQL floor failed"
[ "$engine_sum" = "$floor_sum" ] || bench_die "engine total $engine_sum differs from the SQL floor $floor_sum"
engine_ref_sum=$("${PSQL[@]}" -Atc "${ENGINE_REF%;}")
reference_sum=$("${PSQL[@]}" -Atc "${REFERENCE%;}") || bench_die "the PL/pgSQL reference failed"
[ "$engine_ref_sum" = "$reference_sum" ] ||
	bench_die "engine total $engine_ref_sum differs from the PL/pgSQL reference $reference_sum"

script=$BENCH_WORK/measure.sql
for run in $(seq 0 "$RUNS"); do
	if [ $((run % 2)) -eq 0 ]; then
		bench_measure engine "$run" "$ENGINE"; bench_measure floor "$run" "$FLOOR"
	else
		bench_measure floor "$run" "$FLOOR"; bench_measure engine "$run" "$ENGINE"
	fi
	bench_measure reference "$run" "$REFERENCE"
done >"$script"
ticket_log "measuring: $RUNS runs of each query after one warm-up run"
bench_run "$script" $(((RUNS + 1) * 3))

a_t=$(bench_median engine)
a_b=$(bench_median floor)
b_b=$(awk -v v="$(bench_median reference)" 'BEGIN { printf "%.1f", v * 100 }')
cache_bytes=$("${PSQL[@]}" -Atc "SELECT bytes FROM ticket.rules_cache_info()")

rows_h=$(printf "%'d" "$ROWS" 2>/dev/null || echo "$ROWS")
ref_h=$(printf "%'d" "$REF_ROWS" 2>/dev/null || echo "$REF_ROWS")
label_a="a. ticket.price over $rows_h prescriptions vs the SQL floor"
label_b="b. C engine vs PL/pgSQL ticket_reference.price ($ref_h rows x100)"
label_c="c. per-backend rule cache, all regimes (bytes vs 1 MB)"
bench_header "ticket pricing benchmark: median of $RUNS runs after 1 warm-up, $rows_h prescriptions of 1-8 items" \
	"$(bench_width "$label_a" "$label_b" "$label_c")"
bench_row "$label_a" "$a_t" "$a_b" le 2
bench_row "$label_b" "$a_t" "$b_b" ge 20
awk -v w="$BENCH_WIDTH" -v label="$label_c" -v b="$cache_bytes" 'BEGIN {
	printf "| %-*s | %9s | %11s | %6.3f | %-7s | %-4s |\n", w, label, b, 1048576, b / 1048576, "< 1 MB",
		b < 1048576 ? "yes" : "no" }'
echo
echo "min / median / max of the $RUNS runs (ms):"
bench_stats "a. ticket.price (engine)" $(bench_values engine)
bench_stats "a. SQL floor" $(bench_values floor)
bench_ratios "a. ratio engine / floor" le "$(bench_values engine)" "$(bench_values floor)"
bench_stats "b. PL/pgSQL reference on $ref_h rows" $(bench_values reference)
bench_ratios "b. speed-up (reference x100 / engine)" ge "$(bench_values engine)" \
	"$(bench_scaled 100 $(bench_values reference))"
echo "totals agree: engine = floor = $engine_sum; engine = reference on the subset = $reference_sum"
