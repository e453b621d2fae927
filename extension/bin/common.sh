# extension/bin/common.sh: shared by the README commands (extension/bin/ticket-replay,
# ticket-demo, test/run) and the benchmarks.  Source it; it defines functions only.
#
#   ticket_install_deps   Debian packages the build, the demo and the tests need,
#                         then the locales they need (ticket_ensure_locales)
#   ticket_build_install  make PROFILE=-Werror && make install
#   ticket_copy_checkout  the checkout's files (what git would commit) copied
#   ticket_cluster_start  a throwaway cluster on 127.0.0.1; exports PGHOST,
#                         PGPORT, PGUSER, PGDATABASE; stopped and removed on
#                         exit unless TICKET_KEEP_CLUSTER=1; takes extra
#                         postgres settings (NAME=VALUE)
#   ticket_cluster_stop   stops and removes it (or the cluster directory given)
#   ticket_cluster_restart  restarts it (after ALTER SYSTEM of a preload library)
#   ticket_network_start  the regional network on 127.0.0.1: a region and ASL
#                         nodes, one throwaway cluster each; ticket_network_stop,
#                         ticket_asl_subscribe, ticket_wait_streaming
#
# Every script of the project that starts a PostgreSQL server starts it here.
# (The Perl TAP tests, test/tap/t/*.pl, use PostgreSQL::Test::Cluster, the
# server's own test library, instead.)

TICKET_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# The PostgreSQL major: Debian 12's, 15, unless TICKET_PG_MAJOR says 17 or 18
# (the other supported majors, which test/run and the README's commands
# reach in Debian roots: extension/bin/ticket-chroot).
TICKET_PG_MAJOR=${TICKET_PG_MAJOR:-15}
TICKET_PG_BIN=${TICKET_PG_BIN:-/usr/lib/postgresql/$TICKET_PG_MAJOR/bin}
# make (PGXS) builds and tests against that major, whichever others are
# installed (Debian's /usr/bin/pg_config picks the newest).
if [ -z "${PG_CONFIG:-}" ] && [ -x "$TICKET_PG_BIN/pg_config" ]; then
	export PG_CONFIG=$TICKET_PG_BIN/pg_config
fi

ticket_log() { printf '==> %s\n' "$*" >&2; }

# Packages: server and headers, ICU, pgTAP and pg_prove, clang for the fuzzer,
# IPC::Run for PostgreSQL::Test::Cluster, the C.UTF-8 / it_IT locales,
# gettext for the message catalogues (msgfmt in make; xgettext and msgmerge
# in make update-po).
TICKET_PACKAGES=(
	build-essential "postgresql-$TICKET_PG_MAJOR" "postgresql-server-dev-$TICKET_PG_MAJOR"
	"postgresql-client-$TICKET_PG_MAJOR" libicu-dev pkg-config
	"postgresql-$TICKET_PG_MAJOR-pgtap" libtap-parser-sourcehandler-pgtap-perl
	clang libclang-rt-dev libipc-run-perl locales gettext graphviz
)

# The Debian suites that may carry a PostgreSQL major, oldest first:
# ticket_suite_for_major picks the first that has it (extension/bin/ticket-chroot
# runs the other majors in a root of that suite).
TICKET_SUITES=(bookworm trixie forky sid)

# ticket_apt_mirror: the Debian mirror this machine's apt uses (its sources),
# so that nothing of ours names a host.
ticket_apt_mirror() {
	local uri
	uri=$(grep -hE '^[[:space:]]*URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null |
		awk '{print $2}' | grep -v -- '-security' | head -n 1)
	[ -n "$uri" ] || uri=$(grep -hE '^[[:space:]]*deb[[:space:]]' /etc/apt/sources.list 2>/dev/null |
		awk '{print $2}' | grep -v -- '-security' | head -n 1)
	[ -n "$uri" ] || { echo "no Debian mirror in the apt sources" >&2; return 1; }
	echo "${uri%/}"
}

# ticket_host_suite: this machine's Debian suite (bookworm on Debian 12).
ticket_host_suite() { . /etc/os-release && echo "$VERSION_CODENAME"; }

