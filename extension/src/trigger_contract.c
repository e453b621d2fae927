/*
 * trigger_contract.c
 *		The check every trigger function of the extension starts with: it
 *		fired on one of its tables, with one of its firings (timing, level,
 *		event); else 39P01 (trigger_protocol_violated).
 *
 * Why: the trigger functions run as the extension's owner (SECURITY
 * DEFINER), and a role allowed to execute one could attach it to a table of
 * its own (a TEMP table whose columns have the right names and the wrong
 * types), making the owner's code read its row.  Tables are compared by
 * OID (RelationGetRelid), never by name: a temp table can shadow a name.
 *
 * Two callers, one rule: the C triggers (ticket_trigger_contract_check, with the
 * tables' OIDs resolved once and reset by a relcache invalidation) and the
 * PL/pgSQL ones through ticket.trigger_expects, which gets the tables as
 * regclass OIDs and the firings as text, parsed once per call site
 * (fn_extra).  On the way that passes nothing is looked up and no message
 * is built: both run once per row of every batch.
 */
#include "ticket_compat.h"

#include "messages.h"
#include "ticket_errcodes.h"
#include "trigger_contract.h"

#include "catalog/namespace.h"
#include "catalog/pg_type_d.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"


/* ---------- firings ---------- */

static const struct
{
	uint16		bit;
	const char *word;
}			firing_words[] = {
	{TC_BEFORE, "BEFORE"}, {TC_AFTER, "AFTER"}, {TC_INSTEAD, "INSTEAD OF"},
	{TC_ROW, "ROW"}, {TC_STATEMENT, "STATEMENT"},
	{TC_INSERT, "INSERT"}, {TC_UPDATE, "UPDATE"}, {TC_DELETE, "DELETE"}, {TC_TRUNCATE, "TRUNCATE"},
};

/* The firing of a trigger call: one timing, one level, one event. */
static uint16
firing_of_event(TriggerEvent event)
{
	uint16		firing;

	firing = TRIGGER_FIRED_BEFORE(event) ? TC_BEFORE :
		TRIGGER_FIRED_AFTER(event) ? TC_AFTER : TC_INSTEAD;
	firing |= TRIGGER_FIRED_FOR_ROW(event) ? TC_ROW : TC_STATEMENT;
	firing |= TRIGGER_FIRED_BY_INSERT(event) ? TC_INSERT :
		TRIGGER_FIRED_BY_UPDATE(event) ? TC_UPDATE :
		TRIGGER_FIRED_BY_DELETE(event) ? TC_DELETE : TC_TRUNCATE;
	return firing;
}

/* Whether a call's firing (one event) is one of the accepted ones. */
static bool
firing_accepted(uint16 fired, const uint16 *firings, int nfirings)
{
	for (int f = 0; f < nfirings; f++)
		if ((firings[f] & (TC_TIMINGS | TC_LEVELS)) == (fired & (TC_TIMINGS | TC_LEVELS)) &&
			(firings[f] & fired & TC_EVENTS) != 0)
			return true;
	return false;
}

/*
 * "TIMING LEVEL EVENT" (case-insensitive, single spaces) as bits; 0 when it
 * is not one.
 */
static uint16
parse_firing(const char *text)
{
	uint16		firing = 0;
	const char *p = text;
	const uint16 parts[3] = {TC_TIMINGS, TC_LEVELS, TC_EVENTS};

	for (int part = 0; part < 3; part++)
	{
		bool		matched = false;

		for (size_t w = 0; w < lengthof(firing_words) && !matched; w++)
		{
			size_t		len = strlen(firing_words[w].word);

			if ((firing_words[w].bit & parts[part]) != 0 &&
				pg_strncasecmp(p, firing_words[w].word, len) == 0 &&
				p[len] == (part < 2 ? ' ' : '\0'))
			{
				firing |= firing_words[w].bit;
				p += len + (part < 2 ? 1 : 0);
				matched = true;
			}
		}
		if (!matched)
			return 0;
	}
	return firing;
}

