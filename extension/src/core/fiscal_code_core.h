/*
 * fiscal_code_core.h
 *		Pure-C core of the Italian fiscal code (codice fiscale): parsing,
 *		check characters, omocodes, decoding and encoding.
 *
 * Nothing here includes postgres.h, allocates memory or reads tables, so the
 * same code runs in the backend, in the unit tests (test/unit) and under
 * libFuzzer (test/fuzz).  The rules implemented are those of
 * ../shared/docs/codice-fiscale.md; section numbers below refer to it.
 *
 * Storage form (CF_STORAGE_LEN bytes, what the SQL type stores verbatim):
 *	 - personal code (16 characters): the 16 upper-case ASCII characters as
 *	   written, omocode letters kept;
 *	 - numeric code (11 digits): the 11 digits followed by 5 NUL bytes;
 *	 - STP / ENI code: the 16 upper-case ASCII characters.
 * memcmp() over the 16 bytes therefore orders codes as their text does
 * (a NUL pad sorts before any character), and equality is literal.
 */
#ifndef FISCAL_CODE_CORE_H
#define FISCAL_CODE_CORE_H

#include <stddef.h>
#include <stdbool.h>

#define CF_STORAGE_LEN	16
#define CF_PERSONAL_LEN 16
#define CF_NUMERIC_LEN	11
#define CF_OMOCODE_FORMS 128	/* 2^7 substitution patterns (§6) */

typedef enum cf_kind
{
	CF_KIND_INVALID = 0,
	CF_KIND_PERSONAL,			/* 16-character code of a natural person */
	CF_KIND_NUMERIC,			/* 11 digits: provisional personal or entity code */
	CF_KIND_STP,				/* Straniero Temporaneamente Presente (§9) */
	CF_KIND_ENI					/* Europeo Non Iscritto (§9) */
} cf_kind;

/*
 * Every way an input can be wrong.  The fmgr glue turns each into a message;
 * the fields of cf_error that a status uses are listed beside it.
 */
typedef enum cf_status
{
	CF_OK = 0,
	CF_ERR_EMPTY,				/* (none) */
	CF_ERR_NON_ASCII,			/* position */
	CF_ERR_INNER_SPACE,			/* position */
	CF_ERR_BAD_CHARACTER,		/* position, ch */
	CF_ERR_LENGTH,				/* value = length */
	CF_ERR_NUMERIC_NOT_DIGIT,	/* position, ch */
	CF_ERR_NUMERIC_SERIAL,		/* (none): serial number 0000000 */
	CF_ERR_NUMERIC_OFFICE,		/* value = office code */
	CF_ERR_NUMERIC_CHECK,		/* expected */
	CF_ERR_HEALTH_NOT_DIGIT,	/* position, ch, value = kind (STP/ENI) */
	CF_ERR_NOT_LETTER,			/* position, ch */
	CF_ERR_NOT_DIGIT_OR_OMOCODE,	/* position, ch */
	CF_ERR_MONTH,				/* ch */
	CF_ERR_DAY,					/* value = the two-digit day field */
	CF_ERR_DAY_IN_MONTH,		/* value = day of month, value2 = month */
	CF_ERR_FEB29,				/* value = two-digit year */
	CF_ERR_PLACE_LETTER,		/* ch */
	CF_ERR_CHECK,				/* expected */
	/* encoder only */
	CF_ERR_SEX,					/* ch */
	CF_ERR_BIRTHPLACE,			/* (none): not a Belfiore code */
	CF_ERR_DATE					/* (none): not a calendar date */
} cf_status;

typedef struct cf_error
{
	cf_status	status;
	int			position;		/* 1-based position in the trimmed input */
	char		ch;				/* offending character */
	char		expected;		/* expected check character / digit */
	int			value;
	int			value2;
} cf_error;

