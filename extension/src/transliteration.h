/*
 * transliteration.h
 *		Names as the fiscal code reads them (name_transliteration.c).
 */
#ifndef TICKET_TRANSLITERATION_H
#define TICKET_TRANSLITERATION_H

#include "ticket_compat.h"

/*
 * name_transliteration.c: the letters A–Z of a surname or given name,
 * transliterated with the Ministry of the Interior table (circ. 1/2008),
 * as a palloc'd NUL-terminated string.  `field' says which name it is, for
 * the error (22023) about a letter the table does not cover.
 */
typedef enum TicketNameField
{
	TICKET_NAME_ANY,			/* ticket.transliterate_name: "name" */
	TICKET_NAME_SURNAME,
	TICKET_NAME_GIVEN_NAME
} TicketNameField;

extern char *ticket_transliterated_name(const char *name, int len, TicketNameField field);

#endif							/* TICKET_TRANSLITERATION_H */
