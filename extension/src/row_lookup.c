/*
 * row_lookup.c
 *		Reading the extension's own tables without the executor: open a
 *		table as a reader (privilege and row-level security checked), fetch
 *		rows by the first column of an index, and take the snapshot a new
 *		statement would take; and the small helpers the C triggers share
 *		(their row's columns, kept statements).
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
 *
 * Every table, column and index is the one catalog_names.c describes:
 * each column read here, of a trigger's row or of a table, is read as the
 * type named there, and each index scanned is checked to be its table's,
 * on the key columns named there.  A table altered by hand, an index
 * recreated on something else, or a look-alike a trigger was attached to is
 * an error (42703, 42804, 55000), never a datum of one type taken for
 * another.  The checks run once per relation: what they resolved is kept
 * until a relcache invalidation of the relation, so the booking path pays
 * an OID comparison.
 */
#include "ticket_compat.h"

#include "own_queries.h"
#include "row_lookup.h"

#include "access/genam.h"
#include "access/relation.h"
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
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/rls.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

/* ---------- tables, columns and indexes as catalog_names.c describes them ---------- */

static TicketTable *resolved_tables = NULL;	/* every column set resolved so far */
static TicketIndex *checked_indexes = NULL;	/* every index checked so far */

/* Forget what a relcache invalidation may have changed. */
static void
catalog_names_relcache_callback(Datum arg, Oid relid)
{
	for (TicketTable *t = resolved_tables; t != NULL; t = t->next)
		if (relid == InvalidOid || t->relid == relid)
			t->relid = InvalidOid;
	for (TicketIndex *i = checked_indexes; i != NULL; i = i->next)
		if (relid == InvalidOid || i->checked == relid || i->checked_table == relid)
			i->checked = InvalidOid;
}

static void
register_relcache_callback(void)
{
	static bool registered = false;

	if (!registered)
	{
		CacheRegisterRelcacheCallback(catalog_names_relcache_callback, (Datum) 0);
		registered = true;
	}
}

/* schema.table, quoted as needed, for messages. */
static char *
qualified_name(Relation rel)
{
	return quote_qualified_identifier(get_namespace_name(RelationGetNamespace(rel)),
									  RelationGetRelationName(rel));
}

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
ticket_open_for_reading(TicketTable *table, const char *reader)
{
	Oid			relid = relation_oid(table->schema, table->name);
	Relation	heap;

	if (pg_class_aclcheck(relid, GetUserId(), ACL_SELECT) != ACLCHECK_OK)
		aclcheck_error(ACLCHECK_NO_PRIV, OBJECT_TABLE, get_rel_name(relid));
	if (check_enable_rls(relid, InvalidOid, false) == RLS_ENABLED)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s cannot read %s.%s under row-level security", reader, table->schema, table->name),
				 errhint("Read the registry through registry.status_on's views, or exempt the role from the policy.")));
	heap = table_open(relid, AccessShareLock);
	(void) ticket_columns(heap, table);
	return heap;
}


/*
 * The index, checked once per OID (and again after a relcache
 * invalidation of it) to be an index of heap whose leading key columns are
 * the ones catalog_names.c names: a scan of another index, or of one
 * recreated on other columns, would compare keys of one column's type with
 * another's.
 */
Relation
ticket_open_index(TicketIndex *index, Relation heap)
{
	Oid			relid = relation_oid(index->table->schema, index->name);
	Relation	rel = index_open(relid, AccessShareLock);

	if (index->checked == relid && index->checked_table == RelationGetRelid(heap))
		return rel;
	if (!index->registered)
	{
		register_relcache_callback();
		index->next = checked_indexes;
		checked_indexes = index;
		index->registered = true;
	}
	if (rel->rd_index->indrelid != RelationGetRelid(heap))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("index %s is not an index of %s", qualified_name(rel), qualified_name(heap)),
				 errhint("Recreate the index from the extension's script.")));
	for (int k = 0; k < index->nkeys; k++)
	{
		AttrNumber	attnum = attnameAttNum(heap, index->keys[k], false);

		if (attnum == InvalidAttrNumber || k >= rel->rd_index->indnkeyatts ||
			rel->rd_index->indkey.values[k] != attnum)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("index %s is not the ticket extension's: column %d is not %s",
							qualified_name(rel), k + 1, quote_identifier(index->keys[k])),
					 errhint("Recreate the index from the extension's script.")));
	}
	index->checked = relid;
	index->checked_table = RelationGetRelid(heap);
	return rel;
}

void
ticket_close_for_reading(Relation heap, Relation index)
{
	if (index != NULL)
		index_close(index, AccessShareLock);
	table_close(heap, AccessShareLock);
}

/* The OID of "name", "name[]", "schema.name" or "schema.name[]". */
static Oid
expected_type(const char *spec)
{
	const char *dot = strchr(spec, '.');
	char	   *schema = dot ? pnstrdup(spec, dot - spec) : "pg_catalog";
	const char *name = dot ? dot + 1 : spec;
	size_t		len = strlen(name);
	bool		array = len > 2 && strcmp(name + len - 2, "[]") == 0;
	char	   *base = pnstrdup(name, array ? len - 2 : len);
	Oid			nsp = get_namespace_oid(schema, true);
	Oid			type = InvalidOid;

	if (OidIsValid(nsp))
		type = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid, CStringGetDatum(base),
							   ObjectIdGetDatum(nsp));
	if (OidIsValid(type) && array)
		type = get_array_type(type);
	if (!OidIsValid(type))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("type %s of the ticket extension is missing", spec),
				 errhint("Reinstall the extension, or recreate the relation from the extension's script.")));
	return type;
}

