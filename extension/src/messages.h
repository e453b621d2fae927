/*
 * messages.h
 *		How messages are built: reasons translated or not, inputs quoted.
 */
#ifndef TICKET_MESSAGES_H
#define TICKET_MESSAGES_H

#include "ticket_compat.h"

/*
 * The reasons of the input functions are data as well as messages:
 * fiscal_code_error(), income_band_error() and exemption_error() return
 * them in English, a stable output for applications, while the errors of
 * the input functions give them in the session's language (lc_messages).
 * The functions that build a reason take `translate' and pass every English
 * text, marked with gettext_noop() for make update-po, through ticket_text.
 */
static inline const char *ticket_text(bool translate, const char *msgid) pg_attribute_format_arg(2);

static inline const char *
ticket_text(bool translate, const char *msgid)
{
	return translate ? _(msgid) : msgid;
}

/*
 * messages.c: an input as an error may quote it: at most max_chars
 * characters (never part of one), anything not printable or not valid in
 * the database encoding as \xHH, "..." appended when cut.  A message
 * quotes at most TICKET_QUOTE_MESSAGE characters, a detail or a hint
 * TICKET_QUOTE_DETAIL: the input may be megabytes, the log line must not.
 */
#define TICKET_QUOTE_MESSAGE 40
#define TICKET_QUOTE_DETAIL 200
extern char *ticket_quote_input(const char *input, size_t len, int max_chars);

/* A NUL-terminated input as an error message quotes it. */
static inline char *
ticket_quote(const char *input)
{
	return ticket_quote_input(input, strlen(input), TICKET_QUOTE_MESSAGE);
}

#endif							/* TICKET_MESSAGES_H */
