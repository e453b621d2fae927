/*
 * test/unit/pricing_tests.c
 *		Unit tests of the pure-C tariff engine (extension/src/core/
 *		pricing_core.c), run without a server by `make core-check`
 *		(ASan + UBSan).
 *
 * Output is minimal TAP ("ok N - desc" / "not ok N - desc", plan "1..N" at
 * the end) followed by one summary line "pricing: N passed, M failed".  The
 * exit status is non-zero when any test failed.
 *
 * The regimes are C literals shaped like the shipped ones (a 2011-like
 * banded regime with RE1-RE3 and no-band amounts, a 2019-like one with a
 * default band, a 2020-like one without bands, a 2025-like one with a
 * no-band drug ticket, a baseline without fixed tickets); the amounts are
 * those of ../shared/docs/ticket-rules.md §0-§3 and the worked examples of
 * §2.7, the service tariffs those of the sample catalogue.  Packed band and
 * exemption codes are written as numbers computed independently (Python,
 * base 37) and checked against ticket_short_code_pack() below.
 *
 * Every successful bill is also checked for the invariants of the header:
 * total = base + band_quota, explanation non-empty, starting with the
 * regime, NUL-terminated within TK_EXPLANATION_LEN, and pricing the same
 * prescription twice gives the same bill byte for byte.
 */
#include "pricing_core.h"
#include "tap.h"
#include "short_code.h"
#include "exemption_core.h"		/* ex_family numbers only */

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ANY INT64_MIN			/* "do not check this error field" */
#define N(array) ((int) (sizeof(array) / sizeof((array)[0])))

static const char *const status_names[] = {
	"TK_OK", "TK_ERR_NO_ITEMS", "TK_ERR_TOO_MANY_LINES", "TK_ERR_NEGATIVE_TARIFF",
	"TK_ERR_QUANTITY", "TK_ERR_INCOMPATIBLE_KINDS", "TK_ERR_MIXED_BRANCHES",
	"TK_ERR_TOO_MANY_ITEMS", "TK_ERR_BAND_NOT_IN_REGIME", "TK_ERR_AMOUNT_TOO_LARGE",
	"TK_ERR_REFERENCE_PRICE", "TK_ERR_ER_WITHOUT_ACCESS"
};

static const char *
status_name(tk_status st)
{
	if ((int) st >= 0 && (size_t) st < sizeof(status_names) / sizeof(status_names[0]))
		return status_names[st];
	return "?";
}

/* ---------------------------------------------------------------------- */
/* Codes, packed (base 37, see short_code.h), and days since 2000-01-01     */
/* ---------------------------------------------------------------------- */

#define RE1		UINT32_C(1969844517)
#define RE2		UINT32_C(1969895170)
#define RE3		UINT32_C(1969945823)
#define RE4		UINT32_C(1969996476)	/* no such band anywhere */
#define QB		UINT32_C(1894776771)
#define QM		UINT32_C(1915392542)

#define E01		UINT32_C(1042134822)
#define E02		UINT32_C(1042185475)
#define E99		UINT32_C(1059407495)
#define FA2		UINT32_C(1130271042)
#define C01		UINT32_C(903446908)
#define L03		UINT32_C(1527643827)
#define C013	UINT32_C(73294891)		/* "013" */
#define C0A31	UINT32_C(90165078)		/* "0A31" */
#define M12		UINT32_C(1598811292)
#define D02		UINT32_C(972841518)
#define RI0050	UINT32_C(1977292100)
#define B01		UINT32_C(834102951)
#define G01		UINT32_C(1180822736)
#define G02		UINT32_C(1180873389)
#define V01		UINT32_C(2220982091)

#define DAY_2008_12_31	3287
#define DAY_2009_01_01	3288
#define DAY_2011_08_28	4257
#define DAY_2011_08_29	4258
#define DAY_2018_12_31	6939
#define DAY_2019_01_01	6940
#define DAY_2020_08_31	7548
#define DAY_2020_09_01	7549
#define DAY_2025_05_01	9252
#define DAY_2025_05_02	9253
#define DAY_2027_01_01	9862

/* Exemptions written on a prescription. */
#define X_E01		{E01, EX_FAMILY_INCOME, "E01"}
#define X_E02		{E02, EX_FAMILY_INCOME, "E02"}
#define X_E99		{E99, EX_FAMILY_REGIONAL, "E99"}
#define X_FA2		{FA2, EX_FAMILY_REGIONAL, "FA2"}
#define X_C01		{C01, EX_FAMILY_INVALIDITY, "C01"}
#define X_L03		{L03, EX_FAMILY_INVALIDITY, "L03"}
#define X_013		{C013, EX_FAMILY_CHRONIC, "013"}
#define X_0A31		{C0A31, EX_FAMILY_CHRONIC, "0A31"}
#define X_M12		{M12, EX_FAMILY_PREGNANCY, "M12"}
#define X_D02		{D02, EX_FAMILY_PREVENTION, "D02"}
#define X_RI0050	{RI0050, EX_FAMILY_RARE, "RI0050"}
#define X_B01		{B01, EX_FAMILY_OTHER, "B01"}
#define X_G01		{G01, EX_FAMILY_INVALIDITY, "G01"}
#define X_G02		{G02, EX_FAMILY_INVALIDITY, "G02"}
#define X_V01		{V01, EX_FAMILY_INVALIDITY, "V01"}

/* Items (sample catalogue tariffs in cents), with a quantity. */
#define FV(q)		{"89.7", TK_FIRST_VISIT, "cardiology", 2066, q, false, 0, false}
#define CV(q)		{"89.01", TK_CONTROL_VISIT, "cardiology", 1291, q, false, 0, false}
#define ECG(q)		{"89.52", TK_EXAM, "cardiology", 1162, q, false, 0, false}
#define HOLTER(q)	{"89.50", TK_EXAM, "cardiology", 6197, q, false, 0, false}
#define US(q)		{"88.74.1", TK_EXAM, "radiology", 4500, q, false, 0, false}
#define CT(q)		{"88.01.1", TK_CT_MRI, "radiology", 8800, q, false, 0, false}
#define MRI(q)		{"88.91.1", TK_CT_MRI, "radiology", 18000, q, false, 0, false}
#define XRAY(q)		{"87.43.1", TK_EXAM, "radiology", 2910, q, false, 0, false}
#define LAB3(q)		{"90.62.2", TK_EXAM, "laboratory", 300, q, false, 0, false}
#define GLU(q)		{"90.27.1", TK_EXAM, "laboratory", 117, q, false, 0, false}
#define HBA1C(q)	{"90.28.1", TK_EXAM, "laboratory", 995, q, false, 0, false}
#define CATARACT(q) {"13.41", TK_AMBULATORY_SURGERY, "ophthalmology", 80000, q, false, 0, false}
#define EYE(q)		{"95.02", TK_FIRST_VISIT, "ophthalmology", 2066, q, false, 0, false}
#define CARPAL(q)	{"04.43", TK_AMBULATORY_SURGERY, "orthopaedics", 40000, q, false, 0, false}
#define HAMMER(q)	{"77.56", TK_AMBULATORY_SURGERY, "orthopaedics", 60000, q, false, 0, false}
#define ORVISIT(q)	{"89.7.OR", TK_FIRST_VISIT, "orthopaedics", 2066, q, false, 0, false}
#define ORCTRL(q)	{"89.01.OR", TK_CONTROL_VISIT, "orthopaedics", 1291, q, false, 0, false}
#define DRUG(q)		{"A-0001", TK_DRUG, "pharmacy", 750, q, false, 0, false}
#define METF(q)		{"A-0002", TK_DRUG, "pharmacy", 320, q, false, 0, false}
#define PS_WHITE(q) {"PS-WHITE", TK_ER_ACCESS, "emergency", 0, q, false, 0, false}
#define PS_GREEN(q) {"PS-GREEN", TK_ER_ACCESS, "emergency", 0, q, false, 0, false}
#define PS_RED(q)	{"PS-RED", TK_ER_ACCESS, "emergency", 0, q, false, 0, false}
#define PS_CONSULT(q) {"PS-CONSULT", TK_ER_CONSULTATION, "emergency", 0, q, false, 0, false}
#define PS_EXAM(t, q) {"87.44.1", TK_ER_EXAM, "emergency", t, q, false, 0, false}	/* hypothetical tariff */
#define EXAM(t, q)	{"T.1", TK_EXAM, "laboratory", t, q, false, 0, false}	/* hypothetical tariff */
/* A brand pack at 12.50 whose reference price is 8.50 (hypothetical prices):
 * 4.00 of difference a pack; the same marked not substitutable; a generic at
 * its reference price. */
#define BRAND(q)	{"A-0003", TK_DRUG, "pharmacy", 1250, q, true, 850, false}
#define BRAND_NS(q) {"A-0003", TK_DRUG, "pharmacy", 1250, q, true, 850, true}
#define GENERIC(q)	{"A-0004", TK_DRUG, "pharmacy", 850, q, true, 850, false}

/* ---------------------------------------------------------------------- */
/* The regimes                                                            */
/* ---------------------------------------------------------------------- */

static const char *const er_codes[] = {"PS-WHITE", "PS-GREEN"};
static const char *const surgery_2011[] = {"13.41", "04.43"};

static const tk_band_rule bands_2011[] = {
	{RE1, 0, 3615, 0, 0, 0, {0}},
	{RE2, 500, 5000, 100, 200, 0, {0}},
	{RE3, 1000, 5000, 200, 400, 0, {0}},
};

static const tk_band_rule bands_2019[] = {
	{QB, 0, 3615, 0, 0, 0, {0}},
	{QM, 1500, 7000, 300, 600, 0, {0}},
};

/*
 * Exemption rules.  The invalidity family rule comes before the C01 code
 * rule on purpose: the code rule must win whatever the order.  D02 is a
 * hypothetical rule that does not spare the band quota.  Code rules carry
 * family -1, as the rule cache builds them.
 */
static const tk_exemption_rule rules_2011[] = {
	{0, EX_FAMILY_INVALIDITY, TK_COVERS_LISTED, true, true, false, false, false, 0, false},
	{0, EX_FAMILY_INCOME, TK_COVERS_ALL, true, true, true, false, false, 0, false},
	{E99, -1, TK_COVERS_ALL, true, false, false, false, false, 0, false},
	{C01, -1, TK_COVERS_ALL, true, true, true, false, false, 0, false},
	{0, EX_FAMILY_CHRONIC, TK_COVERS_LISTED, true, true, false, false, false, 0, false},
	{0, EX_FAMILY_PREGNANCY, TK_COVERS_LISTED, true, false, false, false, false, 0, false},
	{D02, -1, TK_COVERS_LISTED, false, false, false, false, false, 0, false},
};

static const tk_exemption_rule rules_2019[] = {
	{0, EX_FAMILY_INCOME, TK_COVERS_ALL, true, true, true, false, false, 0, false},
	{FA2, -1, TK_COVERS_FIRST_VISIT, true, false, false, false, false, 0, false},
	{0, EX_FAMILY_CHRONIC, TK_COVERS_LISTED, true, true, false, false, false, 0, false},
};

static const tk_exemption_rule rules_base[] = {
	{0, EX_FAMILY_INCOME, TK_COVERS_ALL, true, true, true, false, false, 0, false},
	{0, EX_FAMILY_CHRONIC, TK_COVERS_LISTED, true, true, false, false, false, 0, false},
};

enum
{
	BASE, Y2011, Y2019, Y2020, Y2025, NREGIMES
};

