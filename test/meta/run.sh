#!/usr/bin/env bash
# test/meta/run.sh: META.json is valid for PGXN and agrees with the
# repository (check-meta.pl), and the check refuses broken copies (so it can
# fail).  Needs perl with JSON::PP (Debian's perl, which PostgreSQL's
# packages pull in).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d /tmp/ticket-meta.XXXXXX)
trap 'rm -rf "$work"' EXIT
status=0

perl "$here/check-meta.pl" "$root/META.json" || status=1

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
