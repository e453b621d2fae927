/*
 * transition_pairs.c
 *		An UPDATE's old and new transition rows paired by position, for the
 *		statement triggers that compare them (ticket.audit_update).
 *
 * PostgreSQL appends an UPDATE's old and new transition rows together, one
 * pair per updated row (AfterTriggerSaveEvent), so the i-th old row and the
 * i-th new row are the two versions of one row.  Pairing them by position
 * costs one pass over both tuplestores; the join on the key that it
 * replaces sorted or hashed both sides, whole rows, on disk for large
 * statements (a regime's enactment: a million bookings, issue 19).  The
 * position is trusted only when it is proven: the same number of rows on
 * both sides and, pair by pair, the same key, byte for byte (the key is
 * unique: equal keys at every position are exactly the pairs the join
 * would make).  Otherwise, as when an UPDATE changes a key, the caller
 * joins.  Byte-for-byte comparison runs no operator of the table's types:
 * equal bytes are equal values; different bytes may still be equal values
 * (numeric 1.0 and 1.00), which the caller's own comparison decides.
 */
#include "ticket_compat.h"

#include "access/tupdesc.h"
#include "catalog/pg_type_d.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "utils/datum.h"
#include "utils/memutils.h"
#include "utils/queryenvironment.h"
#include "utils/rel.h"

#include "transition_pairs.h"

TupleDesc
ticket_pairs_desc(Relation relation)
{
	TupleDesc	desc = CreateTemplateTupleDesc(3);

	TupleDescInitEntry(desc, 1, "o", relation->rd_rel->reltype, -1, 0);
	TupleDescInitEntry(desc, 2, "n", relation->rd_rel->reltype, -1, 0);
	TupleDescInitEntry(desc, 3, "same", BOOLOID, -1, 0);
	return desc;
}

static bool
same_value(Form_pg_attribute att, Datum a, bool a_null, Datum b, bool b_null)
{
	if (a_null || b_null)
		return a_null && b_null;
	return datumIsEqual(a, b, att->attbyval, att->attlen);
}

bool
ticket_pair_by_position(TriggerData *trigdata, const AttrNumber *keys, int nkeys,
						const AttrNumber *watched, int nwatched,
						Tuplestorestate *pairs, TupleDesc pairs_desc)
{
	Tuplestorestate *olds = trigdata->tg_oldtable;
	Tuplestorestate *news = trigdata->tg_newtable;
	TupleDesc	desc = RelationGetDescr(trigdata->tg_relation);
	TupleTableSlot *old_slot;
	TupleTableSlot *new_slot;
	MemoryContext row_context;
	MemoryContext caller_context = CurrentMemoryContext;
	bool		paired = true;

	if (olds == NULL || news == NULL || nkeys < 1 ||
		tuplestore_tuple_count(olds) != tuplestore_tuple_count(news))
		return false;

	/* Own read pointers: the tuplestores are shared with the other triggers. */
	tuplestore_select_read_pointer(olds, tuplestore_alloc_read_pointer(olds, EXEC_FLAG_REWIND));
	tuplestore_rescan(olds);
	tuplestore_select_read_pointer(news, tuplestore_alloc_read_pointer(news, EXEC_FLAG_REWIND));
	tuplestore_rescan(news);

	old_slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	new_slot = MakeSingleTupleTableSlot(desc, &TTSOpsMinimalTuple);
	row_context = AllocSetContextCreate(CurrentMemoryContext, "ticket transition pair",
										ALLOCSET_DEFAULT_SIZES);
	for (;;)
	{
		bool		have_old = tuplestore_gettupleslot(olds, true, false, old_slot);
		bool		have_new = tuplestore_gettupleslot(news, true, false, new_slot);
		bool		changed = false;

		CHECK_FOR_INTERRUPTS();
		if (!have_old || !have_new)
		{
			paired = (have_old == have_new);
			break;
		}
		slot_getallattrs(old_slot);
		slot_getallattrs(new_slot);
		for (int k = 0; k < nkeys && paired; k++)
		{
			int			i = keys[k] - 1;

			paired = !old_slot->tts_isnull[i] && !new_slot->tts_isnull[i] &&
				same_value(TupleDescAttr(desc, i), old_slot->tts_values[i], false,
						   new_slot->tts_values[i], false);
		}
		if (!paired)
			break;
		for (int i = 0; i < desc->natts && !changed; i++)
			if (!TupleDescAttr(desc, i)->attisdropped)
				changed = !same_value(TupleDescAttr(desc, i), old_slot->tts_values[i], old_slot->tts_isnull[i],
									  new_slot->tts_values[i], new_slot->tts_isnull[i]);
		if (changed)
		{
			Datum		values[3];
			bool		nulls[3] = {false, false, false};
			bool		same = nwatched > 0;

			for (int w = 0; w < nwatched && same; w++)
			{
				int			i = watched[w] - 1;

				same = same_value(TupleDescAttr(desc, i), old_slot->tts_values[i], old_slot->tts_isnull[i],
								  new_slot->tts_values[i], new_slot->tts_isnull[i]);
			}
			values[2] = BoolGetDatum(same);

			MemoryContextSwitchTo(row_context);
			/* Composite datums, toasted values inlined: rows of their own. */
			values[0] = ExecFetchSlotHeapTupleDatum(old_slot);
			values[1] = ExecFetchSlotHeapTupleDatum(new_slot);
			MemoryContextSwitchTo(caller_context);
			tuplestore_putvalues(pairs, pairs_desc, values, nulls);
			MemoryContextReset(row_context);
		}
	}
	MemoryContextDelete(row_context);
	ExecDropSingleTupleTableSlot(old_slot);
	ExecDropSingleTupleTableSlot(new_slot);
	return paired;
}

void
ticket_register_pairs(const char *name, Tuplestorestate *pairs, TupleDesc pairs_desc)
{
	EphemeralNamedRelation enr = palloc0(sizeof(EphemeralNamedRelationData));

	enr->md.name = pstrdup(name);
	enr->md.reliddesc = InvalidOid;
	enr->md.tupdesc = pairs_desc;
	enr->md.enrtype = ENR_NAMED_TUPLESTORE;
	enr->md.enrtuples = tuplestore_tuple_count(pairs);
	enr->reldata = pairs;
	if (SPI_register_relation(enr) != SPI_OK_REL_REGISTER)
		elog(ERROR, "registering the paired rows as %s failed", name);
}