/* Each firing, one event at a time, as "BEFORE ROW INSERT, BEFORE ROW UPDATE". */
static void
append_firings(StringInfo buf, const uint16 *firings, int nfirings)
{
	bool		first = true;

	for (int f = 0; f < nfirings; f++)
		for (size_t e = 0; e < lengthof(firing_words); e++)
		{
			if ((firing_words[e].bit & TC_EVENTS & firings[f]) == 0)
				continue;
			if (!first)
				appendStringInfoString(buf, ", ");
			first = false;
			for (size_t w = 0; w < lengthof(firing_words); w++)
				if ((firing_words[w].bit & (TC_TIMINGS | TC_LEVELS) & firings[f]) != 0)
					appendStringInfo(buf, "%s ", firing_words[w].word);
			appendStringInfoString(buf, firing_words[e].word);
		}
}

/* ---------- the message ---------- */

/* schema.name of a relation, quoted as needed (for messages). */
static char *
relation_display_name(Oid relid)
{
	char	   *name = get_rel_name(relid);

	if (name == NULL)
		return psprintf("OID %u", relid);
	return quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)), name);
}

/*
 * 39P01 for a call outside the contract.  function: a trigger function's
 * name (C) or a trigger's name (TG_NAME, PL/pgSQL); tables: the expected
 * ones, already a list.
 */
pg_noreturn static void
contract_violated(bool is_function, const char *name, uint16 fired, Oid relid,
				  const uint16 *firings, int nfirings, const char *tables)
{
	StringInfoData fired_text;
	StringInfoData expected;

	initStringInfo(&fired_text);
	append_firings(&fired_text, &fired, 1);
	initStringInfo(&expected);
	append_firings(&expected, firings, nfirings);
	if (is_function)
		ereport(ERROR,
				(errcode(ERRCODE_TICKET_TRIGGER_MISUSED),
				 errmsg("trigger function %s fired %s on %s; it is written for %s on %s",
						name, fired_text.data, relation_display_name(relid), expected.data, tables),
				 errhint("The extension's trigger functions are attached only by its own scripts.")));
	ereport(ERROR,
			(errcode(ERRCODE_TICKET_TRIGGER_MISUSED),
			 errmsg("trigger %s fired %s on %s; its function is written for %s on %s",
					name, fired_text.data, relation_display_name(relid), expected.data, tables),
			 errhint("The extension's trigger functions are attached only by its own scripts.")));
	pg_unreachable();
}

/* ---------- the C triggers' contracts ---------- */

static TriggerContract *contracts = NULL;	/* every one used so far */

static void
contracts_relcache_callback(Datum arg, Oid relid)
{
	for (TriggerContract *c = contracts; c != NULL; c = c->next)
	{
		if (!c->resolved)
			continue;
		if (relid == InvalidOid)
			c->resolved = false;
		for (int t = 0; t < c->ntables && c->resolved; t++)
			if (c->relids[t] == relid)
				c->resolved = false;
	}
}

/* The OIDs of a contract's tables; InvalidOid for a missing one. */
static void
resolve_contract(TriggerContract *c)
{
	static bool callback_registered = false;

	if (!callback_registered)
	{
		CacheRegisterRelcacheCallback(contracts_relcache_callback, (Datum) 0);
		callback_registered = true;
	}
	if (!c->registered)
	{
		c->next = contracts;
		contracts = c;
		c->registered = true;
	}
	c->ntables = 0;
	for (const char *const *t = c->tables; *t != NULL; t++)
	{
		const char *dot = strchr(*t, '.');
		char	   *schema = pnstrdup(*t, dot - *t);
		Oid			nsp = get_namespace_oid(schema, true);

		if (c->ntables == TRIGGER_CONTRACT_MAX_TABLES)
			elog(ERROR, "trigger contract of %s: too many tables", c->function);
		c->relids[c->ntables++] = OidIsValid(nsp) ? get_relname_relid(dot + 1, nsp) : InvalidOid;
		pfree(schema);
	}
	c->resolved = true;
}

