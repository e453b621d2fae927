/*
 * prescription_insert.c
 *		fse.prescription_before_insert: what a GP's prescription gets from
 *		the database when it is written.
 *
 * It first normalises the NRE (trimmed, upper case) and refuses one that is
 * not 15 characters, three digits then 12 of [0-9A-Z] (22P02, core/
 * nre_core.c), refuses boxes written by hand (428C9), checks the NRE's
 * region and the priority and fills in the longest wait (prescription_rules.c), takes the
 * patient's lock (a living, registered patient: 23503, TK010), refuses a GP
 * who has ceased practising (TK017), fills the band and exemption boxes
 * from the registry as of the prescription date, and validates the services
 * the way the bill will (TK001-TK003, TK006).
 *
 * In C because every prescription runs it: the registry is read through its
 * indexes (registry_status.c) and the lock is one kept statement
 * (citizen_lock.c).  Updates are fse.prescription_before_update's
 * (PL/pgSQL): a prescription is a signed document.  A NULL in a required
 * column is left to its NOT NULL constraint.
 */
#include "ticket_compat.h"

#include "catalog_names.h"
#include "citizen_lock.h"
#include "messages.h"
#include "prescription_rules.h"
#include "pricing.h"
#include "registry_status.h"
#include "row_lookup.h"
#include "ticket_errcodes.h"
#include "trigger_contract.h"

#include "access/htup_details.h"
#include "commands/trigger.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "nre_core.h"

#define TRIGGER_NAME "fse.prescription_before_insert"

static TriggerContract contract = {
	TRIGGER_NAME, TC_TABLES(TICKET_PRESCRIPTION_TABLE_NAME), TC_FIRINGS(TC_BEFORE | TC_ROW | TC_INSERT)
};

/*
 * What is wrong with an NRE ticket_nre_parse refused, as one sentence in the
 * session's language (the errdetail).  Positions count characters after
 * the surrounding blanks.
 */
static void
nre_reason(const nre_error *err, StringInfo buf)
{
	switch (err->status)
	{
		case NRE_OK:
			break;
		case NRE_ERR_EMPTY:
			appendStringInfoString(buf, _("the NRE is empty"));
			break;
		case NRE_ERR_NON_ASCII:
			appendStringInfo(buf, _("character %d is not an ASCII letter or digit"), err->position);
			break;
		case NRE_ERR_INNER_SPACE:
			appendStringInfo(buf, _("inner spaces are not allowed (position %d)"), err->position);
			break;
		case NRE_ERR_BAD_CHARACTER:
			if (err->ch > ' ' && err->ch < 0x7f)
				appendStringInfo(buf, _("'%c' at position %d is not a letter or digit"),
								 err->ch, err->position);
			else
				appendStringInfo(buf, _("control character 0x%02X at position %d is not a letter or digit"),
								 (unsigned int) (unsigned char) err->ch, err->position);
			break;
		case NRE_ERR_LENGTH:
			if (err->value >= NRE_MAX_SHOWN_LENGTH)
				appendStringInfoString(buf, _("an NRE has 15 characters, not thousands"));
			else
				appendStringInfo(buf, _("an NRE has 15 characters, not %d"), err->value);
			break;
		case NRE_ERR_REGION_NOT_DIGIT:
			appendStringInfo(buf, _("'%c' at position %d is not a digit: the first three characters are the region code"),
							 err->ch, err->position);
			break;
	}
}

/*
 * NEW.nre in canonical form (core/nre_core.c), or 22P02 saying what is
 * wrong with it.
 */
static text *
prescription_nre(Datum nre_datum)
{
	text	   *nre = DatumGetTextPP(nre_datum);
	char		canonical[NRE_LEN + 1];
	nre_error	err;

	if (ticket_nre_parse(VARDATA_ANY(nre), VARSIZE_ANY_EXHDR(nre), canonical, NULL, &err) != NRE_OK)
	{
		StringInfoData reason;

		initStringInfo(&reason);
		nre_reason(&err, &reason);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid NRE \"%s\"",
						ticket_quote_input(VARDATA_ANY(nre), VARSIZE_ANY_EXHDR(nre), TICKET_QUOTE_MESSAGE)),
				 errdetail("%s", reason.data),
				 errhint("An NRE has 15 characters: the three-digit code of the issuing region (080 = Emilia-Romagna), then 12 digits or letters.")));
	}
	return cstring_to_text_with_len(canonical, NRE_LEN);
}

/*
 * The fmgr symbols below keep the names the released scripts give them:
 * an ABI, not subject to the ticket_ prefix (ticket.c says why).
 */
