/*
 * fiscal_code_funcs.c
 *		SQL functions over ticket.fiscal_code: validation without raising,
 *		decoding, omocodes, encoding from personal data, birth dates.
 */
#include "ticket_compat.h"

#include "ascii.h"
#include "catalog_names.h"
#include "fiscal_code_errors.h"
#include "messages.h"
#include "own_queries.h"
#include "text_args.h"
#include "transliteration.h"

#include "catalog/pg_type_d.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"

#include "ticket.h"

/* ---------- validation of text, never raising ---------- */

/*
 * The fmgr symbols below keep the names the released scripts give them:
 * an ABI, not subject to the ticket_ prefix (ticket.c says why).
 */
PG_FUNCTION_INFO_V1(fiscal_code_is_valid);
Datum
fiscal_code_is_valid(PG_FUNCTION_ARGS)
{
	text	   *input = ticket_text_arg_pp(PG_GETARG_DATUM(0));

	PG_RETURN_BOOL(ticket_cf_parse(VARDATA_ANY(input), VARSIZE_ANY_EXHDR(input), NULL, NULL) == CF_OK);
}

PG_FUNCTION_INFO_V1(fiscal_code_error);
Datum
fiscal_code_error(PG_FUNCTION_ARGS)
{
	text	   *input = ticket_text_arg_pp(PG_GETARG_DATUM(0));
	char		out[CF_STORAGE_LEN];
	cf_error	err;
	StringInfoData reason;

	if (ticket_cf_parse(VARDATA_ANY(input), VARSIZE_ANY_EXHDR(input), out, &err) == CF_OK)
		PG_RETURN_NULL();
	initStringInfo(&reason);
	ticket_fiscal_code_reason(&err, &reason, false);	/* data: always English */
	PG_RETURN_TEXT_P(cstring_to_text(reason.data));
}

/* ---------- decoding ---------- */

PG_FUNCTION_INFO_V1(fiscal_code_kind);
Datum
fiscal_code_kind(PG_FUNCTION_ARGS)
{
	FiscalCode *code = PG_GETARG_FISCAL_CODE_P(0);

	PG_RETURN_TEXT_P(cstring_to_text(ticket_cf_kind_name(ticket_cf_kind_of(code->data))));
}

PG_FUNCTION_INFO_V1(fiscal_code_sex);
Datum
fiscal_code_sex(PG_FUNCTION_ARGS)
{
	FiscalCode *code = PG_GETARG_FISCAL_CODE_P(0);
	cf_decoded	d;

	if (!ticket_cf_decode(code->data, &d))
		PG_RETURN_NULL();		/* numeric, STP and ENI codes carry no sex */
	PG_RETURN_TEXT_P(cstring_to_text_with_len(&d.sex, 1));
}

PG_FUNCTION_INFO_V1(fiscal_code_birthplace);
Datum
fiscal_code_birthplace(PG_FUNCTION_ARGS)
{
	FiscalCode *code = PG_GETARG_FISCAL_CODE_P(0);
	cf_decoded	d;

	if (!ticket_cf_decode(code->data, &d))
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(d.birthplace));
}

/* ---------- omocodes ---------- */

PG_FUNCTION_INFO_V1(fiscal_code_canonical);
Datum
fiscal_code_canonical(PG_FUNCTION_ARGS)
{
	FiscalCode *code = PG_GETARG_FISCAL_CODE_P(0);
	FiscalCode *result = palloc(sizeof(FiscalCode));

	ticket_cf_canonical(code->data, result->data);
	PG_RETURN_FISCAL_CODE_P(result);
}

PG_FUNCTION_INFO_V1(fiscal_code_is_omocode);
Datum
fiscal_code_is_omocode(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(ticket_cf_omocode_mask(PG_GETARG_FISCAL_CODE_P(0)->data) != 0);
}

PG_FUNCTION_INFO_V1(fiscal_code_omocode_mask);
Datum
fiscal_code_omocode_mask(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(ticket_cf_omocode_mask(PG_GETARG_FISCAL_CODE_P(0)->data));
}

PG_FUNCTION_INFO_V1(fiscal_code_equivalent);
Datum
fiscal_code_equivalent(PG_FUNCTION_ARGS)
{
	char		a[CF_STORAGE_LEN];
	char		b[CF_STORAGE_LEN];

	ticket_cf_canonical(PG_GETARG_FISCAL_CODE_P(0)->data, a);
	ticket_cf_canonical(PG_GETARG_FISCAL_CODE_P(1)->data, b);
	PG_RETURN_BOOL(memcmp(a, b, CF_STORAGE_LEN) == 0);
}

