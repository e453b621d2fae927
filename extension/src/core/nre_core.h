/*
 * nre_core.h
 *		Pure-C parser of the electronic prescription number (NRE, numero di
 *		ricetta elettronica), the key of fse.prescription.
 *
 * Nothing here includes postgres.h, allocates memory or reads tables, so the
 * same code runs in the backend (fse.prescription_before_insert), in the
 * unit tests (test/unit/nre_tests.c) and under libFuzzer
 * (test/fuzz/fuzz_nre.c).
 *
 * Syntax: 15 characters, the three-digit Ministry of Health code of the
 * issuing region first (080 = Emilia-Romagna), then 12 of [0-9A-Z].  The
 * canonical form is what fse.prescription.nre's CHECK accepts
 * (^[0-9]{3}[0-9A-Z]{12}$).  Whether the region code exists is data
 * (ticket.nre_region), never checked here.
 */
#ifndef NRE_CORE_H
#define NRE_CORE_H

#include <stddef.h>

#define NRE_LEN			15
#define NRE_REGION_LEN	3
#define NRE_MAX_SHOWN_LENGTH 9999	/* a longer input reports this length */

/*
 * Every way an input can be wrong; the fmgr glue turns each into a message.
 * The fields of nre_error a status uses are listed beside it.  The checks
 * run in this order: the characters (so that "080-12" is reported for its
 * '-', not its length), the length, the region digits.
 */
typedef enum nre_status
{
	NRE_OK = 0,
	NRE_ERR_EMPTY,				/* (none): nothing left after trimming */
	NRE_ERR_NON_ASCII,			/* position (ch = 0) */
	NRE_ERR_INNER_SPACE,		/* position, ch */
	NRE_ERR_BAD_CHARACTER,		/* position, ch: not a letter or digit (NUL,
								 * controls and punctuation included) */
	NRE_ERR_LENGTH,				/* value = length, at most NRE_MAX_SHOWN_LENGTH */
	NRE_ERR_REGION_NOT_DIGIT	/* position 1..3, ch (upper-cased) */
} nre_status;

typedef struct nre_error
{
	nre_status	status;
	int			position;		/* 1-based position in the trimmed input */
	char		ch;				/* offending character */
	int			value;
} nre_error;

/*
 * Parse len bytes of input (no NUL terminator needed; an embedded NUL is a
 * bad character).  Trims surrounding ASCII whitespace, folds ASCII case and
 * accepts exactly 15 characters: 3 digits, then 12 digits or letters.
 *
 * On success out[] holds the canonical 15 characters NUL-terminated and
 * *region (if not NULL) the region code, 0..999.  On failure out[] is the
 * empty string, *region is left alone, and *err (if not NULL) says what is
 * wrong; on success err->status is NRE_OK.
 */
extern nre_status ticket_nre_parse(const char *input, size_t len, char out[NRE_LEN + 1],
							int *region, nre_error *err);

#endif							/* NRE_CORE_H */
