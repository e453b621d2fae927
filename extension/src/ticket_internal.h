/*
 * ticket_internal.h
 *		Declarations shared between the fmgr glue files; not installed.
 */
#ifndef TICKET_INTERNAL_H
#define TICKET_INTERNAL_H

#include "ticket_compat.h"
#include "fmgr.h"
#include "access/genam.h"
#include "access/htup.h"
#include "access/tupdesc.h"
#include "executor/tuptable.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/date.h"
#include "utils/relcache.h"

#include "fiscal_code_core.h"
#include "short_code.h"
#include "exemption_core.h"

/*
 * The schema the extension lives in: fixed, because ticket.control says
 * relocatable = false.  C code that runs queries names it explicitly.
 */
#define TICKET_SCHEMA "ticket"

/*
 * PG_GETARG_TEXT_PP without its function call when the value is already
 * plain or short-header, which is nearly always: validation is a hot path.
 */
static inline text *
ticket_text_arg_pp(Datum datum)
{
	struct varlena *value = (struct varlena *) DatumGetPointer(datum);

	if (VARATT_IS_EXTERNAL(value) || VARATT_IS_COMPRESSED(value))
		return (text *) pg_detoast_datum_packed(value);
	return (text *) value;
}

/*
 * rules_cache.c: run the extension's own queries with search_path pinned to
 * pg_catalog, pg_temp; pass the returned level to the unpin call.
 */
extern int	ticket_pin_search_path(void);
extern void ticket_unpin_search_path(int nest_level);

/*
 * The reasons of the input functions are data as well as messages:
 * fiscal_code_error(), income_band_error() and exemption_error() return
 * them in English, a stable output for applications, while the errors of
 * the input functions give them in the session's language (lc_messages).
 * The functions that build a reason take `translate' and pass every English
 * text, marked with gettext_noop() for make update-po, through ticket_text.
 */
static inline const char *ticket_text(bool translate, const char *msgid) pg_attribute_format_arg(2);

static inline const char *
ticket_text(bool translate, const char *msgid)
{
	return translate ? _(msgid) : msgid;
}

/* fiscal_code_type.c: the sentence that explains a cf_error. */
extern void ticket_fiscal_code_reason(const cf_error *err, StringInfo buf, bool translate);

/* fiscal_code_type.c: raise 22P02 for invalid fiscal-code input (len bytes). */
extern void ticket_fiscal_code_report_error(const char *input, size_t len, const cf_error *err) pg_attribute_noreturn();

/*
 * ticket.income_band and ticket.exemption: two 4-byte types with one
 * storage (short_code.h) and one set of I/O functions, in
 * income_band_type.c.  Each type describes itself with a ShortCodeType and
 * its fmgr functions only pass that description on (SHORT_CODE_FUNCTION).
 */
typedef struct ShortCodeType
{
	const char *name;			/* in internal errors (elog) */

	/*
	 * The messages, English, marked with gettext_noop(): errmsg() translates
	 * the first two; the reasons go through ticket_text.
	 */
	const char *invalid;		/* errmsg: invalid NAME "%s": %s (input, reason) */
	const char *invalid_binary; /* errmsg: invalid binary NAME: %d bytes, 1 to %d */
	const char *empty;			/* reason for an empty input */
	const char *too_long;		/* reason for more than 6 characters */

	/* Validate raw input (not NUL-terminated); store the packed code. */
	bool		(*parse) (const char *input, size_t len, uint32 *packed);

	/*
	 * For an input parse refused: append the reason to buf (translated or
	 * English, see ticket_text) and set *hint, translated (NULL when there is
	 * none).  The one place each type builds its messages; the lexical ones
	 * come from ticket_short_code_reason.
	 */
	void		(*explain) (const char *input, size_t len, StringInfo buf,
							const char **hint, bool translate);
} ShortCodeType;

/* income_band_type.c: the sentence for a lexical error of either type. */
extern void ticket_short_code_reason(const ShortCodeType *type,
							  const sc_error *err, StringInfo buf, bool translate);

