/*
 * rules_cache.c
 *		The rule tables compiled into the pure-C structures of pricing_core.h,
 *		once per backend, and thrown away when any rule table changes.
 *
 * Why this works across sessions and inside transactions: every rule table
 * has a statement trigger (ticket.rules_changed) that queues a relcache
 * invalidation of the table.  PostgreSQL delivers it to this backend at the
 * next command (so a what-if inside BEGIN ... ROLLBACK is seen by the next
 * price() call, and again after the rollback) and to every other backend
 * when the change commits; ticket_rules_cache_get() asks for pending invalidations
 * on every call, so a commit elsewhere is seen by the next call even inside
 * a READ COMMITTED transaction block.  The relcache callback below only
 * marks the cache stale; the next caller rebuilds it.
 *
 * Which snapshot a rebuild reads with:
 *	 - READ COMMITTED: the latest one, so that a rebuild never captures rules
 *	   older than the invalidation that triggered it;
 *	 - REPEATABLE READ and SERIALIZABLE: the transaction's own, as every query
 *	   of the transaction does; such a cache may predate commits whose
 *	   invalidations were already consumed, so it is dropped when the
 *	   transaction ends;
 *	 - a parallel worker: the one the leader gave it (the worker lives for one
 *	   query), likewise never kept beyond the transaction.
 */
#include "ticket_compat.h"

#include "catalog_names.h"
#include "own_queries.h"
#include "row_lookup.h"
#include "ticket_errcodes.h"
#include "trigger_contract.h"

#include "catalog/namespace.h"
#include "commands/extension.h"
#include "commands/trigger.h"
#include "access/parallel.h"
#include "access/xact.h"
#include "executor/spi.h"
#include "storage/proc.h"
#include "storage/sinval.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/date.h"
#include "catalog/pg_collation.h"

#include "rules_cache.h"
#include "exemption_core.h"
#include "short_code.h"

/* The tables compiled into the cache: a change to any invalidates it. */
static const TicketTable *const rule_tables[] = {
	&ticket_table_regime, &ticket_table_regime_band, &ticket_table_exemption_rule,
	&ticket_table_exemption_scope, &ticket_table_service, &ticket_table_nre_region,
	&ticket_table_priority_class, &ticket_table_exemption_catalogue
};
#define N_RULE_TABLES lengthof(rule_tables)

static rules_cache cache;
static bool cache_valid = false;

/* Set when the cache was read with a transaction-scoped snapshot. */
static bool cache_transaction_scoped = false;
static LocalTransactionId cache_transaction = InvalidLocalTransactionId;
static bool callback_registered = false;
static Oid	rule_table_oids[N_RULE_TABLES];

static void
rules_relcache_callback(Datum arg, Oid relid)
{
	if (!cache_valid)
		return;
	if (relid == InvalidOid)
	{
		cache_valid = false;
		return;
	}
	for (size_t i = 0; i < N_RULE_TABLES; i++)
		if (rule_table_oids[i] == relid)
			cache_valid = false;
}

/* ---------- reading SPI results ---------- */

/* The rule table being read, for the message of a column of another type. */
static const TicketTable *reading_table = NULL;

/*
 * A value is only read as its column's type: a rule table altered by hand
 * is 42804, not a datum of one type taken for another.
 */
static void
col_expect_type(int col, Oid expected)
{
	Oid			actual = SPI_gettypeid(SPI_tuptable->tupdesc, col);

	if (actual != expected)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("column %s of table %s is of type %s, not %s",
						SPI_fname(SPI_tuptable->tupdesc, col),
						psprintf("%s.%s", reading_table->schema, reading_table->name),
						format_type_be(actual), format_type_be(expected)),
				 errdetail("The ticket extension reads the column as %s.", format_type_be(expected)),
				 errhint("Restore the column's type, or recreate the relation from the extension's script.")));
}

static bool
col_isnull(int row, int col)
{
	bool		isnull;

	(void) SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col, &isnull);
	return isnull;
}

/* A text column, copied into the cache context; NULL stays NULL. */
static char *
col_text(int row, int col)
{
	char	   *value = SPI_getvalue(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col);

	return value ? MemoryContextStrdup(cache.context, value) : NULL;
}

