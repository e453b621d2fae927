/*
 * audit_update.c
 *		ticket.audit_update: the statement trigger that records updated
 *		rows in ticket.audit_log, pairing each old row with its new row by
 *		position instead of by a join.
 *
 * The statement is ticket.audit_update_query's (PL/pgSQL): which columns
 * are watched, which are recorded alone, how the key is written.  This file
 * only feeds it.  PostgreSQL appends an UPDATE's old and new transition rows
 * together, one pair per updated row (AfterTriggerSaveEvent), so the i-th
 * old row and the i-th new row are the two versions of one row.  Pairing
 * them by position costs one pass over both tuplestores; the FULL JOIN on
 * the key that it replaces sorted both sides, whole rows, on disk for
 * large statements: 26 us of the 67 us a booking costs when a regime is
 * enacted (issue 19).  The position is trusted only when it is proven: the
 * same number of rows on both sides and, pair by pair, the same key, byte
 * for byte (the key is unique: equal keys at every position are exactly
 * the pairs the join would make).  Otherwise, as when an UPDATE changes a
 * key, the statement runs over the join.  A pair whose every column is the
 * same, byte for byte, changed nothing and is dropped here; one whose
 * watched columns are the same, byte for byte, is marked so (its watched
 * columns need not become jsonb to be compared: a re-pricing); every other
 * comparison is the statement's, as jsonb.
 */
#include "ticket_compat.h"

#include "access/htup_details.h"
#include "access/tupdesc.h"
#include "catalog/pg_type_d.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/queryenvironment.h"
#include "utils/rel.h"
#include "utils/tuplestore.h"

#include "ticket_errcodes.h"

#define FUNCTION_NAME "ticket.audit_update"

/* The name under which the paired rows are visible to the statement. */
#define PAIRS_RELATION "audit_pairs"

/*
 * The contract (ticket.trigger_expects, with the tables of
 * ticket.audited_tables) and both forms of the statement, in one round trip.
 */
#define PREPARE_SQL \
	"SELECT ticket.trigger_expects($1, $2, $3, $4, $5, ticket.audited_tables()," \
	" '{\"AFTER STATEMENT UPDATE\"}'), ticket.audit_update_query($6, true)," \
	" ticket.audit_update_query($6, false)"

static const char *
firing_when(TriggerEvent event)
{
	if (TRIGGER_FIRED_BEFORE(event))
		return "BEFORE";
	if (TRIGGER_FIRED_AFTER(event))
		return "AFTER";
	return "INSTEAD OF";
}

static const char *
firing_op(TriggerEvent event)
{
	if (TRIGGER_FIRED_BY_INSERT(event))
		return "INSERT";
	if (TRIGGER_FIRED_BY_UPDATE(event))
		return "UPDATE";
	if (TRIGGER_FIRED_BY_DELETE(event))
		return "DELETE";
	return "TRUNCATE";
}

/*
 * The attribute numbers of the columns named by the trigger arguments: the
 * key columns (the first argument, "a" or "a,b") and the watched ones (the
 * others, but those marked '+', recorded alone); false when a name is not
 * a live column of desc.
 */
static bool
argument_attributes(TupleDesc desc, Trigger *trigger, AttrNumber *keys, int *nkeys, AttrNumber *watched,
					int *nwatched)
{
	char	   *names = pstrdup(trigger->tgargs[0]);
	char	   *name;
	char	   *saveptr = NULL;

	*nkeys = 0;
	for (name = strtok_r(names, ",", &saveptr); name != NULL; name = strtok_r(NULL, ",", &saveptr))
	{
		int			attno = SPI_fnumber(desc, name);

		if (attno <= 0 || *nkeys == desc->natts)
			return false;
		keys[(*nkeys)++] = (AttrNumber) attno;
	}
	*nwatched = 0;
	for (int a = 1; a < trigger->tgnargs; a++)
	{
		int			attno;

		if (trigger->tgargs[a][0] == '+')
			continue;
		attno = SPI_fnumber(desc, trigger->tgargs[a]);
		if (attno <= 0 || *nwatched == desc->natts)
			return false;
		watched[(*nwatched)++] = (AttrNumber) attno;
	}
	return *nkeys > 0;
}

static bool
same_value(Form_pg_attribute att, Datum a, bool a_null, Datum b, bool b_null)
{
	if (a_null || b_null)
		return a_null && b_null;
	return datumIsEqual(a, b, att->attbyval, att->attlen);
}

