#!/usr/bin/env perl
# test/i18n/check-messages.pl: the message catalogues agree with the code.
#
# Run from the repository root; sql/i18n.sql runs it (make installcheck).
#
#   perl test/i18n/check-messages.pl          the checks; one "ok" line
#                                             each, or "not ok" and what
#   perl test/i18n/check-messages.pl --list   the templates of the SQL
#                                             functions' catalogue, one a line
#
# The checks:
#  1. every template that extension/scripts/ticket--*.sql passes to
#     ticket.raise_error (the message, detail and hint literals of each call,
#     CASE branches included) is in the catalogue of extension/src/messages.c
#     (its SQL_TEMPLATE entries), which lists none twice;
#  2. every template of that catalogue is translated in each
#     extension/po/LANG.po: not missing, not empty, not fuzzy, and with as
#     many % placeholders as the English (ticket.raise_error would fall
#     back to English otherwise);
#  3. msgfmt --check --statistics finds each LANG.po well formed, with no
#     fuzzy and no untranslated message (the C code's messages included).
# That each catalogue template is still used by a function or trigger of a
# fresh install is checked in SQL, by sql/i18n.sql, with --list, which
# leaves out the superseded ones: the templates of functions that a later
# release replaced, still in the catalogue (and translated) because a
# database not yet updated runs them (messages.c, superseded_sql_templates).
use strict;
use warnings;

my $catalogue_file = 'extension/src/messages.c';
my @scripts = sort glob('extension/scripts/ticket--*.sql');
my @po_files = sort glob('extension/po/*.po');

sub c_unescape {
	my ($s) = @_;
	$s =~ s/\\(["\\'?])/$1/g;
	$s =~ s/\\n/\n/g;
	$s =~ s/\\t/\t/g;
	return $s;
}

sub placeholders {
	my ($s) = @_;
	(my $t = $s) =~ s/%%//g;
	return ($t =~ tr/%//);
}

sub slurp {
	my ($file) = @_;
	open(my $fh, '<:encoding(UTF-8)', $file) or die "cannot read $file: $!\n";
	local $/;
	my $text = <$fh>;
	close $fh;
	return $text;
}

# The catalogue: SQL_TEMPLATE("...") entries, in order; with a true
# argument, only the current ones (not superseded_sql_templates).
sub catalogue {
	my ($current_only) = @_;
	my $text = slurp($catalogue_file);
	$text =~ s{/\*.*?\*/}{}gs;    # comments
	$text =~ s{\bsuperseded_sql_templates\b.*?\};}{}s if $current_only;
	my @templates;
	while ($text =~ /\bSQL_TEMPLATE\s*\(((?:\s*"(?:[^"\\]|\\.)*")+)\s*\)/g) {
		my $literals = $1;
		my $template = '';
		$template .= c_unescape($1) while $literals =~ /"((?:[^"\\]|\\.)*)"/g;
		push @templates, $template;
	}
	return @templates;
}

# The templates the scripts pass to ticket.raise_error: the string literals
# of each call at its own level of parentheses and outside ARRAY[...] (the
# arguments), but for the first (the SQLSTATE) and those after WHEN (what a
# CASE tests, not what it chooses).
sub script_templates {
	my %found;
	for my $script (@scripts) {
		my $sql = slurp($script);
		my @tokens;
		while ($sql =~ /\G(?:(\s+)|(--[^\n]*)|(\/\*.*?\*\/)|'((?:[^']|'')*)'|(\$\$)|(\w+)|(.))/gcs) {
			next if defined $1 || defined $2 || defined $3 || defined $5;
			if (defined $4) {
				(my $literal = $4) =~ s/''/'/g;
				push @tokens, ['literal', $literal];
			}
			elsif (defined $6) { push @tokens, ['word', lc $6]; }
			else { push @tokens, ['char', $7]; }
		}
		for (my $i = 0; $i < @tokens; $i++) {
			next unless $tokens[$i][0] eq 'word' && $tokens[$i][1] eq 'raise_error'
				&& $i + 1 < @tokens && $tokens[$i + 1][1] eq '(';
			# not the CREATE FUNCTION or COMMENT ON FUNCTION ticket.raise_error
			next if grep { $_ >= 0 && $tokens[$_][1] eq 'function' } $i - 3 .. $i - 1;
			my ($parens, $brackets, $argument) = (0, 0, 0);
			for (my $j = $i + 1; $j < @tokens; $j++) {
				my ($kind, $value) = @{ $tokens[$j] };
				if ($kind eq 'char') {
					$parens++ if $value eq '(';
					$parens-- if $value eq ')';
					$brackets++ if $value eq '[';
					$brackets-- if $value eq ']';
					$argument++ if $value eq ',' && $parens == 1 && $brackets == 0;
					last if $parens == 0;
				}
				elsif ($kind eq 'literal' && $parens == 1 && $brackets == 0 && $argument > 0
					&& !($tokens[$j - 1][0] eq 'word' && $tokens[$j - 1][1] eq 'when')) {
					push @{ $found{$value} }, $script;
				}
			}
		}
	}
	return %found;
}

