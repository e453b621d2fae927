/*
 * exemption_type.c
 *		The ticket.exemption base type: its messages and exemption_family().
 *
 * Storage and I/O are those of ticket.income_band (income_band_type.c,
 * core/short_code.h); the syntax is core/exemption_core.c's.  This
 * file describes the type to the shared machinery and turns the core's
 * error codes into messages.
 */
#include "ticket_compat.h"

#include "exemption_core.h"
#include "messages.h"
#include "rules_cache.h"
#include "short_code_type.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/date.h"

#include "ticket.h"

static bool
exemption_parse_packed(const char *input, size_t len, uint32 *packed)
{
	return ticket_exemption_parse(input, len, packed, NULL) == EX_OK;
}

static void exemption_explain(const char *input, size_t len, StringInfo buf,
							  const char **hint, bool translate);

static const ShortCodeType exemption_type = {
	.name = "exemption",
	.invalid = gettext_noop("invalid exemption \"%s\": %s"),
	.invalid_binary = gettext_noop("invalid binary exemption: %d bytes, expected 1 to %d"),
	.empty = gettext_noop("the code is empty"),
	.too_long = gettext_noop("an exemption code has at most 6 characters"),
	.parse = exemption_parse_packed,
	.explain = exemption_explain,
};

/*
 * The reason an input is not an exemption code, as one sentence, translated
 * or English (ticket_text): its characters, or an income band.  Any other
 * code parses; the catalogue says at pricing whether it exists.
 */
static void
exemption_reason(const ex_error *err, StringInfo buf, bool translate)
{
	switch (err->status)
	{
		case EX_OK:
			break;
		case EX_ERR_LEXICAL:
			ticket_short_code_reason(&exemption_type, &err->lexical, buf, translate);
			break;
		case EX_ERR_INCOME_BAND:
			appendStringInfo(buf, ticket_text(translate, gettext_noop("%s is an income band, not an exemption")), err->code);
			break;
	}
}

/* A hint for the errors where the way out is not in the message, translated. */
static const char *
exemption_hint(const ex_error *err)
{
	switch (err->status)
	{
		case EX_ERR_LEXICAL:
			if (err->lexical.status == SC_ERR_BAD_CHARACTER && err->lexical.ch == '.')
				return _("A disease code's ICD-9-CM suffix is not part of the exemption: write 030 for 030.710.2.");
			return NULL;
		case EX_ERR_INCOME_BAND:
			return _("Income bands (RE1, RE2, RE3, QB, QM) share the exemption box of the prescription but are values of ticket.income_band.");
		default:
			return NULL;
	}
}

static void
exemption_explain(const char *input, size_t len, StringInfo buf, const char **hint,
				  bool translate)
{
	ex_error	err;
	uint32		packed;

	ticket_exemption_parse(input, len, &packed, &err);
	exemption_reason(&err, buf, translate);
	*hint = exemption_hint(&err);
}

/*
 * The fmgr symbols below keep the names the released scripts give them:
 * an ABI, not subject to the ticket_ prefix (ticket.c says why).
 */
SHORT_CODE_FUNCTION(exemption_in, ticket_short_code_in, &exemption_type)
SHORT_CODE_FUNCTION(exemption_out, ticket_short_code_out, &exemption_type)
SHORT_CODE_FUNCTION(exemption_recv, ticket_short_code_recv, &exemption_type)
SHORT_CODE_FUNCTION(exemption_send, ticket_short_code_send, &exemption_type)
SHORT_CODE_FUNCTION(exemption_from_text, ticket_short_code_from_text, &exemption_type)
SHORT_CODE_FUNCTION(exemption_to_text, ticket_short_code_to_text, &exemption_type)
SHORT_CODE_FUNCTION(exemption_is_valid, ticket_short_code_is_valid, &exemption_type)
SHORT_CODE_FUNCTION(exemption_error, ticket_short_code_error, &exemption_type)

/*
 * ticket.exemption_family was this C function before 1.3 (the released
 * scripts create it so); since 1.3 it is SQL over ticket.exemption_catalogue
 * and the symbol stays for those scripts.  It answers from the catalogue
 * (the rule cache) on today's date: the family, or NULL.
 */
PG_FUNCTION_INFO_V1(exemption_family);
Datum
exemption_family(PG_FUNCTION_ARGS)
{
	int			family = ticket_rules_exemption_family_on(ticket_rules_cache_get(),
														  exemption_datum_packed(PG_GETARG_DATUM(0)),
														  GetSQLCurrentDate());

	if (family < 0)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(ticket_exemption_family_name((ex_family) family)));
}
