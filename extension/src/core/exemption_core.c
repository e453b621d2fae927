/*
 * exemption_core.c
 *		Pure-C exemption code syntax: see exemption_core.h.
 *
 * Two tables drive everything.  family_rules lists every valid shape with
 * its family; a code that matches none is looked up in near_misses, whose
 * first matching row says which family the code resembles, so that the
 * message can list the codes of that family.  These tables classify; they
 * no longer decide what parses (ticket_exemption_parse: any code but an
 * income band), and which codes exist is ticket.exemption_catalogue's data.
 * The unit tests (test/unit/short_code_tests.c) count the codes of every
 * family, so a row that matches more than intended shows up there.
 */
#include "exemption_core.h"

#include <string.h>

/*
 * A shape, matched against the whole code (trimmed and upper-cased):
 *	 'A'-'Z', '0'-'9'	that character
 *	 'd'				a digit; the digits of a shape, read left to right as
 *						one number, must lie in [lo, hi]
 *	 'l'				any letter
 *	 'q'				a rare-disease group letter, A to Q
 *	 'r'				a letter after Q (R to Z)
 *	 '*'				(last only) any tail, possibly empty
 */
typedef struct code_shape
{
	const char *shape;
	int			lo;
	int			hi;
	unsigned char result;		/* ex_family or ex_status */
} code_shape;

#define ANY_NUMBER 0, 999999

/* Every valid code, by family (ticket-rules.md §4.1-§4.4). */
static const code_shape family_rules[] = {
	/* §4.1 national income exemptions */
	{"Edd", 1, 4, EX_FAMILY_INCOME},
	/* §4.2 regional: workers hit by the crisis, families with children */
	{"E99", ANY_NUMBER, EX_FAMILY_REGIONAL},
	{"Fld", ANY_NUMBER, EX_FAMILY_REGIONAL},
	/* §4.3 invalidity: civil, war, work, service, L. 210/1992, victims */
	{"Cdd", 1, 7, EX_FAMILY_INVALIDITY},
	{"Gdd", 1, 2, EX_FAMILY_INVALIDITY},
	{"Ldd", 1, 4, EX_FAMILY_INVALIDITY},
	{"Sdd", 1, 4, EX_FAMILY_INVALIDITY},
	{"N01", ANY_NUMBER, EX_FAMILY_INVALIDITY},
	{"Vdd", 1, 2, EX_FAMILY_INVALIDITY},
	/* §4.3 pregnancy: M + week, at risk, seafaring staff, week unknown */
	{"Mdd", 0, 41, EX_FAMILY_PREGNANCY},
	{"M50", ANY_NUMBER, EX_FAMILY_PREGNANCY},
	{"M52", ANY_NUMBER, EX_FAMILY_PREGNANCY},
	{"M99", ANY_NUMBER, EX_FAMILY_PREGNANCY},
	/* §4.3 early cancer diagnosis */
	{"Ddd", 1, 6, EX_FAMILY_PREVENTION},
	{"D01B", ANY_NUMBER, EX_FAMILY_PREVENTION},
	{"D01C", ANY_NUMBER, EX_FAMILY_PREVENTION},
	/* §4.3 other national codes */
	{"B01", ANY_NUMBER, EX_FAMILY_OTHER},
	{"T01", ANY_NUMBER, EX_FAMILY_OTHER},
	{"I01", ANY_NUMBER, EX_FAMILY_OTHER},
	{"Pdd", 1, 3, EX_FAMILY_OTHER},
	{"F01", ANY_NUMBER, EX_FAMILY_OTHER},
	{"X01", ANY_NUMBER, EX_FAMILY_OTHER},
	{"TDL01", ANY_NUMBER, EX_FAMILY_OTHER},
	{"PML", ANY_NUMBER, EX_FAMILY_OTHER},
	/* §4.4 chronic diseases: DM 329/1999 and DPCM 2017 Allegato 8 */
	{"0dd", 1, 99, EX_FAMILY_CHRONIC},
	{"0ldd", ANY_NUMBER, EX_FAMILY_CHRONIC},
	/* §4.4 rare diseases: single disease, group, suspected */
	{"Rqdddd", ANY_NUMBER, EX_FAMILY_RARE},
	{"RqGddd", ANY_NUMBER, EX_FAMILY_RARE},
	{"R99", ANY_NUMBER, EX_FAMILY_RARE},
};

