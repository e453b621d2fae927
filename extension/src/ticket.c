/*
 * ticket.c
 *		Module magic and load-time initialisation of the ticket extension.
 */
#include "ticket_compat.h"

#include "fmgr.h"
#include "miscadmin.h"

#include "ticket_internal.h"

TICKET_MODULE_MAGIC;

void		_PG_init(void);

void
_PG_init(void)
{
	/*
	 * The message catalogue: ereport() in this library translates through
	 * TEXTDOMAIN (ticket_compat.h), found under pg_config --localedir as
	 * LANG/LC_MESSAGES/ticket-MAJOR.mo (built from extension/po/ by make
	 * install).  A no-op when the server is built without NLS.
	 */
	pg_bindtextdomain(TEXTDOMAIN);
	/* The settings only the extension writes (access.c). */
	ticket_define_settings();
}