/* Decoded personal data of a 16-character personal code. */
typedef struct cf_decoded
{
	int			year2;			/* 0..99: the century is not encoded (§10.1) */
	int			month;			/* 1..12 */
	int			day;			/* 1..31, women's +40 removed */
	char		sex;			/* 'M' or 'F' */
	char		birthplace[5];	/* Belfiore code, de-omocoded, NUL-terminated */
} cf_decoded;

/*
 * Parse and validate one input string (not necessarily NUL-terminated).
 * Trims surrounding ASCII whitespace, folds ASCII case.  On success fills
 * out[CF_STORAGE_LEN] (unless out is NULL: validation only) and returns
 * CF_OK; otherwise fills *err (if not NULL).
 */
extern cf_status ticket_cf_parse(const char *input, size_t len,
						  char out[CF_STORAGE_LEN], cf_error *err);

/* Kind of a value in storage form (assumed valid). */
extern cf_kind ticket_cf_kind_of(const char code[CF_STORAGE_LEN]);
extern const char *ticket_cf_kind_name(cf_kind kind);

/* Number of significant characters of a value in storage form: 11 or 16. */
extern int	ticket_cf_length(const char code[CF_STORAGE_LEN]);

/* Check character over the first 15 characters as written (§5). */
extern char ticket_cf_check_char(const char *first15);

/* Luhn check digit over the first 10 digits of a numeric code (§8). */
extern char ticket_cf_numeric_check_digit(const char *first10);

/*
 * Omocodes (§6).  Mask bit 0 is position 15, bit 6 is position 7 (the
 * Marketto order): 0 means canonical, 127 all seven digits substituted.
 * Only meaningful for personal codes; others give 0 / themselves.
 */
extern int	ticket_cf_omocode_mask(const char code[CF_STORAGE_LEN]);
extern void ticket_cf_canonical(const char code[CF_STORAGE_LEN],
						 char out[CF_STORAGE_LEN]);
extern void ticket_cf_omocode_variant(const char code[CF_STORAGE_LEN], int mask,
							   char out[CF_STORAGE_LEN]);

/* Decode a personal code; returns false for other kinds. */
extern bool ticket_cf_decode(const char code[CF_STORAGE_LEN], cf_decoded *out);

/*
 * The most recent full year ending in year2 such that year2/month/day is a
 * real date on or before the reference date.  Returns the year.
 */
extern int	ticket_cf_latest_birth_year(int year2, int month, int day,
								 int ref_year, int ref_month, int ref_day);

/* Calendar helpers shared with the glue; a month outside 1..12 has 0 days. */
extern bool ticket_cf_is_leap_year(int year);
extern int	ticket_cf_days_in_month(int year, int month);

/*
 * Encoder (§2–§3).  surname and given_name are already transliterated: only
 * the letters A–Z, upper case, NUL-terminated.  Either may be empty (some
 * foreign-born people have no given name or no surname on record): its
 * triplet is then XXX, as the rule pads (RSSXXX85T10A562R).  birthplace is a Belfiore
 * code (case-folded here).  Writes the 16 characters of the canonical code.
 */
extern cf_status ticket_cf_encode(const char *surname, const char *given_name,
						   char sex, int year, int month, int day,
						   const char *birthplace,
						   char out[CF_STORAGE_LEN], cf_error *err);

/* The triplets on their own, for tests and for callers that want them. */
extern void ticket_cf_surname_triplet(const char *letters, char out[3]);
extern void ticket_cf_given_name_triplet(const char *letters, char out[3]);

/*
 * Per-field diagnosis of an input (what a desk operator needs to correct a
 * typo).  A 16-character ASCII input that is not an STP/ENI code is read
 * position by position: every wrong field is reported, not only the first,
 * and the check character is judged (with the one expected) only when
 * positions 1-15 are all right, since a typo there changes it too.  Any
 * other input gets one problem: what ticket_cf_parse reports.
 */
