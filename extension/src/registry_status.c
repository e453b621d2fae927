/*
 * registry_status.c
 *		What the registry says of a citizen on a date: the declared band and
 *		the exemptions in effect (ticket.citizen_status).
 *
 * Every prescription and every booking asks this, so it reads the two
 * tables through their indexes on the citizen directly, without the
 * executor: registry.declaration by (fiscal_code, applies_from), taking the
 * declaration whose [applies_from, valid_until) holds the date, and
 * registry.exemption_grant by fiscal_code, keeping the grants whose
 * effective range holds the date.  It reads with the active snapshot, as the
 * query calling it does, checks that the caller may read both tables, and
 * refuses to run on tables under row-level security, whose policies it would
 * not apply.  This is the one implementation of the rule: registry.status_on
 * (PL/pgSQL), cup.price_for and the views cup.booking_expected and
 * fse.prescription_expected call it (1.2); pgTAP's network_citizen_status
 * compares it with SQL predicates of its own on every day of ten years.
 */
#include "ticket_compat.h"

#include "catalog_names.h"
#include "registry_status.h"
#include "row_lookup.h"
#include "rules_cache.h"
#include "exemption_core.h"
#include "ticket.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_type_d.h"
#include "executor/tuptable.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "parser/parse_relation.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/array.h"
#include "utils/date.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rangetypes.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"
#include "utils/typcache.h"

#define READER "ticket.citizen_status"

/* The band of the declaration in force on the day, or NULL (isnull). */
static Datum
declared_band(Datum citizen, DateADT on_date, bool *isnull)
{
	Relation	heap = ticket_open_for_reading(&ticket_table_declaration, READER);
	Relation	index = ticket_open_index(&ticket_index_declaration_citizen, heap);
	const AttrNumber *attnum = ticket_columns(heap, &ticket_table_declaration);
	int			att_band = attnum[DECLARATION_BAND];
	int			att_until = attnum[DECLARATION_VALID_UNTIL];
	ScanKeyData keys[2];
	IndexScanDesc scan;
	TupleTableSlot *slot = table_slot_create(heap, NULL);
	Datum		band = (Datum) 0;

	*isnull = true;
	/* applies_from <= on_date, the second column of the index (checked when opened) */
	ScanKeyInit(&keys[1], 2, BTLessEqualStrategyNumber, F_DATE_LE, DateADTGetDatum(on_date));
	scan = ticket_begin_key_scan(heap, index, attnum[DECLARATION_FISCAL_CODE], citizen, keys, 2);
	while (index_getnext_slot(scan, ForwardScanDirection, slot))
	{
		bool		until_null;
		Datum		until = slot_getattr(slot, att_until, &until_null);

		if (until_null || DatumGetDateADT(until) > on_date)
		{
			band = slot_getattr(slot, att_band, isnull);	/* by value: int4 */
			break;
		}
	}
	index_endscan(scan);
	ExecDropSingleTupleTableSlot(slot);
	ticket_close_for_reading(heap, index);
	return band;
}

static int
compare_int32(const void *a, const void *b)
{
	int32		x = DatumGetInt32(*(const Datum *) a);
	int32		y = DatumGetInt32(*(const Datum *) b);

	return (x > y) - (x < y);
}

