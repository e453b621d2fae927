/*
 * test/unit/core_tests.c
 *		Unit tests of the pure-C fiscal code core (extension/src/core), run
 *		without a server by `make core-check` (ASan + UBSan).
 *
 * Output is minimal TAP ("ok N - desc" / "not ok N - desc", plan "1..N" at
 * the end) followed by one summary line "core: N passed, M failed".  The exit
 * status is non-zero when any test failed.
 *
 * Expected values come from ../shared/docs/codice-fiscale.md (worked examples
 * of §5, §6, §8) and were cross-checked with an independent implementation of
 * the check-character table written for these tests.
 */
#include "fiscal_code_core.h"
#include "tap.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ANY INT_MIN				/* "do not check this error field" */

/* Printable form of a storage value (NULs shown as '.'). */
static const char *
show(const char code[CF_STORAGE_LEN])
{
	static char buf[CF_STORAGE_LEN + 1];

	for (int i = 0; i < CF_STORAGE_LEN; i++)
		buf[i] = code[i] ? code[i] : '.';
	buf[CF_STORAGE_LEN] = '\0';
	return buf;
}

static const char *const status_names[] = {
	"CF_OK", "CF_ERR_EMPTY", "CF_ERR_NON_ASCII", "CF_ERR_INNER_SPACE",
	"CF_ERR_BAD_CHARACTER", "CF_ERR_LENGTH", "CF_ERR_NUMERIC_NOT_DIGIT",
	"CF_ERR_NUMERIC_SERIAL", "CF_ERR_NUMERIC_OFFICE", "CF_ERR_NUMERIC_CHECK",
	"CF_ERR_HEALTH_NOT_DIGIT", "CF_ERR_NOT_LETTER",
	"CF_ERR_NOT_DIGIT_OR_OMOCODE", "CF_ERR_MONTH", "CF_ERR_DAY",
	"CF_ERR_DAY_IN_MONTH", "CF_ERR_FEB29", "CF_ERR_PLACE_LETTER",
	"CF_ERR_CHECK", "CF_ERR_SEX", "CF_ERR_BIRTHPLACE",
	"CF_ERR_DATE"
};

static const char *
status_name(cf_status st)
{
	if ((int) st >= 0 && (size_t) st < sizeof(status_names) / sizeof(status_names[0]))
		return status_names[st];
	return "?";
}

/*
 * ticket_cf_parse must accept `input` (first len bytes) and store exactly `storage`
 * (16 bytes, NUL padded for numeric codes) with the given kind and length.
 */
static void
expect_ok_len(const char *desc, const char *input, size_t len,
			  const char *storage, cf_kind kind)
{
	char		out[CF_STORAGE_LEN];
	char		want[CF_STORAGE_LEN];
	cf_error	err;
	cf_status	st;
	size_t		slen = strlen(storage);
	int			good;

	memset(want, 0, sizeof(want));
	memcpy(want, storage, slen);
	memset(out, '#', sizeof(out));
	memset(&err, 0x55, sizeof(err));
	st = ticket_cf_parse(input, len, out, &err);
	good = st == CF_OK && err.status == CF_OK &&
		memcmp(out, want, CF_STORAGE_LEN) == 0 &&
		ticket_cf_kind_of(out) == kind && ticket_cf_length(out) == (int) slen;
	ok(good, "parse ok: %s", desc);
	if (!good)
		diag("got %s, out %s kind %s len %d; want %s kind %s len %d",
			 status_name(st), st == CF_OK ? show(out) : "-",
			 st == CF_OK ? ticket_cf_kind_name(ticket_cf_kind_of(out)) : "-",
			 st == CF_OK ? ticket_cf_length(out) : 0,
			 show(want), ticket_cf_kind_name(kind), (int) slen);
}

static void
expect_ok(const char *input, const char *storage, cf_kind kind)
{
	char		desc[128];

	snprintf(desc, sizeof(desc), "'%s' -> %s (%s)", esc(input, strlen(input)), storage,
			 ticket_cf_kind_name(kind));
	expect_ok_len(desc, input, strlen(input), storage, kind);
}

/*
 * ticket_cf_parse must reject `input` with the given status and error fields; ANY
 * skips a field.  ch and expected are ints so that ANY fits.
 */
static void
expect_err_len(const char *desc, const char *input, size_t len, cf_status status,
			   int position, int ch, int expected, int value, int value2)
{
	char		out[CF_STORAGE_LEN];
	cf_error	err;
	cf_status	st;
	int			good;

	memset(&err, 0x55, sizeof(err));
	st = ticket_cf_parse(input, len, out, &err);
	good = st == status && err.status == status &&
		(position == ANY || err.position == position) &&
		(ch == ANY || err.ch == (char) ch) &&
		(expected == ANY || err.expected == (char) expected) &&
		(value == ANY || err.value == value) &&
		(value2 == ANY || err.value2 == value2);
	ok(good, "parse error: %s -> %s", desc, status_name(status));
	if (!good)
		diag("got %s (err.status %s) position %d ch 0x%02x expected 0x%02x value %d value2 %d",
			 status_name(st), status_name(err.status), err.position,
			 (unsigned char) err.ch, (unsigned char) err.expected, err.value, err.value2);

	/* the same status without an error struct */
	ok(ticket_cf_parse(input, len, out, NULL) == status, "parse error with err = NULL: %s", desc);
}

static void
expect_err(const char *input, cf_status status, int position, int ch,
		   int expected, int value, int value2)
{
	char		desc[160];

	snprintf(desc, sizeof(desc), "'%s'", esc(input, strlen(input)));
	expect_err_len(desc, input, strlen(input), status, position, ch, expected, value, value2);
}

/* Parse a known-valid code into storage form, or abort the whole run. */
static void
must_parse(const char *input, char out[CF_STORAGE_LEN])
{
	if (ticket_cf_parse(input, strlen(input), out, NULL) != CF_OK)
	{
		/* later tests depend on it: stop, still printing the summary */
		ok(0, "fixture '%s' parses", esc(input, strlen(input)));
		printf("Bail out! fixture does not parse\n");
		exit(tap_finish("core") | 1);
	}
}

/* ---------------------------------------------------------------------- */

static void
test_parse_valid(void)
{
	char		buf[64];

	/* personal codes */
	expect_ok("CCCFBA85D03L219P", "CCCFBA85D03L219P", CF_KIND_PERSONAL);
	expect_ok("RSSMRA80A41H501Y", "RSSMRA80A41H501Y", CF_KIND_PERSONAL);
	expect_ok("RSSMRA60A01D620R", "RSSMRA60A01D620R", CF_KIND_PERSONAL);
	expect_ok("MCHFDA07A01D877A", "MCHFDA07A01D877A", CF_KIND_PERSONAL);
	expect_ok("SPSGNR20E16I560K", "SPSGNR20E16I560K", CF_KIND_PERSONAL);
	expect_ok("CCCFBA75D03Z201F", "CCCFBA75D03Z201F", CF_KIND_PERSONAL);
	expect_ok("RSSMRA95A01Z135W", "RSSMRA95A01Z135W", CF_KIND_PERSONAL);
	expect_ok("RSSMRA85A01M436S", "RSSMRA85A01M436S", CF_KIND_PERSONAL);
	expect_ok("BNCLRA90M71Z1N9M", "BNCLRA90M71Z1N9M", CF_KIND_PERSONAL);
	/* a personal code may start with STP / ENI when position 4 is a letter */
	expect_ok("STPABC85A01H501D", "STPABC85A01H501D", CF_KIND_PERSONAL);
	/* omocodes (§6, python-codicefiscale README list) */
	expect_ok("CCCFBA85D03L21VE", "CCCFBA85D03L21VE", CF_KIND_PERSONAL);
	expect_ok("CCCFBA85D03L2MVP", "CCCFBA85D03L2MVP", CF_KIND_PERSONAL);
	expect_ok("CCCFBA85D03LNMVE", "CCCFBA85D03LNMVE", CF_KIND_PERSONAL);
	expect_ok("CCCFBAURDLPLNMVU", "CCCFBAURDLPLNMVU", CF_KIND_PERSONAL);
	expect_ok("RSSMRA80A01H5L1F", "RSSMRA80A01H5L1F", CF_KIND_PERSONAL);	/* middle only */
	/* day limits, 29 February of a year that is leap in some century */
	expect_ok("RSSMRA85A41H501D", "RSSMRA85A41H501D", CF_KIND_PERSONAL);
	expect_ok("RSSMRA85A71H501G", "RSSMRA85A71H501G", CF_KIND_PERSONAL);
	expect_ok("RSSMRA85D70H501N", "RSSMRA85D70H501N", CF_KIND_PERSONAL);
	expect_ok("RSSMRA00B29H501Y", "RSSMRA00B29H501Y", CF_KIND_PERSONAL);
	expect_ok("RSSMRA00B69H501C", "RSSMRA00B69H501C", CF_KIND_PERSONAL);
	expect_ok("RSSMRA04B29H501C", "RSSMRA04B29H501C", CF_KIND_PERSONAL);
	expect_ok("LNEVEA99T71Z999B", "LNEVEA99T71Z999B", CF_KIND_PERSONAL);

	/* trimming and ASCII case folding */
	expect_ok("  cccfba85d03l219p  ", "CCCFBA85D03L219P", CF_KIND_PERSONAL);
	expect_ok("\t\r\n\v\fCcCfBa85D03l219P\f\v\n\r\t", "CCCFBA85D03L219P", CF_KIND_PERSONAL);
	expect_ok("cccfba85d03l21ve", "CCCFBA85D03L21VE", CF_KIND_PERSONAL);
	expect_ok(" 02342520158\n", "02342520158", CF_KIND_NUMERIC);
	expect_ok(" stp1234567890123 ", "STP1234567890123", CF_KIND_STP);
	expect_ok("Eni1234567890123", "ENI1234567890123", CF_KIND_ENI);

	/* numeric codes: storage is 11 digits + 5 NULs */
	expect_ok("02342520158", "02342520158", CF_KIND_NUMERIC);
	expect_ok("00743110157", "00743110157", CF_KIND_NUMERIC);
	/* office codes at the limits: 001, 100, 120, 121, 888, 999 */
	{
		static const char *const offices[] = {"001", "100", "120", "121", "888", "999"};

		for (size_t i = 0; i < sizeof(offices) / sizeof(offices[0]); i++)
		{
			char		first10[11];
			char		code[12];

			snprintf(first10, sizeof(first10), "1234567%s", offices[i]);
			snprintf(code, sizeof(code), "%s%c", first10, ticket_cf_numeric_check_digit(first10));
			expect_ok(code, code, CF_KIND_NUMERIC);
		}
	}

	/* STP / ENI */
	expect_ok("STP1234567890123", "STP1234567890123", CF_KIND_STP);
	expect_ok("ENI0000000000000", "ENI0000000000000", CF_KIND_ENI);

	/* input need not be NUL-terminated: only len bytes are read */
	strcpy(buf, "CCCFBA85D03L219PXYZ");
	expect_ok_len("first 16 bytes of 'CCCFBA85D03L219PXYZ'", buf, 16,
				  "CCCFBA85D03L219P", CF_KIND_PERSONAL);
	strcpy(buf, "0234252015899");
	expect_ok_len("first 11 bytes of '0234252015899'", buf, 11,
				  "02342520158", CF_KIND_NUMERIC);

	/* err = NULL on success */
	{
		char		out[CF_STORAGE_LEN];

		ok(ticket_cf_parse("CCCFBA85D03L219P", 16, out, NULL) == CF_OK &&
		   memcmp(out, "CCCFBA85D03L219P", 16) == 0, "parse ok with err = NULL");
	}
}

