/*
 * name_transliteration.c
 *		Surnames and given names to the letters A–Z of the fiscal code.
 *
 * The only file that includes ICU.  The rule is the table of the Ministry
 * of the Interior, circular 1/2008, adopted by the Agenzia delle Entrate
 * (circ. 34/E of 20 July 2011): accented vowels become the plain vowel,
 * Ä Æ → AE, Ö Œ → OE, Ü → UE, ß → SS, Ç Č → C, Š → S, Ž → Z
 * (docs/codice-fiscale.md §7).  Everything that is not a letter is
 * dropped: apostrophes, spaces, hyphens and dashes of every kind, dots,
 * commas, underscores, digits, symbols.  A letter (or a combining mark, part
 * of a letter) outside the table is an error naming it: guessing (Ñ → N?
 * dropped?) would give a code the Agenzia never issued.
 *
 * ICU does the Unicode work: UTF-8 decoding, NFC composition (so that
 * "e" + U+0301 counts as "é"), locale-independent upper-casing and the
 * character names in error messages.
 */
#include "ticket_compat.h"

#include "messages.h"
#include "transliteration.h"

#include "lib/stringinfo.h"

#include "mb/pg_wchar.h"
#include "utils/builtins.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/uversion.h>

/* One entry of the transliteration table: upper-case code point → letters. */
typedef struct transliteration
{
	UChar32		code_point;
	const char *letters;
} transliteration;

static const transliteration dait_table[] = {
	{0x00C0, "A"}, {0x00C1, "A"}, {0x00C2, "A"},	/* À Á Â */
	{0x00C4, "AE"}, {0x00C6, "AE"},	/* Ä Æ */
	{0x00C7, "C"}, {0x010C, "C"},	/* Ç Č */
	{0x00C8, "E"}, {0x00C9, "E"}, {0x00CA, "E"}, {0x00CB, "E"},	/* È É Ê Ë */
	{0x00CC, "I"}, {0x00CD, "I"}, {0x00CE, "I"}, {0x00CF, "I"},	/* Ì Í Î Ï */
	{0x00D2, "O"}, {0x00D3, "O"}, {0x00D4, "O"},	/* Ò Ó Ô */
	{0x00D6, "OE"}, {0x0152, "OE"},	/* Ö Œ */
	{0x00D9, "U"}, {0x00DA, "U"}, {0x00DB, "U"},	/* Ù Ú Û */
	{0x00DC, "UE"},				/* Ü */
	{0x0160, "S"},				/* Š */
	{0x017D, "Z"},				/* Ž */
	{0x00DF, "SS"}, {0x1E9E, "SS"},	/* ß ẞ (no single upper-case mapping) */
};

/*
 * Characters the code ignores: everything but letters and combining marks
 * (Unicode general categories L* and M*).  The apostrophe-like modifier
 * letters are letters to Unicode but punctuation in a name.
 */
static bool
is_dropped(UChar32 c)
{
	switch (c)
	{
		case 0x02BC:			/* ʼ modifier letter apostrophe */
		case 0x02BB:			/* ʻ modifier letter turned comma (okina) */
		case 0x02B9:			/* ʹ modifier letter prime */
			return true;
		default:
			return (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_M_MASK)) == 0;
	}
}

static const char *
table_letters(UChar32 c)
{
	for (size_t i = 0; i < lengthof(dait_table); i++)
		if (dait_table[i].code_point == c)
			return dait_table[i].letters;
	return NULL;
}

/*
 * message: the whole errmsg, marked with gettext_noop() (errmsg translates
 * it), its %s the name of ICU's error code.
 */
static void
check_icu(UErrorCode status, const char *message)
{
	if (U_FAILURE(status))
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg(message, u_errorName(status))));
}

/* The message of a letter the table does not cover, by name field. */
static const char *const uncovered_message[] = {
	[TICKET_NAME_ANY] =
	gettext_noop("name \"%s\" contains \"%s\", which the fiscal code transliteration table does not cover"),
	[TICKET_NAME_SURNAME] =
	gettext_noop("surname \"%s\" contains \"%s\", which the fiscal code transliteration table does not cover"),
	[TICKET_NAME_GIVEN_NAME] =
	gettext_noop("given name \"%s\" contains \"%s\", which the fiscal code transliteration table does not cover"),
};