/*
 * All 128 forms of a personal code, canonical first, in mask order (bit 0 =
 * position 15).  A code of another kind has one form: itself.
 */
PG_FUNCTION_INFO_V1(fiscal_code_omocodes);
Datum
fiscal_code_omocodes(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	FiscalCode *code;
	int			forms;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext oldcontext;

		funcctx = SRF_FIRSTCALL_INIT();
		oldcontext = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		code = palloc(sizeof(FiscalCode));
		memcpy(code, PG_GETARG_FISCAL_CODE_P(0), sizeof(FiscalCode));
		funcctx->user_fctx = code;
		MemoryContextSwitchTo(oldcontext);
	}
	funcctx = SRF_PERCALL_SETUP();
	code = (FiscalCode *) funcctx->user_fctx;
	forms = ticket_cf_kind_of(code->data) == CF_KIND_PERSONAL ? CF_OMOCODE_FORMS : 1;
	if (funcctx->call_cntr < (uint64) forms)
	{
		FiscalCode *variant = palloc(sizeof(FiscalCode));

		ticket_cf_omocode_variant(code->data, (int) funcctx->call_cntr, variant->data);
		SRF_RETURN_NEXT(funcctx, FiscalCodePGetDatum(variant));
	}
	SRF_RETURN_DONE(funcctx);
}

/* ---------- birth dates ---------- */

/*
 * Is every era of this birthplace code over before the given date?  False
 * when the code is not in ticket.birthplace.  The plan is prepared once per
 * backend.
 */
static bool
birthplace_ceased_before(const char *place, DateADT date)
{
	static SPIPlanPtr plan = NULL;
	static Oid	prepared_for = InvalidOid;	/* no type of its own: kept for good */
	Datum		values[2];
	bool		isnull;
	Datum		result;
	bool		ceased = false;
	int			nest_level;

	nest_level = ticket_pin_search_path();
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	{
		Oid			argtypes[2] = {TEXTOID, DATEOID};

		ticket_kept_plan(&plan, &prepared_for, InvalidOid, &ticket_sql_birthplace_ceased, 2, argtypes);
	}
	values[0] = CStringGetTextDatum(place);
	values[1] = DateADTGetDatum(date);
	if (SPI_execute_plan(plan, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_plan failed");
	result = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (!isnull)
		ceased = DatumGetBool(result);
	SPI_finish();
	ticket_unpin_search_path(nest_level);
	return ceased;
}

static DateADT
make_date_adt(int year, int month, int day)
{
	return date2j(year, month, day) - POSTGRES_EPOCH_JDATE;
}

/*
 * Nobody is assumed older than this: the century fallback below never
 * produces an older person (docs/codice-fiscale.md §10.1).
 */
#define MAX_PLAUSIBLE_AGE_YEARS 120

/*
 * Birth date policy (docs/codice-fiscale.md §10.1; extension/doc/ticket.md
 * "Birth dates"): the most recent date with the code's year digits, month
 * and day that is not after the reference date; one century earlier instead
 * when the birthplace is known and every era of it ended before that date
 * (a person born in Fiume D620 is not born in 2020), provided the earlier
 * date exists and the person would not be older than 120.
 */
PG_FUNCTION_INFO_V1(fiscal_code_birth_date);
Datum
fiscal_code_birth_date(PG_FUNCTION_ARGS)
{
	FiscalCode *code = PG_GETARG_FISCAL_CODE_P(0);
	DateADT		reference = PG_GETARG_DATEADT(1);
	cf_decoded	d;
	int			ref_year,
				ref_month,
				ref_day;
	int			year;
	DateADT		latest;

	if (!ticket_cf_decode(code->data, &d))
		PG_RETURN_NULL();
	if (DATE_NOT_FINITE(reference))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the reference date must be finite")));
	j2date(reference + POSTGRES_EPOCH_JDATE, &ref_year, &ref_month, &ref_day);
	year = ticket_cf_latest_birth_year(d.year2, d.month, d.day, ref_year, ref_month, ref_day);
	latest = make_date_adt(year, d.month, d.day);

	if (d.day <= ticket_cf_days_in_month(year - 100, d.month))
	{
		DateADT		earlier = make_date_adt(year - 100, d.month, d.day);
		int			oldest_day = Min(ref_day, ticket_cf_days_in_month(ref_year - MAX_PLAUSIBLE_AGE_YEARS, ref_month));
		DateADT		oldest = make_date_adt(ref_year - MAX_PLAUSIBLE_AGE_YEARS, ref_month, oldest_day);

		if (earlier >= oldest && birthplace_ceased_before(d.birthplace, latest))
			PG_RETURN_DATEADT(earlier);
	}
	PG_RETURN_DATEADT(latest);
}

/* ---------- encoding ---------- */

/* Encode from SQL arguments 0..4; raises 22023 on bad personal data. */
static void
encode_from_args(FunctionCallInfo fcinfo, int first, char out[CF_STORAGE_LEN])
{
	text	   *surname = PG_GETARG_TEXT_PP(first);
	text	   *given_name = PG_GETARG_TEXT_PP(first + 1);
	text	   *sex = PG_GETARG_TEXT_PP(first + 2);
	DateADT		birth_date = PG_GETARG_DATEADT(first + 3);
	text	   *birthplace = PG_GETARG_TEXT_PP(first + 4);
	char	   *surname_letters;
	char	   *given_letters;
	char	   *place;
	char	   *sex_str;
	int			year,
				month,
				day;
	cf_error	err;

	surname_letters = ticket_transliterated_name(VARDATA_ANY(surname), VARSIZE_ANY_EXHDR(surname),
										 TICKET_NAME_SURNAME);
	given_letters = ticket_transliterated_name(VARDATA_ANY(given_name), VARSIZE_ANY_EXHDR(given_name),
									   TICKET_NAME_GIVEN_NAME);
	sex_str = text_to_cstring(sex);
	if (strlen(sex_str) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid sex \"%s\": sex must be 'M' or 'F'",
						ticket_quote(sex_str))));
	if (DATE_NOT_FINITE(birth_date))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the birth date must be finite")));
	j2date(birth_date + POSTGRES_EPOCH_JDATE, &year, &month, &day);
	place = text_to_cstring(birthplace);

	if (ticket_cf_encode(surname_letters, given_letters, sex_str[0], year, month, day,
				  place, out, &err) != CF_OK)
	{
		StringInfoData reason;

		initStringInfo(&reason);
		ticket_fiscal_code_reason(&err, &reason, true);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot compute a fiscal code: %s", reason.data),
				 err.status == CF_ERR_BIRTHPLACE ?
				 errdetail("\"%s\" is not a letter A to I, L, M or Z followed by three digits.",
						   ticket_quote_input(place, strlen(place), TICKET_QUOTE_DETAIL)) : 0,
				 err.status == CF_ERR_BIRTHPLACE ?
				 errhint("Pass the Belfiore code (for example A944 for Bologna), not the name of the place.") : 0));
	}
}

