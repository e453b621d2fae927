/*
 * booking_insert.c
 *		cup.booking_before_insert: a CUP booking priced when it is made.
 *
 * A booking starts as booked (TK013) with no bill or payment written by
 * hand (428C9); it must name an existing prescription (23503) of its
 * patient (22023), on or after the prescription date (22023); it takes the
 * patient's lock (a living, registered patient: 23503, TK010); it is priced
 * with the rules and the registry as of the service date, the ASL defaults
 * to the patient's residence, and the outbox gets its 'booked' event.
 *
 * In C because this is the busiest path of all: the prescription and the
 * patient are read through their indexes, the lock is one kept statement
 * (and none at all when the transaction holds it already, having written
 * the prescription), the bill is the C engine's; the event is the one other
 * statement.  Updates (moves, payments, cancellations) are
 * cup.booking_before_update's (PL/pgSQL).  A NULL prescription or service
 * date is left to its NOT NULL constraint.
 */
#include "ticket_compat.h"

#include "catalog_names.h"
#include "citizen_lock.h"
#include "messages.h"
#include "own_queries.h"
#include "pricing.h"
#include "registry_status.h"
#include "row_lookup.h"
#include "ticket_errcodes.h"
#include "trigger_contract.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_type_d.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#define TRIGGER_NAME "cup.booking_before_insert"

static TriggerContract contract = {
	TRIGGER_NAME, TC_TABLES(TICKET_BOOKING_TABLE_NAME), TC_FIRINGS(TC_BEFORE | TC_ROW | TC_INSERT)
};

/* The prescription a booking names, as the booking needs it. */
typedef struct Prescription
{
	Datum		patient;		/* fiscal code, copied */
	DateADT		prescribed_on;
	ArrayType  *services;
} Prescription;

static bool
read_prescription(Datum nre, Oid fiscal_code_type, Prescription *out)
{
	Relation	heap = ticket_open_for_reading(&ticket_table_prescription, TRIGGER_NAME);
	Relation	index = ticket_open_index(&ticket_index_prescription_pkey, heap);
	const AttrNumber *attnum = ticket_columns(heap, &ticket_table_prescription);
	TupleTableSlot *slot = table_slot_create(heap, NULL);
	bool		found = ticket_fetch_by_key(heap, index, attnum[PRESCRIPTION_NRE], nre, slot);

	if (found)
	{
		bool		isnull;
		Datum		patient = slot_getattr(slot, attnum[PRESCRIPTION_FISCAL_CODE], &isnull);
		int16		typlen;
		bool		typbyval;

		get_typlenbyval(fiscal_code_type, &typlen, &typbyval);
		out->patient = datumCopy(patient, typbyval, typlen);
		out->prescribed_on = DatumGetDateADT(slot_getattr(slot, attnum[PRESCRIPTION_PRESCRIBED_ON],
														  &isnull));
		out->services = DatumGetArrayTypePCopy(slot_getattr(slot, attnum[PRESCRIPTION_SERVICES],
															&isnull));
	}
	ExecDropSingleTupleTableSlot(slot);
	ticket_close_for_reading(heap, index);
	return found;
}

/* ticket.exemption, the type of the bill's field "exemption". */
static Oid
exemption_field_type(TupleDesc bill)
{
	for (int a = 0; a < bill->natts; a++)
		if (strcmp(NameStr(TupleDescAttr(bill, a)->attname), "exemption") == 0)
			return TupleDescAttr(bill, a)->atttypid;
	elog(ERROR, "ticket.bill has no field \"exemption\"");
	return InvalidOid;			/* keep the compiler quiet */
}

static bool
same_citizen(Datum a, Datum b, Oid fiscal_code_type)
{
	TypeCacheEntry *type = lookup_type_cache(fiscal_code_type, TYPECACHE_EQ_OPR_FINFO);

	if (!OidIsValid(type->eq_opr_finfo.fn_oid))
		elog(ERROR, "ticket.fiscal_code has no equality operator");
	return DatumGetBool(FunctionCall2(&type->eq_opr_finfo, a, b));
}