/* The exemptions whose effective range holds the day, in code order. */
static ArrayType *
exemptions_in_effect(Datum citizen, DateADT on_date, Oid exemption_type)
{
	Relation	heap = ticket_open_for_reading(&ticket_table_exemption_grant, READER);
	Relation	index = ticket_open_index(&ticket_index_exemption_grant_citizen, heap);
	const AttrNumber *attnum = ticket_columns(heap, &ticket_table_exemption_grant);
	int			att_exemption = attnum[GRANT_EXEMPTION];
	int			att_effective = attnum[GRANT_EFFECTIVE];
	TypeCacheEntry *range_type = NULL;
	ScanKeyData keys[1];
	IndexScanDesc scan;
	TupleTableSlot *slot = table_slot_create(heap, NULL);
	Datum	   *found = NULL;
	int			nfound = 0,
				capacity = 0;
	ArrayType  *result;

	/* the array is built of the column's values: it must be of their type */
	if (exemption_type != TupleDescAttr(RelationGetDescr(heap), att_exemption - 1)->atttypid)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("exemptions of type %s cannot be read as %s", format_type_be(
																					  TupleDescAttr(RelationGetDescr(heap), att_exemption - 1)->atttypid),
						format_type_be(exemption_type))));
	scan = ticket_begin_key_scan(heap, index, attnum[GRANT_FISCAL_CODE], citizen, keys, 1);
	while (index_getnext_slot(scan, ForwardScanDirection, slot))
	{
		bool		isnull;
		Datum		effective = slot_getattr(slot, att_effective, &isnull);
		RangeType  *range;

		if (isnull)
			continue;
		range = DatumGetRangeTypeP(effective);
		if (range_type == NULL)
			range_type = lookup_type_cache(RangeTypeGetOid(range), TYPECACHE_RANGE_INFO);
		if (!range_contains_elem_internal(range_type, range, DateADTGetDatum(on_date)))
			continue;
		if (nfound == capacity)
		{
			capacity = capacity == 0 ? 4 : capacity * 2;
			found = found == NULL ? palloc(sizeof(Datum) * capacity)
				: repalloc(found, sizeof(Datum) * capacity);
		}
		found[nfound++] = slot_getattr(slot, att_exemption, &isnull);	/* NOT NULL, by value */
	}
	index_endscan(scan);
	ExecDropSingleTupleTableSlot(slot);
	ticket_close_for_reading(heap, index);

	/* the stored value orders like the code (ticket.h), as ORDER BY would */
	if (nfound > 1)
		qsort(found, nfound, sizeof(Datum), compare_int32);
	result = construct_array(found, nfound, exemption_type, sizeof(int32), true, TYPALIGN_INT);
	return result;
}

/* The citizen's birth date (a grant's citizen is registered: a foreign key). */
static DateADT
citizen_birth_date(Datum citizen)
{
	Relation	heap = ticket_open_for_reading(&ticket_table_citizen, READER);
	Relation	index = ticket_open_index(&ticket_index_citizen_pkey, heap);
	const AttrNumber *attnum = ticket_columns(heap, &ticket_table_citizen);
	TupleTableSlot *slot = table_slot_create(heap, NULL);
	DateADT		birth;
	bool		isnull = true;

	if (ticket_fetch_by_key(heap, index, attnum[CITIZEN_FISCAL_CODE], citizen, slot))
		birth = DatumGetDateADT(slot_getattr(slot, attnum[CITIZEN_BIRTH_DATE], &isnull));
	if (isnull)
		elog(ERROR, "ticket.citizen_status: a citizen with exemption grants is not registered");
	ExecDropSingleTupleTableSlot(slot);
	ticket_close_for_reading(heap, index);
	return birth;
}

/*
 * The exemptions of a citizen's grants that apply at the citizen's age on
 * the day, under the rules of the regime in force (ticket.exemption_rule.
 * max_age; 2025: FA2 for children up to 14 only, expiring at 15, S29 S30):
 * the one place the age rule is applied, so that every price of a citizen
 * (prescriptions, bookings, ticket.simulate, fse.status) sees it.  The
 * birth date is read only when a grant's rule limits the age.  A code's
 * family is ticket.exemption_catalogue's on the day, as at pricing.
 */
static ArrayType *
exemptions_at_age(Datum citizen, DateADT on_date, ArrayType *exemptions)
{
	const rules_cache *rules;
	const tk_regime *regime;
	Datum	   *elems;
	bool	   *nulls;
	int			nelems,
				nkept = 0;
	bool		birth_known = false;
	DateADT		birth = 0;

	if (ArrayGetNItems(ARR_NDIM(exemptions), ARR_DIMS(exemptions)) == 0)
		return exemptions;
	rules = ticket_rules_cache_get();
	regime = ticket_tk_find_regime(rules->regimes, rules->nregimes, on_date);
	if (regime == NULL)
		return exemptions;
	/* Most regimes limit no age: no family to look up (the catalogue's). */
	{
		bool		any_age_limit = false;

		for (int r = 0; r < regime->nexemptions && !any_age_limit; r++)
			any_age_limit = regime->exemptions[r].age_limited;
		if (!any_age_limit)
			return exemptions;
	}
	deconstruct_array(exemptions, ARR_ELEMTYPE(exemptions), sizeof(int32), true, TYPALIGN_INT,
					  &elems, &nulls, &nelems);
	for (int i = 0; i < nelems; i++)
	{
		uint32		code = exemption_datum_packed(elems[i]);
		int			family = ticket_rules_exemption_family_on(rules, code, on_date);
		const tk_exemption_rule *rule = ticket_tk_exemption_rule_for(regime, code, family);

		if (rule != NULL && rule->age_limited)
		{
			if (!birth_known)
			{
				birth = citizen_birth_date(citizen);
				birth_known = true;
			}
			if (!ticket_tk_exemption_applies_at_age(regime, code, family, birth, on_date))
				continue;
		}
		elems[nkept++] = elems[i];
	}
	if (nkept == nelems)
		return exemptions;
	return construct_array(elems, nkept, ARR_ELEMTYPE(exemptions), sizeof(int32), true, TYPALIGN_INT);
}

