/*
 * test/fuzz/fuzz_pricing.c
 *		libFuzzer target for the pure-C tariff engine (pricing_core.c).
 *		Built and run by `make fuzz-check` (clang,
 *		-fsanitize=fuzzer,address,undefined); see README.md beside this file.
 *
 * The input is decoded, byte by byte, into a small regime (amounts or
 * TK_NONE, 0-4 bands, a default band, surgery and emergency-room codes,
 * 0-6 exemption rules, a legal reference of 0-800 characters) and a
 * prescription (0-70 items, a band, 0-5 exemptions, a scope callback).
 * What was added later (reference prices, the "not substitutable" mark and
 * its regime rule, the emergency-room consultation and exam rules and
 * kinds) is decoded from the bytes after all the others, so that older
 * corpus entries decode as they did.
 * Amounts in the regime stay within numeric(8,2), as the rule tables
 * guarantee; items may be anything (negative or huge tariffs, quantities
 * out of range, mixed kinds and branches).  Missing bytes read as 0.
 *
 * ticket_tk_price is called and the result checked:
 *	- no crash, no sanitizer report;
 *	- the same call twice gives the same bill byte for byte, and passing
 *	  err = NULL gives the same status;
 *	- the explanation is NUL-terminated within TK_EXPLANATION_LEN, and
 *	  non-empty on TK_OK;
 *	- on TK_OK: total == base + band_quota, 0 <= total <= TK_MAX_AMOUNT,
 *	  band_quota is 0 or the quota of the band rule applied (so one of the
 *	  regime's quotas), bill.band is that rule's band, bill.exemption is -1
 *	  or an index of the prescription's exemptions, total == the brand difference when every
 *	  item is covered;
 *	- on an error: the status is one of the tk_status values, err->status
 *	  agrees, and the item indexes and values describe the input;
 *	- on TK_OK: brand_difference is part of base, 0 without reference prices;
 *	- the status, the amounts and the exemption index agree with a reference
 *	  pricer written below from the algorithm in pricing_core.h (not from
 *	  pricing_core.c): a differential test.
 *
 * Any violation prints what went wrong and calls abort(), which libFuzzer
 * reports as a crash and saves as crash-<sha1> in the working directory.
 */
#include "pricing_core.h"
#include "short_code.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ITEMS_DECODED 70	/* more than TK_MAX_LINES on purpose */
#define MAX_BANDS 4
#define MAX_RULES 6
#define MAX_EXEMPTIONS 5
#define MAX_REFERENCE 800
/* the kinds the decoder picked from before the ER consultations and exams */
#define DECODED_KINDS (TK_ER_ACCESS + 1)

static void
fail(const char *what, long long a, long long b)
{
	fprintf(stderr, "fuzz_pricing: invariant violated: %s (%lld, %lld)\n", what, a, b);
	abort();
}

#define CHECK(cond, what, a, b) do { if (!(cond)) fail(what, (long long) (a), (long long) (b)); } while (0)

/* ---------------------------------------------------------------------- */
/* Pools the decoder picks from                                            */
/* ---------------------------------------------------------------------- */

static const char *const band_texts[] = {"RE1", "RE2", "RE3", "QB", "QM", "RE4"};
#define NBAND_POOL 6

static const struct
{
	const char *text;
	int			family;			/* ex_family number */
}			exemption_pool[] = {
	{"E01", 1}, {"E02", 1}, {"E99", 2}, {"FA2", 2}, {"C01", 3}, {"L03", 3},
	{"013", 7}, {"0A31", 7}, {"M12", 4}, {"D02", 5}, {"RI0050", 8}, {"B01", 6},
};
#define NEX_POOL 12

static const char *const code_pool[] = {
	"89.7", "89.01", "89.52", "88.74.1", "88.01.1", "13.41", "04.43", "77.56",
	"A-0001", "A-0002", "PS-WHITE", "PS-GREEN", "PS-RED", "X"
};
#define NCODE_POOL 14

static const char *const branch_pool[] = {"cardiology", "radiology", "laboratory"};