/* An integer column (int4, or int8 when the query casts it). */
static int64
col_int8(int row, int col, int64 if_null)
{
	bool		isnull;
	Datum		d = SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col, &isnull);

	if (SPI_gettypeid(SPI_tuptable->tupdesc, col) == INT4OID)
		return isnull ? if_null : DatumGetInt32(d);
	col_expect_type(col, INT8OID);
	return isnull ? if_null : DatumGetInt64(d);
}

static bool
col_bool(int row, int col)
{
	bool		isnull;
	Datum		d = SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col, &isnull);

	col_expect_type(col, BOOLOID);
	return !isnull && DatumGetBool(d);
}

/* A text[] column as a C array of strings in the cache context. */
static const char *const *
col_text_array(int row, int col, int *n)
{
	bool		isnull;
	Datum		d = SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col, &isnull);
	Datum	   *elems;
	bool	   *nulls;
	int			nelems;
	char	  **result;

	*n = 0;
	col_expect_type(col, TEXTARRAYOID);
	if (isnull)
		return NULL;
	deconstruct_array(DatumGetArrayTypeP(d), TEXTOID, -1, false, TYPALIGN_INT,
					  &elems, &nulls, &nelems);
	result = MemoryContextAlloc(cache.context, sizeof(char *) * Max(nelems, 1));
	for (int i = 0; i < nelems; i++)
		if (!nulls[i])
			result[(*n)++] = MemoryContextStrdup(cache.context, TextDatumGetCString(elems[i]));
	return (const char *const *) result;
}

static uint32
col_short_code(int row, int col)
{
	char	   *value = SPI_getvalue(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col);
	uint32		packed = 0;

	if (value != NULL && !ticket_short_code_pack(value, strlen(value), &packed))
		elog(ERROR, "stored code \"%s\" does not pack", value);
	return packed;
}

/* Its tables checked first (catalog_names.h); the first named in messages. */
static void
run_query(const TicketStatement *statement)
{
	ticket_check_statement(statement);
	reading_table = statement->tables[0];
	if (SPI_execute(statement->sql, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "rule query failed: %s", statement->sql);
}

/* detail: a sentence already translated (_() in psprintf's format). */
static void
rules_inconsistent(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_EXCEPTION),
			 errmsg("the co-payment rules are inconsistent"),
			 errdetail("%s", detail),
			 errhint("Fix the rows of the ticket rule tables; the transaction that introduced them can be rolled back.")));
}

/* An enacted regime's or a draft's index in cache.regimes. */
static int
regime_index(const char *regime_id)
{
	for (int i = 0; i < cache.nregimes + cache.ndrafts; i++)
		if (strcmp(cache.regimes[i].id, regime_id) == 0)
			return i;
	elog(ERROR, "rule row refers to unknown regime \"%s\"", regime_id);
	return -1;
}

static int
compare_scope(const void *a, const void *b)
{
	const scope_entry *x = a,
			   *y = b;

	if (x->exemption != y->exemption)
		return x->exemption < y->exemption ? -1 : 1;
	return strcmp(x->service_code, y->service_code);
}

static void
load_regimes(void)
{
	int			nrows;

	/*
	 * Enacted regimes first, by date: the date look-up sees only them.  A
	 * draft (ticket.draft_regime) follows, priced only by name.
	 */
	run_query(&ticket_sql_load_regimes);
	nrows = (int) SPI_processed;
	cache.regimes = MemoryContextAllocZero(cache.context, sizeof(tk_regime) * Max(nrows, 1));
	cache.draft_problems = MemoryContextAllocZero(cache.context, sizeof(char *) * Max(nrows, 1));
	cache.nregimes = nrows;
	for (int r = 0; r < nrows; r++)
	{
		tk_regime  *g = &cache.regimes[r];

		g->id = col_text(r, 1);
		g->effective_from = (int32) col_int8(r, 2, 0);
		g->legal_reference = col_text(r, 3);
		g->default_band = col_short_code(r, 4);
		g->specialist_cap = col_int8(r, 5, TK_NONE);
		g->quota_threshold = col_int8(r, 6, 0);
		g->no_band.band = 0;
		g->no_band.quota = col_int8(r, 7, TK_NONE);
		g->no_band.ct_mri = col_int8(r, 8, TK_NONE);
		g->first_visit = col_int8(r, 9, TK_NONE);
		g->control_visit = col_int8(r, 10, TK_NONE);
		g->ambulatory_surgery = col_int8(r, 11, TK_NONE);
		g->all_surgery_fixed = col_isnull(r, 12);
		g->surgery_codes = col_text_array(r, 12, &g->nsurgery_codes);
		g->no_band.drug_per_pack = col_int8(r, 13, TK_NONE);
		g->no_band.drug_cap = col_int8(r, 14, TK_NONE);
		g->er_access = col_int8(r, 15, TK_NONE);
		g->er_codes = col_text_array(r, 16, &g->ner_codes);
		g->max_items = (int) col_int8(r, 17, 8);
		g->er_consultation = col_int8(r, 19, TK_NONE);
		g->er_exam_cap = col_int8(r, 20, TK_NONE);
		g->not_substitutable_spares_brand_difference = col_bool(r, 21);
		if (col_bool(r, 18))
		{
			if (cache.ndrafts++ == 0)
				cache.nregimes = r;
		}
	}
}

