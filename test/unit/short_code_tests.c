/*
 * test/unit/short_code_tests.c
 *		Unit tests of the pure-C short-code core (extension/src/core:
 *		short_code.c, exemption_core.c) behind ticket.income_band and
 *		ticket.exemption, run without a server by `make core-check`
 *		(ASan + UBSan).
 *
 * Output is minimal TAP ("ok N - desc" / "not ok N - desc", plan "1..N" at
 * the end) followed by one summary line "short_code: N passed, M failed".
 * The exit status is non-zero when any test failed.
 *
 * Expected packed values were computed independently (Python, base 37);
 * exemption codes come from ../shared/docs/ticket-rules.md §4.
 */
#include "short_code.h"
#include "tap.h"
#include "exemption_core.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ANY INT_MIN				/* "do not check this error field" */

static const char *const sc_status_names[] = {
	"SC_OK", "SC_ERR_EMPTY", "SC_ERR_NON_ASCII", "SC_ERR_INNER_SPACE",
	"SC_ERR_BAD_CHARACTER", "SC_ERR_TOO_LONG", "SC_ERR_BAND_FIRST_NOT_LETTER"
};

static const char *const ex_status_names[] = {
	"EX_OK", "EX_ERR_LEXICAL", "EX_ERR_INCOME_BAND"
};

static const char *
sc_name(sc_status st)
{
	if ((int) st >= 0 && (size_t) st < sizeof(sc_status_names) / sizeof(sc_status_names[0]))
		return sc_status_names[st];
	return "?";
}

static const char *
ex_name(ex_status st)
{
	if ((int) st >= 0 && (size_t) st < sizeof(ex_status_names) / sizeof(ex_status_names[0]))
		return ex_status_names[st];
	return "?";
}

/* xorshift64*: a fixed seed, so every run checks the same pairs. */
static uint64_t rng_state = UINT64_C(0x9E3779B97F4A7C15);

static uint32_t
rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t) ((rng_state * UINT64_C(2685821657736338717)) >> 32);
}

static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";	/* 36, in order */

static int
sign(long long x)
{
	return x < 0 ? -1 : (x > 0 ? 1 : 0);
}

/* ---------- packing ---------- */

static void
test_known_values(void)
{
	static const struct
	{
		const char *code;
		uint32_t	packed;
		int32_t		stored;
	}			known[] = {
		{"RE1", 1969844517u, -177639131},
		{"QB", 1894776771u, -252706877},
		{"E01", 1042134822u, -1105348826},
		{"RI0050", 1977292100u, -170191548},
		{"0", 69343957u, -2078139691},
		{"ZZZZZZ", 2565726408u, 418242760},
	};

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
	{
		uint32_t	packed = 0;
		char		back[SHORT_CODE_MAX_LEN + 1];
		bool		packs = ticket_short_code_pack(known[i].code, strlen(known[i].code), &packed);

		ok(packs && packed == known[i].packed &&
		   short_code_to_int32(packed) == known[i].stored &&
		   short_code_from_int32(known[i].stored) == packed &&
		   ticket_short_code_unpack(packed, back) == strlen(known[i].code) &&
		   strcmp(back, known[i].code) == 0,
		   "'%s' packs to %u, stored as %d, and back", known[i].code,
		   known[i].packed, known[i].stored);
		if (!(packs && packed == known[i].packed))
			diag("got %u", packed);
	}
	ok(short_code_to_int32(0) == INT32_MIN && short_code_to_int32(UINT32_MAX) == INT32_MAX &&
	   short_code_from_int32(INT32_MIN) == 0 && short_code_from_int32(INT32_MAX) == UINT32_MAX &&
	   short_code_to_int32(UINT32_C(0x80000000)) == 0,
	   "signed conversion: 0 -> INT32_MIN, 2^31 -> 0, 2^32-1 -> INT32_MAX, and back");
}

