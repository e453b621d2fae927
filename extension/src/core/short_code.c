/*
 * short_code.c
 *		Pure-C short codes (income bands, exemptions): see short_code.h.
 *
 * Table driven, no locale calls: case folding is ASCII-only on purpose.
 */
#include "short_code.h"

#include "ascii.h"

/* digit_of: the base-37 digit of a canonical character, 0 for anything else. */
static const unsigned char digit_of[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5,
	['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
	['G'] = 17, ['H'] = 18, ['I'] = 19, ['J'] = 20, ['K'] = 21, ['L'] = 22,
	['M'] = 23, ['N'] = 24, ['O'] = 25, ['P'] = 26, ['Q'] = 27, ['R'] = 28,
	['S'] = 29, ['T'] = 30, ['U'] = 31, ['V'] = 32, ['W'] = 33, ['X'] = 34,
	['Y'] = 35, ['Z'] = 36,
};

/*
 * The character of each base-37 digit; digit 0 is the pad.  A string
 * literal, so sized with its terminating NUL (GCC 15 refuses a literal
 * that does not fit with it).
 */
static const char char_of[] = "\0" "0123456789" "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
_Static_assert(sizeof(char_of) == SHORT_CODE_RADIX + 1, "one character per base-37 digit");

static inline void
set_error(sc_error *err, sc_status status, int position, char ch)
{
	if (err)
	{
		err->status = status;
		err->position = position;
		err->ch = ch;
		err->value = 0;
	}
}

bool
ticket_short_code_pack(const char *s, size_t len, uint32_t *out)
{
	uint32_t	packed = 0;

	if (len < 1 || len > SHORT_CODE_MAX_LEN)
		return false;
	for (size_t i = 0; i < SHORT_CODE_MAX_LEN; i++)
	{
		unsigned int digit = 0;

		if (i < len)
		{
			digit = digit_of[(unsigned char) s[i]];
			if (digit == 0)
				return false;
		}
		packed = packed * SHORT_CODE_RADIX + digit;
	}
	*out = packed;
	return true;
}

size_t
ticket_short_code_unpack(uint32_t packed, char out[SHORT_CODE_MAX_LEN + 1])
{
	unsigned char digits[SHORT_CODE_MAX_LEN];
	size_t		n = 0;

	for (int i = SHORT_CODE_MAX_LEN - 1; i >= 0; i--)
	{
		digits[i] = (unsigned char) (packed % SHORT_CODE_RADIX);
		packed /= SHORT_CODE_RADIX;
	}
	out[0] = '\0';
	if (packed != 0)			/* 37^6 or more */
		return 0;
	while (n < SHORT_CODE_MAX_LEN && digits[n] != 0)
	{
		out[n] = char_of[digits[n]];
		n++;
	}
	for (size_t i = n; i < SHORT_CODE_MAX_LEN; i++)
		if (digits[i] != 0)		/* a character after the pad */
		{
			out[0] = '\0';
			return 0;
		}
	out[n] = '\0';
	return n;
}

sc_status
ticket_short_code_normalize(const char *input, size_t len, char out[SHORT_CODE_MAX_LEN + 1],
					 size_t *out_len, sc_error *err)
{
	size_t		start = 0;
	size_t		end = len;
	size_t		n;

	ascii_trim(input, &start, &end);
	n = end - start;
	out[0] = '\0';
	if (n == 0)
	{
		set_error(err, SC_ERR_EMPTY, 0, 0);
		return SC_ERR_EMPTY;
	}

	/* Characters first, so that the length message is not misleading. */
	for (size_t i = 0; i < n; i++)
	{
		unsigned char c = (unsigned char) input[start + i];
		unsigned char upper = ascii_upper_alnum[c];

		if (upper == 0)
		{
			sc_status	status = c >= 0x80 ? SC_ERR_NON_ASCII :
				ascii_is_space(c) ? SC_ERR_INNER_SPACE : SC_ERR_BAD_CHARACTER;

			/* all bytes before are ASCII: the byte position is the character's */
			set_error(err, status, (int) i + 1, c >= 0x80 ? 0 : (char) c);
			out[0] = '\0';
			return status;
		}
		if (i < SHORT_CODE_MAX_LEN)
			out[i] = (char) upper;
	}
	if (n > SHORT_CODE_MAX_LEN)
	{
		set_error(err, SC_ERR_TOO_LONG, 0, 0);
		if (err)
			err->value = n > 9999 ? 9999 : (int) n;
		out[0] = '\0';
		return SC_ERR_TOO_LONG;
	}
	out[n] = '\0';
	*out_len = n;
	if (err)
		set_error(err, SC_OK, 0, 0);
	return SC_OK;
}

sc_status
ticket_income_band_parse(const char *input, size_t len, uint32_t *packed, sc_error *err)
{
	char		code[SHORT_CODE_MAX_LEN + 1];
	size_t		n;
	sc_status	status = ticket_short_code_normalize(input, len, code, &n, err);

	if (status != SC_OK)
		return status;
	if (code[0] >= '0' && code[0] <= '9')
	{
		set_error(err, SC_ERR_BAND_FIRST_NOT_LETTER, 1, code[0]);
		return SC_ERR_BAND_FIRST_NOT_LETTER;
	}
	/* cannot fail: normalize left 1..6 upper-case letters and digits */
	ticket_short_code_pack(code, n, packed);
	return SC_OK;
}
