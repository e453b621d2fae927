/*
 * prescription_rules.h
 *		The reference checks of a prescription (prescription_rules.c).
 */
#ifndef TICKET_PRESCRIPTION_RULES_H
#define TICKET_PRESCRIPTION_RULES_H

#include "ticket_compat.h"
#include "utils/array.h"
#include "utils/date.h"

/* ticket.prescription_max_wait for C callers (NULL pointer = NULL argument; false = NULL). */
extern bool ticket_prescription_wait_days(text *nre, text *priority, ArrayType *services,
										  const DateADT *on_date, int32 *max_wait);

#endif							/* TICKET_PRESCRIPTION_RULES_H */