static void
report_uncovered(UChar32 c, TicketNameField field, const char *name)
{
	char		letter[U8_MAX_LENGTH + 1];
	char		char_name[128];
	int32_t		length = 0;
	UBool		is_error = false;
	UErrorCode	status = U_ZERO_ERROR;

	U8_APPEND(letter, length, U8_MAX_LENGTH, c, is_error);
	letter[is_error ? 0 : length] = '\0';
	u_charName(c, U_UNICODE_CHAR_NAME, char_name, sizeof(char_name), &status);
	if (U_FAILURE(status))
		char_name[0] = '\0';

	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg(uncovered_message[field], ticket_quote(name), letter),
			 errdetail("U+%04X %s", (unsigned int) c, char_name),
			 errhint("Fiscal codes use the letters A to Z with the Ministry of the Interior table "
					 "(circular 1/2008); write the name as the Agenzia delle Entrate registered it.")));
}

char *
ticket_transliterated_name(const char *name, int len, TicketNameField field)
{
	char	   *utf8;
	char	   *name_cstr = pnstrdup(name, len);
	UChar	   *decoded;
	UChar	   *composed;
	int32_t		decoded_len;
	int32_t		composed_len;
	UErrorCode	status = U_ZERO_ERROR;
	const UNormalizer2 *nfc;
	StringInfoData letters;

	/* Text arrives in the database encoding; ICU gets UTF-8. */
	utf8 = (char *) pg_do_encoding_conversion((unsigned char *) name_cstr, len,
											  GetDatabaseEncoding(), PG_UTF8);
	len = strlen(utf8);

	decoded = palloc((len + 1) * sizeof(UChar));
	u_strFromUTF8(decoded, len + 1, &decoded_len, utf8, len, &status);
	check_icu(status, gettext_noop("ICU error while decoding a name: %s"));

	nfc = unorm2_getNFCInstance(&status);
	check_icu(status, gettext_noop("ICU error while loading the NFC normaliser: %s"));
	/* NFC never makes a string longer than 3 times its input */
	composed = palloc((decoded_len * 3 + 1) * sizeof(UChar));
	composed_len = unorm2_normalize(nfc, decoded, decoded_len, composed,
									decoded_len * 3 + 1, &status);
	check_icu(status, gettext_noop("ICU error while composing a name: %s"));

	initStringInfo(&letters);
	for (int32_t i = 0; i < composed_len;)
	{
		UChar32		c;
		UChar32		upper;
		const char *mapped;

		U16_NEXT(composed, i, composed_len, c);
		if (is_dropped(c))
			continue;
		/*
		 * ASCII letters are taken as they are; only non-ASCII ones go through
		 * the table.  Upper-casing first would let dotless ı or long ſ turn
		 * into I and S without the table saying so.
		 */
		if (c < 0x80 && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
			appendStringInfoChar(&letters, (char) (c & ~0x20));
		else if (c >= 0x80 && (upper = u_toupper(c)) >= 0x80 &&
				 (mapped = table_letters(upper)) != NULL)
			appendStringInfoString(&letters, mapped);
		else
			report_uncovered(c, field, name_cstr);
	}
	return letters.data;
}

/*
 * The fmgr symbols below keep the names the released scripts give them:
 * an ABI, not subject to the ticket_ prefix (ticket.c says why).
 */
/* SQL: ticket.transliterate_name(text): the letters the code is built from. */
PG_FUNCTION_INFO_V1(ticket_transliterate_name);
Datum
ticket_transliterate_name(PG_FUNCTION_ARGS)
{
	text	   *name = PG_GETARG_TEXT_PP(0);

	PG_RETURN_TEXT_P(cstring_to_text(ticket_transliterated_name(VARDATA_ANY(name),
														VARSIZE_ANY_EXHDR(name),
														TICKET_NAME_ANY)));
}

/* SQL: ticket.icu_version(): names stored with derived letters record it. */
PG_FUNCTION_INFO_V1(ticket_icu_version);
Datum
ticket_icu_version(PG_FUNCTION_ARGS)
{
	UVersionInfo version;
	char		buf[U_MAX_VERSION_STRING_LENGTH];

	u_getVersion(version);
	u_versionToString(version, buf);
	PG_RETURN_TEXT_P(cstring_to_text(buf));
}
