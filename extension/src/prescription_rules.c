/*
 * prescription_rules.c
 *		The reference checks of a prescription, from the compiled rules:
 *		the region code an NRE starts with, the priority class and the
 *		longest wait it allows.
 *
 * Every prescription runs these (fse.prescription_before_insert); reading
 * ticket.nre_region and ticket.priority_class through the per-backend rule
 * cache (rules_cache.c, invalidated like the rule tables) saves a query per
 * prescription.
 */
#include "ticket_compat.h"

#include "messages.h"
#include "prescription_rules.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"

#include "rules_cache.h"

/*
 * The checks and the longest wait of a prescription, for ticket.
 * ticket_prescription_wait_days and the prescription trigger.  A NULL argument is a
 * NULL pointer; returns false where the SQL function returns NULL.
 *
 * Refuses an NRE whose first three characters are not a Ministry region
 * code (22P02) and a priority that is not a class (23503); the wait is the
 * priority's visit figure when every service is a visit on that date, else
 * the diagnostic one.  NULL without an NRE, a date or a priority.
 */
bool
ticket_prescription_wait_days(text *nre_text, text *priority_text, ArrayType *services,
					  const DateADT *on_date, int32 *max_wait)
{
	const rules_cache *rules;
	char	   *nre;
	char		region[4];
	const priority_entry *priority;
	bool		all_visits = true;

	if (nre_text == NULL || on_date == NULL)
		return false;
	rules = ticket_rules_cache_get();
	nre = text_to_cstring(nre_text);
	strlcpy(region, nre, sizeof(region));
	if (strlen(region) < 3 || !ticket_rules_region_known(rules, region))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("NRE %s: %s is not a Ministry region code",
						ticket_quote(nre), ticket_quote(region)),
				 errhint("An NRE starts with the code of the issuing region (080 = Emilia-Romagna).")));
	if (priority_text == NULL)
		return false;
	{
		char	   *letter = text_to_cstring(priority_text);

		priority = ticket_rules_priority(rules, letter);
		if (priority == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
					 errmsg("priority %s is not a priority class",
							ticket_quote(letter)),
					 errhint("The classes are U, B, D and P (ticket.priority_class).")));
	}
	if (priority->max_wait_visit == priority->max_wait_exam)
	{
		*max_wait = priority->max_wait_visit;
		return true;
	}

	if (services != NULL)
	{
		Datum	   *elems;
		bool	   *nulls;
		int			nelems;

		deconstruct_array(services, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &nelems);
		for (int i = 0; i < nelems && all_visits; i++)
		{
			const service_entry *service;

			if (nulls[i])
			{
				all_visits = false;
				break;
			}
			/* DateADT and the cache both count days from 2000-01-01 */
			service = ticket_rules_service_on(rules, TextDatumGetCString(elems[i]), (int32) *on_date);
			/* an unknown service is the pricing's error to raise; not a visit */
			all_visits = service != NULL &&
				(service->kind == TK_FIRST_VISIT || service->kind == TK_CONTROL_VISIT);
		}
	}
	else
		all_visits = false;
	*max_wait = all_visits ? priority->max_wait_visit : priority->max_wait_exam;
	return true;
}

/*
 * The fmgr symbols below keep the names the released scripts give them:
 * an ABI, not subject to the ticket_ prefix (ticket.c says why).
 */
/*
 * ticket.prescription_max_wait(nre text, priority text, services text[],
 *								on_date date) RETURNS integer
 */
PG_FUNCTION_INFO_V1(ticket_prescription_max_wait);
Datum
ticket_prescription_max_wait(PG_FUNCTION_ARGS)
{
	DateADT		on_date = PG_ARGISNULL(3) ? 0 : PG_GETARG_DATEADT(3);
	int32		max_wait;

	if (!ticket_prescription_wait_days(PG_ARGISNULL(0) ? NULL : PG_GETARG_TEXT_PP(0),
							   PG_ARGISNULL(1) ? NULL : PG_GETARG_TEXT_PP(1),
							   PG_ARGISNULL(2) ? NULL : PG_GETARG_ARRAYTYPE_P(2),
							   PG_ARGISNULL(3) ? NULL : &on_date, &max_wait))
		PG_RETURN_NULL();
	PG_RETURN_INT32(max_wait);
}