/* income_band_type.c: the shared bodies of both types' fmgr functions. */
extern Datum ticket_short_code_in(const ShortCodeType *type, FunctionCallInfo fcinfo);
extern Datum ticket_short_code_out(const ShortCodeType *type, FunctionCallInfo fcinfo);
extern Datum ticket_short_code_recv(const ShortCodeType *type, FunctionCallInfo fcinfo);
extern Datum ticket_short_code_send(const ShortCodeType *type, FunctionCallInfo fcinfo);
extern Datum ticket_short_code_from_text(const ShortCodeType *type, FunctionCallInfo fcinfo);
extern Datum ticket_short_code_to_text(const ShortCodeType *type, FunctionCallInfo fcinfo);
extern Datum ticket_short_code_is_valid(const ShortCodeType *type, FunctionCallInfo fcinfo);
extern Datum ticket_short_code_error(const ShortCodeType *type, FunctionCallInfo fcinfo);

/*
 * income_band_type.c: the code of a stored value, NUL-terminated in out;
 * returns its length.  A value no code packs to is an internal error.
 */
extern size_t ticket_short_code_text(const ShortCodeType *type, Datum value,
							  char out[SHORT_CODE_MAX_LEN + 1]);

/* An fmgr function NAME of a short-code type: HELPER(TYPE, fcinfo). */
#define SHORT_CODE_FUNCTION(name, helper, type) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	return helper((type), fcinfo); \
}

/*
 * name_transliteration.c: the letters A–Z of a surname or given name,
 * transliterated with the Ministry of the Interior table (circ. 1/2008),
 * as a palloc'd NUL-terminated string.  `field' says which name it is, for
 * the error (22023) about a letter the table does not cover.
 */
typedef enum TicketNameField
{
	TICKET_NAME_ANY,			/* ticket.transliterate_name: "name" */
	TICKET_NAME_SURNAME,
	TICKET_NAME_GIVEN_NAME
} TicketNameField;

extern char *ticket_transliterated_name(const char *name, int len, TicketNameField field);

/*
 * messages.c: an input as an error may quote it: at most max_chars
 * characters (never part of one), anything not printable or not valid in
 * the database encoding as \xHH, "..." appended when cut.  A message
 * quotes at most TICKET_QUOTE_MESSAGE characters, a detail or a hint
 * TICKET_QUOTE_DETAIL: the input may be megabytes, the log line must not.
 */
#define TICKET_QUOTE_MESSAGE 40
#define TICKET_QUOTE_DETAIL 200
extern char *ticket_quote_input(const char *input, size_t len, int max_chars);

/* A NUL-terminated input as an error message quotes it. */
static inline char *
ticket_quote(const char *input)
{
	return ticket_quote_input(input, strlen(input), TICKET_QUOTE_MESSAGE);
}

/* access.c: the settings only the extension writes (called by _PG_init). */
extern void ticket_define_settings(void);

/*
 * row_lookup.c: the extension's tables read without the executor, as the
 * current role, the owner in the SECURITY DEFINER callers (SELECT checked;
 * tables under row-level security refused, naming `reader' in the error).
 */
extern Relation ticket_open_for_reading(const char *schema, const char *name, const char *reader);
extern Relation ticket_open_index(const char *schema, const char *name);
extern void ticket_close_for_reading(Relation heap, Relation index);

/*
 * The columns a C reader reads of a table, each with the type it reads it
 * as: "text", "int8[]" (pg_catalog) or "ticket.fiscal_code".  A datum is
 * only ever read as its column's type: a column missing is 42703, of
 * another type 42804.  Resolved once per relation (attnum[] below) and
 * resolved again after a relcache invalidation of it.  One static
 * TicketColumns per reader: TICKET_COLUMNS(array of TicketColumn).
 */
typedef struct TicketColumn
{
	const char *name;
	const char *type;
} TicketColumn;

#define TICKET_MAX_COLUMNS 16

typedef struct TicketColumns
{
	const TicketColumn *columns;
	int			ncolumns;
	/* the relation attnum[] holds, InvalidOid when not (yet) resolved */
	Oid			relid;
	AttrNumber	attnum[TICKET_MAX_COLUMNS];
	bool		registered;
	struct TicketColumns *next;
} TicketColumns;

