/*
 * test/unit/nre_tests.c
 *		Unit tests of the pure-C NRE parser (extension/src/core/nre_core.c),
 *		which fse.prescription_before_insert runs on every prescription,
 *		run without a server by `make core-check` (ASan + UBSan).
 *
 * Output is minimal TAP ("ok N - desc" / "not ok N - desc", plan "1..N" at
 * the end) followed by one summary line "nre: N passed, M failed".  The
 * exit status is non-zero when any test failed.
 *
 * The syntax under test is fse.prescription.nre's CHECK constraint,
 * ^[0-9]{3}[0-9A-Z]{12}$ (ticket--0.2--0.3.sql), after trimming and
 * upper-casing as fse.prescribe does (upper(btrim(nre))).
 */
#include "nre_core.h"
#include "tap.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ANY INT_MIN				/* "do not check this error field" */

static const char *const nre_status_names[] = {
	"NRE_OK", "NRE_ERR_EMPTY", "NRE_ERR_NON_ASCII", "NRE_ERR_INNER_SPACE",
	"NRE_ERR_BAD_CHARACTER", "NRE_ERR_LENGTH", "NRE_ERR_REGION_NOT_DIGIT"
};

static const char *
nre_name(nre_status st)
{
	if ((int) st >= 0 && (size_t) st < sizeof(nre_status_names) / sizeof(nre_status_names[0]))
		return nre_status_names[st];
	return "?";
}

/* xorshift64*: a fixed seed, so every run checks the same strings. */
static uint64_t rng_state = UINT64_C(0x2545F4914F6CDD1D);

static uint32_t
rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t) ((rng_state * UINT64_C(2685821657736338717)) >> 32);
}

static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";	/* 36 */

/* An accepted input: canonical form and region as expected, err cleared. */
static void
accepts(const char *input, size_t len, const char *canonical, int region, const char *desc)
{
	char		out[NRE_LEN + 1];
	int			got_region = -1;
	nre_error	err = {NRE_ERR_LENGTH, 99, 'x', 99};
	nre_status	st = ticket_nre_parse(input, len, out, &got_region, &err);

	ok(st == NRE_OK && strcmp(out, canonical) == 0 && got_region == region &&
	   err.status == NRE_OK && err.position == 0 && err.ch == 0 && err.value == 0,
	   "accepts \"%s\" as %s, region %03d (%s)", esc(input, len), canonical, region, desc);
	if (st != NRE_OK)
		diag("got %s position %d ch 0x%02x value %d", nre_name(st), err.position,
			 (unsigned int) (unsigned char) err.ch, err.value);
	else if (strcmp(out, canonical) != 0 || got_region != region)
		diag("got \"%s\", region %d", out, got_region);
}

/*
 * A refused input: the status and the error fields (ANY: not checked); the
 * output is the empty string and *region is untouched.
 */
static void
refuses(const char *input, size_t len, nre_status status, int position, int ch, int value,
		const char *desc)
{
	char		out[NRE_LEN + 1];
	int			region = -7;
	nre_error	err = {NRE_OK, -1, 0, -1};
	nre_status	st;

	memset(out, 'Q', sizeof(out));
	st = ticket_nre_parse(input, len, out, &region, &err);
	ok(st == status && err.status == status && out[0] == '\0' && region == -7 &&
	   (position == ANY || err.position == position) &&
	   (ch == ANY || (unsigned char) err.ch == (unsigned char) ch) &&
	   (value == ANY || err.value == value),
	   "refuses \"%s\": %s (%s)", esc(input, len), nre_name(status), desc);
	if (st != status || err.status != status || out[0] != '\0' || region != -7 ||
		(position != ANY && err.position != position) ||
		(ch != ANY && (unsigned char) err.ch != (unsigned char) ch) ||
		(value != ANY && err.value != value))
		diag("got %s (err.status %s) position %d ch 0x%02x value %d out[0] 0x%02x region %d",
			 nre_name(st), nre_name(err.status), err.position,
			 (unsigned int) (unsigned char) err.ch, err.value,
			 (unsigned int) (unsigned char) out[0], region);
}

#define S(lit) lit, sizeof(lit) - 1

