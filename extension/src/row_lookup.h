/*
 * row_lookup.h
 *		The extension's tables read without the executor (row_lookup.c), as
 *		the current role, the owner in the SECURITY DEFINER callers (SELECT
 *		checked; tables under row-level security refused, naming `reader'
 *		in the error), each table, column and index as catalog_names.h
 *		describes it.
 */
#ifndef TICKET_ROW_LOOKUP_H
#define TICKET_ROW_LOOKUP_H

#include "ticket_compat.h"
#include "access/genam.h"
#include "access/htup.h"
#include "executor/tuptable.h"
#include "utils/date.h"
#include "utils/relcache.h"

#include "catalog_names.h"

/* The table, its columns checked. */
extern Relation ticket_open_for_reading(TicketTable *table, const char *reader);
/* The index, checked to be heap's (its table's) with its key columns. */
extern Relation ticket_open_index(TicketIndex *index, Relation heap);
extern void ticket_close_for_reading(Relation heap, Relation index);

/* The attribute numbers of table's columns in rel (its table or a trigger's), types checked. */
extern const AttrNumber *ticket_columns(Relation rel, TicketTable *table);
/*
 * That index column `column' (1-based) is the heap's column attnum, one of
 * the caller's checked columns, so that a key of that column's type is a
 * key of the index (55000 otherwise).
 */
extern void ticket_check_index_column(Relation index, int column, AttrNumber attnum);
/*
 * An index scan whose keys[0] (filled in here) is "first column = key", the
 * first column being the heap's column key_attnum (checked).
 */
extern IndexScanDesc ticket_begin_key_scan(Relation heap, Relation index, AttrNumber key_attnum,
										   Datum key, ScanKey keys, int nkeys);
/* The first row whose first index column (key_attnum) equals key, deformed into slot. */
extern bool ticket_fetch_by_key(Relation heap, Relation index, AttrNumber key_attnum, Datum key,
								TupleTableSlot *slot);
/* Push the snapshot the next statement of a VOLATILE function would get. */
extern void ticket_push_statement_snapshot(void);
/* The columns of a trigger's row: attribute numbers and values, types checked. */
extern void ticket_row_columns(Relation rel, HeapTuple tuple, TicketTable *table,
							   int *attnum, Datum *value, bool *isnull);
/* A date as text (DateStyle), for messages. */
extern char *ticket_date_text(DateADT day);
/* A value as text (its type's output function), for messages. */
extern char *ticket_output(Datum value, Oid type);

#endif							/* TICKET_ROW_LOOKUP_H */