static const tk_cents palette[] = {
	0, 1, 99, 100, 117, 220, 300, 400, 500, 600, 999, 1000, 1001, 1162, 1500, 1800,
	2000, 2300, 2500, 3614, 3615, 3616, 4500, 4615, 5000, 6197, 7000, 18000,
	TK_MAX_AMOUNT / 8, TK_MAX_AMOUNT / 2, TK_MAX_AMOUNT - 1, TK_MAX_AMOUNT
};
#define NPALETTE ((int) (sizeof(palette) / sizeof(palette[0])))

static uint32_t band_packed[NBAND_POOL];
static uint32_t exemption_packed[NEX_POOL];

static void
init_pools(void)
{
	static int	done = 0;

	if (done)
		return;
	for (int i = 0; i < NBAND_POOL; i++)
		CHECK(ticket_short_code_pack(band_texts[i], strlen(band_texts[i]), &band_packed[i]),
			  "band pool code does not pack", i, 0);
	for (int i = 0; i < NEX_POOL; i++)
		CHECK(ticket_short_code_pack(exemption_pool[i].text, strlen(exemption_pool[i].text),
							  &exemption_packed[i]), "exemption pool code does not pack", i, 0);
	done = 1;
}

/* ---------------------------------------------------------------------- */
/* Decoding                                                               */
/* ---------------------------------------------------------------------- */

typedef struct reader
{
	const uint8_t *p;
	size_t		n;
} reader;

static uint8_t
next(reader *r)
{
	if (r->n == 0)
		return 0;
	r->n--;
	return *r->p++;
}

static uint32_t
next32(reader *r)
{
	uint32_t	v = next(r);

	v = v << 8 | next(r);
	v = v << 8 | next(r);
	return v << 8 | next(r);
}

/* A regime amount: TK_NONE (if allowed), a palette value or any 0..TK_MAX_AMOUNT. */
static tk_cents
regime_amount(reader *r, int allow_none)
{
	uint8_t		b = next(r);

	switch (b >> 6)
	{
		case 0:
			return allow_none ? TK_NONE : palette[b % NPALETTE];
		case 1:
		case 2:
			return palette[b % NPALETTE];
		default:
			return (tk_cents) (next32(r) % (uint32_t) (TK_MAX_AMOUNT + 1));
	}
}

/* An item tariff: mostly sensible, sometimes negative or too large. */
static tk_cents
item_tariff(reader *r)
{
	uint8_t		b = next(r);

	if (b == 255)
		return -1 - (tk_cents) next(r);
	if (b == 254)
		return TK_MAX_AMOUNT + 1 + (tk_cents) next(r);
	if (b >= 224)
		return (tk_cents) next32(r) % (TK_MAX_AMOUNT + 1);
	return palette[b % NPALETTE];
}

static int32_t
item_quantity(reader *r)
{
	uint8_t		b = next(r);

	if (b < 200)
		return 1 + b % 3;
	switch (b)
	{
		case 250:
			return 0;
		case 251:
			return -1;
		case 252:
			return TK_MAX_QUANTITY;
		case 253:
			return TK_MAX_QUANTITY + 1;
		case 254:
			return INT32_MIN;
		case 255:
			return (int32_t) next32(r);
		default:
			return 1 + next(r) * 4;		/* 1..1021 */
	}
}

typedef struct decoded
{
	tk_regime	regime;
	tk_band_rule bands[MAX_BANDS];
	tk_exemption_rule rules[MAX_RULES];
	const char *surgery_codes[NCODE_POOL];
	const char *er_codes[NCODE_POOL];
	char		reference[MAX_REFERENCE + 1];
	tk_item		items[MAX_ITEMS_DECODED];
	int			nitems;
	uint32_t	band;
	tk_exemption exemptions[MAX_EXEMPTIONS];
	int			nexemptions;
	int			use_scope;
	uint64_t	scope_seed;
} decoded;

static tk_band_rule
band_rule(reader *r, uint32_t band)
{
	tk_band_rule b;

	b.band = band;
	b.quota = regime_amount(r, 1);
	b.ct_mri = regime_amount(r, 1);
	b.drug_per_pack = regime_amount(r, 1);
	b.drug_cap = regime_amount(r, 1);
	return b;
}

