#!/usr/bin/env bash
# test/bench/fiscal_code_bench.sh: cost of ticket.fiscal_code against its baselines.
#
#   bash test/bench/fiscal_code_bench.sh
#
# Starts a throwaway cluster (extension/bin/common.sh: 127.0.0.1 only, jit=off,
# max_parallel_workers_per_gather=0, fsync=off), creates the extension and
# loads the PL/pgSQL reference implementation test/reference/fiscal_code_reference.sql.
# It then generates BENCH_ROWS (default 1,000,000) valid fiscal codes in SQL,
# 1 % of them omocodes. Generation is not measured. Three things are measured
# side by side in one psql session, BENCH_RUNS times each (default 7, after
# one warm-up run), and the median is reported:
#
#   a. INSERT ... SELECT of the codes into an UNLOGGED table with a
#      ticket.fiscal_code column vs the same into a text column.  Target:
#      ratio <= 1.3.
#   b. count(*) FILTER (WHERE ticket.fiscal_code_is_valid(cf)) over a text
#      column vs a bare count(cf) of the same column.  Target: ratio <= 1.5.
#   c. the same C validation query (same timings as b) vs the PL/pgSQL
#      reference ticket_reference.is_valid, which runs on the first
#      BENCH_ROWS/10 rows with its time scaled by 10.  Target: C at least
#      100 times faster.
#
# Prints one table (measure | ticket ms | baseline ms | ratio | target | met?)
# with the date, nproc, the CPU model and the PostgreSQL version.  A benchmark
# is not a test: a missed target is only reported.  The script exits non-zero
# on errors: a missing reference file, SQL errors, or generated codes that a
# validator rejects.
#
# The extension must be built and installed (make && make install, or
# ticket_build_install from extension/bin/common.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=SCRIPTDIR/../../extension/bin/common.sh
source extension/bin/common.sh
source test/bench/lib.sh

ROWS=${BENCH_ROWS:-1000000}
RUNS=${BENCH_RUNS:-7}
REF_ROWS=$((ROWS / 10))
REFERENCE_SQL=test/reference/fiscal_code_reference.sql

[ -f "$REFERENCE_SQL" ] ||
	bench_die "$REFERENCE_SQL is missing: measure c needs the PL/pgSQL reference implementation (schema ticket_reference, function ticket_reference.is_valid(text))"
if ! [ "$ROWS" -ge 10 ] 2>/dev/null || ! [ "$RUNS" -ge 1 ] 2>/dev/null; then
	bench_die "BENCH_ROWS must be a number >= 10 and BENCH_RUNS a number >= 1"
fi

bench_setup ticket_bench

ticket_log "loading $REFERENCE_SQL"
"${PSQL[@]}" -f "$REFERENCE_SQL" >/dev/null || bench_die "loading $REFERENCE_SQL failed"
"${PSQL[@]}" -Atc "SELECT to_regprocedure('ticket_reference.is_valid(text)') IS NOT NULL" | grep -qx t ||
	bench_die "$REFERENCE_SQL does not define ticket_reference.is_valid(text)"

# ---------------------------------------------------------------------------
# Deterministic data: personal codes from ticket.fiscal_code_encode (realistic
# surnames, given names with 0-4+ consonants, both sexes, 1920-2019, every
# birthplace letter), every 100th row replaced by one of its 127 omocodes.
# ---------------------------------------------------------------------------
ticket_log "generating $ROWS codes (not measured)"
"${PSQL[@]}" -v rows="$ROWS" -v ref_rows="$REF_ROWS" >/dev/null <<'SQL'
CREATE TABLE gen AS
SELECT g AS id,
       ticket.fiscal_code_encode(
           (ARRAY['ROSSI','RUSSO','FERRARI','ESPOSITO','BIANCHI','ROMANO','COLOMBO','RICCI',
                  'MARINO','GRECO','BRUNO','GALLO','CONTI','DE LUCA','MANCINI','COSTA',
                  'GIORDANO','RIZZO','LOMBARDI','MORETTI','FO','XI','D''ANGELO',
                  'SCHWARZENEGGER','NAZARENO'])[1 + g % 25]
             || (ARRAY['','A','E','I','O','U','N','S','T','R'])[1 + (g / 25) % 10],
           (ARRAY['MARIO','GIULIA','FEDERICO','ALESSANDRO','FRANCESCA','AL','EVA','UGO',
                  'MARIA TERESA','CHRISTIAN','LUCA','ELENA','GIOVANNI','SOFIA','MARCO',
                  'CHIARA','NAZARENO','AURORA','LEONARDO','ALICE'])[1 + (g / 7) % 20],
           CASE WHEN g % 2 = 0 THEN 'M' ELSE 'F' END,
           DATE '1920-01-01' + ((g::bigint * 7919) % 36500)::int,
           (ARRAY['A','B','C','D','E','F','G','H','I','L','M','Z'])[1 + (g / 3) % 12]
             || lpad(((g::bigint * 31) % 1000)::text, 3, '0')
       ) AS code
  FROM generate_series(1, :rows) g;

