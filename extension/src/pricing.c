/*
 * pricing.c
 *		SQL functions of the tariff engine: ticket.price (items or catalogue
 *		codes), ticket.regime_for, ticket.income_band_for,
 *		ticket.rules_cache_info.  Arguments are turned into the structures of
 *		pricing_core.h, the core prices, errors become SQLSTATEs here.
 */
#include "ticket_compat.h"

#include "catalog_names.h"
#include "messages.h"
#include "own_queries.h"
#include "pricing.h"
#include "ticket_errcodes.h"

#include "access/htup_details.h"
#include "catalog/pg_type_d.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/typcache.h"

#include "rules_cache.h"
#include "exemption_core.h"
#include "short_code.h"
#include "ticket.h"

/* numeric(8,2), the type of money at the SQL surface */
#define MONEY_TYPMOD ((int32) (((8 << 16) | 2) + VARHDRSZ))

static Datum
cents_to_numeric(tk_cents cents)
{
	/* cents / 10^2, scale 2: a numeric(8,2) without parsing a string */
	return NumericGetDatum(int64_div_fast_to_numeric(cents, 2));
}

static tk_cents numeric_cents(Datum value, bool *out_of_range);

/*
 * Cents of an item's tariff, rounded half away from zero to the cent.  Read
 * from the numeric's decimal text rather than by numeric multiplication,
 * which cost three times as much: this runs for every item of every bill.
 */
static tk_cents
tariff_to_cents(Datum value, int item)
{
	bool		out_of_range;
	tk_cents	cents;

	if (numeric_is_nan(DatumGetNumeric(value)) || numeric_is_inf(DatumGetNumeric(value)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("item %d: the tariff must be a finite amount", item + 1)));
	cents = numeric_cents(value, &out_of_range);
	if (out_of_range)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("item %d: the tariff is out of range", item + 1),
				 errdetail("Amounts are numeric(8,2): at most 999999.99.")));
	return cents;
}

/*
 * Cents of a finite numeric (tariff_to_cents says why by hand);
 * *out_of_range when it has more than 12 integer digits or exceeds
 * TK_MAX_AMOUNT cents.
 */
static tk_cents
numeric_cents(Datum value, bool *out_of_range)
{
	const char *p;
	bool		negative = false;
	int64		cents = 0;
	int			int_digits = 0;

	p = DatumGetCString(DirectFunctionCall1(numeric_out, value));
	if (*p == '-')
		negative = true, p++;
	for (; *p >= '0' && *p <= '9'; p++)
	{
		if (++int_digits > 12)
			break;				/* reported below */
		cents = cents * 10 + (*p - '0');
	}
	cents *= 100;
	if (int_digits <= 12 && *p == '.')
	{
		p++;
		if (*p >= '0' && *p <= '9')
			cents += 10 * (*p++ - '0');
		if (*p >= '0' && *p <= '9')
			cents += *p++ - '0';
		if (*p >= '5' && *p <= '9')
			cents++;			/* half away from zero: the sign comes after */
	}
	*out_of_range = int_digits > 12 || cents > TK_MAX_AMOUNT;
	return negative ? -cents : cents;
}

static const tk_regime *
regime_on(const rules_cache *rules, DateADT on_date)
{
	const tk_regime *regime;

	if (DATE_NOT_FINITE(on_date))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the service date must be finite")));
	regime = ticket_tk_find_regime(rules->regimes, rules->nregimes, on_date);
	if (regime == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_TICKET_NO_REGIME),
				 errmsg("no co-payment regime covers %s",
						DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(on_date)))),
				 rules->nregimes > 0 ?
				 errdetail("The first regime, %s, starts on %s.", rules->regimes[0].id,
						   DatumGetCString(DirectFunctionCall1(date_out,
															   DateADTGetDatum(rules->regimes[0].effective_from)))) :
				 errdetail("ticket.regime is empty.")));
	return regime;
}

static const char *
packed_text(uint32 packed)
{
	char	   *buf = palloc(SHORT_CODE_MAX_LEN + 1);

	ticket_short_code_unpack(packed, buf);
	return buf;
}