/* The outbox event of a new booking (ticket.event; its trigger notifies). */
static void
write_booked_event(const Datum *value, const bool *isnull, Oid fiscal_code_type)
{
	static SPIPlanPtr plan = NULL;
	static Oid	plan_type = InvalidOid;
	HeapTupleHeader bill = DatumGetHeapTupleHeader(value[BOOKING_BILL]);
	Datum		args[7];
	char		nulls[7];
	bool		field_null;

	args[0] = value[BOOKING_BOOKING_ID];
	nulls[0] = isnull[BOOKING_BOOKING_ID] ? 'n' : ' ';
	args[1] = value[BOOKING_FISCAL_CODE];
	args[2] = value[BOOKING_NRE];
	args[3] = value[BOOKING_SERVICE_DATE];
	args[4] = value[BOOKING_ASL_CODE];
	nulls[1] = nulls[2] = nulls[3] = nulls[4] = ' ';
	args[5] = GetAttributeByName(bill, "total", &field_null);
	nulls[5] = field_null ? 'n' : ' ';
	args[6] = GetAttributeByName(bill, "regime", &field_null);
	nulls[6] = field_null ? 'n' : ' ';

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	{
		Oid			types[7] = {INT8OID, fiscal_code_type, TEXTOID, DATEOID, TEXTOID, NUMERICOID, TEXTOID};

		ticket_kept_plan(&plan, &plan_type, fiscal_code_type, &ticket_sql_insert_booked_event,
						 7, types);
	}
	if (SPI_execute_plan(plan, args, nulls, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "inserting the booking's event failed");
	SPI_finish();
}

/*
 * The fmgr symbols below keep the names the released scripts give them:
 * an ABI, not subject to the ticket_ prefix (ticket.c says why).
 */
PG_FUNCTION_INFO_V1(cup_booking_before_insert);
Datum
cup_booking_before_insert(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = ticket_trigger_contract_check(fcinfo, &contract);
	Relation	rel = trigdata->tg_relation;
	TupleDesc	desc = RelationGetDescr(rel);
	HeapTuple	tuple = trigdata->tg_trigtuple;
	int			attnum[BOOKING_NCOLUMNS];
	Datum		value[BOOKING_NCOLUMNS];
	bool		isnull[BOOKING_NCOLUMNS];
	Oid			fiscal_code_type;
	Oid			bill_type;
	DateADT		service_date;
	Prescription prescription;
	bool		found;
	bool		fast = false;
	RegistryCitizen patient;
	Datum		band;
	bool		band_null;
	ArrayType  *exemptions;
	TupleDesc	bill_desc;
	int			replace_cols[4];
	Datum		replace_values[4];
	bool		replace_nulls[4] = {false, false, false, false};

	ticket_row_columns(rel, tuple, &ticket_table_booking, attnum, value, isnull);
	fiscal_code_type = TupleDescAttr(desc, attnum[BOOKING_FISCAL_CODE] - 1)->atttypid;
	bill_type = TupleDescAttr(desc, attnum[BOOKING_BILL] - 1)->atttypid;

	if (!isnull[BOOKING_STATUS] && strcmp(TextDatumGetCString(value[BOOKING_STATUS]), "booked") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_TICKET_BOOKING_STATUS),
				 errmsg("a booking starts as booked, not %s", ticket_quote(TextDatumGetCString(value[BOOKING_STATUS]))),
				 errhint("Book it, then pay it with cup.pay.")));
	if (!isnull[BOOKING_BILL] || !isnull[BOOKING_PAID_AMOUNT] || !isnull[BOOKING_PAID_AT])
		ereport(ERROR,
				(errcode(ERRCODE_GENERATED_ALWAYS),
				 errmsg("the bill and the payment of a booking are filled in by CUP"),
				 errhint("Leave bill and paid_* out of the INSERT.")));
	if (isnull[BOOKING_NRE] || isnull[BOOKING_SERVICE_DATE])
		return PointerGetDatum(tuple);
	service_date = DatumGetDateADT(value[BOOKING_SERVICE_DATE]);

	/*
	 * The prescription and the patient, then the patient's lock; anything
	 * amiss falls to the checks below, which say what.
	 */
	ticket_push_statement_snapshot();
	found = read_prescription(value[BOOKING_NRE], fiscal_code_type, &prescription);
	if (found &&
		(isnull[BOOKING_FISCAL_CODE] || same_citizen(value[BOOKING_FISCAL_CODE], prescription.patient,
												 fiscal_code_type)) &&
		service_date >= prescription.prescribed_on &&
		ticket_registry_citizen_row(prescription.patient, &patient, NULL, TRIGGER_NAME) &&
		(!patient.dead || patient.death_date > service_date))
		fast = ticket_citizen_lock_take(prescription.patient, fiscal_code_type);
	PopActiveSnapshot();

	if (!fast)
	{
		char	   *nre = ticket_quote(TextDatumGetCString(value[BOOKING_NRE]));

		if (!found)
			ereport(ERROR,
					(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
					 errmsg("prescription %s does not exist", nre)));
		if (!isnull[BOOKING_FISCAL_CODE] &&
			!same_citizen(value[BOOKING_FISCAL_CODE], prescription.patient, fiscal_code_type))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("prescription %s is for %s, not %s", nre,
							ticket_output(prescription.patient, fiscal_code_type),
							ticket_output(value[BOOKING_FISCAL_CODE], fiscal_code_type))));
		if (service_date < prescription.prescribed_on)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("booking on %s of prescription %s written on %s: a service cannot precede its prescription",
							ticket_date_text(service_date), nre, ticket_date_text(prescription.prescribed_on))));
		/* raises 23503 or TK010, or creates the missing lock row */
		ticket_citizen_lock_in_full(prescription.patient, fiscal_code_type, value[BOOKING_SERVICE_DATE],
									false, "booking");
		ticket_push_statement_snapshot();
		if (!ticket_registry_citizen_row(prescription.patient, &patient, NULL, TRIGGER_NAME))
			elog(ERROR, "citizen %s vanished after registry.lock_citizen_in_full",
				 ticket_output(prescription.patient, fiscal_code_type));
		PopActiveSnapshot();
	}

	/* The bill, with the registry as of the service date, read after the lock. */
	bill_desc = lookup_rowtype_tupdesc(bill_type, -1);
	ticket_push_statement_snapshot();
	ticket_registry_citizen_status(prescription.patient, service_date, exemption_field_type(bill_desc),
							&band, &band_null, &exemptions);
	PopActiveSnapshot();
	if (!band_null && !ticket_band_charged_on(&band, service_date))
		band_null = true;
	value[BOOKING_BILL] = ticket_price_codes_bill(prescription.services, band, band_null, exemptions,
											  service_date, bill_desc);
	ReleaseTupleDesc(bill_desc);
	isnull[BOOKING_BILL] = false;
	value[BOOKING_FISCAL_CODE] = prescription.patient;
	isnull[BOOKING_FISCAL_CODE] = false;
	if (isnull[BOOKING_ASL_CODE])
	{
		value[BOOKING_ASL_CODE] = CStringGetTextDatum(patient.residence_asl);
		isnull[BOOKING_ASL_CODE] = false;
	}
	value[BOOKING_PRICED_AT] = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());

	write_booked_event(value, isnull, fiscal_code_type);

	replace_cols[0] = attnum[BOOKING_FISCAL_CODE];
	replace_values[0] = value[BOOKING_FISCAL_CODE];
	replace_cols[1] = attnum[BOOKING_ASL_CODE];
	replace_values[1] = value[BOOKING_ASL_CODE];
	replace_cols[2] = attnum[BOOKING_BILL];
	replace_values[2] = value[BOOKING_BILL];
	replace_cols[3] = attnum[BOOKING_PRICED_AT];
	replace_values[3] = value[BOOKING_PRICED_AT];
	return PointerGetDatum(heap_modify_tuple_by_cols(tuple, desc, 4, replace_cols, replace_values,
													 replace_nulls));
}