static void
test_parse_invalid(void)
{
	char		longbuf[12001];

	/* empty / blank */
	expect_err("", CF_ERR_EMPTY, ANY, ANY, ANY, ANY, ANY);
	expect_err(" \t\r\n\v\f ", CF_ERR_EMPTY, ANY, ANY, ANY, ANY, ANY);
	expect_err_len("len 0 of a non-empty buffer", "CCCFBA85D03L219P", 0,
				   CF_ERR_EMPTY, ANY, ANY, ANY, ANY, ANY);

	/* character classes come before the length; positions are in the trimmed input */
	expect_err("RSSMRA85A01H5\xc3\xa8" "01", CF_ERR_NON_ASCII, 14, ANY, ANY, ANY, ANY);
	expect_err("  \xc3\x89", CF_ERR_NON_ASCII, 1, ANY, ANY, ANY, ANY);
	expect_err("\xff", CF_ERR_NON_ASCII, 1, ANY, ANY, ANY, ANY);
	expect_err("RSSMRA 85A01H501Z", CF_ERR_INNER_SPACE, 7, ANY, ANY, ANY, ANY);
	expect_err("  RSSMRA\t85A01H501Z", CF_ERR_INNER_SPACE, 7, ANY, ANY, ANY, ANY);
	expect_err("RSSMRA-85A01H501Z", CF_ERR_BAD_CHARACTER, 7, '-', ANY, ANY, ANY);
	expect_err(" 0234-2520158", CF_ERR_BAD_CHARACTER, 5, '-', ANY, ANY, ANY);
	expect_err("A.B", CF_ERR_BAD_CHARACTER, 2, '.', ANY, ANY, ANY);
	expect_err_len("'CCCFBA85D03L219' + NUL", "CCCFBA85D03L219\0", 16,
				   CF_ERR_BAD_CHARACTER, 16, '\0', ANY, ANY, ANY);

	/* length */
	expect_err("RSSMRA85A01H501", CF_ERR_LENGTH, ANY, ANY, ANY, 15, ANY);
	expect_err("RSSMRA85A01H501ZZ", CF_ERR_LENGTH, ANY, ANY, ANY, 17, ANY);
	expect_err("  abc  ", CF_ERR_LENGTH, ANY, ANY, ANY, 3, ANY);
	expect_err("0234252015", CF_ERR_LENGTH, ANY, ANY, ANY, 10, ANY);
	expect_err("023425201580", CF_ERR_LENGTH, ANY, ANY, ANY, 12, ANY);
	expect_err("STP123456789012", CF_ERR_LENGTH, ANY, ANY, ANY, 15, ANY);
	memset(longbuf, 'A', sizeof(longbuf) - 1);
	longbuf[sizeof(longbuf) - 1] = '\0';
	expect_err_len("12000 letters (value capped at 9999)", longbuf, strlen(longbuf),
				   CF_ERR_LENGTH, ANY, ANY, ANY, 9999, ANY);

	/* numeric codes (§8) */
	expect_err("0234252015A", CF_ERR_NUMERIC_NOT_DIGIT, 11, 'A', ANY, ANY, ANY);
	expect_err("a2342520158", CF_ERR_NUMERIC_NOT_DIGIT, 1, 'A', ANY, ANY, ANY);
	expect_err("00000000000", CF_ERR_NUMERIC_SERIAL, ANY, ANY, ANY, ANY, ANY);
	expect_err("00000000158", CF_ERR_NUMERIC_SERIAL, ANY, ANY, ANY, ANY, ANY);
	expect_err("12345670000", CF_ERR_NUMERIC_OFFICE, ANY, ANY, ANY, 0, ANY);
	expect_err("12345671010", CF_ERR_NUMERIC_OFFICE, ANY, ANY, ANY, 101, ANY);
	expect_err("12345671190", CF_ERR_NUMERIC_OFFICE, ANY, ANY, ANY, 119, ANY);
	expect_err("12345671220", CF_ERR_NUMERIC_OFFICE, ANY, ANY, ANY, 122, ANY);
	expect_err("12345678870", CF_ERR_NUMERIC_OFFICE, ANY, ANY, ANY, 887, ANY);
	expect_err("12345679980", CF_ERR_NUMERIC_OFFICE, ANY, ANY, ANY, 998, ANY);
	expect_err("00743110158", CF_ERR_NUMERIC_CHECK, ANY, ANY, '7', ANY, ANY);
	expect_err("02342520150", CF_ERR_NUMERIC_CHECK, ANY, ANY, '8', ANY, ANY);

	/* STP / ENI (§9) */
	expect_err("STP123456789012A", CF_ERR_HEALTH_NOT_DIGIT, 16, 'A', ANY, CF_KIND_STP, ANY);
	expect_err("eni123456789x123", CF_ERR_HEALTH_NOT_DIGIT, 13, 'X', ANY, CF_KIND_ENI, ANY);
	expect_err("ENI1A34567890123", CF_ERR_HEALTH_NOT_DIGIT, 5, 'A', ANY, CF_KIND_ENI, ANY);

	/* personal codes: shape, left to right */
	expect_err("R1SMRA85A01H501I", CF_ERR_NOT_LETTER, 2, '1', ANY, ANY, ANY);
	expect_err("1SSMRA85A01H501I", CF_ERR_NOT_LETTER, 1, '1', ANY, ANY, ANY);
	expect_err("RSSMR185A01H501I", CF_ERR_NOT_LETTER, 6, '1', ANY, ANY, ANY);
	expect_err("RSSMRA8591H501ZZ", CF_ERR_NOT_LETTER, 9, '9', ANY, ANY, ANY);
	expect_err("RSSMRA85A011501Z", CF_ERR_NOT_LETTER, 12, '1', ANY, ANY, ANY);
	expect_err("RSSMRA85A01H5011", CF_ERR_NOT_LETTER, 16, '1', ANY, ANY, ANY);
	expect_err("RSSMRA8AA01H501U", CF_ERR_NOT_DIGIT_OR_OMOCODE, 8, 'A', ANY, ANY, ANY);
	expect_err("RSSMRAO5A01H501Z", CF_ERR_NOT_DIGIT_OR_OMOCODE, 7, 'O', ANY, ANY, ANY);
	expect_err("RSSMRA85AK1H501Z", CF_ERR_NOT_DIGIT_OR_OMOCODE, 10, 'K', ANY, ANY, ANY);
	expect_err("RSSMRA85A0WH501Z", CF_ERR_NOT_DIGIT_OR_OMOCODE, 11, 'W', ANY, ANY, ANY);
	expect_err("RSSMRA85A01HA01Z", CF_ERR_NOT_DIGIT_OR_OMOCODE, 13, 'A', ANY, ANY, ANY);
	expect_err("RSSMRA85A01H5Z1Z", CF_ERR_NOT_DIGIT_OR_OMOCODE, 14, 'Z', ANY, ANY, ANY);
	expect_err("RSSMRA85A01H50YZ", CF_ERR_NOT_DIGIT_OR_OMOCODE, 15, 'Y', ANY, ANY, ANY);
	/* shape errors win over later semantic errors */
	expect_err("RSSMRA85Z01J50YZ", CF_ERR_NOT_DIGIT_OR_OMOCODE, 15, 'Y', ANY, ANY, ANY);

	/* month, day, calendar, place, check */
	expect_err("RSSMRA85Z01H501V", CF_ERR_MONTH, ANY, 'Z', ANY, ANY, ANY);
	expect_err("RSSMRA85F01H501V", CF_ERR_MONTH, ANY, 'F', ANY, ANY, ANY);
	expect_err("rssmra85z01j501v", CF_ERR_MONTH, ANY, 'Z', ANY, ANY, ANY);	/* month before place */
	expect_err("RSSMRA85A00H501A", CF_ERR_DAY, ANY, ANY, ANY, 0, ANY);
	expect_err("RSSMRA85A32H501H", CF_ERR_DAY, ANY, ANY, ANY, 32, ANY);
	expect_err("RSSMRA85A40H501E", CF_ERR_DAY, ANY, ANY, ANY, 40, ANY);
	expect_err("RSSMRA85A72H501L", CF_ERR_DAY, ANY, ANY, ANY, 72, ANY);
	expect_err("RSSMRA85A99H501L", CF_ERR_DAY, ANY, ANY, ANY, 99, ANY);
	expect_err("RSSMRA85A3NH501W", CF_ERR_DAY, ANY, ANY, ANY, 32, ANY);	/* omocode day */
	expect_err("RSSMRA85D31H501I", CF_ERR_DAY_IN_MONTH, ANY, ANY, ANY, 31, 4);
	expect_err("RSSMRA85D71H501A", CF_ERR_DAY_IN_MONTH, ANY, ANY, ANY, 31, 4);
	expect_err("RSSMRA85B30H501C", CF_ERR_DAY_IN_MONTH, ANY, ANY, ANY, 30, 2);
	expect_err("RSSMRA84B70H501C", CF_ERR_DAY_IN_MONTH, ANY, ANY, ANY, 30, 2);
	expect_err("RSSMRA85S31H501C", CF_ERR_DAY_IN_MONTH, ANY, ANY, ANY, 31, 11);
	expect_err("RSSMRA23B29H501F", CF_ERR_FEB29, ANY, ANY, ANY, 23, ANY);
	expect_err("RSSMRA01B69H501F", CF_ERR_FEB29, ANY, ANY, ANY, 1, ANY);
	expect_err("RSSMRAPMB29H501F", CF_ERR_FEB29, ANY, ANY, ANY, 31, ANY);	/* omocode year 31 */
	expect_err("RSSMRA85A01J501B", CF_ERR_PLACE_LETTER, ANY, 'J', ANY, ANY, ANY);
	expect_err("RSSMRA85A01N501B", CF_ERR_PLACE_LETTER, ANY, 'N', ANY, ANY, ANY);
	expect_err("RSSMRA85A01Y501B", CF_ERR_PLACE_LETTER, ANY, 'Y', ANY, ANY, ANY);
	expect_err("RSSMRA85A01H501A", CF_ERR_CHECK, 16, 'A', 'Z', ANY, ANY);
	expect_err("CCCFBA85D03L219Q", CF_ERR_CHECK, 16, 'Q', 'P', ANY, ANY);
	/* validator.js' forged omocode (§0.1): the check char of the digits */
	expect_err("CCCFBA85D03L21VP", CF_ERR_CHECK, 16, 'P', 'E', ANY, ANY);
	expect_err(" cccfba85d03l21vp ", CF_ERR_CHECK, 16, 'P', 'E', ANY, ANY);
}

