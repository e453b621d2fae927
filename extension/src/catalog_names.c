/*
 * catalog_names.c
 *		The tables, columns, indexes and SQL texts the C code reaches by
 *		name (catalog_names.h says how each is checked).  A rename in
 *		extension/sql is made here too, and nowhere else in C.
 */
#include "ticket_compat.h"

#include "catalog_names.h"

/* ---------- the registry, read by ticket.citizen_status and the triggers ---------- */

static const TicketColumn declaration_columns[] = {
	[DECLARATION_FISCAL_CODE] = {"fiscal_code", "ticket.fiscal_code"},
	[DECLARATION_APPLIES_FROM] = {"applies_from", "date"},
	[DECLARATION_BAND] = {"band", "ticket.income_band"},
	[DECLARATION_VALID_UNTIL] = {"valid_until", "date"}
};
TicketTable ticket_table_declaration = TICKET_TABLE("registry", "declaration", declaration_columns);
TicketIndex ticket_index_declaration_citizen = {
	&ticket_table_declaration, "declaration_citizen_idx", 2, {"fiscal_code", "applies_from"}
};

static const TicketColumn exemption_grant_columns[] = {
	[GRANT_FISCAL_CODE] = {"fiscal_code", "ticket.fiscal_code"},
	[GRANT_EXEMPTION] = {"exemption", "ticket.exemption"},
	[GRANT_EFFECTIVE] = {"effective", "daterange"}
};
TicketTable ticket_table_exemption_grant = TICKET_TABLE("registry", "exemption_grant", exemption_grant_columns);
TicketIndex ticket_index_exemption_grant_citizen = {
	&ticket_table_exemption_grant, "exemption_grant_citizen_idx", 1, {"fiscal_code"}
};

static const TicketColumn citizen_columns[] = {
	[CITIZEN_FISCAL_CODE] = {"fiscal_code", "ticket.fiscal_code"},
	[CITIZEN_DEATH_DATE] = {"death_date", "date"},
	[CITIZEN_RESIDENCE_ASL] = {"residence_asl", "text"},
	[CITIZEN_BIRTH_DATE] = {"birth_date", "date"}
};
TicketTable ticket_table_citizen = TICKET_TABLE("registry", "citizen", citizen_columns);
TicketIndex ticket_index_citizen_pkey = {&ticket_table_citizen, "citizen_pkey", 1, {"fiscal_code"}};

static const TicketColumn gp_columns[] = {
	[GP_GP_CODE] = {"gp_code", "text"},
	[GP_CEASED_ON] = {"ceased_on", "date"}
};
TicketTable ticket_table_gp = TICKET_TABLE("registry", "gp", gp_columns);
TicketIndex ticket_index_gp_pkey = {&ticket_table_gp, "gp_pkey", 1, {"gp_code"}};

static const TicketColumn citizen_lock_columns[] = {
	[CITIZEN_LOCK_FISCAL_CODE] = {"fiscal_code", "ticket.fiscal_code"},
	[CITIZEN_LOCK_REVISION] = {"revision", "int8"}
};
TicketTable ticket_table_citizen_lock = TICKET_TABLE("registry", "citizen_lock", citizen_lock_columns);

/* ---------- the FSE, CUP and the outbox ---------- */

static const TicketColumn prescription_columns[PRESCRIPTION_NCOLUMNS] = {
	[PRESCRIPTION_NRE] = {"nre", "text"},
	[PRESCRIPTION_FISCAL_CODE] = {"fiscal_code", "ticket.fiscal_code"},
	[PRESCRIPTION_GP_CODE] = {"gp_code", "text"},
	[PRESCRIPTION_PRESCRIBED_ON] = {"prescribed_on", "date"},
	[PRESCRIPTION_PRIORITY] = {"priority", "text"},
	[PRESCRIPTION_MAX_WAIT_DAYS] = {"max_wait_days", "int4"},
	[PRESCRIPTION_SERVICES] = {"services", "text[]"},
	[PRESCRIPTION_BAND] = {"band", "ticket.income_band"},
	[PRESCRIPTION_EXEMPTIONS] = {"exemptions", "ticket.exemption[]"}
};
TicketTable ticket_table_prescription = TICKET_TABLE("fse", "prescription", prescription_columns);
TicketIndex ticket_index_prescription_pkey = {&ticket_table_prescription, "prescription_pkey", 1, {"nre"}};