# A PO file's entries: msgid => { msgstr, fuzzy }, obsolete ones left out.
sub po_entries {
	my ($file) = @_;
	my %entries;
	for my $block (split /\n\s*\n/, slurp($file)) {
		next if $block =~ /^#~/m && $block !~ /^msgid/m;
		my $fuzzy = $block =~ /^#,.*\bfuzzy\b/m;
		my ($msgid) = $block =~ /^msgid ((?:"(?:[^"\\]|\\.)*"\s*)+)/m or next;
		my ($msgstr) = $block =~ /^msgstr ((?:"(?:[^"\\]|\\.)*"\s*)+)/m;
		my $join = sub {
			my ($quoted) = @_;
			my $s = '';
			$s .= c_unescape($1) while defined $quoted && $quoted =~ /"((?:[^"\\]|\\.)*)"/g;
			return $s;
		};
		$entries{ $join->($msgid) } = { msgstr => $join->($msgstr), fuzzy => $fuzzy };
	}
	return %entries;
}

binmode STDOUT, ':encoding(UTF-8)';
my @catalogue = catalogue();

if (@ARGV && $ARGV[0] eq '--list') {
	print "$_\n" for catalogue(1);
	exit 0;
}

my $failures = 0;
sub report {
	my ($name, @problems) = @_;
	if (@problems) {
		print "not ok - $name\n";
		print "#   $_\n" for @problems;
		$failures++;
	}
	else {
		print "ok - $name\n";
	}
}

# 1. the scripts' templates are in the catalogue, once
my %in_catalogue;
my @twice = grep { $in_catalogue{$_}++ } @catalogue;
report("the catalogue of $catalogue_file lists each template once",
	map { "listed twice: \"$_\"" } @twice);
report('the catalogue is not empty', @catalogue ? () : ('no SQL_TEMPLATE entries'));
my %used = script_templates();
report('the scripts pass templates to ticket.raise_error', %used ? () : ('no call found'));
report('every template the scripts pass to ticket.raise_error is in the catalogue',
	map { "\"$_\" (" . join(', ', @{ $used{$_} }) . ')' } grep { !$in_catalogue{$_} } sort keys %used);

for my $po (@po_files) {
	# 2. each template translated, with its placeholders
	my %entries = po_entries($po);
	my @problems;
	for my $template (@catalogue) {
		my $entry = $entries{$template};
		if (!$entry) { push @problems, "missing: \"$template\" (make update-po)"; }
		elsif ($entry->{msgstr} eq '') { push @problems, "untranslated: \"$template\""; }
		elsif ($entry->{fuzzy}) { push @problems, "fuzzy: \"$template\""; }
		elsif (placeholders($entry->{msgstr}) != placeholders($template)) {
			push @problems, sprintf('"%s" has %d placeholders, its translation "%s" %d',
				$template, placeholders($template), $entry->{msgstr}, placeholders($entry->{msgstr}));
		}
	}
	report("$po translates every template of the catalogue, with its placeholders", @problems);

	# 3. msgfmt: well formed, nothing fuzzy or untranslated
	my $statistics = `msgfmt --check --statistics -o /dev/null '$po' 2>&1`;
	my $status = $?;
	chomp $statistics;
	report("msgfmt --check --statistics $po: nothing fuzzy or untranslated",
		$status != 0 ? ("msgfmt failed: $statistics")
		: $statistics =~ /^\d+ translated messages?\.$/ ? ()
		: ("msgfmt says: $statistics"));
}
report('there is a translation to check', @po_files ? () : ('no extension/po/*.po'));
exit($failures ? 1 : 0);