/*
 * The position fields as the fmgr glue prints them: every status that names
 * a position reports the 1-based position of the offending character.
 */
static void
test_error_positions(void)
{
	expect_err("RSSMRA85Z01H501V", CF_ERR_MONTH, 9, 'Z', ANY, ANY, ANY);
	expect_err("RSSMRA85A32H501H", CF_ERR_DAY, 10, ANY, ANY, 32, ANY);
	expect_err("RSSMRA85D31H501I", CF_ERR_DAY_IN_MONTH, 10, ANY, ANY, 31, 4);
	expect_err("RSSMRA23B29H501F", CF_ERR_FEB29, 7, ANY, ANY, 23, ANY);
	expect_err("RSSMRA85A01J501B", CF_ERR_PLACE_LETTER, 12, 'J', ANY, ANY, ANY);
	expect_err("00743110158", CF_ERR_NUMERIC_CHECK, 11, '8', '7', ANY, ANY);
	expect_err("12345671010", CF_ERR_NUMERIC_OFFICE, 8, ANY, ANY, 101, ANY);
}

/*
 * Every single-character substitution in positions 1..15 of a valid code
 * gives an invalid code (the odd table is a permutation of 0..25, §5); a
 * substitution in position 16 is reported as CF_ERR_CHECK with the original
 * check character expected.
 */
static void
test_single_substitutions(const char *code)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	int			accepted = 0;
	int			wrong_check = 0;
	char		s[17];
	char		out[CF_STORAGE_LEN];
	cf_error	err;

	for (int pos = 0; pos < 16; pos++)
		for (const char *a = alphabet; *a; a++)
		{
			if (*a == code[pos])
				continue;
			memcpy(s, code, 17);
			s[pos] = *a;
			if (ticket_cf_parse(s, 16, out, &err) == CF_OK)
			{
				accepted++;
				diag("accepted substitution %s", s);
			}
			else if (pos == 15 && *a >= 'A' && *a <= 'Z' &&
				!(err.status == CF_ERR_CHECK && err.expected == code[15]))
				wrong_check++;
		}
	ok(accepted == 0, "no single-character substitution of %s is valid", code);
	ok(wrong_check == 0, "every other letter in position 16 of %s reports check '%c'",
	   code, code[15]);
}

static void
test_kinds(void)
{
	char		c[CF_STORAGE_LEN];

	must_parse("CCCFBA85D03L219P", c);
	ok(ticket_cf_kind_of(c) == CF_KIND_PERSONAL && ticket_cf_length(c) == 16, "kind/length of a personal code");
	must_parse("CCCFBAURDLPLNMVU", c);
	ok(ticket_cf_kind_of(c) == CF_KIND_PERSONAL && ticket_cf_length(c) == 16, "kind/length of an omocode");
	must_parse("STPABC85A01H501D", c);
	ok(ticket_cf_kind_of(c) == CF_KIND_PERSONAL, "STPABC... is a personal code");
	must_parse("02342520158", c);
	ok(ticket_cf_kind_of(c) == CF_KIND_NUMERIC && ticket_cf_length(c) == 11, "kind/length of a numeric code");
	ok(memcmp(c + 11, "\0\0\0\0\0", 5) == 0, "numeric code padded with 5 NULs");
	must_parse("STP1234567890123", c);
	ok(ticket_cf_kind_of(c) == CF_KIND_STP && ticket_cf_length(c) == 16, "kind/length of an STP code");
	must_parse("ENI1234567890123", c);
	ok(ticket_cf_kind_of(c) == CF_KIND_ENI && ticket_cf_length(c) == 16, "kind/length of an ENI code");

	ok(strcmp(ticket_cf_kind_name(CF_KIND_PERSONAL), "personal") == 0, "kind name personal");
	ok(strcmp(ticket_cf_kind_name(CF_KIND_NUMERIC), "numeric") == 0, "kind name numeric");
	ok(strcmp(ticket_cf_kind_name(CF_KIND_STP), "stp") == 0, "kind name stp");
	ok(strcmp(ticket_cf_kind_name(CF_KIND_ENI), "eni") == 0, "kind name eni");
	ok(strcmp(ticket_cf_kind_name(CF_KIND_INVALID), "invalid") == 0, "kind name invalid");

	/* storage is what memcmp orders: equal text gives equal bytes */
	{
		char		a[CF_STORAGE_LEN];
		char		b[CF_STORAGE_LEN];

		must_parse("02342520158", a);
		must_parse("  02342520158\t", b);
		ok(memcmp(a, b, CF_STORAGE_LEN) == 0, "trimmed and untrimmed numeric inputs store alike");
		must_parse("cccfba85d03l219p", a);
		must_parse("CCCFBA85D03L219P", b);
		ok(memcmp(a, b, CF_STORAGE_LEN) == 0, "lower- and upper-case inputs store alike");
	}
}

