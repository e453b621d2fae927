/*
 * test/fuzz/fuzz_fiscal_code.c
 *		libFuzzer target for the pure-C fiscal code core.  Built and run by
 *		`make fuzz-check` (clang, -fsanitize=fuzzer,address,undefined);
 *		see README.md beside this file.
 *
 * Every input is used twice:
 *
 * 1. As a string for ticket_cf_parse.  The verdict and the stored value are compared
 *    with an independent reference validator written below from
 *    ../shared/docs/codice-fiscale.md (differential test), the error fields
 *    are checked against the input, and every accepted value must satisfy
 *    the invariants of the header: it re-parses to itself from its
 *    ticket_cf_length() characters, its kind is consistent, and for a personal code
 *    the canonical form and all 128 omocode variants parse and canonicalise
 *    back, ticket_cf_decode succeeds and ticket_cf_latest_birth_year gives an existing date
 *    not after the reference.
 *
 * 2. As the arguments of ticket_cf_encode: the first 9 bytes choose sex, date and
 *    birthplace (mostly valid values, some invalid ones), the rest is split
 *    at the first '|' into surname and given name, each byte mapped to a
 *    letter A-Z (letters to their upper case, so text seeds stay readable).  The expected status is computed independently; a successful
 *    encoding must parse, be canonical, decode to its arguments, and start
 *    with the triplets of ticket_cf_surname_triplet / ticket_cf_given_name_triplet, which
 *    are themselves compared with a reference implementation.
 *
 * Any violation calls abort() after printing what went wrong, which libFuzzer
 * reports as a crash and saves as crash-<sha1> in the working directory.
 */
#include "fiscal_code_core.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NAME 48

static void
fail(const char *what, const char *code16)
{
	fprintf(stderr, "fuzz_fiscal_code: invariant violated: %s", what);
	if (code16)
	{
		fputs(" [", stderr);
		for (int i = 0; i < CF_STORAGE_LEN; i++)
			fputc(code16[i] ? code16[i] : '.', stderr);
		fputc(']', stderr);
	}
	fputc('\n', stderr);
	abort();
}

#define CHECK(cond, what, code) do { if (!(cond)) fail(what, code); } while (0)

/* ---------------------------------------------------------------------- */
/* Reference validator, written independently of fiscal_code_core.c       */
/* ---------------------------------------------------------------------- */

static int
ref_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static int
ref_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
ref_letter(char c)
{
	return c >= 'A' && c <= 'Z';
}

/* value of a digit or an omocode letter, or -1 */
static int
ref_omo_value(char c)
{
	const char *p;

	if (ref_digit(c))
		return c - '0';
	p = c ? strchr("LMNPQRSTUV", c) : NULL;
	return p ? (int) (p - "LMNPQRSTUV") : -1;
}

/* Check character from the two 36-entry tables of §5, indexed 0-9 then A-Z. */
static char
ref_check_char(const char *s)
{
	static const int odd36[36] = {
		1, 0, 5, 7, 9, 13, 15, 17, 19, 21,
		1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16,
		10, 22, 25, 24, 23
	};
	static const int even36[36] = {
		0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
		0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
		20, 21, 22, 23, 24, 25
	};
	int			sum = 0;

	for (int pos = 1; pos <= 15; pos++)
	{
		char		c = s[pos - 1];
		int			k = ref_digit(c) ? c - '0' : c - 'A' + 10;

		sum += (pos % 2 == 1) ? odd36[k] : even36[k];
	}
	return (char) ('A' + sum % 26);
}

/* Standard Luhn over all 11 digits, doubling every second digit from the right. */
static int
ref_luhn_ok(const char *s)
{
	int			sum = 0;

	for (int i = 10, from_right = 0; i >= 0; i--, from_right++)
	{
		int			d = s[i] - '0';

		if (from_right % 2 == 1)
			d = d * 2 > 9 ? d * 2 - 9 : d * 2;
		sum += d;
	}
	return sum % 10 == 0;
}