# ticket_suite_for_major MAJOR: the first of TICKET_SUITES whose main archive
# carries postgresql-MAJOR (this machine's suite when its apt knows the
# package); the answer is cached beside the roots.
ticket_suite_for_major() {
	local major=$1 suite cache list
	if apt-cache show "postgresql-$major" >/dev/null 2>&1; then
		ticket_host_suite
		return
	fi
	cache=${TICKET_CHROOT_CACHE:-/var/cache/ticket-chroots}/suite-for-postgresql-$major
	[ -s "$cache" ] && { cat "$cache"; return; }
	list=$(mktemp)
	for suite in "${TICKET_SUITES[@]}"; do
		# apt-helper is on every Debian machine (no curl or wget needed)
		/usr/lib/apt/apt-helper download-file \
			"$(ticket_apt_mirror)/dists/$suite/main/binary-$(dpkg --print-architecture)/Packages.xz" "$list.xz" >/dev/null 2>&1 || continue
		# not grep -q: it would stop reading, xz die of SIGPIPE and pipefail
		# (the callers') call the whole pipeline failed
		if xz -dc "$list.xz" | grep -xF "Package: postgresql-$major" >/dev/null; then
			rm -f "$list" "$list.xz"
			mkdir -p "$(dirname "$cache")" && echo "$suite" >"$cache"
			echo "$suite"
			return
		fi
	done
	rm -f "$list" "$list.xz"
	echo "no Debian suite of ${TICKET_SUITES[*]} carries postgresql-$major" >&2
	return 1
}

# Operating-system locales the tests need: sql/i18n.sql sets lc_messages to
# it_IT.UTF-8, which the server accepts only if the system has that locale.
TICKET_LOCALES=(it_IT.UTF-8)

# Generate the missing TICKET_LOCALES (Debian: enable them in
# /etc/locale.gen, then locale-gen); does nothing when all are there.
ticket_ensure_locales() {
	local missing=() loc have
	# locale -a spells it_IT.UTF-8 as it_IT.utf8
	have=$(locale -a 2>/dev/null | tr '[:upper:]' '[:lower:]' | tr -d -- -)
	for loc in "${TICKET_LOCALES[@]}"; do
		local norm
		norm=$(printf '%s' "$loc" | tr '[:upper:]' '[:lower:]' | tr -d -- -)
		grep -qxF "$norm" <<<"$have" || missing+=("$loc")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		return 0
	fi
	if [ "$(id -u)" -ne 0 ]; then
		echo "missing locales: ${missing[*]} (run as root to generate them)" >&2
		return 1
	fi
	ticket_log "generating locales ${missing[*]}"
	for loc in "${missing[@]}"; do
		# "# it_IT.UTF-8 UTF-8" -> "it_IT.UTF-8 UTF-8"; appended if absent
		sed -i -E "s/^#[[:space:]]*(${loc//./\\.}[[:space:]]+UTF-8)[[:space:]]*\$/\\1/" /etc/locale.gen
		grep -qxF "$loc UTF-8" /etc/locale.gen || echo "$loc UTF-8" >>/etc/locale.gen
	done
	locale-gen >/dev/null
}

# ticket_install_packages PKG...: the Debian packages among PKG that are not
# installed, installed (as root; otherwise a message and status 1).
ticket_install_packages() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		if [ "$(id -u)" -ne 0 ]; then
			echo "missing Debian packages: ${missing[*]} (run as root to install them)" >&2
			return 1
		fi
		ticket_log "installing ${missing[*]}"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		# postgresql-common would create and start a 'main' cluster we do not use.
		mkdir -p /etc/postgresql-common/createcluster.d
		echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.d/ticket-no-main.conf
		apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	fi
}

ticket_install_deps() {
	ticket_install_packages "${TICKET_PACKAGES[@]}" || return 1
	# after the packages: locale-gen comes with the locales package
	ticket_ensure_locales
}

# ticket_copy_checkout DEST: this checkout's files as git would commit them
# (tracked and untracked, not ignored) copied into the directory DEST; a
# tree that is no git checkout (ticket-chroot's copy) is copied whole.
ticket_copy_checkout() {
	local dest=$1
	if command -v git >/dev/null && git -C "$TICKET_ROOT" rev-parse --git-dir >/dev/null 2>&1; then
		(cd "$TICKET_ROOT" && git ls-files -z --cached --others --exclude-standard |
			xargs -0 -r -I{} sh -c '[ -e "{}" ] && printf "%s\0" "{}"' | tar --null -T - -cf -) |
			tar -xf - -C "$dest"
	else
		cp -a "$TICKET_ROOT/." "$dest/"
	fi
}