static void
decode(const uint8_t *data, size_t size, decoded *d)
{
	reader		r = {data, size};
	tk_regime  *g = &d->regime;
	uint8_t		b;
	uint16_t	mask;
	int			base_kind;

	memset(d, 0, sizeof(*d));

	/* the regime */
	g->id = "FUZZ";
	{
		int			len = (next(&r) * 4) % (MAX_REFERENCE + 1);

		memset(d->reference, 'x', (size_t) len);
		d->reference[len] = '\0';
		g->legal_reference = d->reference;
	}
	g->effective_from = (int32_t) next32(&r);
	g->nbands = next(&r) % (MAX_BANDS + 1);
	for (int i = 0; i < g->nbands; i++)
		d->bands[i] = band_rule(&r, band_packed[next(&r) % NBAND_POOL]);
	g->bands = g->nbands > 0 ? d->bands : NULL;
	b = next(&r);
	if (b < 128)
		g->default_band = 0;
	else if (g->nbands > 0 && b < 250)
		g->default_band = d->bands[b % g->nbands].band;
	else
		g->default_band = band_packed[b % NBAND_POOL];	/* maybe not in the regime */
	g->no_band = band_rule(&r, 0);
	g->specialist_cap = regime_amount(&r, 1);
	g->quota_threshold = regime_amount(&r, 0);
	g->first_visit = regime_amount(&r, 1);
	g->control_visit = regime_amount(&r, 1);
	g->ambulatory_surgery = regime_amount(&r, 1);
	b = next(&r);
	g->all_surgery_fixed = b & 1;
	mask = (uint16_t) (next(&r) << 8 | b);
	for (int i = 0; i < NCODE_POOL; i++)
		if (mask & (1u << (i + 1)))
			d->surgery_codes[g->nsurgery_codes++] = code_pool[i];
	g->surgery_codes = g->nsurgery_codes > 0 ? d->surgery_codes : NULL;
	g->er_access = regime_amount(&r, 1);
	b = next(&r);
	mask = (uint16_t) (b << 8 | next(&r));
	for (int i = 0; i < NCODE_POOL; i++)
		if (mask & (1u << i))
			d->er_codes[g->ner_codes++] = code_pool[i];
	g->er_codes = g->ner_codes > 0 ? d->er_codes : NULL;
	g->max_items = 1 + next(&r) % 64;
	g->nexemptions = next(&r) % (MAX_RULES + 1);
	for (int i = 0; i < g->nexemptions; i++)
	{
		tk_exemption_rule *rule = &d->rules[i];
		uint8_t		flags;

		b = next(&r);
		if (b & 1)
		{
			rule->code = exemption_packed[(b >> 1) % NEX_POOL];
			rule->family = -1;
		}
		else
		{
			rule->code = 0;
			rule->family = 1 + (b >> 1) % 8;
		}
		flags = next(&r);
		rule->coverage = (tk_coverage) ((flags & 3) % 3);
		rule->spares_band_quota = (flags >> 2) & 1;
		rule->spares_drugs = (flags >> 3) & 1;
		rule->spares_er = (flags >> 4) & 1;
		rule->spares_brand_difference = (flags >> 5) & 1;
	}
	g->exemptions = g->nexemptions > 0 ? d->rules : NULL;

	/* the prescription */
	b = next(&r);
	d->nitems = b < 200 ? b % 9 : b % (MAX_ITEMS_DECODED + 1);
	base_kind = next(&r) % DECODED_KINDS;
	for (int i = 0; i < d->nitems; i++)
	{
		tk_item    *it = &d->items[i];
		uint8_t		k = next(&r);

		if (k >= 240)
			it->kind = (tk_kind) (k % DECODED_KINDS);	/* any kind: maybe incompatible */
		else if (base_kind == TK_DRUG || base_kind == TK_ER_ACCESS)
			it->kind = (tk_kind) base_kind;
		else
			it->kind = (tk_kind) (k % 5);	/* a specialist kind */
		it->code = code_pool[next(&r) % NCODE_POOL];
		b = next(&r);
		it->branch = b < 240 ? branch_pool[0] : branch_pool[b % 3];
		it->tariff = item_tariff(&r);
		it->quantity = item_quantity(&r);
	}
	b = next(&r);
	d->band = b < 96 ? 0 : band_packed[b % NBAND_POOL];
	d->nexemptions = next(&r) % (MAX_EXEMPTIONS + 1);
	for (int i = 0; i < d->nexemptions; i++)
	{
		int			e = next(&r) % NEX_POOL;

		d->exemptions[i].code = exemption_packed[e];
		d->exemptions[i].family = exemption_pool[e].family;
		d->exemptions[i].text = exemption_pool[e].text;
	}
	b = next(&r);
	d->use_scope = b >= 16;
	for (int i = 0; i < 8; i++)
		d->scope_seed = d->scope_seed << 8 | next(&r);
	/*
	 * Reference prices and the "not substitutable" mark (brand difference,
	 * step 7), last, so that older corpus entries decode as before: none.
	 */
	for (int i = 0; i < d->nitems; i++)
	{
		tk_item    *it = &d->items[i];

		b = next(&r);
		it->has_reference_price = b & 1;
		it->not_substitutable = (b >> 1) & 1;
		if (it->has_reference_price)
			it->reference_price = (b >> 2) == 63 ? -1 - (tk_cents) next(&r) :
				(b >> 2) == 62 ? TK_MAX_AMOUNT + 1 : item_tariff(&r);
	}
	/*
	 * The emergency-room rules of May 2011 (further consultations, exams
	 * capped) and the regime's "not substitutable" rule; then which access
	 * items are consultations or exams instead (0: an access, as before).
	 */
	g->er_consultation = regime_amount(&r, 1);
	g->er_exam_cap = regime_amount(&r, 1);
	g->not_substitutable_spares_brand_difference = next(&r) & 1;
	for (int i = 0; i < d->nitems; i++)
	{
		tk_item    *it = &d->items[i];

		if (it->kind != TK_ER_ACCESS)
			continue;
		b = next(&r) % 4;
		if (b == 2)
			it->kind = TK_ER_CONSULTATION;
		else if (b == 3)
			it->kind = TK_ER_EXAM;
	}
}

