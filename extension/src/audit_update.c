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
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/queryenvironment.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "utils/tuplestore.h"

#include "ticket_errcodes.h"
#include "transition_pairs.h"

#define FUNCTION_NAME "ticket.audit_update"

/* The name under which the paired rows are visible to the statement. */
#define PAIRS_RELATION "audit_pairs"

/* The contract: ticket.trigger_expects, with the tables of ticket.audited_tables. */
#define CONTRACT_SQL \
	"SELECT ticket.trigger_expects($1, $2, $3, $4, $5, ticket.audited_tables()," \
	" '{\"AFTER STATEMENT UPDATE\"}')"

/* Both forms of the statement for the trigger's arguments. */
#define STATEMENTS_SQL \
	"SELECT ticket.audit_update_query($1, true), ticket.audit_update_query($1, false)"

/*
 * The statements of each list of trigger arguments, generated once a
 * session: generating both cost a single-row UPDATE two PL/pgSQL calls
 * each time.  A statement depends on the arguments and on
 * ticket.audit_update_query alone, so every entry is dropped when a
 * function changes (an upgrade redefining it).
 */
typedef struct AuditStatements
{
	struct AuditStatements *next;
	int			nargs;
	char	  **args;
	char	   *statement[2];	/* paired, joined */
} AuditStatements;

static MemoryContext statements_context = NULL;
static AuditStatements *statements = NULL;

static void
statements_invalidate(Datum arg, int cacheid, uint32 hashvalue)
{
	statements = NULL;
	if (statements_context != NULL)
		MemoryContextReset(statements_context);
}

static AuditStatements *
statements_of(Trigger *trigger)
{
	for (AuditStatements *s = statements; s != NULL; s = s->next)
	{
		int			a = 0;

		if (s->nargs != trigger->tgnargs)
			continue;
		while (a < s->nargs && strcmp(s->args[a], trigger->tgargs[a]) == 0)
			a++;
		if (a == s->nargs)
			return s;
	}
	return NULL;
}

/* Generates the statements of the trigger's arguments (SPI connected) and keeps them. */
static AuditStatements *
statements_generate(Trigger *trigger)
{
	Datum	   *arguments = palloc(sizeof(Datum) * (trigger->tgnargs + 1));
	Datum		array;
	AuditStatements *s;
	char	   *generated[2];

	for (int a = 0; a < trigger->tgnargs; a++)
		arguments[a] = CStringGetTextDatum(trigger->tgargs[a]);
	array = PointerGetDatum(construct_array(arguments, trigger->tgnargs, TEXTOID, -1, false, TYPALIGN_INT));
	if (SPI_execute_with_args(STATEMENTS_SQL, 1, (Oid[]) {TEXTARRAYOID}, &array, NULL, true, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "generating the audit statements of trigger %s failed", trigger->tgname);
	for (int f = 0; f < 2; f++)
	{
		bool		isnull;
		Datum		text_value = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, f + 1, &isnull);

		if (isnull)
			elog(ERROR, "ticket.audit_update_query returned NULL");
		generated[f] = TextDatumGetCString(text_value);
	}

	if (statements_context == NULL)
	{
		statements_context = AllocSetContextCreate(CacheMemoryContext, "ticket.audit_update statements",
												   ALLOCSET_SMALL_SIZES);
		CacheRegisterSyscacheCallback(PROCOID, statements_invalidate, (Datum) 0);
	}
	s = MemoryContextAllocZero(statements_context, sizeof(AuditStatements));
	s->nargs = trigger->tgnargs;
	s->args = MemoryContextAlloc(statements_context, sizeof(char *) * Max(trigger->tgnargs, 1));
	for (int a = 0; a < trigger->tgnargs; a++)
		s->args[a] = MemoryContextStrdup(statements_context, trigger->tgargs[a]);
	for (int f = 0; f < 2; f++)
		s->statement[f] = MemoryContextStrdup(statements_context, generated[f]);
	s->next = statements;
	statements = s;
	return s;
}

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
	Oid			contract_types[5] = {NAMEOID, OIDOID, TEXTOID, TEXTOID, TEXTOID};
	Datum		contract_values[5];
	AuditStatements *kept;
	char	   *statement;
	TupleDesc	pairs_desc;
	Tuplestorestate *pairs;
	bool		paired;
	TupleDesc	desc;
	AttrNumber *keys;
	AttrNumber *watched;
	int			nkeys;
	int			nwatched;
	char	   *table;
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

	contract_values[0] = DirectFunctionCall1(namein, CStringGetDatum(trigger->tgname));
	contract_values[1] = ObjectIdGetDatum(RelationGetRelid(trigdata->tg_relation));
	contract_values[2] = CStringGetTextDatum(firing_when(trigdata->tg_event));
	contract_values[3] = CStringGetTextDatum(TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) ? "ROW" : "STATEMENT");
	contract_values[4] = CStringGetTextDatum(firing_op(trigdata->tg_event));
	ret = SPI_execute_with_args(CONTRACT_SQL, 5, contract_types, contract_values, NULL, true, 1);
	if (ret != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "checking the audit trigger of %s failed", RelationGetRelationName(trigdata->tg_relation));
	/* The contract held; only the extension's own triggers name this function. */
	if (trigger->tgnargs < 1)
		elog(ERROR, "trigger %s: %s needs the key column(s) as its first argument", trigger->tgname,
			 FUNCTION_NAME);
	table = psprintf("%s.%s", get_namespace_name(RelationGetNamespace(trigdata->tg_relation)),
					 RelationGetRelationName(trigdata->tg_relation));

	desc = RelationGetDescr(trigdata->tg_relation);
	keys = palloc(sizeof(AttrNumber) * desc->natts);
	watched = palloc(sizeof(AttrNumber) * desc->natts);
	pairs_desc = ticket_pairs_desc(trigdata->tg_relation);
	pairs = tuplestore_begin_heap(false, false, work_mem);
	paired = argument_attributes(desc, trigger, keys, &nkeys, watched, &nwatched) &&
		ticket_pair_by_position(trigdata, keys, nkeys, watched, nwatched, pairs, pairs_desc);
	elog(DEBUG1, "%s on %s: old and new rows paired %s", FUNCTION_NAME, table,
		 paired ? "by position" : "by key");

	/*
	 * The form this statement needs, copied before anything else reads the
	 * catalogs: an invalidation (a function redefined) drops the kept ones.
	 */
	kept = statements_of(trigger);
	if (kept == NULL)
		kept = statements_generate(trigger);
	statement = pstrdup(kept->statement[paired ? 0 : 1]);

	if (SPI_register_trigger_data(trigdata) != SPI_OK_TD_REGISTER)
		elog(ERROR, "registering the transition tables failed");
	if (paired)
		ticket_register_pairs(PAIRS_RELATION, pairs, pairs_desc);

	table_name = CStringGetTextDatum(table);
	ret = SPI_execute_with_args(statement, 1, (Oid[]) {TEXTOID}, &table_name, NULL, false, 0);
	if (ret != SPI_OK_INSERT)
		elog(ERROR, "recording the updated rows of %s failed", table);

	tuplestore_end(pairs);
	SPI_finish();
	return PointerGetDatum(NULL);
}