ticket_build_install() {
	ticket_log "building and installing the extension"
	make -C "$TICKET_ROOT" -s PROFILE=-Werror >/dev/null
	make -C "$TICKET_ROOT" -s install >/dev/null
}

# Run a command as the cluster owner: postgres refuses to run as root.
ticket_as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		# from /, which postgres can enter (a clone under /root it cannot)
		(cd / && runuser -u postgres -- "$@")
	else
		"$@"
	fi
}

ticket_free_port() {
	local port
	for port in $(seq 54320 54400); do
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return 0
		fi
	done
	return 1
}

# ticket_cluster_stop [DIR]: stop the cluster in DIR (default
# $TICKET_CLUSTER_DIR) and remove DIR; throwaway, so no shutdown checkpoint.
ticket_cluster_stop() {
	local dir=${1:-${TICKET_CLUSTER_DIR:-}}
	if [ -n "$dir" ] && [ -d "$dir" ]; then
		ticket_as_owner "$TICKET_PG_BIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
		rm -rf "$dir"
	fi
}

# ticket_cluster_restart: restart the cluster of $TICKET_CLUSTER_DIR with its
# settings (for what only a start reads, e.g. shared_preload_libraries set
# with ALTER SYSTEM).
ticket_cluster_restart() {
	ticket_as_owner "$TICKET_PG_BIN/pg_ctl" -D "$TICKET_CLUSTER_DIR/data" -w -t 60 restart >/dev/null ||
		{ tail -n 20 "$TICKET_CLUSTER_DIR/server.log" >&2; return 1; }
}

# ticket_cluster_start [extra postgres -c settings...]
ticket_cluster_start() {
	local port
	port=$(ticket_free_port) || { echo "no free port" >&2; return 1; }
	TICKET_CLUSTER_DIR=$(mktemp -d /tmp/ticket-cluster.XXXXXX)
	chmod 755 "$TICKET_CLUSTER_DIR"
	[ "$(id -u)" -eq 0 ] && chown postgres: "$TICKET_CLUSTER_DIR"
	if [ "${TICKET_KEEP_CLUSTER:-0}" != 1 ]; then
		trap ticket_cluster_stop EXIT
	fi
	ticket_log "starting a throwaway cluster in $TICKET_CLUSTER_DIR on 127.0.0.1:$port"
	ticket_as_owner "$TICKET_PG_BIN/initdb" --no-sync -E UTF8 --locale=C.UTF-8 -U postgres \
		--auth=trust -D "$TICKET_CLUSTER_DIR/data" >"$TICKET_CLUSTER_DIR/initdb.log" 2>&1 ||
		{ cat "$TICKET_CLUSTER_DIR/initdb.log" >&2; return 1; }
	local opts="-c listen_addresses=127.0.0.1 -k $TICKET_CLUSTER_DIR -c fsync=off"
	opts+=" -c jit=off -c max_parallel_workers_per_gather=0"
	local setting
	for setting in "$@"; do opts+=" -c $setting"; done
	# The port was free when ticket_free_port looked; another server started
	# meanwhile (tests running side by side) may have taken it: try the next.
	local attempt
	for attempt in 1 2 3 4 5; do
		[ -f "$TICKET_CLUSTER_DIR/server.log" ] && : >"$TICKET_CLUSTER_DIR/server.log"
		if ticket_as_owner "$TICKET_PG_BIN/pg_ctl" -D "$TICKET_CLUSTER_DIR/data" -w -t 60 \
			-l "$TICKET_CLUSTER_DIR/server.log" -o "$opts -p $port" start >/dev/null; then
			break
		fi
		if [ $attempt -lt 5 ] && grep -q 'could not bind IPv4 address' "$TICKET_CLUSTER_DIR/server.log"; then
			port=$(ticket_free_port) || { echo "no free port" >&2; return 1; }
			ticket_log "port taken meanwhile: trying 127.0.0.1:$port"
			continue
		fi
		cat "$TICKET_CLUSTER_DIR/server.log" >&2
		return 1
	done
	export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres PGDATABASE=postgres
	export TICKET_CLUSTER_DIR
}

# --- the regional network --------------------------------------------------
# The one way the project builds a region and its ASL nodes on this machine
# (extension/bin/ticket-network, test/bench/replication_bench.sh).  The TAP
# test of the network, test/tap/t/002_regional_network.pl, builds its own
# with PostgreSQL::Test::Cluster, as TAP tests do.