/*
 * What the registry says of a citizen on a date, for C callers (the
 * network's triggers): the declared band (*band_null when none) and the
 * exemptions in effect, an array of exemption_type.
 */
void
ticket_registry_citizen_status(Datum citizen, DateADT on_date, Oid exemption_type,
						Datum *band, bool *band_null, ArrayType **exemptions)
{
	if (DATE_NOT_FINITE(on_date))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the date must be finite")));
	*band = declared_band(citizen, on_date, band_null);
	*exemptions = exemptions_at_age(citizen, on_date,
									exemptions_in_effect(citizen, on_date, exemption_type));
}

/*
 * The fmgr symbols below keep the names the released scripts give them:
 * an ABI, not subject to the ticket_ prefix (ticket.c says why).
 */
/*
 * ticket.citizen_status(citizen fiscal_code, on_date date,
 *						 OUT declared_band income_band,
 *						 OUT exemptions exemption[])
 */
PG_FUNCTION_INFO_V1(ticket_citizen_status);
Datum
ticket_citizen_status(PG_FUNCTION_ARGS)
{
	TupleDesc	tupdesc;
	Datum		values[2];
	bool		nulls[2] = {false, false};
	Oid			exemption_type;
	ArrayType  *exemptions;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "ticket.citizen_status must return a composite");
	tupdesc = BlessTupleDesc(tupdesc);
	exemption_type = get_element_type(TupleDescAttr(tupdesc, 1)->atttypid);
	if (!OidIsValid(exemption_type))
		elog(ERROR, "ticket.citizen_status: the second result column is not an array");
	ticket_registry_citizen_status(PG_GETARG_DATUM(0), PG_GETARG_DATEADT(1), exemption_type,
							&values[0], &nulls[0], &exemptions);
	values[1] = PointerGetDatum(exemptions);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/*
 * The registry row of a citizen as a write about them needs it; false when
 * the citizen is not registered.  residence_asl is palloc'd.
 */
bool
ticket_registry_citizen_row(Datum citizen, RegistryCitizen *row, Datum *record, const char *reader)
{
	Relation	heap = ticket_open_for_reading(&ticket_table_citizen, reader);
	Relation	index = ticket_open_index(&ticket_index_citizen_pkey, heap);
	const AttrNumber *attnum = ticket_columns(heap, &ticket_table_citizen);
	TupleTableSlot *slot = table_slot_create(heap, NULL);
	bool		found = ticket_fetch_by_key(heap, index, attnum[CITIZEN_FISCAL_CODE], citizen, slot);

	if (found)
	{
		bool		isnull;
		Datum		death = slot_getattr(slot, attnum[CITIZEN_DEATH_DATE], &isnull);

		row->dead = !isnull;
		row->death_date = isnull ? 0 : DatumGetDateADT(death);
		row->residence_asl = TextDatumGetCString(slot_getattr(slot, attnum[CITIZEN_RESIDENCE_ASL],
															   &isnull));
		if (record != NULL)		/* a registry.citizen value, a copy */
			*record = ExecFetchSlotHeapTupleDatum(slot);
	}
	ExecDropSingleTupleTableSlot(slot);
	ticket_close_for_reading(heap, index);
	return found;
}

/* The first day a GP no longer practises; false for a practising or unknown one. */
bool
ticket_registry_gp_ceased_on(Datum gp_code, DateADT *ceased_on, const char *reader)
{
	Relation	heap = ticket_open_for_reading(&ticket_table_gp, reader);
	Relation	index = ticket_open_index(&ticket_index_gp_pkey, heap);
	const AttrNumber *attnum = ticket_columns(heap, &ticket_table_gp);
	TupleTableSlot *slot = table_slot_create(heap, NULL);
	bool		ceased = false;

	if (ticket_fetch_by_key(heap, index, attnum[GP_GP_CODE], gp_code, slot))
	{
		bool		isnull;
		Datum		value = slot_getattr(slot, attnum[GP_CEASED_ON], &isnull);

		ceased = !isnull;
		if (ceased)
			*ceased_on = DatumGetDateADT(value);
	}
	ExecDropSingleTupleTableSlot(slot);
	ticket_close_for_reading(heap, index);
	return ceased;
}