static const tk_regime regimes[NREGIMES] = {
	[BASE] = {
		.id = "T-BASELINE", .legal_reference = "national rules", .effective_from = DAY_2009_01_01,
		.default_band = 0, .no_band = {0, TK_NONE, TK_NONE, TK_NONE, TK_NONE, 0, {0}},
		.nbands = 0, .bands = NULL,
		.specialist_cap = 3615, .quota_threshold = 1000,
		.first_visit = TK_NONE, .control_visit = TK_NONE,
		.ambulatory_surgery = TK_NONE, .all_surgery_fixed = true,
		.nsurgery_codes = 0, .surgery_codes = NULL,
		.er_access = 2500, .ner_codes = N(er_codes), .er_codes = er_codes,
		.er_consultation = TK_NONE, .er_exam_cap = TK_NONE,
		.max_items = 8, .nexemptions = N(rules_base), .exemptions = rules_base
	},
	[Y2011] = {
		.id = "T-2011", .legal_reference = "DGR 1190/2011", .effective_from = DAY_2011_08_29,
		.default_band = 0, .no_band = {0, 1500, 7000, 300, 600, 0, {0}},
		.nbands = N(bands_2011), .bands = bands_2011,
		.specialist_cap = 3615, .quota_threshold = 1000,
		.first_visit = 2300, .control_visit = 1800,
		.ambulatory_surgery = 4615, .all_surgery_fixed = false,
		.nsurgery_codes = N(surgery_2011), .surgery_codes = surgery_2011,
		.er_access = 2500, .ner_codes = N(er_codes), .er_codes = er_codes,
		.er_consultation = 2500, .er_exam_cap = 3615,
		.max_items = 8, .nexemptions = N(rules_2011), .exemptions = rules_2011
	},
	[Y2019] = {
		.id = "T-2019", .legal_reference = "DGR 2075/2018", .effective_from = DAY_2019_01_01,
		.default_band = QM, .no_band = {0, TK_NONE, TK_NONE, TK_NONE, TK_NONE, 0, {0}},
		.nbands = N(bands_2019), .bands = bands_2019,
		.specialist_cap = 3615, .quota_threshold = 1000,
		.first_visit = 2300, .control_visit = 1800,
		.ambulatory_surgery = 4615, .all_surgery_fixed = true,
		.nsurgery_codes = 0, .surgery_codes = NULL,
		.er_access = 2500, .ner_codes = N(er_codes), .er_codes = er_codes,
		.er_consultation = 2500, .er_exam_cap = 3615,
		.max_items = 8, .nexemptions = N(rules_2019), .exemptions = rules_2019
	},
	[Y2020] = {
		.id = "T-2020", .legal_reference = "DGR 1044/2020", .effective_from = DAY_2020_09_01,
		.default_band = 0, .no_band = {0, TK_NONE, 3615, TK_NONE, TK_NONE, 0, {0}},
		.nbands = 0, .bands = NULL,
		.specialist_cap = 3615, .quota_threshold = 1000,
		.first_visit = 2300, .control_visit = 1800,
		.ambulatory_surgery = 3615, .all_surgery_fixed = true,
		.nsurgery_codes = 0, .surgery_codes = NULL,
		.er_access = 2500, .ner_codes = N(er_codes), .er_codes = er_codes,
		.er_consultation = 2500, .er_exam_cap = 3615,
		.max_items = 8, .nexemptions = N(rules_base), .exemptions = rules_base
	},
	[Y2025] = {
		.id = "T-2025", .legal_reference = "DGR 390/2025", .effective_from = DAY_2025_05_02,
		.default_band = 0, .no_band = {0, TK_NONE, 3615, 220, 400, 0, {0}},
		.nbands = 0, .bands = NULL,
		.specialist_cap = 3615, .quota_threshold = 1000,
		.first_visit = 2300, .control_visit = 1800,
		.ambulatory_surgery = 3615, .all_surgery_fixed = true,
		.nsurgery_codes = 0, .surgery_codes = NULL,
		.er_access = 2500, .ner_codes = N(er_codes), .er_codes = er_codes,
		.er_consultation = 2500, .er_exam_cap = 3615,
		.max_items = 8, .nexemptions = N(rules_base), .exemptions = rules_base
	},
};

/* ---------------------------------------------------------------------- */
/* Scope of the listed exemptions (what ticket.exemption_scope holds)      */
/* ---------------------------------------------------------------------- */

typedef struct scope_pair
{
	uint32_t	exemption;
	const char *service;
} scope_pair;

static const scope_pair scope_pairs[] = {
	{C013, "90.27.1"}, {C013, "90.28.1"}, {C013, "A-0002"},
	{C0A31, "89.52"}, {C0A31, "89.01"},
	{M12, "88.74.1"}, {M12, "A-0001"},
	{L03, "04.43"},
	{D02, "89.52"},
	{B01, "PS-WHITE"},
};

typedef struct scope_context
{
	int			calls;
	uint32_t	last_exemption;
} scope_context;

static scope_context scope_ctx;

static bool
test_scope(void *context, uint32_t exemption, const char *service_code)
{
	scope_context *c = context;

	c->calls++;
	c->last_exemption = exemption;
	for (int i = 0; i < N(scope_pairs); i++)
		if (scope_pairs[i].exemption == exemption && strcmp(scope_pairs[i].service, service_code) == 0)
			return true;
	return false;
}

/* ---------------------------------------------------------------------- */
/* Checking helpers                                                        */
/* ---------------------------------------------------------------------- */

/* The explanation is NUL-terminated inside the buffer; its length or -1. */
static int
explanation_len(const tk_bill *bill)
{
	const char *nul = memchr(bill->explanation, '\0', TK_EXPLANATION_LEN);

	return nul ? (int) (nul - bill->explanation) : -1;
}

typedef struct want
{
	tk_cents	total;
	tk_cents	quota;
	uint32_t	band;			/* bill.band */
	int			exemption;		/* bill.exemption */
	const char *says;			/* substring of the explanation, or NULL */
	const char *not_says;		/* must not appear, or NULL */
} want;

static void
bill_ok(const char *desc, const tk_regime *regime, const tk_item *items, int nitems,
		uint32_t band, const tk_exemption *exemptions, int nexemptions, want w)
{
	tk_bill		bill,
				again;
	tk_error	err;
	tk_status	st,
				st2;
	char		prefix[64];
	int			len;
	int			good;

	memset(&bill, 0x5a, sizeof(bill));
	memset(&again, 0xa5, sizeof(again));
	memset(&err, 0x55, sizeof(err));
	st = ticket_tk_price(regime, items, nitems, band, exemptions, nexemptions,
				  test_scope, &scope_ctx, &bill, &err);
	st2 = ticket_tk_price(regime, items, nitems, band, exemptions, nexemptions,
				   test_scope, &scope_ctx, &again, NULL);
	len = explanation_len(&bill);
	snprintf(prefix, sizeof(prefix), "regime %s (", regime->id);
	good = st == TK_OK && st2 == TK_OK &&
		bill.total == w.total && bill.band_quota == w.quota &&
		bill.base == w.total - w.quota && bill.total == bill.base + bill.band_quota &&
		bill.band == w.band && bill.exemption == w.exemption &&
		len > 0 && strncmp(bill.explanation, prefix, strlen(prefix)) == 0 &&
		(w.says == NULL || strstr(bill.explanation, w.says) != NULL) &&
		(w.not_says == NULL || strstr(bill.explanation, w.not_says) == NULL) &&
		memcmp(&bill, &again, sizeof(bill)) == 0;
	ok(good, "%s: %lld.%02lld", desc, (long long) (w.total / 100), (long long) (w.total % 100));
	if (!good)
	{
		diag("got %s total %lld base %lld quota %lld band %u exemption %d (second call %s, %s)",
			 status_name(st), (long long) bill.total, (long long) bill.base,
			 (long long) bill.band_quota, bill.band, bill.exemption, status_name(st2),
			 memcmp(&bill, &again, sizeof(bill)) == 0 ? "same bill" : "different bill");
		diag("want total %lld quota %lld band %u exemption %d, says \"%s\", not \"%s\"",
			 (long long) w.total, (long long) w.quota, w.band, w.exemption,
			 w.says ? w.says : "", w.not_says ? w.not_says : "");
		if (len >= 0)
			diag("explanation: %s", bill.explanation);
		else
			diag("explanation not NUL-terminated");
	}
}

static void
err_is(const char *desc, const tk_regime *regime, const tk_item *items, int nitems,
	   uint32_t band, const tk_exemption *exemptions, int nexemptions,
	   tk_status status, int item, int item2, int64_t value, int64_t value2)
{
	tk_bill		bill;
	tk_error	err;
	tk_status	st;
	int			good;

	memset(&bill, 0x5a, sizeof(bill));
	memset(&err, 0x55, sizeof(err));
	st = ticket_tk_price(regime, items, nitems, band, exemptions, nexemptions,
				  test_scope, &scope_ctx, &bill, &err);
	good = st == status && err.status == status &&
		(item == INT_MIN || err.item == item) &&
		(item2 == INT_MIN || err.item2 == item2) &&
		(value == ANY || err.value == value) &&
		(value2 == ANY || err.value2 == value2) &&
		explanation_len(&bill) >= 0;
	ok(good, "%s -> %s", desc, status_name(status));
	if (!good)
		diag("got %s (err.status %s) item %d item2 %d value %lld value2 %lld",
			 status_name(st), status_name(err.status), err.item, err.item2,
			 (long long) err.value, (long long) err.value2);

	/* the same status without an error struct */
	ok(ticket_tk_price(regime, items, nitems, band, exemptions, nexemptions,
				test_scope, &scope_ctx, &bill, NULL) == status,
	   "%s with err = NULL -> %s", desc, status_name(status));
}

#define R(which) (&regimes[which])
#define NONE_EX NULL, 0
#define EXS(array) array, N(array)

/* ---------------------------------------------------------------------- */
/* The tests                                                              */
/* ---------------------------------------------------------------------- */

static void
test_fixtures(void)
{
	static const struct
	{
		const char *text;
		uint32_t	packed;
	}			codes[] = {
		{"RE1", RE1}, {"RE2", RE2}, {"RE3", RE3}, {"RE4", RE4}, {"QB", QB}, {"QM", QM},
		{"E01", E01}, {"E02", E02}, {"E99", E99}, {"FA2", FA2}, {"C01", C01}, {"L03", L03},
		{"013", C013}, {"0A31", C0A31}, {"M12", M12}, {"D02", D02}, {"RI0050", RI0050},
		{"B01", B01}, {"G01", G01}, {"G02", G02}, {"V01", V01},
	};
	int			bad = 0;

	for (int i = 0; i < N(codes); i++)
	{
		uint32_t	packed = 0;

		if (!ticket_short_code_pack(codes[i].text, strlen(codes[i].text), &packed) ||
			packed != codes[i].packed)
		{
			bad++;
			diag("%s packs to %u, literal %u", codes[i].text, packed, codes[i].packed);
		}
	}
	ok(bad == 0, "the %d packed literals are what ticket_short_code_pack gives", N(codes));

	/* the regimes are sorted, as ticket_tk_find_regime requires */
	bad = 0;
	for (int i = 1; i < NREGIMES; i++)
		bad += regimes[i - 1].effective_from >= regimes[i].effective_from;
	ok(bad == 0, "fixture regimes sorted by effective_from");
}

static void
test_kinds(void)
{
	int			bad = 0;

	for (int k = 0; k < TK_KIND_COUNT; k++)
		bad += ticket_tk_kind_from_name(tk_kind_names[k]) != k;
	ok(bad == 0, "ticket_tk_kind_from_name inverts tk_kind_names for all %d kinds", TK_KIND_COUNT);
	ok(ticket_tk_kind_from_name("surgery") == -1 && ticket_tk_kind_from_name("") == -1 &&
	   ticket_tk_kind_from_name("First_visit") == -1, "unknown kind names give -1");
	ok(strcmp(ticket_tk_category_name(TK_FIRST_VISIT), "specialist services") == 0 &&
	   strcmp(ticket_tk_category_name(TK_CT_MRI), "specialist services") == 0 &&
	   strcmp(ticket_tk_category_name(TK_AMBULATORY_SURGERY), "specialist services") == 0 &&
	   strcmp(ticket_tk_category_name(TK_DRUG), "drugs") == 0 &&
	   strcmp(ticket_tk_category_name(TK_ER_ACCESS), "emergency-room access") == 0 &&
	   strcmp(ticket_tk_category_name(TK_ER_CONSULTATION), "emergency-room access") == 0 &&
	   strcmp(ticket_tk_category_name(TK_ER_EXAM), "emergency-room access") == 0,
	   "ticket_tk_category_name of each category");
}