/* A pure function of (seed, exemption, service): which services a listed exemption covers. */
static bool
fuzz_scope(void *context, uint32_t exemption, const char *service_code)
{
	const decoded *d = context;
	uint32_t	h = 2166136261u ^ exemption;

	for (const char *s = service_code; *s; s++)
		h = (h ^ (unsigned char) *s) * 16777619u;
	return (d->scope_seed >> (h % 64)) & 1;
}

/* ---------------------------------------------------------------------- */
/* Reference pricer, from the algorithm in pricing_core.h                  */
/* ---------------------------------------------------------------------- */

static int
ref_category(tk_kind kind)
{
	if (kind == TK_DRUG)
		return 1;
	if (kind == TK_ER_ACCESS || kind == TK_ER_CONSULTATION || kind == TK_ER_EXAM)
		return 2;
	return 0;
}

static int
ref_listed(const char *code, const char *const *codes, int n)
{
	for (int i = 0; i < n; i++)
		if (strcmp(code, codes[i]) == 0)
			return 1;
	return 0;
}

typedef struct ref_bill
{
	tk_status	status;
	tk_cents	total;
	tk_cents	base;
	tk_cents	quota;
	tk_cents	difference;
	int			exemption;
	int			all_covered;
	const tk_band_rule *rule;
} ref_bill;

static ref_bill
ref_fail(ref_bill *out, tk_status status)
{
	out->status = status;
	return *out;
}

