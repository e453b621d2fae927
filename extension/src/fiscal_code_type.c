/*
 * fiscal_code_type.c
 *		The ticket.fiscal_code base type: text and binary I/O, comparison
 *		and hashing.  All rules live in core/fiscal_code_core.c; this file
 *		only moves values between the core and the fmgr interface, and turns
 *		the core's error codes into messages.
 */
#include "ticket_compat.h"

#include "fiscal_code_errors.h"
#include "messages.h"
#include "text_args.h"

#include "common/hashfn.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "ticket.h"

/* The months, in "day 31 does not exist in April"; translated there. */
static const char *const month_names[12] = {
	/* translator: the months, as in "day 31 does not exist in April" */
	gettext_noop("January"), gettext_noop("February"), gettext_noop("March"), gettext_noop("April"),
	/* translator: the month */
	gettext_noop("May"), gettext_noop("June"), gettext_noop("July"), gettext_noop("August"),
	gettext_noop("September"), gettext_noop("October"), gettext_noop("November"), gettext_noop("December")
};

/*
 * The reason an input is not a fiscal code, as one sentence.  Shared by the
 * input function and fiscal_code_error(), so both always say the same:
 * translated for the first, English for the second (ticket_text).
 */
void
ticket_fiscal_code_reason(const cf_error *err, StringInfo buf, bool translate)
{
	switch (err->status)
	{
		case CF_OK:
			break;
		case CF_ERR_EMPTY:
			appendStringInfoString(buf, ticket_text(translate, gettext_noop("the code is empty")));
			break;
		case CF_ERR_NON_ASCII:
			appendStringInfo(buf, ticket_text(translate, gettext_noop("character %d is not an ASCII letter or digit")),
							 err->position);
			break;
		case CF_ERR_INNER_SPACE:
			appendStringInfo(buf, ticket_text(translate, gettext_noop("inner spaces are not allowed (position %d)")),
							 err->position);
			break;
		case CF_ERR_BAD_CHARACTER:
			appendStringInfo(buf, ticket_text(translate, gettext_noop("'%c' at position %d is not a letter or digit")),
							 err->ch, err->position);
			break;
		case CF_ERR_LENGTH:
			if (err->value >= 9999)
				appendStringInfoString(buf, ticket_text(translate, gettext_noop("a fiscal code has 16 characters or 11 digits, not thousands")));
			else
				appendStringInfo(buf, ticket_text(translate, gettext_noop("a fiscal code has 16 characters or 11 digits, not %d")),
								 err->value);
			break;
		case CF_ERR_NUMERIC_NOT_DIGIT:
			appendStringInfo(buf, ticket_text(translate, gettext_noop("an 11-character code must be all digits, '%c' at position %d is not")),
							 err->ch, err->position);
			break;
		case CF_ERR_NUMERIC_SERIAL:
			appendStringInfoString(buf, ticket_text(translate, gettext_noop("serial number 0000000 is not valid")));
			break;
		case CF_ERR_NUMERIC_OFFICE:
			appendStringInfo(buf, ticket_text(translate, gettext_noop("office code %03d is not valid")), err->value);
			break;
		case CF_ERR_NUMERIC_CHECK:
			appendStringInfo(buf, ticket_text(translate, gettext_noop("check digit should be '%c'")), err->expected);
			break;
		case CF_ERR_HEALTH_NOT_DIGIT:
			/* translator: the first %s is the kind of code, STP or ENI */
			appendStringInfo(buf, ticket_text(translate, gettext_noop("an %s code has 13 digits after its prefix, '%c' at position %d is not a digit")),
							 err->value == CF_KIND_STP ? "STP" : "ENI",
							 err->ch, err->position);
			break;
		case CF_ERR_NOT_LETTER:
			appendStringInfo(buf, ticket_text(translate, gettext_noop("'%c' at position %d should be a letter")),
							 err->ch, err->position);
			break;
		case CF_ERR_NOT_DIGIT_OR_OMOCODE:
			appendStringInfo(buf, ticket_text(translate, gettext_noop("'%c' at position %d is neither a digit nor an omocode letter")),
							 err->ch, err->position);
			break;
		case CF_ERR_MONTH:
			appendStringInfo(buf, ticket_text(translate, gettext_noop("'%c' is not a month letter")), err->ch);
			break;
		case CF_ERR_DAY:
			appendStringInfo(buf, ticket_text(translate, gettext_noop("day %02d is not a valid day")), err->value);
			break;
		case CF_ERR_DAY_IN_MONTH:
			/* translator: %s is a month name ("April"), translated on its own */
			appendStringInfo(buf, ticket_text(translate, gettext_noop("day %d does not exist in %s")),
							 err->value, ticket_text(translate, month_names[err->value2 - 1]));
			break;
		case CF_ERR_FEB29:
			appendStringInfo(buf, ticket_text(translate, gettext_noop("29 February does not exist in any year ending in %02d")),
							 err->value);
			break;
		case CF_ERR_PLACE_LETTER:
			appendStringInfo(buf, ticket_text(translate, gettext_noop("'%c' cannot start a birthplace code")), err->ch);
			break;
		case CF_ERR_CHECK:
			appendStringInfo(buf, ticket_text(translate, gettext_noop("check character should be '%c'")), err->expected);
			break;
		case CF_ERR_SEX:
			appendStringInfoString(buf, ticket_text(translate, gettext_noop("sex must be 'M' or 'F'")));
			break;
		case CF_ERR_BIRTHPLACE:
			appendStringInfoString(buf, ticket_text(translate, gettext_noop("the birthplace is not a Belfiore code")));
			break;
		case CF_ERR_DATE:
			appendStringInfoString(buf, ticket_text(translate, gettext_noop("the birth date is not a valid date")));
			break;
	}
}