static void
load_bands(void)
{
	tk_band_rule *bands;

	run_query(&ticket_sql_overlapping_bands);
	for (uint64 row = 0; row < SPI_processed; row++)
	{
		char	   *detail = psprintf(_("In regime %s the income ranges of bands %s and %s overlap."),
									  SPI_getvalue(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, 1),
									  SPI_getvalue(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, 2),
									  SPI_getvalue(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, 3));
		int			r;

		/* an enacted regime's are every price's error, a draft's its own */
		if (!col_bool((int) row, 4))
			rules_inconsistent(detail);
		r = regime_index(SPI_getvalue(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, 1));
		if (cache.draft_problems[r] == NULL)
			cache.draft_problems[r] = MemoryContextStrdup(cache.context, detail);
	}

	run_query(&ticket_sql_load_bands);
	cache.nbands = (int) SPI_processed;
	bands = MemoryContextAllocZero(cache.context, sizeof(tk_band_rule) * Max(cache.nbands, 1));
	for (int b = 0; b < cache.nbands; b++)
	{
		char	   *regime_id = SPI_getvalue(SPI_tuptable->vals[b], SPI_tuptable->tupdesc, 1);
		tk_regime  *g = &cache.regimes[regime_index(regime_id)];

		bands[b].band = col_short_code(b, 2);
		bands[b].quota = col_int8(b, 3, TK_NONE);
		bands[b].ct_mri = col_int8(b, 4, TK_NONE);
		bands[b].drug_per_pack = col_int8(b, 5, TK_NONE);
		bands[b].drug_cap = col_int8(b, 6, TK_NONE);
		{
			int			nreplaced;
			const char *const *replaced = col_text_array(b, 7, &nreplaced);

			if (nreplaced > TK_MAX_REPLACED)
				rules_inconsistent(psprintf(_("Band %s of regime %s replaces %d bands; at most %d."),
											SPI_getvalue(SPI_tuptable->vals[b], SPI_tuptable->tupdesc, 2),
											regime_id, nreplaced, TK_MAX_REPLACED));
			bands[b].nreplaces = nreplaced;
			for (int i = 0; i < nreplaced; i++)
				if (!ticket_short_code_pack(replaced[i], strlen(replaced[i]), &bands[b].replaces[i]))
					elog(ERROR, "stored code \"%s\" does not pack", replaced[i]);
		}
		/* rows are ordered by regime, so a regime's bands are contiguous */
		if (g->nbands == 0)
			g->bands = &bands[b];
		g->nbands++;
	}
	for (int r = 0; r < cache.nregimes + cache.ndrafts; r++)
	{
		tk_regime  *g = &cache.regimes[r];
		char	   *detail;

		if (g->default_band == 0 || ticket_tk_band_rule_for(g, 0) != NULL)
			continue;
		detail = psprintf(_("The default band of regime %s is not one of its bands."), g->id);
		if (r < cache.nregimes)
			rules_inconsistent(detail);
		if (cache.draft_problems[r] == NULL)
			cache.draft_problems[r] = MemoryContextStrdup(cache.context, detail);
	}
}