const AttrNumber *
ticket_columns(Relation rel, TicketTable *columns)
{
	TupleDesc	desc = RelationGetDescr(rel);

	if (columns->relid == RelationGetRelid(rel))
		return columns->attnum;

	register_relcache_callback();
	if (!columns->registered)
	{
		columns->next = resolved_tables;
		resolved_tables = columns;
		columns->registered = true;
	}
	Assert(columns->ncolumns <= TICKET_MAX_COLUMNS);
	for (int c = 0; c < columns->ncolumns; c++)
	{
		const TicketColumn *column = &columns->columns[c];
		AttrNumber	attnum = attnameAttNum(rel, column->name, false);
		Oid			expected = expected_type(column->type);
		Oid			actual;

		if (attnum == InvalidAttrNumber)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("table %s has no column %s, which the ticket extension reads as %s",
							qualified_name(rel), quote_identifier(column->name),
							format_type_be(expected))));
		actual = TupleDescAttr(desc, attnum - 1)->atttypid;
		if (actual != expected)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("column %s of table %s is of type %s, not %s",
							quote_identifier(column->name), qualified_name(rel),
							format_type_be(actual), format_type_be(expected)),
					 errdetail("The ticket extension reads the column as %s.", format_type_be(expected)),
					 errhint("Restore the column's type, or recreate the relation from the extension's script.")));
		columns->attnum[c] = attnum;
	}
	columns->relid = RelationGetRelid(rel);
	return columns->attnum;
}

void
ticket_check_index_column(Relation index, int column, AttrNumber attnum)
{
	if (column > index->rd_index->indnkeyatts || index->rd_index->indkey.values[column - 1] != attnum)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("index %s is not the ticket extension's: column %d is not %s",
						qualified_name(index), column,
						quote_identifier(get_attname(index->rd_index->indrelid, attnum, false))),
				 errhint("Recreate the index from the extension's script.")));
}

IndexScanDesc
ticket_begin_key_scan(Relation heap, Relation index, AttrNumber key_attnum, Datum key,
					  ScanKey keys, int nkeys)
{
	Oid			eqop;
	IndexScanDesc scan;

	ticket_check_index_column(index, 1, key_attnum);
	eqop = get_opfamily_member(index->rd_opfamily[0], index->rd_opcintype[0],
							   index->rd_opcintype[0], BTEqualStrategyNumber);

	if (!OidIsValid(eqop))
		elog(ERROR, "no equality operator for the first column of index %s",
			 RelationGetRelationName(index));
	ScanKeyEntryInitialize(&keys[0], 0, 1, BTEqualStrategyNumber, InvalidOid,
						   index->rd_indcollation[0], get_opcode(eqop), key);
	scan = ticket_index_beginscan(heap, index, GetActiveSnapshot(), nkeys, 0);
	index_rescan(scan, keys, nkeys, NULL, 0);
	return scan;
}

bool
ticket_fetch_by_key(Relation heap, Relation index, AttrNumber key_attnum, Datum key,
					TupleTableSlot *slot)
{
	ScanKeyData keys[1];
	IndexScanDesc scan = ticket_begin_key_scan(heap, index, key_attnum, key, keys, 1);
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

/* The columns of a trigger's row: their numbers and values. */
void
ticket_row_columns(Relation rel, HeapTuple tuple, TicketTable *columns,
				   int *attnum, Datum *value, bool *isnull)
{
	const AttrNumber *resolved = ticket_columns(rel, columns);

	for (int c = 0; c < columns->ncolumns; c++)
	{
		attnum[c] = resolved[c];
		value[c] = heap_getattr(tuple, attnum[c], RelationGetDescr(rel), &isnull[c]);
	}
}

/* A date as PL/pgSQL's % prints it (DateStyle), for messages. */
char *
ticket_date_text(DateADT day)
{
	return DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(day)));
}

/* That the tables a statement names have its columns, of their types. */
void
ticket_check_statement(const TicketStatement *statement)
{
	for (int t = 0; t < TICKET_MAX_STATEMENT_TABLES && statement->tables[t] != NULL; t++)
	{
		TicketTable *table = statement->tables[t];
		Relation	rel = relation_open(relation_oid(table->schema, table->name), AccessShareLock);

		(void) ticket_columns(rel, table);
		relation_close(rel, AccessShareLock);
	}
}

/*
 * A statement prepared once per backend and kept (SPI_keepplan), prepared
 * again when the type its parameters depend on changed OID (the extension
 * was dropped and created again in this session).  Call inside SPI.
 */
SPIPlanPtr
ticket_kept_plan(SPIPlanPtr *plan, Oid *prepared_for, Oid depends_on,
				 const TicketStatement *statement, int nargs, Oid *argtypes)
{
	if (*plan == NULL || *prepared_for != depends_on)
	{
		SPIPlanPtr	p;

		if (*plan != NULL)
			SPI_freeplan(*plan);
		*plan = NULL;
		ticket_check_statement(statement);
		p = SPI_prepare(statement->sql, nargs, argtypes);
		if (p == NULL)
			elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		SPI_keepplan(p);
		*plan = p;
		*prepared_for = depends_on;
	}
	return *plan;
}
