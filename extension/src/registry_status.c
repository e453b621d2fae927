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
 * not apply.  The set-wise twins of this rule are the views
 * cup.booking_expected and fse.prescription_expected; the pgTAP
 * differential keeps them equal.
 */
#include "ticket_internal.h"

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
#include "utils/array.h"
#include "utils/date.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rangetypes.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"
#include "utils/typcache.h"

#define REGISTRY_SCHEMA "registry"

/* A relation of schema registry, opened for reading by the caller. */
static Relation
open_registry_relation(const char *name, bool is_index)
{
	Oid			nsp = get_namespace_oid(REGISTRY_SCHEMA, false);
	Oid			relid = get_relname_relid(name, nsp);

	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("relation %s.%s of the ticket extension is missing", REGISTRY_SCHEMA, name),
				 errhint("Reinstall the extension, or recreate the index from the extension's script.")));
	if (is_index)
		return index_open(relid, AccessShareLock);
	if (pg_class_aclcheck(relid, GetUserId(), ACL_SELECT) != ACLCHECK_OK)
		aclcheck_error(ACLCHECK_NO_PRIV, OBJECT_TABLE, get_rel_name(relid));
	if (check_enable_rls(relid, InvalidOid, false) == RLS_ENABLED)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("ticket.citizen_status cannot read %s.%s under row-level security", REGISTRY_SCHEMA, name),
				 errhint("Read the registry through registry.status_on's views, or exempt the role from the policy.")));
	return table_open(relid, AccessShareLock);
}

/* An index scan of the rows of one citizen (first index column = the code). */
static IndexScanDesc
begin_citizen_scan(Relation heap, Relation index, Datum citizen, ScanKey keys, int nkeys)
{
	Oid			eqop = get_opfamily_member(index->rd_opfamily[0], index->rd_opcintype[0],
										   index->rd_opcintype[0], BTEqualStrategyNumber);
	IndexScanDesc scan;

	if (!OidIsValid(eqop))
		elog(ERROR, "no equality operator for the first column of index %s",
			 RelationGetRelationName(index));
	ScanKeyInit(&keys[0], 1, BTEqualStrategyNumber, get_opcode(eqop), citizen);
	scan = index_beginscan(heap, index, GetActiveSnapshot(), nkeys, 0);
	index_rescan(scan, keys, nkeys, NULL, 0);
	return scan;
}

static int
attribute_number(Relation rel, const char *name)
{
	int			attnum = attnameAttNum(rel, name, false);

	if (attnum == InvalidAttrNumber)
		elog(ERROR, "table %s has no column \"%s\"", RelationGetRelationName(rel), name);
	return attnum;
}

/* The band of the declaration in force on the day, or NULL (isnull). */
static Datum
declared_band(Datum citizen, DateADT on_date, bool *isnull)
{
	Relation	heap = open_registry_relation("declaration", false);
	Relation	index = open_registry_relation("declaration_citizen_idx", true);
	int			att_band = attribute_number(heap, "band");
	int			att_until = attribute_number(heap, "valid_until");
	ScanKeyData keys[2];
	IndexScanDesc scan;
	TupleTableSlot *slot = table_slot_create(heap, NULL);
	Datum		band = (Datum) 0;

	*isnull = true;
	/* applies_from <= on_date, the second column of the index */
	ScanKeyInit(&keys[1], 2, BTLessEqualStrategyNumber, F_DATE_LE, DateADTGetDatum(on_date));
	scan = begin_citizen_scan(heap, index, citizen, keys, 2);
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
	index_close(index, AccessShareLock);
	table_close(heap, AccessShareLock);
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
	Relation	heap = open_registry_relation("exemption_grant", false);
	Relation	index = open_registry_relation("exemption_grant_citizen_idx", true);
	int			att_exemption = attribute_number(heap, "exemption");
	int			att_effective = attribute_number(heap, "effective");
	TypeCacheEntry *range_type = NULL;
	ScanKeyData keys[1];
	IndexScanDesc scan;
	TupleTableSlot *slot = table_slot_create(heap, NULL);
	Datum	   *found = NULL;
	int			nfound = 0,
				capacity = 0;
	ArrayType  *result;

	scan = begin_citizen_scan(heap, index, citizen, keys, 1);
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
	index_close(index, AccessShareLock);
	table_close(heap, AccessShareLock);

	/* the stored value orders like the code (ticket.h), as ORDER BY would */
	if (nfound > 1)
		qsort(found, nfound, sizeof(Datum), compare_int32);
	result = construct_array(found, nfound, exemption_type, sizeof(int32), true, TYPALIGN_INT);
	return result;
}

/*
 * ticket.citizen_status(citizen fiscal_code, on_date date,
 *						 OUT declared_band income_band,
 *						 OUT exemptions exemption[])
 */
PG_FUNCTION_INFO_V1(ticket_citizen_status);
Datum
ticket_citizen_status(PG_FUNCTION_ARGS)
{
	Datum		citizen = PG_GETARG_DATUM(0);
	DateADT		on_date = PG_GETARG_DATEADT(1);
	TupleDesc	tupdesc;
	Datum		values[2];
	bool		nulls[2] = {false, false};
	Oid			exemption_type;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "ticket.citizen_status must return a composite");
	tupdesc = BlessTupleDesc(tupdesc);
	exemption_type = get_element_type(TupleDescAttr(tupdesc, 1)->atttypid);
	if (!OidIsValid(exemption_type))
		elog(ERROR, "ticket.citizen_status: the second result column is not an array");
	if (DATE_NOT_FINITE(on_date))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the date must be finite")));

	values[0] = declared_band(citizen, on_date, &nulls[0]);
	values[1] = PointerGetDatum(exemptions_in_effect(citizen, on_date, exemption_type));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