static void
load_exemption_rules(void)
{
	tk_exemption_rule *rules;

	run_query(&ticket_sql_load_exemption_rules);
	cache.nexemption_rules = (int) SPI_processed;
	rules = MemoryContextAllocZero(cache.context, sizeof(tk_exemption_rule) * Max(cache.nexemption_rules, 1));
	for (int e = 0; e < cache.nexemption_rules; e++)
	{
		char	   *regime_id = SPI_getvalue(SPI_tuptable->vals[e], SPI_tuptable->tupdesc, 1);
		char	   *family = SPI_getvalue(SPI_tuptable->vals[e], SPI_tuptable->tupdesc, 3);
		char	   *coverage = SPI_getvalue(SPI_tuptable->vals[e], SPI_tuptable->tupdesc, 4);
		tk_regime  *g = &cache.regimes[regime_index(regime_id)];

		rules[e].code = col_short_code(e, 2);
		rules[e].family = family ? ticket_exemption_family_number(family) : -1;
		rules[e].coverage = strcmp(coverage, "all") == 0 ? TK_COVERS_ALL :
			strcmp(coverage, "listed") == 0 ? TK_COVERS_LISTED : TK_COVERS_FIRST_VISIT;
		rules[e].spares_band_quota = col_bool(e, 5);
		rules[e].spares_drugs = col_bool(e, 6);
		rules[e].spares_er = col_bool(e, 7);
		rules[e].covers_all_drugs = col_bool(e, 8);
		rules[e].age_limited = !col_isnull(e, 9);
		rules[e].max_age = (int) col_int8(e, 9, 0);
		rules[e].spares_brand_difference = col_bool(e, 10);
		if (g->nexemptions == 0)
			g->exemptions = &rules[e];
		g->nexemptions++;
	}
}

static void
load_exemption_catalogue(void)
{
	run_query(&ticket_sql_load_exemption_catalogue);
	cache.ncatalogue = (int) SPI_processed;
	cache.catalogue = MemoryContextAllocZero(cache.context,
											 sizeof(catalogue_entry) * Max(cache.ncatalogue, 1));
	for (int e = 0; e < cache.ncatalogue; e++)
	{
		catalogue_entry *c = &cache.catalogue[e];
		MemoryContext old;
		int64		from = col_int8(e, 3, PG_INT32_MIN);
		int64		until = col_int8(e, 4, PG_INT32_MAX);

		c->pattern = col_text(e, 1);
		old = MemoryContextSwitchTo(cache.context);
		c->pattern_text = cstring_to_text(c->pattern);
		MemoryContextSwitchTo(old);
		c->family_name = col_text(e, 2);
		c->family = ticket_exemption_family_number(c->family_name);
		/* daterange is canonical [): the bounds are inclusive, exclusive */
		c->from = (int32) (from != PG_INT32_MIN && !col_bool(e, 5) ? from + 1 : from);
		c->until = (int32) (until != PG_INT32_MAX && col_bool(e, 6) ? until + 1 : until);
	}
}

static void
load_scope(void)
{
	run_query(&ticket_sql_load_scope);
	cache.nscope = (int) SPI_processed;
	cache.scope = MemoryContextAlloc(cache.context, sizeof(scope_entry) * Max(cache.nscope, 1));
	for (int s = 0; s < cache.nscope; s++)
	{
		cache.scope[s].exemption = col_short_code(s, 1);
		cache.scope[s].service_code = col_text(s, 2);
	}
	qsort(cache.scope, cache.nscope, sizeof(scope_entry), compare_scope);
}

static void
load_services(void)
{
	run_query(&ticket_sql_load_services);
	cache.nservices = (int) SPI_processed;
	cache.services = MemoryContextAllocZero(cache.context, sizeof(service_entry) * Max(cache.nservices, 1));
	for (int s = 0; s < cache.nservices; s++)
	{
		service_entry *v = &cache.services[s];
		char	   *kind = SPI_getvalue(SPI_tuptable->vals[s], SPI_tuptable->tupdesc, 4);

		v->code = col_text(s, 1);
		v->effective_from = (int32) col_int8(s, 2, 0);
		v->branch = col_text(s, 3);
		v->kind = (tk_kind) ticket_tk_kind_from_name(kind);
		v->tariff = col_int8(s, 5, 0);
		v->withdrawn = col_bool(s, 6);
	}
}

