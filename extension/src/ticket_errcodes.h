/*
 * ticket_errcodes.h
 *		Every SQLSTATE the extension's C code defines, in one place, named
 *		for what it means.  Class TK is the extension's own; applications
 *		catch these by code, and extension/doc/ticket.md ("Errors and
 *		SQLSTATEs") lists them with the PL/pgSQL functions' codes.
 */
#ifndef TICKET_ERRCODES_H
#define TICKET_ERRCODES_H

#include "ticket_compat.h"

/* The rules engine (pricing.c, rules_cache.c). */
#define ERRCODE_TICKET_TOO_MANY_SERVICES	MAKE_SQLSTATE('T','K','0','0','1')
#define ERRCODE_TICKET_MIXED_BRANCHES		MAKE_SQLSTATE('T','K','0','0','2')
#define ERRCODE_TICKET_INCOMPATIBLE_KINDS	MAKE_SQLSTATE('T','K','0','0','3')
#define ERRCODE_TICKET_BAND_NOT_IN_REGIME	MAKE_SQLSTATE('T','K','0','0','4')
#define ERRCODE_TICKET_NO_REGIME			MAKE_SQLSTATE('T','K','0','0','5')
#define ERRCODE_TICKET_UNKNOWN_SERVICE		MAKE_SQLSTATE('T','K','0','0','6')
#define ERRCODE_TICKET_SHIPPED_ROW			MAKE_SQLSTATE('T','K','0','0','7')
#define ERRCODE_TICKET_UNKNOWN_EXEMPTION	MAKE_SQLSTATE('T','K','0','0','8')
#define ERRCODE_TICKET_ER_WITHOUT_ACCESS	MAKE_SQLSTATE('T','K','0','0','9')

/* The network's C triggers (booking_insert.c, prescription_insert.c). */
#define ERRCODE_TICKET_BOOKING_STATUS		MAKE_SQLSTATE('T','K','0','1','3')
#define ERRCODE_TICKET_GP_CEASED			MAKE_SQLSTATE('T','K','0','1','7')

/*
 * A trigger function fired for a table, timing, level or event it was not
 * written for (trigger_contract.c): PostgreSQL's 39P01, under this name.
 */
#define ERRCODE_TICKET_TRIGGER_MISUSED		ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED

#endif							/* TICKET_ERRCODES_H */