static void
test_check_chars(void)
{
	ok(ticket_cf_check_char("CCCFBA85D03L219") == 'P', "check char of CCCFBA85D03L219 is P (§5 worked example)");
	ok(ticket_cf_check_char("CCCFBA85D03L21V") == 'E', "check char of omocode CCCFBA85D03L21V is E");
	ok(ticket_cf_check_char("CCCFBA85D03L2MV") == 'P', "check char of omocode CCCFBA85D03L2MV is P");
	ok(ticket_cf_check_char("CCCFBA85D03LNMV") == 'E', "check char of omocode CCCFBA85D03LNMV is E");
	ok(ticket_cf_check_char("RSSMRA80A41H501") == 'Y', "check char of RSSMRA80A41H501 is Y");
	ok(ticket_cf_check_char("AAAAAAAAAAAAAAA") == (char) ('A' + (8 * 1) % 26), "check char of 15 A's (8 odd A = 1, 7 even A = 0)");
	ok(ticket_cf_check_char("000000000000000") == ticket_cf_check_char("AAAAAAAAAAAAAAA"), "digit d counts as the d-th letter");
	/* with 16-character storage, only the first 15 are read */
	ok(ticket_cf_check_char("CCCFBA85D03L219X") == 'P', "check char ignores a 16th character");

	ok(ticket_cf_numeric_check_digit("0234252015") == '8', "Luhn digit of 0234252015 is 8 (02342520158)");
	ok(ticket_cf_numeric_check_digit("0074311015") == '7', "Luhn digit of 0074311015 is 7 (00743110157)");
	ok(ticket_cf_numeric_check_digit("0000000000") == '0', "Luhn digit of ten zeros is 0");
	{
		/* 1+4+3+8+5+(12-9)+7+0+0+2 = 33 -> 7 */
		ok(ticket_cf_numeric_check_digit("1234567001") == '7', "Luhn digit of 1234567001 is 7");
		/* 9 doubled is 18 -> 9: 0+9+0+9+0+9+0+9+0+9 = 45 -> 5 */
		ok(ticket_cf_numeric_check_digit("0909090909") == '5', "Luhn doubles even positions (0909090909 -> 5)");
		ok(ticket_cf_numeric_check_digit("9090909090") == '5', "Luhn keeps odd positions (9090909090 -> 5)");
	}

	test_single_substitutions("CCCFBA85D03L219P");
	test_single_substitutions("CCCFBAURDLPLNMVU");
	test_single_substitutions("BNCLRA90M71Z1N9M");
}

static void
test_omocodes(void)
{
	static const char *const bases[] = {
		"CCCFBA85D03L219P", "BNCLRA90M71Z1N9M", "RSSMRA00B69H501C", "LNEVEA99T71Z999B"
	};
	char		c[CF_STORAGE_LEN];
	char		v[CF_STORAGE_LEN];
	char		w[CF_STORAGE_LEN];
	char		canon[CF_STORAGE_LEN];

	must_parse("CCCFBA85D03L219P", c);
	ok(ticket_cf_omocode_mask(c) == 0, "mask of a canonical code is 0");
	must_parse("CCCFBA85D03L21VE", c);
	ok(ticket_cf_omocode_mask(c) == 1, "mask of ...L21VE is 1 (bit 0 = position 15)");
	must_parse("CCCFBA85D03L2MVP", c);
	ok(ticket_cf_omocode_mask(c) == 3, "mask of ...L2MVP is 3");
	must_parse("CCCFBA85D03LNMVE", c);
	ok(ticket_cf_omocode_mask(c) == 7, "mask of ...LNMVE is 7");
	must_parse("CCCFBAURDLPLNMVU", c);
	ok(ticket_cf_omocode_mask(c) == 127, "mask of the all-letters form is 127");
	must_parse("RSSMRA80A01H5L1F", c);
	ok(ticket_cf_omocode_mask(c) == 2, "mask of a middle-only omocode H5L1 is 2");
	must_parse("BNCLRA90M71Z1N9M", c);
	ok(ticket_cf_omocode_mask(c) == 2, "mask of Z1N9 is 2 (position 14)");

	must_parse("CCCFBA85D03L219P", c);
	ticket_cf_omocode_variant(c, 1, v);
	ok(memcmp(v, "CCCFBA85D03L21VE", 16) == 0, "variant 1 of CCCFBA85D03L219P is CCCFBA85D03L21VE");
	ticket_cf_omocode_variant(c, 3, v);
	ok(memcmp(v, "CCCFBA85D03L2MVP", 16) == 0, "variant 3 is CCCFBA85D03L2MVP");
	ticket_cf_omocode_variant(c, 7, v);
	ok(memcmp(v, "CCCFBA85D03LNMVE", 16) == 0, "variant 7 is CCCFBA85D03LNMVE");
	ticket_cf_omocode_variant(c, 2, v);
	ok(memcmp(v, "CCCFBA85D03L2M9A", 16) == 0, "variant 2 is CCCFBA85D03L2M9A");
	ticket_cf_omocode_variant(c, 64, v);
	ok(memcmp(v, "CCCFBAU5D03L219M", 16) == 0, "variant 64 (position 7 only) is CCCFBAU5D03L219M");
	ticket_cf_omocode_variant(c, 85, v);
	ok(memcmp(v, "CCCFBAU5DL3LN1VB", 16) == 0, "variant 85 (1010101b) is CCCFBAU5DL3LN1VB");
	ticket_cf_omocode_variant(c, 127, v);
	ok(memcmp(v, "CCCFBAURDLPLNMVU", 16) == 0, "variant 127 is CCCFBAURDLPLNMVU");
	must_parse("CCCFBAURDLPLNMVU", c);
	ticket_cf_canonical(c, v);
	ok(memcmp(v, "CCCFBA85D03L219P", 16) == 0, "canonical of CCCFBAURDLPLNMVU is CCCFBA85D03L219P");
	must_parse("BNCLRA90M71Z1N9M", c);
	ticket_cf_canonical(c, v);
	ok(memcmp(v, "BNCLRA90M71Z129B", 16) == 0, "canonical of BNCLRA90M71Z1N9M is BNCLRA90M71Z129B");
	ticket_cf_omocode_variant(c, 2, v);
	ok(memcmp(v, c, 16) == 0, "variant with its own mask gives the code back");

	/* all 128 masks of several bases, from both the canonical and an omocode form */
	for (size_t b = 0; b < sizeof(bases) / sizeof(bases[0]); b++)
	{
		int			bad_parse = 0,
					bad_mask = 0,
					bad_canon = 0,
					bad_roundtrip = 0,
					bad_decode = 0,
					bad_distinct = 0;
		char		seen[CF_OMOCODE_FORMS][CF_STORAGE_LEN];
		cf_decoded	d0;

		must_parse(bases[b], c);
		ticket_cf_canonical(c, canon);
		ticket_cf_decode(canon, &d0);
		for (int m = 0; m < CF_OMOCODE_FORMS; m++)
		{
			char		out[CF_STORAGE_LEN];
			cf_decoded	d;

			ticket_cf_omocode_variant(c, m, v);
			memcpy(seen[m], v, CF_STORAGE_LEN);
			if (ticket_cf_parse(v, 16, out, NULL) != CF_OK || memcmp(out, v, 16) != 0)
				bad_parse++;
			if (ticket_cf_omocode_mask(v) != m)
				bad_mask++;
			ticket_cf_canonical(v, w);
			if (memcmp(w, canon, 16) != 0)
				bad_canon++;
			/* variant of the variant, back to the mask of the base */
			ticket_cf_omocode_variant(v, ticket_cf_omocode_mask(c), w);
			if (memcmp(w, c, 16) != 0)
				bad_roundtrip++;
			if (!ticket_cf_decode(v, &d) || d.year2 != d0.year2 || d.month != d0.month ||
				d.day != d0.day || d.sex != d0.sex || strcmp(d.birthplace, d0.birthplace) != 0)
				bad_decode++;
			for (int k = 0; k < m; k++)
				if (memcmp(seen[k], v, 16) == 0)
					bad_distinct++;
		}
		ok(bad_parse == 0, "%s: all 128 variants parse to themselves", bases[b]);
		ok(bad_mask == 0, "%s: ticket_cf_omocode_mask(variant m) == m for all 128", bases[b]);
		ok(bad_canon == 0, "%s: all 128 variants canonicalise to the same code", bases[b]);
		ok(bad_roundtrip == 0, "%s: variant(variant(c, m), mask(c)) == c for all 128", bases[b]);
		ok(bad_decode == 0, "%s: all 128 variants decode alike", bases[b]);
		ok(bad_distinct == 0, "%s: the 128 variants are distinct", bases[b]);
	}

	/* other kinds: mask 0, variants and canonical are the code itself */
	{
		static const char *const others[] = {"02342520158", "STP1234567890123", "ENI1234567890123"};

		for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		{
			int			same = 1;

			must_parse(others[i], c);
			for (int m = 0; m < CF_OMOCODE_FORMS; m++)
			{
				ticket_cf_omocode_variant(c, m, v);
				if (memcmp(v, c, CF_STORAGE_LEN) != 0)
					same = 0;
			}
			ticket_cf_canonical(c, v);
			ok(ticket_cf_omocode_mask(c) == 0 && same && memcmp(v, c, CF_STORAGE_LEN) == 0,
			   "%s: mask 0, every variant and the canonical form are the code itself", others[i]);
		}
	}
}