# The region publishes to the ASL nodes: logical decoding, a walsender and a
# slot per node.
TICKET_REGION_SETTINGS=(wal_level=logical max_wal_senders=10 max_replication_slots=10)

# ticket_network_start STATE ROLE... [-- SETTING...]: a throwaway cluster for
# each ROLE, the first being the region (TICKET_REGION_SETTINGS), each with
# the SETTINGs; kept running (not stopped on exit).  Each is appended to the
# file STATE as "ROLE DIR PORT" as soon as it runs, so that
# ticket_network_stop STATE removes what was started even if a later one
# fails.  Sets TICKET_NODE_PORT[ROLE] and TICKET_NODE_DIR[ROLE].
declare -A TICKET_NODE_PORT=() TICKET_NODE_DIR=()
ticket_network_start() {
	local state=$1 roles=() settings=() role region=1
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do roles+=("$1"); shift; done
	[ $# -gt 0 ] && shift
	settings=("$@")
	for role in "${roles[@]}"; do
		if [ $region -eq 1 ]; then
			TICKET_KEEP_CLUSTER=1 ticket_cluster_start "${TICKET_REGION_SETTINGS[@]}" "${settings[@]}" || return 1
			region=0
		else
			TICKET_KEEP_CLUSTER=1 ticket_cluster_start "${settings[@]}" || return 1
		fi
		printf '%s %s %s\n' "$role" "$TICKET_CLUSTER_DIR" "$PGPORT" >>"$state"
		TICKET_NODE_PORT[$role]=$PGPORT
		TICKET_NODE_DIR[$role]=$TICKET_CLUSTER_DIR
	done
	unset PGPORT PGDATABASE TICKET_CLUSTER_DIR
}

# ticket_network_stop STATE: stop and remove the clusters of STATE, the ASL
# nodes first (their apply workers would keep retrying a stopped region),
# then STATE itself.  A directory that is not a throwaway cluster's is left
# alone.
ticket_network_stop() {
	local state=$1 role dir port
	[ -f "$state" ] || return 0
	while read -r role dir port _; do
		[ -n "$dir" ] || continue
		case $dir in
			/tmp/ticket-cluster.*) ;;
			*) echo "$state names $dir, not a throwaway cluster: left alone" >&2; continue ;;
		esac
		ticket_log "stopping $role (127.0.0.1:$port, $dir)"
		ticket_cluster_stop "$dir"
	done < <(tac "$state")
	rm -f "$state"
}

# ticket_asl_subscribe PORT DB ASL REGION_PORT REGION_DB NAME SLOT [OPTION...]:
# in database DB of the node on PORT (already ticket.become_asl_node(ASL)),
# subscription NAME to the region's publication of ASL, its slot at the
# region SLOT, disabled on the first error; OPTIONs ("copy_data = false",
# ...) added to its WITH.
ticket_asl_subscribe() {
	local port=$1 db=$2 asl=$3 region_port=$4 region_db=$5 name=$6 slot=$7 options='' o
	shift 7
	for o in "$@"; do options+=", $o"; done
	PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -d "$db" \
		-c "CREATE SUBSCRIPTION $name
			CONNECTION 'host=127.0.0.1 port=$region_port dbname=$region_db user=postgres'
			PUBLICATION ticket_asl_$asl WITH (disable_on_error = true, slot_name = '$slot'$options)"
}

# ticket_wait_streaming PORT DB NAME SECONDS: until subscription NAME of
# database DB streams, every table copied and its worker running; otherwise
# (disabled on an error, or SECONDS passed) its health printed, status 1.
ticket_wait_streaming() {
	local port=$1 db=$2 name=$3 limit=$4 state='' t0=$SECONDS
	local q=(psql -X -q -h 127.0.0.1 -p "$port" -d "$db")
	while [ $((SECONDS - t0)) -lt "$limit" ]; do
		state=$("${q[@]}" -At -c "SELECT state || ' ' || tables_not_ready || ' ' || (worker_pid IS NOT NULL)
			FROM ticket.replication_health() WHERE subscription = '$name'")
		[ "$state" = 'streaming 0 true' ] && return 0
		case $state in disabled*) break ;; esac
		sleep 0.2
	done
	"${q[@]}" -x -c 'SELECT * FROM ticket.replication_health()' >&2
	echo "subscription $name of $db (127.0.0.1:$port): not streaming ($state)" >&2
	return 1
}