typedef enum cf_field
{
	CF_FIELD_CODE = 0,			/* the whole input: empty, length, characters, kind */
	CF_FIELD_SURNAME,			/* positions 1-3 */
	CF_FIELD_GIVEN_NAME,		/* positions 4-6 */
	CF_FIELD_YEAR,				/* positions 7-8 (and 29 February) */
	CF_FIELD_MONTH,				/* position 9 */
	CF_FIELD_DAY,				/* positions 10-11 */
	CF_FIELD_BIRTHPLACE,		/* positions 12-15 */
	CF_FIELD_CHECK				/* position 16 */
} cf_field;

typedef struct cf_problem
{
	cf_field	field;
	cf_error	error;			/* status, position and details as ticket_cf_parse */
} cf_problem;

#define CF_MAX_PROBLEMS 16		/* at most one per position */

/*
 * Fills out[] in position order, at most one problem per position, and
 * returns how many there are (0: valid).
 */
extern int	ticket_cf_problems(const char *input, size_t len,
							   cf_problem out[CF_MAX_PROBLEMS]);
extern const char *ticket_cf_field_name(cf_field field);

/*
 * Omocode "level" (the PHP checker's omocodia level): the first `level`
 * substitutions from the right, 0 (canonical) to 7, check character
 * recomputed.  Same as ticket_cf_omocode_variant(code, 2^level - 1).
 */
extern void ticket_cf_omocode_level(const char code[CF_STORAGE_LEN], int level,
									char out[CF_STORAGE_LEN]);

/*
 * Pasted input made ready for the type: ASCII spaces and hyphens dropped,
 * ASCII letters upper-cased, everything else kept (the type's input then
 * judges it).  out has room for len bytes; *out_len is set.  A non-ASCII
 * byte is CF_ERR_NON_ASCII (err->position: its 1-based byte offset).
 */
extern cf_status ticket_cf_normalize(const char *input, size_t len, char *out,
									 size_t *out_len, cf_error *err);

/*
 * Every valid personal code that differs from `code' (16 upper-case ASCII
 * characters) in exactly one character, in position order then 0-9 A-Z;
 * returns how many were written.  16 x 35 strings are tried.  At most one
 * per position comes out, so at most 16: within one position the check
 * values of the characters it admits are distinct mod 26.  For the same
 * reason a valid code has none.
 */
#define CF_MAX_CANDIDATES (16 * 35)
extern int	ticket_cf_candidates(const char code[CF_PERSONAL_LEN],
								 char out[][CF_STORAGE_LEN]);

/*
 * Decode the first 11 (triplets, date, sex) or 15 (and the birthplace)
 * characters of a personal code, validated as the full code's are.  Fills
 * out->decoded (birthplace empty for 11), the triplets, and for 15 the full
 * code with its check character.  Errors: CF_ERR_LENGTH (value = length)
 * when not 11 or 15 characters, else the first problem of those positions.
 */
typedef struct cf_partial
{
	int			length;			/* 11 or 15 */
	char		surname[4];		/* NUL-terminated triplets */
	char		given_name[4];
	cf_decoded	decoded;
	char		code[CF_STORAGE_LEN];	/* length 15: the whole code */
} cf_partial;

extern cf_status ticket_cf_decode_partial(const char *input, size_t len,
										  cf_partial *out, cf_error *err);

/*
 * Field-by-field comparison of a personal code (any omocode form) with the
 * canonical code computed from a person's data (ticket_cf_encode).  The
 * CF_MATCH_FIELDS fields, in order: surname, given_name, sex, year, month,
 * day, birthplace; names[] gives their SQL names.  Returns false (and sets
 * nothing) when the code is not a personal one.
 */
#define CF_MATCH_FIELDS 7
extern const char *const ticket_cf_match_field_names[CF_MATCH_FIELDS];
extern bool ticket_cf_match_fields(const char code[CF_STORAGE_LEN],
								   const char computed[CF_STORAGE_LEN],
								   bool matches[CF_MATCH_FIELDS]);

/* Syntax of a Belfiore code: [A-ILMZ][0-9]{3}, upper case. */
extern bool ticket_cf_is_belfiore_code(const char *code, size_t len);

#endif							/* FISCAL_CODE_CORE_H */