#define TICKET_COLUMNS(columns) {(columns), lengthof(columns)}

/* The attribute numbers of the columns in rel, types checked. */
extern const AttrNumber *ticket_columns(Relation rel, TicketColumns *columns);
/*
 * That index column `column' (1-based) is the heap's column attnum, one of
 * the caller's checked columns, so that a key of that column's type is a
 * key of the index (55000 otherwise).
 */
extern void ticket_check_index_column(Relation index, int column, AttrNumber attnum);
/*
 * An index scan whose keys[0] (filled in here) is "first column = key", the
 * first column being the heap's column key_attnum (checked).
 */
extern IndexScanDesc ticket_begin_key_scan(Relation heap, Relation index, AttrNumber key_attnum,
										   Datum key, ScanKey keys, int nkeys);
/* The first row whose first index column (key_attnum) equals key, deformed into slot. */
extern bool ticket_fetch_by_key(Relation heap, Relation index, AttrNumber key_attnum, Datum key,
								TupleTableSlot *slot);
/* Push the snapshot the next statement of a VOLATILE function would get. */
extern void ticket_push_statement_snapshot(void);
/* The columns of a trigger's row: attribute numbers and values, types checked. */
extern void ticket_row_columns(Relation rel, HeapTuple tuple, TicketColumns *columns,
							   int *attnum, Datum *value, bool *isnull);
/* A date as text (DateStyle), for messages. */
extern char *ticket_date_text(DateADT day);
/* A value as text (its type's output function), for messages. */
extern char *ticket_output(Datum value, Oid type);
/*
 * A statement prepared once and kept for the backend, prepared again when
 * the OID of the type it depends on changed (the extension re-created).
 * Call between SPI_connect and SPI_finish.
 */
struct _SPI_plan;
extern struct _SPI_plan *ticket_kept_plan(struct _SPI_plan **plan, Oid *prepared_for, Oid depends_on,
										  const char *sql, int nargs, Oid *argtypes);

/* SQLSTATEs the network's C triggers raise (the manual lists them all). */
#define ERRCODE_TICKET_BOOKING_STATUS	MAKE_SQLSTATE('T','K','0','1','3')
#define ERRCODE_TICKET_GP_CEASED		MAKE_SQLSTATE('T','K','0','1','7')

/* registry_status.c: what the registry says of a citizen. */
typedef struct RegistryCitizen
{
	bool		dead;
	DateADT		death_date;		/* when dead */
	char	   *residence_asl;
} RegistryCitizen;

extern void ticket_registry_citizen_status(Datum citizen, DateADT on_date, Oid exemption_type,
									Datum *band, bool *band_null, ArrayType **exemptions);
extern bool ticket_registry_citizen_row(Datum citizen, RegistryCitizen *row, const char *reader);
extern bool ticket_registry_gp_ceased_on(Datum gp_code, DateADT *ceased_on, const char *reader);

/* pricing.c: ticket.price(codes, ...) and ticket.effective_band for C callers. */
extern Datum ticket_price_codes_bill(ArrayType *codes, Datum band, bool band_null,
									 ArrayType *exemptions, DateADT on_date, TupleDesc bill_type);
extern bool ticket_band_charged_on(Datum band, DateADT on_date);

/* prescription_rules.c: ticket.prescription_max_wait (NULL pointer = NULL). */
extern bool ticket_prescription_wait_days(text *nre, text *priority, ArrayType *services,
								  const DateADT *on_date, int32 *max_wait);

/*
 * citizen_lock.c: registry.lock_citizen for C callers.  ticket_citizen_lock_take
 * takes the lock of a citizen known to be registered and alive: false when
 * the citizen has no lock row yet; ticket_citizen_lock_by_function calls
 * registry.lock_citizen itself (which creates the row or raises 23503 and
 * TK010).
 */
extern bool ticket_citizen_lock_take(Datum citizen, Oid fiscal_code_type);
extern void ticket_citizen_lock_by_function(Datum citizen, Oid fiscal_code_type, Datum on_date,
									 bool on_date_null, const char *what);

#endif							/* TICKET_INTERNAL_H */