/*
 * A hint for the errors where the rule is not obvious from the message,
 * translated: hints only ever go into messages.
 */
static const char *
fiscal_code_hint(cf_status status)
{
	switch (status)
	{
		case CF_ERR_NOT_DIGIT_OR_OMOCODE:
			return _("Positions 7, 8, 10, 11, 13, 14 and 15 hold a digit or one of the omocode letters L M N P Q R S T U V.");
		case CF_ERR_MONTH:
			return _("The month letters are A B C D E H L M P R S T, January to December.");
		case CF_ERR_DAY:
			return _("The day is 01 to 31 for men and 41 to 71 for women.");
		case CF_ERR_NUMERIC_OFFICE:
			return _("Office codes (digits 8 to 10) run from 001 to 100, or are 120, 121, 888 or 999.");
		case CF_ERR_PLACE_LETTER:
			return _("Birthplace codes start with A to I, L or M (Italian municipalities) or Z (foreign states).");
		case CF_ERR_LENGTH:
			return _("STP and ENI codes also have 16 characters: the prefix and 13 digits.");
		default:
			return NULL;
	}
}

/*
 * The reason (into reason, initialised here) and the hint (or NULL) of an
 * error, both in the session's language.
 */
static const char *
fiscal_code_explain(const cf_error *err, StringInfo reason)
{
	initStringInfo(reason);
	ticket_fiscal_code_reason(err, reason, true);
	return fiscal_code_hint(err->status);
}

void
ticket_fiscal_code_report_error(const char *input, size_t len, const cf_error *err)
{
	StringInfoData reason;
	const char *hint = fiscal_code_explain(err, &reason);

	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid fiscal code \"%s\": %s",
					ticket_quote_input(input, len, TICKET_QUOTE_MESSAGE), reason.data),
			 hint ? errhint("%s", hint) : 0));
	pg_unreachable();
}

/*
 * The fmgr symbols below keep the names the released scripts give them:
 * an ABI, not subject to the ticket_ prefix (ticket.c says why).
 */
PG_FUNCTION_INFO_V1(fiscal_code_in);
Datum
fiscal_code_in(PG_FUNCTION_ARGS)
{
	char	   *input = PG_GETARG_CSTRING(0);
	FiscalCode *result = palloc(sizeof(FiscalCode));
	cf_error	err;

	if (ticket_cf_parse(input, strlen(input), result->data, &err) != CF_OK)
	{
		StringInfoData reason;
		const char *hint = fiscal_code_explain(&err, &reason);

		/* not ticket_fiscal_code_report_error: a soft error returns from here */
		TICKET_ERETURN(fcinfo->context, (Datum) 0,
					   errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					   errmsg("invalid fiscal code \"%s\": %s",
							  ticket_quote(input), reason.data),
					   hint ? errhint("%s", hint) : 0);
	}
	PG_RETURN_FISCAL_CODE_P(result);
}

PG_FUNCTION_INFO_V1(fiscal_code_out);
Datum
fiscal_code_out(PG_FUNCTION_ARGS)
{
	FiscalCode *code = PG_GETARG_FISCAL_CODE_P(0);

	PG_RETURN_CSTRING(pnstrdup(code->data, ticket_cf_length(code->data)));
}

/*
 * Casts to and from text without the detour through cstring I/O: loading a
 * text column into a fiscal_code one is the common bulk path.
 */