static void
test_accepts(void)
{
	accepts(S("080ABCDEF012345"), "080ABCDEF012345", 80, "canonical, Emilia-Romagna");
	accepts(S("080abcdef012345"), "080ABCDEF012345", 80, "lower case folded");
	accepts(S(" 080abcdef012345 "), "080ABCDEF012345", 80, "padded and lower case (the pgTAP case)");
	accepts(S("\t\n\v\f\r 080AbCdEf012345 \r\n\t"), "080ABCDEF012345", 80, "every ASCII blank trimmed");
	accepts(S("010000000000001"), "010000000000001", 10, "Piemonte, all digits");
	accepts(S("000000000000000"), "000000000000000", 0, "region 000: syntax only, the table decides");
	accepts(S("999ZZZZZZZZZZZZ"), "999ZZZZZZZZZZZZ", 999, "largest region, all Z");
	accepts(S("120AAAAAAAAAAAA"), "120AAAAAAAAAAAA", 120, "letters from position 4");
	accepts(S("080zzzzzzzzzzzz"), "080ZZZZZZZZZZZZ", 80, "lower-case z");
	/* the input need not be NUL-terminated: only len bytes are read */
	accepts("080ABCDEF012345XYZ", 15, "080ABCDEF012345", 80, "len bytes of a longer buffer");
}

static void
test_refuses(void)
{
	char		big[20000];

	/* empty */
	refuses(S(""), NRE_ERR_EMPTY, 0, 0, 0, "empty");
	refuses(S("   \t\n "), NRE_ERR_EMPTY, 0, 0, 0, "blanks only");
	refuses(NULL, 0, NRE_ERR_EMPTY, 0, 0, 0, "NULL pointer, length 0");

	/* length */
	refuses(S("08000000000001"), NRE_ERR_LENGTH, 0, 0, 14, "14 characters");
	refuses(S("0800000000000001"), NRE_ERR_LENGTH, 0, 0, 16, "16 characters");
	refuses(S("0"), NRE_ERR_LENGTH, 0, 0, 1, "one digit");
	refuses(S("080"), NRE_ERR_LENGTH, 0, 0, 3, "the region alone");
	refuses(S("  08000000000001  "), NRE_ERR_LENGTH, 0, 0, 14, "length counted after trimming");
	refuses(S("XYZ"), NRE_ERR_LENGTH, 0, 0, 3, "length before the region digits");
	memset(big, 'A', sizeof(big));
	refuses(big, 9999, NRE_ERR_LENGTH, 0, 0, 9999, "9999 letters");
	refuses(big, sizeof(big), NRE_ERR_LENGTH, 0, 0, NRE_MAX_SHOWN_LENGTH, "20000 letters: length capped");

	/* region */
	refuses(S("XYZ000000000001"), NRE_ERR_REGION_NOT_DIGIT, 1, 'X', 0, "letters where the region goes");
	refuses(S("0A0000000000001"), NRE_ERR_REGION_NOT_DIGIT, 2, 'A', 0, "letter at position 2");
	refuses(S("08a000000000001"), NRE_ERR_REGION_NOT_DIGIT, 3, 'A', 0, "lower-case letter at 3, reported upper-cased");
	refuses(S("  08Z000000000001"), NRE_ERR_REGION_NOT_DIGIT, 3, 'Z', 0, "position counted after trimming");

	/* characters */
	refuses(S("08000000000000-"), NRE_ERR_BAD_CHARACTER, 15, '-', 0, "'-' at the end (the pgTAP case)");
	refuses(S("080-12"), NRE_ERR_BAD_CHARACTER, 4, '-', 0, "bad character reported before the length");
	refuses(S("080ABCDEF01234_"), NRE_ERR_BAD_CHARACTER, 15, '_', 0, "underscore");
	refuses(S("080ABCDEF0123.5"), NRE_ERR_BAD_CHARACTER, 14, '.', 0, "dot");
	refuses(S("080ABC\0EF012345"), NRE_ERR_BAD_CHARACTER, 7, 0, 0, "embedded NUL");
	refuses(S("\0" "080ABCDEF012345"), NRE_ERR_BAD_CHARACTER, 1, 0, 0, "leading NUL is not trimmed");
	refuses(S("080ABCDEF012345\0"), NRE_ERR_BAD_CHARACTER, 16, 0, 0, "trailing NUL is not trimmed");
	refuses(S("080ABCDEF012345 \0"), NRE_ERR_INNER_SPACE, 16, ' ', 0, "a blank before a NUL is inner");
	refuses(S("080ABC\x01" "EF012345"), NRE_ERR_BAD_CHARACTER, 7, 0x01, 0, "control character");
	refuses(S("080ABC\x7f" "EF012345"), NRE_ERR_BAD_CHARACTER, 7, 0x7f, 0, "DEL");
	refuses(S("080ABC" "EF012345" "\x1b"), NRE_ERR_BAD_CHARACTER, 15, 0x1b, 0, "escape at the end");
	refuses(S("080ABC EF012345"), NRE_ERR_INNER_SPACE, 7, ' ', 0, "inner space");
	refuses(S("080ABC\tEF012345"), NRE_ERR_INNER_SPACE, 7, '\t', 0, "inner tab");
	refuses(S("080ABCDEF0123\xc3\xa8"), NRE_ERR_NON_ASCII, 14, 0, 0, "UTF-8 e-grave");
	refuses(S("\xef\xbc\x90" "80ABCDEF012345"), NRE_ERR_NON_ASCII, 1, 0, 0, "full-width digit zero");
	refuses(S("\xc2\xa0" "080ABCDEF012345"), NRE_ERR_NON_ASCII, 1, 0, 0, "no-break space is not trimmed");
	refuses(S("080ABCDEF012345\x80"), NRE_ERR_NON_ASCII, 16, 0, 0, "a lone continuation byte");
	refuses(S("080ABCDEF01234\xff"), NRE_ERR_NON_ASCII, 15, 0, 0, "byte 0xFF");
	refuses(S("08\xc4\xb1" "000000000001"), NRE_ERR_NON_ASCII, 3, 0, 0, "dotless i (no locale folding)");
	refuses(S("080-ABC\xc3\xa8"), NRE_ERR_BAD_CHARACTER, 4, '-', 0, "the first bad character wins");
	big[100] = '!';
	refuses(big, sizeof(big), NRE_ERR_BAD_CHARACTER, 101, '!', 0, "bad character in a long input");
	big[100] = 'A';
}

