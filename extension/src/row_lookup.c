/*
 * row_lookup.c
 *		Reading the extension's own tables without the executor: open a
 *		table as a reader (privilege and row-level security checked), fetch
 *		rows by the first column of an index, and take the snapshot a new
 *		statement would take; and the small helpers the C triggers share
 *		(the trigger's shape, its row's columns, kept statements).
 *
 * The network's hot paths (ticket.citizen_status, the prescription and
 * booking triggers) read a handful of rows per call; an index scan costs a
 * fraction of a planned query's start-up.  They read only what the current
 * role may read: SELECT is checked, and a table under row-level security is
 * refused rather than read past its policies.  Since 1.0 they run as the
 * extension's owner (SECURITY DEFINER: the tables have row-level security
 * for the shipped roles, and the owner bypasses it), so the checks are a
 * safety net; who may book or prescribe is decided by the entry points
 * (ticket--0.5--1.0.sql).
 */
#include "ticket_internal.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "parser/parse_relation.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"

static Oid
relation_oid(const char *schema, const char *name)
{
	Oid			relid = get_relname_relid(name, get_namespace_oid(schema, false));

	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("relation %s.%s of the ticket extension is missing", schema, name),
				 errhint("Reinstall the extension, or recreate the relation from the extension's script.")));
	return relid;
}

Relation
ticket_open_for_reading(const char *schema, const char *name, const char *reader)
{
	Oid			relid = relation_oid(schema, name);

	if (pg_class_aclcheck(relid, GetUserId(), ACL_SELECT) != ACLCHECK_OK)
		aclcheck_error(ACLCHECK_NO_PRIV, OBJECT_TABLE, get_rel_name(relid));
	if (check_enable_rls(relid, InvalidOid, false) == RLS_ENABLED)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s cannot read %s.%s under row-level security", reader, schema, name),
				 errhint("Read the registry through registry.status_on's views, or exempt the role from the policy.")));
	return table_open(relid, AccessShareLock);
}

Relation
ticket_open_index(const char *schema, const char *name)
{
	return index_open(relation_oid(schema, name), AccessShareLock);
}

void
ticket_close_for_reading(Relation heap, Relation index)
{
	if (index != NULL)
		index_close(index, AccessShareLock);
	table_close(heap, AccessShareLock);
}

int
ticket_attnum(Relation rel, const char *name)
{
	int			attnum = attnameAttNum(rel, name, false);

	if (attnum == InvalidAttrNumber)
		elog(ERROR, "table %s has no column \"%s\"", RelationGetRelationName(rel), name);
	return attnum;
}

IndexScanDesc
ticket_begin_key_scan(Relation heap, Relation index, Datum key, ScanKey keys, int nkeys)
{
	Oid			eqop = get_opfamily_member(index->rd_opfamily[0], index->rd_opcintype[0],
										   index->rd_opcintype[0], BTEqualStrategyNumber);
	IndexScanDesc scan;

	if (!OidIsValid(eqop))
		elog(ERROR, "no equality operator for the first column of index %s",
			 RelationGetRelationName(index));
	ScanKeyEntryInitialize(&keys[0], 0, 1, BTEqualStrategyNumber, InvalidOid,
						   index->rd_indcollation[0], get_opcode(eqop), key);
	scan = index_beginscan(heap, index, GetActiveSnapshot(), nkeys, 0);
	index_rescan(scan, keys, nkeys, NULL, 0);
	return scan;
}

bool
ticket_fetch_by_key(Relation heap, Relation index, Datum key, TupleTableSlot *slot)
{
	ScanKeyData keys[1];
	IndexScanDesc scan = ticket_begin_key_scan(heap, index, key, keys, 1);
	bool		found = index_getnext_slot(scan, ForwardScanDirection, slot);

	if (found)
		slot_getallattrs(slot);	/* the buffer pin goes with the scan */
	index_endscan(scan);
	return found;
}

void
ticket_push_statement_snapshot(void)
{
	/* what PL/pgSQL does before each statement of a VOLATILE function */
	CommandCounterIncrement();
	PushActiveSnapshot(GetTransactionSnapshot());
}

/* A value as text, with its type's output function (for messages). */
char *
ticket_output(Datum value, Oid type)
{
	Oid			output;
	bool		varlena;

	getTypeOutputInfo(type, &output, &varlena);
	return OidOutputFunctionCall(output, value);
}

/* The trigger data of a BEFORE INSERT row trigger, or an internal error. */
TriggerData *
ticket_before_insert_row(FunctionCallInfo fcinfo, const char *trigger)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) ||
		!TRIGGER_FIRED_BEFORE(trigdata->tg_event) || !TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		elog(ERROR, "%s: not called as a BEFORE INSERT row trigger", trigger);
	return trigdata;
}

/* The named columns of a trigger's row: their numbers and values. */
void
ticket_row_columns(Relation rel, HeapTuple tuple, const char *const *names, int ncolumns,
				   int *attnum, Datum *value, bool *isnull)
{
	for (int c = 0; c < ncolumns; c++)
	{
		attnum[c] = ticket_attnum(rel, names[c]);
		value[c] = heap_getattr(tuple, attnum[c], RelationGetDescr(rel), &isnull[c]);
	}
}

/* A date as PL/pgSQL's % prints it (DateStyle), for messages. */
char *
ticket_date_text(DateADT day)
{
	return DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(day)));
}

/*
 * A statement prepared once per backend and kept (SPI_keepplan), prepared
 * again when the type its parameters depend on changed OID (the extension
 * was dropped and created again in this session).  Call inside SPI.
 */
SPIPlanPtr
ticket_kept_plan(SPIPlanPtr *plan, Oid *prepared_for, Oid depends_on, const char *sql,
				 int nargs, Oid *argtypes)
{
	if (*plan == NULL || *prepared_for != depends_on)
	{
		SPIPlanPtr	p;

		if (*plan != NULL)
			SPI_freeplan(*plan);
		*plan = NULL;
		p = SPI_prepare(sql, nargs, argtypes);
		if (p == NULL)
			elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		SPI_keepplan(p);
		*plan = p;
		*prepared_for = depends_on;
	}
	return *plan;
}