static void
test_find_regime(void)
{
	static const struct
	{
		int32_t		day;
		int			want;		/* index, -1 = none */
		const char *desc;
	}			cases[] = {
		{INT32_MIN, -1, "INT32_MIN"},
		{DAY_2008_12_31, -1, "day before the first regime"},
		{DAY_2009_01_01, BASE, "exactly the first effective_from"},
		{DAY_2011_08_28, BASE, "day before the 2011 regime"},
		{DAY_2011_08_29, Y2011, "exactly the 2011 effective_from"},
		{DAY_2018_12_31, Y2011, "day before the 2019 regime"},
		{DAY_2019_01_01, Y2019, "exactly the 2019 effective_from"},
		{DAY_2020_08_31, Y2019, "day before the 2020 regime"},
		{DAY_2020_09_01, Y2020, "exactly the 2020 effective_from"},
		{DAY_2025_05_01, Y2020, "day before the 2025 regime"},
		{DAY_2025_05_02, Y2025, "exactly the 2025 effective_from"},
		{DAY_2027_01_01, Y2025, "after the last regime"},
		{INT32_MAX, Y2025, "INT32_MAX"},
	};

	for (int i = 0; i < N(cases); i++)
	{
		const tk_regime *r = ticket_tk_find_regime(regimes, NREGIMES, cases[i].day);
		const tk_regime *want = cases[i].want < 0 ? NULL : &regimes[cases[i].want];

		ok(r == want, "ticket_tk_find_regime: %s (day %d) -> %s", cases[i].desc, (int) cases[i].day,
		   want ? want->id : "none");
	}
	ok(ticket_tk_find_regime(regimes, 0, DAY_2019_01_01) == NULL, "ticket_tk_find_regime with no regimes -> none");
	ok(ticket_tk_find_regime(regimes, 1, DAY_2027_01_01) == &regimes[0] &&
	   ticket_tk_find_regime(regimes, 1, DAY_2008_12_31) == NULL,
	   "ticket_tk_find_regime with one regime");
	/* every day of a range, against a linear scan */
	{
		int			bad = 0;

		for (int32_t day = DAY_2008_12_31 - 10; day <= DAY_2027_01_01; day++)
			for (int n = 1; n <= NREGIMES; n++)
			{
				const tk_regime *want = NULL;

				/* the last of the first n regimes in force on the day */
				for (int k = 0; k < n; k++)
					if (regimes[k].effective_from <= day)
						want = &regimes[k];
				if (ticket_tk_find_regime(regimes, n, day) != want)
					bad++;
			}
		ok(bad == 0, "ticket_tk_find_regime agrees with a linear scan on every day 2008-2027, 1-%d regimes",
		   NREGIMES);
	}
}

static void
test_band_rule_for(void)
{
	tk_regime	r;

	ok(ticket_tk_band_rule_for(R(Y2011), 0) == &regimes[Y2011].no_band,
	   "ticket_tk_band_rule_for: no band in a regime without default -> no_band");
	ok(ticket_tk_band_rule_for(R(Y2011), RE2) == &bands_2011[1], "ticket_tk_band_rule_for: RE2 in 2011");
	ok(ticket_tk_band_rule_for(R(Y2011), QM) == NULL, "ticket_tk_band_rule_for: QM not in 2011");
	ok(ticket_tk_band_rule_for(R(Y2019), 0) == &bands_2019[1], "ticket_tk_band_rule_for: no band in 2019 -> default QM");
	ok(ticket_tk_band_rule_for(R(Y2019), QB) == &bands_2019[0], "ticket_tk_band_rule_for: QB in 2019");
	ok(ticket_tk_band_rule_for(R(Y2020), 0) == &regimes[Y2020].no_band &&
	   ticket_tk_band_rule_for(R(Y2020), RE1) == NULL, "ticket_tk_band_rule_for: 2020 has no bands");
	r = regimes[Y2019];
	r.default_band = RE1;
	ok(ticket_tk_band_rule_for(&r, 0) == NULL, "ticket_tk_band_rule_for: default band missing from the bands -> NULL");

	/* 1 January 2019: a former RE1-RE3 declaration is charged as QB
	 * (ticket-rules.md §3.3, §9: S15 S48); the regime says which bands QB
	 * replaces, the engine only follows it */
	{
		tk_band_rule bands[] = {{QB, 0, 3615, 0, 0, 3, {RE1, RE2, RE3}}, {QM, 1500, 7000, 300, 600, 0, {0}}};

		r = regimes[Y2019];
		r.bands = bands;
		r.nbands = N(bands);
		ok(ticket_tk_charged_band(&r, RE2) == QB, "ticket_tk_charged_band: RE2 replaced by QB in 2019");
		ok(ticket_tk_charged_band(&r, QM) == QM, "ticket_tk_charged_band: a band of the regime is itself");
		ok(ticket_tk_charged_band(&r, 0) == 0, "ticket_tk_charged_band: no declaration stays none (the default applies)");
		ok(ticket_tk_charged_band(R(Y2019), RE2) == 0,
		   "ticket_tk_charged_band: without replaces an old band is not the regime's");
	}
}

static void
test_visits(void)
{
	{
		tk_item		it[] = {FV(1)};

		bill_ok("2011 RE2, first visit only: fixed", R(Y2011), EXS(it), RE2, NONE_EX,
				(want) {2300, 0, RE2, -1, "visit-only prescription: fixed visit tickets 23.00", "quota"});
		bill_ok("2011 no band, first visit only: fixed, no quota", R(Y2011), EXS(it), 0, NONE_EX,
				(want) {2300, 0, 0, -1, "no band declared: amounts for citizens without a band", "band quota"});
		bill_ok("2019 QB, first visit only", R(Y2019), EXS(it), QB, NONE_EX,
				(want) {2300, 0, QB, -1, "band QB", NULL});
		bill_ok("2020, first visit only", R(Y2020), EXS(it), 0, NONE_EX,
				(want) {2300, 0, 0, -1, "fixed visit tickets 23.00", "no band declared"});
		bill_ok("baseline (no fixed tickets), first visit by tariff", R(BASE), EXS(it), 0, NONE_EX,
				(want) {2066, 0, 0, -1, "tariffs 20.66", "visit-only"});
	}
	{
		tk_item		it[] = {CV(1)};

		bill_ok("2011 RE3, control visit only", R(Y2011), EXS(it), RE3, NONE_EX,
				(want) {1800, 0, RE3, -1, "fixed visit tickets 18.00", NULL});
	}
	{
		tk_item		it[] = {FV(1), CV(2)};

		bill_ok("2011 RE3, first + 2 control visits: 23 + 2 x 18", R(Y2011), EXS(it), RE3, NONE_EX,
				(want) {5900, 0, RE3, -1, "fixed visit tickets 59.00", NULL});
	}
	{
		/* a visit plus an exam is priced by tariffs (ticket.md: mixed prescription) */
		tk_item		it[] = {FV(1), ECG(1)};

		bill_ok("2011 RE3, first visit + ECG: tariffs 32.28 + quota 10", R(Y2011), EXS(it), RE3, NONE_EX,
				(want) {4228, 1000, RE3, -1, "tariffs 32.28; band quota 10.00 (tariffs over 10.00)", "visit-only"});
	}
	{
		/* first visit fixed but control visit by tariff: a prescription with both is by tariff */
		tk_regime	r = regimes[Y2011];
		tk_item		fv[] = {FV(1)};
		tk_item		cv[] = {CV(1)};
		tk_item		both[] = {FV(1), CV(1)};

		r.control_visit = TK_NONE;
		bill_ok("no fixed control ticket: first visit alone still fixed", &r, EXS(fv), RE1, NONE_EX,
				(want) {2300, 0, RE1, -1, "visit-only", NULL});
		bill_ok("no fixed control ticket: control visit by tariff", &r, EXS(cv), RE2, NONE_EX,
				(want) {1291 + 500, 500, RE2, -1, "tariffs 12.91", "visit-only"});
		bill_ok("no fixed control ticket: first + control by tariffs + quota", &r, EXS(both), RE2, NONE_EX,
				(want) {3357 + 500, 500, RE2, -1, "tariffs 33.57", "visit-only"});
	}
}

static void
test_ct_mri(void)
{
	{
		tk_item		it[] = {MRI(1)};

		bill_ok("2011 RE2, MRI only: fixed 50 (§2.7)", R(Y2011), EXS(it), RE2, NONE_EX,
				(want) {5000, 0, RE2, -1, "fixed CT/MRI ticket 50.00", "tariffs"});
		bill_ok("2011 RE1, MRI only: fixed 36.15", R(Y2011), EXS(it), RE1, NONE_EX,
				(want) {3615, 0, RE1, -1, "fixed CT/MRI ticket 36.15", NULL});
		bill_ok("2011 no band, MRI only: fixed 70, no quota", R(Y2011), EXS(it), 0, NONE_EX,
				(want) {7000, 0, 0, -1, "fixed CT/MRI ticket 70.00", "quota"});
		bill_ok("2019 no band -> QM, MRI: fixed 70", R(Y2019), EXS(it), 0, NONE_EX,
				(want) {7000, 0, QM, -1, "no band declared: default band QM", NULL});
		bill_ok("2020, MRI: fixed 36.15", R(Y2020), EXS(it), 0, NONE_EX,
				(want) {3615, 0, 0, -1, "fixed CT/MRI ticket 36.15", NULL});
		bill_ok("baseline (no CT/MRI ticket), MRI by tariff capped", R(BASE), EXS(it), 0, NONE_EX,
				(want) {3615, 0, 0, -1, "tariffs 180.00 capped at 36.15", "fixed CT/MRI"});
	}
	{
		tk_item		it[] = {CT(1), MRI(2)};

		bill_ok("2011 RE3, CT + 2 MRI: the fixed ticket once", R(Y2011), EXS(it), RE3, NONE_EX,
				(want) {5000, 0, RE3, -1, "fixed CT/MRI ticket 50.00", "tariffs"});
	}
	{
		tk_item		it[] = {CT(1), US(1)};

		bill_ok("2011 RE3, CT + ultrasound: 50 + min(45, 36.15) + quota 10", R(Y2011), EXS(it), RE3, NONE_EX,
				(want) {5000 + 3615 + 1000, 1000, RE3, -1,
				"fixed CT/MRI ticket 50.00; tariffs 45.00 capped at 36.15; band quota 10.00", NULL});
	}
	{
		tk_item		it[] = {XRAY(1), CT(1)};

		bill_ok("2011 no band, X-ray + CT: 70 + 29.10 + quota 15", R(Y2011), EXS(it), 0, NONE_EX,
				(want) {7000 + 2910 + 1500, 1500, 0, -1, "band quota 15.00", NULL});
	}
	{
		/* the other tariffs alone decide the quota: 9.00 is not over 10 */
		tk_item		it[] = {CT(1), {"87.1", TK_EXAM, "radiology", 300, 3, false, 0, false}};

		bill_ok("2011 RE3, CT + exams 9.00: no quota", R(Y2011), EXS(it), RE3, NONE_EX,
				(want) {5000 + 900, 0, RE3, -1, "tariffs 9.00", "band quota"});
	}
}

static void
test_surgery(void)
{
	{
		tk_item		it[] = {EYE(1), CATARACT(1)};

		bill_ok("2011 RE3, cataract (listed) + visit: fixed 46.15 once", R(Y2011), EXS(it), RE3, NONE_EX,
				(want) {4615, 0, RE3, -1, "fixed ambulatory-surgery ticket 46.15", "quota"});
		bill_ok("2011 no band, cataract + visit: fixed 46.15, no quota", R(Y2011), EXS(it), 0, NONE_EX,
				(want) {4615, 0, 0, -1, "fixed ambulatory-surgery ticket 46.15", "quota"});
	}
	{
		tk_item		it[] = {CARPAL(2)};

		bill_ok("2011 RE2, carpal tunnel x 2: fixed once", R(Y2011), EXS(it), RE2, NONE_EX,
				(want) {4615, 0, RE2, -1, "fixed ambulatory-surgery ticket", NULL});
	}
	{
		/* hammer toe is not among the 2011 codes: normal rule */
		tk_item		it[] = {ORVISIT(1), HAMMER(1)};

		bill_ok("2011 RE2, hammer toe (not listed) + visit: tariffs capped + quota 5", R(Y2011), EXS(it),
				RE2, NONE_EX,
				(want) {3615 + 500, 500, RE2, -1, "tariffs 620.66 capped at 36.15", "ambulatory-surgery"});
		bill_ok("2019 QM, hammer toe (all surgery fixed): 46.15, no quota", R(Y2019), EXS(it), QM, NONE_EX,
				(want) {4615, 0, QM, -1, "fixed ambulatory-surgery ticket 46.15", "quota"});
		bill_ok("2020, hammer toe: 36.15", R(Y2020), EXS(it), 0, NONE_EX,
				(want) {3615, 0, 0, -1, "fixed ambulatory-surgery ticket 36.15", NULL});
		bill_ok("baseline (no surgery ticket): tariffs capped", R(BASE), EXS(it), 0, NONE_EX,
				(want) {3615, 0, 0, -1, "capped at 36.15", "ambulatory-surgery"});
	}
	{
		/* listed surgery covered by L03 (invalidity family, listed): the visit is left */
		tk_item		it[] = {CARPAL(1), ORVISIT(1)};
		tk_exemption ex[] = {X_L03};

		bill_ok("2011 RE3, carpal tunnel covered by L03: the visit alone, fixed", R(Y2011), EXS(it),
				RE3, EXS(ex),
				(want) {2300, 0, RE3, 0, "exemption L03 applied; visit-only prescription", "ambulatory-surgery"});
	}
	{
		/* a listed surgery later in the list still makes the whole prescription fixed */
		tk_item		it[] = {ORVISIT(1), ORCTRL(1), CARPAL(1)};

		bill_ok("2011 RE3, visits then carpal tunnel: fixed 46.15", R(Y2011), EXS(it), RE3, NONE_EX,
				(want) {4615, 0, RE3, -1, "fixed ambulatory-surgery ticket", "visit-only"});
	}
}

