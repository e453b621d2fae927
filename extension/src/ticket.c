/*
 * ticket.c
 *		Module magic and load-time initialisation of the ticket extension.
 */
#include "ticket_compat.h"

#include "fmgr.h"
#include "miscadmin.h"

#include "access_settings.h"

TICKET_MODULE_MAGIC;

/*
 * Symbols.  Every non-static C function of the extension is named ticket_*
 * (ticket_cf_parse, ticket_registry_citizen_status...), except the fmgr
 * entry points (PG_FUNCTION_INFO_V1, SHORT_CODE_FUNCTION): their names are
 * written in the released scripts of extension/scripts (AS
 * 'MODULE_PATHNAME', 'symbol', or the SQL function's own name when the
 * symbol is omitted), and installing or updating through any of those
 * scripts creates functions naming them.  They are an ABI of those scripts:
 * renaming one breaks CREATE EXTENSION ticket VERSION '1.0' and every
 * ALTER EXTENSION ... UPDATE that passes through it.
 */

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