/*
 * The exemptions written on the prescription (NULL array = none), each with
 * its family in ticket.exemption_catalogue on the service date, or -1 for
 * a code the catalogue does not hold that day (bill_datum: TK008).
 */
static tk_exemption *
exemptions_from_array(const rules_cache *rules, DateADT on_date, ArrayType *array, int *n)
{
	Datum	   *elems;
	bool	   *nulls;
	int			nelems;
	tk_exemption *result;

	*n = 0;
	if (array == NULL)
		return NULL;
	deconstruct_array(array, ARR_ELEMTYPE(array), sizeof(int32), true, TYPALIGN_INT,
					  &elems, &nulls, &nelems);
	result = palloc(sizeof(tk_exemption) * Max(nelems, 1));
	for (int i = 0; i < nelems; i++)
	{
		if (nulls[i])
			continue;
		result[*n].code = exemption_datum_packed(elems[i]);
		result[*n].text = packed_text(result[*n].code);
		result[*n].family = ticket_rules_exemption_family_on(rules, result[*n].code, on_date);
		(*n)++;
	}
	return result;
}

static void
report_pricing_error(const tk_error *err, const tk_item *items, uint32 band,
					 const tk_regime *regime)
{
	switch (err->status)
	{
		case TK_OK:
			break;
		case TK_ERR_NO_ITEMS:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("a prescription needs at least one item")));
			break;
		case TK_ERR_TOO_MANY_LINES:
			ereport(ERROR,
					(errcode(ERRCODE_TICKET_TOO_MANY_SERVICES),
					 errmsg("a prescription has at most %d lines, this one has %lld",
							TK_MAX_LINES, (long long) err->value)));
			break;
		case TK_ERR_NEGATIVE_TARIFF:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("item %d (%s): the tariff must not be negative", err->item + 1,
							ticket_quote(items[err->item].code))));
			break;
		case TK_ERR_QUANTITY:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("item %d (%s): quantity %lld is not between 1 and %d", err->item + 1,
							ticket_quote(items[err->item].code), (long long) err->value, TK_MAX_QUANTITY)));
			break;
		case TK_ERR_INCOMPATIBLE_KINDS:
			ereport(ERROR,
					(errcode(ERRCODE_TICKET_INCOMPATIBLE_KINDS),
					 errmsg("item %d (%s, %s) cannot share a prescription with item %d (%s, %s)",
							err->item2 + 1, ticket_quote(items[err->item2].code), tk_kind_names[items[err->item2].kind],
							err->item + 1, ticket_quote(items[err->item].code), tk_kind_names[items[err->item].kind]),
					 errdetail("Specialist services, drugs and emergency-room accesses go on separate prescriptions.")));
			break;
		case TK_ERR_MIXED_BRANCHES:
			ereport(ERROR,
					(errcode(ERRCODE_TICKET_MIXED_BRANCHES),
					 errmsg("item %d (%s) is of branch \"%s\", item %d (%s) of branch \"%s\"",
							err->item2 + 1, ticket_quote(items[err->item2].code), ticket_quote(items[err->item2].branch),
							err->item + 1, ticket_quote(items[err->item].code), ticket_quote(items[err->item].branch)),
					 errdetail("All services of a specialist prescription belong to one branch.")));
			break;
		case TK_ERR_TOO_MANY_ITEMS:
			ereport(ERROR,
					(errcode(ERRCODE_TICKET_TOO_MANY_SERVICES),
					 errmsg("a prescription of regime %s has at most %lld services, this one has %lld",
							regime->id, (long long) err->value2, (long long) err->value),
					 errhint("Split the services over several prescriptions.")));
			break;
		case TK_ERR_BAND_NOT_IN_REGIME:
			{
				StringInfoData bands;

				initStringInfo(&bands);
				for (int b = 0; b < regime->nbands; b++)
					appendStringInfo(&bands, "%s%s", b > 0 ? ", " : "",
									 packed_text(regime->bands[b].band));
				ereport(ERROR,
						(errcode(ERRCODE_TICKET_BAND_NOT_IN_REGIME),
						 errmsg("regime %s does not define income band %s", regime->id,
								packed_text(band)),
						 regime->nbands > 0 ?
						 errdetail("Its bands are %s.", bands.data) :
						 errdetail("It defines no income bands: pass NULL.")));
			}
			break;
		case TK_ERR_AMOUNT_TOO_LARGE:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("the amount of the prescription exceeds 999999.99")));
			break;
		case TK_ERR_REFERENCE_PRICE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("item %d (%s): a reference price is a drug's, between 0.00 and 999999.99",
							err->item + 1, ticket_quote(items[err->item].code))));
			break;
		case TK_ERR_ER_WITHOUT_ACCESS:
			ereport(ERROR,
					(errcode(ERRCODE_TICKET_ER_WITHOUT_ACCESS),
					 errmsg("item %d (%s, %s) needs an emergency-room access on the same prescription",
							err->item + 1, ticket_quote(items[err->item].code),
							tk_kind_names[items[err->item].kind]),
					 errdetail("Further consultations and exams are asked for during an access; its triage code decides whether they are charged."),
					 errhint("Add the er_access item of the access (its triage code).")));
			break;
	}
}