static void
test_cap_and_quota(void)
{
	{
		tk_item		it[] = {EXAM(3615, 1)};

		bill_ok("2011 RE2, tariffs exactly 36.15: not capped, quota 5", R(Y2011), EXS(it), RE2, NONE_EX,
				(want) {3615 + 500, 500, RE2, -1, "tariffs 36.15; band quota 5.00", "capped"});
	}
	{
		tk_item		it[] = {EXAM(3616, 1)};

		bill_ok("2011 RE2, tariffs 36.16: capped at 36.15", R(Y2011), EXS(it), RE2, NONE_EX,
				(want) {3615 + 500, 500, RE2, -1, "tariffs 36.16 capped at 36.15", NULL});
	}
	{
		tk_item		it[] = {EXAM(1000, 1)};

		bill_ok("2011 RE3, tariffs exactly 10.00: no quota", R(Y2011), EXS(it), RE3, NONE_EX,
				(want) {1000, 0, RE3, -1, "tariffs 10.00", "band quota"});
		bill_ok("2019 QM, tariffs exactly 10.00: no quota", R(Y2019), EXS(it), QM, NONE_EX,
				(want) {1000, 0, QM, -1, "tariffs 10.00", "band quota"});
	}
	{
		tk_item		it[] = {EXAM(1001, 1)};

		bill_ok("2011 RE3, tariffs 10.01: quota 10", R(Y2011), EXS(it), RE3, NONE_EX,
				(want) {1001 + 1000, 1000, RE3, -1, "band quota 10.00 (tariffs over 10.00)", NULL});
		bill_ok("2011 RE1, tariffs 10.01: quota 0 is no quota", R(Y2011), EXS(it), RE1, NONE_EX,
				(want) {1001, 0, RE1, -1, "tariffs 10.01", "band quota"});
		bill_ok("2019 QB, tariffs 10.01: quota 0", R(Y2019), EXS(it), QB, NONE_EX,
				(want) {1001, 0, QB, -1, NULL, "band quota"});
		bill_ok("2020, tariffs 10.01: no quota in the regime", R(Y2020), EXS(it), 0, NONE_EX,
				(want) {1001, 0, 0, -1, NULL, "band quota"});
	}
	{
		/* the threshold is on the uncapped sum; the quota is added even at the cap (§2.7) */
		tk_item		it[] = {EXAM(5000, 2)};

		bill_ok("2011 no band, tariffs 100.00: cap reached, quota 15 added", R(Y2011), EXS(it), 0, NONE_EX,
				(want) {3615 + 1500, 1500, 0, -1, "tariffs 100.00 capped at 36.15; band quota 15.00", NULL});
	}
	{
		tk_regime	r = regimes[Y2011];
		tk_item		it[] = {EXAM(5000, 2)};

		r.specialist_cap = TK_NONE;
		bill_ok("no cap: tariffs 100.00 in full + quota", &r, EXS(it), RE2, NONE_EX,
				(want) {10000 + 500, 500, RE2, -1, "tariffs 100.00; band quota 5.00", "capped"});
		r.quota_threshold = 0;
		bill_ok("threshold 0.00: any tariff over zero pays the quota", &r, EXS(it), RE2, NONE_EX,
				(want) {10000 + 500, 500, RE2, -1, "band quota 5.00 (tariffs over 0.00)", NULL});
	}
	{
		tk_item		it[] = {EXAM(0, 1)};

		bill_ok("2011 RE3, a zero-tariff exam: 0.00", R(Y2011), EXS(it), RE3, NONE_EX,
				(want) {0, 0, RE3, -1, "tariffs 0.00", "band quota"});
	}
}

/* Worked examples of ticket-rules.md §2.7, one by one. */
static void
test_worked_examples(void)
{
	{
		tk_item		it[] = {ECG(1)};

		bill_ok("§2.7 RE3 ECG 11.62", R(Y2011), EXS(it), RE3, NONE_EX, (want) {2162, 1000, RE3, -1, NULL, NULL});
		bill_ok("§2.7 RE1 ECG 11.62", R(Y2011), EXS(it), RE1, NONE_EX, (want) {1162, 0, RE1, -1, NULL, NULL});
	}
	{
		tk_item		it[] = {LAB3(1)};

		bill_ok("§2.7 no declaration, lab test 3.00", R(Y2011), EXS(it), 0, NONE_EX, (want) {300, 0, 0, -1, NULL, NULL});
	}
	{
		tk_item		it[] = {US(1)};

		bill_ok("§2.7 RE2 ultrasound 45.00", R(Y2011), EXS(it), RE2, NONE_EX, (want) {4115, 500, RE2, -1, NULL, NULL});
	}
	{
		tk_item		it[] = {DRUG(2)};

		bill_ok("§2.7 RE3, 2 packs", R(Y2011), EXS(it), RE3, NONE_EX, (want) {400, 0, RE3, -1, "2 packs x 2.00", NULL});
		bill_ok("§2.7 from 2 May 2025, 2 packs: min(4.40, 4.00)", R(Y2025), EXS(it), 0, NONE_EX,
				(want) {400, 0, 0, -1, "2 packs x 2.20 capped at 4.00", NULL});
	}
	{
		tk_item		it[] = {EXAM(2000, 1)};

		bill_ok("§2.7 2019 QM, exams 20.00", R(Y2019), EXS(it), QM, NONE_EX, (want) {3500, 1500, QM, -1, NULL, NULL});
	}
	{
		tk_item		it[] = {FV(1)};
		tk_exemption ex[] = {X_FA2};

		bill_ok("§2.7 2019 FA2 child, first visit", R(Y2019), EXS(it), 0, EXS(ex),
				(want) {0, 0, QM, 0, "exemption FA2 applied; every item exempt", NULL});
	}
	{
		tk_item		it[] = {EXAM(5000, 1)};

		bill_ok("§2.7 from Sept 2020, exams 50.00", R(Y2020), EXS(it), 0, NONE_EX, (want) {3615, 0, 0, -1, NULL, NULL});
	}
}

static void
test_exemptions(void)
{
	{
		tk_item		it[] = {ECG(1), HOLTER(1)};
		tk_exemption e01[] = {X_E01};
		tk_exemption a31[] = {X_0A31};
		tk_exemption d02[] = {X_D02};
		tk_exemption m12[] = {X_M12};
		tk_exemption unknown[] = {X_RI0050, X_B01};
		tk_exemption two[] = {X_B01, X_0A31};

		bill_ok("2011 RE3, E01 (income family, all): nothing to pay", R(Y2011), EXS(it), RE3, EXS(e01),
				(want) {0, 0, RE3, 0, "exemption E01 applied; every item exempt", NULL});
		bill_ok("2011 RE3, 0A31 covers the ECG: Holter capped, quota spared", R(Y2011), EXS(it), RE3,
				EXS(a31),
				(want) {3615, 0, RE3, 0, "exemption 0A31 applied; tariffs 61.97 capped at 36.15; band quota spared by the exemption", NULL});
		bill_ok("2011 RE3, D02 covers the ECG but does not spare the quota", R(Y2011), EXS(it), RE3,
				EXS(d02),
				(want) {3615 + 1000, 1000, RE3, 0, "exemption D02 applied", "spared"});
		bill_ok("2011 RE3, M12 (pregnancy, listed) covers none of the items", R(Y2011), EXS(it), RE3,
				EXS(m12),
				(want) {3615 + 1000, 1000, RE3, -1, "exemption M12 covers none of the items", "spared"});
		bill_ok("2011 RE3, RI0050 and B01 not recognised: ignored", R(Y2011), EXS(it), RE3, EXS(unknown),
				(want) {3615 + 1000, 1000, RE3, -1,
				"exemption RI0050 not recognised by this regime; exemption B01 not recognised by this regime", NULL});
		bill_ok("2011 RE3, B01 ignored then 0A31 applied: exemption index 1", R(Y2011), EXS(it), RE3, EXS(two),
				(want) {3615, 0, RE3, 1, "exemption 0A31 applied", NULL});
	}
	{
		/* the scope callback gets the code written on the prescription, also for a family rule */
		tk_item		it[] = {GLU(1), HBA1C(1), LAB3(1)};
		tk_exemption ex[] = {X_013};

		scope_ctx.calls = 0;
		scope_ctx.last_exemption = 0;
		bill_ok("2011 RE3, 013 covers glucose and HbA1c, CBC 3.00 left", R(Y2011), EXS(it), RE3, EXS(ex),
				(want) {300, 0, RE3, 0, "exemption 013 applied; tariffs 3.00", NULL});
		ok(scope_ctx.calls > 0 && scope_ctx.last_exemption == C013,
		   "the scope callback is asked about 013 (the written code): %d calls, last %u",
		   scope_ctx.calls, scope_ctx.last_exemption);
	}
	{
		/* no scope callback: a listed rule covers nothing */
		tk_item		it[] = {GLU(1), HBA1C(1)};
		tk_exemption ex[] = {X_013};
		tk_bill		bill;
		tk_error	err;
		tk_status	st = ticket_tk_price(R(Y2011), it, N(it), RE3, ex, N(ex), NULL, NULL, &bill, &err);

		ok(st == TK_OK && bill.total == 1112 + 1000 && bill.exemption == -1 &&
		   strstr(bill.explanation, "exemption 013 covers none of the items") != NULL,
		   "listed rule without a scope callback covers nothing (total %lld)", (long long) bill.total);
	}
	{
		/* family rule vs code rule: C01 has its own rule (all), L03 only the family's (listed) */
		tk_item		it[] = {HOLTER(1)};
		tk_exemption c01[] = {X_C01};
		tk_exemption l03[] = {X_L03};

		bill_ok("2011 RE2, C01 code rule (all) beats the invalidity family rule", R(Y2011), EXS(it), RE2,
				EXS(c01), (want) {0, 0, RE2, 0, "exemption C01 applied; every item exempt", NULL});
		bill_ok("2011 RE2, L03 falls back to the family rule (listed): Holter not in scope", R(Y2011),
				EXS(it), RE2, EXS(l03),
				(want) {3615 + 500, 500, RE2, -1, "exemption L03 covers none of the items", NULL});
	}
	{
		/* a code rule is found whatever its position: put it first and last */
		tk_exemption_rule first[] = {{C01, -1, TK_COVERS_ALL, true, true, true, false, false, 0, false},
		{0, EX_FAMILY_INVALIDITY, TK_COVERS_LISTED, true, true, false, false, false, 0, false}};
		tk_regime	r = regimes[Y2011];
		tk_item		it[] = {HOLTER(1)};
		tk_exemption c01[] = {X_C01};

		r.exemptions = first;
		r.nexemptions = N(first);
		bill_ok("code rule before the family rule: still the code rule", &r, EXS(it), RE2, EXS(c01),
				(want) {0, 0, RE2, 0, "every item exempt", NULL});
	}
	{
		/* two rules for one family (the tables forbid it): the first one is used */
		tk_exemption_rule twice[] = {{0, EX_FAMILY_CHRONIC, TK_COVERS_ALL, true, true, true, false, false, 0, false},
		{0, EX_FAMILY_CHRONIC, TK_COVERS_LISTED, true, true, false, false, false, 0, false}};
		tk_regime	r = regimes[Y2011];
		tk_item		it[] = {HOLTER(1)};
		tk_exemption a31[] = {X_0A31};

		r.exemptions = twice;
		r.nexemptions = N(twice);
		bill_ok("two family rules for chronic: the first (all) applies", &r, EXS(it), RE2, EXS(a31),
				(want) {0, 0, RE2, 0, "every item exempt", NULL});
	}
	{
		/* E99: code rule, all services but not drugs nor emergency-room accesses */
		tk_item		exam[] = {US(1)};
		tk_item		drugs[] = {DRUG(2)};
		tk_item		er[] = {PS_WHITE(1)};
		tk_exemption e99[] = {X_E99};
		tk_exemption e02[] = {X_E02};

		bill_ok("2011 RE2, E99 covers an exam", R(Y2011), EXS(exam), RE2, EXS(e99),
				(want) {0, 0, RE2, 0, "exemption E99 applied", NULL});
		bill_ok("2011 RE3, E99 does not spare drugs", R(Y2011), EXS(drugs), RE3, EXS(e99),
				(want) {400, 0, RE3, -1, "exemption E99 covers none of the items; 2 packs x 2.00", NULL});
		bill_ok("2011, E99 does not spare the ER ticket", R(Y2011), EXS(er), 0, EXS(e99),
				(want) {2500, 0, 0, -1, "exemption E99 covers none of the items", NULL});
		bill_ok("2011 RE3, E02 (income) spares drugs", R(Y2011), EXS(drugs), RE3, EXS(e02),
				(want) {0, 0, RE3, 0, "every item exempt", NULL});
		bill_ok("2011, E02 (income) spares the ER ticket", R(Y2011), EXS(er), 0, EXS(e02),
				(want) {0, 0, 0, 0, "every item exempt", NULL});
	}
	{
		/* FA2: first visits only */
		tk_item		fv_cv[] = {FV(1), CV(1)};
		tk_item		cv[] = {CV(1)};
		tk_item		fv_exam[] = {FV(1), {"89.x", TK_EXAM, "cardiology", 2000, 1, false, 0, false}};
		tk_item		drugs[] = {DRUG(1)};
		tk_exemption fa2[] = {X_FA2};

		bill_ok("2019, FA2 on first + control visit: the control visit, fixed", R(Y2019), EXS(fv_cv), 0,
				EXS(fa2), (want) {1800, 0, QM, 0, "exemption FA2 applied; visit-only prescription: fixed visit tickets 18.00", NULL});
		bill_ok("2019, FA2 on a control visit: covers none", R(Y2019), EXS(cv), QB, EXS(fa2),
				(want) {1800, 0, QB, -1, "exemption FA2 covers none of the items", NULL});
		bill_ok("2019 QM, FA2 on first visit + exam 20.00: the exam, quota spared", R(Y2019), EXS(fv_exam),
				QM, EXS(fa2), (want) {2000, 0, QM, 0, "band quota spared by the exemption", NULL});
		bill_ok("2019 QM, FA2 on drugs: covers none", R(Y2019), EXS(drugs), QM, EXS(fa2),
				(want) {300, 0, QM, -1, "exemption FA2 covers none of the items", NULL});
		bill_ok("2011, FA2 unknown before 2019: ignored", R(Y2011), EXS(fv_cv), RE1, EXS(fa2),
				(want) {4100, 0, RE1, -1, "exemption FA2 not recognised by this regime", NULL});
	}
	{
		/* two exemptions that cover different items: nothing left; the first applied is reported */
		tk_item		it[] = {ECG(1), CV(1), HOLTER(1)};
		tk_exemption ex[] = {X_0A31, X_E99};

		bill_ok("2011 RE3, 0A31 (ECG, control visit) then E99 (the rest): exemption 0", R(Y2011), EXS(it),
				RE3, EXS(ex), (want) {0, 0, RE3, 0, "exemption 0A31 applied; exemption E99 applied; every item exempt", NULL});
	}
	{
		/*
		 * an exemption applies when it covers an item, even one an earlier
		 * exemption covered: the bill does not depend on the order written
		 */
		tk_item		it[] = {ECG(1), HOLTER(1)};
		tk_exemption ex[] = {X_0A31, X_D02};
		tk_exemption reversed[] = {X_D02, X_0A31};

		bill_ok("2011 RE3, D02 after 0A31: both cover the ECG, both applied", R(Y2011), EXS(it), RE3, EXS(ex),
				(want) {3615, 0, RE3, 0, "exemption 0A31 applied; exemption D02 applied", NULL});
		bill_ok("2011 RE3, D02 before 0A31: the same bill, D02 reported", R(Y2011), EXS(it), RE3, EXS(reversed),
				(want) {3615, 0, RE3, 0, "exemption D02 applied; exemption 0A31 applied", NULL});
	}
}