/* Every byte value at every position of a valid NRE. */
static void
test_every_byte(void)
{
	int			bad = 0;

	for (int pos = 0; pos < NRE_LEN; pos++)
		for (int b = 0; b < 256; b++)
		{
			char		in[NRE_LEN];
			char		out[NRE_LEN + 1];
			int			region = -1;
			nre_error	err;
			nre_status	st;
			char		upper = (b >= 'a' && b <= 'z') ? (char) (b - 32) : (char) b;
			int			alnum = (b >= '0' && b <= '9') || (upper >= 'A' && upper <= 'Z');
			int			space = b == ' ' || (b >= '\t' && b <= '\r');
			nre_status	want;

			memcpy(in, "080ABCDEF012345", NRE_LEN);
			in[pos] = (char) b;
			st = ticket_nre_parse(in, NRE_LEN, out, &region, &err);
			if (alnum && pos < NRE_REGION_LEN && !(b >= '0' && b <= '9'))
				want = NRE_ERR_REGION_NOT_DIGIT;
			else if (alnum)
				want = NRE_OK;
			else if (b >= 0x80)
				want = NRE_ERR_NON_ASCII;
			else if (space && (pos == 0 || pos == NRE_LEN - 1))
				want = NRE_ERR_LENGTH;	/* trimmed: 14 left */
			else if (space)
				want = NRE_ERR_INNER_SPACE;
			else
				want = NRE_ERR_BAD_CHARACTER;
			if (st != want || err.status != want)
				bad++;
			else if (st == NRE_OK)
			{
				if (out[pos] != upper || strlen(out) != NRE_LEN ||
					region != (pos < 3 ? ((in[0] - '0') * 100 + (in[1] - '0') * 10 + (in[2] - '0')) : 80))
					bad++;
			}
			else if (out[0] != '\0' ||
					 (want == NRE_ERR_LENGTH && err.value != NRE_LEN - 1) ||
					 (want != NRE_ERR_LENGTH && err.position != pos + 1) ||
					 (want == NRE_ERR_NON_ASCII && err.ch != 0) ||
					 ((want == NRE_ERR_BAD_CHARACTER || want == NRE_ERR_INNER_SPACE) && err.ch != (char) b) ||
					 (want == NRE_ERR_REGION_NOT_DIGIT && err.ch != upper))
				bad++;
		}
	ok(bad == 0, "every byte at every position of 080ABCDEF012345: %d mismatches", bad);
}