/* Every code of 1, 2 and 3 characters: pack, unpack, signed, order. */
static void
test_round_trip_short(void)
{
	for (int len = 1; len <= 3; len++)
	{
		int			bad = 0;
		int			count = 0;
		int			unordered = 0;
		uint32_t	previous = 0;
		char		code[4] = {0};
		int			idx[3] = {0, 0, 0};
		int			total = 1;

		for (int i = 0; i < len; i++)
			total *= 36;
		for (int n = 0; n < total; n++)
		{
			uint32_t	packed;
			char		back[SHORT_CODE_MAX_LEN + 1];

			for (int i = 0, rest = n; i < len; i++)
			{
				idx[len - 1 - i] = rest % 36;
				rest /= 36;
			}
			for (int i = 0; i < len; i++)
				code[i] = alphabet[idx[i]];
			code[len] = '\0';
			if (!ticket_short_code_pack(code, (size_t) len, &packed) ||
				ticket_short_code_unpack(packed, back) != (size_t) len ||
				strcmp(back, code) != 0 ||
				short_code_from_int32(short_code_to_int32(packed)) != packed)
			{
				if (bad++ == 0)
					diag("first failure: '%s'", code);
			}
			/* n runs through the codes in text order: packed must increase */
			if (n > 0 && packed <= previous)
				unordered++;
			previous = packed;
			count++;
		}
		ok(bad == 0 && count == total,
		   "round trip pack/unpack/int32 of all %d codes of %d character(s)", count, len);
		ok(unordered == 0, "codes of %d character(s) in text order pack in increasing order", len);
	}
}

/* A random code of 1..6 characters, NUL-terminated. */
static size_t
random_code(char out[SHORT_CODE_MAX_LEN + 1])
{
	size_t		len = 1 + rng() % SHORT_CODE_MAX_LEN;

	for (size_t i = 0; i < len; i++)
		out[i] = alphabet[rng() % 36];
	out[len] = '\0';
	return len;
}

static void
test_order_random(void)
{
	int			mismatches = 0;
	int			round_trip = 0;
	const int	pairs = 1000000;

	for (int i = 0; i < pairs; i++)
	{
		char		a[SHORT_CODE_MAX_LEN + 1];
		char		b[SHORT_CODE_MAX_LEN + 1];
		char		back[SHORT_CODE_MAX_LEN + 1];
		size_t		la = random_code(a);
		size_t		lb;
		uint32_t	pa;
		uint32_t	pb;
		int			want;

		/* one pair in four shares a prefix, to exercise the padding */
		if (i % 4 == 0)
		{
			memcpy(b, a, sizeof(b));
			lb = la;
			if (lb < SHORT_CODE_MAX_LEN && rng() % 2)
				b[lb++] = alphabet[rng() % 36];
			else if (lb > 1)
				lb--;
			b[lb] = '\0';
		}
		else
			lb = random_code(b);
		if (!ticket_short_code_pack(a, la, &pa) || !ticket_short_code_pack(b, lb, &pb))
		{
			mismatches++;
			continue;
		}
		want = sign(strcmp(a, b));
		if (sign((long long) pa - (long long) pb) != want ||
			sign((long long) short_code_to_int32(pa) - (long long) short_code_to_int32(pb)) != want)
		{
			if (mismatches++ == 0)
				diag("first mismatch: '%s' vs '%s'", a, b);
		}
		if (ticket_short_code_unpack(pa, back) != la || strcmp(back, a) != 0)
			round_trip++;
	}
	ok(mismatches == 0, "order of packed and of stored int32 = strcmp order, %d random pairs", pairs);
	ok(round_trip == 0, "round trip of %d random codes of 1 to 6 characters", pairs);

	{
		static const char *const sorted[] = {
			"0", "00", "000000", "01", "9", "A", "Q", "QB", "QM", "R", "RE",
			"RE1", "RE10", "RE2", "RE3", "REDDIT", "Z", "ZZ", "ZZZZZZ"
		};
		int			bad = 0;
		uint32_t	prev = 0;

		for (size_t i = 0; i < sizeof(sorted) / sizeof(sorted[0]); i++)
		{
			uint32_t	p;

			if (!ticket_short_code_pack(sorted[i], strlen(sorted[i]), &p) || (i > 0 && p <= prev))
				bad++;
			prev = p;
		}
		ok(bad == 0, "a prefix sorts first: 0 < 00 < 000000 < 01 < ... < RE < RE1 < RE10 < RE2 < ... < ZZZZZZ");
	}
}