/*
 * The old and new rows of the statement paired by position, into pairs
 * (columns o and n, of the table's row type, and same: no watched column
 * changed, byte for byte), the unchanged pairs left out; false, with pairs
 * incomplete, when position and key disagree.
 */
static bool
pair_by_position(TriggerData *trigdata, Tuplestorestate *pairs, TupleDesc pairs_desc)
{
	Tuplestorestate *olds = trigdata->tg_oldtable;
	Tuplestorestate *news = trigdata->tg_newtable;
	TupleDesc	desc = RelationGetDescr(trigdata->tg_relation);
	AttrNumber *keys = palloc(sizeof(AttrNumber) * desc->natts);
	AttrNumber *watched = palloc(sizeof(AttrNumber) * desc->natts);
	int			nkeys;
	int			nwatched;
	TupleTableSlot *old_slot;
	TupleTableSlot *new_slot;
	MemoryContext row_context;
	MemoryContext caller_context = CurrentMemoryContext;
	bool		paired = true;

	if (olds == NULL || news == NULL ||
		tuplestore_tuple_count(olds) != tuplestore_tuple_count(news) ||
		!argument_attributes(desc, trigdata->tg_trigger, keys, &nkeys, watched, &nwatched))
		return false;

	/* Own read pointers: the tuplestores are shared with the other triggers. */
	tuplestore_select_read_pointer(olds, tuplestore_alloc_read_pointer(olds, EXEC_FLAG_REWIND));
	tuplestore_rescan(olds);
	tuplestore_select_read_pointer(news, tuplestore_alloc_read_pointer(news, EXEC_FLAG_REWIND));
	tuplestore_rescan(news);

	old_slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	new_slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	row_context = AllocSetContextCreate(CurrentMemoryContext, "ticket.audit_update pair",
										ALLOCSET_DEFAULT_SIZES);
	for (;;)
	{
		bool		have_old = tuplestore_gettupleslot(olds, true, false, old_slot);
		bool		have_new = tuplestore_gettupleslot(news, true, false, new_slot);
		bool		changed = false;

		CHECK_FOR_INTERRUPTS();
		if (!have_old || !have_new)
		{
			paired = (have_old == have_new);
			break;
		}
		slot_getallattrs(old_slot);
		slot_getallattrs(new_slot);
		for (int k = 0; k < nkeys && paired; k++)
		{
			int			i = keys[k] - 1;

			paired = !old_slot->tts_isnull[i] && !new_slot->tts_isnull[i] &&
				same_value(TupleDescAttr(desc, i), old_slot->tts_values[i], false,
						   new_slot->tts_values[i], false);
		}
		if (!paired)
			break;
		for (int i = 0; i < desc->natts && !changed; i++)
			if (!TupleDescAttr(desc, i)->attisdropped)
				changed = !same_value(TupleDescAttr(desc, i), old_slot->tts_values[i], old_slot->tts_isnull[i],
									  new_slot->tts_values[i], new_slot->tts_isnull[i]);
		if (changed)
		{
			Datum		values[3];
			bool		nulls[3] = {false, false, false};
			bool		same = nwatched > 0;

			for (int w = 0; w < nwatched && same; w++)
			{
				int			i = watched[w] - 1;

				same = same_value(TupleDescAttr(desc, i), old_slot->tts_values[i], old_slot->tts_isnull[i],
								  new_slot->tts_values[i], new_slot->tts_isnull[i]);
			}
			values[2] = BoolGetDatum(same);

			MemoryContextSwitchTo(row_context);
			/* Composite datums, toasted values inlined: rows of their own. */
			values[0] = ExecFetchSlotHeapTupleDatum(old_slot);
			values[1] = ExecFetchSlotHeapTupleDatum(new_slot);
			MemoryContextSwitchTo(caller_context);
			tuplestore_putvalues(pairs, pairs_desc, values, nulls);
			MemoryContextReset(row_context);
		}
	}
	MemoryContextDelete(row_context);
	ExecDropSingleTupleTableSlot(old_slot);
	ExecDropSingleTupleTableSlot(new_slot);
	return paired;
}

PG_FUNCTION_INFO_V1(ticket_audit_update);