static const TicketColumn booking_columns[BOOKING_NCOLUMNS] = {
	[BOOKING_BOOKING_ID] = {"booking_id", "int8"},
	[BOOKING_NRE] = {"nre", "text"},
	[BOOKING_FISCAL_CODE] = {"fiscal_code", "ticket.fiscal_code"},
	[BOOKING_ASL_CODE] = {"asl_code", "text"},
	[BOOKING_SERVICE_DATE] = {"service_date", "date"},
	[BOOKING_STATUS] = {"status", "text"},
	[BOOKING_BILL] = {"bill", "ticket.bill"},
	[BOOKING_PRICED_AT] = {"priced_at", "timestamptz"},
	[BOOKING_PAID_AMOUNT] = {"paid_amount", "numeric"},
	[BOOKING_PAID_AT] = {"paid_at", "timestamptz"}
};
TicketTable ticket_table_booking = TICKET_TABLE("cup", "booking", booking_columns);

static const TicketColumn event_columns[] = {
	[EVENT_EVENT_ID] = {"event_id", "int8"},
	[EVENT_KIND] = {"kind", "text"},
	[EVENT_SUBJECT] = {"subject", "text"},
	[EVENT_FISCAL_CODE] = {"fiscal_code", "ticket.fiscal_code"},
	[EVENT_PAYLOAD] = {"payload", "jsonb"}
};
TicketTable ticket_table_event = TICKET_TABLE("ticket", "event", event_columns);

const TicketStatement ticket_sql_insert_booked_event = {
	"INSERT INTO ticket.event (kind, subject, fiscal_code, payload)"
	" VALUES ('booked', $1::pg_catalog.text, $2,"
	" pg_catalog.jsonb_build_object('nre', $3, 'service_date', $4, 'asl', $5,"
	" 'amount', $6, 'regime', $7))",
	{&ticket_table_event}
};

const TicketStatement ticket_sql_take_citizen_lock = {
	"UPDATE registry.citizen_lock SET revision = revision OPERATOR(pg_catalog.+) 1"
	" WHERE fiscal_code OPERATOR(ticket.=) $1",
	{&ticket_table_citizen_lock}
};

/* registry.lock_citizen_in_full creates the lock row or raises 23503, TK010 */
const TicketStatement ticket_sql_lock_citizen_in_full = {
	"SELECT registry.lock_citizen_in_full($1, $2, $3)", {NULL}
};

/* ---------- the rules (rules_cache.c, pricing.c) and the birthplaces ---------- */

static const TicketColumn shipped_columns[] = {{"shipped", "bool"}};
TicketTable ticket_table_shipped_rows = TICKET_TABLE(TICKET_SCHEMA, NULL, shipped_columns);

static const TicketColumn regime_columns[] = {
	{"regime_id", "text"}, {"effective_from", "date"}, {"legal_reference", "text"},
	{"default_band", "ticket.income_band"}, {"specialist_cap", "numeric"},
	{"quota_threshold", "numeric"}, {"quota", "numeric"}, {"ct_mri", "numeric"},
	{"first_visit", "numeric"}, {"control_visit", "numeric"}, {"ambulatory_surgery", "numeric"},
	{"surgery_fixed_codes", "text[]"}, {"drug_per_pack", "numeric"}, {"drug_cap", "numeric"},
	{"er_access", "numeric"}, {"er_chargeable_codes", "text[]"}, {"max_items", "int4"},
	{"status", "text"}, {"er_consultation", "numeric"}, {"er_exam_cap", "numeric"},
	{"not_substitutable_spares_brand_difference", "bool"}
};
TicketTable ticket_table_regime = TICKET_TABLE(TICKET_SCHEMA, "regime", regime_columns);

