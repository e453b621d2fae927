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
 * registry.lock_citizen, which creates the row or raises the error.
 */
#include "ticket_compat.h"

#include "catalog_names.h"
#include "citizen_lock.h"
#include "own_queries.h"
#include "row_lookup.h"

#include "catalog/pg_type_d.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/guc.h"

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

void
ticket_citizen_lock_by_function(Datum citizen, Oid fiscal_code_type, Datum on_date, bool on_date_null,
						 const char *what)
{
	static SPIPlanPtr plan = NULL;
	static Oid	plan_type = InvalidOid;
	Oid			argtypes[3] = {fiscal_code_type, DATEOID, TEXTOID};
	Datum		values[3] = {citizen, on_date, CStringGetTextDatum(what)};
	char		nulls[3] = {' ', on_date_null ? 'n' : ' ', ' '};

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	ticket_kept_plan(&plan, &plan_type, fiscal_code_type, &ticket_sql_lock_citizen_by_function,
					 3, argtypes);
	if (SPI_execute_plan(plan, values, nulls, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "registry.lock_citizen failed");
	SPI_finish();
}
