/*
 * test/fuzz/fuzz_nre.c
 *		libFuzzer target for the pure-C NRE parser (nre_core.c), which
 *		fse.prescription_before_insert runs on every prescription.  Built and
 *		run by `make fuzz-check` (clang, -fsanitize=fuzzer,address,
 *		undefined); see README.md beside this file.
 *
 * Every input is used twice:
 *
 * 1. As the bytes of an NRE for ticket_nre_parse.  The verdict, the error fields,
 *    the canonical form and the region code are compared with an
 *    independent reference written below from nre_core.h and the CHECK
 *    constraint of fse.prescription.nre (^[0-9]{3}[0-9A-Z]{12}$ after
 *    upper(btrim(nre))): a differential test.  The reference works on a
 *    copy: it trims, upper-cases with plain C conditions (no shared table),
 *    and matches the constraint position by position.  An accepted NRE must
 *    re-parse to itself from its canonical form, with and without blanks
 *    and in lower case, and the output is never written past its 16 bytes
 *    (the parser writes into an exact-size heap buffer: ASan watches).
 * 2. As a canonical NRE built from the bytes (each byte mapped to a digit
 *    for the region, to one of the 36 characters after it): it must parse,
 *    to itself, with the region the reference computes.
 *
 * Any violation prints what went wrong and calls abort(), which libFuzzer
 * reports as a crash and saves as crash-<sha1> in the working directory.
 */
#include "nre_core.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
fail(const char *what, const char *code)
{
	fprintf(stderr, "fuzz_nre: invariant violated: %s", what);
	if (code)
		fprintf(stderr, " [%.40s]", code);
	fputc('\n', stderr);
	abort();
}

#define CHECK(cond, what, code) do { if (!(cond)) fail(what, code); } while (0)

/* ---------------------------------------------------------------------- */
/* Reference, written independently of nre_core.c / ascii.c                */
/* ---------------------------------------------------------------------- */

static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

static int
ref_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int
ref_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static unsigned char
ref_fold(unsigned char c)
{
	return (c >= 'a' && c <= 'z') ? (unsigned char) (c - 'a' + 'A') : c;
}

static int
ref_alnum(unsigned char c)
{
	unsigned char u = ref_fold(c);

	return ref_digit(u) || (u >= 'A' && u <= 'Z');
}

typedef struct ref_result
{
	nre_status	status;
	int			position;
	unsigned char ch;
	int			value;
	char		canonical[NRE_LEN + 1];
	int			region;
} ref_result;

static void
ref_parse(const uint8_t *data, size_t size, ref_result *r)
{
	size_t		lo = 0;
	size_t		hi = size;
	size_t		n;

	memset(r, 0, sizeof(*r));
	while (lo < hi && ref_blank(data[lo]))
		lo++;
	while (hi > lo && ref_blank(data[hi - 1]))
		hi--;
	n = hi - lo;
	if (n == 0)
	{
		r->status = NRE_ERR_EMPTY;
		return;
	}
	for (size_t i = 0; i < n; i++)
	{
		unsigned char c = data[lo + i];

		if (ref_alnum(c))
			continue;
		r->position = (int) i + 1;
		if (c >= 0x80)
			r->status = NRE_ERR_NON_ASCII;
		else
		{
			r->status = ref_blank(c) ? NRE_ERR_INNER_SPACE : NRE_ERR_BAD_CHARACTER;
			r->ch = c;
		}
		return;
	}
	if (n != 15)
	{
		r->status = NRE_ERR_LENGTH;
		r->value = n > 9999 ? 9999 : (int) n;
		return;
	}
	for (int i = 0; i < 3; i++)
		if (!ref_digit(data[lo + i]))
		{
			r->status = NRE_ERR_REGION_NOT_DIGIT;
			r->position = i + 1;
			r->ch = ref_fold(data[lo + i]);
			return;
		}
	r->status = NRE_OK;
	for (int i = 0; i < 15; i++)
		r->canonical[i] = (char) ref_fold(data[lo + i]);
	r->canonical[15] = '\0';
	r->region = (data[lo] - '0') * 100 + (data[lo + 1] - '0') * 10 + (data[lo + 2] - '0');
}

