/*
 * income_band_type.c
 *		The ticket.income_band base type, and the I/O machinery it shares
 *		with ticket.exemption (exemption_type.c): text and binary I/O, text
 *		casts, validation without raising.
 *
 * Both types store a short code packed into an int32 (core/short_code.h,
 * layout in ticket.h).  Comparison and hashing need no C code here: the
 * SQL script points them at the server's int4 functions, which order the
 * stored values as the codes' text.  The rules live in core/; this file
 * only moves values between the core and the fmgr interface, and turns the
 * core's error codes into messages.
 */
#include "ticket_compat.h"

#include "exemption_core.h"
#include "messages.h"
#include "short_code_type.h"
#include "text_args.h"

#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "ticket.h"

/* ---------- shared by both short-code types ---------- */

/* The reason, translated or English (ticket_text): see messages.h. */
void
ticket_short_code_reason(const ShortCodeType *type, const sc_error *err, StringInfo buf, bool translate)
{
	switch (err->status)
	{
		case SC_OK:
			break;
		case SC_ERR_EMPTY:
			appendStringInfoString(buf, ticket_text(translate, type->empty));
			break;
		case SC_ERR_NON_ASCII:
			appendStringInfo(buf, ticket_text(translate, gettext_noop("character %d is not an ASCII letter or digit")),
							 err->position);
			break;
		case SC_ERR_INNER_SPACE:
			appendStringInfo(buf, ticket_text(translate, gettext_noop("inner spaces are not allowed (position %d)")),
							 err->position);
			break;
		case SC_ERR_BAD_CHARACTER:
			if (err->ch > ' ' && err->ch < 0x7f)
				appendStringInfo(buf, ticket_text(translate, gettext_noop("'%c' at position %d is not a letter or digit")),
								 err->ch, err->position);
			else
				appendStringInfo(buf, ticket_text(translate, gettext_noop("control character 0x%02X at position %d is not a letter or digit")),
								 (unsigned int) (unsigned char) err->ch, err->position);
			break;
		case SC_ERR_TOO_LONG:
			appendStringInfoString(buf, ticket_text(translate, type->too_long));
			break;
		case SC_ERR_BAND_FIRST_NOT_LETTER:
			appendStringInfoString(buf, ticket_text(translate, gettext_noop("an income band starts with a letter")));
			break;
	}
}

/*
 * Raise 22P02 for an input parse refused.  escontext is the input
 * function's soft-error context (PostgreSQL 16+), NULL elsewhere.
 */
static Datum
short_code_complain(const ShortCodeType *type, const char *input, size_t len,
					fmNodePtr escontext)
{
	StringInfoData reason;
	const char *hint = NULL;
	/* short and escaped: binary input may hold any byte, text any length */
	char	   *shown = ticket_quote_input(input, len, TICKET_QUOTE_MESSAGE);

	initStringInfo(&reason);
	type->explain(input, len, &reason, &hint, true);
	TICKET_ERETURN(escontext, (Datum) 0,
				   errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				   errmsg(type->invalid, shown, reason.data),
				   hint ? errhint("%s", hint) : 0);
}

size_t
ticket_short_code_text(const ShortCodeType *type, Datum value, char out[SHORT_CODE_MAX_LEN + 1])
{
	size_t		len = ticket_short_code_unpack(ticket_short_code_datum_packed(value), out);

	if (len == 0)
		elog(ERROR, "corrupt %s value %d", type->name, DatumGetInt32(value));
	return len;
}

Datum
ticket_short_code_in(const ShortCodeType *type, FunctionCallInfo fcinfo)
{
	char	   *input = PG_GETARG_CSTRING(0);
	size_t		len = strlen(input);
	uint32		packed;

	if (!type->parse(input, len, &packed))
		return short_code_complain(type, input, len, fcinfo->context);
	return ticket_short_code_packed_datum(packed);
}

Datum
ticket_short_code_out(const ShortCodeType *type, FunctionCallInfo fcinfo)
{
	char		code[SHORT_CODE_MAX_LEN + 1];
	size_t		len = ticket_short_code_text(type, PG_GETARG_DATUM(0), code);

	PG_RETURN_CSTRING(pnstrdup(code, len));
}

/*
 * Casts to and from text without the detour through cstring I/O, as for
 * fiscal_code: loading a text column is the bulk path.
 */
Datum
ticket_short_code_from_text(const ShortCodeType *type, FunctionCallInfo fcinfo)
{
	text	   *input = ticket_text_arg_pp(PG_GETARG_DATUM(0));
	uint32		packed;

	if (!type->parse(VARDATA_ANY(input), VARSIZE_ANY_EXHDR(input), &packed))
		return short_code_complain(type, VARDATA_ANY(input),
								   VARSIZE_ANY_EXHDR(input), NULL);
	return ticket_short_code_packed_datum(packed);
}

