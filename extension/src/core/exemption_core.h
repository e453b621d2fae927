/*
 * exemption_core.h
 *		Pure-C syntax of exemption codes (codici di esenzione), for
 *		ticket.exemption.
 *
 * Nothing here includes postgres.h, allocates memory or reads tables (see
 * short_code.h).  The type accepts any code of the catalogue's shape: 1 to
 * 6 letters and digits that is not an income band.  Which codes exist on a
 * date and their family (../shared/docs/ticket-rules.md §4) are data,
 * ticket.exemption_catalogue, read by the rule cache (rules_cache.c); the
 * families below are the names its rows use.
 */
#ifndef EXEMPTION_CORE_H
#define EXEMPTION_CORE_H

#include "short_code.h"

typedef enum ex_family
{
	EX_FAMILY_NONE = 0,			/* no family: a name that is not one */
	EX_FAMILY_INCOME,
	EX_FAMILY_REGIONAL,
	EX_FAMILY_INVALIDITY,
	EX_FAMILY_PREGNANCY,
	EX_FAMILY_PREVENTION,
	EX_FAMILY_OTHER,
	EX_FAMILY_CHRONIC,
	EX_FAMILY_RARE
} ex_family;

#define EX_FAMILY_COUNT 9		/* EX_FAMILY_NONE included */

/* Every way an input can fail to be an exemption code. */
typedef enum ex_status
{
	EX_OK = 0,
	EX_ERR_LEXICAL,				/* the characters: see ex_error.lexical */
	EX_ERR_INCOME_BAND			/* RE1 RE2 RE3 QB QM: an income band */
} ex_status;

typedef struct ex_error
{
	ex_status	status;
	sc_error	lexical;		/* EX_ERR_LEXICAL: what is wrong with the characters */
	/* after EX_ERR_LEXICAL: the code trimmed and upper-cased, NUL-terminated */
	char		code[SHORT_CODE_MAX_LEN + 1];
} ex_error;

/*
 * The syntax of ticket.exemption: the lexical layer (1 to 6 letters and
 * digits) and not an income band (EX_ERR_INCOME_BAND); every other code
 * parses, and its packed code is stored
 * (short_code.h).  Which codes exist on a date is data:
 * ticket.exemption_catalogue, checked at pricing.
 */
extern ex_status ticket_exemption_parse(const char *input, size_t len,
								 uint32_t *packed, ex_error *err);

/*
 * The family's SQL name: income, regional, invalidity, pregnancy,
 * prevention, other, chronic, rare ("none" for EX_FAMILY_NONE).
 */
extern const char *ticket_exemption_family_name(ex_family family);

/* The family with that SQL name (exact, lower case); EX_FAMILY_NONE if none. */
extern ex_family ticket_exemption_family_number(const char *name);

#endif							/* EXEMPTION_CORE_H */