static void
test_decode(void)
{
	char		c[CF_STORAGE_LEN];
	cf_decoded	d;

	must_parse("CCCFBA85D03L219P", c);
	ok(ticket_cf_decode(c, &d) && d.year2 == 85 && d.month == 4 && d.day == 3 && d.sex == 'M' &&
	   strcmp(d.birthplace, "L219") == 0, "decode CCCFBA85D03L219P: 85-04-03 M L219");
	must_parse("RSSMRA80A41H501Y", c);
	ok(ticket_cf_decode(c, &d) && d.year2 == 80 && d.month == 1 && d.day == 1 && d.sex == 'F' &&
	   strcmp(d.birthplace, "H501") == 0, "decode woman RSSMRA80A41H501Y: day 41 -> 1, F");
	must_parse("LNEVEA99T71Z999B", c);
	ok(ticket_cf_decode(c, &d) && d.year2 == 99 && d.month == 12 && d.day == 31 && d.sex == 'F' &&
	   strcmp(d.birthplace, "Z999") == 0, "decode woman day 71 -> 31, December");
	must_parse("RSSMRA00B69H501C", c);
	ok(ticket_cf_decode(c, &d) && d.year2 == 0 && d.month == 2 && d.day == 29 && d.sex == 'F',
	   "decode woman 29 February 00");
	must_parse("BNCLRA90M71Z1N9M", c);
	ok(ticket_cf_decode(c, &d) && d.year2 == 90 && d.month == 8 && d.day == 31 && d.sex == 'F' &&
	   strcmp(d.birthplace, "Z129") == 0, "decode BNCLRA90M71Z1N9M: birthplace Z1N9 -> Z129");
	must_parse("RSSMRA80A01H5L1F", c);
	ok(ticket_cf_decode(c, &d) && d.sex == 'M' && strcmp(d.birthplace, "H501") == 0,
	   "decode RSSMRA80A01H5L1F: birthplace H5L1 -> H501");
	must_parse("CCCFBAURDLPLNMVU", c);
	ok(ticket_cf_decode(c, &d) && d.year2 == 85 && d.month == 4 && d.day == 3 && d.sex == 'M' &&
	   strcmp(d.birthplace, "L219") == 0, "decode all-letters omocode CCCFBAURDLPLNMVU");
	must_parse("CCCFBA75D03Z201F", c);
	ok(ticket_cf_decode(c, &d) && strcmp(d.birthplace, "Z201") == 0 && d.year2 == 75,
	   "decode foreign birthplace Z201");

	must_parse("02342520158", c);
	ok(!ticket_cf_decode(c, &d), "decode of a numeric code returns false");
	must_parse("STP1234567890123", c);
	ok(!ticket_cf_decode(c, &d), "decode of an STP code returns false");
	must_parse("ENI1234567890123", c);
	ok(!ticket_cf_decode(c, &d), "decode of an ENI code returns false");
}

static void
expect_year(int year2, int month, int day, int ry, int rm, int rd, int want, const char *why)
{
	int			got = ticket_cf_latest_birth_year(year2, month, day, ry, rm, rd);

	ok(got == want, "latest year of %02d-%02d-%02d on %04d-%02d-%02d is %d (%s)",
	   year2, month, day, ry, rm, rd, want, why);
	if (got != want)
		diag("got %d", got);
}

/* y-m-d exists and is on or before the reference date */
static int
date_ok(int y, int m, int d, int ry, int rm, int rd)
{
	return d <= ticket_cf_days_in_month(y, m) &&
		(y < ry || (y == ry && (m < rm || (m == rm && d <= rd))));
}

static void
test_birth_year(void)
{
	expect_year(85, 4, 3, 2026, 11, 26, 1985, "future in this century");
	expect_year(26, 11, 26, 2026, 11, 26, 2026, "reference on the birthday");
	expect_year(26, 11, 25, 2026, 11, 26, 2026, "reference the day after");
	expect_year(26, 11, 27, 2026, 11, 26, 1926, "reference the day before");
	expect_year(26, 12, 1, 2026, 11, 26, 1926, "later month");
	expect_year(26, 10, 31, 2026, 11, 26, 2026, "earlier month");
	expect_year(27, 1, 1, 2026, 11, 26, 1927, "next year");
	expect_year(25, 12, 31, 2026, 11, 26, 2025, "last year");
	expect_year(0, 1, 1, 2000, 1, 1, 2000, "first day of 2000");
	expect_year(99, 12, 31, 2000, 1, 1, 1999, "day before the reference");
	expect_year(0, 1, 2, 2000, 1, 1, 1900, "day after the reference, previous century");
	/* 29 February */
	expect_year(0, 2, 29, 2026, 11, 26, 2000, "29 Feb 00 today");
	expect_year(0, 2, 29, 2000, 2, 29, 2000, "29 Feb 00 on the day");
	expect_year(0, 2, 29, 2099, 12, 31, 2000, "29 Feb 00 at the end of the century");
	expect_year(0, 2, 29, 2100, 3, 1, 2000, "29 Feb 00 in 2100: 2100 is not leap");
	expect_year(0, 2, 29, 2101, 6, 1, 2000, "29 Feb 00 in 2101");
	expect_year(0, 2, 29, 2250, 1, 1, 2000, "29 Feb 00 in 2250: 2200, 2100 not leap");
	expect_year(0, 2, 29, 2400, 3, 1, 2400, "29 Feb 00 in 2400 (leap)");
	expect_year(0, 2, 29, 2400, 2, 28, 2000, "29 Feb 00 the day before 29 Feb 2400");
	expect_year(0, 2, 28, 1950, 1, 1, 1900, "28 Feb 00 in 1950");
	expect_year(0, 2, 29, 1950, 1, 1, 1600, "29 Feb 00 in 1950: 1900, 1800, 1700 not leap");
	expect_year(0, 2, 29, 2000, 2, 28, 1600, "29 Feb 00 the day before 29 Feb 2000");
	expect_year(4, 2, 29, 2003, 1, 1, 1904, "29 Feb 04 in 2003");
	expect_year(4, 2, 29, 2004, 2, 29, 2004, "29 Feb 04 on the day");
	expect_year(96, 2, 29, 2026, 11, 26, 1996, "29 Feb 96");
	expect_year(24, 2, 29, 2024, 2, 28, 1924, "29 Feb 24 the day before");
	/* results are never after the reference, for every valid day of a few references */
	{
		static const int refs[][3] = {
			{2026, 11, 26}, {2000, 2, 28}, {2000, 2, 29}, {1900, 3, 1}, {2100, 1, 1},
			{1999, 12, 31}, {2400, 1, 1}
		};
		int			bad = 0;

		for (size_t r = 0; r < sizeof(refs) / sizeof(refs[0]); r++)
			for (int y2 = 0; y2 < 100; y2++)
				for (int m = 1; m <= 12; m++)
					for (int dd = 1; dd <= 31; dd++)
					{
						int			y;
						int			ry = refs[r][0],
									rm = refs[r][1],
									rd = refs[r][2];

						if (dd > ticket_cf_days_in_month(2000, m) || (m == 2 && dd == 29 && y2 % 4 != 0))
							continue;
						y = ticket_cf_latest_birth_year(y2, m, dd, ry, rm, rd);
						if (((y % 100) + 100) % 100 != y2 || !date_ok(y, m, dd, ry, rm, rd) ||
							date_ok(y + 100, m, dd, ry, rm, rd) ||
							date_ok(y + 200, m, dd, ry, rm, rd) ||
							date_ok(y + 300, m, dd, ry, rm, rd))
						{
							if (bad++ < 5)
								diag("year2 %02d %02d-%02d ref %d-%02d-%02d gave %d", y2, m, dd, ry, rm, rd, y);
						}
					}
		ok(bad == 0, "every valid date: result ends in year2, exists, is not after the reference and is the latest such");
	}
}

static void
test_calendar(void)
{
	ok(!ticket_cf_is_leap_year(1900) && ticket_cf_is_leap_year(2000) && ticket_cf_is_leap_year(2024) &&
	   !ticket_cf_is_leap_year(2023) && !ticket_cf_is_leap_year(2100) && ticket_cf_is_leap_year(1600) &&
	   ticket_cf_is_leap_year(2400), "ticket_cf_is_leap_year: Gregorian rules");
	ok(ticket_cf_days_in_month(2024, 2) == 29 && ticket_cf_days_in_month(2023, 2) == 28 &&
	   ticket_cf_days_in_month(1900, 2) == 28 && ticket_cf_days_in_month(2000, 2) == 29,
	   "ticket_cf_days_in_month: February");
	ok(ticket_cf_days_in_month(2023, 1) == 31 && ticket_cf_days_in_month(2023, 4) == 30 &&
	   ticket_cf_days_in_month(2023, 6) == 30 && ticket_cf_days_in_month(2023, 9) == 30 &&
	   ticket_cf_days_in_month(2023, 11) == 30 && ticket_cf_days_in_month(2023, 12) == 31 &&
	   ticket_cf_days_in_month(2023, 7) == 31 && ticket_cf_days_in_month(2023, 8) == 31,
	   "ticket_cf_days_in_month: other months");
	ok(ticket_cf_is_belfiore_code("H501", 4) && ticket_cf_is_belfiore_code("Z999", 4) &&
	   ticket_cf_is_belfiore_code("A000", 4) && ticket_cf_is_belfiore_code("M436", 4),
	   "ticket_cf_is_belfiore_code accepts H501, Z999, A000, M436");
	ok(!ticket_cf_is_belfiore_code("h501", 4) && !ticket_cf_is_belfiore_code("J501", 4) &&
	   !ticket_cf_is_belfiore_code("N501", 4) && !ticket_cf_is_belfiore_code("H50", 3) &&
	   !ticket_cf_is_belfiore_code("H5011", 5) && !ticket_cf_is_belfiore_code("Z1N9", 4) &&
	   !ticket_cf_is_belfiore_code("HABC", 4),
	   "ticket_cf_is_belfiore_code rejects lower case, J/N, wrong length, letters");
}

