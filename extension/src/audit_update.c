/*
 * audit_update.c
 *		ticket.audit_update: the statement trigger that records updated
 *		rows in ticket.audit_log.
 *
 * The statement is ticket.audit_update_query's (PL/pgSQL): which columns
 * are watched, which are recorded alone, how the key is written.  This file
 * feeds it the old and new rows paired by position (transition_pairs.c),
 * or, when the position is not proven (a key changed), the transition
 * tables to join on the key.  Pairing instead of joining: the audit of a
 * regime's enactment cost 26 us of the 65 us a booking cost, most of it
 * sorting both sides, whole rows, on disk (issue 19).  A pair whose
 * watched columns are the same, byte for byte, is marked so: its watched
 * columns need not become jsonb to be compared (a re-pricing).
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
#include "transition_pairs.h"

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
	TupleDesc	desc;
	AttrNumber *keys;
	AttrNumber *watched;
	int			nkeys;
	int			nwatched;
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

	desc = RelationGetDescr(trigdata->tg_relation);
	keys = palloc(sizeof(AttrNumber) * desc->natts);
	watched = palloc(sizeof(AttrNumber) * desc->natts);
	pairs_desc = ticket_pairs_desc(trigdata->tg_relation);
	pairs = tuplestore_begin_heap(false, false, work_mem);
	paired = argument_attributes(desc, trigger, keys, &nkeys, watched, &nwatched) &&
		ticket_pair_by_position(trigdata, keys, nkeys, watched, nwatched, pairs, pairs_desc);
	elog(DEBUG1, "%s on %s: old and new rows paired %s", FUNCTION_NAME,
		 RelationGetRelationName(trigdata->tg_relation), paired ? "by position" : "by key");

	if (SPI_register_trigger_data(trigdata) != SPI_OK_TD_REGISTER)
		elog(ERROR, "registering the transition tables failed");
	if (paired)
		ticket_register_pairs(PAIRS_RELATION, pairs, pairs_desc);

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