/* Reference data of prescriptions: NRE region codes and priority classes. */
static int
compare_region(const void *a, const void *b)
{
	return strcmp((const char *) a, (const char *) b);
}

static void
load_prescription_reference(void)
{
	run_query(&ticket_sql_load_nre_regions);
	cache.nregions = (int) SPI_processed;
	cache.regions = MemoryContextAllocZero(cache.context, 4 * Max(cache.nregions, 1));
	for (int r = 0; r < cache.nregions; r++)
		strlcpy(cache.regions[r], col_text(r, 1), 4);	/* CHECK: three digits */
	qsort(cache.regions, cache.nregions, 4, compare_region);

	run_query(&ticket_sql_load_priorities);
	cache.npriorities = (int) SPI_processed;
	cache.priorities = MemoryContextAllocZero(cache.context,
											  sizeof(priority_entry) * Max(cache.npriorities, 1));
	for (int p = 0; p < cache.npriorities; p++)
	{
		strlcpy(cache.priorities[p].priority, col_text(p, 1), sizeof(cache.priorities[p].priority));
		cache.priorities[p].max_wait_visit = (int32) col_int8(p, 2, 0);
		cache.priorities[p].max_wait_exam = (int32) col_int8(p, 3, 0);
	}
}

/*
 * Queries the extension runs on its own behalf resolve names and operators
 * with search_path = pg_catalog, pg_temp, whatever the caller's is: a
 * look-alike object earlier in the caller's path cannot hijack them.  The
 * setting is restored at ticket_unpin_search_path or at transaction abort.
 */
int
ticket_pin_search_path(void)
{
	int			nest_level = NewGUCNestLevel();

	(void) set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET,
							 PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
	return nest_level;
}

void
ticket_unpin_search_path(int nest_level)
{
	AtEOXact_GUC(true, nest_level);
}

static void
build_cache(void)
{
	static int64 builds = 0;	/* in this backend, failed attempts included */
	Oid			nsp = get_namespace_oid(TICKET_SCHEMA, false);
	int			nest_level;

	if (!callback_registered)
	{
		CacheRegisterRelcacheCallback(rules_relcache_callback, (Datum) 0);
		callback_registered = true;
	}
	for (size_t i = 0; i < N_RULE_TABLES; i++)
		rule_table_oids[i] = get_relname_relid(rule_tables[i]->name, nsp);

	if (cache.context != NULL)
		MemoryContextDelete(cache.context);
	memset(&cache, 0, sizeof(cache));
	cache.builds = ++builds;
	cache.context = AllocSetContextCreate(CacheMemoryContext, "ticket rules",
										  ALLOCSET_DEFAULT_SIZES);
	nest_level = ticket_pin_search_path();
	cache_transaction_scoped = IsolationUsesXactSnapshot() || IsInParallelMode();
	cache_transaction = TICKET_MY_LOCAL_XID();
	if (!cache_transaction_scoped)
		PushActiveSnapshot(GetLatestSnapshot());
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");

	/*
	 * Valid from now on: an invalidation that arrives while the tables are
	 * read (at a lock acquisition) marks it stale again, and the next call
	 * rebuilds.
	 */
	cache_valid = true;
	PG_TRY();
	{
		load_regimes();
		load_bands();
		load_exemption_rules();
		load_exemption_catalogue();
		load_scope();
		load_services();
		load_prescription_reference();
	}
	PG_CATCH();
	{
		/* leave no half-built cache behind */
		cache_valid = false;
		MemoryContextDelete(cache.context);
		memset(&cache, 0, sizeof(cache));
		PG_RE_THROW();
	}
	PG_END_TRY();
	SPI_finish();
	if (!cache_transaction_scoped)
		PopActiveSnapshot();
	ticket_unpin_search_path(nest_level);
	cache.bytes = MemoryContextMemAllocated(cache.context, true);
}

const rules_cache *
ticket_rules_cache_get(void)
{
	/* commits of other sessions since the last call, if any */
	AcceptInvalidationMessages();
	if (cache_valid && cache_transaction_scoped && cache_transaction != TICKET_MY_LOCAL_XID())
		cache_valid = false;
	if (!cache_valid)
		build_cache();
	return &cache;
}