static const TicketColumn regime_band_columns[] = {
	{"regime_id", "text"}, {"band", "ticket.income_band"}, {"income_range", "numrange"},
	{"quota", "numeric"}, {"ct_mri", "numeric"}, {"drug_per_pack", "numeric"}, {"drug_cap", "numeric"},
	{"replaces", "ticket.income_band[]"}
};
TicketTable ticket_table_regime_band = TICKET_TABLE(TICKET_SCHEMA, "regime_band", regime_band_columns);

static const TicketColumn exemption_rule_columns[] = {
	{"regime_id", "text"}, {"exemption", "ticket.exemption"}, {"family", "text"},
	{"coverage", "text"}, {"spares_band_quota", "bool"}, {"spares_drugs", "bool"},
	{"spares_er", "bool"}, {"covers_all_drugs", "bool"}, {"max_age", "int4"},
	{"spares_brand_difference", "bool"}
};
TicketTable ticket_table_exemption_rule = TICKET_TABLE(TICKET_SCHEMA, "exemption_rule", exemption_rule_columns);

static const TicketColumn exemption_scope_columns[] = {
	{"exemption", "ticket.exemption"}, {"service_code", "text"}
};
TicketTable ticket_table_exemption_scope = TICKET_TABLE(TICKET_SCHEMA, "exemption_scope", exemption_scope_columns);

static const TicketColumn exemption_catalogue_columns[] = {
	{"code_pattern", "text"}, {"family", "text"}, {"valid", "daterange"}
};
TicketTable ticket_table_exemption_catalogue = TICKET_TABLE(TICKET_SCHEMA, "exemption_catalogue", exemption_catalogue_columns);

static const TicketColumn service_columns[] = {
	{"code", "text"}, {"effective_from", "date"}, {"branch", "text"}, {"kind", "text"},
	{"tariff", "numeric"}, {"withdrawn", "bool"}
};
TicketTable ticket_table_service = TICKET_TABLE(TICKET_SCHEMA, "service", service_columns);

static const TicketColumn nre_region_columns[] = {{"region_code", "text"}};
TicketTable ticket_table_nre_region = TICKET_TABLE(TICKET_SCHEMA, "nre_region", nre_region_columns);

static const TicketColumn priority_class_columns[] = {
	{"priority", "text"}, {"max_wait_visit", "int4"}, {"max_wait_exam", "int4"}
};
TicketTable ticket_table_priority_class = TICKET_TABLE(TICKET_SCHEMA, "priority_class", priority_class_columns);

static const TicketColumn birthplace_columns[] = {{"code", "text"}, {"valid", "daterange"}};
TicketTable ticket_table_birthplace = TICKET_TABLE(TICKET_SCHEMA, "birthplace", birthplace_columns);

/* Cents of a numeric(8,2) column, in SQL, so that no float is involved. */
#define CENTS(col) "(" col " * 100)::int8"

const TicketStatement ticket_sql_load_regimes = {
	"SELECT regime_id, effective_from - date '2000-01-01', legal_reference,"
	" default_band::text, " CENTS("specialist_cap") ", " CENTS("quota_threshold") ","
	" " CENTS("quota") ", " CENTS("ct_mri") ", " CENTS("first_visit") ","
	" " CENTS("control_visit") ", " CENTS("ambulatory_surgery") ", surgery_fixed_codes,"
	" " CENTS("drug_per_pack") ", " CENTS("drug_cap") ", " CENTS("er_access") ","
	" er_chargeable_codes, max_items, status = 'draft',"
	" " CENTS("er_consultation") ", " CENTS("er_exam_cap") ","
	" not_substitutable_spares_brand_difference"
	" FROM " TICKET_SCHEMA ".regime ORDER BY status = 'draft', effective_from",
	{&ticket_table_regime}
};