static void
test_drugs(void)
{
	{
		tk_item		one[] = {DRUG(1)};
		tk_item		three[] = {DRUG(1), METF(2)};
		tk_item		five[] = {DRUG(5)};

		bill_ok("2011 RE2, 1 pack: 1.00", R(Y2011), EXS(one), RE2, NONE_EX,
				(want) {100, 0, RE2, -1, "1 packs x 1.00", "capped"});
		bill_ok("2011 RE2, 3 packs on two lines: capped at 2.00", R(Y2011), EXS(three), RE2, NONE_EX,
				(want) {200, 0, RE2, -1, "3 packs x 1.00 capped at 2.00", NULL});
		bill_ok("2011 RE1, drugs: no drug ticket", R(Y2011), EXS(five), RE1, NONE_EX,
				(want) {0, 0, RE1, -1, "no drug ticket", NULL});
		bill_ok("2011 no band, 5 packs: capped at 6.00", R(Y2011), EXS(five), 0, NONE_EX,
				(want) {600, 0, 0, -1, "5 packs x 3.00 capped at 6.00", NULL});
		bill_ok("2019 no band -> QM, 1 pack: 3.00", R(Y2019), EXS(one), 0, NONE_EX,
				(want) {300, 0, QM, -1, "1 packs x 3.00", NULL});
		bill_ok("2020, drugs: no drug ticket", R(Y2020), EXS(five), 0, NONE_EX,
				(want) {0, 0, 0, -1, "no drug ticket", NULL});
		bill_ok("baseline, drugs: no drug ticket", R(BASE), EXS(one), 0, NONE_EX,
				(want) {0, 0, 0, -1, "no drug ticket", NULL});
		bill_ok("2025, 1 pack: 2.20", R(Y2025), EXS(one), 0, NONE_EX,
				(want) {220, 0, 0, -1, "1 packs x 2.20", "capped"});
	}
	{
		tk_item		two[] = {DRUG(2)};

		bill_ok("2011 RE2, 2 packs: exactly the cap 2.00", R(Y2011), EXS(two), RE2, NONE_EX,
				(want) {200, 0, RE2, -1, "2 packs x 1.00", "capped"});
	}
	{
		tk_regime	r = regimes[Y2025];
		tk_item		it[] = {DRUG(1000)};

		r.no_band.drug_cap = TK_NONE;
		bill_ok("drug ticket without a cap: 1000 packs x 2.20", &r, EXS(it), 0, NONE_EX,
				(want) {220000, 0, 0, -1, "1000 packs x 2.20", "capped"});
	}
	{
		/* covered drugs: 013 covers metformin (spares drugs) */
		tk_item		it[] = {METF(2), DRUG(1)};
		tk_exemption c013[] = {X_013};
		tk_exemption m12[] = {X_M12};
		tk_item		metf[] = {METF(3)};

		bill_ok("2011 RE3, 013 covers metformin: 1 pack left", R(Y2011), EXS(it), RE3, EXS(c013),
				(want) {200, 0, RE3, 0, "exemption 013 applied; 1 packs x 2.00", NULL});
		bill_ok("2011 RE3, 013 on metformin only: nothing to pay", R(Y2011), EXS(metf), RE3, EXS(c013),
				(want) {0, 0, RE3, 0, "every item exempt", NULL});
		/* M12's scope lists A-0001 but the pregnancy rule does not spare drugs */
		bill_ok("2011 RE3, M12 lists the drug but does not spare drugs", R(Y2011), EXS(it), RE3, EXS(m12),
				(want) {400, 0, RE3, -1, "exemption M12 covers none of the items; 3 packs x 2.00 capped at 4.00", NULL});
	}
	{
		/* From 2 May 2025 an invalidity exemption spares every fascia A drug,
		 * also where it is partial for specialist services (L03: listed
		 * services only) -- ticket-rules.md §3.6, §9: S14 S27 S28 */
		tk_exemption_rule all_drugs[] = {{0, EX_FAMILY_INVALIDITY, TK_COVERS_LISTED, true, true, false, true, false, 0, false}};
		tk_exemption_rule listed[] = {{0, EX_FAMILY_INVALIDITY, TK_COVERS_LISTED, true, true, false, false, false, 0, false}};
		tk_regime	r = regimes[Y2025];
		tk_item		two[] = {DRUG(2)};
		tk_exemption l03[] = {X_L03};

		r.exemptions = all_drugs;
		r.nexemptions = N(all_drugs);
		bill_ok("2025, L03 (invalidity, covers all drugs): 2 packs free", &r, EXS(two), 0, EXS(l03),
				(want) {0, 0, 0, 0, "every item exempt", NULL});
		r.exemptions = listed;
		r.nexemptions = N(listed);
		bill_ok("2025, L03 without covers_all_drugs: the drug is outside its list, 4.00", &r, EXS(two), 0, EXS(l03),
				(want) {400, 0, 0, -1, "2 packs x 2.20 capped at 4.00", NULL});
	}
}

/*
 * Step 7, the brand difference (issue 18, "missing today"): the difference
 * between a drug's price and the reference price of its class is paid on
 * top of the drug ticket, outside its cap, by exempt and non-exempt alike,
 * except war invalids and terrorism victims -- ticket-rules.md §2.6 and §9
 * item 2 [C S13, S46]; AUSL Romagna (S19): "anche gli assistiti titolari di
 * esenzione (con la sola eccezione degli invalidi di guerra e delle vittime
 * del terrorismo)"; L. 405/2001 art. 7.  The prescriber's "not
 * substitutable" mark does not spare it: L. 405/2001 art. 7 c. 4 (the
 * difference is the patient's when the drug is marked so or the patient
 * refuses the substitute) -- against the wording, see the manual.
 */
