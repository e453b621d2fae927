/*
 * test/fuzz/fuzz_short_code.c
 *		libFuzzer target for the pure-C short codes behind ticket.income_band
 *		and ticket.exemption (short_code.c, exemption_core.c).  Built and run
 *		by `make fuzz-check` (clang, -fsanitize=fuzzer,address,undefined);
 *		see README.md beside this file.
 *
 * Every input is used three ways:
 *
 * 1. As text for ticket_income_band_parse, ticket_exemption_parse and ticket_exemption_family_of.
 *    The verdicts, the error fields and the packed values are compared with
 *    an independent reference written below from short_code.h,
 *    exemption_core.h and ../shared/docs/ticket-rules.md §4 (a differential
 *    test: the reference classifies with plain C conditions, not with the
 *    shape tables of exemption_core.c, and packs with 64-bit arithmetic).
 *    An accepted code must unpack to its normalised text, re-parse to
 *    itself, and ticket_exemption_family_of_packed must give its family.
 * 2. As two packed values (the first 8 bytes): ticket_short_code_unpack must accept
 *    exactly the values the reference decodes (1-6 characters, no character
 *    after a pad), pack(unpack(v)) == v, and when both are codes the numeric
 *    order of the packed values, and the signed order of their int32 forms,
 *    must be the strcmp order of their texts.
 * 3. As two codes built from the bytes (each byte mapped to one of the 36
 *    characters, lengths 1-6 taken from the input): pack must succeed, equal
 *    the reference value, unpack back to the text, and keep the order.
 *
 * Any violation prints what went wrong and calls abort(), which libFuzzer
 * reports as a crash and saves as crash-<sha1> in the working directory.
 */
#include "short_code.h"
#include "exemption_core.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
fail(const char *what, const char *code)
{
	fprintf(stderr, "fuzz_short_code: invariant violated: %s", what);
	if (code)
		fprintf(stderr, " [%s]", code);
	fputc('\n', stderr);
	abort();
}

#define CHECK(cond, what, code) do { if (!(cond)) fail(what, code); } while (0)

/* ---------------------------------------------------------------------- */
/* Reference, written independently of short_code.c / exemption_core.c    */
/* ---------------------------------------------------------------------- */

static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

static int
ref_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int
ref_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
ref_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

/* Value 1..36 of a canonical character (its place in the alphabet + 1), 0 if none. */
static int
ref_value(char c)
{
	const char *p = c ? strchr(alphabet, c) : NULL;

	return p ? (int) (p - alphabet) + 1 : 0;
}

/* Base-37 value of 1..6 canonical characters, right-padded with zeros. */
static uint64_t
ref_pack(const char *s, size_t len)
{
	uint64_t	v = 0;

	for (size_t i = 0; i < 6; i++)
		v = v * 37 + (i < len ? (uint64_t) ref_value(s[i]) : 0);
	return v;
}

/* Decode a uint32: 1 and the text when it is a code, else 0. */
static int
ref_unpack(uint32_t packed, char out[7])
{
	uint64_t	v = packed;
	int			digits[6];
	int			len = 0;

	if (v >= UINT64_C(2565726409))	/* 37^6 */
		return 0;
	for (int i = 5; i >= 0; i--)
	{
		digits[i] = (int) (v % 37);
		v /= 37;
	}
	while (len < 6 && digits[len] != 0)
	{
		out[len] = alphabet[digits[len] - 1];
		len++;
	}
	out[len] = '\0';
	if (len == 0)
		return 0;
	for (int i = len; i < 6; i++)
		if (digits[i] != 0)
			return 0;
	return 1;
}

/* The lexical layer: trim, check characters, fold case, check length. */
typedef struct ref_lex
{
	sc_status	status;
	int			position;
	char		ch;
	int			value;
	char		code[7];
	size_t		len;
} ref_lex;

