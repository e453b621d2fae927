/*
 * outbox.c
 *		NOTIFY ticket_event once per transaction that adds events to the
 *		outbox (ticket.event), carrying the highest event_id it added and
 *		kept.
 *
 * A BEFORE INSERT row trigger notes the event_id (no after-trigger queue,
 * no transition table: every booking, payment and declaration goes through
 * here), and a pre-commit callback sends the NOTIFY, which PostgreSQL
 * delivers at commit.  Listeners catch up with ticket.events_after(last_id).
 * A prepared (two-phase) transaction sends none: PostgreSQL does not allow
 * NOTIFY in one; listeners see its events at the next notification.
 *
 * Subtransactions: the id noted is saved when a subtransaction starts and
 * restored when it aborts (ROLLBACK TO SAVEPOINT, a PL/pgSQL exception
 * block), so the payload is never an event that was rolled back, and a
 * transaction whose events were all rolled back sends no NOTIFY.
 *
 * NOTIFY is a hint, not a source of truth: any role that can connect may
 * NOTIFY ticket_event with any payload.  Consumers read the outbox (from
 * their last event_id on) when woken, never trust the payload's id.
 */
#include "ticket_compat.h"

#include "catalog_names.h"
#include "row_lookup.h"
#include "trigger_contract.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "commands/async.h"
#include "commands/trigger.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#define TICKET_EVENT_CHANNEL "ticket_event"

static int64 newest_event = 0;	/* in the current transaction; 0 = none */
static bool callbacks_registered = false;

/*
 * newest_event when each open subtransaction started, by nesting level
 * (index 2 and up).  Levels entered before the callbacks were registered
 * read 0, which is right: no event had been noted in this backend yet.
 */
static int64 *saved_newest = NULL;
static int	saved_size = 0;

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

static void
outbox_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
						SubTransactionId parentSubid, void *arg)
{
	int			level = GetCurrentTransactionNestLevel();

	switch (event)
	{
		case SUBXACT_EVENT_START_SUB:
			if (level >= saved_size)
			{
				int			size = Max(level + 1, saved_size * 2);

				saved_newest = saved_newest == NULL ?
					MemoryContextAllocZero(TopMemoryContext, sizeof(int64) * size) :
					repalloc(saved_newest, sizeof(int64) * size);
				memset(saved_newest + saved_size, 0, sizeof(int64) * (size - saved_size));
				saved_size = size;
			}
			saved_newest[level] = newest_event;
			break;
		case SUBXACT_EVENT_ABORT_SUB:
			newest_event = level < saved_size ? saved_newest[level] : 0;
			break;
		default:
			/* COMMIT_SUB: the events stay, the parent's level keeps its own */
			break;
	}
}

static TriggerContract contract = {
	"ticket.event_notify", TC_TABLES(TICKET_EVENT_TABLE_NAME), TC_FIRINGS(TC_BEFORE | TC_ROW | TC_INSERT)
};

/*
 * The fmgr symbols below keep the names the released scripts give them:
 * an ABI, not subject to the ticket_ prefix (ticket.c says why).
 */
PG_FUNCTION_INFO_V1(ticket_event_notify);
Datum
ticket_event_notify(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = ticket_trigger_contract_check(fcinfo, &contract);
	const AttrNumber *attnum = ticket_columns(trigdata->tg_relation, &ticket_table_event);
	bool		isnull;
	Datum		value = heap_getattr(trigdata->tg_trigtuple, attnum[EVENT_EVENT_ID],
									 RelationGetDescr(trigdata->tg_relation), &isnull);
	if (!callbacks_registered)
	{
		RegisterXactCallback(outbox_xact_callback, NULL);
		RegisterSubXactCallback(outbox_subxact_callback, NULL);
		callbacks_registered = true;
	}
	if (!isnull && DatumGetInt64(value) > newest_event)
		newest_event = DatumGetInt64(value);
	return PointerGetDatum(trigdata->tg_trigtuple);
}