static void
test_pack_rejects(void)
{
	static const struct
	{
		const char *desc;
		const char *s;
		size_t		len;
	}			bad[] = {
		{"empty", "", 0},
		{"7 characters", "ABCDEFG", 7},
		{"lower case", "re1", 3},
		{"'-'", "R-1", 3},
		{"space", "R 1", 3},
		{"NUL byte", "R\0" "1", 3},
		{"non-ASCII", "R\xc3\x88", 3},
		{"'@' (before A)", "@", 1},
		{"'[' (after Z)", "[", 1},
		{"'/' (before 0)", "/", 1},
		{"':' (after 9)", ":", 1},
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
	{
		uint32_t	packed = 12345;

		ok(!ticket_short_code_pack(bad[i].s, bad[i].len, &packed) && packed == 12345,
		   "pack rejects %s ('%s') and leaves out alone", bad[i].desc, esc(bad[i].s, bad[i].len));
	}

	{
		static const struct
		{
			const char *desc;
			uint32_t	packed;
		}			invalid[] = {
			{"0 (the empty code)", 0},
			{"1 (a character after the pad)", 1},
			{"37^5 * 11 + 1 ('A', pad, then a character)", 37u * 37 * 37 * 37 * 37 * 11 + 1},
			{"37^6 (just above ZZZZZZ)", 2565726409u},
			{"2^32 - 1", UINT32_MAX},
		};

		for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++)
		{
			char		out[SHORT_CODE_MAX_LEN + 1];

			memset(out, 'x', sizeof(out));
			ok(ticket_short_code_unpack(invalid[i].packed, out) == 0 && out[0] == '\0',
			   "unpack rejects %s", invalid[i].desc);
		}
	}

	/* a random 32-bit value unpacks iff it is a packed code, to itself */
	{
		int			bad_values = 0;
		int			valid = 0;

		for (int i = 0; i < 1000000; i++)
		{
			uint32_t	v = rng();
			uint32_t	again = 0;
			char		out[SHORT_CODE_MAX_LEN + 1];
			size_t		len = ticket_short_code_unpack(v, out);

			if (len == 0)
				continue;
			valid++;
			if (!ticket_short_code_pack(out, len, &again) || again != v)
				bad_values++;
		}
		ok(bad_values == 0 && valid > 0,
		   "unpack then pack gives back every random value that unpacks (%d of 1000000)", valid);
	}
}

/* ---------- lexical layer and income bands ---------- */

static void
expect_normalize(const char *input, size_t len, const char *want)
{
	char		out[SHORT_CODE_MAX_LEN + 1];
	size_t		out_len = 0;
	sc_error	err;
	sc_status	st;

	memset(&err, 0x55, sizeof(err));
	st = ticket_short_code_normalize(input, len, out, &out_len, &err);
	ok(st == SC_OK && err.status == SC_OK && out_len == strlen(want) && strcmp(out, want) == 0,
	   "normalize '%s' -> '%s'", esc(input, len), want);
}

static void
expect_lexical(const char *input, size_t len, sc_status status, int position, int ch, int value)
{
	char		out[SHORT_CODE_MAX_LEN + 1];
	size_t		out_len = 0;
	sc_error	err;
	sc_status	st;
	int			good;

	memset(&err, 0x55, sizeof(err));
	st = ticket_short_code_normalize(input, len, out, &out_len, &err);
	good = st == status && err.status == status &&
		(position == ANY || err.position == position) &&
		(ch == ANY || err.ch == (char) ch) &&
		(value == ANY || err.value == value) && out[0] == '\0';
	ok(good, "normalize '%s' -> %s", esc(input, len), sc_name(status));
	if (!good)
		diag("got %s position %d ch 0x%02x value %d", sc_name(st), err.position,
			 (unsigned char) err.ch, err.value);
	ok(ticket_short_code_normalize(input, len, out, &out_len, NULL) == status,
	   "the same with err = NULL: '%s'", esc(input, len));
}