/*
 * What a call site of ticket.price keeps between calls (fn_extra): the
 * blessed row type of ticket.bill, and where the fields of ticket.item are,
 * so that neither is looked up again for every prescription.
 */
typedef struct price_call_cache
{
	TupleDesc	bill;
	Oid			item_typid;
	TupleDesc	item;
	int			attnum[5];		/* code, kind, branch, tariff, quantity */
} price_call_cache;

static const char *const item_fields[5] = {"code", "kind", "branch", "tariff", "quantity"};

static price_call_cache *
get_call_cache(FunctionCallInfo fcinfo)
{
	price_call_cache *cache = fcinfo->flinfo->fn_extra;

	if (cache == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		TupleDesc	tupdesc;

		cache = palloc0(sizeof(price_call_cache));
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "ticket.price must return a composite type");
		cache->bill = BlessTupleDesc(CreateTupleDescCopy(tupdesc));
		fcinfo->flinfo->fn_extra = cache;
		MemoryContextSwitchTo(old);
	}
	return cache;
}

static price_call_cache *
get_item_layout(FunctionCallInfo fcinfo, Oid typid)
{
	price_call_cache *cache = get_call_cache(fcinfo);

	if (cache->item_typid != typid)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		cache->item = lookup_rowtype_tupdesc_copy(typid, -1);
		for (int f = 0; f < 5; f++)
		{
			cache->attnum[f] = 0;
			for (int a = 0; a < cache->item->natts; a++)
				if (strcmp(NameStr(TupleDescAttr(cache->item, a)->attname), item_fields[f]) == 0)
					cache->attnum[f] = a + 1;
			if (cache->attnum[f] == 0)
				elog(ERROR, "ticket.item has no field %s", item_fields[f]);
		}
		cache->item_typid = typid;
		MemoryContextSwitchTo(old);
	}
	return cache;
}

/* The kind named by a text, without copying it; -1 when unknown. */
static int
kind_of_text(text *t)
{
	const char *name = VARDATA_ANY(t);
	size_t		len = VARSIZE_ANY_EXHDR(t);

	for (int k = 0; k < TK_KIND_COUNT; k++)
		if (strlen(tk_kind_names[k]) == len && memcmp(tk_kind_names[k], name, len) == 0)
			return k;
	return -1;
}

/*
 * Price and build the ticket.bill row (band 0 = none; exemptions NULL =
 * none); with no tupdesc, only price (the errors are the point).
 */