/* The CHECK constraint, on a NUL-terminated string. */
static int
ref_matches_check(const char *s)
{
	if (strlen(s) != 15)
		return 0;
	for (int i = 0; i < 15; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (i < 3 ? !ref_digit(c) : !(ref_digit(c) || (c >= 'A' && c <= 'Z')))
			return 0;
	}
	return 1;
}

/* ---------------------------------------------------------------------- */

/* ticket_nre_parse into an exact-size heap buffer, so ASan sees any overrun. */
static nre_status
parse(const char *in, size_t len, char canonical[NRE_LEN + 1], int *region, nre_error *err)
{
	char	   *out = malloc(NRE_LEN + 1);
	nre_status	st;

	if (out == NULL)
		abort();
	st = ticket_nre_parse(in, len, out, region, err);
	memcpy(canonical, out, NRE_LEN + 1);
	free(out);
	return st;
}

static void
check_round_trip(const char *canonical, int region)
{
	char		buf[NRE_LEN + 4];
	char		out[NRE_LEN + 1];
	int			region2 = -1;
	nre_error	err;

	/* itself */
	CHECK(parse(canonical, NRE_LEN, out, &region2, &err) == NRE_OK &&
		  err.status == NRE_OK && strcmp(out, canonical) == 0 && region2 == region,
		  "canonical form does not re-parse to itself", canonical);
	/* padded, lower case */
	buf[0] = ' ';
	buf[1] = '\t';
	for (int i = 0; i < NRE_LEN; i++)
		buf[2 + i] = (canonical[i] >= 'A' && canonical[i] <= 'Z') ? (char) (canonical[i] + 32) : canonical[i];
	buf[NRE_LEN + 2] = '\n';
	buf[NRE_LEN + 3] = ' ';
	region2 = -1;
	CHECK(parse(buf, sizeof(buf), out, &region2, NULL) == NRE_OK &&
		  strcmp(out, canonical) == 0 && region2 == region,
		  "padded lower-case form does not parse to the canonical one", canonical);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ref_result	ref;
	char		out[NRE_LEN + 1];
	int			region = -1;
	nre_error	err;
	nre_status	st;
	char		shown[41];

	/* 1. The bytes as an NRE. */
	snprintf(shown, sizeof(shown), "%.*s", (int) (size < 40 ? size : 40), (const char *) data);
	ref_parse(data, size, &ref);
	st = parse((const char *) data, size, out, &region, &err);
	CHECK(st == ref.status, "status differs from the reference", shown);
	CHECK(err.status == st, "err.status differs from the return value", shown);
	if (st == NRE_OK)
	{
		CHECK(strcmp(out, ref.canonical) == 0, "canonical form differs from the reference", shown);
		CHECK(region == ref.region, "region differs from the reference", shown);
		CHECK(ref_matches_check(out), "accepted NRE fails the CHECK constraint", out);
		CHECK(err.position == 0 && err.ch == 0 && err.value == 0, "error fields set on success", shown);
		check_round_trip(out, region);
	}
	else
	{
		CHECK(out[0] == '\0', "output not empty on failure", shown);
		CHECK(region == -1, "region written on failure", shown);
		CHECK(err.position == ref.position, "error position differs from the reference", shown);
		CHECK((unsigned char) err.ch == ref.ch, "error character differs from the reference", shown);
		CHECK(err.value == ref.value, "error value differs from the reference", shown);
	}
	/* without the optional outputs, the same verdict */
	CHECK(ticket_nre_parse((const char *) data, size, out, NULL, NULL) == st,
		  "verdict differs without region and err", shown);

	/* 2. A canonical NRE built from the bytes. */
	if (size >= NRE_LEN)
	{
		char		built[NRE_LEN + 1];
		int			want = 0;

		for (int i = 0; i < NRE_LEN; i++)
			built[i] = alphabet[data[i] % (i < NRE_REGION_LEN ? 10 : 36)];
		built[NRE_LEN] = '\0';
		want = (built[0] - '0') * 100 + (built[1] - '0') * 10 + (built[2] - '0');
		CHECK(ref_matches_check(built), "built NRE is not canonical (target bug)", built);
		region = -1;
		CHECK(parse(built, NRE_LEN, out, &region, &err) == NRE_OK &&
			  strcmp(out, built) == 0 && region == want,
			  "a canonical NRE is not accepted as itself", built);
		check_round_trip(built, want);
	}
	return 0;
}
