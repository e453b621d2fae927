#!/usr/bin/env bash
# test/meta/run.sh: META.json is valid for PGXN and agrees with the
# repository (check-meta.pl), debian/changelog's version is ticket.control's,
# and the checks refuse broken copies (so they can fail).  Needs perl with JSON::PP (Debian's perl, which PostgreSQL's
# packages pull in).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d /tmp/ticket-meta.XXXXXX)
trap 'rm -rf "$work"' EXIT
status=0

perl "$here/check-meta.pl" "$root/META.json" || status=1

# debian/changelog names the version too (Debian's packaging needs it
# written there): its upstream part, without epoch and Debian revision, must
# be ticket.control's default_version.
control_version=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" "$root/ticket.control")
changelog_in_step() { # changelog_in_step CHANGELOG: 0 when in step
	local version
	version=$(sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' "$1")
	version=${version#*:}
	version=${version%-*}
	[ -n "$version" ] && [ "$version" = "$control_version" ]
}
if changelog_in_step "$root/debian/changelog"; then
	echo "ok - debian/changelog's upstream version is ticket.control's ($control_version)"
else
	echo "not ok - debian/changelog's first entry is not version $control_version-N: $(head -n 1 "$root/debian/changelog")"
	status=1
fi
sed "1s/($control_version-/(9.9-/" "$root/debian/changelog" >"$work/changelog"
if changelog_in_step "$work/changelog"; then
	echo "not ok - the check accepted a debian/changelog of version 9.9"
	status=1
else
	echo "ok - the check refuses a debian/changelog of another version"
fi

# broken copies: each must be refused
broken() { # broken NAME PERL-EXPRESSION-ON-$m
	perl -MJSON::PP -e '
		my $j = JSON::PP->new->utf8->canonical;
		local $/; open my $f, "<", $ARGV[0] or die; my $m = $j->decode(<$f>);
		'"$2"';
		print $j->encode($m);' "$root/META.json" >"$work/META.json"
	if perl "$here/check-meta.pl" "$work/META.json" >"$work/out" 2>&1; then
		echo "not ok - the check accepted a META.json with $1"
		status=1
	else
		echo "ok - the check refuses a META.json with $1 ($(grep -c '^not ok' "$work/out") failure(s))"
	fi
}
broken "a two-part version" '$m->{version} = "0.4"'
broken "a version other than ticket.control's" '$m->{version} = "9.9.9"'
broken "no provides" 'delete $m->{provides}'
broken "an unknown license" '$m->{license} = "beerware"'
broken "a missing provided file" '$m->{provides}{ticket}{file} = "no/such/file.sql"'
broken "an unknown key" '$m->{homepage} = "https://example.org"'
broken "btree_gist missing from the runtime prerequisites" 'delete $m->{prereqs}{runtime}{requires}{btree_gist}'
exit $status