static void
test_brand_difference(void)
{
	/* G01 and V02 total, G02 and V01 partial for services; all four spare it */
	tk_exemption_rule rules_2025[] = {
		{G01, -1, TK_COVERS_ALL, true, true, true, false, false, 0, true},
		{G02, -1, TK_COVERS_LISTED, false, true, false, true, false, 0, true},
		{0, EX_FAMILY_INVALIDITY, TK_COVERS_LISTED, false, true, false, true, false, 0, false},
		{0, EX_FAMILY_INCOME, TK_COVERS_ALL, true, true, true, false, false, 0, false},
		{0, EX_FAMILY_CHRONIC, TK_COVERS_LISTED, true, true, false, false, false, 0, false},
	};
	tk_exemption_rule rules_2011[] = {
		{G02, -1, TK_COVERS_LISTED, false, true, false, false, false, 0, true},
		{V01, -1, TK_COVERS_LISTED, false, true, false, false, false, 0, true},
		{0, EX_FAMILY_INVALIDITY, TK_COVERS_LISTED, false, true, false, false, false, 0, false},
		{0, EX_FAMILY_INCOME, TK_COVERS_ALL, true, true, true, false, false, 0, false},
		{0, EX_FAMILY_CHRONIC, TK_COVERS_LISTED, true, true, false, false, false, 0, false},
	};
	tk_regime	y2025 = regimes[Y2025];
	tk_regime	y2011 = regimes[Y2011];
	tk_regime	y2020 = regimes[Y2020];
	tk_item		one[] = {BRAND(1)};
	tk_item		two[] = {BRAND(2)};
	tk_item		marked[] = {BRAND_NS(1)};
	tk_item		generic[] = {GENERIC(2)};
	tk_item		mixed[] = {METF(1), BRAND(1)};
	tk_exemption e01[] = {X_E01};
	tk_exemption g01[] = {X_G01};
	tk_exemption g02[] = {X_G02};
	tk_exemption v01[] = {X_V01};
	tk_exemption l03[] = {X_L03};
	tk_exemption c013_g02[] = {X_013, X_G02};

	y2025.exemptions = rules_2025;
	y2025.nexemptions = N(rules_2025);
	y2011.exemptions = rules_2011;
	y2011.nexemptions = N(rules_2011);
	y2020.exemptions = rules_2025;
	y2020.nexemptions = N(rules_2025);

	/* 2025 drug ticket 2.20 a pack, max 4.00 (§3.6: S14 S27) */
	bill_ok("2025, 1 brand pack: 2.20 + difference 4.00", &y2025, EXS(one), 0, NONE_EX,
			(want) {620, 0, 0, -1, "1 packs x 2.20; brand difference 4.00 over the reference price", NULL});
	bill_ok("2025, 2 brand packs: 4.00 (cap) + 8.00, the difference outside the cap", &y2025,
			EXS(two), 0, NONE_EX,
			(want) {1200, 0, 0, -1, "capped at 4.00; brand difference 8.00", NULL});
	bill_ok("2025, a generic at its reference price: the ticket only", &y2025, EXS(generic), 0,
			NONE_EX, (want) {400, 0, 0, -1, "2 packs x 2.20 capped at 4.00", "brand"});
	bill_ok("2025, brand + metformin: the difference of the brand pack only", &y2025, EXS(mixed), 0,
			NONE_EX, (want) {400 + 400, 0, 0, -1, "brand difference 4.00", NULL});
	/* exempt citizens pay it too (S13 S46 S19) */
	bill_ok("2025, E01 (income, total): no ticket, the difference 4.00", &y2025, EXS(one), 0,
			EXS(e01), (want) {400, 0, 0, 0, "every item exempt; brand difference 4.00", "spared"});
	bill_ok("2025, L03 (invalidity, every drug): no ticket, the difference 8.00", &y2025, EXS(two), 0,
			EXS(l03), (want) {800, 0, 0, 0, "brand difference 8.00", "spared"});
	/* war invalids and terrorism victims do not */
	bill_ok("2025, G01 (war invalid): nothing", &y2025, EXS(two), 0, EXS(g01),
			(want) {0, 0, 0, 0, "brand difference 8.00 spared by exemption G01", NULL});
	bill_ok("2025, G02 (war invalid cat. 6-8): nothing", &y2025, EXS(one), 0, EXS(g02),
			(want) {0, 0, 0, 0, "every item exempt; brand difference 4.00 spared by exemption G02", NULL});
	bill_ok("2011 RE3, G02 outside its list: the drug ticket, no difference", &y2011, EXS(one), RE3,
			EXS(g02), (want) {200, 0, RE3, 0, "1 packs x 2.00; brand difference 4.00 spared by exemption G02",
			"covers none"});
	bill_ok("2011 no band, V01 (terrorism victim): 3.00, no difference", &y2011, EXS(two), 0, EXS(v01),
			(want) {600, 0, 0, 0, "spared by exemption V01", NULL});
	bill_ok("2011 RE3, 013 then G02: 013 covers metformin, G02 spares the difference", &y2011,
			EXS(mixed), RE3, EXS(c013_g02),
			(want) {200, 0, RE3, 0, "exemption 013 applied; 1 packs x 2.00; brand difference 4.00 spared by exemption G02", NULL});
	/* 2020-2025: no drug ticket, only the difference (§0: S13) */
	bill_ok("2020, no drug ticket: the difference only", &y2020, EXS(two), 0, NONE_EX,
			(want) {800, 0, 0, -1, "no drug ticket; brand difference 8.00", NULL});
	bill_ok("2020, G01: nothing at all", &y2020, EXS(two), 0, EXS(g01),
			(want) {0, 0, 0, 0, "spared by exemption G01", NULL});
	/* the "not substitutable" mark: still due (L. 405/2001 art. 7 c. 4) */
	bill_ok("2025, marked not substitutable: 2.20 + 4.00 all the same", &y2025, EXS(marked), 0, NONE_EX,
			(want) {620, 0, 0, -1, "1 packs marked not substitutable: their difference is due all the same", NULL});
	bill_ok("2025, E01 and marked not substitutable: 4.00", &y2025, EXS(marked), 0, EXS(e01),
			(want) {400, 0, 0, 0, "brand difference 4.00", NULL});
	{
		/* a reference price above the price: nothing (the SSN pays it all) */
		tk_item		cheap[] = {{"A-0005", TK_DRUG, "pharmacy", 700, 3, true, 850, false}};
		tk_item		big[] = {{"A-0006", TK_DRUG, "pharmacy", TK_MAX_AMOUNT, TK_MAX_QUANTITY, true, 0, false}};

		bill_ok("2020, price below the reference price: 0.00", &y2020, EXS(cheap), 0, NONE_EX,
				(want) {0, 0, 0, -1, "no drug ticket", "brand"});
		err_is("a difference of 999999.99 x 1000 packs: too large", &y2020, EXS(big), 0, NONE_EX,
			   TK_ERR_AMOUNT_TOO_LARGE, -1, -1, ANY, ANY);
	}
	{
		tk_item		on_exam[] = {ECG(1), {"89.50", TK_EXAM, "cardiology", 6197, 1, true, 100, false}};
		tk_item		negative[] = {DRUG(1), {"A-0003", TK_DRUG, "pharmacy", 1250, 1, true, -1, false}};
		tk_item		too_large[] = {{"A-0003", TK_DRUG, "pharmacy", 1250, 1, true, TK_MAX_AMOUNT + 1, false}};
		tk_item		ok_limit[] = {{"A-0003", TK_DRUG, "pharmacy", 1250, 1, true, TK_MAX_AMOUNT, false}};

		err_is("a reference price on an exam", R(Y2025), EXS(on_exam), 0, NONE_EX,
			   TK_ERR_REFERENCE_PRICE, 1, -1, 100, ANY);
		err_is("a negative reference price", R(Y2025), EXS(negative), 0, NONE_EX,
			   TK_ERR_REFERENCE_PRICE, 1, -1, -1, ANY);
		err_is("a reference price over 999999.99", R(Y2025), EXS(too_large), 0, NONE_EX,
			   TK_ERR_REFERENCE_PRICE, 0, -1, TK_MAX_AMOUNT + 1, ANY);
		bill_ok("a reference price of 999999.99: no difference", R(Y2025), EXS(ok_limit), 0, NONE_EX,
				(want) {220, 0, 0, -1, "1 packs x 2.20", "brand"});
	}
}

static void
test_er(void)
{
	{
		tk_item		white[] = {PS_WHITE(1)};
		tk_item		green2[] = {PS_GREEN(2)};
		tk_item		red[] = {PS_RED(1)};
		tk_item		mixed[] = {PS_RED(1), PS_WHITE(1), PS_GREEN(1)};
		tk_exemption e01[] = {X_E01};
		tk_exemption a31[] = {X_0A31};

		bill_ok("2011 no band, white access: 25.00, no quota", R(Y2011), EXS(white), 0, NONE_EX,
				(want) {2500, 0, 0, -1, "1 chargeable emergency-room access(es) x 25.00", "quota"});
		bill_ok("2011 RE3, 2 green accesses: 50.00", R(Y2011), EXS(green2), RE3, NONE_EX,
				(want) {5000, 0, RE3, -1, "2 chargeable emergency-room access(es)", NULL});
		bill_ok("2020, red access: not chargeable", R(Y2020), EXS(red), 0, NONE_EX,
				(want) {0, 0, 0, -1, "no chargeable emergency-room access", NULL});
		bill_ok("2019, red + white + green: 2 chargeable", R(Y2019), EXS(mixed), 0, NONE_EX,
				(want) {5000, 0, QM, -1, "2 chargeable", NULL});
		bill_ok("2011, E01 spares the ER ticket", R(Y2011), EXS(white), 0, EXS(e01),
				(want) {0, 0, 0, 0, "every item exempt", NULL});
		bill_ok("2011, 0A31 (chronic, listed, not ER) covers no access", R(Y2011), EXS(white), 0, EXS(a31),
				(want) {2500, 0, 0, -1, "exemption 0A31 covers none of the items", NULL});
	}
	{
		/* a listed rule that spares the ER ticket covers one access of two */
		tk_exemption_rule rules[] = {{B01, -1, TK_COVERS_LISTED, true, false, true, false, false, 0, false}};
		tk_regime	r = regimes[Y2020];
		tk_item		two[] = {PS_WHITE(1), PS_GREEN(1)};
		tk_exemption b01[] = {X_B01};

		r.exemptions = rules;
		r.nexemptions = N(rules);
		bill_ok("B01 (listed, spares ER) covers the white access, the green one pays", &r, EXS(two), 0,
				EXS(b01), (want) {2500, 0, 0, 0, "exemption B01 applied; 1 chargeable emergency-room access(es)", NULL});
	}
	{
		tk_regime	r = regimes[Y2020];
		tk_item		white[] = {PS_WHITE(3)};

		r.er_access = TK_NONE;
		bill_ok("regime without an ER ticket: 0.00", &r, EXS(white), 0, NONE_EX,
				(want) {0, 0, 0, -1, "no chargeable emergency-room access", NULL});
		r = regimes[Y2020];
		r.ner_codes = 0;
		r.er_codes = NULL;
		bill_ok("regime without chargeable codes: 0.00", &r, EXS(white), 0, NONE_EX,
				(want) {0, 0, 0, -1, "no chargeable emergency-room access", NULL});
	}
}

/*
 * Emergency room from May 2011 (DGR 389/2011): the 25.00 of a white or
 * green access covers the first PS visit; each further consultant visit
 * the PS doctor asks for costs another 25.00, and the exams PS prescribes
 * are charged up to 36.15 a prescription -- ticket-rules.md §2.5 and §9
 * [C S25; S26 S61]; S13's older 23.00 a consultation not taken.  Only with
 * an access that pays: a red access or an exempt patient pays nothing for
 * them either.  The T-BASELINE regime (before May 2011) has no such rules.
 */
static void
test_er_further(void)
{
	tk_item		consult2[] = {PS_GREEN(1), PS_CONSULT(2)};
	tk_item		consult_first[] = {PS_CONSULT(1), PS_WHITE(1)};
	tk_item		below[] = {PS_WHITE(1), PS_EXAM(2000, 1), PS_EXAM(1614, 1)};
	tk_item		at[] = {PS_WHITE(1), PS_EXAM(2000, 1), PS_EXAM(1615, 1)};
	tk_item		above[] = {PS_WHITE(1), PS_EXAM(2000, 1), PS_EXAM(1616, 1)};
	tk_item		exam_qty[] = {PS_GREEN(1), PS_EXAM(1000, 4)};
	tk_item		all3[] = {PS_GREEN(1), PS_CONSULT(1), PS_EXAM(5000, 1)};
	tk_item		red[] = {PS_RED(1), PS_CONSULT(2), PS_EXAM(5000, 1)};
	tk_item		no_access[] = {PS_CONSULT(1), PS_EXAM(1000, 1)};
	tk_item		exam_only[] = {PS_EXAM(1000, 1)};
	tk_item		with_drug[] = {PS_WHITE(1), DRUG(1)};
	tk_item		consult_exam[] = {PS_CONSULT(1), ECG(1)};
	tk_exemption e01[] = {X_E01};
	tk_exemption a31[] = {X_0A31};

	bill_ok("S25: green access + 2 further consultations: 25.00 + 2 x 25.00", R(Y2011), EXS(consult2), 0,
			NONE_EX, (want) {7500, 0, 0, -1, "1 chargeable emergency-room access(es) x 25.00; 2 further consultation(s) x 25.00", NULL});
	bill_ok("S25: consultation written before the access: the same rule", R(Y2020), EXS(consult_first), 0,
			NONE_EX, (want) {5000, 0, 0, -1, "1 further consultation(s) x 25.00", NULL});
	bill_ok("S25: exams 36.14, just below the cap: 25.00 + 36.14", R(Y2020), EXS(below), 0, NONE_EX,
			(want) {2500 + 3614, 0, 0, -1, "emergency-room exams 36.14", "capped"});
	bill_ok("S25: exams 36.15, at the cap: 25.00 + 36.15", R(Y2020), EXS(at), 0, NONE_EX,
			(want) {2500 + 3615, 0, 0, -1, "emergency-room exams 36.15", "capped"});
	bill_ok("S25: exams 36.16, just above the cap: 25.00 + 36.15", R(Y2020), EXS(above), 0, NONE_EX,
			(want) {2500 + 3615, 0, 0, -1, "emergency-room exams 36.16 capped at 36.15", NULL});
	bill_ok("S25: an exam x 4 at 10.00: 40.00 capped at 36.15", R(Y2025), EXS(exam_qty), 0, NONE_EX,
			(want) {2500 + 3615, 0, 0, -1, "emergency-room exams 40.00 capped at 36.15", NULL});
	bill_ok("S25: access, consultation and exams together, RE3: no band quota", R(Y2011), EXS(all3), RE3,
			NONE_EX, (want) {2500 + 2500 + 3615, 0, RE3, -1, "capped at 36.15", "quota"});
	bill_ok("S26 S61: red access: its consultations and exams are free", R(Y2019), EXS(red), 0, NONE_EX,
			(want) {0, 0, QM, -1, "no chargeable emergency-room access; its consultations and exams are not charged either", NULL});
	bill_ok("S26: E01 (spares the ER ticket) spares consultations and exams", R(Y2011), EXS(all3), 0,
			EXS(e01), (want) {0, 0, 0, 0, "every item exempt", NULL});
	bill_ok("0A31 (chronic, does not spare the ER ticket): all charged", R(Y2011), EXS(all3), 0,
			EXS(a31), (want) {2500 + 2500 + 3615, 0, 0, -1, "exemption 0A31 covers none of the items", NULL});
	{
		tk_item		white_all[] = {PS_WHITE(1), PS_CONSULT(2), PS_EXAM(5000, 1)};

		bill_ok("before May 2011, white: 25.00, consultations and exams not charged", R(BASE),
				EXS(white_all), 0, NONE_EX,
				(want) {2500, 0, 0, -1, "2 further consultation(s): no ticket in this regime; emergency-room exams: no ticket in this regime", NULL});
	}
	{
		/* a listed rule that spares the ER ticket, covering only the access */
		tk_exemption_rule rules[] = {{B01, -1, TK_COVERS_LISTED, true, false, true, false, false, 0, false}};
		tk_regime	r = regimes[Y2020];
		tk_item		items[] = {PS_WHITE(1), PS_CONSULT(1), PS_EXAM(1000, 1)};
		tk_exemption b01[] = {X_B01};

		r.exemptions = rules;
		r.nexemptions = N(rules);
		bill_ok("B01 covers the access (PS-WHITE in its list): its consultation and exam are free", &r,
				EXS(items), 0, EXS(b01), (want) {0, 0, 0, 0, "exemption B01 applied; no chargeable", NULL});
	}
	{
		/* the amounts are the regime's: another figure, no cap */
		tk_regime	r = regimes[Y2020];
		tk_item		items[] = {PS_WHITE(1), PS_CONSULT(3), PS_EXAM(5000, 1)};

		r.er_consultation = 2300;
		r.er_exam_cap = TK_MAX_AMOUNT;
		bill_ok("a regime with 23.00 a consultation (S13) and no effective cap", &r, EXS(items), 0, NONE_EX,
				(want) {2500 + 3 * 2300 + 5000, 0, 0, -1, "3 further consultation(s) x 23.00; emergency-room exams 50.00", NULL});
		r.er_access = TK_NONE;
		bill_ok("a regime without an access ticket: nothing, consultations included", &r, EXS(items), 0,
				NONE_EX, (want) {0, 0, 0, -1, "no chargeable emergency-room access", NULL});
	}
	err_is("consultations and exams without an access", R(Y2011), EXS(no_access), 0, NONE_EX,
		   TK_ERR_ER_WITHOUT_ACCESS, 0, INT_MIN, ANY, ANY);
	err_is("an exam without an access, before May 2011 too", R(BASE), EXS(exam_only), 0, NONE_EX,
		   TK_ERR_ER_WITHOUT_ACCESS, 0, INT_MIN, ANY, ANY);
	err_is("an access with a drug: incompatible", R(Y2011), EXS(with_drug), 0, NONE_EX,
		   TK_ERR_INCOMPATIBLE_KINDS, 0, 1, ANY, ANY);
	err_is("an ER consultation with a specialist exam: incompatible", R(Y2011), EXS(consult_exam), 0,
		   NONE_EX, TK_ERR_INCOMPATIBLE_KINDS, 0, 1, ANY, ANY);
}

