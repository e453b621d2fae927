/*
 * transition_pairs.h
 *		An UPDATE's old and new transition rows paired by position, for
 *		the statement triggers that compare them (transition_pairs.c).
 *		Not installed.
 */
#ifndef TICKET_TRANSITION_PAIRS_H
#define TICKET_TRANSITION_PAIRS_H

#include "ticket_compat.h"

#include "commands/trigger.h"
#include "utils/tuplestore.h"

/* The columns of the pairs: o and n, of the table's row type, and same. */
extern TupleDesc ticket_pairs_desc(Relation relation);

/*
 * Fills pairs with the trigger's old and new rows paired by position, the
 * pairs whose every column is the same, byte for byte, left out; same
 * tells whether the watched columns are (false when there are none).
 * True when the position is proven: as many rows on both sides and, pair
 * by pair, the same key columns (keys: a unique key), byte for byte;
 * false otherwise, pairs then incomplete: join on the key instead.
 */
extern bool ticket_pair_by_position(TriggerData *trigdata, const AttrNumber *keys, int nkeys,
									const AttrNumber *watched, int nwatched,
									Tuplestorestate *pairs, TupleDesc pairs_desc);

/* pairs visible as the relation name to the statements of the SPI connection. */
extern void ticket_register_pairs(const char *name, Tuplestorestate *pairs, TupleDesc pairs_desc);

#endif							/* TICKET_TRANSITION_PAIRS_H */
