#!/usr/bin/env bash
# test/package/run.sh: the Debian package of $TICKET_PG_MAJOR built
# (extension/bin/ticket-packages --here), checked to ship every file
# `make install` installs, then installed and tested by its autopkgtest
# (debian/tests: the regression suite on a clean pg_virtualenv cluster)
# with Debian's autopkgtest tool on this system (the null runner).
#
#   bash test/package/run.sh        (test/run's layer "package"; as root)
#
# The files of `make install` are removed first, so the suite runs against
# the package's files only; on exit the package is purged and the extension
# made and installed again (ticket_build_install), leaving the system as the
# other layers of test/run expect it.  It installs a package into this
# system's PostgreSQL: test/run runs it inside a root of
# extension/bin/ticket-chroot for a major the host does not carry, and
#   bash extension/bin/ticket-chroot 15 bash test/run package
# keeps the host's own PostgreSQL untouched.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../../extension/bin/common.sh
source "$here/../../extension/bin/common.sh"
cd "$TICKET_ROOT"
[ "$(id -u)" -eq 0 ] || { echo "test/package: run as root (it installs a package)" >&2; exit 1; }

package=postgresql-$TICKET_PG_MAJOR-ticket
work=$(mktemp -d /tmp/ticket-package.XXXXXX)
restore() {
	local rc=$?
	if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q installed; then
		ticket_log "purging $package"
		DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq "$package" >/dev/null || rc=1
	fi
	ticket_build_install || rc=1
	rm -rf "$work"
	exit $rc
}
trap restore EXIT

ticket_install_packages autopkgtest

bash extension/bin/ticket-packages --here "$work/debs"
deb=$(find "$work/debs" -name "${package}_*.deb" ! -name '*dbgsym*')
[ -n "$deb" ] || { echo "not ok - no $package .deb built" >&2; exit 1; }
echo "ok - built $(basename "$deb")"

# The package ships what `make install` installs (Debian adds its docs).
make -s install DESTDIR="$work/make-install" >/dev/null
(cd "$work/make-install" && find . ! -type d | sed 's|^\./|/|' | sort) >"$work/make-install.list"
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {print $NF}' | sed 's|^\./|/|' | sort >"$work/package.list"
missing=$(comm -23 "$work/make-install.list" "$work/package.list")
if [ -n "$missing" ]; then
	echo "not ok - $package lacks files make install installs:" >&2
	echo "$missing" >&2
	exit 1
fi
echo "ok - $package ships the $(wc -l <"$work/make-install.list") files make install installs"

# Only the package's files from here on.
make -s uninstall >/dev/null
ticket_log "autopkgtest of $package (null runner: this system)"
# autopkgtest runs debian/tests on a copy of the source tree it is given:
# a clean one, with the debian/control of this major, from which it reads
# the packages "@" in debian/tests/control names.
mkdir "$work/src"
ticket_copy_checkout "$work/src"
make -s -C "$work/src" clean >/dev/null
(cd "$work/src" && PG_SUPPORTED_VERSIONS=$TICKET_PG_MAJOR pg_buildext updatecontrol)
if autopkgtest --no-built-binaries "$deb" "$work/src" -- null >"$work/autopkgtest.log" 2>&1; then
	echo "ok - autopkgtest of $package passed"
else
	rc=$?
	tail -n 80 "$work/autopkgtest.log" >&2
	echo "not ok - autopkgtest of $package failed (exit status $rc)" >&2
	exit 1
fi
# A pass means both suites ran: pg_regress's and the isolation specs'
# "All N tests passed." (a "#" before it from PostgreSQL 16 on).
summaries=$(grep -E '^#? ?All [0-9]+ tests passed' "$work/autopkgtest.log" || true)
echo "$summaries"
if [ "$(grep -c . <<<"$summaries")" -ne 2 ]; then
	echo "not ok - the autopkgtest did not run the regression and isolation suites once each" >&2
	exit 1
fi
echo "ok - the regression and isolation suites ran against the installed package"