static ref_bill
ref_price(const decoded *d)
{
	const tk_regime *g = &d->regime;
	const tk_item *items = d->items;
	int			n = d->nitems;
	ref_bill	out = {TK_OK, 0, 0, 0, 0, -1, 0, NULL};
	tk_cents	difference = 0;
	int			difference_spared = 0;
	int			covered[MAX_ITEMS_DECODED] = {0};
	int			spared = 0;
	int64_t		services = 0;
	int			er_access_item = 0,
				er_extra_item = 0;

	/* 1. checks */
	if (n <= 0)
		return ref_fail(&out, TK_ERR_NO_ITEMS);
	if (n > TK_MAX_LINES)
		return ref_fail(&out, TK_ERR_TOO_MANY_LINES);
	for (int i = 0; i < n; i++)
	{
		if (items[i].tariff < 0)
			return ref_fail(&out, TK_ERR_NEGATIVE_TARIFF);
		if (items[i].quantity < 1 || items[i].quantity > TK_MAX_QUANTITY)
			return ref_fail(&out, TK_ERR_QUANTITY);
		if (items[i].tariff > TK_MAX_AMOUNT)
			return ref_fail(&out, TK_ERR_AMOUNT_TOO_LARGE);
		/* a reference price: drugs only, 0..TK_MAX_AMOUNT */
		if (items[i].has_reference_price &&
			(items[i].kind != TK_DRUG || items[i].reference_price < 0 ||
			 items[i].reference_price > TK_MAX_AMOUNT))
			return ref_fail(&out, TK_ERR_REFERENCE_PRICE);
		if (ref_category(items[i].kind) != ref_category(items[0].kind))
			return ref_fail(&out, TK_ERR_INCOMPATIBLE_KINDS);
		if (ref_category(items[0].kind) == 0)
		{
			if (strcmp(items[i].branch, items[0].branch) != 0)
				return ref_fail(&out, TK_ERR_MIXED_BRANCHES);
			services += items[i].quantity;
		}
	}
	if (services > g->max_items)
		return ref_fail(&out, TK_ERR_TOO_MANY_ITEMS);
	/* consultations and exams of the ER come with an access */
	for (int i = 0; i < n; i++)
	{
		er_access_item |= items[i].kind == TK_ER_ACCESS;
		er_extra_item |= items[i].kind == TK_ER_CONSULTATION || items[i].kind == TK_ER_EXAM;
	}
	if (er_extra_item && !er_access_item)
		return ref_fail(&out, TK_ERR_ER_WITHOUT_ACCESS);

	/* 2. the band */
	{
		uint32_t	band = d->band ? d->band : g->default_band;

		if (band == 0)
			out.rule = &g->no_band;
		else
			for (int i = 0; i < g->nbands && out.rule == NULL; i++)
				if (g->bands[i].band == band)
					out.rule = &g->bands[i];
		if (out.rule == NULL)
			return ref_fail(&out, TK_ERR_BAND_NOT_IN_REGIME);
	}

	/*
	 * 7 (needed by 3): the difference over the reference price of every
	 * drug pack, whatever the prescriber's mark (L. 405/2001 art. 7 c. 4),
	 * unless the regime spares the marked ones
	 */
	for (int i = 0; i < n; i++)
		if (items[i].kind == TK_DRUG && items[i].has_reference_price &&
			items[i].reference_price < items[i].tariff &&
			!(items[i].not_substitutable && g->not_substitutable_spares_brand_difference))
			difference += items[i].quantity * (items[i].tariff - items[i].reference_price);

	/* 3. exemptions: the rule for the code, else the first for the family */
	for (int e = 0; e < d->nexemptions; e++)
	{
		const tk_exemption *x = &d->exemptions[e];
		const tk_exemption_rule *rule = NULL;
		int			applied = 0;

		for (int i = 0; i < g->nexemptions && rule == NULL; i++)
			if (g->exemptions[i].code != 0 && g->exemptions[i].code == x->code)
				rule = &g->exemptions[i];
		for (int i = 0; i < g->nexemptions && rule == NULL; i++)
			if (g->exemptions[i].code == 0 && g->exemptions[i].family == x->family)
				rule = &g->exemptions[i];
		if (rule == NULL)
			continue;
		for (int i = 0; i < n; i++)
		{
			int			in;

			/* an item another exemption covers still makes this one apply */
			if (rule->coverage == TK_COVERS_ALL)
				in = 1;
			else if (rule->coverage == TK_COVERS_LISTED)
				in = d->use_scope && fuzz_scope((void *) d, x->code, items[i].code);
			else
				in = items[i].kind == TK_FIRST_VISIT;
			if (in && items[i].kind == TK_DRUG)
				in = rule->spares_drugs;
			if (in && ref_category(items[i].kind) == 2)
				in = rule->spares_er;
			if (in)
				covered[i] = applied = 1;
		}
		/* an exemption that spares a difference there is applies too */
		if (rule->spares_brand_difference && difference > 0)
			difference_spared = 1;
		if (out.exemption < 0 && (applied || (rule->spares_brand_difference && difference > 0)))
			out.exemption = e;
		if (applied)
			spared |= rule->spares_band_quota;
	}
	out.difference = difference_spared ? 0 : difference;
	out.all_covered = 1;
	for (int i = 0; i < n; i++)
		if (!covered[i])
			out.all_covered = 0;
	if (out.all_covered)
	{
		out.base = out.total = out.difference;
		if (out.total > TK_MAX_AMOUNT)
			out.status = TK_ERR_AMOUNT_TOO_LARGE;
		return out;
	}

	switch (ref_category(items[0].kind))
	{
		case 0:
			{
				int			surgery = 0,
							visits_only = 1,
							ct = 0;
				tk_cents	visits = 0,
							others = 0;

				for (int i = 0; i < n; i++)
					if (!covered[i] && items[i].kind == TK_AMBULATORY_SURGERY &&
						g->ambulatory_surgery != TK_NONE &&
						(g->all_surgery_fixed ||
						 ref_listed(items[i].code, g->surgery_codes, g->nsurgery_codes)))
						surgery = 1;
				if (surgery)
				{
					out.base = g->ambulatory_surgery;
					break;
				}
				for (int i = 0; i < n; i++)
				{
					tk_cents	fixed;

					if (covered[i])
						continue;
					fixed = items[i].kind == TK_FIRST_VISIT ? g->first_visit :
						items[i].kind == TK_CONTROL_VISIT ? g->control_visit : TK_NONE;
					if (fixed == TK_NONE)
						visits_only = 0;
					else
						visits += fixed * items[i].quantity;
				}
				if (visits_only)
				{
					out.base = visits;
					break;
				}
				for (int i = 0; i < n; i++)
				{
					if (covered[i])
						continue;
					if (items[i].kind == TK_CT_MRI && out.rule->ct_mri != TK_NONE)
						ct = 1;
					else
						others += items[i].tariff * items[i].quantity;
				}
				out.base = (ct ? out.rule->ct_mri : 0) +
					(g->specialist_cap != TK_NONE && others > g->specialist_cap ? g->specialist_cap : others);
				if (out.rule->quota != TK_NONE && out.rule->quota > 0 &&
					others > g->quota_threshold && !spared)
					out.quota = out.rule->quota;
			}
			break;
		case 1:
			{
				int64_t		packs = 0;

				for (int i = 0; i < n; i++)
					if (!covered[i])
						packs += items[i].quantity;
				if (out.rule->drug_per_pack != TK_NONE)
				{
					out.base = packs * out.rule->drug_per_pack;
					if (out.rule->drug_cap != TK_NONE && out.base > out.rule->drug_cap)
						out.base = out.rule->drug_cap;
				}
			}
			break;
		default:
			{
				int64_t		accesses = 0,
							consultations = 0;
				tk_cents	exams = 0;

				for (int i = 0; i < n; i++)
				{
					if (covered[i])
						continue;
					if (items[i].kind == TK_ER_CONSULTATION)
						consultations += items[i].quantity;
					else if (items[i].kind == TK_ER_EXAM)
						exams += items[i].tariff * items[i].quantity;
					else if (ref_listed(items[i].code, g->er_codes, g->ner_codes))
						accesses += items[i].quantity;
				}
				/* consultations and exams only with an access that pays */
				if (g->er_access != TK_NONE && accesses > 0)
				{
					out.base = accesses * g->er_access;
					if (g->er_consultation != TK_NONE)
						out.base += consultations * g->er_consultation;
					if (g->er_exam_cap != TK_NONE)
						out.base += exams < g->er_exam_cap ? exams : g->er_exam_cap;
				}
			}
			break;
	}
	out.base += out.difference;
	out.total = out.base + out.quota;
	if (out.total > TK_MAX_AMOUNT)
		out.status = TK_ERR_AMOUNT_TOO_LARGE;
	return out;
}