PG_FUNCTION_INFO_V1(fiscal_code_encode);
Datum
fiscal_code_encode(PG_FUNCTION_ARGS)
{
	FiscalCode *result = palloc(sizeof(FiscalCode));

	encode_from_args(fcinfo, 0, result->data);
	PG_RETURN_FISCAL_CODE_P(result);
}

/* True when the code, or any of its omocodes, is the one the data give. */
PG_FUNCTION_INFO_V1(fiscal_code_matches);
Datum
fiscal_code_matches(PG_FUNCTION_ARGS)
{
	FiscalCode *code = PG_GETARG_FISCAL_CODE_P(0);
	char		computed[CF_STORAGE_LEN];
	char		canonical[CF_STORAGE_LEN];

	encode_from_args(fcinfo, 1, computed);
	if (ticket_cf_kind_of(code->data) != CF_KIND_PERSONAL)
		PG_RETURN_BOOL(false);
	ticket_cf_canonical(code->data, canonical);
	PG_RETURN_BOOL(memcmp(canonical, computed, CF_STORAGE_LEN) == 0);
}

/* ---------- help at the desk: problems, normalising, candidates ---------- */

/* What a problem's position should hold, for the `expected' column. */
static const char *
problem_expected(const cf_problem *p, char *buf)
{
	switch (p->error.status)
	{
		case CF_ERR_CHECK:
			buf[0] = p->error.expected;
			buf[1] = '\0';
			return buf;
		case CF_ERR_NOT_LETTER:
			if (p->field == CF_FIELD_CHECK)
			{
				buf[0] = p->error.expected;
				buf[1] = '\0';
				return buf;
			}
			if (p->field == CF_FIELD_MONTH)
				return "A B C D E H L M P R S T";
			if (p->field == CF_FIELD_BIRTHPLACE)
				return "A-I, L, M or Z";
			return "A-Z";
		case CF_ERR_NOT_DIGIT_OR_OMOCODE:
			return "0-9 or L M N P Q R S T U V";
		case CF_ERR_MONTH:
			return "A B C D E H L M P R S T";
		case CF_ERR_DAY:
			return "01-31 (men) or 41-71 (women)";
		case CF_ERR_DAY_IN_MONTH:
			/* February: 29, some years have it */
			snprintf(buf, 32, "1-%d", ticket_cf_days_in_month(2000, p->error.value2));
			return buf;
		case CF_ERR_FEB29:
			return "a year divisible by 4";
		case CF_ERR_PLACE_LETTER:
			return "A-I, L, M or Z";
		case CF_ERR_LENGTH:
			return "16 characters or 11 digits";
		case CF_ERR_NUMERIC_CHECK:
			buf[0] = p->error.expected;
			buf[1] = '\0';
			return buf;
		default:
			return NULL;
	}
}