static ref_lex
ref_lexical(const uint8_t *data, size_t size)
{
	ref_lex		r;
	size_t		a = 0,
				b = size;

	memset(&r, 0, sizeof(r));
	while (a < b && ref_space(data[a]))
		a++;
	while (b > a && ref_space(data[b - 1]))
		b--;
	if (a == b)
	{
		r.status = SC_ERR_EMPTY;
		return r;
	}
	for (size_t i = a; i < b; i++)
	{
		unsigned char c = data[i];

		if (c >= 'a' && c <= 'z')
			c = (unsigned char) (c - 'a' + 'A');
		if (!ref_digit((char) c) && !ref_upper((char) c))
		{
			r.position = (int) (i - a) + 1;
			if (c >= 0x80)
				r.status = SC_ERR_NON_ASCII;
			else if (ref_space(c))
				r.status = SC_ERR_INNER_SPACE, r.ch = (char) c;
			else
				r.status = SC_ERR_BAD_CHARACTER, r.ch = (char) c;
			return r;
		}
		if (i - a < 6)
			r.code[i - a] = (char) c;
	}
	if (b - a > 6)
	{
		r.status = SC_ERR_TOO_LONG;
		r.value = b - a > 9999 ? 9999 : (int) (b - a);
		memset(r.code, 0, sizeof(r.code));
		return r;
	}
	r.len = b - a;
	r.code[r.len] = '\0';
	r.status = SC_OK;
	return r;
}

/* Two digits at s[i], s[i+1] as a number, or -1. */
static int
two_digits(const char *s, size_t len, size_t i)
{
	if (i + 1 >= len || !ref_digit(s[i]) || !ref_digit(s[i + 1]))
		return -1;
	return (s[i] - '0') * 10 + (s[i + 1] - '0');
}

static int
all_digits(const char *s, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (!ref_digit(s[i]))
			return 0;
	return 1;
}

/* The family of a normalised code (§4 and exemption_core.h), EX_FAMILY_NONE if none. */
static ex_family
ref_family(const char *s, size_t len)
{
	int			n = len == 3 ? two_digits(s, len, 1) : -1;

	if (len == 3 && n >= 0)
	{
		switch (s[0])
		{
			case 'E':
				if (n >= 1 && n <= 4)
					return EX_FAMILY_INCOME;
				if (n == 99)
					return EX_FAMILY_REGIONAL;
				break;
			case 'C':
				if (n >= 1 && n <= 7)
					return EX_FAMILY_INVALIDITY;
				break;
			case 'G':
			case 'V':
				if (n >= 1 && n <= 2)
					return EX_FAMILY_INVALIDITY;
				break;
			case 'L':
			case 'S':
				if (n >= 1 && n <= 4)
					return EX_FAMILY_INVALIDITY;
				break;
			case 'N':
				if (n == 1)
					return EX_FAMILY_INVALIDITY;
				break;
			case 'M':
				if (n <= 41 || n == 50 || n == 52 || n == 99)
					return EX_FAMILY_PREGNANCY;
				break;
			case 'D':
				if (n >= 1 && n <= 6)
					return EX_FAMILY_PREVENTION;
				break;
			case 'P':
				if (n >= 1 && n <= 3)
					return EX_FAMILY_OTHER;
				break;
			case 'B':
			case 'T':
			case 'I':
			case 'F':
			case 'X':
				if (n == 1)
					return EX_FAMILY_OTHER;
				break;
			case '0':
				if (n >= 1)
					return EX_FAMILY_CHRONIC;
				break;
			case 'R':
				if (n == 99)
					return EX_FAMILY_RARE;
				break;
			default:
				break;
		}
		return EX_FAMILY_NONE;
	}
	if (len == 3 && s[0] == 'F' && ref_upper(s[1]) && ref_digit(s[2]))
		return EX_FAMILY_REGIONAL;
	if (len == 3 && strncmp(s, "PML", 3) == 0)
		return EX_FAMILY_OTHER;
	if (len == 4 && (strncmp(s, "D01B", 4) == 0 || strncmp(s, "D01C", 4) == 0))
		return EX_FAMILY_PREVENTION;
	if (len == 4 && s[0] == '0' && ref_upper(s[1]) && all_digits(s, 2, 4))
		return EX_FAMILY_CHRONIC;
	if (len == 5 && strncmp(s, "TDL01", 5) == 0)
		return EX_FAMILY_OTHER;
	if (len == 6 && s[0] == 'R' && s[1] >= 'A' && s[1] <= 'Q' &&
		(all_digits(s, 2, 6) || (s[2] == 'G' && all_digits(s, 3, 6))))
		return EX_FAMILY_RARE;
	return EX_FAMILY_NONE;
}

