/*
 * access_settings.h
 *		The settings only the extension writes (access.c).
 */
#ifndef TICKET_ACCESS_SETTINGS_H
#define TICKET_ACCESS_SETTINGS_H

#include "ticket_compat.h"

/* Called by _PG_init. */
extern void ticket_define_settings(void);

#endif							/* TICKET_ACCESS_SETTINGS_H */