/* What an invalid code resembles; the first matching row wins. */
static const code_shape near_misses[] = {
	/* income bands share the exemption box of the ricetta (§4.2) */
	{"RE1", ANY_NUMBER, EX_ERR_INCOME_BAND},
	{"RE2", ANY_NUMBER, EX_ERR_INCOME_BAND},
	{"RE3", ANY_NUMBER, EX_ERR_INCOME_BAND},
	{"QB", ANY_NUMBER, EX_ERR_INCOME_BAND},
	{"QM", ANY_NUMBER, EX_ERR_INCOME_BAND},
	{"Edd*", ANY_NUMBER, EX_ERR_INCOME},
	{"Fd*", ANY_NUMBER, EX_ERR_F},
	{"Fl*", ANY_NUMBER, EX_ERR_F},
	{"Cdd*", ANY_NUMBER, EX_ERR_CIVIL_INVALIDITY},
	{"Gdd*", ANY_NUMBER, EX_ERR_WAR_INVALIDITY},
	{"Ldd*", ANY_NUMBER, EX_ERR_WORK_INVALIDITY},
	{"Sdd*", ANY_NUMBER, EX_ERR_SERVICE_INVALIDITY},
	{"Ndd*", ANY_NUMBER, EX_ERR_DAMAGE},
	{"Vdd*", ANY_NUMBER, EX_ERR_VICTIM},
	{"Mdd*", ANY_NUMBER, EX_ERR_PREGNANCY},
	{"Ddd*", ANY_NUMBER, EX_ERR_PREVENTION},
	{"Pdd*", ANY_NUMBER, EX_ERR_P},
	{"PM*", ANY_NUMBER, EX_ERR_P},
	{"Tdd*", ANY_NUMBER, EX_ERR_T},
	{"TD*", ANY_NUMBER, EX_ERR_T},
	{"Bdd*", ANY_NUMBER, EX_ERR_ONLY_CODE},
	{"Idd*", ANY_NUMBER, EX_ERR_ONLY_CODE},
	{"Xdd*", ANY_NUMBER, EX_ERR_ONLY_CODE},
	{"d*", ANY_NUMBER, EX_ERR_CHRONIC},
	{"Rr*", ANY_NUMBER, EX_ERR_RARE_GROUP},
	{"R*", ANY_NUMBER, EX_ERR_RARE},
};

#define lengthof(array) (sizeof(array) / sizeof((array)[0]))

static bool
shape_matches(const char *shape, int lo, int hi, const char *code, size_t len)
{
	int			number = 0;
	size_t		i = 0;
	const char *s;

	for (s = shape; *s != '\0' && *s != '*'; s++, i++)
	{
		char		c;

		if (i >= len)
			return false;
		c = code[i];
		switch (*s)
		{
			case 'd':
				if (c < '0' || c > '9')
					return false;
				number = number * 10 + (c - '0');
				break;
			case 'l':
				if (c < 'A' || c > 'Z')
					return false;
				break;
			case 'q':
				if (c < 'A' || c > 'Q')
					return false;
				break;
			case 'r':
				if (c < 'R' || c > 'Z')
					return false;
				break;
			default:
				if (c != *s)
					return false;
				break;
		}
	}
	if (*s != '*' && i != len)
		return false;
	return number >= lo && number <= hi;
}

/* The classification proper, on a code that passed the lexical layer. */
static ex_status
classify(const char *code, size_t len, ex_family *family)
{
	for (size_t i = 0; i < lengthof(family_rules); i++)
	{
		const code_shape *rule = &family_rules[i];

		if (shape_matches(rule->shape, rule->lo, rule->hi, code, len))
		{
			*family = (ex_family) rule->result;
			return EX_OK;
		}
	}
	*family = EX_FAMILY_NONE;
	for (size_t i = 0; i < lengthof(near_misses); i++)
	{
		const code_shape *miss = &near_misses[i];

		if (shape_matches(miss->shape, miss->lo, miss->hi, code, len))
			return (ex_status) miss->result;
	}
	return EX_ERR_UNKNOWN;
}

/* Lexical layer, then the tables; code[] gets the normalised code. */
static ex_status
check(const char *input, size_t len, char code[SHORT_CODE_MAX_LEN + 1],
	  size_t *code_len, ex_family *family, ex_error *err)
{
	sc_error	lexical;
	ex_status	status;

	*family = EX_FAMILY_NONE;
	if (ticket_short_code_normalize(input, len, code, code_len, &lexical) != SC_OK)
	{
		if (err)
		{
			memset(err, 0, sizeof(*err));
			err->status = EX_ERR_LEXICAL;
			err->lexical = lexical;
		}
		return EX_ERR_LEXICAL;
	}
	status = classify(code, *code_len, family);
	if (err)
	{
		memset(err, 0, sizeof(*err));
		err->status = status;
		memcpy(err->code, code, *code_len + 1);
	}
	return status;
}

ex_family
ticket_exemption_family_of(const char *input, size_t len, ex_error *err)
{
	char		code[SHORT_CODE_MAX_LEN + 1];
	size_t		code_len;
	ex_family	family;

	check(input, len, code, &code_len, &family, err);
	return family;
}

/*
 * The type's syntax is the catalogue's shape, not the families: any code of
 * 1 to 6 letters and digits but an income band parses, and whether it
 * exists on a service date is ticket.exemption_catalogue's answer at
 * pricing (issue 18: T12 of the 2012 earthquake, municipal codes).  The
 * classification above only says which family a code resembles.
 */
ex_status
ticket_exemption_parse(const char *input, size_t len, uint32_t *packed, ex_error *err)
{
	char		code[SHORT_CODE_MAX_LEN + 1];
	size_t		code_len;
	ex_family	family;
	ex_status	status = check(input, len, code, &code_len, &family, err);

	if (status == EX_ERR_LEXICAL || status == EX_ERR_INCOME_BAND)
		return status;
	if (err)
		err->status = EX_OK;
	ticket_short_code_pack(code, code_len, packed);	/* cannot fail after check */
	return EX_OK;
}

ex_family
ticket_exemption_family_of_packed(uint32_t packed)
{
	char		code[SHORT_CODE_MAX_LEN + 1];
	size_t		len = ticket_short_code_unpack(packed, code);

	return len == 0 ? EX_FAMILY_NONE : ticket_exemption_family_of(code, len, NULL);
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