/* What an invalid normalised code resembles (the ex_status comments). */
static ex_status
ref_near_miss(const char *s, size_t len)
{
	int			xdd = two_digits(s, len, 1) >= 0;	/* letter + 2 digits + anything */

	if ((len == 3 && (strcmp(s, "RE1") == 0 || strcmp(s, "RE2") == 0 || strcmp(s, "RE3") == 0)) ||
		(len == 2 && (strcmp(s, "QB") == 0 || strcmp(s, "QM") == 0)))
		return EX_ERR_INCOME_BAND;
	if (ref_digit(s[0]))
		return EX_ERR_CHRONIC;
	switch (s[0])
	{
		case 'E':
			return xdd ? EX_ERR_INCOME : EX_ERR_UNKNOWN;
		case 'F':
			return len >= 2 ? EX_ERR_F : EX_ERR_UNKNOWN;
		case 'C':
			return xdd ? EX_ERR_CIVIL_INVALIDITY : EX_ERR_UNKNOWN;
		case 'G':
			return xdd ? EX_ERR_WAR_INVALIDITY : EX_ERR_UNKNOWN;
		case 'L':
			return xdd ? EX_ERR_WORK_INVALIDITY : EX_ERR_UNKNOWN;
		case 'S':
			return xdd ? EX_ERR_SERVICE_INVALIDITY : EX_ERR_UNKNOWN;
		case 'N':
			return xdd ? EX_ERR_DAMAGE : EX_ERR_UNKNOWN;
		case 'V':
			return xdd ? EX_ERR_VICTIM : EX_ERR_UNKNOWN;
		case 'M':
			return xdd ? EX_ERR_PREGNANCY : EX_ERR_UNKNOWN;
		case 'D':
			return xdd ? EX_ERR_PREVENTION : EX_ERR_UNKNOWN;
		case 'P':
			return xdd || (len >= 2 && s[1] == 'M') ? EX_ERR_P : EX_ERR_UNKNOWN;
		case 'T':
			return xdd || (len >= 2 && s[1] == 'D') ? EX_ERR_T : EX_ERR_UNKNOWN;
		case 'B':
		case 'I':
		case 'X':
			return xdd ? EX_ERR_ONLY_CODE : EX_ERR_UNKNOWN;
		case 'R':
			return len >= 2 && s[1] >= 'R' && s[1] <= 'Z' ? EX_ERR_RARE_GROUP : EX_ERR_RARE;
		default:
			return EX_ERR_UNKNOWN;
	}
}

/* ---------------------------------------------------------------------- */

static void
check_lexical_error(sc_status st, const sc_error *err, const ref_lex *want)
{
	CHECK(st == want->status, "lexical status differs from the reference", NULL);
	CHECK(err->status == st, "sc_error.status differs from the status", NULL);
	switch (st)
	{
		case SC_ERR_NON_ASCII:
			CHECK(err->position == want->position && err->ch == 0, "SC_ERR_NON_ASCII position/ch", NULL);
			break;
		case SC_ERR_INNER_SPACE:
		case SC_ERR_BAD_CHARACTER:
			CHECK(err->position == want->position && err->ch == want->ch,
				  "SC_ERR_INNER_SPACE/BAD_CHARACTER position/ch", NULL);
			break;
		case SC_ERR_TOO_LONG:
			CHECK(err->value == want->value, "SC_ERR_TOO_LONG value", NULL);
			break;
		default:
			break;
	}
}

