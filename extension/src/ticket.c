/*
 * ticket.c
 *		Module magic and load-time initialisation of the ticket extension.
 */
#include "ticket_compat.h"

#include "fmgr.h"

TICKET_MODULE_MAGIC;

void		_PG_init(void);

void
_PG_init(void)
{
	/*
	 * Nothing to set up yet.  Settings (DefineCustom*Variable followed by
	 * MarkGUCPrefixReserved("ticket")) and the message catalogue belong here.
	 */
}
