/*
 * exemption_type.c
 *		The ticket.exemption base type: its messages and exemption_family().
 *
 * Storage and I/O are those of ticket.income_band (income_band_type.c,
 * core/short_code.h); the family rules are in core/exemption_core.c.  This
 * file describes the type to the shared machinery and turns the core's
 * error codes into messages.
 */
#include "ticket_compat.h"

#include "exemption_core.h"
#include "messages.h"
#include "short_code_type.h"

#include "fmgr.h"
#include "utils/builtins.h"

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
 * or English (ticket_text).  Past the lexical errors, each names the family
 * the code resembles and its codes.
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
		case EX_ERR_INCOME:
			appendStringInfoString(buf, ticket_text(translate, gettext_noop("income exemptions are E01 to E04")));
			break;
		case EX_ERR_F:
			appendStringInfoString(buf, ticket_text(translate, gettext_noop("exemptions starting with F are F01 and the regional F, a letter and a digit (FA2)")));
			break;
		case EX_ERR_CIVIL_INVALIDITY:
			appendStringInfoString(buf, ticket_text(translate, gettext_noop("civil-invalidity exemptions are C01 to C07")));
			break;
		case EX_ERR_WAR_INVALIDITY:
			appendStringInfoString(buf, ticket_text(translate, gettext_noop("war-invalidity exemptions are G01 and G02")));
			break;
		case EX_ERR_WORK_INVALIDITY:
			appendStringInfoString(buf, ticket_text(translate, gettext_noop("work-invalidity exemptions are L01 to L04")));
			break;
		case EX_ERR_SERVICE_INVALIDITY:
			appendStringInfoString(buf, ticket_text(translate, gettext_noop("service-invalidity exemptions are S01 to S04")));
			break;
		case EX_ERR_DAMAGE:
			appendStringInfoString(buf, ticket_text(translate, gettext_noop("the exemption for damage from vaccinations or transfusions is N01")));
			break;
		case EX_ERR_VICTIM:
			appendStringInfoString(buf, ticket_text(translate, gettext_noop("exemptions for victims of terrorism and organised crime are V01 and V02")));
			break;
		case EX_ERR_PREGNANCY:
			appendStringInfoString(buf, ticket_text(translate, gettext_noop("pregnancy exemptions are M00 to M41, M50, M52 and M99")));
			break;
		case EX_ERR_PREVENTION:
			appendStringInfoString(buf, ticket_text(translate, gettext_noop("prevention exemptions are D01 to D06, D01B and D01C")));
			break;
		case EX_ERR_P:
			appendStringInfoString(buf, ticket_text(translate, gettext_noop("exemptions starting with P are P01 to P03 and PML")));
			break;
		case EX_ERR_T:
			appendStringInfoString(buf, ticket_text(translate, gettext_noop("exemptions starting with T are T01 and TDL01")));
			break;
		case EX_ERR_ONLY_CODE:
			appendStringInfo(buf, ticket_text(translate, gettext_noop("the only exemption starting with %c is %c01")),
							 err->code[0], err->code[0]);
			break;
		case EX_ERR_CHRONIC:
			appendStringInfoString(buf, ticket_text(translate, gettext_noop("chronic-disease exemptions are 0 and two digits (001 to 099) or 0, a letter and two digits (0A31)")));
			break;
		case EX_ERR_RARE_GROUP:
			appendStringInfoString(buf, ticket_text(translate, gettext_noop("rare-disease groups are A to Q")));
			break;
		case EX_ERR_RARE:
			appendStringInfoString(buf, ticket_text(translate, gettext_noop("rare-disease exemptions are R, a group letter A to Q and four digits (RI0050), R, a group letter, G and three digits (RIG010), or R99")));
			break;
		case EX_ERR_UNKNOWN:
			appendStringInfoString(buf, ticket_text(translate, gettext_noop("not a known exemption code")));
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
		case EX_ERR_UNKNOWN:
			return _("The families are income (E01-E04), regional (E99, FA2), invalidity (C01-C07, G01-G02, L01-L04, S01-S04, N01, V01-V02), "
					 "pregnancy (M00-M41, M50, M52, M99), prevention (D01-D06, D01B, D01C), "
					 "other (B01, T01, I01, P01-P03, F01, X01, TDL01, PML), chronic (001-099, 0A31) and rare (RI0050, RIG010, R99).");
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

PG_FUNCTION_INFO_V1(exemption_family);
Datum
exemption_family(PG_FUNCTION_ARGS)
{
	char		code[SHORT_CODE_MAX_LEN + 1];
	size_t		len = ticket_short_code_text(&exemption_type, PG_GETARG_DATUM(0), code);

	PG_RETURN_TEXT_P(cstring_to_text(ticket_exemption_family_name(ticket_exemption_family_of(code, len, NULL))));
}
