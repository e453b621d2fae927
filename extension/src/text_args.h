/*
 * text_args.h
 *		Text arguments of the fmgr functions.
 */
#ifndef TICKET_TEXT_ARGS_H
#define TICKET_TEXT_ARGS_H

#include "ticket_compat.h"
#include "fmgr.h"

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

#endif							/* TICKET_TEXT_ARGS_H */
