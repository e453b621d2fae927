/*
 * short_code_type.h
 *		The fmgr side of the two short-code types, ticket.income_band and
 *		ticket.exemption (income_band_type.c).
 */
#ifndef TICKET_SHORT_CODE_TYPE_H
#define TICKET_SHORT_CODE_TYPE_H

#include "ticket_compat.h"
#include "fmgr.h"
#include "lib/stringinfo.h"

#include "short_code.h"

/*
 * ticket.income_band and ticket.exemption: two 4-byte types with one
 * storage (short_code.h) and one set of I/O functions, in
 * income_band_type.c.  Each type describes itself with a ShortCodeType and
 * its fmgr functions only pass that description on (SHORT_CODE_FUNCTION).
 */
typedef struct ShortCodeType
{
	const char *name;			/* in internal errors (elog) */

	/*
	 * The messages, English, marked with gettext_noop(): errmsg() translates
	 * the first two; the reasons go through ticket_text.
	 */
	const char *invalid;		/* errmsg: invalid NAME "%s": %s (input, reason) */
	const char *invalid_binary; /* errmsg: invalid binary NAME: %d bytes, 1 to %d */
	const char *empty;			/* reason for an empty input */
	const char *too_long;		/* reason for more than 6 characters */

	/* Validate raw input (not NUL-terminated); store the packed code. */
	bool		(*parse) (const char *input, size_t len, uint32 *packed);

	/*
	 * For an input parse refused: append the reason to buf (translated or
	 * English, see ticket_text) and set *hint, translated (NULL when there is
	 * none).  The one place each type builds its messages; the lexical ones
	 * come from ticket_short_code_reason.
	 */
	void		(*explain) (const char *input, size_t len, StringInfo buf,
							const char **hint, bool translate);
} ShortCodeType;

/* income_band_type.c: the sentence for a lexical error of either type. */
extern void ticket_short_code_reason(const ShortCodeType *type,
							  const sc_error *err, StringInfo buf, bool translate);

/* income_band_type.c: the shared bodies of both types' fmgr functions. */
extern Datum ticket_short_code_in(const ShortCodeType *type, FunctionCallInfo fcinfo);
extern Datum ticket_short_code_out(const ShortCodeType *type, FunctionCallInfo fcinfo);
extern Datum ticket_short_code_recv(const ShortCodeType *type, FunctionCallInfo fcinfo);
extern Datum ticket_short_code_send(const ShortCodeType *type, FunctionCallInfo fcinfo);
extern Datum ticket_short_code_from_text(const ShortCodeType *type, FunctionCallInfo fcinfo);
extern Datum ticket_short_code_to_text(const ShortCodeType *type, FunctionCallInfo fcinfo);
extern Datum ticket_short_code_is_valid(const ShortCodeType *type, FunctionCallInfo fcinfo);
extern Datum ticket_short_code_error(const ShortCodeType *type, FunctionCallInfo fcinfo);

/*
 * income_band_type.c: the code of a stored value, NUL-terminated in out;
 * returns its length.  A value no code packs to is an internal error.
 */
extern size_t ticket_short_code_text(const ShortCodeType *type, Datum value,
							  char out[SHORT_CODE_MAX_LEN + 1]);

/* An fmgr function NAME of a short-code type: HELPER(TYPE, fcinfo). */
#define SHORT_CODE_FUNCTION(name, helper, type) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	return helper((type), fcinfo); \
}

#endif							/* TICKET_SHORT_CODE_TYPE_H */