/* Optional arguments: region and err may be NULL. */
static void
test_null_arguments(void)
{
	char		out[NRE_LEN + 1];

	ok(ticket_nre_parse(S("080abcdef012345"), out, NULL, NULL) == NRE_OK &&
	   strcmp(out, "080ABCDEF012345") == 0, "region and err NULL on success");
	ok(ticket_nre_parse(S("08000000000000-"), out, NULL, NULL) == NRE_ERR_BAD_CHARACTER && out[0] == '\0',
	   "region and err NULL on failure");
	ok(ticket_nre_parse(S("0800"), out, NULL, NULL) == NRE_ERR_LENGTH, "err NULL, wrong length");
	ok(ticket_nre_parse(S("A80000000000001"), out, NULL, NULL) == NRE_ERR_REGION_NOT_DIGIT,
	   "err NULL, letter in the region");
}

/*
 * Random canonical NREs, dressed up (case, blanks): each parses to itself,
 * the canonical form re-parses to itself, the region is its first three
 * digits.
 */
static void
test_round_trip(void)
{
	int			bad = 0;

	for (int k = 0; k < 100000; k++)
	{
		char		canon[NRE_LEN + 1];
		char		dressed[NRE_LEN + 16];
		char		out[NRE_LEN + 1];
		char		again[NRE_LEN + 1];
		size_t		n = 0;
		int			region = -1;
		int			region2 = -1;
		int			want_region = 0;

		for (int i = 0; i < NRE_LEN; i++)
		{
			canon[i] = i < NRE_REGION_LEN ? alphabet[rng() % 10] : alphabet[rng() % 36];
			if (i < NRE_REGION_LEN)
				want_region = want_region * 10 + (canon[i] - '0');
		}
		canon[NRE_LEN] = '\0';
		for (uint32_t b = rng() % 4; b > 0; b--)
			dressed[n++] = " \t\n\r\v\f"[rng() % 6];
		for (int i = 0; i < NRE_LEN; i++)
			dressed[n++] = (canon[i] >= 'A' && (rng() & 1)) ? (char) (canon[i] + 32) : canon[i];
		for (uint32_t b = rng() % 4; b > 0; b--)
			dressed[n++] = " \t\n\r\v\f"[rng() % 6];
		if (ticket_nre_parse(dressed, n, out, &region, NULL) != NRE_OK || strcmp(out, canon) != 0 ||
			region != want_region ||
			ticket_nre_parse(out, strlen(out), again, &region2, NULL) != NRE_OK ||
			strcmp(again, canon) != 0 || region2 != region)
			bad++;
	}
	ok(bad == 0, "100000 random NREs, dressed up: canonical, region, round trip (%d bad)", bad);
}

/* Random bytes: no crash, status and err agree, out is canonical or empty. */
static void
test_random_bytes(void)
{
	int			bad = 0;

	for (int k = 0; k < 300000; k++)
	{
		char		buf[24];
		size_t		len = rng() % sizeof(buf);
		char		out[NRE_LEN + 1];
		int			region = -1;
		nre_error	err;
		nre_status	st;

		for (size_t i = 0; i < len; i++)
		{
			uint32_t	r = rng();

			/* mostly plausible characters, some anything */
			buf[i] = (r & 3) ? alphabet[(r >> 2) % 36] : (char) (r >> 8);
		}
		st = ticket_nre_parse(buf, len, out, &region, &err);
		if (st != err.status)
			bad++;
		else if (st == NRE_OK)
		{
			for (int i = 0; i < NRE_LEN; i++)
				if (!((out[i] >= '0' && out[i] <= '9') || (i >= NRE_REGION_LEN && out[i] >= 'A' && out[i] <= 'Z')))
					bad++;
			if (out[NRE_LEN] != '\0' || region < 0 || region > 999)
				bad++;
		}
		else if (out[0] != '\0' || region != -1)
			bad++;
	}
	ok(bad == 0, "300000 random byte strings: consistent verdicts, no crash (%d bad)", bad);
}

int
main(void)
{
	test_accepts();
	test_refuses();
	test_every_byte();
	test_null_arguments();
	test_round_trip();
	test_random_bytes();

	return tap_finish("nre");
}