static Datum
bill_datum(TupleDesc tupdesc, const rules_cache *rules, const tk_regime *regime,
		   const tk_item *items, int nitems, uint32 band, ArrayType *exemption_array,
		   DateADT on_date)
{
	int			nexemptions;
	tk_exemption *exemptions = exemptions_from_array(rules, on_date, exemption_array, &nexemptions);
	tk_bill		bill;
	tk_error	err;
	Datum		values[7];
	bool		nulls[7] = {false, false, false, false, false, false, false};
	int			unknown = -1;
	tk_status	status;

	for (int e = 0; e < nexemptions && unknown < 0; e++)
		if (exemptions[e].family < 0)
			unknown = e;
	status = ticket_tk_price(regime, items, nitems, band, exemptions, nexemptions,
							 ticket_rules_scope_contains, (void *) rules, &bill, &err);

	/*
	 * An exemption the catalogue does not hold on the date is step 3 of the
	 * engine (the manual's "How a prescription is priced"): the items and
	 * the band are checked first, the amounts (22003) after.
	 */
	if (unknown >= 0 && (status == TK_OK || status == TK_ERR_AMOUNT_TOO_LARGE))
		ticket_rules_report_unknown_exemption(rules, exemptions[unknown].code, on_date);
	if (status != TK_OK)
		report_pricing_error(&err, items, band, regime);
	if (tupdesc == NULL)
		return (Datum) 0;		/* validation only */

	values[0] = cents_to_numeric(bill.total);
	values[1] = cents_to_numeric(bill.base);
	values[2] = cents_to_numeric(bill.band_quota);
	values[3] = CStringGetTextDatum(regime->id);
	if (bill.band != 0)
		values[4] = income_band_packed_datum(bill.band);
	else
		nulls[4] = true;
	if (bill.exemption >= 0)
		values[5] = exemption_packed_datum(exemptions[bill.exemption].code);
	else
		nulls[5] = true;
	values[6] = CStringGetTextDatum(bill.explanation);
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

/* ticket.price's band and exemptions arguments, then the bill. */
static Datum
price_and_return(FunctionCallInfo fcinfo, const rules_cache *rules, const tk_regime *regime,
				 const tk_item *items, int nitems)
{
	return bill_datum(get_call_cache(fcinfo)->bill, rules, regime, items, nitems,
					  PG_ARGISNULL(1) ? 0 : income_band_datum_packed(PG_GETARG_DATUM(1)),
					  PG_ARGISNULL(2) ? NULL : PG_GETARG_ARRAYTYPE_P(2),
					  PG_GETARG_DATEADT(3));
}

/*
 * The fields of an item row, deformed once; a NULL field is an error naming
 * it, except the quantity (NULL = 1).
 */
static void
item_fields_of(const price_call_cache *layout, HeapTupleHeader row, int item,
			   Datum *values, bool *nulls)
{
	HeapTupleData tuple;
	Datum		all[16];
	bool		all_nulls[16];

	if (layout->item->natts > (int) lengthof(all))
		elog(ERROR, "ticket.item has more fields than expected");
	tuple.t_len = HeapTupleHeaderGetDatumLength(row);
	ItemPointerSetInvalid(&tuple.t_self);
	tuple.t_tableOid = InvalidOid;
	tuple.t_data = row;
	heap_deform_tuple(&tuple, layout->item, all, all_nulls);
	for (int f = 0; f < 5; f++)
	{
		values[f] = all[layout->attnum[f] - 1];
		nulls[f] = all_nulls[layout->attnum[f] - 1];
		if (nulls[f] && f != 4)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("item %d: %s must not be NULL", item + 1, item_fields[f])));
	}
}

/* The elements of an array of rows (ticket.item[], ticket.drug[]). */
static void
array_rows(ArrayType *array, Datum **elems, bool **nulls, int *nelems)
{
	int16		typlen;
	bool		typbyval;
	char		typalign;

	get_typlenbyvalalign(ARR_ELEMTYPE(array), &typlen, &typbyval, &typalign);
	deconstruct_array(array, ARR_ELEMTYPE(array), typlen, typbyval, typalign,
					  elems, nulls, nelems);
}

/* Row i of them, 22004 when it is NULL. */
static HeapTupleHeader
row_at(const Datum *elems, const bool *nulls, int i)
{
	if (nulls[i])
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("item %d is NULL", i + 1)));
	return DatumGetHeapTupleHeader(elems[i]);
}

/*
 * The fmgr symbols below keep the names the released scripts give them:
 * an ABI, not subject to the ticket_ prefix (ticket.c says why).
 */
