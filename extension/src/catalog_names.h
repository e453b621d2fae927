/*
 * catalog_names.h
 *		Every table, column, index and statement the C code reaches by name,
 *		in one place (catalog_names.c), each checked against the catalog
 *		when first used.
 *
 * A table is described with the columns the C code reads or writes of it,
 * each with the type it reads it as ("text", "int8[]" for pg_catalog
 * types, "ticket.fiscal_code"); an index with the table it indexes and its
 * leading key columns; a statement run through SPI with its SQL text and
 * the tables it reaches.  A column missing is 42703, of another type
 * 42804, an index missing 42704 and an index on other columns 55000: a
 * table altered by hand, or a look-alike a trigger was attached to, is an
 * error that says what, never a datum of one type taken for another.  The
 * checks run once per relation and again after a relcache invalidation of
 * it (row_lookup.c), so a hot path pays an OID comparison.
 */
#ifndef TICKET_CATALOG_NAMES_H
#define TICKET_CATALOG_NAMES_H

#include "ticket_compat.h"
#include "access/attnum.h"

/*
 * The schema the extension lives in: fixed, because ticket.control says
 * relocatable = false.  C code that runs queries names it explicitly.
 */
#define TICKET_SCHEMA "ticket"

typedef struct TicketColumn
{
	const char *name;
	const char *type;
} TicketColumn;

#define TICKET_MAX_COLUMNS 20

typedef struct TicketTable
{
	const char *schema;
	const char *name;			/* NULL: a column set several tables share */
	const TicketColumn *columns;
	int			ncolumns;
	/* the relation attnum[] holds, InvalidOid when not (yet) resolved */
	Oid			relid;
	AttrNumber	attnum[TICKET_MAX_COLUMNS];
	bool		registered;
	struct TicketTable *next;
} TicketTable;

#define TICKET_TABLE(schema, name, columns) {(schema), (name), (columns), lengthof(columns)}

#define TICKET_MAX_INDEX_KEYS 2

typedef struct TicketIndex
{
	TicketTable *table;			/* the table it indexes, in whose schema it is */
	const char *name;
	int			nkeys;
	const char *keys[TICKET_MAX_INDEX_KEYS];	/* its leading key columns, in order */
	/* the index and table OIDs checked, InvalidOid when not (yet) checked */
	Oid			checked;
	Oid			checked_table;
	bool		registered;
	struct TicketIndex *next;
} TicketIndex;

#define TICKET_MAX_STATEMENT_TABLES 2

/* An SQL text run through SPI, with the tables whose columns it names. */
typedef struct TicketStatement
{
	const char *sql;
	TicketTable *tables[TICKET_MAX_STATEMENT_TABLES];	/* NULL-padded */
} TicketStatement;

/* registry.declaration and its index on (fiscal_code, applies_from) */
enum
{
	DECLARATION_FISCAL_CODE, DECLARATION_APPLIES_FROM, DECLARATION_BAND, DECLARATION_VALID_UNTIL
};
extern TicketTable ticket_table_declaration;
extern TicketIndex ticket_index_declaration_citizen;

/* registry.exemption_grant and its index on fiscal_code */
enum
{
	GRANT_FISCAL_CODE, GRANT_EXEMPTION, GRANT_EFFECTIVE
};
extern TicketTable ticket_table_exemption_grant;
extern TicketIndex ticket_index_exemption_grant_citizen;

/* registry.citizen and its primary key */
enum
{
	CITIZEN_FISCAL_CODE, CITIZEN_DEATH_DATE, CITIZEN_RESIDENCE_ASL, CITIZEN_BIRTH_DATE
};
extern TicketTable ticket_table_citizen;
extern TicketIndex ticket_index_citizen_pkey;

/* registry.gp and its primary key */
enum
{
	GP_GP_CODE, GP_CEASED_ON
};
extern TicketTable ticket_table_gp;
extern TicketIndex ticket_index_gp_pkey;

/* registry.citizen_lock, updated by ticket_sql_take_citizen_lock */
enum
{
	CITIZEN_LOCK_FISCAL_CODE, CITIZEN_LOCK_REVISION
};
extern TicketTable ticket_table_citizen_lock;