/*
 * SQL: ticket.fiscal_code_problems(code text): one row per wrong field, in
 * position order; none for a valid code.  English, like fiscal_code_error:
 * the rows are data.
 */
PG_FUNCTION_INFO_V1(fiscal_code_problems);
Datum
fiscal_code_problems(PG_FUNCTION_ARGS)
{
	text	   *input = ticket_text_arg_pp(PG_GETARG_DATUM(0));
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	cf_problem	problems[CF_MAX_PROBLEMS];
	int			n;

	InitMaterializedSRF(fcinfo, 0);
	n = ticket_cf_problems(VARDATA_ANY(input), VARSIZE_ANY_EXHDR(input), problems);
	for (int i = 0; i < n; i++)
	{
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};
		StringInfoData reason;
		char		buf[32];
		const char *expected = problem_expected(&problems[i], buf);

		initStringInfo(&reason);
		ticket_fiscal_code_reason(&problems[i].error, &reason, false);
		values[0] = CStringGetTextDatum(ticket_cf_field_name(problems[i].field));
		values[1] = Int32GetDatum(problems[i].error.position);
		nulls[1] = problems[i].error.position == 0;
		values[2] = CStringGetTextDatum(reason.data);
		values[3] = expected ? CStringGetTextDatum(expected) : (Datum) 0;
		nulls[3] = expected == NULL;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* SQL: ticket.fiscal_code_normalize(text): spaces and hyphens out, upper case. */
PG_FUNCTION_INFO_V1(fiscal_code_normalize);
Datum
fiscal_code_normalize(PG_FUNCTION_ARGS)
{
	text	   *input = ticket_text_arg_pp(PG_GETARG_DATUM(0));
	const char *data = VARDATA_ANY(input);
	size_t		len = VARSIZE_ANY_EXHDR(input);
	char	   *out = palloc(len + 1);
	size_t		out_len;
	cf_error	err;

	if (ticket_cf_normalize(data, len, out, &out_len, &err) != CF_OK)
		ereport(ERROR,
				(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
				 errmsg("cannot normalise \"%s\" as a fiscal code: character %d is not ASCII",
						ticket_quote_input(data, len, TICKET_QUOTE_MESSAGE),
						pg_mbstrlen_with_len(data, err.position - 1) + 1),
				 errhint("A fiscal code has only the letters A to Z and digits; retype the character (a no-break space or a dash pasted from a document is not a space or a hyphen).")));
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out, out_len));
}

/* SQL: ticket.fiscal_code_omocode(code, level): the form at an omocode level. */
PG_FUNCTION_INFO_V1(fiscal_code_omocode);
Datum
fiscal_code_omocode(PG_FUNCTION_ARGS)
{
	FiscalCode *code = PG_GETARG_FISCAL_CODE_P(0);
	int32		level = PG_GETARG_INT32(1);
	FiscalCode *result = palloc(sizeof(FiscalCode));

	if (level < 0 || level > 7)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("omocode level %d is out of range", level),
				 errhint("Levels run from 0 (the canonical code) to 7 (all seven digits substituted, from the right).")));
	ticket_cf_omocode_level(code->data, level, result->data);
	PG_RETURN_FISCAL_CODE_P(result);
}

/*
 * SQL: ticket.fiscal_code_candidates(text): the valid personal codes one
 * substitution away from a 16-character input (at most 16).
 */