static void
fuzz_text(const uint8_t *data, size_t size)
{
	const char *input = (const char *) data;
	ref_lex		lex = ref_lexical(data, size);
	sc_error	serr;
	ex_error	eerr;
	ex_error	ferr;
	sc_status	sst;
	ex_status	est;
	ex_family	family;
	uint32_t	packed = 0xdeadbeef,
				again;
	char		text[SHORT_CODE_MAX_LEN + 1];

	/* ticket_income_band_parse */
	memset(&serr, 0x55, sizeof(serr));
	sst = ticket_income_band_parse(input, size, &packed, &serr);
	CHECK(ticket_income_band_parse(input, size, &again, NULL) == sst,
		  "ticket_income_band_parse status depends on err being NULL", NULL);
	if (lex.status != SC_OK)
		check_lexical_error(sst, &serr, &lex);
	else if (ref_digit(lex.code[0]))
	{
		CHECK(sst == SC_ERR_BAND_FIRST_NOT_LETTER && serr.status == sst &&
			  serr.position == 1 && serr.ch == lex.code[0], "band starting with a digit", lex.code);
	}
	else
	{
		CHECK(sst == SC_OK && serr.status == SC_OK, "valid band rejected", lex.code);
		CHECK(packed == ref_pack(lex.code, lex.len), "band packed value differs from the reference", lex.code);
		CHECK(ticket_short_code_unpack(packed, text) == lex.len && strcmp(text, lex.code) == 0,
			  "band does not unpack to its text", lex.code);
	}

	/*
	 * ticket_exemption_parse and ticket_exemption_family_of.  Since issue 18
	 * the type refuses only the characters and the income bands: every
	 * other code parses (the catalogue, data, decides at pricing), while
	 * ticket_exemption_family_of still classifies it or names the family it
	 * resembles.
	 */
	memset(&eerr, 0x55, sizeof(eerr));
	packed = 0xdeadbeef;
	est = ticket_exemption_parse(input, size, &packed, &eerr);
	CHECK(ticket_exemption_parse(input, size, &again, NULL) == est,
		  "ticket_exemption_parse status depends on err being NULL", NULL);
	CHECK(eerr.status == est, "ex_error.status differs from the status", NULL);
	memset(&ferr, 0x55, sizeof(ferr));
	family = ticket_exemption_family_of(input, size, &ferr);
	CHECK((family == EX_FAMILY_NONE) == (ferr.status != EX_OK), "ticket_exemption_family_of status and family disagree", NULL);
	if (lex.status != SC_OK)
	{
		CHECK(est == EX_ERR_LEXICAL && ferr.status == EX_ERR_LEXICAL, "lexically invalid exemption not EX_ERR_LEXICAL", NULL);
		check_lexical_error(eerr.lexical.status, &eerr.lexical, &lex);
		return;
	}
	CHECK(strcmp(eerr.code, lex.code) == 0, "ex_error.code is not the normalised code", lex.code);
	{
		ex_family	want = ref_family(lex.code, lex.len);
		ex_status	near = want == EX_FAMILY_NONE ? ref_near_miss(lex.code, lex.len) : EX_OK;

		CHECK(family == want, "family differs from the reference", lex.code);
		CHECK(ferr.status == near, "near-miss status differs from the reference", lex.code);
		if (near == EX_ERR_INCOME_BAND)
		{
			CHECK(est == EX_ERR_INCOME_BAND, "an income band parsed as an exemption", lex.code);
			CHECK(packed == 0xdeadbeef, "ticket_exemption_parse stored a value on error", lex.code);
			return;
		}
	}
	CHECK(est == EX_OK, "an exemption of the catalogue's shape not EX_OK", lex.code);
	CHECK(packed == ref_pack(lex.code, lex.len), "exemption packed value differs from the reference", lex.code);
	CHECK(ticket_short_code_unpack(packed, text) == lex.len && strcmp(text, lex.code) == 0,
		  "exemption does not unpack to its text", lex.code);
	CHECK(ticket_exemption_parse(text, strlen(text), &again, NULL) == EX_OK && again == packed,
		  "exemption does not re-parse to itself", lex.code);
	CHECK(ticket_exemption_family_of_packed(packed) == family, "family of the packed code differs", lex.code);
	CHECK(ticket_exemption_family_number(ticket_exemption_family_name(family)) == family,
		  "family name does not map back to the family", lex.code);
}

static int
sign(int64_t x)
{
	return (x > 0) - (x < 0);
}

