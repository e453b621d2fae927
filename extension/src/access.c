/*
 * access.c
 *		Who is acting, and the settings only the extension may write.
 *
 * The API functions and the triggers run as the extension's owner
 * (SECURITY DEFINER), so inside them current_user is the owner.  The role
 * they act for is the outer user: the session user, or the role chosen with
 * SET ROLE (GetOuterUserId()), which no SECURITY DEFINER function changes.
 * ticket.acting_role() returns it; the checks of who may book at which ASL,
 * prescribe for whom, declare through which channel read it
 * (ticket--0.5--1.0.sql); ticket.acting_superuser() says whether it is a
 * superuser, whom none of them restricts.
 *
 * The network keeps four transaction-local facts in settings
 * (ticket.internal_write, ticket.locked_citizen, ticket.reprice_pending,
 * ticket.replica_pending).
 * A user who could SET them would bypass the guards that rely on them, so
 * they are defined here as superuser-only (PGC_SUSET): the extension's
 * functions, running as the owner, set them with set_config(); a SET by
 * anyone else is refused, and a value a user gave the name before this
 * library was loaded is discarded when it loads.
 */
#include "ticket_compat.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"

#include "access_settings.h"

static bool internal_write_setting = false;
static char *locked_citizen_setting = NULL;
static bool reprice_pending_setting = false;
static bool replica_pending_setting = false;

void
ticket_define_settings(void)
{
	DefineCustomBoolVariable("ticket.internal_write",
							 "Whether the current write is the network's own propagation (set by the extension only).",
							 NULL, &internal_write_setting, false, PGC_SUSET,
							 GUC_NOT_IN_SAMPLE | GUC_DISALLOW_IN_FILE,
							 NULL, NULL, NULL);
	DefineCustomStringVariable("ticket.locked_citizen",
							   "The citizen whose lock row the transaction holds (set by the extension only).",
							   NULL, &locked_citizen_setting, "", PGC_SUSET,
							   GUC_NOT_IN_SAMPLE | GUC_DISALLOW_IN_FILE,
							   NULL, NULL, NULL);
	DefineCustomBoolVariable("ticket.reprice_pending",
							 "Whether a rule change waits for the bookings to be re-priced (set by the extension only).",
							 NULL, &reprice_pending_setting, false, PGC_SUSET,
							 GUC_NOT_IN_SAMPLE | GUC_DISALLOW_IN_FILE,
							 NULL, NULL, NULL);
	DefineCustomBoolVariable("ticket.replica_pending",
							 "Whether replicated registry changes wait for this ASL node's bookings to be re-priced (set by the extension only).",
							 NULL, &replica_pending_setting, false, PGC_SUSET,
							 GUC_NOT_IN_SAMPLE | GUC_DISALLOW_IN_FILE,
							 NULL, NULL, NULL);
	MarkGUCPrefixReserved("ticket");
}

/*
 * The fmgr symbols below keep the names the released scripts give them:
 * an ABI, not subject to the ticket_ prefix (ticket.c says why).
 */
PG_FUNCTION_INFO_V1(ticket_acting_role);

/* ticket.acting_role() RETURNS name: the outer user, not the definer. */
Datum
ticket_acting_role(PG_FUNCTION_ARGS)
{
	Name		result = (Name) palloc0(NAMEDATALEN);

	namestrcpy(result, GetUserNameFromId(GetOuterUserId(), false));
	PG_RETURN_NAME(result);
}

PG_FUNCTION_INFO_V1(ticket_acting_superuser);

/*
 * ticket.acting_superuser() RETURNS boolean: whether the outer user is a
 * superuser.  The triggers' WHEN clauses call it for every row, so that a
 * superuser's batch never enters the PL/pgSQL checks; a syscache lookup.
 */
Datum
ticket_acting_superuser(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(superuser_arg(GetOuterUserId()));
}
