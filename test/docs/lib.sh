# shellcheck shell=bash
# test/docs/lib.sh: what the checks of the manual share (sourced).
#
#   docs_root            the repository
#   docs_manual          the manual (TICKET_MANUAL overrides it, to try a modified copy)
#   docs_section HEAD    prints the manual from the heading HEAD ('## Title')
#                        to the next heading of the same or a higher level
#   tap_record STATUS DESCRIPTION   STATUS is "ok" or "not ok"
#   tap_finish WHAT      prints the TAP (plan first); exits 1 if any failed,
#                        naming WHAT in the closing comment

docs_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
docs_manual=${TICKET_MANUAL:-$docs_root/extension/doc/ticket.md}

docs_section() {
	awk -v head="$1" '
		BEGIN { split(head, h, " "); level = length(h[1]) }
		!on && index($0, head) == 1 { on = 1; print; next }
		on && /^#+ / { split($0, a, " "); if (length(a[1]) <= level) exit }
		on { print }' "$docs_manual"
}

tap_results=()
tap_failed=0
tap_record() {
	tap_results+=("$1 - $2")
	if [ "$1" = "not ok" ]; then
		tap_failed=$((tap_failed + 1))
	fi
}

tap_finish() {
	local n=0 line
	echo "1..${#tap_results[@]}"
	for line in "${tap_results[@]}"; do
		n=$((n + 1))
		echo "${line%% - *} $n - ${line#* - }"
	done
	if [ "$tap_failed" -gt 0 ]; then
		echo "# $tap_failed of ${#tap_results[@]} failed: $1"
		exit 1
	fi
	exit 0
}
