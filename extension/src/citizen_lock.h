/*
 * citizen_lock.h
 *		A citizen's lock for C callers (citizen_lock.c).
 *
 * ticket_citizen_lock_take takes the lock of a citizen known to be
 * registered and alive: false when the citizen has no lock row yet;
 * ticket_citizen_lock_in_full calls registry.lock_citizen_in_full (which
 * creates the row or raises 23503 and TK010).
 */
#ifndef TICKET_CITIZEN_LOCK_H
#define TICKET_CITIZEN_LOCK_H

#include "ticket_compat.h"

extern bool ticket_citizen_lock_take(Datum citizen, Oid fiscal_code_type);
extern void ticket_citizen_lock_in_full(Datum citizen, Oid fiscal_code_type, Datum on_date,
										bool on_date_null, const char *what);

#endif							/* TICKET_CITIZEN_LOCK_H */