/* Two values that may or may not be codes. */
static void
fuzz_packed(uint32_t a, uint32_t b)
{
	char		ta[SHORT_CODE_MAX_LEN + 1],
				tb[SHORT_CODE_MAX_LEN + 1],
				ra[7],
				rb[7];
	size_t		la = ticket_short_code_unpack(a, ta),
				lb = ticket_short_code_unpack(b, tb);
	int			va = ref_unpack(a, ra),
				vb = ref_unpack(b, rb);
	uint32_t	back;

	CHECK((la > 0) == va && (lb > 0) == vb, "unpack accepts a different set of values than the reference", NULL);
	CHECK(la > 0 || ta[0] == '\0', "rejected value leaves a non-empty string", NULL);
	CHECK(lb > 0 || tb[0] == '\0', "rejected value leaves a non-empty string", NULL);
	if (va)
	{
		CHECK(strcmp(ta, ra) == 0 && strlen(ta) == la, "unpacked text differs from the reference", ta);
		CHECK(ticket_short_code_pack(ta, la, &back) && back == a, "pack(unpack(v)) != v", ta);
		CHECK(short_code_from_int32(short_code_to_int32(a)) == a, "int32 form does not map back", ta);
	}
	if (va && vb)
	{
		int			want = sign(strcmp(ta, tb));

		CHECK(sign((int64_t) a - (int64_t) b) == want, "packed order differs from text order", ta);
		CHECK(sign((int64_t) short_code_to_int32(a) - (int64_t) short_code_to_int32(b)) == want,
			  "int32 order differs from text order", ta);
	}
	/* the int32 form keeps the order of every pair of uint32 */
	CHECK(sign((int64_t) short_code_to_int32(a) - (int64_t) short_code_to_int32(b)) ==
		  sign((int64_t) a - (int64_t) b), "int32 form does not keep the uint32 order", NULL);
}

/* Two codes built from bytes: every byte a character, lengths from the input. */
static void
fuzz_built(const uint8_t *data, size_t size)
{
	char		c[2][SHORT_CODE_MAX_LEN + 1];
	uint32_t	p[2];
	size_t		len[2];
	size_t		at = 1;

	if (size < 1)
		return;
	for (int k = 0; k < 2; k++)
	{
		char		text[SHORT_CODE_MAX_LEN + 1];

		len[k] = 1 + (k == 0 ? data[0] % 6 : (data[0] / 6) % 6);
		for (size_t i = 0; i < len[k]; i++)
			c[k][i] = alphabet[(at < size ? data[at++] : 0) % 36];
		c[k][len[k]] = '\0';
		CHECK(ticket_short_code_pack(c[k], len[k], &p[k]), "pack rejects a canonical code", c[k]);
		CHECK(p[k] == ref_pack(c[k], len[k]), "packed value differs from the reference", c[k]);
		CHECK(ticket_short_code_unpack(p[k], text) == len[k] && strcmp(text, c[k]) == 0,
			  "unpack(pack(s)) != s", c[k]);
		/* lower case and other bytes are not canonical */
		if (ref_upper(c[k][0]))
		{
			char		lower[SHORT_CODE_MAX_LEN + 1];
			uint32_t	untouched = 12345;

			memcpy(lower, c[k], len[k] + 1);
			lower[0] = (char) (lower[0] - 'A' + 'a');
			CHECK(!ticket_short_code_pack(lower, len[k], &untouched) && untouched == 12345,
				  "pack accepts a lower-case code or writes on failure", c[k]);
		}
	}
	CHECK(sign((int64_t) p[0] - (int64_t) p[1]) == sign(strcmp(c[0], c[1])),
		  "packed order differs from text order", c[0]);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_text(data, size);
	if (size >= 8)
		fuzz_packed((uint32_t) data[0] << 24 | (uint32_t) data[1] << 16 | (uint32_t) data[2] << 8 | data[3],
					(uint32_t) data[4] << 24 | (uint32_t) data[5] << 16 | (uint32_t) data[6] << 8 | data[7]);
	fuzz_built(data, size);
	return 0;
}