/*
 * The "not substitutable" mark as data (issue 18; ticket-rules.md §9 item
 * 2 [C S13, S46] against L. 405/2001 art. 7 c. 4): with the regime's
 * not_substitutable_spares_brand_difference the marked packs pay no brand
 * difference, the unmarked ones still do; without it (every shipped
 * regime) test_brand_difference shows it due.
 */
static void
test_not_substitutable_rule(void)
{
	tk_regime	r = regimes[Y2025];
	tk_item		marked[] = {BRAND_NS(1)};
	tk_item		both[] = {BRAND_NS(1), BRAND(2)};
	tk_exemption e01[] = {X_E01};

	bill_ok("regime rule off: a marked pack pays 2.20 + 4.00", &r, EXS(marked), 0, NONE_EX,
			(want) {620, 0, 0, -1, "their difference is due all the same", "spared"});
	r.not_substitutable_spares_brand_difference = true;
	bill_ok("regime rule on: a marked pack pays the ticket only", &r, EXS(marked), 0, NONE_EX,
			(want) {220, 0, 0, -1, "brand difference 4.00 of packs marked not substitutable spared by the regime", "due all"});
	bill_ok("regime rule on: marked 1 + unmarked 2: 4.00 (cap) + 8.00", &r, EXS(both), 0, NONE_EX,
			(want) {400 + 800, 0, 0, -1, "spared by the regime; brand difference 8.00 over the reference price", "due all"});
	bill_ok("regime rule on, E01: nothing, and E01 is not named for it", &r, EXS(marked), 0, EXS(e01),
			(want) {0, 0, 0, 0, "every item exempt; brand difference 4.00 of packs marked", NULL});
}

static void
test_bands(void)
{
	tk_item		it[] = {ECG(1)};

	err_is("2011 with band QM", R(Y2011), EXS(it), QM, NONE_EX,
		   TK_ERR_BAND_NOT_IN_REGIME, -1, -1, QM, ANY);
	err_is("2019 with band RE1", R(Y2019), EXS(it), RE1, NONE_EX,
		   TK_ERR_BAND_NOT_IN_REGIME, -1, -1, RE1, ANY);
	err_is("2020 (no bands) with band RE2", R(Y2020), EXS(it), RE2, NONE_EX,
		   TK_ERR_BAND_NOT_IN_REGIME, -1, -1, RE2, ANY);
	err_is("2011 with band RE4 (never defined)", R(Y2011), EXS(it), RE4, NONE_EX,
		   TK_ERR_BAND_NOT_IN_REGIME, -1, -1, RE4, ANY);
	{
		tk_regime	r = regimes[Y2019];

		r.default_band = RE1;
		err_is("default band missing from the regime's bands", &r, EXS(it), 0, NONE_EX,
			   TK_ERR_BAND_NOT_IN_REGIME, -1, -1, ANY, ANY);
	}
	/* the band check comes after the item checks */
	{
		tk_item		bad[] = {EXAM(-1, 1)};

		err_is("negative tariff and a band not in the regime", R(Y2011), EXS(bad), QM, NONE_EX,
			   TK_ERR_NEGATIVE_TARIFF, 0, -1, -1, ANY);
	}
	bill_ok("2019, QB declared", R(Y2019), EXS(it), QB, NONE_EX,
			(want) {1162, 0, QB, -1, "; band QB;", "default"});
	bill_ok("2011, none declared: the no-band amounts", R(Y2011), EXS(it), 0, NONE_EX,
			(want) {1162 + 1500, 1500, 0, -1, "no band declared: amounts for citizens without a band", NULL});
	bill_ok("2020, none declared, no bands: no band sentence", R(Y2020), EXS(it), 0, NONE_EX,
			(want) {1162, 0, 0, -1, "regime T-2020 (DGR 1044/2020); tariffs 11.62", "band"});
}

static void
test_errors(void)
{
	tk_item		lines[TK_MAX_LINES + 1];

	err_is("no items", R(Y2011), NULL, 0, RE1, NONE_EX, TK_ERR_NO_ITEMS, -1, -1, ANY, ANY);
	{
		tk_item		it[] = {ECG(1)};

		err_is("negative item count", R(Y2011), it, -3, RE1, NONE_EX, TK_ERR_NO_ITEMS, -1, -1, ANY, ANY);
	}

	/* TK_MAX_LINES */
	for (int i = 0; i < TK_MAX_LINES + 1; i++)
		lines[i] = (tk_item) DRUG(1);
	err_is("65 lines", R(Y2011), lines, TK_MAX_LINES + 1, RE3, NONE_EX,
		   TK_ERR_TOO_MANY_LINES, -1, -1, TK_MAX_LINES + 1, TK_MAX_LINES);
	bill_ok("64 drug lines (TK_MAX_LINES) are fine", R(Y2011), lines, TK_MAX_LINES, RE3, NONE_EX,
			(want) {400, 0, RE3, -1, "64 packs x 2.00 capped at 4.00", NULL});
	for (int i = 0; i < TK_MAX_LINES + 1; i++)
		lines[i] = (tk_item) EXAM(1, 1);
	err_is("64 specialist lines, max_items 8", R(Y2011), lines, TK_MAX_LINES, RE3, NONE_EX,
		   TK_ERR_TOO_MANY_ITEMS, -1, -1, 64, 8);
	{
		tk_regime	r = regimes[Y2011];

		r.max_items = 64;
		bill_ok("64 specialist lines with max_items 64", &r, lines, TK_MAX_LINES, RE3, NONE_EX,
				(want) {64, 0, RE3, -1, "tariffs 0.64", NULL});
		lines[63].quantity = 2;
		err_is("64 specialist lines, 65 services, max_items 64", &r, lines, TK_MAX_LINES, RE3, NONE_EX,
			   TK_ERR_TOO_MANY_ITEMS, -1, -1, 65, 64);
	}

	{
		tk_item		it[] = {ECG(1), HOLTER(1), EXAM(-5, 1)};

		err_is("negative tariff on item 3", R(Y2011), EXS(it), RE1, NONE_EX,
			   TK_ERR_NEGATIVE_TARIFF, 2, -1, -5, ANY);
	}
	{
		tk_item		zero[] = {ECG(1), ECG(0)};
		tk_item		big[] = {DRUG(TK_MAX_QUANTITY + 1)};
		tk_item		neg[] = {DRUG(-1)};
		tk_item		max[] = {DRUG(TK_MAX_QUANTITY)};

		err_is("quantity 0 on item 2", R(Y2011), EXS(zero), RE1, NONE_EX, TK_ERR_QUANTITY, 1, -1, 0, ANY);
		err_is("quantity 1001", R(Y2011), EXS(big), RE1, NONE_EX, TK_ERR_QUANTITY, 0, -1, 1001, ANY);
		err_is("quantity -1", R(Y2011), EXS(neg), RE1, NONE_EX, TK_ERR_QUANTITY, 0, -1, -1, ANY);
		bill_ok("quantity 1000 (TK_MAX_QUANTITY)", R(Y2011), EXS(max), RE2, NONE_EX,
				(want) {200, 0, RE2, -1, "1000 packs x 1.00 capped at 2.00", NULL});
	}
	{
		tk_item		ex_dr[] = {ECG(1), DRUG(1)};
		tk_item		dr_er[] = {DRUG(1), METF(1), PS_WHITE(1)};
		tk_item		er_ct[] = {PS_WHITE(1), CT(1)};
		tk_item		vis_sur[] = {ORVISIT(1), CARPAL(1), ORCTRL(1)};

		err_is("exam + drug", R(Y2011), EXS(ex_dr), RE1, NONE_EX, TK_ERR_INCOMPATIBLE_KINDS, 0, 1, ANY, ANY);
		err_is("drug, drug + ER access", R(Y2011), EXS(dr_er), RE1, NONE_EX, TK_ERR_INCOMPATIBLE_KINDS, 0, 2, ANY, ANY);
		err_is("ER access + CT", R(Y2011), EXS(er_ct), RE1, NONE_EX, TK_ERR_INCOMPATIBLE_KINDS, 0, 1, ANY, ANY);
		bill_ok("visit, surgery and visit are one category", R(Y2011), EXS(vis_sur), RE1, NONE_EX,
				(want) {4615, 0, RE1, -1, NULL, NULL});
	}
	{
		tk_item		it[] = {ECG(1), HOLTER(1), US(1)};
		tk_item		drugs[] = {{"A-1", TK_DRUG, "pharmacy", 100, 1, false, 0, false}, {"A-2", TK_DRUG, "elsewhere", 100, 1, false, 0, false}};
		tk_item		er[] = {{"PS-WHITE", TK_ER_ACCESS, "a", 0, 1, false, 0, false}, {"PS-GREEN", TK_ER_ACCESS, "b", 0, 1, false, 0, false}};

		err_is("cardiology + radiology", R(Y2011), EXS(it), RE1, NONE_EX, TK_ERR_MIXED_BRANCHES, 0, 2, ANY, ANY);
		bill_ok("drugs of two branches: branches matter only for specialist services", R(Y2011),
				EXS(drugs), RE3, NONE_EX, (want) {400, 0, RE3, -1, NULL, NULL});
		bill_ok("ER accesses of two branches", R(Y2011), EXS(er), 0, NONE_EX,
				(want) {5000, 0, 0, -1, NULL, NULL});
	}
	{
		tk_item		nine[] = {ECG(9)};
		tk_item		eight[] = {ECG(4), HOLTER(4)};
		tk_item		many[] = {ECG(5), HOLTER(4)};
		tk_item		drugs[] = {DRUG(500), METF(500)};

		err_is("9 services on one line", R(Y2011), EXS(nine), RE1, NONE_EX, TK_ERR_TOO_MANY_ITEMS, -1, -1, 9, 8);
		bill_ok("8 services (max_items)", R(Y2011), EXS(eight), RE1, NONE_EX,
				(want) {3615, 0, RE1, -1, "capped", NULL});
		err_is("5 + 4 services", R(Y2011), EXS(many), RE1, NONE_EX, TK_ERR_TOO_MANY_ITEMS, -1, -1, 9, 8);
		bill_ok("1000 packs: max_items does not apply to drugs", R(Y2011), EXS(drugs), RE1, NONE_EX,
				(want) {0, 0, RE1, -1, NULL, NULL});
	}
	/* check order inside an item: tariff sign, quantity, then size */
	{
		tk_item		it[] = {{"X", TK_EXAM, "laboratory", -1, 0, false, 0, false}};
		tk_item		it2[] = {{"X", TK_EXAM, "laboratory", TK_MAX_AMOUNT + 1, 0, false, 0, false}};

		err_is("negative tariff and quantity 0", R(Y2011), EXS(it), RE1, NONE_EX,
			   TK_ERR_NEGATIVE_TARIFF, 0, -1, -1, ANY);
		err_is("tariff too large and quantity 0", R(Y2011), EXS(it2), RE1, NONE_EX,
			   TK_ERR_QUANTITY, 0, -1, 0, ANY);
	}
}