const tk_regime *
ticket_rules_regime_named(const rules_cache *c, const char *regime_id)
{
	for (int r = 0; r < c->nregimes + c->ndrafts; r++)
		if (strcmp(c->regimes[r].id, regime_id) == 0)
		{
			if (c->draft_problems[r] != NULL)
				rules_inconsistent(c->draft_problems[r]);
			return &c->regimes[r];
		}
	return NULL;
}

bool
ticket_rules_scope_contains(void *context, uint32 exemption, const char *service_code)
{
	const rules_cache *c = context;
	scope_entry key = {exemption, service_code};

	return bsearch(&key, c->scope, c->nscope, sizeof(scope_entry), compare_scope) != NULL;
}

bool
ticket_rules_region_known(const rules_cache *c, const char *code)
{
	return bsearch(code, c->regions, c->nregions, 4, compare_region) != NULL;
}

const priority_entry *
ticket_rules_priority(const rules_cache *c, const char *priority)
{
	for (int p = 0; p < c->npriorities; p++)
		if (strcmp(c->priorities[p].priority, priority) == 0)
			return &c->priorities[p];
	return NULL;
}

const service_entry *
ticket_rules_service_on(const rules_cache *c, const char *code, int32 day)
{
	int			lo = 0,
				hi = c->nservices;
	const service_entry *found = NULL;

	/* first row of the code */
	while (lo < hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (strcmp(c->services[mid].code, code) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < c->nservices && strcmp(c->services[lo].code, code) == 0; lo++)
		if (c->services[lo].effective_from <= day)
			found = &c->services[lo];
	return found;
}

/* ---------- triggers on the rule tables ---------- */

/*
 * The statement trigger rules_changed at the region, the row trigger
 * rules_replicated on an ASL node (ticket--1.0--1.1.sql).
 */
static TriggerContract rules_changed_contract = {
	"ticket.rules_changed", TC_TABLES(TICKET_RULE_TABLE_NAMES),
	TC_FIRINGS(TC_AFTER | TC_STATEMENT | TC_INSERT | TC_UPDATE | TC_DELETE | TC_TRUNCATE,
			   TC_AFTER | TC_ROW | TC_INSERT | TC_UPDATE | TC_DELETE)
};

/*
 * The fmgr symbols below keep the names the released scripts give them:
 * an ABI, not subject to the ticket_ prefix (ticket.c says why).
 */
PG_FUNCTION_INFO_V1(rules_changed);
Datum
rules_changed(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = ticket_trigger_contract_check(fcinfo, &rules_changed_contract);

	CacheInvalidateRelcache(trigdata->tg_relation);
	return PointerGetDatum(NULL);
}

/*
 * Drop this backend's compiled rules: the next price() rebuilds them from the
 * tables.  For the deferred re-pricing trigger, which in IMMEDIATE mode runs
 * before the statement trigger above has queued the invalidation.
 */
PG_FUNCTION_INFO_V1(ticket_rules_cache_reset);
Datum
ticket_rules_cache_reset(PG_FUNCTION_ARGS)
{
	cache_valid = false;
	PG_RETURN_VOID();
}

/* The rule tables, registry.asl and the calendar tables (1.3): rows, and TRUNCATE (ticket--0.1--0.2.sql, 0.2--0.3). */
static TriggerContract protect_contract = {
	"ticket.protect_shipped_rows", TC_TABLES(TICKET_RULE_TABLE_NAMES, TICKET_ASL_TABLE_NAME,
											 TICKET_CALENDAR_TABLE_NAMES),
	TC_FIRINGS(TC_BEFORE | TC_ROW | TC_INSERT | TC_UPDATE | TC_DELETE,
			   TC_BEFORE | TC_STATEMENT | TC_TRUNCATE)
};

PG_FUNCTION_INFO_V1(protect_shipped_rows);
Datum
protect_shipped_rows(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = ticket_trigger_contract_check(fcinfo, &protect_contract);
	Relation	rel = trigdata->tg_relation;
	TupleDesc	tupdesc;
	int			attnum;
	bool		isnull;
	bool		old_shipped = false,
				new_shipped = false;
	HeapTuple	result = NULL;

	if (TRIGGER_FIRED_BY_TRUNCATE(trigdata->tg_event))
	{
		if (!creating_extension)
			ereport(ERROR,
					(errcode(ERRCODE_TICKET_SHIPPED_ROW),
					 errmsg("cannot truncate %s: it holds rows shipped with the extension",
							RelationGetRelationName(rel)),
					 errhint("Delete your own rows with DELETE ... WHERE NOT shipped.")));
		return PointerGetDatum(NULL);
	}

	tupdesc = RelationGetDescr(rel);
	attnum = ticket_columns(rel, &ticket_table_shipped_rows)[0];
	if (!TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		old_shipped = DatumGetBool(heap_getattr(trigdata->tg_trigtuple, attnum, tupdesc, &isnull)) && !isnull;
	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		result = trigdata->tg_trigtuple;
	else if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
		result = trigdata->tg_newtuple;
	else
		result = trigdata->tg_trigtuple;
	if (!TRIGGER_FIRED_BY_DELETE(trigdata->tg_event))
		new_shipped = DatumGetBool(heap_getattr(result, attnum, tupdesc, &isnull)) && !isnull;

	if ((old_shipped || new_shipped) && !creating_extension)
		ereport(ERROR,
				(errcode(ERRCODE_TICKET_SHIPPED_ROW),
				 errmsg("rows shipped with the extension are read-only (%s)",
						RelationGetRelationName(rel)),
				 new_shipped && !old_shipped ?
				 errdetail("Only the extension's scripts insert rows with shipped = true.") :
				 errdetail("The row was shipped with the extension."),
				 errhint("Enact a change as a new regime or a new catalogue row with a later effective_from; corrections to shipped rows come as extension upgrades.")));
	return PointerGetDatum(result);
}

/* Does a catalogue row's pattern match the code (C collation, as text)? */
static bool
catalogue_matches(const catalogue_entry *entry, const char *code)
{
	return DatumGetBool(DirectFunctionCall2Coll(textregexeq, C_COLLATION_OID,
												PointerGetDatum(cstring_to_text(code)),
												PointerGetDatum(entry->pattern_text)));
}

static char *
day_text(int32 day)
{
	return DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(day)));
}