static int
ref_personal_ok(const char *s)
{
	static const char *const shape[16] = {
		"L", "L", "L", "L", "L", "L", "O", "O", "ABCDEHLMPRST", "O", "O",
		"ABCDEFGHILMZ", "O", "O", "O", "L"
	};
	static const int month_days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int			yy,
				dd,
				month;

	for (int i = 0; i < 16; i++)
	{
		const char *cls = shape[i];

		if (strcmp(cls, "L") == 0)
		{
			if (!ref_letter(s[i]))
				return 0;
		}
		else if (strcmp(cls, "O") == 0)
		{
			if (ref_omo_value(s[i]) < 0)
				return 0;
		}
		else if (!strchr(cls, s[i]))
			return 0;
	}
	month = (int) (strchr("ABCDEHLMPRST", s[8]) - "ABCDEHLMPRST") + 1;
	yy = ref_omo_value(s[6]) * 10 + ref_omo_value(s[7]);
	dd = ref_omo_value(s[9]) * 10 + ref_omo_value(s[10]);
	if (dd > 40)
		dd -= 40;
	if (dd < 1 || dd > 31)
		return 0;
	if (dd > month_days[month - 1])
		return 0;
	if (month == 2 && dd == 29 && yy % 4 != 0)
		return 0;
	return s[15] == ref_check_char(s);
}

static int
ref_health_ok(const char *s)
{
	if (memcmp(s, "STP", 3) != 0 && memcmp(s, "ENI", 3) != 0)
		return 0;
	for (int i = 3; i < 16; i++)
		if (!ref_digit(s[i]))
			return 0;
	return 1;
}

static int
ref_numeric_ok(const char *s)
{
	int			office;

	for (int i = 0; i < 11; i++)
		if (!ref_digit(s[i]))
			return 0;
	if (strncmp(s, "0000000", 7) == 0)
		return 0;
	office = (s[7] - '0') * 100 + (s[8] - '0') * 10 + (s[9] - '0');
	if (!((office >= 1 && office <= 100) || office == 120 || office == 121 ||
		  office == 888 || office == 999))
		return 0;
	return ref_luhn_ok(s);
}

/*
 * Trim, check the characters, fold case; on success the 16-byte storage
 * form.  Returns 1 when valid.  *trimmed and *tlen describe the trimmed input.
 */
static int
ref_parse(const uint8_t *data, size_t size, char out[16],
		  const uint8_t **trimmed, size_t *tlen)
{
	size_t		a = 0,
				b = size;
	char		s[17];

	while (a < b && ref_space(data[a]))
		a++;
	while (b > a && ref_space(data[b - 1]))
		b--;
	*trimmed = data + a;
	*tlen = b - a;
	if (b - a != 11 && b - a != 16)
		return 0;
	memset(s, 0, sizeof(s));
	for (size_t i = a; i < b; i++)
	{
		uint8_t		c = data[i];

		if (c >= 'a' && c <= 'z')
			c = (uint8_t) (c - 'a' + 'A');
		if (!ref_digit((char) c) && !ref_letter((char) c))
			return 0;
		s[i - a] = (char) c;
	}
	if (!(b - a == 11 ? ref_numeric_ok(s) : (ref_health_ok(s) || ref_personal_ok(s))))
		return 0;
	memcpy(out, s, 16);
	return 1;
}

static void
ref_triplet(const char *letters, int given, char out[3])
{
	char		cons[64],
				vow[64];
	int			nc = 0,
				nv = 0,
				k = 0;

	for (const char *p = letters; *p; p++)
	{
		if (strchr("AEIOU", *p))
			vow[nv++] = *p;
		else
			cons[nc++] = *p;
	}
	if (given && nc >= 4)
	{
		out[0] = cons[0];
		out[1] = cons[2];
		out[2] = cons[3];
		return;
	}
	for (int i = 0; i < nc && k < 3; i++)
		out[k++] = cons[i];
	for (int i = 0; i < nv && k < 3; i++)
		out[k++] = vow[i];
	while (k < 3)
		out[k++] = 'X';
}