PG_FUNCTION_INFO_V1(fse_prescription_before_insert);
Datum
fse_prescription_before_insert(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = ticket_trigger_contract_check(fcinfo, &contract);
	Relation	rel = trigdata->tg_relation;
	TupleDesc	desc = RelationGetDescr(rel);
	HeapTuple	tuple = trigdata->tg_trigtuple;
	int			attnum[PRESCRIPTION_NCOLUMNS];
	Datum		value[PRESCRIPTION_NCOLUMNS];
	bool		isnull[PRESCRIPTION_NCOLUMNS];
	Oid			fiscal_code_type;
	Oid			exemption_type;
	DateADT		prescribed_on;
	int32		max_wait;
	bool		has_wait;
	RegistryCitizen patient;
	DateADT		ceased_on;
	Datum		band;
	bool		band_null;
	bool		has_boxes;
	ArrayType  *exemptions;
	int			replace_cols[4];
	Datum		replace_values[4];
	bool		replace_nulls[4];
	int			nreplace = 0;

	ticket_row_columns(rel, tuple, &ticket_table_prescription, attnum, value, isnull);

	/* The NRE first: every message below names it in canonical form. */
	if (!isnull[PRESCRIPTION_NRE])
	{
		value[PRESCRIPTION_NRE] = PointerGetDatum(prescription_nre(value[PRESCRIPTION_NRE]));
		replace_cols[nreplace] = attnum[PRESCRIPTION_NRE];
		replace_values[nreplace] = value[PRESCRIPTION_NRE];
		replace_nulls[nreplace++] = false;
	}
	fiscal_code_type = TupleDescAttr(desc, attnum[PRESCRIPTION_FISCAL_CODE] - 1)->atttypid;
	exemption_type = get_element_type(TupleDescAttr(desc, attnum[PRESCRIPTION_EXEMPTIONS] - 1)->atttypid);
	prescribed_on = isnull[PRESCRIPTION_PRESCRIBED_ON] ? 0 : DatumGetDateADT(value[PRESCRIPTION_PRESCRIBED_ON]);

	if (!isnull[PRESCRIPTION_BAND] || !isnull[PRESCRIPTION_MAX_WAIT_DAYS] ||
		(!isnull[PRESCRIPTION_EXEMPTIONS] &&
		 ArrayGetNItems(ARR_NDIM(DatumGetArrayTypeP(value[PRESCRIPTION_EXEMPTIONS])),
						ARR_DIMS(DatumGetArrayTypeP(value[PRESCRIPTION_EXEMPTIONS]))) > 0))
		ereport(ERROR,
				(errcode(ERRCODE_GENERATED_ALWAYS),
				 errmsg("the band and exemption boxes of prescription %s are filled from the registry",
						isnull[PRESCRIPTION_NRE] ? "<NULL>" : TextDatumGetCString(value[PRESCRIPTION_NRE])),
				 errhint("Leave band, exemptions and max_wait_days out of the INSERT.")));

	/* Region, priority and the longest wait, from the compiled rules. */
	has_wait = ticket_prescription_wait_days(isnull[PRESCRIPTION_NRE] ? NULL : DatumGetTextPP(value[PRESCRIPTION_NRE]),
									 isnull[PRESCRIPTION_PRIORITY] ? NULL : DatumGetTextPP(value[PRESCRIPTION_PRIORITY]),
									 isnull[PRESCRIPTION_SERVICES] ? NULL : DatumGetArrayTypeP(value[PRESCRIPTION_SERVICES]),
									 isnull[PRESCRIPTION_PRESCRIBED_ON] ? NULL : &prescribed_on, &max_wait);

	has_boxes = !isnull[PRESCRIPTION_FISCAL_CODE] && !isnull[PRESCRIPTION_PRESCRIBED_ON] && !isnull[PRESCRIPTION_GP_CODE] &&
		!isnull[PRESCRIPTION_SERVICES];
	if (has_boxes)
	{
		Datum		patient_code = value[PRESCRIPTION_FISCAL_CODE];

		/*
		 * The patient's lock: the kept UPDATE for a living patient with a
		 * lock row; registry.lock_citizen_in_full otherwise, which creates
		 * the row or says what is wrong.
		 */
		ticket_push_statement_snapshot();
		if (!(ticket_registry_citizen_row(patient_code, &patient, NULL, TRIGGER_NAME) &&
			  (!patient.dead || patient.death_date > prescribed_on) &&
			  ticket_citizen_lock_take(patient_code, fiscal_code_type)))
			ticket_citizen_lock_in_full(patient_code, fiscal_code_type, value[PRESCRIPTION_PRESCRIBED_ON],
										false, "prescription");
		if (ticket_registry_gp_ceased_on(value[PRESCRIPTION_GP_CODE], &ceased_on, TRIGGER_NAME) &&
			ceased_on <= prescribed_on)
			ereport(ERROR,
					(errcode(ERRCODE_TICKET_GP_CEASED),
					 errmsg("GP %s ceased practising on %s: no prescription on %s",
							TextDatumGetCString(value[PRESCRIPTION_GP_CODE]), ticket_date_text(ceased_on),
							ticket_date_text(prescribed_on))));
		PopActiveSnapshot();

		/* The boxes: read after the lock, which protects them. */
		ticket_push_statement_snapshot();
		ticket_registry_citizen_status(patient_code, prescribed_on, exemption_type, &band, &band_null,
								&exemptions);
		PopActiveSnapshot();
		if (!band_null && !ticket_band_charged_on(&band, prescribed_on))
			band_null = true;

		/* The services must price as the bill will (no bill is kept). */
		(void) ticket_price_codes_bill(DatumGetArrayTypeP(value[PRESCRIPTION_SERVICES]), band, band_null,
									   exemptions, prescribed_on, NULL);
	}

	replace_cols[nreplace] = attnum[PRESCRIPTION_MAX_WAIT_DAYS];
	replace_values[nreplace] = Int32GetDatum(max_wait);
	replace_nulls[nreplace++] = !has_wait;
	if (has_boxes)
	{
		replace_cols[nreplace] = attnum[PRESCRIPTION_BAND];
		replace_values[nreplace] = band;
		replace_nulls[nreplace++] = band_null;
		replace_cols[nreplace] = attnum[PRESCRIPTION_EXEMPTIONS];
		replace_values[nreplace] = PointerGetDatum(exemptions);
		replace_nulls[nreplace++] = false;
	}
	return PointerGetDatum(heap_modify_tuple_by_cols(tuple, desc, nreplace, replace_cols, replace_values,
													 replace_nulls));
}
