/*
 * exemption_core.h
 *		Pure-C syntax of exemption codes (codici di esenzione), family by
 *		family, for ticket.exemption.
 *
 * Nothing here includes postgres.h, allocates memory or reads tables (see
 * short_code.h).  The type accepts any code of the catalogue's shape
 * (ticket_exemption_parse); the families below only classify.  They are
 * those of
 * ../shared/docs/ticket-rules.md §4; whether a code is in force on a date,
 * total or partial, is data for the pricing engine, not syntax.
 *
 *	 income		E01 E02 E03 E04
 *	 regional	E99, F + letter + digit (FA2)
 *	 invalidity	C01-C07 G01-G02 L01-L04 S01-S04 N01 V01-V02
 *	 pregnancy	M00-M41 M50 M52 M99
 *	 prevention	D01-D06 D01B D01C
 *	 other		B01 T01 I01 P01-P03 F01 X01 TDL01 PML
 *	 chronic	0 + 2 digits (001-099), 0 + letter + 2 digits (0A31)
 *	 rare		R + group A-Q + 4 digits (RI0050), R + group + G + 3 digits
 *				(RIG010), R99 (suspected rare disease)
 */
#ifndef EXEMPTION_CORE_H
#define EXEMPTION_CORE_H

#include "short_code.h"

typedef enum ex_family
{
	EX_FAMILY_NONE = 0,			/* not an exemption code */
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

/*
 * Every way an input can fail to be an exemption code.  After
 * EX_ERR_LEXICAL each status names the family the code looks like it
 * belongs to, so that the message can say which codes that family has
 * ("X + 2 digits" shapes take any tail: C011 is a civil-invalidity miss).
 */
typedef enum ex_status
{
	EX_OK = 0,
	EX_ERR_LEXICAL,				/* the characters: see ex_error.lexical */
	EX_ERR_INCOME_BAND,			/* RE1 RE2 RE3 QB QM: an income band */
	EX_ERR_INCOME,				/* E + 2 digits, not E01-E04 or E99 */
	EX_ERR_F,					/* F + digits or F + letter..., neither F01 nor F + letter + digit */
	EX_ERR_CIVIL_INVALIDITY,	/* C + 2 digits, not C01-C07 */
	EX_ERR_WAR_INVALIDITY,		/* G + 2 digits, not G01-G02 */
	EX_ERR_WORK_INVALIDITY,		/* L + 2 digits, not L01-L04 */
	EX_ERR_SERVICE_INVALIDITY,	/* S + 2 digits, not S01-S04 */
	EX_ERR_DAMAGE,				/* N + 2 digits, not N01 */
	EX_ERR_VICTIM,				/* V + 2 digits, not V01-V02 */
	EX_ERR_PREGNANCY,			/* M + 2 digits, not M00-M41 M50 M52 M99 */
	EX_ERR_PREVENTION,			/* D + 2 digits (+ anything), not D01-D06 D01B D01C */
	EX_ERR_P,					/* P + 2 digits or PM..., not P01-P03 or PML */
	EX_ERR_T,					/* T + 2 digits or TD..., not T01 or TDL01 */
	EX_ERR_ONLY_CODE,			/* B, I or X + 2 digits, not B01 I01 X01 */
	EX_ERR_CHRONIC,				/* starts with a digit, not 001-099 or 0 + letter + 2 digits */
	EX_ERR_RARE_GROUP,			/* R + a letter after Q */
	EX_ERR_RARE,				/* R + group A-Q (or a digit), not a rare-disease shape */
	EX_ERR_UNKNOWN				/* none of the above */
} ex_status;

typedef struct ex_error
{
	ex_status	status;
	sc_error	lexical;		/* EX_ERR_LEXICAL: what is wrong with the characters */
	/* after EX_ERR_LEXICAL: the code trimmed and upper-cased, NUL-terminated */
	char		code[SHORT_CODE_MAX_LEN + 1];
} ex_error;

/*
 * The family of an exemption code.  input is any bytes (not necessarily
 * NUL-terminated); surrounding ASCII whitespace is trimmed and ASCII case
 * folded.  Returns EX_FAMILY_NONE and fills *err (if not NULL) when the
 * input is not an exemption code.
 */
extern ex_family ticket_exemption_family_of(const char *input, size_t len,
									 ex_error *err);

/*
 * The syntax of ticket.exemption: the lexical layer (1 to 6 letters and
 * digits) and not an income band (EX_ERR_INCOME_BAND); every other code
 * parses, whatever family it resembles, and its packed code is stored
 * (short_code.h).  Which codes exist on a date is data:
 * ticket.exemption_catalogue, checked at pricing.
 */
extern ex_status ticket_exemption_parse(const char *input, size_t len,
								 uint32_t *packed, ex_error *err);

/*
 * The family of a packed code (short_code.h), as ticket_exemption_family_of gives
 * for its text; EX_FAMILY_NONE for a value that is not an exemption code.
 */
extern ex_family ticket_exemption_family_of_packed(uint32_t packed);

/*
 * The family's SQL name: income, regional, invalidity, pregnancy,
 * prevention, other, chronic, rare ("none" for EX_FAMILY_NONE).
 */
extern const char *ticket_exemption_family_name(ex_family family);

/* The family with that SQL name (exact, lower case); EX_FAMILY_NONE if none. */
extern ex_family ticket_exemption_family_number(const char *name);

#endif							/* EXEMPTION_CORE_H */
