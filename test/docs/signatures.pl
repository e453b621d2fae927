#!/usr/bin/perl
# test/docs/signatures.pl: function signatures as "schema.name(type, ...)",
# the argument names, modes, defaults and OUT arguments dropped, so that the
# server can resolve them (to_regprocedure).  One line per signature.
#
#   perl signatures.pl scripts FILE...   the CREATE FUNCTION headers of the
#       scripts, in the order given: VERSION<TAB>signature, VERSION the one
#       the script reaches (ticket--0.1.sql: 0.1; ticket--A--B.sql: B)
#   perl signatures.pl manual < SECTION  the rows of the manual's function
#       tables: LINE<TAB>ANCHOR<TAB>SINCE<TAB>signature (ANCHOR, SINCE empty
#       when missing)
use strict;
use warnings;

# The text inside the parenthesis that opens at $pos (just past it).
sub balanced {
	my ($text, $pos) = @_;
	my ($depth, $quote) = (1, 0);
	for (my $i = $pos; $i < length $text; $i++) {
		my $c = substr($text, $i, 1);
		if ($quote) { $quote = 0 if $c eq "'"; next }
		if ($c eq "'") { $quote = 1 }
		elsif ($c eq '(') { $depth++ }
		elsif ($c eq ')') { return substr($text, $pos, $i - $pos) if --$depth == 0 }
	}
	return undef;
}

# "code ticket.fiscal_code, reference date DEFAULT current_date, OUT x int"
# -> "ticket.fiscal_code, date"
sub argument_types {
	my ($list) = @_;
	my @args;
	my ($current, $depth, $quote) = ('', 0, 0);
	for my $c (split //, $list) {
		if ($quote) { $quote = 0 if $c eq "'" }
		elsif ($c eq "'") { $quote = 1 }
		elsif ($c eq '(') { $depth++ }
		elsif ($c eq ')') { $depth-- }
		elsif ($c eq ',' && $depth == 0) { push @args, $current; $current = ''; next }
		$current .= $c;
	}
	push @args, $current if $current =~ /\S/;
	my @types;
	for my $arg (@args) {
		$arg =~ s/^\s+|\s+$//g;
		$arg =~ s/\s+/ /g;
		next if $arg =~ /^OUT\s/i;
		$arg =~ s/^(IN|INOUT|VARIADIC)\s+//i;
		$arg =~ s/\s+(DEFAULT|=)\s.*$//i;
		# a leading word is the argument's name, unless it starts a type of
		# several words (timestamp with time zone, double precision ...)
		$arg =~ s/^[a-z_][a-z0-9_]*\s+(?=\S)//i
			unless $arg =~ /^(timestamp|time|double|character|bit)\b/i && $arg !~ /^\S+\s+(timestamp|time|double|character|bit)\b/i;
		push @types, $arg;
	}
	return join ', ', @types;
}

my $mode = shift @ARGV // '';
if ($mode eq 'scripts') {
	for my $file (@ARGV) {
		my ($version) = $file =~ /ticket--(?:[0-9.]+--)?([0-9.]+)\.sql$/ or die "not a script name: $file\n";
		open my $fh, '<', $file or die "$file: $!\n";
		my $text = do { local $/; <$fh> };
		$text =~ s/--[^\n]*//g;
		while ($text =~ /^\s*CREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+([a-z_]+\.[a-z_0-9]+)\s*\(/gmi) {
			my ($name, $start) = (lc $1, pos $text);
			my $args = balanced($text, $start) // die "$file: unbalanced header of $name\n";
			print "$version\t$name(" . argument_types($args) . ")\n";
		}
	}
} elsif ($mode eq 'manual') {
	while (my $line = <STDIN>) {
		next unless $line =~ /^\|\s*(?:<a id="([^"]*)"><\/a>)?\s*`([a-z_]+\.[a-z_0-9]+)\(/;
		my ($anchor, $name) = ($1 // '', $2);
		my $start = $+[0];
		my $args = balanced($line, $start) // die "line $.: unbalanced signature of $name\n";
		my $rest = substr($line, $start + length($args));
		my ($since) = $rest =~ /^\)[^`]*`\s*\|\s*([^|]*?)\s*\|/;
		print "$.\t$anchor\t" . ($since // '') . "\t$name(" . argument_types($args) . ")\n";
	}
} else {
	die "usage: signatures.pl scripts FILE... | signatures.pl manual < SECTION\n";
}