static void
expect_triplet(const char *letters, int given, const char *want)
{
	char		out[4] = {0, 0, 0, 0};

	if (given)
		ticket_cf_given_name_triplet(letters, out);
	else
		ticket_cf_surname_triplet(letters, out);
	ok(memcmp(out, want, 3) == 0, "%s triplet of %s is %s", given ? "given-name" : "surname",
	   letters, want);
	if (memcmp(out, want, 3) != 0)
		diag("got %.3s", out);
}

static void
test_triplets(void)
{
	expect_triplet("FEDERICO", 1, "FRC");
	expect_triplet("FEDERICO", 0, "FDR");
	expect_triplet("NAZARENO", 0, "NZR");
	expect_triplet("NAZARENO", 1, "NRN");
	expect_triplet("ALESSANDRO", 1, "LSN");
	expect_triplet("ALESSANDRO", 0, "LSS");
	expect_triplet("AL", 1, "LAX");
	expect_triplet("AL", 0, "LAX");
	expect_triplet("FO", 0, "FOX");
	expect_triplet("XI", 0, "XIX");
	expect_triplet("XI", 1, "XIX");
	expect_triplet("SCHWARZENEGGER", 0, "SCH");
	expect_triplet("GIOVANNI", 1, "GNN");
	expect_triplet("MARIATERESA", 1, "MTR");
	expect_triplet("CHRISTIAN", 1, "CRS");
	expect_triplet("MARCO", 1, "MRC");
	expect_triplet("MARCO", 0, "MRC");
	expect_triplet("LUCA", 1, "LCU");
	expect_triplet("ELENA", 1, "LNE");
	expect_triplet("UGO", 1, "GUO");
	expect_triplet("EVA", 1, "VEA");
	expect_triplet("AI", 1, "AIX");
	expect_triplet("RE", 0, "REX");
	expect_triplet("YU", 0, "YUX");
	expect_triplet("ROSSI", 0, "RSS");
	expect_triplet("CACCAMO", 0, "CCC");
	expect_triplet("FABIO", 1, "FBA");
	expect_triplet("A", 0, "AXX");
	expect_triplet("B", 1, "BXX");
	expect_triplet("AEIOU", 1, "AEI");
	expect_triplet("JKWY", 1, "JWY");	/* J K W Y are consonants */
	expect_triplet("JKWY", 0, "JKW");
	expect_triplet("XX", 0, "XXX");
}

static void
expect_encode(const char *surname, const char *given, char sex, int y, int m, int d,
			  const char *place, const char *want)
{
	char		out[CF_STORAGE_LEN];
	char		parsed[CF_STORAGE_LEN];
	cf_error	err;
	cf_status	st;
	int			good;

	memset(&err, 0x55, sizeof(err));
	st = ticket_cf_encode(surname, given, sex, y, m, d, place, out, &err);
	good = st == CF_OK && err.status == CF_OK && memcmp(out, want, 16) == 0 &&
		ticket_cf_parse(out, 16, parsed, NULL) == CF_OK;
	ok(good, "encode %s %s %c %04d-%02d-%02d %s -> %s", surname, given, sex, y, m, d, place, want);
	if (!good)
		diag("got %s %.16s", status_name(st), st == CF_OK ? out : "-");
}

static void
expect_encode_err(const char *surname, const char *given, char sex, int y, int m, int d,
				  const char *place, cf_status status, int ch, int value)
{
	char		out[CF_STORAGE_LEN];
	cf_error	err;
	cf_status	st;
	int			good;

	memset(&err, 0x55, sizeof(err));
	st = ticket_cf_encode(surname, given, sex, y, m, d, place, out, &err);
	good = st == status && err.status == status &&
		(ch == ANY || err.ch == (char) ch) && (value == ANY || err.value == value);
	ok(good, "encode error: '%s' '%s' '%c' %04d-%02d-%02d '%s' -> %s",
	   surname, given, sex ? sex : '0', y, m, d, place, status_name(status));
	if (!good)
		diag("got %s ch 0x%02x value %d", status_name(st), (unsigned char) err.ch, err.value);
	ok(ticket_cf_encode(surname, given, sex, y, m, d, place, out, NULL) == status,
	   "same encode error with err = NULL");
}

static void
test_encode(void)
{
	expect_encode("CACCAMO", "FABIO", 'M', 1985, 4, 3, "L219", "CCCFBA85D03L219P");
	expect_encode("CACCAMO", "FABIO", 'm', 1985, 4, 3, "l219", "CCCFBA85D03L219P");
	expect_encode("ROSSI", "MARIA", 'F', 1980, 1, 1, "H501", "RSSMRA80A41H501Y");
	expect_encode("ROSSI", "MARIA", 'f', 2000, 2, 29, "H501", "RSSMRA00B69H501C");
	expect_encode("ROSSI", "MARIA", 'M', 2000, 2, 29, "H501", "RSSMRA00B29H501Y");
	expect_encode("ROSSI", "MARIA", 'M', 2400, 2, 29, "H501", "RSSMRA00B29H501Y");
	expect_encode("ROSSI", "MARIA", 'M', 1904, 2, 29, "H501", "RSSMRA04B29H501C");
	expect_encode("ROSSI", "MARIA", 'F', 1985, 1, 31, "H501", "RSSMRA85A71H501G");
	expect_encode("ROSSI", "MARIA", 'M', 1960, 1, 1, "D620", "RSSMRA60A01D620R");
	expect_encode("BIANCHI", "LAURA", 'F', 1990, 8, 31, "Z129", "BNCLRA90M71Z129B");
	expect_encode("LENE", "EVA", 'F', 1999, 12, 31, "Z999", "LNEVEA99T71Z999B");
	expect_encode("ROSSI", "MARIA", 'M', 1, 1, 1, "H501", "RSSMRA01A01H501D");

	/* no letters: the triplet is XXX, not an error (§2) */
	expect_encode("ROSSI", "", 'M', 1985, 12, 10, "A562", "RSSXXX85T10A562R");
	expect_encode("", "MARIA", 'M', 1985, 1, 1, "H501", "XXXMRA85A01H501I");
	expect_encode("", "", 'F', 1990, 5, 20, "Z210", "XXXXXX90E60Z210F");
	expect_triplet("", 0, "XXX");
	expect_triplet("", 1, "XXX");

	/* errors, and their precedence: sex, date, birthplace */
	expect_encode_err("", "", 'X', 0, 0, 0, "", CF_ERR_SEX, 'X', ANY);
	expect_encode_err("ROSSI", "MARIA", 'X', 1985, 1, 1, "H501", CF_ERR_SEX, 'X', ANY);
	expect_encode_err("ROSSI", "MARIA", '\0', 1985, 1, 1, "H501", CF_ERR_SEX, ANY, ANY);
	expect_encode_err("ROSSI", "MARIA", 'X', 0, 0, 0, "", CF_ERR_SEX, 'X', ANY);
	expect_encode_err("ROSSI", "MARIA", 'M', 0, 1, 1, "H501", CF_ERR_DATE, ANY, ANY);
	expect_encode_err("ROSSI", "MARIA", 'M', -5, 1, 1, "H501", CF_ERR_DATE, ANY, ANY);
	expect_encode_err("ROSSI", "MARIA", 'M', 1985, 0, 1, "H501", CF_ERR_DATE, ANY, ANY);
	expect_encode_err("ROSSI", "MARIA", 'M', 1985, 13, 1, "H501", CF_ERR_DATE, ANY, ANY);
	expect_encode_err("ROSSI", "MARIA", 'M', 1985, 1, 0, "H501", CF_ERR_DATE, ANY, ANY);
	expect_encode_err("ROSSI", "MARIA", 'M', 1985, 1, 32, "H501", CF_ERR_DATE, ANY, ANY);
	expect_encode_err("ROSSI", "MARIA", 'M', 1985, 4, 31, "H501", CF_ERR_DATE, ANY, ANY);
	expect_encode_err("ROSSI", "MARIA", 'M', 1900, 2, 29, "H501", CF_ERR_DATE, ANY, ANY);
	expect_encode_err("ROSSI", "MARIA", 'M', 2100, 2, 29, "H501", CF_ERR_DATE, ANY, ANY);
	expect_encode_err("ROSSI", "MARIA", 'M', 2023, 2, 29, "H501", CF_ERR_DATE, ANY, ANY);
	expect_encode_err("ROSSI", "MARIA", 'M', 1985, 13, 1, "", CF_ERR_DATE, ANY, ANY);
	expect_encode_err("ROSSI", "MARIA", 'M', 1985, 1, 1, "", CF_ERR_BIRTHPLACE, ANY, ANY);
	expect_encode_err("ROSSI", "MARIA", 'M', 1985, 1, 1, "H50", CF_ERR_BIRTHPLACE, ANY, ANY);
	expect_encode_err("ROSSI", "MARIA", 'M', 1985, 1, 1, "H5011", CF_ERR_BIRTHPLACE, ANY, ANY);
	expect_encode_err("ROSSI", "MARIA", 'M', 1985, 1, 1, "J501", CF_ERR_BIRTHPLACE, ANY, ANY);
	expect_encode_err("ROSSI", "MARIA", 'M', 1985, 1, 1, "Z1N9", CF_ERR_BIRTHPLACE, ANY, ANY);
	expect_encode_err("ROSSI", "MARIA", 'M', 1985, 1, 1, "H5O1", CF_ERR_BIRTHPLACE, ANY, ANY);

	/* every valid date of a leap and a common year, both sexes, round-trips through decode */
	{
		int			bad = 0;

		for (int y = 1999; y <= 2000; y++)
			for (int m = 1; m <= 12; m++)
				for (int d = 1; d <= ticket_cf_days_in_month(y, m); d++)
					for (int s = 0; s < 2; s++)
					{
						char		out[CF_STORAGE_LEN];
						char		parsed[CF_STORAGE_LEN];
						cf_decoded	dec;

						if (ticket_cf_encode("VERDI", "GIUSEPPE", s ? 'F' : 'M', y, m, d, "B293", out, NULL) != CF_OK ||
							ticket_cf_parse(out, 16, parsed, NULL) != CF_OK ||
							!ticket_cf_decode(parsed, &dec) || dec.year2 != y % 100 ||
							dec.month != m || dec.day != d || dec.sex != (s ? 'F' : 'M') ||
							strcmp(dec.birthplace, "B293") != 0 ||
							ticket_cf_latest_birth_year(dec.year2, m, d, 2026, 11, 26) != y)
							bad++;
					}
		ok(bad == 0, "encode -> parse -> decode round trip for every day of 1999 and 2000, M and F");
	}
}