/* fse.prescription: its INSERT trigger's row, and what a booking reads */
enum
{
	PRESCRIPTION_NRE, PRESCRIPTION_FISCAL_CODE, PRESCRIPTION_GP_CODE, PRESCRIPTION_PRESCRIBED_ON,
	PRESCRIPTION_PRIORITY, PRESCRIPTION_MAX_WAIT_DAYS, PRESCRIPTION_SERVICES, PRESCRIPTION_BAND,
	PRESCRIPTION_EXEMPTIONS, PRESCRIPTION_NCOLUMNS
};
extern TicketTable ticket_table_prescription;
extern TicketIndex ticket_index_prescription_pkey;

/* cup.booking: its INSERT trigger's row */
enum
{
	BOOKING_BOOKING_ID, BOOKING_NRE, BOOKING_FISCAL_CODE, BOOKING_ASL_CODE, BOOKING_SERVICE_DATE,
	BOOKING_STATUS, BOOKING_BILL, BOOKING_PRICED_AT, BOOKING_PAID_AMOUNT, BOOKING_PAID_AT,
	BOOKING_NCOLUMNS
};
extern TicketTable ticket_table_booking;

/* ticket.event: the outbox; the notify trigger reads event_id */
enum
{
	EVENT_EVENT_ID, EVENT_KIND, EVENT_SUBJECT, EVENT_FISCAL_CODE, EVENT_PAYLOAD
};
extern TicketTable ticket_table_event;

/* The column "shipped" of every rule table and registry.asl (rules_cache.c's trigger). */
extern TicketTable ticket_table_shipped_rows;

/* The tables the C triggers are written for, as their contracts name them (trigger_contract.h). */
#define TICKET_BOOKING_TABLE_NAME "cup.booking"
#define TICKET_PRESCRIPTION_TABLE_NAME "fse.prescription"
#define TICKET_EVENT_TABLE_NAME "ticket.event"
#define TICKET_ASL_TABLE_NAME "registry.asl"
/* The working-day calendar and the missed-appointment rule: shipped rows, not compiled. */
#define TICKET_CALENDAR_TABLE_NAMES "ticket.public_holiday", "ticket.missed_appointment_rule"

/* The rule tables rules_cache.c compiles, and ticket.birthplace. */
#define TICKET_RULE_TABLE_NAMES "ticket.regime", "ticket.regime_band", "ticket.exemption_rule", \
	"ticket.exemption_scope", "ticket.service", "ticket.nre_region", "ticket.priority_class", \
	"ticket.exemption_catalogue"
extern TicketTable ticket_table_regime;
extern TicketTable ticket_table_regime_band;
extern TicketTable ticket_table_exemption_rule;
extern TicketTable ticket_table_exemption_scope;
extern TicketTable ticket_table_exemption_catalogue;
extern TicketTable ticket_table_service;
extern TicketTable ticket_table_nre_region;
extern TicketTable ticket_table_priority_class;
extern TicketTable ticket_table_birthplace;

/* The statements, each named for what it does (catalog_names.c has the SQL). */
extern const TicketStatement ticket_sql_insert_booked_event;		/* $1..$7 */
extern const TicketStatement ticket_sql_take_citizen_lock;		/* $1 fiscal code */
extern const TicketStatement ticket_sql_lock_citizen_in_full;	/* $1..$3 */
extern const TicketStatement ticket_sql_band_for_income;	/* $1 regime, $2 income */
extern const TicketStatement ticket_sql_birthplace_ceased;	/* $1 code, $2 date */
extern const TicketStatement ticket_sql_load_regimes;
extern const TicketStatement ticket_sql_overlapping_bands;
extern const TicketStatement ticket_sql_load_bands;
extern const TicketStatement ticket_sql_load_exemption_rules;
extern const TicketStatement ticket_sql_load_exemption_catalogue;
extern const TicketStatement ticket_sql_load_scope;
extern const TicketStatement ticket_sql_load_services;
extern const TicketStatement ticket_sql_load_nre_regions;
extern const TicketStatement ticket_sql_load_priorities;

#endif							/* TICKET_CATALOG_NAMES_H */
