/*
 * fiscal_code_core.c
 *		Pure-C fiscal code rules: see fiscal_code_core.h.
 *
 * Table driven, no regular expressions, no locale calls: case folding is
 * ASCII-only on purpose (a Turkish locale must not change a code).
 */
#include "fiscal_code_core.h"

#include "ascii.h"

#include <string.h>

/* The 7 positions (0-based) that hold digits or omocode letters, left to right. */
static const int omocode_positions[7] = {6, 7, 9, 10, 12, 13, 14};

/* Omocode letter for each digit: 0→L 1→M … 9→V (§6). */
static const char omocode_letter[10] = {'L', 'M', 'N', 'P', 'Q', 'R', 'S', 'T', 'U', 'V'};

/* Month letters A B C D E H L M P R S T = January … December (§3). */
static const char month_letters[12] = {'A', 'B', 'C', 'D', 'E', 'H', 'L', 'M', 'P', 'R', 'S', 'T'};

/*
 * Lookup tables indexed by byte, so that parsing does no searching: the
 * validation of a code costs a few tens of nanoseconds.
 *
 * digit_value_plus1: 1 + the digit a character stands for in an omocode
 * position (a digit, or its omocode letter); 0 for anything else.
 */
static const unsigned char digit_value_plus1[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5,
	['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['L'] = 1, ['M'] = 2, ['N'] = 3, ['P'] = 4, ['Q'] = 5,
	['R'] = 6, ['S'] = 7, ['T'] = 8, ['U'] = 9, ['V'] = 10,
	/* lower case: the fast path reads the input before folding it */
	['l'] = 1, ['m'] = 2, ['n'] = 3, ['p'] = 4, ['q'] = 5, ['r'] = 6, ['s'] = 7, ['t'] = 8, ['u'] = 9, ['v'] = 10,
};

/* Days of each month in a common year (29 February is checked apart). */
static const unsigned char days_in_common_year[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

/* month_of: 1..12 for a month letter, 0 for anything else. */
static const unsigned char month_of[256] = {
	['A'] = 1, ['B'] = 2, ['C'] = 3, ['D'] = 4, ['E'] = 5, ['H'] = 6,
	['L'] = 7, ['M'] = 8, ['P'] = 9, ['R'] = 10, ['S'] = 11, ['T'] = 12,
	/* lower case: the fast path reads the input before folding it */
	['a'] = 1, ['b'] = 2, ['c'] = 3, ['d'] = 4, ['e'] = 5, ['h'] = 6, ['l'] = 7, ['m'] = 8, ['p'] = 9, ['r'] = 10, ['s'] = 11, ['t'] = 12,
};

/*
 * Check-character values (§5).  Odd positions (1-based): the table below; a
 * digit takes the value of the letter in its column (0 as A, 1 as B, …).
 * Even positions: digits 0–9, letters A–Z 0–25.
 */
static const unsigned char odd_value[256] = {
	['0'] = 1, ['1'] = 0, ['2'] = 5, ['3'] = 7, ['4'] = 9,
	['5'] = 13, ['6'] = 15, ['7'] = 17, ['8'] = 19, ['9'] = 21,
	['A'] = 1, ['B'] = 0, ['C'] = 5, ['D'] = 7, ['E'] = 9, ['F'] = 13,
	['G'] = 15, ['H'] = 17, ['I'] = 19, ['J'] = 21, ['K'] = 2, ['L'] = 4,
	['M'] = 18, ['N'] = 20, ['O'] = 11, ['P'] = 3, ['Q'] = 6, ['R'] = 8,
	['S'] = 12, ['T'] = 14, ['U'] = 16, ['V'] = 10, ['W'] = 22, ['X'] = 25,
	['Y'] = 24, ['Z'] = 23,
	/* lower case: the fast path reads the input before folding it */
	['a'] = 1, ['b'] = 0, ['c'] = 5, ['d'] = 7, ['e'] = 9, ['f'] = 13, ['g'] = 15, ['h'] = 17, ['i'] = 19, ['j'] = 21, ['k'] = 2, ['l'] = 4, ['m'] = 18, ['n'] = 20, ['o'] = 11, ['p'] = 3, ['q'] = 6, ['r'] = 8, ['s'] = 12, ['t'] = 14, ['u'] = 16, ['v'] = 10, ['w'] = 22, ['x'] = 25, ['y'] = 24, ['z'] = 23,
};

static const unsigned char even_value[256] = {
	['0'] = 0, ['1'] = 1, ['2'] = 2, ['3'] = 3, ['4'] = 4, ['5'] = 5, ['6'] = 6, ['7'] = 7,
	['8'] = 8, ['9'] = 9, ['A'] = 0, ['B'] = 1, ['C'] = 2, ['D'] = 3, ['E'] = 4, ['F'] = 5,
	['G'] = 6, ['H'] = 7, ['I'] = 8, ['J'] = 9, ['K'] = 10, ['L'] = 11, ['M'] = 12, ['N'] = 13,
	['O'] = 14, ['P'] = 15, ['Q'] = 16, ['R'] = 17, ['S'] = 18, ['T'] = 19, ['U'] = 20, ['V'] = 21,
	['W'] = 22, ['X'] = 23, ['Y'] = 24, ['Z'] = 25,
	/* lower case: the fast path reads the input before folding it */
	['a'] = 0, ['b'] = 1, ['c'] = 2, ['d'] = 3, ['e'] = 4, ['f'] = 5, ['g'] = 6, ['h'] = 7, ['i'] = 8, ['j'] = 9, ['k'] = 10, ['l'] = 11, ['m'] = 12, ['n'] = 13, ['o'] = 14, ['p'] = 15, ['q'] = 16, ['r'] = 17, ['s'] = 18, ['t'] = 19, ['u'] = 20, ['v'] = 21, ['w'] = 22, ['x'] = 23, ['y'] = 24, ['z'] = 25,
};

/* Character classes of an upper-cased code, and what each position needs. */
#define CC_LETTER 1
#define CC_DIGIT_OR_OMOCODE 2
#define CC_PLACE_LETTER 4		/* A–I, L, M, Z: first letter of every Belfiore code (§1) */
static const unsigned char char_class[256] = {
	['0'] = CC_DIGIT_OR_OMOCODE, ['1'] = CC_DIGIT_OR_OMOCODE, ['2'] = CC_DIGIT_OR_OMOCODE, ['3'] = CC_DIGIT_OR_OMOCODE,
	['4'] = CC_DIGIT_OR_OMOCODE, ['5'] = CC_DIGIT_OR_OMOCODE, ['6'] = CC_DIGIT_OR_OMOCODE, ['7'] = CC_DIGIT_OR_OMOCODE,
	['8'] = CC_DIGIT_OR_OMOCODE, ['9'] = CC_DIGIT_OR_OMOCODE, ['A'] = CC_LETTER | CC_PLACE_LETTER, ['B'] = CC_LETTER | CC_PLACE_LETTER,
	['C'] = CC_LETTER | CC_PLACE_LETTER, ['D'] = CC_LETTER | CC_PLACE_LETTER, ['E'] = CC_LETTER | CC_PLACE_LETTER, ['F'] = CC_LETTER | CC_PLACE_LETTER,
	['G'] = CC_LETTER | CC_PLACE_LETTER, ['H'] = CC_LETTER | CC_PLACE_LETTER, ['I'] = CC_LETTER | CC_PLACE_LETTER, ['J'] = CC_LETTER,
	['K'] = CC_LETTER, ['L'] = CC_LETTER | CC_DIGIT_OR_OMOCODE | CC_PLACE_LETTER, ['M'] = CC_LETTER | CC_DIGIT_OR_OMOCODE | CC_PLACE_LETTER, ['N'] = CC_LETTER | CC_DIGIT_OR_OMOCODE,
	['O'] = CC_LETTER, ['P'] = CC_LETTER | CC_DIGIT_OR_OMOCODE, ['Q'] = CC_LETTER | CC_DIGIT_OR_OMOCODE, ['R'] = CC_LETTER | CC_DIGIT_OR_OMOCODE,
	['S'] = CC_LETTER | CC_DIGIT_OR_OMOCODE, ['T'] = CC_LETTER | CC_DIGIT_OR_OMOCODE, ['U'] = CC_LETTER | CC_DIGIT_OR_OMOCODE, ['V'] = CC_LETTER | CC_DIGIT_OR_OMOCODE,
	['W'] = CC_LETTER, ['X'] = CC_LETTER, ['Y'] = CC_LETTER, ['Z'] = CC_LETTER | CC_PLACE_LETTER,
	/* lower case: the fast path reads the input before folding it */
	['a'] = CC_LETTER | CC_PLACE_LETTER, ['b'] = CC_LETTER | CC_PLACE_LETTER, ['c'] = CC_LETTER | CC_PLACE_LETTER, ['d'] = CC_LETTER | CC_PLACE_LETTER, ['e'] = CC_LETTER | CC_PLACE_LETTER, ['f'] = CC_LETTER | CC_PLACE_LETTER, ['g'] = CC_LETTER | CC_PLACE_LETTER, ['h'] = CC_LETTER | CC_PLACE_LETTER, ['i'] = CC_LETTER | CC_PLACE_LETTER, ['j'] = CC_LETTER, ['k'] = CC_LETTER, ['l'] = CC_LETTER | CC_DIGIT_OR_OMOCODE | CC_PLACE_LETTER, ['m'] = CC_LETTER | CC_DIGIT_OR_OMOCODE | CC_PLACE_LETTER, ['n'] = CC_LETTER | CC_DIGIT_OR_OMOCODE, ['o'] = CC_LETTER, ['p'] = CC_LETTER | CC_DIGIT_OR_OMOCODE, ['q'] = CC_LETTER | CC_DIGIT_OR_OMOCODE, ['r'] = CC_LETTER | CC_DIGIT_OR_OMOCODE, ['s'] = CC_LETTER | CC_DIGIT_OR_OMOCODE, ['t'] = CC_LETTER | CC_DIGIT_OR_OMOCODE, ['u'] = CC_LETTER | CC_DIGIT_OR_OMOCODE, ['v'] = CC_LETTER | CC_DIGIT_OR_OMOCODE, ['w'] = CC_LETTER, ['x'] = CC_LETTER, ['y'] = CC_LETTER, ['z'] = CC_LETTER | CC_PLACE_LETTER,
};
static const unsigned char position_needs[16] = {
	CC_LETTER, CC_LETTER, CC_LETTER, CC_LETTER, CC_LETTER, CC_LETTER,
	CC_DIGIT_OR_OMOCODE, CC_DIGIT_OR_OMOCODE, CC_LETTER,
	CC_DIGIT_OR_OMOCODE, CC_DIGIT_OR_OMOCODE, CC_LETTER,
	CC_DIGIT_OR_OMOCODE, CC_DIGIT_OR_OMOCODE, CC_DIGIT_OR_OMOCODE, CC_LETTER
};


static inline bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool
is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static inline char
ascii_upper(char c)
{
	return (c >= 'a' && c <= 'z') ? (char) (c - 'a' + 'A') : c;
}

/* Digit value of a character in an omocode position, or -1. */
static inline int
omocode_digit(char c)
{
	return (int) digit_value_plus1[(unsigned char) c] - 1;
}

static inline int
month_of_letter(char c)
{
	return month_of[(unsigned char) c];
}

static inline bool
is_place_letter(char c)
{
	return (char_class[(unsigned char) c] & CC_PLACE_LETTER) != 0;
}

static inline void
set_error(cf_error *err, cf_status status, int position, char ch)
{
	if (err)
	{
		memset(err, 0, sizeof(*err));
		err->status = status;
		err->position = position;
		err->ch = ch;
	}
}

bool
ticket_cf_is_leap_year(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int
ticket_cf_days_in_month(int year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (month < 1 || month > 12)
		return 0;				/* no day exists in a month that does not */
	if (month == 2 && ticket_cf_is_leap_year(year))
		return 29;
	return days[month - 1];
}

char
ticket_cf_check_char(const char *first15)
{
	int			sum = 0;

	/* i is 0-based, so even i is an odd (1-based) position */
	for (int i = 0; i < 15; i += 2)
		sum += odd_value[(unsigned char) first15[i]];
	for (int i = 1; i < 15; i += 2)
		sum += even_value[(unsigned char) first15[i]];
	return (char) ('A' + sum % 26);
}

char
ticket_cf_numeric_check_digit(const char *first10)
{
	int			sum = 0;

	for (int i = 0; i < 10; i++)
	{
		int			d = first10[i] - '0';

		if (i % 2 == 1)			/* even 1-based position: doubled */
		{
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	return (char) ('0' + (10 - sum % 10) % 10);
}

bool
ticket_cf_is_belfiore_code(const char *code, size_t len)
{
	return len == 4 && is_upper(code[0]) && is_place_letter(code[0]) &&
		is_digit(code[1]) && is_digit(code[2]) && is_digit(code[3]);
}

/* 11-digit numeric code: serial, office range, Luhn (§8). */
static cf_status
parse_numeric(const char *s, cf_error *err)
{
	int			office;
	char		expected;

	for (int i = 0; i < CF_NUMERIC_LEN; i++)
		if (!is_digit(s[i]))
		{
			set_error(err, CF_ERR_NUMERIC_NOT_DIGIT, i + 1, s[i]);
			return CF_ERR_NUMERIC_NOT_DIGIT;
		}
	if (memcmp(s, "0000000", 7) == 0)
	{
		set_error(err, CF_ERR_NUMERIC_SERIAL, 1, s[0]);
		return CF_ERR_NUMERIC_SERIAL;
	}
	office = (s[7] - '0') * 100 + (s[8] - '0') * 10 + (s[9] - '0');
	if (!((office >= 1 && office <= 100) || office == 120 || office == 121 ||
		  office == 888 || office == 999))
	{
		set_error(err, CF_ERR_NUMERIC_OFFICE, 8, s[7]);
		if (err)
			err->value = office;
		return CF_ERR_NUMERIC_OFFICE;
	}
	expected = ticket_cf_numeric_check_digit(s);
	if (s[10] != expected)
	{
		set_error(err, CF_ERR_NUMERIC_CHECK, 11, s[10]);
		if (err)
			err->expected = expected;
		return CF_ERR_NUMERIC_CHECK;
	}
	return CF_OK;
}

/* STP / ENI: prefix and 13 digits, no check character (§9). */
static cf_status
parse_health(const char *s, cf_kind kind, cf_error *err)
{
	for (int i = 3; i < CF_PERSONAL_LEN; i++)
		if (!is_digit(s[i]))
		{
			set_error(err, CF_ERR_HEALTH_NOT_DIGIT, i + 1, s[i]);
			if (err)
				err->value = kind;
			return CF_ERR_HEALTH_NOT_DIGIT;
		}
	return CF_OK;
}

static inline int
two_digits(const char *s)
{
	return omocode_digit(s[0]) * 10 + omocode_digit(s[1]);
}

/*
 * Shape of a 16-character personal code: each character checked against
 * what its position holds (letter, or digit/omocode letter; the tables take
 * either case) and, when s is not NULL, folded into s (in place when
 * raw == s), adding up the check-character values of positions 1-15 on
 * the way.  A byte that is not an ASCII letter or digit
 * fails like a wrong letter: ticket_cf_parse only calls this on such input with
 * err = NULL, as a fast path, and finds the precise error on its own.
 */
static cf_status
personal_shape(const char *raw, char s[CF_STORAGE_LEN], int *check_sum, cf_error *err)
{
	int			sum = 0;

	/* Unrolled, the position checks and the parity become constants. */
#if defined(__clang__)
#pragma clang loop unroll(full)
#elif defined(__GNUC__)
#pragma GCC unroll 16
#endif
	for (int i = 0; i < 16; i++)
	{
		unsigned char c = (unsigned char) raw[i];

		if ((char_class[c] & position_needs[i]) == 0)
		{
			cf_status	status = position_needs[i] == CC_LETTER ?
				CF_ERR_NOT_LETTER : CF_ERR_NOT_DIGIT_OR_OMOCODE;

			set_error(err, status, i + 1, raw[i]);
			return status;
		}
		if (s)
			s[i] = (char) ascii_upper_alnum[c];
		/* 0-based even i is an odd 1-based position */
		if (i < 15)
			sum += (i % 2 == 0) ? odd_value[c] : even_value[c];
	}
	*check_sum = sum;
	return CF_OK;
}

/*
 * The fields of a personal code whose shape is right: month, day, calendar,
 * birthplace letter, check character (§1–§6).  s may still be in either case
 * (the tables take both); errors report the folded characters.
 */
static cf_status
personal_fields(const char *s, int check_sum, cf_error *err)
{
	int			month;
	int			day_field;
	int			day;
	int			year2;
	char		expected;

	month = month_of_letter(s[8]);
	if (month == 0)
	{
		set_error(err, CF_ERR_MONTH, 9, (char) ascii_upper_alnum[(unsigned char) s[8]]);
		return CF_ERR_MONTH;
	}

	day_field = two_digits(s + 9);
	if (!((day_field >= 1 && day_field <= 31) || (day_field >= 41 && day_field <= 71)))
	{
		set_error(err, CF_ERR_DAY, 10, (char) ascii_upper_alnum[(unsigned char) s[9]]);
		if (err)
			err->value = day_field;
		return CF_ERR_DAY;
	}
	day = day_field > 40 ? day_field - 40 : day_field;
	year2 = two_digits(s + 6);

	/*
	 * The date must exist in at least one century.  Only 29 February
	 * depends on the century, and year2 % 4 == 0 is leap in some century
	 * (00 through 2000).
	 */
	if (month == 2 && day == 29)
	{
		if (year2 % 4 != 0)
		{
			set_error(err, CF_ERR_FEB29, 7, (char) ascii_upper_alnum[(unsigned char) s[6]]);
			if (err)
				err->value = year2;
			return CF_ERR_FEB29;
		}
	}
	else if (day > days_in_common_year[month - 1])
	{
		set_error(err, CF_ERR_DAY_IN_MONTH, 10, (char) ascii_upper_alnum[(unsigned char) s[9]]);
		if (err)
		{
			err->value = day;
			err->value2 = month;
		}
		return CF_ERR_DAY_IN_MONTH;
	}

	if (!is_place_letter(s[11]))
	{
		set_error(err, CF_ERR_PLACE_LETTER, 12, (char) ascii_upper_alnum[(unsigned char) s[11]]);
		return CF_ERR_PLACE_LETTER;
	}

	expected = (char) ('A' + check_sum % 26);
	if ((char) ascii_upper_alnum[(unsigned char) s[15]] != expected)
	{
		set_error(err, CF_ERR_CHECK, 16, (char) ascii_upper_alnum[(unsigned char) s[15]]);
		if (err)
			err->expected = expected;
		return CF_ERR_CHECK;
	}
	return CF_OK;
}

/* s is already folded and holds only ASCII letters and digits. */
static cf_status
parse_personal(char s[CF_STORAGE_LEN], cf_error *err)
{
	int			check_sum;
	cf_status	status = personal_shape(s, s, &check_sum, err);

	return status != CF_OK ? status : personal_fields(s, check_sum, err);
}

/* ticket_cf_parse's last step: hand out the value of a valid code. */
static inline cf_status
parse_result(cf_status status, const char s[CF_STORAGE_LEN], char *out, cf_error *err)
{
	if (status == CF_OK)
	{
		if (out)
			memcpy(out, s, CF_STORAGE_LEN);
		if (err)
			err->status = CF_OK;
	}
	return status;
}

cf_status
ticket_cf_parse(const char *input, size_t len, char out[CF_STORAGE_LEN], cf_error *err)
{
	size_t		start = 0;
	size_t		end = len;
	size_t		n;
	char		s[CF_STORAGE_LEN];
	cf_status	status;

	ascii_trim(input, &start, &end);
	n = end - start;
	if (n == 0)
	{
		set_error(err, CF_ERR_EMPTY, 0, 0);
		return CF_ERR_EMPTY;
	}

	if (n == CF_PERSONAL_LEN)
	{
		int			check_sum;

		/*
		 * The common case, a well-formed personal code, in one pass (folded
		 * into s only when the caller wants the value).  If anything is off
		 * the general path below finds the error with the documented
		 * precedence.
		 */
		if (personal_shape(input + start, out ? s : NULL, &check_sum, NULL) == CF_OK)
			return parse_result(personal_fields(out ? s : input + start, check_sum, err),
								s, out, err);
	}

	/*
	 * Character classes first, so the length message is not misleading;
	 * case is folded into s in the same pass when the input fits.
	 */
	memset(s, 0, sizeof(s));
	for (size_t i = 0; i < n; i++)
	{
		unsigned char c = (unsigned char) input[start + i];
		unsigned char upper = ascii_upper_alnum[c];

		if (upper == 0)
		{
			status = c >= 0x80 ? CF_ERR_NON_ASCII :
				ascii_is_space(c) ? CF_ERR_INNER_SPACE : CF_ERR_BAD_CHARACTER;
			set_error(err, status, (int) i + 1, c >= 0x80 ? 0 : (char) c);
			return status;
		}
		s[i & (CF_STORAGE_LEN - 1)] = (char) upper;	/* only kept when n <= 16 */
	}

	if (n != CF_PERSONAL_LEN && n != CF_NUMERIC_LEN)
	{
		set_error(err, CF_ERR_LENGTH, 0, 0);
		if (err)
			err->value = n > 9999 ? 9999 : (int) n;
		return CF_ERR_LENGTH;
	}

	if (n == CF_NUMERIC_LEN)
		status = parse_numeric(s, err);
	else if ((memcmp(s, "STP", 3) == 0 || memcmp(s, "ENI", 3) == 0) && is_digit(s[3]))
		/* a personal code has a letter in position 4, so this is unambiguous */
		status = parse_health(s, s[0] == 'S' ? CF_KIND_STP : CF_KIND_ENI, err);
	else
		status = parse_personal(s, err);
	return parse_result(status, s, out, err);
}

int
ticket_cf_length(const char code[CF_STORAGE_LEN])
{
	return code[CF_NUMERIC_LEN] == '\0' ? CF_NUMERIC_LEN : CF_PERSONAL_LEN;
}

cf_kind
ticket_cf_kind_of(const char code[CF_STORAGE_LEN])
{
	if (code[CF_NUMERIC_LEN] == '\0')
		return CF_KIND_NUMERIC;
	if (is_digit(code[3]))
		return code[0] == 'S' ? CF_KIND_STP : CF_KIND_ENI;
	return CF_KIND_PERSONAL;
}

const char *
ticket_cf_kind_name(cf_kind kind)
{
	switch (kind)
	{
		case CF_KIND_PERSONAL:
			return "personal";
		case CF_KIND_NUMERIC:
			return "numeric";
		case CF_KIND_STP:
			return "stp";
		case CF_KIND_ENI:
			return "eni";
		default:
			return "invalid";
	}
}

int
ticket_cf_omocode_mask(const char code[CF_STORAGE_LEN])
{
	int			mask = 0;

	if (ticket_cf_kind_of(code) != CF_KIND_PERSONAL)
		return 0;
	for (int i = 0; i < 7; i++)
		if (!is_digit(code[omocode_positions[i]]))
			mask |= 1 << (6 - i);
	return mask;
}

void
ticket_cf_omocode_variant(const char code[CF_STORAGE_LEN], int mask, char out[CF_STORAGE_LEN])
{
	memcpy(out, code, CF_STORAGE_LEN);
	if (ticket_cf_kind_of(code) != CF_KIND_PERSONAL)
		return;
	for (int i = 0; i < 7; i++)
	{
		int			pos = omocode_positions[i];
		int			digit = omocode_digit(code[pos]);

		out[pos] = (mask & (1 << (6 - i))) ? omocode_letter[digit] : (char) ('0' + digit);
	}
	out[15] = ticket_cf_check_char(out);
}

void
ticket_cf_canonical(const char code[CF_STORAGE_LEN], char out[CF_STORAGE_LEN])
{
	ticket_cf_omocode_variant(code, 0, out);
}

bool
ticket_cf_decode(const char code[CF_STORAGE_LEN], cf_decoded *out)
{
	int			day_field;

	if (ticket_cf_kind_of(code) != CF_KIND_PERSONAL)
		return false;
	out->year2 = two_digits(code + 6);
	out->month = month_of_letter(code[8]);
	day_field = two_digits(code + 9);
	out->sex = day_field > 40 ? 'F' : 'M';
	out->day = day_field > 40 ? day_field - 40 : day_field;
	out->birthplace[0] = code[11];
	for (int i = 0; i < 3; i++)
		out->birthplace[i + 1] = (char) ('0' + omocode_digit(code[12 + i]));
	out->birthplace[4] = '\0';
	return true;
}

int
ticket_cf_latest_birth_year(int year2, int month, int day,
					 int ref_year, int ref_month, int ref_day)
{
	int			year = ref_year - ((ref_year % 100) + 100) % 100 + year2;

	/*
	 * Walk back a century at a time.  Only 29 February needs more than one
	 * step back (2000 -> 1900 is not leap -> 1800 -> 1700 -> 1600), and the
	 * bound only matters for dates no valid code carries.
	 */
	for (int tries = 0; tries < 4; tries++)
	{
		bool		exists = day <= ticket_cf_days_in_month(year, month);
		bool		not_after = year < ref_year ||
			(year == ref_year && (month < ref_month ||
								  (month == ref_month && day <= ref_day)));

		if (exists && not_after)
			return year;
		year -= 100;
	}
	return year;
}

/* Consonants are every letter but A E I O U, J K W X Y included (§0.4). */
static inline bool
is_vowel(char c)
{
	return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U';
}

static void
triplet(const char *letters, bool given_name, char out[3])
{
	char		consonants[3];
	int			n_consonants = 0;
	int			total_consonants = 0;
	int			k = 0;

	for (const char *p = letters; *p; p++)
		if (!is_vowel(*p))
			total_consonants++;

	/* A given name with 4+ consonants takes the 1st, 3rd and 4th (§2). */
	for (const char *p = letters; *p && n_consonants < 3; p++)
	{
		if (is_vowel(*p))
			continue;
		k++;
		if (given_name && total_consonants >= 4 && k == 2)
			continue;
		consonants[n_consonants++] = *p;
	}
	memcpy(out, consonants, n_consonants);
	k = n_consonants;
	for (const char *p = letters; *p && k < 3; p++)
		if (is_vowel(*p))
			out[k++] = *p;
	while (k < 3)
		out[k++] = 'X';
}

void
ticket_cf_surname_triplet(const char *letters, char out[3])
{
	triplet(letters, false, out);
}

void
ticket_cf_given_name_triplet(const char *letters, char out[3])
{
	triplet(letters, true, out);
}

cf_status
ticket_cf_encode(const char *surname, const char *given_name, char sex,
		  int year, int month, int day, const char *birthplace,
		  char out[CF_STORAGE_LEN], cf_error *err)
{
	char		s[CF_STORAGE_LEN];
	char		place[4];
	int			year2;
	int			day_field;

	/* no letters at all is not an error: the triplet pads to XXX (§2) */
	sex = ascii_upper(sex);
	if (sex != 'M' && sex != 'F')
	{
		set_error(err, CF_ERR_SEX, 0, sex);
		return CF_ERR_SEX;
	}
	if (year < 1 || month < 1 || month > 12 || day < 1 ||
		day > ticket_cf_days_in_month(year, month))
	{
		set_error(err, CF_ERR_DATE, 0, 0);
		return CF_ERR_DATE;
	}
	if (strlen(birthplace) != 4)
	{
		set_error(err, CF_ERR_BIRTHPLACE, 0, 0);
		return CF_ERR_BIRTHPLACE;
	}
	for (int i = 0; i < 4; i++)
		place[i] = ascii_upper(birthplace[i]);
	if (!ticket_cf_is_belfiore_code(place, 4))
	{
		set_error(err, CF_ERR_BIRTHPLACE, 0, 0);
		return CF_ERR_BIRTHPLACE;
	}

	ticket_cf_surname_triplet(surname, s);
	ticket_cf_given_name_triplet(given_name, s + 3);
	year2 = year % 100;
	s[6] = (char) ('0' + year2 / 10);
	s[7] = (char) ('0' + year2 % 10);
	s[8] = month_letters[month - 1];
	day_field = day + (sex == 'F' ? 40 : 0);
	s[9] = (char) ('0' + day_field / 10);
	s[10] = (char) ('0' + day_field % 10);
	memcpy(s + 11, place, 4);
	s[15] = ticket_cf_check_char(s);
	memcpy(out, s, CF_STORAGE_LEN);
	if (err)
		err->status = CF_OK;
	return CF_OK;
}

/* ---------- per-field problems ---------- */

const char *
ticket_cf_field_name(cf_field field)
{
	static const char *const names[] = {
		[CF_FIELD_CODE] = "code",
		[CF_FIELD_SURNAME] = "surname",
		[CF_FIELD_GIVEN_NAME] = "given_name",
		[CF_FIELD_YEAR] = "year",
		[CF_FIELD_MONTH] = "month",
		[CF_FIELD_DAY] = "day",
		[CF_FIELD_BIRTHPLACE] = "birthplace",
		[CF_FIELD_CHECK] = "check",
	};

	return (unsigned) field < sizeof(names) / sizeof(names[0]) ? names[field] : "?";
}

/* The field of a 0-based position of a 16-character personal code. */
static cf_field
field_of_position(int i)
{
	static const unsigned char fields[16] = {
		CF_FIELD_SURNAME, CF_FIELD_SURNAME, CF_FIELD_SURNAME,
		CF_FIELD_GIVEN_NAME, CF_FIELD_GIVEN_NAME, CF_FIELD_GIVEN_NAME,
		CF_FIELD_YEAR, CF_FIELD_YEAR, CF_FIELD_MONTH, CF_FIELD_DAY, CF_FIELD_DAY,
		CF_FIELD_BIRTHPLACE, CF_FIELD_BIRTHPLACE, CF_FIELD_BIRTHPLACE, CF_FIELD_BIRTHPLACE,
		CF_FIELD_CHECK
	};

	return (cf_field) fields[i];
}

static int
add_problem(cf_problem *out, int n, cf_field field, cf_status status, int position, char ch)
{
	out[n].field = field;
	set_error(&out[n].error, status, position, ch);
	return n + 1;
}

/* The fields of a 16-character personal-code candidate, folded in s. */
static int
personal_problems(const char s[CF_PERSONAL_LEN], cf_problem out[CF_MAX_PROBLEMS])
{
	int			n = 0;
	bool		year_ok = true;
	bool		day_ok = true;
	int			month;

	/* each position against what it holds (the month letter apart) */
	for (int i = 0; i < 16; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if ((char_class[c] & position_needs[i]) != 0)
			continue;
		n = add_problem(out, n, field_of_position(i),
						position_needs[i] == CC_LETTER ? CF_ERR_NOT_LETTER : CF_ERR_NOT_DIGIT_OR_OMOCODE,
						i + 1, s[i]);
		if (i == 6 || i == 7)
			year_ok = false;
		if (i == 9 || i == 10)
			day_ok = false;
	}

	month = month_of_letter(s[8]);
	if (month == 0 && is_upper(s[8]))
		n = add_problem(out, n, CF_FIELD_MONTH, CF_ERR_MONTH, 9, s[8]);

	if (day_ok)
	{
		int			day_field = two_digits(s + 9);
		int			day = day_field > 40 ? day_field - 40 : day_field;

		if (!((day_field >= 1 && day_field <= 31) || (day_field >= 41 && day_field <= 71)))
		{
			n = add_problem(out, n, CF_FIELD_DAY, CF_ERR_DAY, 10, s[9]);
			out[n - 1].error.value = day_field;
		}
		else if (month == 2 && day == 29)
		{
			if (year_ok && two_digits(s + 6) % 4 != 0)
			{
				n = add_problem(out, n, CF_FIELD_YEAR, CF_ERR_FEB29, 7, s[6]);
				out[n - 1].error.value = two_digits(s + 6);
			}
		}
		else if (month != 0 && day > days_in_common_year[month - 1])
		{
			n = add_problem(out, n, CF_FIELD_DAY, CF_ERR_DAY_IN_MONTH, 10, s[9]);
			out[n - 1].error.value = day;
			out[n - 1].error.value2 = month;
		}
	}

	if (is_upper(s[11]) && !is_place_letter(s[11]))
		n = add_problem(out, n, CF_FIELD_BIRTHPLACE, CF_ERR_PLACE_LETTER, 12, s[11]);

	/* the check character, only when the rest is right */
	if (n == 0 && ticket_cf_check_char(s) != s[15])
	{
		n = add_problem(out, n, CF_FIELD_CHECK, CF_ERR_CHECK, 16, s[15]);
		out[n - 1].error.expected = ticket_cf_check_char(s);
	}
	else if (n == 1 && out[0].field == CF_FIELD_CHECK)
		out[0].error.expected = ticket_cf_check_char(s);	/* not a letter there */

	/* in position order (29 February is reported at the year, after the month) */
	for (int i = 1; i < n; i++)
		for (int k = i; k > 0 && out[k].error.position < out[k - 1].error.position; k--)
		{
			cf_problem	swap = out[k];

			out[k] = out[k - 1];
			out[k - 1] = swap;
		}
	return n;
}

int
ticket_cf_problems(const char *input, size_t len, cf_problem out[CF_MAX_PROBLEMS])
{
	size_t		start = 0;
	size_t		end = len;
	char		s[CF_PERSONAL_LEN];
	cf_error	err;

	ascii_trim(input, &start, &end);
	if (end - start == CF_PERSONAL_LEN)
	{
		bool		ascii = true;

		for (int i = 0; i < CF_PERSONAL_LEN; i++)
		{
			unsigned char c = (unsigned char) input[start + i];

			ascii = ascii && c < 0x80 && c > 0x20;
			s[i] = ascii_upper(c);
		}
		/* an STP/ENI prefix followed by a digit is not a personal code */
		if (ascii && !((memcmp(s, "STP", 3) == 0 || memcmp(s, "ENI", 3) == 0) && is_digit(s[3])))
			return personal_problems(s, out);
	}
	if (ticket_cf_parse(input, len, NULL, &err) == CF_OK)
		return 0;
	out[0].field = CF_FIELD_CODE;
	out[0].error = err;
	return 1;
}

/* ---------- omocode levels, normalising, candidates ---------- */

void
ticket_cf_omocode_level(const char code[CF_STORAGE_LEN], int level, char out[CF_STORAGE_LEN])
{
	if (level < 0)
		level = 0;
	if (level > 7)
		level = 7;
	ticket_cf_omocode_variant(code, (1 << level) - 1, out);
}

cf_status
ticket_cf_normalize(const char *input, size_t len, char *out, size_t *out_len, cf_error *err)
{
	size_t		n = 0;

	for (size_t i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) input[i];

		if (c >= 0x80)
		{
			set_error(err, CF_ERR_NON_ASCII, (int) (i < 9999 ? i + 1 : 9999), 0);
			*out_len = 0;
			return CF_ERR_NON_ASCII;
		}
		if (ascii_is_space(c) || c == '-')
			continue;
		out[n++] = ascii_upper((char) c);
	}
	*out_len = n;
	if (err)
		err->status = CF_OK;
	return CF_OK;
}

int
ticket_cf_candidates(const char code[CF_PERSONAL_LEN], char out[][CF_STORAGE_LEN])
{
	static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	char		trial[CF_PERSONAL_LEN];
	int			n = 0;

	memcpy(trial, code, CF_PERSONAL_LEN);
	for (int i = 0; i < CF_PERSONAL_LEN; i++)
	{
		for (const char *a = alphabet; *a; a++)
		{
			if (*a == code[i])
				continue;
			trial[i] = *a;
			/* STP/ENI codes have no check character: not candidates */
			if (ticket_cf_parse(trial, CF_PERSONAL_LEN, out[n], NULL) == CF_OK &&
				ticket_cf_kind_of(out[n]) == CF_KIND_PERSONAL)
				n++;
		}
		trial[i] = code[i];
	}
	return n;
}

/* ---------- partial codes ---------- */

cf_status
ticket_cf_decode_partial(const char *input, size_t len, cf_partial *out, cf_error *err)
{
	size_t		start = 0;
	size_t		end = len;
	size_t		n;
	char		s[CF_PERSONAL_LEN];
	cf_problem	problems[CF_MAX_PROBLEMS];
	int			np;

	ascii_trim(input, &start, &end);
	n = end - start;
	/* non-ASCII first, so the length (in bytes) is not what the message blames */
	for (size_t i = 0; i < n; i++)
		if ((unsigned char) input[start + i] >= 0x80)
		{
			set_error(err, CF_ERR_NON_ASCII, i < 9999 ? (int) i + 1 : 9999, 0);
			return CF_ERR_NON_ASCII;
		}
	if (n != 11 && n != 15)
	{
		set_error(err, CF_ERR_LENGTH, 0, 0);
		if (err)
			err->value = n > 9999 ? 9999 : (int) n;
		return CF_ERR_LENGTH;
	}
	for (size_t i = 0; i < n; i++)
		s[i] = ascii_upper(input[start + i]);

	/*
	 * The missing positions get a well-formed filler (birthplace A000) and
	 * the right check character, so the full code's checks judge the
	 * positions given and nothing else.
	 */
	if (n == 11)
		memcpy(s + 11, "A000", 4);
	s[15] = ticket_cf_check_char(s);
	np = personal_problems(s, problems);
	if (np > 0)
	{
		if (err)
			*err = problems[0].error;
		return problems[0].error.status;
	}

	memset(out, 0, sizeof(*out));
	out->length = (int) n;
	memcpy(out->surname, s, 3);
	memcpy(out->given_name, s + 3, 3);
	ticket_cf_decode(s, &out->decoded);
	if (n == 11)
		out->decoded.birthplace[0] = '\0';
	else
		memcpy(out->code, s, CF_STORAGE_LEN);
	if (err)
		err->status = CF_OK;
	return CF_OK;
}

/* ---------- matching a code against personal data, field by field ---------- */

const char *const ticket_cf_match_field_names[CF_MATCH_FIELDS] = {
	"surname", "given_name", "sex", "year", "month", "day", "birthplace"
};

bool
ticket_cf_match_fields(const char code[CF_STORAGE_LEN], const char computed[CF_STORAGE_LEN],
					   bool matches[CF_MATCH_FIELDS])
{
	char		canonical[CF_STORAGE_LEN];
	cf_decoded	have;
	cf_decoded	want;

	if (ticket_cf_kind_of(code) != CF_KIND_PERSONAL || ticket_cf_kind_of(computed) != CF_KIND_PERSONAL)
		return false;
	ticket_cf_canonical(code, canonical);
	ticket_cf_decode(canonical, &have);
	ticket_cf_decode(computed, &want);
	matches[0] = memcmp(canonical, computed, 3) == 0;
	matches[1] = memcmp(canonical + 3, computed + 3, 3) == 0;
	matches[2] = have.sex == want.sex;
	matches[3] = have.year2 == want.year2;
	matches[4] = have.month == want.month;
	matches[5] = have.day == want.day;
	matches[6] = strcmp(have.birthplace, want.birthplace) == 0;
	return true;
}