/*
 * ticket_cf_problems(input) must report exactly `want`: "field@position/STATUS"
 * items separated by spaces ("" for a valid code); `expected` is the check
 * character the last problem carries ('\0': not checked).
 */
static void
expect_problems(const char *input, const char *want, char expected)
{
	cf_problem	problems[CF_MAX_PROBLEMS];
	char		got[1024] = "";
	int			n = ticket_cf_problems(input, strlen(input), problems);
	int			good;

	for (int i = 0; i < n; i++)
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s@%d/%s", i ? " " : "",
				 ticket_cf_field_name(problems[i].field), problems[i].error.position,
				 status_name(problems[i].error.status));
	good = strcmp(got, want) == 0 &&
		(expected == '\0' || (n > 0 && problems[n - 1].error.expected == expected));
	ok(good, "problems of '%s': %s", input, want[0] ? want : "none");
	if (!good)
		diag("got '%s' expected '%c'", got, n > 0 ? problems[n - 1].error.expected : '-');
}

static void
test_problems(void)
{
	/* valid codes of every kind: no problem */
	expect_problems("CCCFBA85D03L219P", "", '\0');
	expect_problems(" cccfba85d03l21ve ", "", '\0');
	expect_problems("RSSXXX85T10A562R", "", '\0');
	expect_problems("02342520158", "", '\0');
	expect_problems("STP0800001234567", "", '\0');

	/* one field at a time */
	expect_problems("CCCFBA85D03L219X", "check@16/CF_ERR_CHECK", 'P');
	expect_problems("CCCFBA85D03L2191", "check@16/CF_ERR_NOT_LETTER", 'P');
	expect_problems("C1CFBA85D03L219P", "surname@2/CF_ERR_NOT_LETTER", '\0');
	expect_problems("CCCF-A85D03L219P", "given_name@5/CF_ERR_NOT_LETTER", '\0');
	expect_problems("CCCFBA8AD03L219P", "year@8/CF_ERR_NOT_DIGIT_OR_OMOCODE", '\0');
	expect_problems("CCCFBA85F03L219P", "month@9/CF_ERR_MONTH", '\0');
	/* the month left out, the rest shifted left and padded: both letter positions flagged */
	expect_problems("CCCFBA8503L219PX", "month@9/CF_ERR_NOT_LETTER birthplace@12/CF_ERR_NOT_LETTER", '\0');
	expect_problems("CCCFBA85D32L219P", "day@10/CF_ERR_DAY", '\0');
	expect_problems("CCCFBA85D31L219P", "day@10/CF_ERR_DAY_IN_MONTH", '\0');
	expect_problems("CCCFBA85B29L219P", "year@7/CF_ERR_FEB29", '\0');
	expect_problems("CCCFBA85D03N219P", "birthplace@12/CF_ERR_PLACE_LETTER", '\0');
	expect_problems("CCCFBA85D03LA19P", "birthplace@13/CF_ERR_NOT_DIGIT_OR_OMOCODE", '\0');

	/* several fields at once, each reported; no check verdict then */
	expect_problems("1CCFBA8XF32J219P", "surname@1/CF_ERR_NOT_LETTER year@8/CF_ERR_NOT_DIGIT_OR_OMOCODE "
					"month@9/CF_ERR_MONTH day@10/CF_ERR_DAY birthplace@12/CF_ERR_PLACE_LETTER", '\0');

	/* not 16 ASCII characters, or STP/ENI: what the parser says */
	expect_problems("", "code@0/CF_ERR_EMPTY", '\0');
	expect_problems("CCCFBA85D03L219", "code@0/CF_ERR_LENGTH", '\0');
	expect_problems("CCCFBA85D03L219PP", "code@0/CF_ERR_LENGTH", '\0');
	expect_problems("CCCFBA85D03L21\xc3\xa8", "code@15/CF_ERR_NON_ASCII", '\0');
	expect_problems("CCCFBA85 03L219P", "code@9/CF_ERR_INNER_SPACE", '\0');
	expect_problems("02342520157", "code@11/CF_ERR_NUMERIC_CHECK", '\0');
	expect_problems("STP080000123456X", "code@16/CF_ERR_HEALTH_NOT_DIGIT", '\0');

	/* agrees with the parser: no problem exactly when it accepts */
	{
		int			bad = 0;
		char		code[17] = "CCCFBA85D03L219P";
		const char *alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-";

		for (int i = 0; i < 16; i++)
			for (const char *a = alphabet; *a; a++)
			{
				cf_problem	problems[CF_MAX_PROBLEMS];
				char		saved = code[i];

				code[i] = *a;
				if ((ticket_cf_problems(code, 16, problems) == 0) !=
					(ticket_cf_parse(code, 16, NULL, NULL) == CF_OK))
					bad++;
				code[i] = saved;
			}
		ok(bad == 0, "ticket_cf_problems finds none exactly when ticket_cf_parse accepts (%d bad)", bad);
	}
}

/* Vectors below come from an independent script written from the rule (§5, §6). */
static void
test_omocode_levels(void)
{
	static const char *const caccamo[8] = {
		"CCCFBA85D03L219P", "CCCFBA85D03L21VE", "CCCFBA85D03L2MVP", "CCCFBA85D03LNMVE",
		"CCCFBA85D0PLNMVA", "CCCFBA85DLPLNMVL", "CCCFBA8RDLPLNMVX", "CCCFBAURDLPLNMVU"
	};
	static const char *const rossi[8] = {
		"RSSXXX85T10A562R", "RSSXXX85T10A56NG", "RSSXXX85T10A5SNS", "RSSXXX85T10ARSNN",
		"RSSXXX85T1LARSNQ", "RSSXXX85TMLARSNB", "RSSXXX8RTMLARSNN", "RSSXXXURTMLARSNK"
	};

	for (int level = 0; level <= 7; level++)
	{
		char		out[CF_STORAGE_LEN];
		char		from_omocode[CF_STORAGE_LEN];

		ticket_cf_omocode_level(caccamo[0], level, out);
		/* the level applies to the data, whatever form the input has */
		ticket_cf_omocode_level(caccamo[7], level, from_omocode);
		ok(memcmp(out, caccamo[level], 16) == 0 && memcmp(from_omocode, caccamo[level], 16) == 0 &&
		   ticket_cf_parse(out, 16, NULL, NULL) == CF_OK &&
		   ticket_cf_omocode_mask(out) == (1 << level) - 1,
		   "omocode level %d of CCCFBA85D03L219P is %s", level, caccamo[level]);
		ticket_cf_omocode_level(rossi[0], level, out);
		ok(memcmp(out, rossi[level], 16) == 0, "omocode level %d of RSSXXX85T10A562R is %s",
		   level, rossi[level]);
	}
}

static void
expect_normalize(const char *input, const char *want, int bad_position)
{
	char		out[64];
	size_t		out_len = 99;
	cf_error	err;
	cf_status	st = ticket_cf_normalize(input, strlen(input), out, &out_len, &err);
	int			good;

	if (want)
		good = st == CF_OK && out_len == strlen(want) && memcmp(out, want, out_len) == 0;
	else
		good = st == CF_ERR_NON_ASCII && err.status == CF_ERR_NON_ASCII &&
			err.position == bad_position && out_len == 0;
	ok(good, "normalize '%s' -> %s", input, want ? want : "CF_ERR_NON_ASCII");
	if (!good)
		diag("got %s '%.*s' position %d", status_name(st), (int) out_len, out, err.position);
}

