/*
 * ticket_internal.h
 *		Declarations shared between the fmgr glue files; not installed.
 */
#ifndef TICKET_INTERNAL_H
#define TICKET_INTERNAL_H

#include "ticket_compat.h"
#include "fmgr.h"
#include "lib/stringinfo.h"

#include "fiscal_code_core.h"

/*
 * The schema the extension lives in: fixed, because ticket.control says
 * relocatable = false.  C code that runs queries names it explicitly.
 */
#define TICKET_SCHEMA "ticket"

/*
 * PG_GETARG_TEXT_PP without its function call when the value is already
 * plain or short-header, which is nearly always: validation is a hot path.
 */
static inline text *
ticket_text_arg_pp(Datum datum)
{
	struct varlena *value = (struct varlena *) DatumGetPointer(datum);

	if (VARATT_IS_EXTERNAL(value) || VARATT_IS_COMPRESSED(value))
		return (text *) pg_detoast_datum_packed(value);
	return (text *) value;
}

/* fiscal_code_type.c: the sentence that explains a cf_error. */
extern void fiscal_code_reason(const cf_error *err, StringInfo buf);

/* fiscal_code_type.c: raise 22P02 for invalid fiscal-code input. */
extern void fiscal_code_report_error(const char *input, const cf_error *err) pg_attribute_noreturn();

/*
 * name_transliteration.c: the letters A–Z of a surname or given name,
 * transliterated with the Ministry of the Interior table (circ. 1/2008),
 * as a palloc'd NUL-terminated string.  `what' names the field in errors.
 * Raises 22023 for a letter the table does not cover.
 */
extern char *transliterate_name(const char *name, int len, const char *what);

#endif							/* TICKET_INTERNAL_H */