Datum
ticket_audit_update(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata;
	Trigger    *trigger;
	Oid			prepare_types[6] = {NAMEOID, OIDOID, TEXTOID, TEXTOID, TEXTOID, TEXTARRAYOID};
	Datum		prepare_values[6];
	Datum	   *arguments;
	char	   *statement[2];	/* paired, joined */
	bool		isnull;
	TupleDesc	pairs_desc;
	Tuplestorestate *pairs;
	bool		paired;
	Oid			table_type;
	Datum		table_name;
	int			ret;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_TICKET_TRIGGER_MISUSED),
				 errmsg("trigger function %s was not called as a trigger", FUNCTION_NAME)));
	trigdata = (TriggerData *) fcinfo->context;
	trigger = trigdata->tg_trigger;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");

	prepare_values[0] = DirectFunctionCall1(namein, CStringGetDatum(trigger->tgname));
	prepare_values[1] = ObjectIdGetDatum(RelationGetRelid(trigdata->tg_relation));
	prepare_values[2] = CStringGetTextDatum(firing_when(trigdata->tg_event));
	prepare_values[3] = CStringGetTextDatum(TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) ? "ROW" : "STATEMENT");
	prepare_values[4] = CStringGetTextDatum(firing_op(trigdata->tg_event));
	arguments = palloc(sizeof(Datum) * (trigger->tgnargs + 1));
	for (int a = 0; a < trigger->tgnargs; a++)
		arguments[a] = CStringGetTextDatum(trigger->tgargs[a]);
	prepare_values[5] = PointerGetDatum(construct_array(arguments, trigger->tgnargs, TEXTOID, -1, false,
														TYPALIGN_INT));
	ret = SPI_execute_with_args(PREPARE_SQL, 6, prepare_types, prepare_values, NULL, true, 1);
	if (ret != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "preparing the audit of %s failed", RelationGetRelationName(trigdata->tg_relation));
	/* The contract held; only the extension's own triggers name this function. */
	if (trigger->tgnargs < 1)
		elog(ERROR, "trigger %s: %s needs the key column(s) as its first argument", trigger->tgname,
			 FUNCTION_NAME);
	for (int s = 0; s < 2; s++)
	{
		Datum		text_value = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, s + 2, &isnull);

		if (isnull)
			elog(ERROR, "ticket.audit_update_query returned NULL");
		statement[s] = TextDatumGetCString(text_value);
	}

	table_type = trigdata->tg_relation->rd_rel->reltype;
	pairs_desc = CreateTemplateTupleDesc(3);
	TupleDescInitEntry(pairs_desc, 1, "o", table_type, -1, 0);
	TupleDescInitEntry(pairs_desc, 2, "n", table_type, -1, 0);
	TupleDescInitEntry(pairs_desc, 3, "same", BOOLOID, -1, 0);
	pairs = tuplestore_begin_heap(false, false, work_mem);
	paired = pair_by_position(trigdata, pairs, pairs_desc);
	elog(DEBUG1, "%s on %s: old and new rows paired %s", FUNCTION_NAME,
		 RelationGetRelationName(trigdata->tg_relation), paired ? "by position" : "by key");

	if (SPI_register_trigger_data(trigdata) != SPI_OK_TD_REGISTER)
		elog(ERROR, "registering the transition tables failed");
	if (paired)
	{
		EphemeralNamedRelation enr = palloc0(sizeof(EphemeralNamedRelationData));

		enr->md.name = PAIRS_RELATION;
		enr->md.reliddesc = InvalidOid;
		enr->md.tupdesc = pairs_desc;
		enr->md.enrtype = ENR_NAMED_TUPLESTORE;
		enr->md.enrtuples = tuplestore_tuple_count(pairs);
		enr->reldata = pairs;
		if (SPI_register_relation(enr) != SPI_OK_REL_REGISTER)
			elog(ERROR, "registering the paired rows failed");
	}

	table_name = CStringGetTextDatum(psprintf("%s.%s",
											  get_namespace_name(RelationGetNamespace(trigdata->tg_relation)),
											  RelationGetRelationName(trigdata->tg_relation)));
	ret = SPI_execute_with_args(statement[paired ? 0 : 1], 1, (Oid[]) {TEXTOID}, &table_name, NULL, false, 0);
	if (ret != SPI_OK_INSERT)
		elog(ERROR, "recording the updated rows of %s failed", RelationGetRelationName(trigdata->tg_relation));

	tuplestore_end(pairs);
	SPI_finish();
	return PointerGetDatum(NULL);
}
