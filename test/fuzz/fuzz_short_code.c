/*
 * test/fuzz/fuzz_short_code.c
 *		libFuzzer target for the pure-C short codes behind ticket.income_band
 *		and ticket.exemption (short_code.c, exemption_core.c).  Built and run
 *		by `make fuzz-check` (clang, -fsanitize=fuzzer,address,undefined);
 *		see README.md beside this file.
 *
 * Every input is used three ways:
 *
 * 1. As text for ticket_income_band_parse and ticket_exemption_parse.
 *    The verdicts, the error fields and the packed values are compared with
 *    an independent reference written below from short_code.h,
 *    exemption_core.h and ../shared/docs/ticket-rules.md §4.2 (a
 *    differential test: the reference checks with plain C conditions and
 *    packs with 64-bit arithmetic).  An accepted code must unpack to its
 *    normalised text and re-parse to itself.
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

/* An income band (they share the exemption box of the ricetta, §4.2). */
static int
ref_income_band(const char *s, size_t len)
{
	return (len == 3 && (strcmp(s, "RE1") == 0 || strcmp(s, "RE2") == 0 || strcmp(s, "RE3") == 0)) ||
		(len == 2 && (strcmp(s, "QB") == 0 || strcmp(s, "QM") == 0));
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
	sc_status	sst;
	ex_status	est;
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
	 * ticket_exemption_parse.  Since issue 18 the type refuses only the
	 * characters and the income bands: every other code parses (the
	 * catalogue, data, decides at pricing and gives the family).
	 */
	memset(&eerr, 0x55, sizeof(eerr));
	packed = 0xdeadbeef;
	est = ticket_exemption_parse(input, size, &packed, &eerr);
	CHECK(ticket_exemption_parse(input, size, &again, NULL) == est,
		  "ticket_exemption_parse status depends on err being NULL", NULL);
	CHECK(eerr.status == est, "ex_error.status differs from the status", NULL);
	if (lex.status != SC_OK)
	{
		CHECK(est == EX_ERR_LEXICAL, "lexically invalid exemption not EX_ERR_LEXICAL", NULL);
		CHECK(packed == 0xdeadbeef, "ticket_exemption_parse stored a value on error", NULL);
		check_lexical_error(eerr.lexical.status, &eerr.lexical, &lex);
		return;
	}
	CHECK(strcmp(eerr.code, lex.code) == 0, "ex_error.code is not the normalised code", lex.code);
	if (ref_income_band(lex.code, lex.len))
	{
		CHECK(est == EX_ERR_INCOME_BAND, "an income band parsed as an exemption", lex.code);
		CHECK(packed == 0xdeadbeef, "ticket_exemption_parse stored a value on error", lex.code);
		return;
	}
	CHECK(est == EX_OK, "an exemption of the catalogue's shape not EX_OK", lex.code);
	CHECK(packed == ref_pack(lex.code, lex.len), "exemption packed value differs from the reference", lex.code);
	CHECK(ticket_short_code_unpack(packed, text) == lex.len && strcmp(text, lex.code) == 0,
		  "exemption does not unpack to its text", lex.code);
	CHECK(ticket_exemption_parse(text, strlen(text), &again, NULL) == EX_OK && again == packed,
		  "exemption does not re-parse to itself", lex.code);
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