Datum
ticket_short_code_to_text(const ShortCodeType *type, FunctionCallInfo fcinfo)
{
	char		code[SHORT_CODE_MAX_LEN + 1];
	size_t		len = ticket_short_code_text(type, PG_GETARG_DATUM(0), code);

	PG_RETURN_TEXT_P(cstring_to_text_with_len(code, len));
}

/*
 * Binary form: the code's characters (1 to 6 bytes), no length word; the
 * message length gives it.  Independent of the packing, so the storage can
 * change without changing the wire.  Received bytes go through the same
 * validation as text, so a client cannot store what the input function
 * would refuse.
 */
Datum
ticket_short_code_send(const ShortCodeType *type, FunctionCallInfo fcinfo)
{
	char		code[SHORT_CODE_MAX_LEN + 1];
	size_t		len = ticket_short_code_text(type, PG_GETARG_DATUM(0), code);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbytes(&buf, code, (int) len);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
ticket_short_code_recv(const ShortCodeType *type, FunctionCallInfo fcinfo)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			nbytes = buf->len - buf->cursor;
	const char *bytes;
	uint32		packed;

	if (nbytes < 1 || nbytes > SHORT_CODE_MAX_LEN)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg(type->invalid_binary, nbytes, SHORT_CODE_MAX_LEN)));
	bytes = pq_getmsgbytes(buf, nbytes);
	if (!type->parse(bytes, nbytes, &packed))
		return short_code_complain(type, bytes, nbytes, NULL);
	return ticket_short_code_packed_datum(packed);
}

Datum
ticket_short_code_is_valid(const ShortCodeType *type, FunctionCallInfo fcinfo)
{
	text	   *input = ticket_text_arg_pp(PG_GETARG_DATUM(0));
	uint32		packed;

	PG_RETURN_BOOL(type->parse(VARDATA_ANY(input), VARSIZE_ANY_EXHDR(input), &packed));
}

Datum
ticket_short_code_error(const ShortCodeType *type, FunctionCallInfo fcinfo)
{
	text	   *input = ticket_text_arg_pp(PG_GETARG_DATUM(0));
	uint32		packed;
	StringInfoData reason;
	const char *hint = NULL;

	if (type->parse(VARDATA_ANY(input), VARSIZE_ANY_EXHDR(input), &packed))
		PG_RETURN_NULL();
	initStringInfo(&reason);
	/* data: always English */
	type->explain(VARDATA_ANY(input), VARSIZE_ANY_EXHDR(input), &reason, &hint, false);
	PG_RETURN_TEXT_P(cstring_to_text(reason.data));
}

/* ---------- ticket.income_band ---------- */

static bool
income_band_parse_packed(const char *input, size_t len, uint32 *packed)
{
	return ticket_income_band_parse(input, len, packed, NULL) == SC_OK;
}

static void income_band_explain(const char *input, size_t len, StringInfo buf,
								const char **hint, bool translate);

static const ShortCodeType income_band_type = {
	.name = "income band",
	.invalid = gettext_noop("invalid income band \"%s\": %s"),
	.invalid_binary = gettext_noop("invalid binary income band: %d bytes, expected 1 to %d"),
	.empty = gettext_noop("the band is empty"),
	.too_long = gettext_noop("an income band has at most 6 characters"),
	.parse = income_band_parse_packed,
	.explain = income_band_explain,
};

/* Every income-band message: the lexical ones plus "starts with a letter". */
static void
income_band_explain(const char *input, size_t len, StringInfo buf, const char **hint,
					bool translate)
{
	sc_error	err;
	uint32		packed;

	ticket_income_band_parse(input, len, &packed, &err);
	ticket_short_code_reason(&income_band_type, &err, buf, translate);
	if (err.status == SC_ERR_BAND_FIRST_NOT_LETTER || err.status == SC_ERR_TOO_LONG)
		*hint = _("Income bands are codes such as RE1, RE2, RE3 (2011-2018), QB and QM (2019-2020).");
}

/*
 * The fmgr symbols below keep the names the released scripts give them:
 * an ABI, not subject to the ticket_ prefix (ticket.c says why).
 */
SHORT_CODE_FUNCTION(income_band_in, ticket_short_code_in, &income_band_type)
SHORT_CODE_FUNCTION(income_band_out, ticket_short_code_out, &income_band_type)
SHORT_CODE_FUNCTION(income_band_recv, ticket_short_code_recv, &income_band_type)
SHORT_CODE_FUNCTION(income_band_send, ticket_short_code_send, &income_band_type)
SHORT_CODE_FUNCTION(income_band_from_text, ticket_short_code_from_text, &income_band_type)
SHORT_CODE_FUNCTION(income_band_to_text, ticket_short_code_to_text, &income_band_type)
SHORT_CODE_FUNCTION(income_band_is_valid, ticket_short_code_is_valid, &income_band_type)
SHORT_CODE_FUNCTION(income_band_error, ticket_short_code_error, &income_band_type)