PG_FUNCTION_INFO_V1(fiscal_code_candidates);
Datum
fiscal_code_candidates(PG_FUNCTION_ARGS)
{
	text	   *input = ticket_text_arg_pp(PG_GETARG_DATUM(0));
	const char *data = VARDATA_ANY(input);
	size_t		len = VARSIZE_ANY_EXHDR(input);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	size_t		start = 0;
	size_t		end = len;
	char		code[CF_PERSONAL_LEN];
	char		(*found)[CF_STORAGE_LEN];
	int			n;
	bool		shaped;

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	ascii_trim(data, &start, &end);
	shaped = end - start == CF_PERSONAL_LEN;
	for (int i = 0; shaped && i < CF_PERSONAL_LEN; i++)
	{
		unsigned char c = (unsigned char) data[start + i];

		/* any printable ASCII: a typed '-' or '.' is a typo like another */
		code[i] = (c >= 'a' && c <= 'z') ? (char) (c - 'a' + 'A') : (char) c;
		shaped = c > 0x20 && c < 0x7f;
	}
	if (!shaped)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot list candidates for \"%s\": it is not 16 printable ASCII characters",
						ticket_quote_input(data, len, TICKET_QUOTE_MESSAGE)),
				 errhint("Candidates are the codes one typed character away from a 16-character personal code; ticket.fiscal_code_normalize cleans pasted input.")));
	found = palloc(CF_MAX_CANDIDATES * CF_STORAGE_LEN);
	n = ticket_cf_candidates(code, found);
	for (int i = 0; i < n; i++)
	{
		FiscalCode *candidate = palloc(sizeof(FiscalCode));
		Datum		value;
		bool		isnull = false;

		memcpy(candidate->data, found[i], CF_STORAGE_LEN);
		value = FiscalCodePGetDatum(candidate);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, &value, &isnull);
	}
	return (Datum) 0;
}

/*
 * SQL: ticket.fiscal_code_decode_partial(partial text): the fields of the
 * first 11 or 15 characters of a personal code (birthplace and the whole
 * code only for 15), validated as in a full code.
 */
PG_FUNCTION_INFO_V1(fiscal_code_decode_partial);
Datum
fiscal_code_decode_partial(PG_FUNCTION_ARGS)
{
	text	   *input = ticket_text_arg_pp(PG_GETARG_DATUM(0));
	const char *data = VARDATA_ANY(input);
	size_t		len = VARSIZE_ANY_EXHDR(input);
	TupleDesc	tupdesc;
	cf_partial	p;
	cf_error	err;
	Datum		values[8];
	bool		nulls[8] = {false, false, false, false, false, false, false, false};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "fiscal_code_decode_partial must return a row");
	if (ticket_cf_decode_partial(data, len, &p, &err) != CF_OK)
	{
		StringInfoData reason;

		initStringInfo(&reason);
		if (err.status == CF_ERR_LENGTH)
			appendStringInfo(&reason, _("a partial fiscal code has 11 or 15 characters, not %d"), err.value);
		else
			ticket_fiscal_code_reason(&err, &reason, true);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid partial fiscal code \"%s\": %s",
						ticket_quote_input(data, len, TICKET_QUOTE_MESSAGE), reason.data)));
	}
	values[0] = CStringGetTextDatum(p.surname);
	values[1] = CStringGetTextDatum(p.given_name);
	values[2] = Int32GetDatum(p.decoded.year2);
	values[3] = Int32GetDatum(p.decoded.month);
	values[4] = Int32GetDatum(p.decoded.day);
	values[5] = PointerGetDatum(cstring_to_text_with_len(&p.decoded.sex, 1));
	if (p.length == 15)
	{
		FiscalCode *code = palloc(sizeof(FiscalCode));

		memcpy(code->data, p.code, CF_STORAGE_LEN);
		values[6] = CStringGetTextDatum(p.decoded.birthplace);
		values[7] = FiscalCodePGetDatum(code);
	}
	else
		nulls[6] = nulls[7] = true;
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}

/*
 * SQL: ticket.fiscal_code_match_fields(code, surname, given_name, sex,
 * birth_date, birthplace): which fields of the code (any omocode form)
 * agree with the code the data give; matches is NULL for a code that is
 * not a personal one.  Bad personal data raise as in fiscal_code_matches.
 */
PG_FUNCTION_INFO_V1(fiscal_code_match_fields);
Datum
fiscal_code_match_fields(PG_FUNCTION_ARGS)
{
	FiscalCode *code = PG_GETARG_FISCAL_CODE_P(0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char		computed[CF_STORAGE_LEN];
	bool		matches[CF_MATCH_FIELDS];
	bool		personal;

	encode_from_args(fcinfo, 1, computed);
	personal = ticket_cf_match_fields(code->data, computed, matches);
	InitMaterializedSRF(fcinfo, 0);
	for (int i = 0; i < CF_MATCH_FIELDS; i++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, !personal};

		values[0] = CStringGetTextDatum(ticket_cf_match_field_names[i]);
		values[1] = BoolGetDatum(personal && matches[i]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
