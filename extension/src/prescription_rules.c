/*
 * prescription_rules.c
 *		The reference checks of a prescription, from the compiled rules:
 *		the region code an NRE starts with, the priority class and the
 *		longest wait it allows.
 *
 * Every prescription runs these (fse.prescription_before_write); reading
 * ticket.nre_region and ticket.priority_class through the per-backend rule
 * cache (rules_cache.c, invalidated like the rule tables) saves a query per
 * prescription.
 */
#include "ticket_internal.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"

#include "rules_cache.h"

/*
 * ticket.prescription_max_wait(nre text, priority text, services text[],
 *								on_date date) RETURNS integer
 *
 * Refuses an NRE whose first three characters are not a Ministry region
 * code (22P02) and a priority that is not a class (23503); returns the
 * longest wait of the priority (the visit figure when every service is a
 * visit on that date, else the diagnostic one), NULL without a priority.
 */
PG_FUNCTION_INFO_V1(ticket_prescription_max_wait);
Datum
ticket_prescription_max_wait(PG_FUNCTION_ARGS)
{
	const rules_cache *rules;
	char	   *nre;
	char		region[4];
	const priority_entry *priority;
	bool		all_visits = true;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(3))
		PG_RETURN_NULL();
	rules = rules_cache_get();
	nre = text_to_cstring(PG_GETARG_TEXT_PP(0));
	strlcpy(region, nre, sizeof(region));
	if (strlen(region) < 3 || !rules_region_known(rules, region))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("NRE %s: %s is not a Ministry region code", nre, region),
				 errhint("An NRE starts with the code of the issuing region (080 = Emilia-Romagna).")));
	if (PG_ARGISNULL(1))
		PG_RETURN_NULL();
	{
		char	   *letter = text_to_cstring(PG_GETARG_TEXT_PP(1));

		priority = rules_priority(rules, letter);
		if (priority == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
					 errmsg("priority %s is not a priority class", letter),
					 errhint("The classes are U, B, D and P (ticket.priority_class).")));
	}
	if (priority->max_wait_visit == priority->max_wait_exam)
		PG_RETURN_INT32(priority->max_wait_visit);

	if (!PG_ARGISNULL(2))
	{
		Datum	   *elems;
		bool	   *nulls;
		int			nelems;
		DateADT		on_date = PG_GETARG_DATEADT(3);

		deconstruct_array(PG_GETARG_ARRAYTYPE_P(2), TEXTOID, -1, false, TYPALIGN_INT,
						  &elems, &nulls, &nelems);
		for (int i = 0; i < nelems && all_visits; i++)
		{
			const service_entry *service;

			if (nulls[i])
			{
				all_visits = false;
				break;
			}
			/* DateADT and the cache both count days from 2000-01-01 */
			service = rules_service_on(rules, TextDatumGetCString(elems[i]), (int32) on_date);
			/* an unknown service is the pricing's error to raise; not a visit */
			all_visits = service != NULL &&
				(service->kind == TK_FIRST_VISIT || service->kind == TK_CONTROL_VISIT);
		}
	}
	else
		all_visits = false;
	PG_RETURN_INT32(all_visits ? priority->max_wait_visit : priority->max_wait_exam);
}
