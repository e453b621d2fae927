/*
 * own_queries.h
 *		The statements the extension runs through SPI on its own behalf,
 *		their SQL and tables described in catalog_names.c.
 */
#ifndef TICKET_OWN_QUERIES_H
#define TICKET_OWN_QUERIES_H

#include "ticket_compat.h"

#include "catalog_names.h"

/*
 * rules_cache.c: run the extension's own queries with search_path pinned to
 * pg_catalog, pg_temp; pass the returned level to the unpin call.
 */
extern int	ticket_pin_search_path(void);
extern void ticket_unpin_search_path(int nest_level);

/*
 * row_lookup.c: that every table a statement names has the columns it
 * names, of their types (42703, 42804 otherwise); once per relation.
 */
extern void ticket_check_statement(const TicketStatement *statement);

/*
 * row_lookup.c: a statement prepared once and kept for the backend
 * (its tables checked first), prepared again when the OID of the type it
 * depends on changed (the extension re-created; InvalidOid: none).  Call
 * between SPI_connect and SPI_finish.
 */
struct _SPI_plan;
extern struct _SPI_plan *ticket_kept_plan(struct _SPI_plan **plan, Oid *prepared_for, Oid depends_on,
										  const TicketStatement *statement, int nargs, Oid *argtypes);

#endif							/* TICKET_OWN_QUERIES_H */
