/*
 * short_code.h
 *		Pure-C storage of the short codes behind ticket.income_band and
 *		ticket.exemption: 1 to 6 characters from [0-9A-Z] packed into 32 bits.
 *
 * Nothing here includes postgres.h, allocates memory or reads tables, so the
 * same code runs in the backend, in the unit tests (test/unit) and under a
 * fuzzer.  The family rules of exemption codes are in exemption_core.h.
 *
 * Packing: the code is a base-37 number, most significant character first,
 * each character mapped '0'..'9' -> 1..10 and 'A'..'Z' -> 11..36, the code
 * right-padded with 0 digits to 6 positions.  37^6 - 1 = 2,565,726,408 fits
 * in a uint32.  Because a pad digit (0) is below every character, numeric
 * order of packed values is the text order of the codes in the C collation,
 * a shorter prefix first ("RE" < "RE1" < "RE10" < "RE2").
 *
 * The SQL types store the packed value minus 2^31 as an int32, so signed
 * comparison keeps that order and the server's int4 comparison and hash
 * functions serve as the types' own.
 */
#ifndef SHORT_CODE_H
#define SHORT_CODE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define SHORT_CODE_MAX_LEN	6
#define SHORT_CODE_RADIX	37
#define SHORT_CODE_BIAS		INT64_C(2147483648)	/* 2^31: packed - BIAS = stored */

/*
 * Every way the characters of an input can be wrong, for both types; the
 * fmgr glue turns each into a message.  The fields of sc_error a status
 * uses are listed beside it.
 */
typedef enum sc_status
{
	SC_OK = 0,
	SC_ERR_EMPTY,				/* (none): nothing left after trimming */
	SC_ERR_NON_ASCII,			/* position */
	SC_ERR_INNER_SPACE,			/* position */
	SC_ERR_BAD_CHARACTER,		/* position, ch */
	SC_ERR_TOO_LONG,			/* value = length (at most 9999) */
	/* ticket_income_band_parse only */
	SC_ERR_BAND_FIRST_NOT_LETTER	/* position = 1, ch */
} sc_status;

typedef struct sc_error
{
	sc_status	status;
	int			position;		/* 1-based position in the trimmed input */
	char		ch;				/* offending character (0 for non-ASCII) */
	int			value;
} sc_error;

/*
 * Pack a code already in canonical form: len 1..6 characters, each an ASCII
 * digit or upper-case letter.  Returns false (and leaves *out alone) for
 * anything else.
 */
extern bool ticket_short_code_pack(const char *s, size_t len, uint32_t *out);

/*
 * Unpack into out[] (NUL-terminated) and return the length, 1..6.  A value
 * no code packs to (0, 37^6 and above, a character after a pad) gives 0
 * and an empty string.
 */
extern size_t ticket_short_code_unpack(uint32_t packed, char out[SHORT_CODE_MAX_LEN + 1]);

/* The int32 the SQL types store, and back: order-preserving bijections. */
static inline int32_t
short_code_to_int32(uint32_t packed)
{
	return (int32_t) ((int64_t) packed - SHORT_CODE_BIAS);
}

static inline uint32_t
short_code_from_int32(int32_t stored)
{
	return (uint32_t) ((int64_t) stored + SHORT_CODE_BIAS);
}

/*
 * The lexical layer shared by both types.  Trims surrounding ASCII
 * whitespace, folds ASCII case, checks every character is a letter or
 * digit, then the length (so that "R-1234567" is reported for its '-', not
 * its length).  On success out[] holds the code NUL-terminated and *out_len
 * its length; otherwise *err (if not NULL) says what is wrong.
 */
extern sc_status ticket_short_code_normalize(const char *input, size_t len,
									  char out[SHORT_CODE_MAX_LEN + 1],
									  size_t *out_len, sc_error *err);

/*
 * ticket.income_band: a short code whose first character is a letter (RE1,
 * RE2, RE3, QB, QM and codes yet to come).  That is its whole syntax: which
 * bands exist on a date is regime data, never checked here.  On success
 * stores the packed code.
 */
extern sc_status ticket_income_band_parse(const char *input, size_t len,
								   uint32_t *packed, sc_error *err);

#endif							/* SHORT_CODE_H */