static void
test_lexical(void)
{
	char		longbuf[20001];

	expect_normalize("RE1", 3, "RE1");
	expect_normalize(" \t\r\n\v\fre1\f\v\n\r\t ", 15, "RE1");
	expect_normalize("qB", 2, "QB");
	expect_normalize("abcdef", 6, "ABCDEF");
	expect_normalize("0a31", 4, "0A31");
	expect_normalize("RE1XYZ", 3, "RE1");	/* only len bytes are read */

	expect_lexical("", 0, SC_ERR_EMPTY, ANY, ANY, ANY);
	expect_lexical(" \t\n ", 4, SC_ERR_EMPTY, ANY, ANY, ANY);
	expect_lexical("RE1", 0, SC_ERR_EMPTY, ANY, ANY, ANY);
	expect_lexical("R-1", 3, SC_ERR_BAD_CHARACTER, 2, '-', ANY);
	expect_lexical("  R.1  ", 7, SC_ERR_BAD_CHARACTER, 2, '.', ANY);
	expect_lexical("R\0" "1", 3, SC_ERR_BAD_CHARACTER, 2, '\0', ANY);
	expect_lexical("R 1", 3, SC_ERR_INNER_SPACE, 2, ANY, ANY);
	expect_lexical("RE\t1", 4, SC_ERR_INNER_SPACE, 3, ANY, ANY);
	expect_lexical("R\xc3\x88", 3, SC_ERR_NON_ASCII, 2, 0, ANY);
	expect_lexical("\xff", 1, SC_ERR_NON_ASCII, 1, 0, ANY);
	expect_lexical("REDDITO1", 8, SC_ERR_TOO_LONG, ANY, ANY, 8);
	expect_lexical(" abcdefg ", 9, SC_ERR_TOO_LONG, ANY, ANY, 7);
	/* characters before length: the '-' of a long code is the error */
	expect_lexical("REDDITO-1", 9, SC_ERR_BAD_CHARACTER, 8, '-', ANY);
	memset(longbuf, 'A', sizeof(longbuf) - 1);
	longbuf[sizeof(longbuf) - 1] = '\0';
	expect_lexical(longbuf, strlen(longbuf), SC_ERR_TOO_LONG, ANY, ANY, 9999);
}

static void
test_income_band(void)
{
	static const char *const valid[] = {"RE1", "RE2", "RE3", "QB", "QM", " re1 ", "A", "ABCDEF", "R1", "Z99999"};

	for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++)
	{
		uint32_t	packed = 0;
		uint32_t	want = 0;
		char		norm[SHORT_CODE_MAX_LEN + 1];
		size_t		n = 0;
		sc_error	err;

		ticket_short_code_normalize(valid[i], strlen(valid[i]), norm, &n, NULL);
		ticket_short_code_pack(norm, n, &want);
		ok(ticket_income_band_parse(valid[i], strlen(valid[i]), &packed, &err) == SC_OK &&
		   err.status == SC_OK && packed == want && want != 0,
		   "income band '%s' accepted as %s", valid[i], norm);
	}

	{
		static const struct
		{
			const char *input;
			sc_status	status;
			int			position;
			int			ch;
		}			invalid[] = {
			{"1RE", SC_ERR_BAND_FIRST_NOT_LETTER, 1, '1'},
			{" 0 ", SC_ERR_BAND_FIRST_NOT_LETTER, 1, '0'},
			{"", SC_ERR_EMPTY, ANY, ANY},
			{"R-1", SC_ERR_BAD_CHARACTER, 2, '-'},
			{"REDDITO1", SC_ERR_TOO_LONG, ANY, ANY},
			{"1-RE", SC_ERR_BAD_CHARACTER, 2, '-'},	/* characters first */
		};

		for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++)
		{
			uint32_t	packed = 777;
			sc_error	err;
			sc_status	st = ticket_income_band_parse(invalid[i].input, strlen(invalid[i].input), &packed, &err);

			ok(st == invalid[i].status && err.status == st && packed == 777 &&
			   (invalid[i].position == ANY || err.position == invalid[i].position) &&
			   (invalid[i].ch == ANY || err.ch == (char) invalid[i].ch),
			   "income band '%s' -> %s", invalid[i].input, sc_name(invalid[i].status));
			ok(ticket_income_band_parse(invalid[i].input, strlen(invalid[i].input), &packed, NULL) == invalid[i].status,
			   "the same with err = NULL: '%s'", invalid[i].input);
		}
	}
}

