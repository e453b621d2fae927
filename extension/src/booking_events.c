/*
 * booking_events.c
 *		cup.booking_events: the outbox events of changed bookings (paid,
 *		cancelled, done, missed, moved, repriced) and the refund of a paid
 *		booking cancelled, after each UPDATE of cup.booking.
 *
 * The events compare each booking's old and new row: paired by position
 * (transition_pairs.c), not joined on booking_id.  A regime's enactment
 * re-prices a million bookings in one statement, and the join sorted or
 * hashed both transition tables on disk (issue 19).  A booking's id never
 * changes (cup.booking_before_update), so the position always holds; when
 * it is not proven the statement joins, as before.  The refund reads only
 * the bookings paid before and cancelled now, through the join (a handful
 * a statement).
 */
#include "ticket_compat.h"

#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/rel.h"
#include "utils/tuplestore.h"

#include "catalog_names.h"
#include "row_lookup.h"
#include "transition_pairs.h"
#include "trigger_contract.h"

#define TRIGGER_NAME "cup.booking_events"

static TriggerContract contract = {
	TRIGGER_NAME, TC_TABLES(TICKET_BOOKING_TABLE_NAME), TC_FIRINGS(TC_AFTER | TC_STATEMENT | TC_UPDATE)
};

/* The name under which the paired bookings are visible to the statement. */
#define PAIRS_RELATION "booking_pairs"

/*
 * The events, over the pairs (o, n) of %s: booking_pairs, or the join of
 * the transition tables.  A payload is built for the events that happened
 * only (the target list runs after the filter).  Ordered by booking: the
 * outbox order of a statement does not depend on how it was executed.
 */
#define EVENTS_SQL \
	"INSERT INTO ticket.event (kind, subject, fiscal_code, payload)" \
	" SELECT e.kind, n.booking_id::text, n.fiscal_code," \
	"        CASE e.what" \
	"             WHEN 'status' THEN jsonb_build_object('from', o.status, 'amount', n.amount," \
	"                                                   'paid_amount', n.paid_amount)" \
	"             WHEN 'moved' THEN jsonb_build_object('from', o.service_date, 'to', n.service_date)" \
	"             WHEN 'repriced' THEN jsonb_build_object('old_amount', o.amount, 'new_amount', n.amount," \
	"                                                     'service_date', n.service_date, 'regime', (n.bill).regime)" \
	"        END" \
	"   FROM %s p CROSS JOIN LATERAL (SELECT (p.o).*) o CROSS JOIN LATERAL (SELECT (p.n).*) n" \
	"  CROSS JOIN LATERAL (VALUES" \
	"         (CASE WHEN n.status <> o.status THEN n.status" \
	"               WHEN n.paid_at IS NOT NULL AND o.paid_at IS NULL THEN 'paid' END, 'status')," \
	"         (CASE WHEN n.service_date <> o.service_date THEN 'moved' END, 'moved')," \
	"         (CASE WHEN n.amount <> o.amount THEN 'repriced' END, 'repriced'))" \
	"         AS e(kind, what)" \
	"  WHERE e.kind IS NOT NULL" \
	"  ORDER BY n.booking_id"

#define JOINED_PAIRS \
	"(SELECT o, n FROM old_bookings o JOIN new_bookings n USING (booking_id))"

/* Cancelling a paid booking refunds what was paid and adjusted. */
#define REFUND_SQL \
	"INSERT INTO cup.adjustment (booking_id, amount, reason)" \
	" SELECT n.booking_id, -(n.paid_amount + coalesce(a.adjusted, 0)), 'cancellation'" \
	"   FROM old_bookings o JOIN new_bookings n USING (booking_id)" \
	"   LEFT JOIN LATERAL (SELECT sum(a.amount) AS adjusted FROM cup.adjustment a" \
	"                       WHERE a.booking_id = n.booking_id) a ON true" \
	"  WHERE o.status = 'paid' AND n.status = 'cancelled'" \
	"    AND n.paid_amount + coalesce(a.adjusted, 0) <> 0"

PG_FUNCTION_INFO_V1(cup_booking_events);

Datum
cup_booking_events(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = ticket_trigger_contract_check(fcinfo, &contract);
	const AttrNumber *attnum = ticket_columns(trigdata->tg_relation, &ticket_table_booking);
	AttrNumber	key = attnum[BOOKING_BOOKING_ID];
	TupleDesc	pairs_desc;
	Tuplestorestate *pairs;
	bool		paired;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	pairs_desc = ticket_pairs_desc(trigdata->tg_relation);
	pairs = tuplestore_begin_heap(false, false, work_mem);
	paired = ticket_pair_by_position(trigdata, &key, 1, NULL, 0, pairs, pairs_desc);
	elog(DEBUG1, "%s: old and new bookings paired %s", TRIGGER_NAME, paired ? "by position" : "by key");
	if (SPI_register_trigger_data(trigdata) != SPI_OK_TD_REGISTER)
		elog(ERROR, "registering the transition tables failed");
	if (paired)
		ticket_register_pairs(PAIRS_RELATION, pairs, pairs_desc);

	/* Planned for each statement: a kept plan would keep the first call's row counts. */
	if (SPI_execute(psprintf(EVENTS_SQL, paired ? PAIRS_RELATION : JOINED_PAIRS), false, 0) != SPI_OK_INSERT)
		elog(ERROR, "writing the events of the updated bookings failed");
	if (SPI_execute(REFUND_SQL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "writing the refunds of the cancelled bookings failed");

	tuplestore_end(pairs);
	SPI_finish();
	return PointerGetDatum(NULL);
}