/* Enacted regimes first: their overlaps are errors, a draft's a note. */
const TicketStatement ticket_sql_overlapping_bands = {
	"SELECT a.regime_id, a.band::text, b.band::text, r.status = 'draft'"
	" FROM " TICKET_SCHEMA ".regime_band a"
	" JOIN " TICKET_SCHEMA ".regime_band b ON a.regime_id = b.regime_id"
	" AND a.band OPERATOR(" TICKET_SCHEMA ".<) b.band"
	" AND a.income_range && b.income_range"
	" JOIN " TICKET_SCHEMA ".regime r ON r.regime_id = a.regime_id"
	" ORDER BY r.status = 'draft', a.regime_id, a.band, b.band",
	{&ticket_table_regime_band, &ticket_table_regime}
};

const TicketStatement ticket_sql_load_bands = {
	"SELECT regime_id, band::text, " CENTS("quota") ", " CENTS("ct_mri") ","
	" " CENTS("drug_per_pack") ", " CENTS("drug_cap") ", replaces::text[]"
	" FROM " TICKET_SCHEMA ".regime_band ORDER BY regime_id, band",
	{&ticket_table_regime_band}
};

const TicketStatement ticket_sql_load_exemption_rules = {
	"SELECT regime_id, exemption::text, family, coverage, spares_band_quota,"
	" spares_drugs, spares_er, covers_all_drugs, max_age, spares_brand_difference"
	" FROM " TICKET_SCHEMA ".exemption_rule ORDER BY regime_id",
	{&ticket_table_exemption_rule}
};

/* Infinite bounds come back NULL (lower_inf/upper_inf): open there. */
const TicketStatement ticket_sql_load_exemption_catalogue = {
	"SELECT code_pattern, family,"
	" (pg_catalog.lower(valid) - date '2000-01-01')::int8,"
	" (pg_catalog.upper(valid) - date '2000-01-01')::int8,"
	" pg_catalog.lower_inc(valid), pg_catalog.upper_inc(valid)"
	" FROM " TICKET_SCHEMA ".exemption_catalogue ORDER BY code_pattern COLLATE \"C\", pg_catalog.lower(valid) NULLS FIRST",
	{&ticket_table_exemption_catalogue}
};

const TicketStatement ticket_sql_load_scope = {
	"SELECT exemption::text, service_code FROM " TICKET_SCHEMA ".exemption_scope",
	{&ticket_table_exemption_scope}
};

const TicketStatement ticket_sql_load_services = {
	"SELECT code, effective_from - date '2000-01-01', branch, kind, "
	CENTS("tariff") ", withdrawn FROM " TICKET_SCHEMA ".service"
	" ORDER BY code COLLATE \"C\", effective_from",
	{&ticket_table_service}
};

const TicketStatement ticket_sql_load_nre_regions = {
	"SELECT region_code FROM " TICKET_SCHEMA ".nre_region",
	{&ticket_table_nre_region}
};

const TicketStatement ticket_sql_load_priorities = {
	"SELECT priority, max_wait_visit::int8, max_wait_exam::int8 FROM " TICKET_SCHEMA ".priority_class",
	{&ticket_table_priority_class}
};

const TicketStatement ticket_sql_band_for_income = {
	"SELECT band FROM " TICKET_SCHEMA ".regime_band"
	" WHERE regime_id = $1 AND income_range OPERATOR(pg_catalog.@>) $2",
	{&ticket_table_regime_band}
};

const TicketStatement ticket_sql_birthplace_ceased = {
	"SELECT pg_catalog.bool_and(COALESCE(pg_catalog.upper(valid) <= $2, false))"
	" FROM " TICKET_SCHEMA ".birthplace WHERE code = $1",
	{&ticket_table_birthplace}
};