TriggerData *
ticket_trigger_contract_check(FunctionCallInfo fcinfo, TriggerContract *contract)
{
	TriggerData *trigdata;
	uint16		fired;
	Oid			relid;
	int			nfirings = 0;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_TICKET_TRIGGER_MISUSED),
				 errmsg("trigger function %s was not called as a trigger", contract->function)));
	trigdata = (TriggerData *) fcinfo->context;
	fired = firing_of_event(trigdata->tg_event);
	relid = RelationGetRelid(trigdata->tg_relation);
	if (!contract->resolved)
		resolve_contract(contract);
	while (contract->firings[nfirings] != 0)
		nfirings++;

	if (firing_accepted(fired, contract->firings, nfirings))
		for (int t = 0; t < contract->ntables; t++)
			if (contract->relids[t] == relid && OidIsValid(relid))
				return trigdata;

	{
		StringInfoData tables;

		initStringInfo(&tables);
		for (const char *const *t = contract->tables; *t != NULL; t++)
			appendStringInfo(&tables, "%s%s", t == contract->tables ? "" : ", ", *t);
		contract_violated(true, contract->function, fired, relid, contract->firings, nfirings,
						  tables.data);
	}
}

/* ---------- ticket.trigger_expects, for PL/pgSQL trigger functions ---------- */

/* The arrays of one call site, parsed once (fn_extra), and their bytes. */
typedef struct ExpectsCache
{
	ArrayType  *tables_raw;
	ArrayType  *firings_raw;
	int			ntables;
	Oid		   *relids;
	int			nfirings;
	uint16	   *firings;
} ExpectsCache;

static bool
same_array(const ArrayType *cached, const ArrayType *given)
{
	return cached != NULL && VARSIZE(cached) == VARSIZE(given) &&
		memcmp(cached, given, VARSIZE(given)) == 0;
}

static ArrayType *
array_copy(MemoryContext context, const ArrayType *array)
{
	ArrayType  *copy = MemoryContextAlloc(context, VARSIZE(array));

	memcpy(copy, array, VARSIZE(array));
	return copy;
}

static void
parse_tables(ExpectsCache *cache, MemoryContext context, ArrayType *tables)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;

	deconstruct_array(tables, REGCLASSOID, sizeof(Oid), true, TYPALIGN_INT, &elems, &nulls, &n);
	cache->relids = MemoryContextAlloc(context, sizeof(Oid) * Max(n, 1));
	cache->ntables = 0;
	for (int i = 0; i < n; i++)
		if (!nulls[i])
			cache->relids[cache->ntables++] = DatumGetObjectId(elems[i]);
	cache->tables_raw = array_copy(context, tables);
}

static void
parse_firings(ExpectsCache *cache, MemoryContext context, ArrayType *firings)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;

	deconstruct_array(firings, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	cache->firings = MemoryContextAlloc(context, sizeof(uint16) * Max(n, 1));
	cache->nfirings = 0;
	for (int i = 0; i < n; i++)
	{
		char	   *written = nulls[i] ? NULL : TextDatumGetCString(elems[i]);
		uint16		firing = written ? parse_firing(written) : 0;

		if (firing == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid trigger firing \"%s\"",
							written ? ticket_quote(written) : "<NULL>"),
					 errhint("A firing is a timing, a level and an event, such as BEFORE ROW INSERT or AFTER STATEMENT TRUNCATE.")));
		cache->firings[cache->nfirings++] = firing;
	}
	cache->firings_raw = array_copy(context, firings);
}

/*
 * The fmgr symbols below keep the names the released scripts give them:
 * an ABI, not subject to the ticket_ prefix (ticket.c says why).
 */
