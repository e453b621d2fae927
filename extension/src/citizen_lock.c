/*
 * citizen_lock.c
 *		Taking a citizen's lock row (registry.citizen_lock) from C, as
 *		registry.lock_citizen does: every write about a citizen updates the
 *		row first, so such writes are serialised and a REPEATABLE READ race
 *		is a serialization failure.
 *
 * A transaction takes a citizen's lock once: the setting
 * ticket.locked_citizen (transaction-local, undone with a rolled-back
 * savepoint like the row update itself) remembers whose it holds.  The
 * update is a prepared statement kept for the backend; the unusual cases
 * (no lock row yet, an unknown or deceased citizen) go to
 * registry.lock_citizen_in_full (PL/pgSQL), which creates the row or raises
 * the error.  registry.lock_citizen itself is ticket_lock_citizen below:
 * the PL/pgSQL row triggers of declarations, grants and bookings take the
 * lock through it, 669,000 times in a 50,000-citizen replay, where the
 * PL/pgSQL version took 29 us a call (issue 19).
 */
#include "ticket_compat.h"

#include "catalog_names.h"
#include "citizen_lock.h"
#include "own_queries.h"
#include "registry_status.h"
#include "row_lookup.h"

#include "catalog/pg_type_d.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/snapmgr.h"

#define LOCKED_CITIZEN_SETTING "ticket.locked_citizen"

bool
ticket_citizen_lock_take(Datum citizen, Oid fiscal_code_type)
{
	static SPIPlanPtr plan = NULL;
	static Oid	plan_type = InvalidOid;
	char	   *code = ticket_output(citizen, fiscal_code_type);
	const char *held = GetConfigOption(LOCKED_CITIZEN_SETTING, true, false);
	bool		locked;

	if (held != NULL && strcmp(held, code) == 0)
		return true;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	ticket_kept_plan(&plan, &plan_type, fiscal_code_type, &ticket_sql_take_citizen_lock,
					 1, &fiscal_code_type);
	if (SPI_execute_plan(plan, &citizen, NULL, false, 0) != SPI_OK_UPDATE)
		elog(ERROR, "updating registry.citizen_lock failed");
	locked = SPI_processed > 0;
	SPI_finish();
	if (locked)
		(void) set_config_option(LOCKED_CITIZEN_SETTING, code, PGC_SUSET, PGC_S_SESSION,
								 GUC_ACTION_LOCAL, true, 0, false);
	return locked;
}

/*
 * registry.lock_citizen_in_full(citizen, on_date, what), which creates the
 * lock row or raises 23503 or TK010: its result, a registry.citizen value
 * copied out of SPI.
 */
static Datum
lock_in_full(Oid fiscal_code_type, Datum *values, const bool *isnull, bool *result_null)
{
	static SPIPlanPtr plan = NULL;
	static Oid	plan_type = InvalidOid;
	Oid			argtypes[3] = {fiscal_code_type, DATEOID, TEXTOID};
	char		nulls[3];
	Datum		result;

	for (int i = 0; i < 3; i++)
		nulls[i] = isnull[i] ? 'n' : ' ';
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	ticket_kept_plan(&plan, &plan_type, fiscal_code_type, &ticket_sql_lock_citizen_in_full,
					 3, argtypes);
	if (SPI_execute_plan(plan, values, nulls, false, 0) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "registry.lock_citizen_in_full failed");
	result = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, result_null);
	if (!*result_null)
		result = SPI_datumTransfer(result, false, -1);
	SPI_finish();
	return result;
}

void
ticket_citizen_lock_in_full(Datum citizen, Oid fiscal_code_type, Datum on_date, bool on_date_null,
							const char *what)
{
	Datum		values[3] = {citizen, on_date, CStringGetTextDatum(what)};
	bool		isnull[3] = {false, on_date_null, false};
	bool		result_null;

	(void) lock_in_full(fiscal_code_type, values, isnull, &result_null);
}

/*
 * SQL: registry.lock_citizen(citizen fiscal_code, on_date date, what text)
 * RETURNS registry.citizen, not STRICT, as the PL/pgSQL function it
 * replaces (1.3): a NULL citizen gets lock_citizen_in_full's 23503, a NULL
 * on_date refuses no death.  The lock first, then the citizen's row as the
 * lock leaves it; a citizen without a lock row, unknown, or dead on on_date
 * goes the full way, which creates the row or raises 23503 or TK010 in the
 * caller's words (what).
 */
PG_FUNCTION_INFO_V1(ticket_lock_citizen);
Datum
ticket_lock_citizen(PG_FUNCTION_ARGS)
{
	Oid			fiscal_code_type = get_fn_expr_argtype(fcinfo->flinfo, 0);
	Datum		values[3];
	bool		isnull[3];
	bool		result_null;
	Datum		result;

	if (!OidIsValid(fiscal_code_type))
		elog(ERROR, "registry.lock_citizen called without its argument types");
	if (!PG_ARGISNULL(0) && ticket_citizen_lock_take(PG_GETARG_DATUM(0), fiscal_code_type))
	{
		RegistryCitizen patient;
		Datum		record = (Datum) 0;
		bool		found;

		ticket_push_statement_snapshot();
		found = ticket_registry_citizen_row(PG_GETARG_DATUM(0), &patient, &record, "registry.lock_citizen");
		PopActiveSnapshot();
		if (found && (!patient.dead || PG_ARGISNULL(1) || patient.death_date > PG_GETARG_DATEADT(1)))
			PG_RETURN_DATUM(record);
	}
	for (int i = 0; i < 3; i++)
	{
		isnull[i] = PG_ARGISNULL(i);
		values[i] = isnull[i] ? (Datum) 0 : PG_GETARG_DATUM(i);
	}
	result = lock_in_full(fiscal_code_type, values, isnull, &result_null);
	if (result_null)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(result);
}
