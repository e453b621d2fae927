/*
 * outbox.c
 *		NOTIFY ticket_event once per transaction that adds events to the
 *		outbox (ticket.event), carrying the highest event_id it added.
 *
 * A BEFORE INSERT row trigger notes the event_id (no after-trigger queue,
 * no transition table: every booking, payment and declaration goes through
 * here), and a pre-commit callback sends the NOTIFY, which PostgreSQL
 * delivers at commit.  Listeners catch up with ticket.events_after(last_id).
 * A prepared (two-phase) transaction sends none: PostgreSQL does not allow
 * NOTIFY in one; listeners see its events at the next notification.
 */
#include "ticket_internal.h"

#include "access/xact.h"
#include "commands/async.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "utils/rel.h"

#define TICKET_EVENT_CHANNEL "ticket_event"

static int64 newest_event = 0;	/* in the current transaction; 0 = none */
static bool callback_registered = false;

static void
outbox_xact_callback(XactEvent event, void *arg)
{
	char		payload[32];

	switch (event)
	{
		case XACT_EVENT_PRE_COMMIT:
			if (newest_event > 0)
			{
				snprintf(payload, sizeof(payload), INT64_FORMAT, newest_event);
				newest_event = 0;
				Async_Notify(TICKET_EVENT_CHANNEL, payload);
			}
			break;
		case XACT_EVENT_PRE_PREPARE:
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PREPARE:
			newest_event = 0;
			break;
		default:
			break;
	}
}

PG_FUNCTION_INFO_V1(ticket_event_notify);
Datum
ticket_event_notify(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = ticket_before_insert_row(fcinfo, "ticket_event_notify");
	int			attnum;
	bool		isnull;
	Datum		value;

	attnum = SPI_fnumber(RelationGetDescr(trigdata->tg_relation), "event_id");
	if (attnum <= 0)
		elog(ERROR, "ticket_event_notify: table %s has no column \"event_id\"",
			 RelationGetRelationName(trigdata->tg_relation));
	value = heap_getattr(trigdata->tg_trigtuple, attnum, RelationGetDescr(trigdata->tg_relation), &isnull);
	if (!isnull && DatumGetInt64(value) > newest_event)
		newest_event = DatumGetInt64(value);
	if (!callback_registered)
	{
		RegisterXactCallback(outbox_xact_callback, NULL);
		callback_registered = true;
	}
	return PointerGetDatum(trigdata->tg_trigtuple);
}