static void
expect_candidates(const char *input, int count, const char *must_contain)
{
	char		(*out)[CF_STORAGE_LEN] = malloc(CF_MAX_CANDIDATES * CF_STORAGE_LEN);
	int			n = ticket_cf_candidates(input, out);
	int			found = must_contain == NULL;
	int			bad = 0;

	for (int i = 0; i < n; i++)
	{
		int			diff = 0;

		for (int k = 0; k < 16; k++)
			diff += out[i][k] != input[k];
		if (diff != 1 || ticket_cf_parse(out[i], 16, NULL, NULL) != CF_OK ||
			ticket_cf_kind_of(out[i]) != CF_KIND_PERSONAL)
			bad++;
		if (must_contain && memcmp(out[i], must_contain, 16) == 0)
			found = 1;
	}
	ok(n == count && found && bad == 0, "%d candidates for %s%s%s", count, input,
	   must_contain ? ", among them " : "", must_contain ? must_contain : "");
	if (!(n == count && found && bad == 0))
		diag("got %d, found %d, bad %d", n, found, bad);
	free(out);
}

static void
test_normalize_and_candidates(void)
{
	expect_normalize(" cccfba85d03l219p ", "CCCFBA85D03L219P", 0);
	expect_normalize("CCC FBA 85D03 L219P", "CCCFBA85D03L219P", 0);
	expect_normalize("ccc-fba-85d03-l219p\t\n", "CCCFBA85D03L219P", 0);
	expect_normalize("0234 2520 158", "02342520158", 0);
	expect_normalize("CCC.FBA", "CCC.FBA", 0);	/* kept: the type says what is wrong */
	expect_normalize("", "", 0);
	expect_normalize(" - ", "", 0);
	expect_normalize("CCC\xc2\xa0" "FBA", NULL, 4);	/* no-break space is not ASCII */
	expect_normalize("CCCFBA85D03L21\xc3\xa8", NULL, 15);
	expect_normalize("\xe2\x80\x93" "CCC", NULL, 1);	/* en dash */

	expect_candidates("CCCFBA85D03L219X", 13, "CCCFBA85D03L219P");
	expect_candidates("CCCFXA85D03L219P", 15, "CCCFBA85D03L219P");
	expect_candidates("CCCFBA85D03L219P", 0, NULL);
	expect_candidates("RSSXXX85T10A562R", 0, NULL);
	/* validator.js's forgery (check over the de-omocoded form): the real omocode is a candidate */
	expect_candidates("CCCFBA85D03L21VP", 15, "CCCFBA85D03L21VE");
	expect_candidates("STP0800001234567", 0, NULL);	/* STP/ENI codes have no check: none */
	expect_candidates("CCCFBA85D03L219-", 1, "CCCFBA85D03L219P");
	expect_candidates("----------------", 0, NULL);
}

static void
expect_partial(const char *input, const char *surname, const char *given, int year2, int month,
			   int day, char sex, const char *place, const char *code)
{
	cf_partial	p;
	cf_error	err;
	cf_status	st = ticket_cf_decode_partial(input, strlen(input), &p, &err);
	int			good = st == CF_OK && err.status == CF_OK &&
		strcmp(p.surname, surname) == 0 && strcmp(p.given_name, given) == 0 &&
		p.decoded.year2 == year2 && p.decoded.month == month && p.decoded.day == day &&
		p.decoded.sex == sex && strcmp(p.decoded.birthplace, place) == 0 &&
		p.length == (code ? 15 : 11) && (code == NULL || memcmp(p.code, code, 16) == 0);

	ok(good, "partial '%s' -> %s %s %02d/%02d/%02d %c '%s' %s", input, surname, given, year2, month, day,
	   sex, place, code ? code : "");
	if (!good)
		diag("got %s %s %s %d/%d/%d %c '%s'", status_name(st), p.surname, p.given_name, p.decoded.year2,
			 p.decoded.month, p.decoded.day, p.decoded.sex, p.decoded.birthplace);
}

static void
expect_partial_err(const char *input, cf_status status, int position, int value)
{
	cf_partial	p;
	cf_error	err;
	cf_status	st = ticket_cf_decode_partial(input, strlen(input), &p, &err);
	int			good = st == status && err.status == status &&
		(position == ANY || err.position == position) && (value == ANY || err.value == value);

	ok(good, "partial error '%s' -> %s", input, status_name(status));
	if (!good)
		diag("got %s position %d value %d", status_name(st), err.position, err.value);
}

static void
test_partial(void)
{
	expect_partial("CCCFBA85D03", "CCC", "FBA", 85, 4, 3, 'M', "", NULL);
	expect_partial(" cccfba85d03l219 ", "CCC", "FBA", 85, 4, 3, 'M', "L219", "CCCFBA85D03L219P");
	expect_partial("CCCFBA85D03L21V", "CCC", "FBA", 85, 4, 3, 'M', "L219", "CCCFBA85D03L21VE");
	expect_partial("RSSMRA85T50A562", "RSS", "MRA", 85, 12, 10, 'F', "A562", "RSSMRA85T50A562W");
	expect_partial("XXXMRA00B69H501", "XXX", "MRA", 0, 2, 29, 'F', "H501", "XXXMRA00B69H501L");
	expect_partial("CCCFBAURDLP", "CCC", "FBA", 85, 4, 3, 'M', "", NULL);	/* omocode letters */
	expect_partial_err("XXXMRALLB", CF_ERR_LENGTH, ANY, 9);

	expect_partial_err("CCCFBA85D0", CF_ERR_LENGTH, ANY, 10);
	expect_partial_err("CCCFBA85D03L219P", CF_ERR_LENGTH, ANY, 16);
	expect_partial_err("", CF_ERR_LENGTH, ANY, 0);
	expect_partial_err("CCCFBA85D3\xc3\xa8", CF_ERR_NON_ASCII, 11, ANY);
	expect_partial_err("CC1FBA85D03", CF_ERR_NOT_LETTER, 3, ANY);
	expect_partial_err("CCCFBA85F03", CF_ERR_MONTH, 9, ANY);
	expect_partial_err("CCCFBA85D32", CF_ERR_DAY, 10, 32);
	expect_partial_err("CCCFBA85D31", CF_ERR_DAY_IN_MONTH, 10, 31);
	expect_partial_err("CCCFBA85B29", CF_ERR_FEB29, 7, 85);
	expect_partial_err("CCCFBA85D03N219", CF_ERR_PLACE_LETTER, 12, ANY);
	expect_partial_err("CCCFBA85D03L2A9", CF_ERR_NOT_DIGIT_OR_OMOCODE, 14, ANY);
	expect_partial_err("CCCFBA85D03 219", CF_ERR_NOT_LETTER, 12, ANY);
}

/* "1" or "0" per field of ticket_cf_match_fields, in its order. */
static void
expect_match(const char *code, const char *computed, const char *want)
{
	bool		m[CF_MATCH_FIELDS];
	char		got[CF_MATCH_FIELDS + 1] = "";
	bool		personal = ticket_cf_match_fields(code, computed, m);

	if (personal)
		for (int i = 0; i < CF_MATCH_FIELDS; i++)
			got[i] = m[i] ? '1' : '0';
	got[CF_MATCH_FIELDS] = '\0';
	ok(strcmp(got, want) == 0, "match fields of %.16s against %.16s: %s", code, computed, want[0] ? want : "not personal");
	if (strcmp(got, want) != 0)
		diag("got %s", got);
}

static void
test_match_fields(void)
{
	/* surname, given_name, sex, year, month, day, birthplace */
	expect_match("CCCFBA85D03L219P", "CCCFBA85D03L219P", "1111111");
	expect_match("CCCFBAURDLPLNMVU", "CCCFBA85D03L219P", "1111111");	/* an omocode matches */
	expect_match("CCCFBA85D03L219P", "CCCFBA85D43L219T", "1101111");	/* a woman in the data */
	expect_match("CCCFBA85D03L219P", "CCCFBA86D03L219Q", "1110111");
	expect_match("CCCFBA85D03L219P", "CCCFBA85E03L219N", "1111011");
	expect_match("CCCFBA85D03L219P", "CCCFBA85D04L219Q", "1111101");
	expect_match("CCCFBA85D03L219P", "CCCFBA85D03H501R", "1111110");
	expect_match("CCCFBA85D03L219P", "RSSMRA85D03L219A", "0011111");
	expect_match("RSSXXX85T10A56NG", "RSSMRA85T10A562S", "1011111");
	expect_match("02342520158", "CCCFBA85D03L219P", "");
}

int
main(void)
{
	test_parse_valid();
	test_parse_invalid();
	test_error_positions();
	test_kinds();
	test_check_chars();
	test_omocodes();
	test_decode();
	test_birth_year();
	test_calendar();
	test_triplets();
	test_encode();
	test_problems();
	test_omocode_levels();
	test_normalize_and_candidates();
	test_partial();
	test_match_fields();

	return tap_finish("core");
}