PG_FUNCTION_INFO_V1(ticket_price_items);
Datum
ticket_price_items(PG_FUNCTION_ARGS)
{
	const rules_cache *rules;
	const tk_regime *regime;
	ArrayType  *array;
	Datum	   *elems;
	bool	   *nulls;
	int			nelems;
	tk_item    *items;
	price_call_cache *layout;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(3))
		PG_RETURN_NULL();
	rules = ticket_rules_cache_get();
	regime = regime_on(rules, PG_GETARG_DATEADT(3));

	array = PG_GETARG_ARRAYTYPE_P(0);
	layout = get_item_layout(fcinfo, ARR_ELEMTYPE(array));
	array_rows(array, &elems, &nulls, &nelems);
	items = palloc(sizeof(tk_item) * Max(nelems, 1));
	for (int i = 0; i < nelems; i++)
	{
		HeapTupleHeader row;
		Datum		fields[5];
		bool		field_nulls[5];
		char	   *kind;
		int			k;

		row = row_at(elems, nulls, i);
		item_fields_of(layout, row, i, fields, field_nulls);
		items[i].code = TextDatumGetCString(fields[0]);
		k = kind_of_text(DatumGetTextPP(fields[1]));
		if (k < 0)
		{
			kind = TextDatumGetCString(fields[1]);
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("item %d (%s): unknown kind \"%s\"", i + 1, ticket_quote(items[i].code),
							ticket_quote(kind)),
					 errhint("Kinds are first_visit, control_visit, exam, ct_mri, ambulatory_surgery, drug, er_access, er_consultation and er_exam.")));
		}
		items[i].kind = (tk_kind) k;
		items[i].branch = TextDatumGetCString(fields[2]);
		items[i].tariff = tariff_to_cents(fields[3], i);
		items[i].quantity = field_nulls[4] ? 1 : DatumGetInt32(fields[4]);
		items[i].has_reference_price = false;	/* ticket.price_drugs has them */
		items[i].reference_price = 0;
		items[i].not_substitutable = false;
	}
	return price_and_return(fcinfo, rules, regime, items, nelems);
}

/*
 * ticket.price_drugs(drugs ticket.drug[], band, exemptions, on_date): drug
 * items (the price is the item's tariff) with their reference prices and
 * not-substitutable marks; the core adds the brand difference (step 7).
 * NULL packs = 1, NULL reference price = none, NULL mark = false.
 */
PG_FUNCTION_INFO_V1(ticket_price_drugs);
Datum
ticket_price_drugs(PG_FUNCTION_ARGS)
{
	const rules_cache *rules;
	const tk_regime *regime;
	ArrayType  *array;
	Datum	   *elems;
	bool	   *nulls;
	int			nelems;
	tk_item    *items;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(3))
		PG_RETURN_NULL();
	rules = ticket_rules_cache_get();
	regime = regime_on(rules, PG_GETARG_DATEADT(3));

	array = PG_GETARG_ARRAYTYPE_P(0);
	array_rows(array, &elems, &nulls, &nelems);
	items = palloc(sizeof(tk_item) * Max(nelems, 1));
	for (int i = 0; i < nelems; i++)
	{
		HeapTupleHeader row = row_at(elems, nulls, i);
		Datum		value;
		bool		isnull;

		value = GetAttributeByName(row, "code", &isnull);
		if (isnull)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("item %d: %s must not be NULL", i + 1, "code")));
		items[i].code = TextDatumGetCString(value);
		items[i].kind = TK_DRUG;
		items[i].branch = "pharmacy";
		value = GetAttributeByName(row, "price", &isnull);
		if (isnull)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("item %d: %s must not be NULL", i + 1, "price")));
		items[i].tariff = tariff_to_cents(value, i);
		value = GetAttributeByName(row, "packs", &isnull);
		items[i].quantity = isnull ? 1 : DatumGetInt32(value);
		value = GetAttributeByName(row, "reference_price", &isnull);
		items[i].has_reference_price = !isnull;
		items[i].reference_price = 0;
		if (!isnull)
		{
			bool		out_of_range;

			if (numeric_is_nan(DatumGetNumeric(value)) || numeric_is_inf(DatumGetNumeric(value)))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("item %d (%s): the reference price must be a finite amount", i + 1,
								ticket_quote(items[i].code))));
			items[i].reference_price = numeric_cents(value, &out_of_range);
			if (out_of_range)
				items[i].reference_price = TK_MAX_AMOUNT + 1;	/* the core says so */
		}
		value = GetAttributeByName(row, "not_substitutable", &isnull);
		items[i].not_substitutable = !isnull && DatumGetBool(value);
	}
	return price_and_return(fcinfo, rules, regime, items, nelems);
}

