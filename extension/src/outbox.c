/*
 * outbox.c
 *		NOTIFY ticket_event for each statement that adds events to the outbox
 *		(ticket.event).
 *
 * A statement trigger with a transition table: the payload is the highest
 * event_id the statement added, and PostgreSQL delivers it at commit (never
 * for a rolled-back transaction, and once per distinct payload).  Listeners
 * catch up with ticket.events_after(last_id).  In C because every booking,
 * payment and declaration runs it: no executor, just a scan of the
 * transition tuplestore.
 */
#include "ticket_internal.h"

#include "commands/async.h"
#include "executor/spi.h"
#include "commands/trigger.h"
#include "executor/tuptable.h"
#include "utils/tuplestore.h"

#define TICKET_EVENT_CHANNEL "ticket_event"

PG_FUNCTION_INFO_V1(ticket_event_notify);
Datum
ticket_event_notify(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	TupleTableSlot *slot;
	int			attnum;
	int64		newest = 0;
	bool		any = false;
	char		payload[32];

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_FOR_STATEMENT(trigdata->tg_event) ||
		trigdata->tg_newtable == NULL)
		elog(ERROR, "ticket_event_notify: not called as a statement trigger with a NEW TABLE");

	attnum = SPI_fnumber(RelationGetDescr(trigdata->tg_relation), "event_id");
	if (attnum <= 0)
		elog(ERROR, "ticket_event_notify: table %s has no column \"event_id\"",
			 RelationGetRelationName(trigdata->tg_relation));

	slot = MakeSingleTupleTableSlot(RelationGetDescr(trigdata->tg_relation), &TTSOpsMinimalTuple);
	tuplestore_rescan(trigdata->tg_newtable);
	while (tuplestore_gettupleslot(trigdata->tg_newtable, true, false, slot))
	{
		bool		isnull;
		Datum		value = slot_getattr(slot, attnum, &isnull);

		if (!isnull && (!any || DatumGetInt64(value) > newest))
		{
			newest = DatumGetInt64(value);
			any = true;
		}
	}
	ExecDropSingleTupleTableSlot(slot);

	if (any)
	{
		snprintf(payload, sizeof(payload), INT64_FORMAT, newest);
		Async_Notify(TICKET_EVENT_CHANNEL, payload);
	}
	return PointerGetDatum(NULL);
}
