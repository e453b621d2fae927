#!/usr/bin/env perl
# test/meta/check-meta.pl: META.json against the PGXN Meta Spec 1.0.0
# (https://pgxn.org/spec/) and against the repository: versions agree with
# ticket.control, the files it names exist.  TAP output; exit 1 on failure.
#
#   perl test/meta/check-meta.pl [META.json]
use strict;
use warnings;
use JSON::PP;
use File::Basename qw(dirname);

my $root = dirname(dirname(dirname(__FILE__)));
my $path = shift // "$root/META.json";
my ($n, $failed) = (0, 0);

sub ok {
	my ($cond, $what) = @_;
	$n++;
	print(($cond ? "ok" : "not ok") . " $n - $what\n");
	$failed++ unless $cond;
	return $cond;
}

# a match in list context returns its captures: compare in scalar context
sub matches {
	my ($string, $re) = @_;
	return (defined $string && !ref $string && $string =~ $re) ? 1 : 0;
}

my $semver = qr/^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[a-zA-Z][-0-9a-zA-Z]*)?$/;
my %licenses = map { $_ => 1 } qw(agpl_3 apache_1_1 apache_2_0 artistic_1 artistic_2 bsd freebsd
	gfdl_1_2 gfdl_1_3 gpl_1 gpl_2 gpl_3 lgpl_2_1 lgpl_3_0 mit mozilla_1_0 mozilla_1_1 openssl perl_5
	postgresql qpl_1_0 ssleay sun zlib open_source restricted unrestricted unknown);
my %phases = map { $_ => 1 } qw(configure build test runtime develop);
my %relations = map { $_ => 1 } qw(requires recommends suggests conflicts);
my %known = map { $_ => 1 } qw(name abstract description version maintainer license provides
	meta-spec prereqs release_status resources generated_by tags no_index);

open my $fh, '<:raw', $path or die "cannot read $path: $!";
my $text = do { local $/; <$fh> };
close $fh;
my $meta = eval { JSON::PP->new->utf8->decode($text) };
ok(ref $meta eq 'HASH', "$path is a JSON object") or do { print "1..$n\n"; exit 1 };

for my $key (sort keys %$meta) {
	ok($known{$key} || matches($key, qr/^[xX]_/), "key \"$key\" is defined by the spec (or x_)");
}
for my $key (qw(name abstract version maintainer license provides meta-spec)) {
	ok(exists $meta->{$key}, "required key \"$key\" is present");
}
ok(matches($meta->{name}, qr/^[^\s\/\\:]{2,}$/), "name is at least two characters without whitespace, / \\ or :");
ok(matches($meta->{version}, $semver), "version is a semantic version");
ok(!ref $meta->{abstract} && length($meta->{abstract} // '') > 0, "abstract is a non-empty string");
my @maintainers = ref $meta->{maintainer} eq 'ARRAY' ? @{ $meta->{maintainer} } : ($meta->{maintainer});
ok(@maintainers && !grep({ !defined $_ || ref $_ || $_ eq '' } @maintainers), "maintainer is a string or a list of strings");
my $license = $meta->{license};
ok((!ref $license && $licenses{$license // ''})
	|| (ref $license eq 'ARRAY' && @$license && !grep({ !$licenses{$_} } @$license))
	|| (ref $license eq 'HASH' && %$license),
	"license is a spec license string, a list of them, or a name => URL object");
ok(ref $meta->{'meta-spec'} eq 'HASH' && ($meta->{'meta-spec'}{version} // '') eq '1.0.0',
	"meta-spec version is 1.0.0");
ok(!exists $meta->{release_status} || matches($meta->{release_status}, qr/^(?:stable|testing|unstable)$/),
	"release_status is stable, testing or unstable");
ok(!exists $meta->{tags} || (ref $meta->{tags} eq 'ARRAY'
	&& !grep({ ref $_ || length($_) == 0 || length($_) > 255 } @{ $meta->{tags} })),
	"tags are strings of 1 to 255 characters");

my $provides = ref $meta->{provides} eq 'HASH' ? $meta->{provides} : {};
ok(%$provides, "provides names at least one extension");
for my $ext (sort keys %$provides) {
	my $p = $provides->{$ext};
	ok(ref $p eq 'HASH' && defined $p->{file} && defined $p->{version}, "provides.$ext has file and version");
	ok(matches($p->{version}, $semver), "provides.$ext.version is a semantic version");
	ok(defined $p->{file} && -f "$root/$p->{file}", "provides.$ext.file exists");
	ok(!defined $p->{docfile} || -f "$root/$p->{docfile}", "provides.$ext.docfile exists");
}

my $prereqs = $meta->{prereqs} // {};
for my $phase (sort keys %$prereqs) {
	ok($phases{$phase}, "prereqs phase \"$phase\" is defined by the spec");
	for my $relation (sort keys %{ $prereqs->{$phase} }) {
		ok($relations{$relation}, "prereqs.$phase relation \"$relation\" is defined by the spec");
		my $deps = $prereqs->{$phase}{$relation};
		for my $dep (sort keys %$deps) {
			ok(matches($deps->{$dep}, $semver) || ($deps->{$dep} // '') eq '0'
				|| matches($deps->{$dep}, qr/^\s*(?:[<>]=?|==|!=)?\s*\d+(?:\.\d+){0,2}(?:\s*,\s*(?:[<>]=?|==|!=)\s*\d+(?:\.\d+){0,2})*\s*$/),
				"prereqs.$phase.$relation.$dep is a version or a version range");
		}
	}
}

# The repository agrees: the control file's version, its requires.
open my $control, '<', "$root/ticket.control" or die "cannot read ticket.control: $!";
my ($default_version, $requires) = ('', '');
while (<$control>) {
	$default_version = $1 if /^\s*default_version\s*=\s*'([^']*)'/;
	$requires = $1 if /^\s*requires\s*=\s*'([^']*)'/;
}
close $control;
(my $as_semver = $default_version) =~ s/^(\d+)\.(\d+)$/$1.$2.0/;
ok(($meta->{version} // '') eq $as_semver, "version $meta->{version} is ticket.control's default_version $default_version");
ok(($provides->{ticket}{version} // '') eq $as_semver, "provides.ticket.version is the control file's version");
my $runtime = $prereqs->{runtime}{requires} // {};
for my $req (grep { length } map { s/^\s+|\s+$//gr } split /,/, $requires) {
	ok(exists $runtime->{$req}, "prereqs.runtime.requires names $req (required by ticket.control)");
}

print "1..$n\n";
exit($failed ? 1 : 0);
