/*
 * registry_status.h
 *		What the registry says of a citizen (registry_status.c).
 */
#ifndef TICKET_REGISTRY_STATUS_H
#define TICKET_REGISTRY_STATUS_H

#include "ticket_compat.h"
#include "utils/array.h"
#include "utils/date.h"

typedef struct RegistryCitizen
{
	bool		dead;
	DateADT		death_date;		/* when dead */
	char	   *residence_asl;
} RegistryCitizen;

/* ticket.citizen_status for C callers: the band (*band_null when none), the exemptions. */
extern void ticket_registry_citizen_status(Datum citizen, DateADT on_date, Oid exemption_type,
										   Datum *band, bool *band_null, ArrayType **exemptions);
/* The citizen's row; with record, also the whole row as a registry.citizen value. */
extern bool ticket_registry_citizen_row(Datum citizen, RegistryCitizen *row, Datum *record,
										const char *reader);
extern bool ticket_registry_gp_ceased_on(Datum gp_code, DateADT *ceased_on, const char *reader);

#endif							/* TICKET_REGISTRY_STATUS_H */