static int
ref_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
ref_date_ok(int y, int m, int d)
{
	static const int md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (y < 1 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= md[m - 1] + (m == 2 && ref_leap(y));
}

/* y-m-d exists and is on or before the reference date */
static int
on_or_before(int y, int m, int d, int ry, int rm, int rd)
{
	if (d > ticket_cf_days_in_month(y, m))
		return 0;
	return y < ry || (y == ry && (m < rm || (m == rm && d <= rd)));
}

/* ---------------------------------------------------------------------- */

static void
check_error_fields(cf_status st, const cf_error *err, const uint8_t *t, size_t n)
{
	char		up[16];

	CHECK(err->status == st, "err.status differs from the returned status", NULL);
	CHECK(st >= CF_ERR_EMPTY && st <= CF_ERR_CHECK, "ticket_cf_parse returned an encoder-only status", NULL);
	switch (st)
	{
		case CF_ERR_EMPTY:
			CHECK(n == 0, "CF_ERR_EMPTY on a non-blank input", NULL);
			return;
		case CF_ERR_NON_ASCII:
			CHECK(err->position >= 1 && (size_t) err->position <= n &&
				  t[err->position - 1] >= 0x80, "CF_ERR_NON_ASCII position", NULL);
			return;
		case CF_ERR_INNER_SPACE:
			CHECK(err->position > 1 && (size_t) err->position < n &&
				  ref_space(t[err->position - 1]), "CF_ERR_INNER_SPACE position", NULL);
			return;
		case CF_ERR_BAD_CHARACTER:
			CHECK(err->position >= 1 && (size_t) err->position <= n &&
				  (char) t[err->position - 1] == err->ch, "CF_ERR_BAD_CHARACTER position/ch", NULL);
			return;
		case CF_ERR_LENGTH:
			CHECK(n != 11 && n != 16 && err->value == (n > 9999 ? 9999 : (int) n),
				  "CF_ERR_LENGTH value", NULL);
			return;
		default:
			break;
	}
	/* the remaining statuses concern an ASCII alphanumeric input of 11/16 chars */
	CHECK(n == 11 || n == 16, "semantic error on an input of the wrong length", NULL);
	memset(up, 0, sizeof(up));
	for (size_t i = 0; i < n; i++)
		up[i] = (char) ((t[i] >= 'a' && t[i] <= 'z') ? t[i] - 'a' + 'A' : t[i]);
	switch (st)
	{
		case CF_ERR_NUMERIC_NOT_DIGIT:
		case CF_ERR_HEALTH_NOT_DIGIT:
		case CF_ERR_NOT_LETTER:
		case CF_ERR_NOT_DIGIT_OR_OMOCODE:
			CHECK(err->position >= 1 && (size_t) err->position <= n &&
				  up[err->position - 1] == err->ch, "position/ch of a shape error", up);
			break;
		case CF_ERR_NUMERIC_CHECK:
			CHECK(n == 11 && err->expected == ticket_cf_numeric_check_digit(up) &&
				  err->expected != up[10], "CF_ERR_NUMERIC_CHECK expected digit", up);
			break;
		case CF_ERR_MONTH:
			CHECK(n == 16 && err->ch == up[8], "CF_ERR_MONTH ch", up);
			break;
		case CF_ERR_PLACE_LETTER:
			CHECK(n == 16 && err->ch == up[11], "CF_ERR_PLACE_LETTER ch", up);
			break;
		case CF_ERR_CHECK:
			CHECK(n == 16 && err->expected == ref_check_char(up) &&
				  err->expected != up[15], "CF_ERR_CHECK expected character", up);
			break;
		default:
			break;
	}
}

static void
check_personal(const char c[CF_STORAGE_LEN], const uint8_t *data, size_t size)
{
	char		canon[CF_STORAGE_LEN];
	char		v[CF_STORAGE_LEN];
	char		w[CF_STORAGE_LEN];
	char		out[CF_STORAGE_LEN];
	cf_decoded	d,
				dv;
	int			mask = ticket_cf_omocode_mask(c);

	CHECK(mask >= 0 && mask < CF_OMOCODE_FORMS, "mask out of range", c);
	ticket_cf_omocode_variant(c, mask, v);
	CHECK(memcmp(v, c, CF_STORAGE_LEN) == 0, "variant(c, mask(c)) != c", c);

	ticket_cf_canonical(c, canon);
	CHECK(ticket_cf_parse(canon, CF_PERSONAL_LEN, out, NULL) == CF_OK &&
		  memcmp(out, canon, CF_STORAGE_LEN) == 0, "canonical form does not parse", canon);
	CHECK(ticket_cf_omocode_mask(canon) == 0, "canonical form has a non-zero mask", canon);
	CHECK(ticket_cf_kind_of(canon) == CF_KIND_PERSONAL, "canonical form is not personal", canon);

	CHECK(ticket_cf_decode(c, &d), "ticket_cf_decode failed on a personal code", c);
	CHECK(d.month >= 1 && d.month <= 12 && d.day >= 1 &&
		  d.day <= ticket_cf_days_in_month(2000, d.month) && d.year2 >= 0 && d.year2 <= 99 &&
		  (d.sex == 'M' || d.sex == 'F') && ticket_cf_is_belfiore_code(d.birthplace, 4) &&
		  strlen(d.birthplace) == 4, "decoded fields out of range", c);

	for (int m = 0; m < CF_OMOCODE_FORMS; m++)
	{
		ticket_cf_omocode_variant(c, m, v);
		CHECK(ticket_cf_parse(v, CF_PERSONAL_LEN, out, NULL) == CF_OK &&
			  memcmp(out, v, CF_STORAGE_LEN) == 0, "omocode variant does not parse", v);
		CHECK(ticket_cf_omocode_mask(v) == m, "mask of variant m is not m", v);
		ticket_cf_canonical(v, w);
		CHECK(memcmp(w, canon, CF_STORAGE_LEN) == 0, "variant does not canonicalise back", v);
		CHECK(ticket_cf_decode(v, &dv) && dv.year2 == d.year2 && dv.month == d.month &&
			  dv.day == d.day && dv.sex == d.sex &&
			  strcmp(dv.birthplace, d.birthplace) == 0, "variant decodes differently", v);
	}

	/* birth year for a few references, some taken from the input bytes */
	{
		int			refs[4][3] = {{2026, 11, 26}, {2000, 2, 28}, {1900, 3, 1}, {2100, 1, 1}};
		uint32_t	h = 2166136261u;

		for (size_t i = 0; i < size; i++)
			h = (h ^ data[i]) * 16777619u;
		refs[3][0] = 1 + (int) (h % 9999);
		refs[3][1] = 1 + (int) ((h >> 16) % 12);
		refs[3][2] = 1 + (int) ((h >> 8) % (unsigned) ticket_cf_days_in_month(refs[3][0], refs[3][1]));
		for (int r = 0; r < 4; r++)
		{
			int			ry = refs[r][0],
						rm = refs[r][1],
						rd = refs[r][2];
			int			y = ticket_cf_latest_birth_year(d.year2, d.month, d.day, ry, rm, rd);

			CHECK(((y % 100) + 100) % 100 == d.year2, "birth year does not end in year2", c);
			CHECK(on_or_before(y, d.month, d.day, ry, rm, rd),
				  "birth date does not exist or is after the reference", c);
			CHECK(!on_or_before(y + 100, d.month, d.day, ry, rm, rd) &&
				  !on_or_before(y + 200, d.month, d.day, ry, rm, rd) &&
				  !on_or_before(y + 300, d.month, d.day, ry, rm, rd),
				  "birth year is not the latest possible one", c);
		}
	}
}

static void
fuzz_parse(const uint8_t *data, size_t size)
{
	char		out[CF_STORAGE_LEN];
	char		again[CF_STORAGE_LEN];
	char		want[CF_STORAGE_LEN];
	cf_error	err;
	cf_status	st;
	const uint8_t *t;
	size_t		n;
	int			ref_ok;
	int			len;
	cf_kind		kind;

	memset(&err, 0x55, sizeof(err));
	st = ticket_cf_parse((const char *) data, size, out, &err);
	CHECK(ticket_cf_parse((const char *) data, size, again, NULL) == st,
		  "ticket_cf_parse status depends on err being NULL", NULL);
	ref_ok = ref_parse(data, size, want, &t, &n);
	if (st != CF_OK)
	{
		CHECK(!ref_ok, "ticket_cf_parse rejects a code the reference validator accepts", want);
		check_error_fields(st, &err, t, n);
		return;
	}
	CHECK(ref_ok, "ticket_cf_parse accepts a code the reference validator rejects", out);
	CHECK(err.status == CF_OK, "err.status not CF_OK on success", out);
	CHECK(memcmp(out, want, CF_STORAGE_LEN) == 0, "storage differs from the reference", out);

	len = ticket_cf_length(out);
	CHECK(len == CF_NUMERIC_LEN || len == CF_PERSONAL_LEN, "ticket_cf_length not 11 or 16", out);
	CHECK((size_t) len == n, "ticket_cf_length differs from the trimmed input length", out);
	for (int i = 0; i < CF_STORAGE_LEN; i++)
		CHECK(i < len ? (ref_digit(out[i]) || ref_letter(out[i])) : out[i] == '\0',
			  "storage not upper-case alphanumerics with NUL padding", out);

	/* re-parse from the significant characters only */
	memset(again, 'x', sizeof(again));
	CHECK(ticket_cf_parse(out, (size_t) len, again, NULL) == CF_OK &&
		  memcmp(again, out, CF_STORAGE_LEN) == 0, "value does not re-parse to itself", out);

	kind = ticket_cf_kind_of(out);
	if (len == CF_NUMERIC_LEN)
		CHECK(kind == CF_KIND_NUMERIC, "11-digit code is not numeric", out);
	else if (memcmp(out, "STP", 3) == 0 && ref_digit(out[3]))
		CHECK(kind == CF_KIND_STP, "STP code of the wrong kind", out);
	else if (memcmp(out, "ENI", 3) == 0 && ref_digit(out[3]))
		CHECK(kind == CF_KIND_ENI, "ENI code of the wrong kind", out);
	else
		CHECK(kind == CF_KIND_PERSONAL, "personal code of the wrong kind", out);
	CHECK(strcmp(ticket_cf_kind_name(kind), "invalid") != 0, "valid code named invalid", out);

	if (kind == CF_KIND_PERSONAL)
		check_personal(out, data, size);
	else
	{
		cf_decoded	d;

		ticket_cf_canonical(out, again);
		CHECK(ticket_cf_omocode_mask(out) == 0 && memcmp(again, out, CF_STORAGE_LEN) == 0 &&
			  !ticket_cf_decode(out, &d), "non-personal code has omocode data", out);
	}
}

/* ---------------------------------------------------------------------- */

/* A byte as a name letter: a letter as its upper case, anything else mod 26. */
static char
name_letter(uint8_t b)
{
	if (b >= 'A' && b <= 'Z')
		return (char) b;
	if (b >= 'a' && b <= 'z')
		return (char) (b - 'a' + 'A');
	return (char) ('A' + b % 26);
}

static void
fuzz_encode(const uint8_t *data, size_t size)
{
	static const char place_first[] = "ABCDEFGHILMZJNXa";	/* last four invalid or lower case */
	char		surname[MAX_NAME + 1];
	char		given[MAX_NAME + 1];
	char		place[5];
	char		out[CF_STORAGE_LEN];
	char		parsed[CF_STORAGE_LEN];
	char		tri[3],
				rtri[3];
	cf_error	err;
	cf_status	st,
				want;
	char		sex;
	int			year,
				month,
				day,
				ns = 0,
				ng = 0;
	size_t		i;

	if (size < 9)
		return;
	switch (data[0] & 3)
	{
		case 0:
			sex = 'M';
			break;
		case 1:
			sex = 'F';
			break;
		case 2:
			sex = (data[0] & 4) ? 'm' : 'f';
			break;
		default:
			sex = (char) (data[0] >> 2);	/* mostly invalid */
			break;
	}
	year = (int) (((unsigned) data[1] << 8 | data[2]) % 2700) - 20;	/* -20 .. 2679 */
	month = data[3] % 14;		/* 0 .. 13 */
	day = data[4] % 33;			/* 0 .. 32 */
	place[0] = place_first[data[5] % 16];
	for (int k = 1; k < 4; k++)
		place[k] = data[5 + k] % 11 == 10 ? 'N' : (char) ('0' + data[5 + k] % 11);
	place[4] = '\0';
	if ((data[5] & 0xf0) == 0xf0)
		place[data[6] % 4] = '\0';	/* sometimes too short */

	/* names: the rest, split at the first '|', bytes mapped to A-Z */
	for (i = 9; i < size && data[i] != '|'; i++)
		if (ns < MAX_NAME)
			surname[ns++] = name_letter(data[i]);
	surname[ns] = '\0';
	for (i++; i < size; i++)
		if (ng < MAX_NAME)
			given[ng++] = name_letter(data[i]);
	given[ng] = '\0';

	/* expected status, in the documented precedence */
	{
		char		usex = (sex == 'm' || sex == 'f') ? (char) (sex - 'a' + 'A') : sex;
		char		uplace[5];

		for (int k = 0; k < 5; k++)
			uplace[k] = (place[k] >= 'a' && place[k] <= 'z') ? (char) (place[k] - 'a' + 'A') : place[k];
		if (usex != 'M' && usex != 'F')
			want = CF_ERR_SEX;
		else if (!ref_date_ok(year, month, day))
			want = CF_ERR_DATE;
		else if (strlen(uplace) != 4 || !strchr("ABCDEFGHILMZ", uplace[0]) ||
				 !ref_digit(uplace[1]) || !ref_digit(uplace[2]) || !ref_digit(uplace[3]))
			want = CF_ERR_BIRTHPLACE;
		else
			want = CF_OK;
	}

	memset(&err, 0x55, sizeof(err));
	st = ticket_cf_encode(surname, given, sex, year, month, day, place, out, &err);
	CHECK(st == want, "ticket_cf_encode status differs from the expected one", NULL);
	CHECK(err.status == st, "ticket_cf_encode err.status differs from the returned status", NULL);
	CHECK(ticket_cf_encode(surname, given, sex, year, month, day, place, parsed, NULL) == st,
		  "ticket_cf_encode status depends on err being NULL", NULL);
	if (st != CF_OK)
		return;

	CHECK(ticket_cf_parse(out, CF_PERSONAL_LEN, parsed, NULL) == CF_OK &&
		  memcmp(parsed, out, CF_STORAGE_LEN) == 0, "encoded code does not parse to itself", out);
	CHECK(ticket_cf_kind_of(out) == CF_KIND_PERSONAL && ticket_cf_omocode_mask(out) == 0,
		  "encoded code is not a canonical personal code", out);

	ticket_cf_surname_triplet(surname, tri);
	ref_triplet(surname, 0, rtri);
	CHECK(memcmp(tri, out, 3) == 0, "positions 1-3 differ from ticket_cf_surname_triplet", out);
	CHECK(memcmp(tri, rtri, 3) == 0, "ticket_cf_surname_triplet differs from the reference", out);
	ticket_cf_given_name_triplet(given, tri);
	ref_triplet(given, 1, rtri);
	CHECK(memcmp(tri, out + 3, 3) == 0, "positions 4-6 differ from ticket_cf_given_name_triplet", out);
	CHECK(memcmp(tri, rtri, 3) == 0, "ticket_cf_given_name_triplet differs from the reference", out);

	{
		cf_decoded	d;
		char		usex = (sex == 'm' || sex == 'f') ? (char) (sex - 'a' + 'A') : sex;

		CHECK(ticket_cf_decode(out, &d), "encoded code does not decode", out);
		CHECK(d.year2 == year % 100 && d.month == month && d.day == day && d.sex == usex &&
			  d.birthplace[0] == (place[0] == 'a' ? 'A' : place[0]) &&
			  memcmp(d.birthplace + 1, place + 1, 3) == 0,
			  "encoded code decodes to other data", out);
		CHECK(ticket_cf_latest_birth_year(d.year2, month, day, year, month, day) == year,
			  "birth year on the birthday is not the year of birth", out);
	}
}

/*
 * The desk helpers (issue 16): problems agree with the parser and stay in
 * bounds; the normaliser drops only spaces and hyphens; every candidate is
 * a valid personal code one character away, at most one per position.
 */
static void
fuzz_helpers(const uint8_t *data, size_t size)
{
	cf_problem	problems[CF_MAX_PROBLEMS];
	int			np = ticket_cf_problems((const char *) data, size, problems);
	char	   *norm = malloc(size + 1);
	size_t		norm_len = 0;
	cf_status	st;

	CHECK(np >= 0 && np <= CF_MAX_PROBLEMS, "ticket_cf_problems count out of bounds", NULL);
	CHECK((np == 0) == (ticket_cf_parse((const char *) data, size, NULL, NULL) == CF_OK),
		  "ticket_cf_problems finds none but the parser refuses (or the other way round)", NULL);
	for (int i = 0; i < np; i++)
		CHECK(problems[i].error.status != CF_OK && problems[i].error.position >= 0 &&
			  problems[i].error.position <= (int) (size > 9999 ? 9999 : size),
			  "a problem without a status or with a position outside the input", NULL);
	for (int i = 0; i < np; i++)
	{
		static const cf_field field_at[17] = {
			CF_FIELD_CODE, CF_FIELD_SURNAME, CF_FIELD_SURNAME, CF_FIELD_SURNAME,
			CF_FIELD_GIVEN_NAME, CF_FIELD_GIVEN_NAME, CF_FIELD_GIVEN_NAME, CF_FIELD_YEAR, CF_FIELD_YEAR,
			CF_FIELD_MONTH, CF_FIELD_DAY, CF_FIELD_DAY, CF_FIELD_BIRTHPLACE, CF_FIELD_BIRTHPLACE,
			CF_FIELD_BIRTHPLACE, CF_FIELD_BIRTHPLACE, CF_FIELD_CHECK
		};

		if (problems[i].field == CF_FIELD_CODE)
			CHECK(np == 1, "a whole-input problem among others", NULL);
		else
			CHECK(problems[i].error.position >= 1 && problems[i].error.position <= 16 &&
				  field_at[problems[i].error.position] == problems[i].field,
				  "a problem's field is not the field of its position", NULL);
		if (i > 0)
			CHECK(problems[i].error.position > problems[i - 1].error.position,
				  "problems not in position order", NULL);
	}

	st = ticket_cf_normalize((const char *) data, size, norm, &norm_len, NULL);
	if (st == CF_OK)
	{
		size_t		kept = 0;

		for (size_t i = 0; i < size; i++)
			kept += !(data[i] == ' ' || (data[i] >= '\t' && data[i] <= '\r') || data[i] == '-');
		CHECK(norm_len == kept, "the normaliser dropped more than spaces and hyphens", NULL);
		for (size_t i = 0; i < norm_len; i++)
			CHECK(!(norm[i] >= 'a' && norm[i] <= 'z') && norm[i] != '-' && norm[i] != ' ',
				  "the normaliser left a lower-case letter, a hyphen or a space", NULL);
	}
	else
	{
		int			ascii = 1;

		for (size_t i = 0; i < size; i++)
			ascii = ascii && data[i] < 0x80;
		CHECK(st == CF_ERR_NON_ASCII && !ascii, "the normaliser refused ASCII input", NULL);
	}
	free(norm);

	/* a partial code that decodes completes to a valid code with its fields */
	{
		cf_partial	p;
		cf_error	perr;

		memset(&perr, 0x55, sizeof(perr));
		if (ticket_cf_decode_partial((const char *) data, size, &p, &perr) == CF_OK)
		{
			CHECK(perr.status == CF_OK && (p.length == 11 || p.length == 15),
				  "a decoded partial code is not 11 or 15 characters", NULL);
			if (p.length == 15)
			{
				cf_decoded	d;

				CHECK(ticket_cf_parse(p.code, CF_PERSONAL_LEN, NULL, NULL) == CF_OK &&
					  ticket_cf_decode(p.code, &d) && d.day == p.decoded.day &&
					  d.month == p.decoded.month && d.year2 == p.decoded.year2 &&
					  strcmp(d.birthplace, p.decoded.birthplace) == 0,
					  "a 15-character partial code does not complete to the code it decodes", p.code);
			}
		}
		else
			CHECK(perr.status != CF_OK, "ticket_cf_decode_partial failed without a status", NULL);
	}

	if (size >= CF_PERSONAL_LEN)
	{
		char		code[CF_PERSONAL_LEN];
		char		(*out)[CF_STORAGE_LEN] = malloc(CF_MAX_CANDIDATES * CF_STORAGE_LEN);
		int			nc;
		int			per_position[CF_PERSONAL_LEN] = {0};

		for (int i = 0; i < CF_PERSONAL_LEN; i++)
			code[i] = (char) ((data[i] % 37) < 10 ? '0' + data[i] % 37 : (data[i] % 37) < 36 ? 'A' + data[i] % 37 - 10 : '-');
		nc = ticket_cf_candidates(code, out);
		CHECK(nc >= 0 && nc <= CF_PERSONAL_LEN, "more than 16 candidates", code);
		for (int i = 0; i < nc; i++)
		{
			int			diff = 0,
						where = -1;

			for (int k = 0; k < CF_PERSONAL_LEN; k++)
				if (out[i][k] != code[k])
				{
					diff++;
					where = k;
				}
			CHECK(diff == 1 && ticket_cf_parse(out[i], CF_PERSONAL_LEN, NULL, NULL) == CF_OK &&
				  ticket_cf_kind_of(out[i]) == CF_KIND_PERSONAL,
				  "a candidate is not a valid personal code one character away", out[i]);
			CHECK(++per_position[where] == 1, "two candidates at one position", out[i]);
		}
		free(out);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_parse(data, size);
	fuzz_encode(data, size);
	fuzz_helpers(data, size);
	return 0;
}
