/*
 * rules_cache.h
 *		The per-backend compiled rules (rules_cache.c).
 */
#ifndef RULES_CACHE_H
#define RULES_CACHE_H

#include "pricing_core.h"

typedef struct scope_entry
{
	uint32		exemption;		/* packed code */
	const char *service_code;
} scope_entry;

/* A row of ticket.exemption_catalogue: codes, family, service dates. */
typedef struct catalogue_entry
{
	const char *pattern;		/* anchored regular expression */
	text	   *pattern_text;	/* the same as a text datum, for the matcher */
	int			family;			/* ex_family number */
	const char *family_name;
	int32		from;			/* first day (days since 2000-01-01); PG_INT32_MIN = open */
	int32		until;			/* first day after; PG_INT32_MAX = open */
} catalogue_entry;

typedef struct service_entry
{
	const char *code;
	int32		effective_from; /* days since 2000-01-01 */
	const char *branch;
	tk_kind		kind;
	tk_cents	tariff;
	bool		withdrawn;
} service_entry;

/* A priority class of a prescription and its longest waits (days). */
typedef struct priority_entry
{
	char		priority[8];
	int32		max_wait_visit;
	int32		max_wait_exam;
} priority_entry;

typedef struct rules_cache
{
	MemoryContext context;		/* everything below lives here */
	int			nregimes;
	tk_regime  *regimes;		/* enacted, by effective_from; then the drafts */
	int			ndrafts;		/* draft regimes: regimes[nregimes ..] */
	const char **draft_problems;	/* per draft: why its rules are inconsistent, or NULL */
	int			nbands;
	int			nexemption_rules;
	int			ncatalogue;
	catalogue_entry *catalogue;	/* ticket.exemption_catalogue, by pattern and date */
	int			nscope;
	scope_entry *scope;			/* by (exemption, service_code) */
	int			nservices;
	service_entry *services;	/* by (code in C collation, effective_from) */
	int			nregions;
	char	  (*regions)[4];	/* NRE region codes (ticket.nre_region), sorted */
	int			npriorities;
	priority_entry *priorities; /* ticket.priority_class */
	int64		bytes;
	int64		builds;			/* builds in this backend so far */
} rules_cache;

/* The compiled rules, rebuilt first if a rule table changed. */
extern const rules_cache *ticket_rules_cache_get(void);

/*
 * A regime by name, enacted or draft (ticket.price_under), or NULL; a draft
 * whose rules are inconsistent is 22000 here.
 */
extern const tk_regime *ticket_rules_regime_named(const rules_cache *c, const char *regime_id);

/* tk_scope_fn over the cache (context = the rules_cache). */
extern bool ticket_rules_scope_contains(void *context, uint32 exemption, const char *service_code);

/* Whether a three-digit region code is in ticket.nre_region. */
extern bool ticket_rules_region_known(const rules_cache *c, const char *code);

/* The priority class of a letter, or NULL. */
extern const priority_entry *ticket_rules_priority(const rules_cache *c, const char *priority);

/*
 * The family of an exemption code on a service day, from
 * ticket.exemption_catalogue; -1 when no row holds the code that day, 22000
 * when two rows of different families hold it.
 */
extern int	ticket_rules_exemption_family_on(const rules_cache *c, uint32 packed, int32 day);

/* TK008 for a code no row holds that day; the detail names the days some row holds it. */
extern void ticket_rules_report_unknown_exemption(const rules_cache *c, uint32 packed, int32 day);

/* The catalogue row of a code in force on a day, or NULL. */
extern const service_entry *ticket_rules_service_on(const rules_cache *c, const char *code, int32 day);

#endif							/* RULES_CACHE_H */