int
ticket_rules_exemption_family_on(const rules_cache *c, uint32 packed, int32 day)
{
	char		code[SHORT_CODE_MAX_LEN + 1];
	const catalogue_entry *found = NULL;

	ticket_short_code_unpack(packed, code);
	for (int e = 0; e < c->ncatalogue; e++)
	{
		const catalogue_entry *entry = &c->catalogue[e];

		if (day < entry->from || day >= entry->until || !catalogue_matches(entry, code))
			continue;
		if (found != NULL && found->family != entry->family)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("exemption %s is in two rows of the exemption catalogue on %s, of families %s and %s",
							code, day_text(day), found->family_name, entry->family_name),
					 errdetail("The patterns are %s and %s.", found->pattern, entry->pattern)));
		found = entry;
	}
	return found ? found->family : -1;
}

void
ticket_rules_report_unknown_exemption(const rules_cache *c, uint32 packed, int32 day)
{
	char		code[SHORT_CODE_MAX_LEN + 1];
	StringInfoData other_days;

	ticket_short_code_unpack(packed, code);
	initStringInfo(&other_days);
	for (int e = 0; e < c->ncatalogue; e++)
	{
		const catalogue_entry *entry = &c->catalogue[e];

		if (!catalogue_matches(entry, code))
			continue;
		appendStringInfo(&other_days, "%s%s to %s", other_days.len > 0 ? ", " : "",
						 entry->from == PG_INT32_MIN ? "-" : day_text(entry->from),
						 entry->until == PG_INT32_MAX ? "-" : day_text(entry->until - 1));
	}
	ereport(ERROR,
			(errcode(ERRCODE_TICKET_UNKNOWN_EXEMPTION),
			 errmsg("exemption %s is not in the exemption catalogue on %s", code, day_text(day)),
			 other_days.len > 0 ?
			 errdetail("The catalogue holds it on these service dates: %s.", other_days.data) :
			 errdetail("No row of ticket.exemption_catalogue holds it."),
			 errhint("A code the region adds is a row of ticket.exemption_catalogue, with its rule in ticket.exemption_rule.")));
}
