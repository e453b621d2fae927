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
#include "ticket_internal.h"
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

enum
{
	COL_BOOKING_ID, COL_NRE, COL_FISCAL_CODE, COL_ASL_CODE, COL_SERVICE_DATE, COL_STATUS,
	COL_BILL, COL_PRICED_AT, COL_PAID_AMOUNT, COL_PAID_AT, NCOLS
};

static const TicketColumn booking_column_list[NCOLS] = {
	{"booking_id", "int8"}, {"nre", "text"}, {"fiscal_code", "ticket.fiscal_code"},
	{"asl_code", "text"}, {"service_date", "date"}, {"status", "text"},
	{"bill", "ticket.bill"}, {"priced_at", "timestamptz"}, {"paid_amount", "numeric"},
	{"paid_at", "timestamptz"}
};
static TicketColumns booking_columns = TICKET_COLUMNS(booking_column_list);

/* What the booking reads of its prescription (fse.prescription). */
enum
{
	PRESCRIPTION_NRE, PRESCRIPTION_FISCAL_CODE, PRESCRIPTION_PRESCRIBED_ON, PRESCRIPTION_SERVICES
};
static const TicketColumn prescription_column_list[] = {
	{"nre", "text"}, {"fiscal_code", "ticket.fiscal_code"}, {"prescribed_on", "date"},
	{"services", "text[]"}
};
static TicketColumns prescription_columns = TICKET_COLUMNS(prescription_column_list);