/* ---------- exemptions ---------- */

/*
 * What the type refuses: the characters and the income bands only.  Any
 * other code parses to itself (E05, T12 of the 2012 earthquake, a
 * municipal code): since issue 18 which codes exist, and their family, is
 * ticket.exemption_catalogue's data, TK008 at pricing unless it holds the
 * code on the service date (test/pgtap/exemption_catalogue.sql).
 */
static void
expect_exemption(const char *input, ex_status status, const char *code)
{
	ex_error	err;
	uint32_t	packed = 4242;
	ex_status	got;
	int			good;

	memset(&err, 0x55, sizeof(err));
	got = ticket_exemption_parse(input, strlen(input), &packed, &err);
	good = got == status && err.status == status &&
		(code == NULL || status == EX_ERR_LEXICAL || strcmp(err.code, code) == 0);
	if (status == EX_OK)
	{
		char		norm[SHORT_CODE_MAX_LEN + 1];
		size_t		n = 0;
		uint32_t	want = 0;
		uint32_t	again = 4343;

		ticket_short_code_normalize(input, strlen(input), norm, &n, NULL);
		ticket_short_code_pack(norm, n, &want);
		good = good && packed == want &&
			ticket_exemption_parse(input, strlen(input), &again, NULL) == EX_OK && again == want;
	}
	else
		good = good && packed == 4242 &&
			ticket_exemption_parse(input, strlen(input), &packed, NULL) == status && packed == 4242;
	ok(good, "exemption '%s' -> %s", esc(input, strlen(input)), ex_name(status));
	if (!good)
		diag("got status %s, code '%s'", ex_name(err.status), err.status == EX_ERR_LEXICAL ? "" : err.code);
}

static void
test_exemption_codes(void)
{
	/* the codes of ticket-rules.md §4, family by family: they parse */
	static const char *const codes[] = {
		"E01", "E04", "e01", " E04 ", "E99", "FA2", "C01", "G02", "L04", "S01", "N01", "V02",
		"M00", "M41", "M99", "D01", "D01B", "d01b", "B01", "T01", "P03", "TDL01", "PML",
		"001", "099", "0A31", "RI0050", "RIG010", "R99", "ri0050"
	};

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		expect_exemption(codes[i], EX_OK, NULL);

	/* codes no shipped family has parse too: the catalogue decides */
	expect_exemption("E05", EX_OK, "E05");
	expect_exemption("T12", EX_OK, "T12");	/* 2012 earthquake (§4.2, §9 item 4) */
	expect_exemption("M42", EX_OK, "M42");
	expect_exemption("RZ0050", EX_OK, "RZ0050");
	expect_exemption("XYZ", EX_OK, "XYZ");
	expect_exemption("IC001", EX_OK, "IC001");	/* a municipal code (§9 items 4, 5) */
	expect_exemption("RE4", EX_OK, "RE4");

	/* the income bands are not exemptions */
	expect_exemption("RE1", EX_ERR_INCOME_BAND, "RE1");
	expect_exemption("re2", EX_ERR_INCOME_BAND, "RE2");
	expect_exemption("RE3", EX_ERR_INCOME_BAND, "RE3");
	expect_exemption(" qb", EX_ERR_INCOME_BAND, "QB");
	expect_exemption("QM", EX_ERR_INCOME_BAND, "QM");

	/* lexical errors come first */
	expect_exemption("", EX_ERR_LEXICAL, NULL);
	expect_exemption("E-1", EX_ERR_LEXICAL, NULL);
	expect_exemption("030.710.2", EX_ERR_LEXICAL, NULL);
	expect_exemption("RI00500", EX_ERR_LEXICAL, NULL);
	{
		ex_error	err;
		uint32_t	packed;

		ticket_exemption_parse("030.710.2", 9, &packed, &err);
		ok(err.lexical.status == SC_ERR_BAD_CHARACTER && err.lexical.position == 4 &&
		   err.lexical.ch == '.', "'030.710.2': the '.' at position 4 is the error");
		ticket_exemption_parse(" RI00500", 8, &packed, &err);
		ok(err.lexical.status == SC_ERR_TOO_LONG && err.lexical.value == 7,
		   "' RI00500': 7 characters");
	}
}