/* ---------------------------------------------------------------------- */

static void
check_error(const decoded *d, tk_status st, const tk_error *err)
{
	const tk_item *items = d->items;
	int			n = d->nitems;

	CHECK(err->status == st, "err.status differs from the returned status", err->status, st);
	switch (st)
	{
		case TK_ERR_NO_ITEMS:
			CHECK(n <= 0, "TK_ERR_NO_ITEMS with items", n, 0);
			break;
		case TK_ERR_TOO_MANY_LINES:
			CHECK(n > TK_MAX_LINES && err->value == n, "TK_ERR_TOO_MANY_LINES value", err->value, n);
			break;
		case TK_ERR_NEGATIVE_TARIFF:
			CHECK(err->item >= 0 && err->item < n, "TK_ERR_NEGATIVE_TARIFF item index", err->item, n);
			CHECK(items[err->item].tariff < 0 && err->value == items[err->item].tariff,
				  "TK_ERR_NEGATIVE_TARIFF value", err->value, items[err->item].tariff);
			break;
		case TK_ERR_QUANTITY:
			CHECK(err->item >= 0 && err->item < n, "TK_ERR_QUANTITY item index", err->item, n);
			CHECK((items[err->item].quantity < 1 || items[err->item].quantity > TK_MAX_QUANTITY) &&
				  err->value == items[err->item].quantity, "TK_ERR_QUANTITY value",
				  err->value, items[err->item].quantity);
			break;
		case TK_ERR_INCOMPATIBLE_KINDS:
			CHECK(err->item >= 0 && err->item < n && err->item2 >= 0 && err->item2 < n &&
				  err->item != err->item2, "TK_ERR_INCOMPATIBLE_KINDS item indexes", err->item, err->item2);
			CHECK(ref_category(items[err->item].kind) != ref_category(items[err->item2].kind),
				  "TK_ERR_INCOMPATIBLE_KINDS on compatible items", err->item, err->item2);
			break;
		case TK_ERR_MIXED_BRANCHES:
			CHECK(err->item >= 0 && err->item < n && err->item2 >= 0 && err->item2 < n &&
				  err->item != err->item2, "TK_ERR_MIXED_BRANCHES item indexes", err->item, err->item2);
			CHECK(strcmp(items[err->item].branch, items[err->item2].branch) != 0 &&
				  ref_category(items[err->item].kind) == 0 && ref_category(items[err->item2].kind) == 0,
				  "TK_ERR_MIXED_BRANCHES on items of one branch", err->item, err->item2);
			break;
		case TK_ERR_TOO_MANY_ITEMS:
			CHECK(err->value2 == d->regime.max_items && err->value > err->value2,
				  "TK_ERR_TOO_MANY_ITEMS values", err->value, err->value2);
			break;
		case TK_ERR_BAND_NOT_IN_REGIME:
			CHECK(ticket_tk_band_rule_for(&d->regime, d->band) == NULL,
				  "TK_ERR_BAND_NOT_IN_REGIME for a band of the regime", d->band, 0);
			break;
		case TK_ERR_AMOUNT_TOO_LARGE:
			if (err->item >= 0)
				CHECK(err->item < n && items[err->item].tariff > TK_MAX_AMOUNT &&
					  err->value == items[err->item].tariff, "TK_ERR_AMOUNT_TOO_LARGE item",
					  err->item, err->value);
			else
				CHECK(err->item == -1 && err->value > TK_MAX_AMOUNT,
					  "TK_ERR_AMOUNT_TOO_LARGE total", err->item, err->value);
			break;
		case TK_ERR_REFERENCE_PRICE:
			CHECK(err->item >= 0 && err->item < n && items[err->item].has_reference_price &&
				  err->value == items[err->item].reference_price,
				  "TK_ERR_REFERENCE_PRICE item", err->item, err->value);
			CHECK(items[err->item].kind != TK_DRUG || err->value < 0 || err->value > TK_MAX_AMOUNT,
				  "TK_ERR_REFERENCE_PRICE on a good reference price", err->item, err->value);
			break;
		case TK_ERR_ER_WITHOUT_ACCESS:
			CHECK(err->item >= 0 && err->item < n &&
				  (items[err->item].kind == TK_ER_CONSULTATION || items[err->item].kind == TK_ER_EXAM),
				  "TK_ERR_ER_WITHOUT_ACCESS item is not a consultation or exam", err->item, n);
			for (int i = 0; i < n; i++)
				CHECK(items[i].kind != TK_ER_ACCESS, "TK_ERR_ER_WITHOUT_ACCESS with an access", i, 0);
			break;
		default:
			fail("status is not a tk_status value", st, 0);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static decoded d;
	tk_bill		bill,
				again;
	tk_error	err;
	tk_status	st,
				st2;
	ref_bill	want;
	const char *nul;
	tk_scope_fn scope;

	init_pools();
	decode(data, size, &d);
	scope = d.use_scope ? fuzz_scope : NULL;

	memset(&bill, 0x5a, sizeof(bill));
	memset(&again, 0xa5, sizeof(again));
	memset(&err, 0x55, sizeof(err));
	st = ticket_tk_price(&d.regime, d.items, d.nitems, d.band, d.exemptions, d.nexemptions,
				  scope, &d, &bill, &err);
	st2 = ticket_tk_price(&d.regime, d.items, d.nitems, d.band, d.exemptions, d.nexemptions,
				   scope, &d, &again, NULL);
	CHECK(st == st2, "status depends on err being NULL or on the call", st, st2);
	CHECK(memcmp(&bill, &again, sizeof(bill)) == 0, "the same input twice gives two bills", bill.total, again.total);
	nul = memchr(bill.explanation, '\0', TK_EXPLANATION_LEN);
	CHECK(nul != NULL, "explanation not NUL-terminated within TK_EXPLANATION_LEN", 0, 0);

	want = ref_price(&d);
	CHECK(st == want.status, "status differs from the reference pricer", st, want.status);
	if (st != TK_OK)
	{
		check_error(&d, st, &err);
		return 0;
	}

	CHECK(nul != bill.explanation, "empty explanation on TK_OK", 0, 0);
	CHECK(bill.total == bill.base + bill.band_quota, "total != base + band_quota", bill.total,
		  bill.base + bill.band_quota);
	CHECK(bill.total >= 0 && bill.total <= TK_MAX_AMOUNT, "total out of range", bill.total, 0);
	CHECK(bill.base >= 0 && bill.band_quota >= 0, "negative base or quota", bill.base, bill.band_quota);
	{
		const tk_band_rule *rule = ticket_tk_band_rule_for(&d.regime, d.band);
		int			quota_of_regime = bill.band_quota == 0 || bill.band_quota == d.regime.no_band.quota;

		for (int i = 0; i < d.regime.nbands; i++)
			quota_of_regime |= bill.band_quota == d.regime.bands[i].quota;
		CHECK(quota_of_regime, "band_quota is not one of the regime's quotas", bill.band_quota, 0);
		CHECK(rule != NULL && rule == want.rule, "band rule differs from the reference", 0, 0);
		CHECK(bill.band_quota == 0 || bill.band_quota == rule->quota,
			  "band_quota is not the quota of the band applied", bill.band_quota, rule->quota);
		CHECK(bill.band == rule->band, "bill.band is not the band applied", bill.band, rule->band);
	}
	CHECK(bill.exemption >= -1 && bill.exemption < d.nexemptions, "exemption index out of range",
		  bill.exemption, d.nexemptions);
	if (want.all_covered)
		CHECK(bill.total == bill.brand_difference, "every item covered but the total is not the brand difference",
			  bill.total, bill.brand_difference);
	CHECK(bill.brand_difference >= 0 && bill.brand_difference <= bill.base,
		  "brand difference negative or outside base", bill.brand_difference, bill.base);
	CHECK(bill.brand_difference == want.difference, "brand difference differs from the reference pricer",
		  bill.brand_difference, want.difference);
	CHECK(bill.total == want.total && bill.base == want.base && bill.band_quota == want.quota,
		  "amounts differ from the reference pricer", bill.total, want.total);
	CHECK(bill.exemption == want.exemption, "exemption index differs from the reference pricer",
		  bill.exemption, want.exemption);
	return 0;
}