static TriggerContract contract = {
	TRIGGER_NAME, TC_TABLES("cup.booking"), TC_FIRINGS(TC_BEFORE | TC_ROW | TC_INSERT)
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
	Relation	heap = ticket_open_for_reading("fse", "prescription", TRIGGER_NAME);
	Relation	index = ticket_open_index("fse", "prescription_pkey");
	const AttrNumber *attnum = ticket_columns(heap, &prescription_columns);
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
	HeapTupleHeader bill = DatumGetHeapTupleHeader(value[COL_BILL]);
	Datum		args[7];
	char		nulls[7];
	bool		field_null;

	args[0] = value[COL_BOOKING_ID];
	nulls[0] = isnull[COL_BOOKING_ID] ? 'n' : ' ';
	args[1] = value[COL_FISCAL_CODE];
	args[2] = value[COL_NRE];
	args[3] = value[COL_SERVICE_DATE];
	args[4] = value[COL_ASL_CODE];
	nulls[1] = nulls[2] = nulls[3] = nulls[4] = ' ';
	args[5] = GetAttributeByName(bill, "total", &field_null);
	nulls[5] = field_null ? 'n' : ' ';
	args[6] = GetAttributeByName(bill, "regime", &field_null);
	nulls[6] = field_null ? 'n' : ' ';

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	{
		Oid			types[7] = {INT8OID, fiscal_code_type, TEXTOID, DATEOID, TEXTOID, NUMERICOID, TEXTOID};

		ticket_kept_plan(&plan, &plan_type, fiscal_code_type,
						 "INSERT INTO ticket.event (kind, subject, fiscal_code, payload)"
						 " VALUES ('booked', $1::pg_catalog.text, $2,"
						 " pg_catalog.jsonb_build_object('nre', $3, 'service_date', $4, 'asl', $5,"
						 " 'amount', $6, 'regime', $7))", 7, types);
	}
	if (SPI_execute_plan(plan, args, nulls, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "inserting the booking's event failed");
	SPI_finish();
}

PG_FUNCTION_INFO_V1(cup_booking_before_insert);
Datum
cup_booking_before_insert(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = ticket_trigger_contract_check(fcinfo, &contract);
	Relation	rel = trigdata->tg_relation;
	TupleDesc	desc = RelationGetDescr(rel);
	HeapTuple	tuple = trigdata->tg_trigtuple;
	int			attnum[NCOLS];
	Datum		value[NCOLS];
	bool		isnull[NCOLS];
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

	ticket_row_columns(rel, tuple, &booking_columns, attnum, value, isnull);
	fiscal_code_type = TupleDescAttr(desc, attnum[COL_FISCAL_CODE] - 1)->atttypid;
	bill_type = TupleDescAttr(desc, attnum[COL_BILL] - 1)->atttypid;

	if (!isnull[COL_STATUS] && strcmp(TextDatumGetCString(value[COL_STATUS]), "booked") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_TICKET_BOOKING_STATUS),
				 errmsg("a booking starts as booked, not %s", ticket_quote(TextDatumGetCString(value[COL_STATUS]))),
				 errhint("Book it, then pay it with cup.pay.")));
	if (!isnull[COL_BILL] || !isnull[COL_PAID_AMOUNT] || !isnull[COL_PAID_AT])
		ereport(ERROR,
				(errcode(ERRCODE_GENERATED_ALWAYS),
				 errmsg("the bill and the payment of a booking are filled in by CUP"),
				 errhint("Leave bill and paid_* out of the INSERT.")));
	if (isnull[COL_NRE] || isnull[COL_SERVICE_DATE])
		return PointerGetDatum(tuple);
	service_date = DatumGetDateADT(value[COL_SERVICE_DATE]);

	/*
	 * The prescription and the patient, then the patient's lock; anything
	 * amiss falls to the checks below, which say what.
	 */
	ticket_push_statement_snapshot();
	found = read_prescription(value[COL_NRE], fiscal_code_type, &prescription);
	if (found &&
		(isnull[COL_FISCAL_CODE] || same_citizen(value[COL_FISCAL_CODE], prescription.patient,
												 fiscal_code_type)) &&
		service_date >= prescription.prescribed_on &&
		ticket_registry_citizen_row(prescription.patient, &patient, TRIGGER_NAME) &&
		(!patient.dead || patient.death_date > service_date))
		fast = ticket_citizen_lock_take(prescription.patient, fiscal_code_type);
	PopActiveSnapshot();

	if (!fast)
	{
		char	   *nre = ticket_quote(TextDatumGetCString(value[COL_NRE]));

		if (!found)
			ereport(ERROR,
					(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
					 errmsg("prescription %s does not exist", nre)));
		if (!isnull[COL_FISCAL_CODE] &&
			!same_citizen(value[COL_FISCAL_CODE], prescription.patient, fiscal_code_type))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("prescription %s is for %s, not %s", nre,
							ticket_output(prescription.patient, fiscal_code_type),
							ticket_output(value[COL_FISCAL_CODE], fiscal_code_type))));
		if (service_date < prescription.prescribed_on)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("booking on %s of prescription %s written on %s: a service cannot precede its prescription",
							ticket_date_text(service_date), nre, ticket_date_text(prescription.prescribed_on))));
		/* raises 23503 or TK010, or creates the missing lock row */
		ticket_citizen_lock_by_function(prescription.patient, fiscal_code_type, value[COL_SERVICE_DATE],
								 false, "booking");
		ticket_push_statement_snapshot();
		if (!ticket_registry_citizen_row(prescription.patient, &patient, TRIGGER_NAME))
			elog(ERROR, "citizen %s vanished after registry.lock_citizen",
				 ticket_output(prescription.patient, fiscal_code_type));
		PopActiveSnapshot();
	}

	/* The bill, with the registry as of the service date, read after the lock. */
	bill_desc = lookup_rowtype_tupdesc(bill_type, -1);
	ticket_push_statement_snapshot();
	ticket_registry_citizen_status(prescription.patient, service_date, exemption_field_type(bill_desc),
							&band, &band_null, &exemptions);
	PopActiveSnapshot();
	if (!band_null && !ticket_band_charged_on(band, service_date))
		band_null = true;
	value[COL_BILL] = ticket_price_codes_bill(prescription.services, band, band_null, exemptions,
											  service_date, bill_desc);
	ReleaseTupleDesc(bill_desc);
	isnull[COL_BILL] = false;
	value[COL_FISCAL_CODE] = prescription.patient;
	isnull[COL_FISCAL_CODE] = false;
	if (isnull[COL_ASL_CODE])
	{
		value[COL_ASL_CODE] = CStringGetTextDatum(patient.residence_asl);
		isnull[COL_ASL_CODE] = false;
	}
	value[COL_PRICED_AT] = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());

	write_booked_event(value, isnull, fiscal_code_type);

	replace_cols[0] = attnum[COL_FISCAL_CODE];
	replace_values[0] = value[COL_FISCAL_CODE];
	replace_cols[1] = attnum[COL_ASL_CODE];
	replace_values[1] = value[COL_ASL_CODE];
	replace_cols[2] = attnum[COL_BILL];
	replace_values[2] = value[COL_BILL];
	replace_cols[3] = attnum[COL_PRICED_AT];
	replace_values[3] = value[COL_PRICED_AT];
	return PointerGetDatum(heap_modify_tuple_by_cols(tuple, desc, 4, replace_cols, replace_values,
													 replace_nulls));
}