static void
test_amount_limits(void)
{
	{
		tk_item		it[] = {ECG(1), EXAM(TK_MAX_AMOUNT + 1, 1)};
		tk_item		max[] = {EXAM(TK_MAX_AMOUNT, 1)};

		err_is("tariff 999999.99 + 0.01 on item 2", R(Y2011), EXS(it), RE1, NONE_EX,
			   TK_ERR_AMOUNT_TOO_LARGE, 1, -1, TK_MAX_AMOUNT + 1, ANY);
		bill_ok("tariff 999999.99, capped", R(Y2011), EXS(max), RE1, NONE_EX,
				(want) {3615, 0, RE1, -1, "tariffs 999999.99 capped at 36.15", NULL});
	}
	{
		tk_regime	r = regimes[BASE];
		tk_item		max[] = {EXAM(TK_MAX_AMOUNT, 1)};
		tk_item		over[] = {EXAM(TK_MAX_AMOUNT, 1), EXAM(1, 1)};
		tk_item		huge[] = {EXAM(TK_MAX_AMOUNT, 8)};

		r.specialist_cap = TK_NONE;
		bill_ok("no cap, total exactly 999999.99", &r, EXS(max), 0, NONE_EX,
				(want) {TK_MAX_AMOUNT, 0, 0, -1, "tariffs 999999.99", NULL});
		err_is("no cap, total 1000000.00", &r, EXS(over), 0, NONE_EX,
			   TK_ERR_AMOUNT_TOO_LARGE, -1, -1, TK_MAX_AMOUNT + 1, ANY);
		err_is("no cap, 8 x 999999.99", &r, EXS(huge), 0, NONE_EX,
			   TK_ERR_AMOUNT_TOO_LARGE, -1, -1, 8 * TK_MAX_AMOUNT, ANY);
	}
	{
		/* the quota pushes the total over the limit */
		tk_regime	r = regimes[Y2011];
		tk_item		max[] = {EXAM(TK_MAX_AMOUNT, 1)};

		r.specialist_cap = TK_NONE;
		err_is("no cap, 999999.99 + quota 15.00", &r, EXS(max), 0, NONE_EX,
			   TK_ERR_AMOUNT_TOO_LARGE, -1, -1, TK_MAX_AMOUNT + 1500, ANY);
	}
	{
		/* the largest amounts the regime tables allow, on the most lines */
		tk_regime	r = regimes[Y2025];
		tk_item		lines[TK_MAX_LINES];

		r.no_band.drug_per_pack = TK_MAX_AMOUNT;
		r.no_band.drug_cap = TK_NONE;
		for (int i = 0; i < TK_MAX_LINES; i++)
			lines[i] = (tk_item) DRUG(TK_MAX_QUANTITY);
		err_is("64 x 1000 packs x 999999.99 (no int64 overflow)", &r, lines, TK_MAX_LINES, 0, NONE_EX,
			   TK_ERR_AMOUNT_TOO_LARGE, -1, -1, (int64_t) TK_MAX_LINES * TK_MAX_QUANTITY * TK_MAX_AMOUNT, ANY);
		r.no_band.drug_cap = TK_MAX_AMOUNT;
		bill_ok("the same capped at 999999.99", &r, lines, TK_MAX_LINES, 0, NONE_EX,
				(want) {TK_MAX_AMOUNT, 0, 0, -1, "capped at 999999.99", NULL});
	}
	{
		tk_regime	r = regimes[Y2020];
		tk_item		lines[TK_MAX_LINES];

		r.er_access = TK_MAX_AMOUNT;
		for (int i = 0; i < TK_MAX_LINES; i++)
			lines[i] = (tk_item) PS_WHITE(TK_MAX_QUANTITY);
		err_is("64 x 1000 ER accesses x 999999.99", &r, lines, TK_MAX_LINES, 0, NONE_EX,
			   TK_ERR_AMOUNT_TOO_LARGE, -1, -1, (int64_t) TK_MAX_LINES * TK_MAX_QUANTITY * TK_MAX_AMOUNT, ANY);
	}
	{
		tk_regime	r = regimes[Y2020];
		tk_item		it[] = {FV(8)};

		r.first_visit = TK_MAX_AMOUNT;
		err_is("8 first visits at 999999.99", &r, EXS(it), 0, NONE_EX,
			   TK_ERR_AMOUNT_TOO_LARGE, -1, -1, 8 * TK_MAX_AMOUNT, ANY);
	}
}

static void
test_explanation(void)
{
	static char long_reference[1000];
	tk_regime	r = regimes[Y2011];
	tk_item		it[] = {ECG(1), HOLTER(1)};
	tk_exemption many[TK_MAX_LINES];
	tk_bill		bill;
	tk_status	st;
	int			len;

	/* a legal reference longer than the buffer */
	memset(long_reference, 'L', sizeof(long_reference) - 1);
	long_reference[sizeof(long_reference) - 1] = '\0';
	r.legal_reference = long_reference;
	memset(&bill, 0x5a, sizeof(bill));
	st = ticket_tk_price(&r, it, N(it), RE3, NULL, 0, test_scope, &scope_ctx, &bill, NULL);
	len = explanation_len(&bill);
	ok(st == TK_OK && bill.total == 3615 + 1000 && len == TK_EXPLANATION_LEN - 1,
	   "explanation truncated at %d characters by a 999-character legal reference (len %d)",
	   TK_EXPLANATION_LEN - 1, len);

	/* many unrecognised exemptions: one sentence each, truncated */
	for (int i = 0; i < TK_MAX_LINES; i++)
		many[i] = (tk_exemption) X_RI0050;
	memset(&bill, 0x5a, sizeof(bill));
	st = ticket_tk_price(R(Y2011), it, N(it), RE3, many, TK_MAX_LINES, test_scope, &scope_ctx, &bill, NULL);
	len = explanation_len(&bill);
	ok(st == TK_OK && bill.total == 3615 + 1000 && len > 0 && len <= TK_EXPLANATION_LEN - 1,
	   "64 unrecognised exemptions: explanation NUL-terminated, %d characters", len);

	/* every legal-reference length around the end of the buffer */
	{
		int			bad = 0;

		for (int n = TK_EXPLANATION_LEN - 80; n < TK_EXPLANATION_LEN + 10; n++)
		{
			char		ref[TK_EXPLANATION_LEN + 16];

			memset(ref, 'x', (size_t) n);
			ref[n] = '\0';
			r.legal_reference = ref;
			memset(&bill, 0x5a, sizeof(bill));
			st = ticket_tk_price(&r, it, N(it), RE3, many, 3, test_scope, &scope_ctx, &bill, NULL);
			len = explanation_len(&bill);
			if (st != TK_OK || len <= 0 || len > TK_EXPLANATION_LEN - 1 || bill.total != 4615)
				bad++;
		}
		ok(bad == 0, "legal references of %d-%d characters: explanation always NUL-terminated",
		   TK_EXPLANATION_LEN - 80, TK_EXPLANATION_LEN + 9);
	}

	/* on an error the explanation is still a (possibly empty) string */
	{
		tk_item		bad[] = {EXAM(-1, 1)};

		memset(&bill, 0x5a, sizeof(bill));
		st = ticket_tk_price(R(Y2011), bad, N(bad), RE3, NULL, 0, NULL, NULL, &bill, NULL);
		ok(st == TK_ERR_NEGATIVE_TARIFF && explanation_len(&bill) >= 0 && bill.exemption == -1 &&
		   bill.total == 0, "bill of a failed call: zero total, explanation a string");
	}
}

/*
 * FA2 from 2 May 2025: children up to 14 only, expiring at 15 (ticket-rules
 * §3.6, §9; S29 S30).  The age rule (exemption_rule.max_age) is applied by
 * ticket.citizen_status through ticket_tk_exemption_applies_at_age; day
 * numbers computed independently (Python's date arithmetic).
 */
static void
test_age_limit(void)
{
	static const tk_exemption_rule rules_2025[] = {
		{0, EX_FAMILY_INCOME, TK_COVERS_ALL, true, true, true, false, false, 0, false},
		{FA2, -1, TK_COVERS_FIRST_VISIT, false, false, false, false, true, 14, false},
	};
	tk_regime	r = regimes[Y2025];
	const tk_regime *r2019 = R(Y2019);

	r.exemptions = rules_2025;
	r.nexemptions = N(rules_2025);

	ok(ticket_tk_age_on(4139, 9253) == 14, "born 2011-05-02: 14 on 2025-05-02");
	ok(ticket_tk_age_on(3774, 9253) == 15, "born 2010-05-02: 15 on 2025-05-02");
	ok(ticket_tk_age_on(3775, 9253) == 14 && ticket_tk_age_on(3775, 9254) == 15,
	   "born 2010-05-03: 14 on 2025-05-02, 15 on 2025-05-03");
	ok(ticket_tk_age_on(4442, 9920) == 14 && ticket_tk_age_on(4442, 9921) == 15,
	   "born 2012-02-29: 14 on 2027-02-28, 15 on 2027-03-01");
	ok(ticket_tk_age_on(-36525, 0) == 100 && ticket_tk_age_on(-36465, 36583) == 199 &&
	   ticket_tk_age_on(-36465, 36584) == 200, "centuries: 1899-12-31 to 2000-01-01, 1900-03-01 to 2100");
	ok(ticket_tk_age_on(59, 59) == 0 && ticket_tk_age_on(-5420, 59) == 15, "day of birth 0; 1985-02-28 to 2000-02-29: 15");

	ok(ticket_tk_exemption_applies_at_age(&r, FA2, -1, 4139, 9253), "S29 S30: FA2 at 14 applies");
	ok(!ticket_tk_exemption_applies_at_age(&r, FA2, -1, 3774, 9253), "S29 S30: FA2 at 15 does not");
	ok(!ticket_tk_exemption_applies_at_age(&r, FA2, -1, -5420, 9253), "S28 S30: FA2 of a parent (40) does not");
	ok(ticket_tk_exemption_applies_at_age(&r, E01, EX_FAMILY_INCOME, -5420, 9253),
	   "income family rule without an age limit: applies");
	ok(ticket_tk_exemption_applies_at_age(r2019, FA2, -1, -5420, 9253),
	   "2019 FA2 rule (no max_age, zero-initialised): applies to a parent");
	ok(ticket_tk_exemption_applies_at_age(&r, C01, -1, 3774, 9253), "no rule: applies (pricing says not recognised)");
	ok(ticket_tk_exemption_rule_for(&r, FA2, -1) == &rules_2025[1] &&
	   ticket_tk_exemption_rule_for(&r, E01, EX_FAMILY_INCOME) == &rules_2025[0],
	   "rule look-up: code rule, else family rule");
}

int
main(void)
{
	test_fixtures();
	test_kinds();
	test_find_regime();
	test_band_rule_for();
	test_visits();
	test_ct_mri();
	test_surgery();
	test_cap_and_quota();
	test_worked_examples();
	test_exemptions();
	test_drugs();
	test_brand_difference();
	test_er();
	test_er_further();
	test_not_substitutable_rule();
	test_age_limit();
	test_bands();
	test_errors();
	test_amount_limits();
	test_explanation();

	return tap_finish("pricing");
}
