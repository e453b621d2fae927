/*
 * pricing.h
 *		ticket.price(codes, ...) and ticket.effective_band for C callers
 *		(pricing.c).
 */
#ifndef TICKET_PRICING_H
#define TICKET_PRICING_H

#include "ticket_compat.h"
#include "access/tupdesc.h"
#include "utils/array.h"
#include "utils/date.h"

extern Datum ticket_price_codes_bill(ArrayType *codes, Datum band, bool band_null,
									 ArrayType *exemptions, DateADT on_date, TupleDesc bill_type);
extern bool ticket_band_charged_on(Datum *band, DateADT on_date);

#endif							/* TICKET_PRICING_H */