/* The items of catalogue codes on a date: TK001 for an unknown or withdrawn one. */
static tk_item *
catalogue_items(const rules_cache *rules, ArrayType *codes, DateADT on_date, int *nitems)
{
	Datum	   *elems;
	bool	   *nulls;
	int			nelems;
	tk_item    *items;

	deconstruct_array(codes, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &nelems);
	items = palloc(sizeof(tk_item) * Max(nelems, 1));
	for (int i = 0; i < nelems; i++)
	{
		char	   *code;
		const service_entry *service;

		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("service code %d is NULL", i + 1)));
		code = TextDatumGetCString(elems[i]);
		service = ticket_rules_service_on(rules, code, on_date);
		if (service == NULL || service->withdrawn)
			ereport(ERROR,
					(errcode(ERRCODE_TICKET_UNKNOWN_SERVICE),
					 errmsg("service %s is not in the catalogue on %s", ticket_quote(code),
							DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(on_date)))),
					 service != NULL ? errdetail("It was withdrawn.") : 0));
		items[i].code = service->code;
		items[i].kind = service->kind;
		items[i].branch = service->branch;
		items[i].tariff = service->tariff;
		items[i].quantity = 1;
		items[i].has_reference_price = false;
		items[i].reference_price = 0;
		items[i].not_substitutable = false;
	}
	*nitems = nelems;
	return items;
}

/*
 * ticket.price(codes, band, exemptions, on_date) for C callers (the
 * network's triggers): the bill as a row of bill_type, a ticket.bill
 * descriptor (lookup_rowtype_tupdesc); with bill_type NULL, the checks only.
 */
Datum
ticket_price_codes_bill(ArrayType *codes, Datum band, bool band_null, ArrayType *exemptions,
						DateADT on_date, TupleDesc bill_type)
{
	const rules_cache *rules = ticket_rules_cache_get();
	const tk_regime *regime = regime_on(rules, on_date);
	int			nitems;
	tk_item    *items = catalogue_items(rules, codes, on_date, &nitems);

	return bill_datum(bill_type, rules, regime, items, nitems,
					  band_null ? 0 : income_band_datum_packed(band), exemptions, on_date);
}

PG_FUNCTION_INFO_V1(ticket_price_codes);
Datum
ticket_price_codes(PG_FUNCTION_ARGS)
{
	const rules_cache *rules;
	const tk_regime *regime;
	DateADT		on_date;
	int			nitems;
	tk_item    *items;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(3))
		PG_RETURN_NULL();
	on_date = PG_GETARG_DATEADT(3);
	rules = ticket_rules_cache_get();
	regime = regime_on(rules, on_date);
	items = catalogue_items(rules, PG_GETARG_ARRAYTYPE_P(0), on_date, &nitems);
	return price_and_return(fcinfo, rules, regime, items, nitems);
}

/*
 * ticket.price_under(regime, codes, band, exemptions, on_date): as the codes
 * form of ticket.price, under the named regime, enacted or draft, whatever
 * the date's (the catalogue is the date's).  The what-if of a draft
 * (ticket.simulate); no booking is ever priced by name.
 */
PG_FUNCTION_INFO_V1(ticket_price_under);
Datum
ticket_price_under(PG_FUNCTION_ARGS)
{
	const rules_cache *rules;
	const tk_regime *regime;
	char	   *regime_id;
	DateADT		on_date;
	int			nitems;
	tk_item    *items;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(4))
		PG_RETURN_NULL();
	regime_id = text_to_cstring(PG_GETARG_TEXT_PP(0));
	on_date = PG_GETARG_DATEADT(4);
	if (DATE_NOT_FINITE(on_date))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the service date must be finite")));
	rules = ticket_rules_cache_get();
	regime = ticket_rules_regime_named(rules, regime_id);
	if (regime == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("regime %s does not exist", ticket_quote(regime_id))));
	items = catalogue_items(rules, PG_GETARG_ARRAYTYPE_P(1), on_date, &nitems);
	return bill_datum(get_call_cache(fcinfo)->bill, rules, regime, items, nitems,
					  PG_ARGISNULL(2) ? 0 : income_band_datum_packed(PG_GETARG_DATUM(2)),
					  PG_ARGISNULL(3) ? NULL : PG_GETARG_ARRAYTYPE_P(3), on_date);
}