/*
 * SQL: ticket.trigger_expects(tg_name name, tg_relid oid, tg_when text,
 * tg_level text, tg_op text, tables regclass[], firings text[]) RETURNS
 * void.  Not STRICT: NULL TG_ values (a call outside a trigger) must fail,
 * not pass as a NULL result.
 */
PG_FUNCTION_INFO_V1(ticket_trigger_expects);
Datum
ticket_trigger_expects(PG_FUNCTION_ARGS)
{
	ExpectsCache *cache = (ExpectsCache *) fcinfo->flinfo->fn_extra;
	MemoryContext context = fcinfo->flinfo->fn_mcxt;
	ArrayType  *tables;
	ArrayType  *firings;
	char		fired_text[64];
	uint16		fired;
	Oid			relid;

	for (int a = 0; a < 5; a++)
		if (PG_ARGISNULL(a))
			ereport(ERROR,
					(errcode(ERRCODE_TICKET_TRIGGER_MISUSED),
					 errmsg("ticket.trigger_expects was called outside a trigger"),
					 errdetail("TG_NAME, TG_RELID, TG_WHEN, TG_LEVEL and TG_OP must all be set.")));
	if (PG_ARGISNULL(5) || PG_ARGISNULL(6))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the tables and the firings of ticket.trigger_expects must not be NULL")));
	tables = PG_GETARG_ARRAYTYPE_P(5);
	firings = PG_GETARG_ARRAYTYPE_P(6);
	if (cache == NULL)
		fcinfo->flinfo->fn_extra = cache = MemoryContextAllocZero(context, sizeof(ExpectsCache));
	if (!same_array(cache->tables_raw, tables))
	{
		if (cache->tables_raw != NULL)
		{
			pfree(cache->tables_raw);
			pfree(cache->relids);
		}
		cache->tables_raw = NULL;
		parse_tables(cache, context, tables);
	}
	if (!same_array(cache->firings_raw, firings))
	{
		if (cache->firings_raw != NULL)
		{
			pfree(cache->firings_raw);
			pfree(cache->firings);
		}
		cache->firings_raw = NULL;
		parse_firings(cache, context, firings);
	}

	/* TG_WHEN, TG_LEVEL and TG_OP as one firing, parsed like the accepted ones */
	{
		text	   *when = PG_GETARG_TEXT_PP(2);
		text	   *level = PG_GETARG_TEXT_PP(3);
		text	   *op = PG_GETARG_TEXT_PP(4);

		if (VARSIZE_ANY_EXHDR(when) + VARSIZE_ANY_EXHDR(level) + VARSIZE_ANY_EXHDR(op) + 3 >
			sizeof(fired_text))
			fired = 0;
		else
		{
			snprintf(fired_text, sizeof(fired_text), "%.*s %.*s %.*s",
					 (int) VARSIZE_ANY_EXHDR(when), VARDATA_ANY(when),
					 (int) VARSIZE_ANY_EXHDR(level), VARDATA_ANY(level),
					 (int) VARSIZE_ANY_EXHDR(op), VARDATA_ANY(op));
			fired = parse_firing(fired_text);
		}
		if (fired == 0)
			ereport(ERROR,
					(errcode(ERRCODE_TICKET_TRIGGER_MISUSED),
					 errmsg("ticket.trigger_expects was called outside a trigger"),
					 errdetail("TG_WHEN, TG_LEVEL and TG_OP do not describe a trigger firing.")));
	}
	relid = PG_GETARG_OID(1);

	if (firing_accepted(fired, cache->firings, cache->nfirings))
		for (int t = 0; t < cache->ntables; t++)
			if (cache->relids[t] == relid)
				PG_RETURN_VOID();

	{
		StringInfoData names;

		initStringInfo(&names);
		for (int t = 0; t < cache->ntables; t++)
			appendStringInfo(&names, "%s%s", t == 0 ? "" : ", ", relation_display_name(cache->relids[t]));
		contract_violated(false, NameStr(*PG_GETARG_NAME(0)), fired, relid, cache->firings,
						  cache->nfirings, names.data);
	}
}