/*
 * Every code of 1 to 4 characters: all parse but the five income bands.
 */
static void
test_exemption_counts(void)
{
	long		count[3] = {0};
	long		inconsistent = 0;
	char		code[5];

	for (int len = 1; len <= 4; len++)
	{
		long		total = 1;

		for (int i = 0; i < len; i++)
			total *= 36;
		for (long n = 0; n < total; n++)
		{
			ex_error	err;
			ex_status	st;
			uint32_t	packed = 0;
			uint32_t	want = 0;

			for (long i = 0, rest = n; i < len; i++)
			{
				code[len - 1 - i] = alphabet[rest % 36];
				rest /= 36;
			}
			code[len] = '\0';
			st = ticket_exemption_parse(code, (size_t) len, &packed, &err);
			count[st]++;
			if (st != err.status || strcmp(err.code, code) != 0 ||
				(st == EX_OK && (!ticket_short_code_pack(code, (size_t) len, &want) || packed != want)))
				inconsistent++;
		}
	}
	ok(inconsistent == 0, "status, code and packed value agree on every code of 1 to 4 characters");
	ok(count[EX_ERR_INCOME_BAND] == 5 && count[EX_ERR_LEXICAL] == 0 &&
	   count[EX_OK] == 36L + 36L * 36 + 36L * 36 * 36 + 36L * 36 * 36 * 36 - 5,
	   "every code of 1 to 4 letters and digits parses but the 5 income bands: %ld bands, %ld parse",
	   count[EX_ERR_INCOME_BAND], count[EX_OK]);
}

static void
test_family_names(void)
{
	static const char *const names[] = {
		"none", "income", "regional", "invalidity", "pregnancy", "prevention",
		"other", "chronic", "rare"
	};
	int			bad = 0;

	for (int f = 0; f < EX_FAMILY_COUNT; f++)
	{
		if (strcmp(ticket_exemption_family_name((ex_family) f), names[f]) != 0)
			bad++;
		if (f > 0 && ticket_exemption_family_number(names[f]) != (ex_family) f)
			bad++;
	}
	ok(bad == 0, "family names and numbers: income regional invalidity pregnancy prevention other chronic rare");
	ok(ticket_exemption_family_number("none") == EX_FAMILY_NONE &&
	   ticket_exemption_family_number("Income") == EX_FAMILY_NONE &&
	   ticket_exemption_family_number("") == EX_FAMILY_NONE,
	   "an unknown family name is EX_FAMILY_NONE");
}

/* Random bytes: no crash (ASan), and the results agree with each other. */
static void
test_random_bytes(void)
{
	static const char bytes[] = " \t0123456789AEGMQRZaqrz-.\xc3\x80";
	int			bad = 0;

	for (int i = 0; i < 300000; i++)
	{
		char		buf[12];
		size_t		len = rng() % sizeof(buf);
		ex_error	err;
		sc_error	serr;
		ex_status	est;
		uint32_t	packed = 0;
		uint32_t	band = 0;
		sc_status	bst;

		for (size_t j = 0; j < len; j++)
			buf[j] = (rng() % 8 == 0) ? (char) rng() : bytes[rng() % (sizeof(bytes) - 1)];
		est = ticket_exemption_parse(buf, len, &packed, &err);
		/* parses unless lexically bad or a band: the catalogue decides (issue 18) */
		if (est != err.status || ticket_exemption_parse(buf, len, &packed, NULL) != est ||
			(est == EX_OK && short_code_to_int32(packed) == INT32_MIN))
			bad++;
		bst = ticket_income_band_parse(buf, len, &band, &serr);
		if (bst != serr.status ||
			(bst == SC_OK && (short_code_to_int32(band) == INT32_MIN)))
			bad++;
	}
	ok(bad == 0, "300000 random byte strings: parsers consistent, no crash");
}

int
main(void)
{
	test_known_values();
	test_round_trip_short();
	test_order_random();
	test_pack_rejects();
	test_lexical();
	test_income_band();
	test_exemption_codes();
	test_exemption_counts();
	test_family_names();
	test_random_bytes();

	return tap_finish("short_code");
}
