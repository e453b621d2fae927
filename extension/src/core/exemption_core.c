/*
 * exemption_core.c
 *		Pure-C exemption code syntax: see exemption_core.h.
 *
 * The type accepts any code of the catalogue's shape: 1 to 6 letters and
 * digits (the lexical layer, short_code.c) that is not an income band.
 * Which codes exist on a date, and their family, is
 * ticket.exemption_catalogue's data (issue 18), read by the rule cache; the
 * per-family shape tables that classified codes before 1.3 are gone.
 */
#include "exemption_core.h"

#include <string.h>

/* Income bands share the exemption box of the ricetta (§4.2). */
static const char *const income_bands[] = {"RE1", "RE2", "RE3", "QB", "QM"};

#define lengthof(array) (sizeof(array) / sizeof((array)[0]))

static bool
is_income_band(const char *code, size_t len)
{
	for (size_t i = 0; i < lengthof(income_bands); i++)
		if (strlen(income_bands[i]) == len && memcmp(income_bands[i], code, len) == 0)
			return true;
	return false;
}

ex_status
ticket_exemption_parse(const char *input, size_t len, uint32_t *packed, ex_error *err)
{
	char		code[SHORT_CODE_MAX_LEN + 1];
	size_t		code_len;
	sc_error	lexical;
	ex_status	status;

	if (err)
		memset(err, 0, sizeof(*err));
	if (ticket_short_code_normalize(input, len, code, &code_len, &lexical) != SC_OK)
	{
		if (err)
		{
			err->status = EX_ERR_LEXICAL;
			err->lexical = lexical;
		}
		return EX_ERR_LEXICAL;
	}
	status = is_income_band(code, code_len) ? EX_ERR_INCOME_BAND : EX_OK;
	if (err)
	{
		err->status = status;
		memcpy(err->code, code, code_len + 1);
	}
	if (status == EX_OK)
		ticket_short_code_pack(code, code_len, packed);	/* cannot fail after normalize */
	return status;
}

const char *
ticket_exemption_family_name(ex_family family)
{
	switch (family)
	{
		case EX_FAMILY_INCOME:
			return "income";
		case EX_FAMILY_REGIONAL:
			return "regional";
		case EX_FAMILY_INVALIDITY:
			return "invalidity";
		case EX_FAMILY_PREGNANCY:
			return "pregnancy";
		case EX_FAMILY_PREVENTION:
			return "prevention";
		case EX_FAMILY_OTHER:
			return "other";
		case EX_FAMILY_CHRONIC:
			return "chronic";
		case EX_FAMILY_RARE:
			return "rare";
		default:
			return "none";
	}
}

ex_family
ticket_exemption_family_number(const char *name)
{
	for (int f = EX_FAMILY_NONE + 1; f < EX_FAMILY_COUNT; f++)
		if (strcmp(name, ticket_exemption_family_name((ex_family) f)) == 0)
			return (ex_family) f;
	return EX_FAMILY_NONE;
}