-- the source of every measurement: id, cf text
CREATE TABLE src AS
SELECT id,
       CASE WHEN id % 100 = 0
            THEN (SELECT o::text
                    FROM ticket.fiscal_code_omocodes(code) WITH ORDINALITY AS t(o, n)
                   WHERE n = 2 + id % 127)
            ELSE code::text
       END AS cf
  FROM gen
 ORDER BY id;
DROP TABLE gen;
CREATE TABLE src_ref AS SELECT id, cf FROM src WHERE id <= :ref_rows ORDER BY id;
VACUUM (FREEZE, ANALYZE) src;
VACUUM (FREEZE, ANALYZE) src_ref;

CREATE UNLOGGED TABLE t_fc (cf ticket.fiscal_code);
CREATE UNLOGGED TABLE t_text (cf text);
SQL

# Sanity: every generated code is valid for both implementations, and omocodes are there.
counts=$("${PSQL[@]}" -AtF ' ' -c "
	SELECT count(*), count(*) FILTER (WHERE ticket.fiscal_code_is_valid(cf)),
	       count(*) FILTER (WHERE ticket.fiscal_code_is_omocode(cf::ticket.fiscal_code))
	  FROM src") || bench_die "counting the generated codes failed"
read -r n_rows n_valid n_omo <<<"$counts"
counts=$("${PSQL[@]}" -AtF ' ' -c "
	SELECT count(*), count(*) FILTER (WHERE ticket_reference.is_valid(cf)) FROM src_ref") ||
	bench_die "ticket_reference.is_valid failed on the generated codes"
read -r n_ref n_ref_valid <<<"$counts"
if [ "$n_rows" -ne "$ROWS" ] || [ "$n_valid" -ne "$ROWS" ]; then
	bench_die "ticket.fiscal_code_is_valid accepts $n_valid of $n_rows generated codes (expected $ROWS)"
fi
if [ "$n_ref" -ne "$REF_ROWS" ] || [ "$n_ref_valid" -ne "$REF_ROWS" ]; then
	bench_die "ticket_reference.is_valid accepts $n_ref_valid of $n_ref generated codes (expected $REF_ROWS)"
fi
[ "$n_omo" -gt 0 ] || bench_die "no omocodes among the generated codes"

# ---------------------------------------------------------------------------
# The measurements: one psql script, \timing on; each measured statement is
# preceded by "\echo @@ <key> <run>", run 0 being the warm-up.  The read-only
# queries come first (b and c share the C validation query), then the INSERTs
# (a), so that the writeback of the inserted pages does not slow the scans.
# The order within a run rotates from run to run.
# ---------------------------------------------------------------------------
INS_FC="INSERT INTO t_fc SELECT cf FROM src;"
INS_TEXT="INSERT INTO t_text SELECT cf FROM src;"
VAL_C="SELECT count(*) FILTER (WHERE ticket.fiscal_code_is_valid(cf)) FROM src;"
SCAN="SELECT count(cf) FROM src;"
VAL_REF="SELECT count(*) FILTER (WHERE ticket_reference.is_valid(cf)) FROM src_ref;"

script=$BENCH_WORK/measure.sql
{
	for run in $(seq 0 "$RUNS"); do
		case $((run % 3)) in
			0) bench_measure valid "$run" "$VAL_C"; bench_measure scan "$run" "$SCAN"; bench_measure ref "$run" "$VAL_REF" ;;
			1) bench_measure scan "$run" "$SCAN"; bench_measure ref "$run" "$VAL_REF"; bench_measure valid "$run" "$VAL_C" ;;
			2) bench_measure ref "$run" "$VAL_REF"; bench_measure valid "$run" "$VAL_C"; bench_measure scan "$run" "$SCAN" ;;
		esac
	done
	for run in $(seq 0 "$RUNS"); do
		echo 'TRUNCATE t_fc, t_text;'
		if [ $((run % 2)) -eq 0 ]; then
			bench_measure insert_fc "$run" "$INS_FC"
			bench_measure insert_text "$run" "$INS_TEXT"
		else
			bench_measure insert_text "$run" "$INS_TEXT"
			bench_measure insert_fc "$run" "$INS_FC"
		fi
	done
} >"$script"