PG_FUNCTION_INFO_V1(ticket_regime_for);
Datum
ticket_regime_for(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(regime_on(ticket_rules_cache_get(), PG_GETARG_DATEADT(0))->id));
}

/*
 * The band whose income range holds the income, under the regime of the
 * date; NULL when none does (the regime prints no code for it).
 */
PG_FUNCTION_INFO_V1(ticket_income_band_for);
Datum
ticket_income_band_for(PG_FUNCTION_ARGS)
{
	static SPIPlanPtr plan = NULL;
	static Oid	prepared_for = InvalidOid;	/* no type of its own: kept for good */
	Datum		income = PG_GETARG_DATUM(0);
	const tk_regime *regime = regime_on(ticket_rules_cache_get(), PG_GETARG_DATEADT(1));
	Datum		values[2];
	Datum		band = (Datum) 0;
	bool		isnull = true;
	int			nest_level;

	if (numeric_is_nan(DatumGetNumeric(income)) ||
		DatumGetBool(DirectFunctionCall2(numeric_lt, income,
										 DirectFunctionCall1(int4_numeric, Int32GetDatum(0)))))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("income must be a non-negative amount")));
	nest_level = ticket_pin_search_path();
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	{
		Oid			argtypes[2] = {TEXTOID, NUMERICOID};

		ticket_kept_plan(&plan, &prepared_for, InvalidOid, &ticket_sql_band_for_income, 2, argtypes);
	}
	values[0] = CStringGetTextDatum(regime->id);
	values[1] = income;
	if (SPI_execute_plan(plan, values, NULL, true, 2) != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_plan failed");
	if (SPI_processed > 0)
		band = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	SPI_finish();
	ticket_unpin_search_path(nest_level);
	if (isnull)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(band);		/* pass-by-value: safe after SPI_finish */
}

/*
 * A declared band counts only under a regime that defines it, or that says
 * which of its bands replaces it: RE2 declared in 2011 is QB under the 2019
 * rules (regime_band.replaces, DGR 2075/2018), and nothing under the 2020
 * ones, whose default band (if any) then applies.  The registry keeps the
 * declaration; pricing asks this.  *band becomes the band charged; false when
 * none is (then the default band or the no-band amounts apply).
 */
bool
ticket_band_charged_on(Datum *band, DateADT on_date)
{
	const tk_regime *regime = regime_on(ticket_rules_cache_get(), on_date);
	uint32		charged = ticket_tk_charged_band(regime, income_band_datum_packed(*band));

	if (charged == 0)
		return false;
	*band = income_band_packed_datum(charged);
	return true;
}

PG_FUNCTION_INFO_V1(ticket_effective_band);
Datum
ticket_effective_band(PG_FUNCTION_ARGS)
{
	Datum		band = PG_GETARG_DATUM(0);

	if (ticket_band_charged_on(&band, PG_GETARG_DATEADT(1)))
		PG_RETURN_DATUM(band);
	PG_RETURN_NULL();
}

PG_FUNCTION_INFO_V1(ticket_rules_cache_info);
Datum
ticket_rules_cache_info(PG_FUNCTION_ARGS)
{
	const rules_cache *rules = ticket_rules_cache_get();
	TupleDesc	tupdesc;
	Datum		values[6];
	bool		nulls[6] = {false, false, false, false, false, false};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	values[0] = Int32GetDatum(rules->nregimes);
	values[1] = Int32GetDatum(rules->nbands);
	values[2] = Int32GetDatum(rules->nexemption_rules);
	values[3] = Int32GetDatum(rules->nscope);
	values[4] = Int64GetDatum(rules->bytes);
	values[5] = Int64GetDatum(rules->builds);
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}