PG_FUNCTION_INFO_V1(fiscal_code_from_text);
Datum
fiscal_code_from_text(PG_FUNCTION_ARGS)
{
	text	   *input = ticket_text_arg_pp(PG_GETARG_DATUM(0));
	FiscalCode *result = palloc(sizeof(FiscalCode));
	cf_error	err;

	if (ticket_cf_parse(VARDATA_ANY(input), VARSIZE_ANY_EXHDR(input), result->data, &err) != CF_OK)
		ticket_fiscal_code_report_error(VARDATA_ANY(input), VARSIZE_ANY_EXHDR(input), &err);
	PG_RETURN_FISCAL_CODE_P(result);
}

PG_FUNCTION_INFO_V1(fiscal_code_to_text);
Datum
fiscal_code_to_text(PG_FUNCTION_ARGS)
{
	FiscalCode *code = PG_GETARG_FISCAL_CODE_P(0);

	PG_RETURN_TEXT_P(cstring_to_text_with_len(code->data, ticket_cf_length(code->data)));
}

/*
 * Binary form: the code's characters (11 or 16 bytes), no length word; the
 * message length gives it.  Received bytes go through the same validation
 * as text, so a client cannot store what the input function would refuse.
 */
PG_FUNCTION_INFO_V1(fiscal_code_send);
Datum
fiscal_code_send(PG_FUNCTION_ARGS)
{
	FiscalCode *code = PG_GETARG_FISCAL_CODE_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbytes(&buf, code->data, ticket_cf_length(code->data));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(fiscal_code_recv);
Datum
fiscal_code_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			nbytes = buf->len - buf->cursor;
	const char *bytes;
	FiscalCode *result = palloc(sizeof(FiscalCode));
	cf_error	err;

	if (nbytes != CF_PERSONAL_LEN && nbytes != CF_NUMERIC_LEN)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary fiscal code: %d bytes, expected 16 or 11", nbytes)));
	bytes = pq_getmsgbytes(buf, nbytes);
	/* a byte text input cannot carry (NUL, control, non-ASCII): named here */
	for (int i = 0; i < nbytes; i++)
		if ((unsigned char) bytes[i] < 0x20 || (unsigned char) bytes[i] >= 0x7f)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid binary fiscal code \"%s\": byte 0x%02X at position %d is not a printable ASCII character",
							ticket_quote_input(bytes, nbytes, TICKET_QUOTE_MESSAGE),
							(unsigned char) bytes[i], i + 1)));
	if (ticket_cf_parse(bytes, nbytes, result->data, &err) != CF_OK)
		ticket_fiscal_code_report_error(bytes, nbytes, &err);
	PG_RETURN_FISCAL_CODE_P(result);
}

static inline int
fiscal_code_cmp_internal(const FiscalCode *a, const FiscalCode *b)
{
	return memcmp(a->data, b->data, FISCAL_CODE_LEN);
}

#define FISCAL_CODE_COMPARISON(name, op) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_BOOL(fiscal_code_cmp_internal(PG_GETARG_FISCAL_CODE_P(0), \
											PG_GETARG_FISCAL_CODE_P(1)) op 0); \
}

FISCAL_CODE_COMPARISON(fiscal_code_eq, ==)
FISCAL_CODE_COMPARISON(fiscal_code_ne, !=)
FISCAL_CODE_COMPARISON(fiscal_code_lt, <)
FISCAL_CODE_COMPARISON(fiscal_code_le, <=)
FISCAL_CODE_COMPARISON(fiscal_code_gt, >)
FISCAL_CODE_COMPARISON(fiscal_code_ge, >=)

PG_FUNCTION_INFO_V1(fiscal_code_cmp);
Datum
fiscal_code_cmp(PG_FUNCTION_ARGS)
{
	int			c = fiscal_code_cmp_internal(PG_GETARG_FISCAL_CODE_P(0),
											 PG_GETARG_FISCAL_CODE_P(1));

	PG_RETURN_INT32(c < 0 ? -1 : (c > 0 ? 1 : 0));
}

PG_FUNCTION_INFO_V1(fiscal_code_hash);
Datum
fiscal_code_hash(PG_FUNCTION_ARGS)
{
	FiscalCode *code = PG_GETARG_FISCAL_CODE_P(0);

	return hash_any((const unsigned char *) code->data, FISCAL_CODE_LEN);
}

PG_FUNCTION_INFO_V1(fiscal_code_hash_extended);
Datum
fiscal_code_hash_extended(PG_FUNCTION_ARGS)
{
	FiscalCode *code = PG_GETARG_FISCAL_CODE_P(0);

	return hash_any_extended((const unsigned char *) code->data, FISCAL_CODE_LEN,
							 PG_GETARG_INT64(1));
}