ticket_log "measuring: $RUNS runs of each query after one warm-up run"
bench_run "$script" $(((RUNS + 1) * 5))

a_t=$(bench_median insert_fc)
a_b=$(bench_median insert_text)
b_t=$(bench_median valid)
b_b=$(bench_median scan)
c_t=$b_t
c_b_raw=$(bench_median ref)
c_b=$(awk -v v="$c_b_raw" -v r="$ROWS" -v s="$REF_ROWS" 'BEGIN { printf "%.1f", v * r / s }')

# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------
rows_h=$(printf "%'d" "$ROWS" 2>/dev/null || echo "$ROWS")
ref_h=$(printf "%'d" "$REF_ROWS" 2>/dev/null || echo "$REF_ROWS")
label_a="a. INSERT $rows_h codes into UNLOGGED table: fiscal_code vs text column"
label_b="b. count(*) FILTER (fiscal_code_is_valid(cf)) vs count(cf), $rows_h rows"
label_c="c. C fiscal_code_is_valid vs PL/pgSQL ticket_reference.is_valid ($ref_h rows x10)"
bench_header "ticket fiscal_code benchmark: median of $RUNS runs after 1 warm-up, $rows_h generated codes ($n_omo omocodes)" \
	"$(bench_width "$label_a" "$label_b" "$label_c")"
bench_row "$label_a" "$a_t" "$a_b" le 1.3
bench_row "$label_b" "$b_t" "$b_b" le 1.5
bench_row "$label_c" "$c_t" "$c_b" ge 100
echo
echo "min / median / max of the $RUNS runs (ms):"
bench_stats "a. INSERT fiscal_code" $(bench_values insert_fc)
bench_stats "a. INSERT text" $(bench_values insert_text)
bench_ratios "a. ratio fiscal_code / text" le "$(bench_values insert_fc)" "$(bench_values insert_text)"
bench_stats "b. C validation" $(bench_values valid)
bench_stats "b. count(cf)" $(bench_values scan)
bench_ratios "b. ratio validation / count" le "$(bench_values valid)" "$(bench_values scan)"
bench_stats "c. PL/pgSQL reference on $ref_h rows" $(bench_values ref)
bench_ratios "c. speed-up (reference scaled to $rows_h / C)" ge "$(bench_values valid)" \
	"$(bench_scaled "$(awk -v r="$ROWS" -v q="$REF_ROWS" 'BEGIN { print r / q }')" $(bench_values ref))"
awk -v t="$c_t" -v s="$b_b" -v rr="$c_b_raw" -v r="$ROWS" -v q="$REF_ROWS" 'BEGIN {
	ct = (t - s) * 1e6 / r; rt = (rr - s * q / r) * 1e6 / q
	if (ct > 0)
		printf "c, per row with the bare scan subtracted: C %.0f ns, PL/pgSQL %.2f us (%.0fx)\n", ct, rt / 1000, rt / ct
	else
		printf "c, per row with the bare scan subtracted: C within noise of the scan, PL/pgSQL %.2f us\n", rt / 1000
}'
