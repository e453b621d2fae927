/*
 * pricing_core.c
 *		The tariff engine: see pricing_core.h for the algorithm.
 *
 * Every amount comes from the regime handed in; this file holds no figure
 * of any decree.  The explanation says which rules fired, for the desk
 * operator and for the citizen's receipt.
 */
#include "pricing_core.h"

#include <stdarg.h>
#include <string.h>

#include "short_code.h"

const char *const tk_kind_names[TK_KIND_COUNT] = {
	"first_visit", "control_visit", "exam", "ct_mri", "ambulatory_surgery",
	"drug", "er_access", "er_consultation", "er_exam"
};

int
ticket_tk_kind_from_name(const char *name)
{
	for (int k = 0; k < TK_KIND_COUNT; k++)
		if (strcmp(name, tk_kind_names[k]) == 0)
			return k;
	return -1;
}

typedef enum category
{
	CATEGORY_SPECIALIST,
	CATEGORY_DRUG,
	CATEGORY_ER
} category;

static category
category_of(tk_kind kind)
{
	return kind == TK_DRUG ? CATEGORY_DRUG :
		kind == TK_ER_ACCESS || kind == TK_ER_CONSULTATION || kind == TK_ER_EXAM ?
		CATEGORY_ER : CATEGORY_SPECIALIST;
}

const char *
ticket_tk_category_name(tk_kind kind)
{
	static const char *const names[] = {
		"specialist services", "drugs", "emergency-room access"
	};

	return names[category_of(kind)];
}

static bool
is_visit(tk_kind kind)
{
	return kind == TK_FIRST_VISIT || kind == TK_CONTROL_VISIT;
}

/* ---------- explanation text ---------- */

typedef struct explanation
{
	char	   *buf;
	size_t		len;
} explanation;

#if defined(__GNUC__)
static void explain(explanation *e, const char *fmt,...) __attribute__((format(printf, 2, 3)));
#endif

static void
append_n(explanation *e, const char *text, size_t n)
{
	if (n > TK_EXPLANATION_LEN - 1 - e->len)
		n = TK_EXPLANATION_LEN - 1 - e->len;
	memcpy(e->buf + e->len, text, n);
	e->len += n;
}

static void
append(explanation *e, const char *text)
{
	append_n(e, text, strlen(text));
}

/*
 * Append one clause, "; " first when there are some already.  The format
 * knows %s and %lld only (checked by the compiler as printf formats); a
 * hand-written formatter, because vsnprintf was a sixth of the cost of a bill.
 */
static void
explain(explanation *e, const char *fmt,...)
{
	va_list		args;

	if (e->len > 0)
		append(e, "; ");
	va_start(args, fmt);
	for (const char *f = fmt; *f; f++)
	{
		if (f[0] == '%' && f[1] == 's')
		{
			append(e, va_arg(args, const char *));
			f++;
		}
		else if (f[0] == '%' && f[1] == 'l' && f[2] == 'l' && f[3] == 'd')
		{
			char		digits[24];
			int			n = 0;
			long long	v = va_arg(args, long long);
			unsigned long long u = v < 0 ? 0ULL - (unsigned long long) v : (unsigned long long) v;

			do
			{
				digits[n++] = (char) ('0' + u % 10);
				u /= 10;
			} while (u > 0);
			if (v < 0)
				append(e, "-");
			while (n > 0 && e->len < TK_EXPLANATION_LEN - 1)
				e->buf[e->len++] = digits[--n];
			f += 3;
		}
		else
		{
			/* the literal text up to the next conversion, in one copy */
			const char *next = strchr(f + 1, '%');
			size_t		n = next ? (size_t) (next - f) : strlen(f);

			append_n(e, f, n);
			f += n - 1;
		}
	}
	va_end(args);
	e->buf[e->len] = '\0';
}

/* "36.15": cents as euros, for explanations (by hand: this runs per bill). */
static const char *
euros(tk_cents cents, char buf[24])
{
	char		digits[24];
	int			n = 0,
				o = 0;
	uint64_t	v = (uint64_t) (cents < 0 ? -cents : cents);

	do
	{
		digits[n++] = (char) ('0' + v % 10);
		v /= 10;
	} while (v > 0 || n < 3);	/* at least "0.05" */
	if (cents < 0)
		buf[o++] = '-';
	while (n > 2)
		buf[o++] = digits[--n];
	buf[o++] = '.';
	buf[o++] = digits[1];
	buf[o++] = digits[0];
	buf[o] = '\0';
	return buf;
}

/* ---------- look-ups ---------- */

const tk_regime *
ticket_tk_find_regime(const tk_regime *regimes, int nregimes, int32_t day)
{
	int			lo = 0,
				hi = nregimes;

	/* the last regime whose effective_from <= day */
	while (lo < hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (regimes[mid].effective_from <= day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == 0 ? NULL : &regimes[lo - 1];
}

const tk_band_rule *
ticket_tk_band_rule_for(const tk_regime *regime, uint32_t band)
{
	if (band == 0)
	{
		if (regime->default_band == 0)
			return &regime->no_band;
		band = regime->default_band;
	}
	for (int i = 0; i < regime->nbands; i++)
		if (regime->bands[i].band == band)
			return &regime->bands[i];
	return NULL;
}

uint32_t
ticket_tk_charged_band(const tk_regime *regime, uint32_t band)
{
	if (band == 0)
		return 0;
	for (int i = 0; i < regime->nbands; i++)
		if (regime->bands[i].band == band)
			return band;
	for (int i = 0; i < regime->nbands; i++)
		for (int j = 0; j < regime->bands[i].nreplaces && j < TK_MAX_REPLACED; j++)
			if (regime->bands[i].replaces[j] == band)
				return regime->bands[i].band;
	return 0;
}

static bool
code_listed(const char *code, const char *const *codes, int ncodes)
{
	for (int i = 0; i < ncodes; i++)
		if (strcmp(code, codes[i]) == 0)
			return true;
	return false;
}

/* The regime's rule for an exemption: its own code first, then its family. */
const tk_exemption_rule *
ticket_tk_exemption_rule_for(const tk_regime *regime, uint32_t code, int family)
{
	const tk_exemption_rule *family_rule = NULL;

	for (int i = 0; i < regime->nexemptions; i++)
	{
		const tk_exemption_rule *rule = &regime->exemptions[i];

		if (rule->code != 0 && rule->code == code)
			return rule;
		if (rule->code == 0 && rule->family == family && family_rule == NULL)
			family_rule = rule;
	}
	return family_rule;
}

static const tk_exemption_rule *
exemption_rule_for(const tk_regime *regime, const tk_exemption *exemption)
{
	return ticket_tk_exemption_rule_for(regime, exemption->code, exemption->family);
}

/* Civil date of a day number (days since 2000-01-01), H. Hinnant's algorithm. */
static void
civil_from_day(int32_t day, int64_t *year, int *month, int *mday)
{
	int64_t		z = (int64_t) day + 10957 + 719468;	/* days since 0000-03-01 */
	int64_t		era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t		doe = z - era * 146097;
	int64_t		yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t		doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t		mp = (5 * doy + 2) / 153;

	*mday = (int) (doy - (153 * mp + 2) / 5 + 1);
	*month = (int) (mp < 10 ? mp + 3 : mp - 9);
	*year = yoe + era * 400 + (*month <= 2);
}

int
ticket_tk_age_on(int32_t birth, int32_t day)
{
	int64_t		by,
				dy;
	int			bm,
				bd,
				dm,
				dd;
	int64_t		age;

	civil_from_day(birth, &by, &bm, &bd);
	civil_from_day(day, &dy, &dm, &dd);
	age = dy - by;
	if (dm < bm || (dm == bm && dd < bd))
		age--;
	return (int) age;
}

bool
ticket_tk_exemption_applies_at_age(const tk_regime *regime, uint32_t code, int family,
								   int32_t birth, int32_t day)
{
	const tk_exemption_rule *rule = ticket_tk_exemption_rule_for(regime, code, family);

	return rule == NULL || !rule->age_limited || ticket_tk_age_on(birth, day) <= rule->max_age;
}

static bool
rule_covers(const tk_exemption_rule *rule, const tk_exemption *exemption,
			const tk_item *item, tk_scope_fn in_scope, void *scope_context)
{
	bool		in_rule_scope;

	if (item->kind == TK_DRUG && rule->covers_all_drugs)
		return rule->spares_drugs;
	switch (rule->coverage)
	{
		case TK_COVERS_ALL:
			in_rule_scope = true;
			break;
		case TK_COVERS_LISTED:
			in_rule_scope = in_scope != NULL &&
				in_scope(scope_context, exemption->code, item->code);
			break;
		case TK_COVERS_FIRST_VISIT:
			in_rule_scope = item->kind == TK_FIRST_VISIT;
			break;
		default:
			in_rule_scope = false;
	}
	if (!in_rule_scope)
		return false;
	if (item->kind == TK_DRUG)
		return rule->spares_drugs;
	if (category_of(item->kind) == CATEGORY_ER)
		return rule->spares_er;
	return true;
}

/* ---------- the checks of step 1 ---------- */

static tk_status
fail(tk_error *err, tk_status status, int item, int item2, int64_t value, int64_t value2)
{
	if (err)
	{
		err->status = status;
		err->item = item;
		err->item2 = item2;
		err->value = value;
		err->value2 = value2;
	}
	return status;
}

static tk_status
check_items(const tk_regime *regime, const tk_item *items, int nitems, tk_error *err)
{
	int64_t		services = 0;
	int			er_extra = -1;	/* first consultation or exam */
	bool		er_access = false;

	if (nitems <= 0)
		return fail(err, TK_ERR_NO_ITEMS, -1, -1, 0, 0);
	if (nitems > TK_MAX_LINES)
		return fail(err, TK_ERR_TOO_MANY_LINES, -1, -1, nitems, TK_MAX_LINES);
	for (int i = 0; i < nitems; i++)
	{
		if (items[i].tariff < 0)
			return fail(err, TK_ERR_NEGATIVE_TARIFF, i, -1, items[i].tariff, 0);
		if (items[i].quantity < 1 || items[i].quantity > TK_MAX_QUANTITY)
			return fail(err, TK_ERR_QUANTITY, i, -1, items[i].quantity, 0);
		if (items[i].tariff > TK_MAX_AMOUNT)
			return fail(err, TK_ERR_AMOUNT_TOO_LARGE, i, -1, items[i].tariff, 0);
		if (items[i].has_reference_price &&
			(items[i].kind != TK_DRUG || items[i].reference_price < 0 ||
			 items[i].reference_price > TK_MAX_AMOUNT))
			return fail(err, TK_ERR_REFERENCE_PRICE, i, -1, items[i].reference_price, 0);
		if (category_of(items[i].kind) != category_of(items[0].kind))
			return fail(err, TK_ERR_INCOMPATIBLE_KINDS, 0, i, 0, 0);
		if (category_of(items[0].kind) == CATEGORY_SPECIALIST)
		{
			if (strcmp(items[i].branch, items[0].branch) != 0)
				return fail(err, TK_ERR_MIXED_BRANCHES, 0, i, 0, 0);
			services += items[i].quantity;
		}
		if (items[i].kind == TK_ER_ACCESS)
			er_access = true;
		else if (category_of(items[i].kind) == CATEGORY_ER && er_extra < 0)
			er_extra = i;
	}
	if (category_of(items[0].kind) == CATEGORY_SPECIALIST && services > regime->max_items)
		return fail(err, TK_ERR_TOO_MANY_ITEMS, -1, -1, services, regime->max_items);
	if (er_extra >= 0 && !er_access)
		return fail(err, TK_ERR_ER_WITHOUT_ACCESS, er_extra, -1, 0, 0);
	return TK_OK;
}

/* ---------- steps 4-6 ---------- */

static bool
surgery_has_fixed_ticket(const tk_regime *regime, const tk_item *item)
{
	return item->kind == TK_AMBULATORY_SURGERY && regime->ambulatory_surgery != TK_NONE &&
		(regime->all_surgery_fixed ||
		 code_listed(item->code, regime->surgery_codes, regime->nsurgery_codes));
}

static void
price_specialist(const tk_regime *regime, const tk_band_rule *rule,
				 const tk_item *items, int nitems, const bool *covered,
				 bool quota_spared, tk_bill *bill, explanation *why)
{
	bool		any = false,
				only_visits = true,
				has_ct = false;
	tk_cents	visit_sum = 0,
				tariff_sum = 0,
				capped;
	char		a[24],
				b[24];

	for (int i = 0; i < nitems; i++)
	{
		if (covered[i])
			continue;
		any = true;
		if (surgery_has_fixed_ticket(regime, &items[i]))
		{
			bill->base = regime->ambulatory_surgery;
			explain(why, "fixed ambulatory-surgery ticket %s (covers its visits and exams)",
					euros(bill->base, a));
			return;
		}
	}
	if (!any)
		return;

	/* Visit-only prescription with fixed visit tickets. */
	for (int i = 0; i < nitems; i++)
	{
		if (covered[i])
			continue;
		if (!is_visit(items[i].kind) ||
			(items[i].kind == TK_FIRST_VISIT ? regime->first_visit : regime->control_visit) == TK_NONE)
		{
			only_visits = false;
			break;
		}
		visit_sum += items[i].quantity *
			(items[i].kind == TK_FIRST_VISIT ? regime->first_visit : regime->control_visit);
	}
	if (only_visits)
	{
		bill->base = visit_sum;
		explain(why, "visit-only prescription: fixed visit tickets %s", euros(visit_sum, a));
		return;
	}

	/* CT/MRI fixed ticket once, the rest by the sum of tariffs. */
	for (int i = 0; i < nitems; i++)
	{
		if (covered[i])
			continue;
		if (items[i].kind == TK_CT_MRI && rule->ct_mri != TK_NONE)
			has_ct = true;
		else
			tariff_sum += items[i].quantity * items[i].tariff;
	}
	if (has_ct)
	{
		bill->base += rule->ct_mri;
		explain(why, "fixed CT/MRI ticket %s", euros(rule->ct_mri, a));
	}
	if (tariff_sum > 0 || !has_ct)
	{
		capped = (regime->specialist_cap != TK_NONE && tariff_sum > regime->specialist_cap) ?
			regime->specialist_cap : tariff_sum;
		bill->base += capped;
		if (capped < tariff_sum)
			explain(why, "tariffs %s capped at %s", euros(tariff_sum, a), euros(capped, b));
		else
			explain(why, "tariffs %s", euros(tariff_sum, a));
		if (rule->quota != TK_NONE && rule->quota > 0 && tariff_sum > regime->quota_threshold)
		{
			if (quota_spared)
				explain(why, "band quota spared by the exemption");
			else
			{
				bill->band_quota = rule->quota;
				explain(why, "band quota %s (tariffs over %s)", euros(rule->quota, a),
						euros(regime->quota_threshold, b));
			}
		}
	}
}

static void
price_drugs(const tk_band_rule *rule, const tk_item *items, int nitems,
			const bool *covered, tk_bill *bill, explanation *why)
{
	int64_t		packs = 0;
	tk_cents	amount;
	char		a[24],
				b[24];

	for (int i = 0; i < nitems; i++)
		if (!covered[i])
			packs += items[i].quantity;
	if (packs == 0)
		return;
	if (rule->drug_per_pack == TK_NONE || rule->drug_per_pack == 0)
	{
		explain(why, "no drug ticket");
		return;
	}
	amount = packs * rule->drug_per_pack;
	if (rule->drug_cap != TK_NONE && amount > rule->drug_cap)
	{
		explain(why, "%lld packs x %s capped at %s", (long long) packs,
				euros(rule->drug_per_pack, a), euros(rule->drug_cap, b));
		amount = rule->drug_cap;
	}
	else
		explain(why, "%lld packs x %s", (long long) packs, euros(rule->drug_per_pack, a));
	bill->base = amount;
}

/* Step 7: the brand difference of one drug item, all its packs (0: none). */
static tk_cents
brand_difference_of(const tk_item *item)
{
	if (item->kind != TK_DRUG || !item->has_reference_price || item->tariff <= item->reference_price)
		return 0;
	return (item->tariff - item->reference_price) * item->quantity;
}

/* The part of it the regime does not spare for the "not substitutable" mark. */
static tk_cents
brand_difference_due(const tk_regime *regime, const tk_item *item)
{
	if (item->not_substitutable && regime->not_substitutable_spares_brand_difference)
		return 0;
	return brand_difference_of(item);
}

static void
price_brand_difference(const tk_regime *regime, const tk_item *items, int nitems,
					   const char *spared_by, tk_bill *bill, explanation *why)
{
	tk_cents	difference = 0,
				marked_spared = 0;
	int64_t		marked = 0;
	char		a[24];

	for (int i = 0; i < nitems; i++)
	{
		tk_cents	d = brand_difference_due(regime, &items[i]);

		difference += d;
		if (d > 0 && items[i].not_substitutable)
			marked += items[i].quantity;
		marked_spared += brand_difference_of(&items[i]) - d;
	}
	if (marked_spared > 0)
		explain(why, "brand difference %s of packs marked not substitutable spared by the regime",
				euros(marked_spared, a));
	if (difference == 0)
		return;
	if (spared_by != NULL)
	{
		explain(why, "brand difference %s spared by exemption %s", euros(difference, a), spared_by);
		return;
	}
	bill->brand_difference = difference;
	bill->base += difference;
	explain(why, "brand difference %s over the reference price, outside the drug ticket",
			euros(difference, a));
	if (marked > 0)
		explain(why, "%lld packs marked not substitutable: their difference is due all the same",
				(long long) marked);
}

static void
price_er(const tk_regime *regime, const tk_item *items, int nitems,
		 const bool *covered, tk_bill *bill, explanation *why)
{
	int64_t		accesses = 0,
				consultations = 0;
	tk_cents	exams = 0;
	bool		any_exam = false;
	char		a[24],
				b[24];

	for (int i = 0; i < nitems; i++)
	{
		if (covered[i])
			continue;
		if (items[i].kind == TK_ER_CONSULTATION)
			consultations += items[i].quantity;
		else if (items[i].kind == TK_ER_EXAM)
		{
			exams += items[i].tariff * items[i].quantity;
			any_exam = true;
		}
		else if (code_listed(items[i].code, regime->er_codes, regime->ner_codes))
			accesses += items[i].quantity;
	}
	if (accesses == 0 || regime->er_access == TK_NONE)
	{
		explain(why, "no chargeable emergency-room access");
		if (consultations > 0 || any_exam)
			explain(why, "its consultations and exams are not charged either");
		return;
	}
	bill->base = accesses * regime->er_access;
	explain(why, "%lld chargeable emergency-room access(es) x %s", (long long) accesses,
			euros(regime->er_access, a));
	if (consultations > 0)
	{
		if (regime->er_consultation == TK_NONE)
			explain(why, "%lld further consultation(s): no ticket in this regime",
					(long long) consultations);
		else
		{
			bill->base += consultations * regime->er_consultation;
			explain(why, "%lld further consultation(s) x %s", (long long) consultations,
					euros(regime->er_consultation, a));
		}
	}
	if (any_exam)
	{
		if (regime->er_exam_cap == TK_NONE)
			explain(why, "emergency-room exams: no ticket in this regime");
		else if (exams > regime->er_exam_cap)
		{
			bill->base += regime->er_exam_cap;
			explain(why, "emergency-room exams %s capped at %s", euros(exams, a),
					euros(regime->er_exam_cap, b));
		}
		else
		{
			bill->base += exams;
			explain(why, "emergency-room exams %s", euros(exams, a));
		}
	}
}

tk_status
ticket_tk_price(const tk_regime *regime, const tk_item *items, int nitems,
		 uint32_t band, const tk_exemption *exemptions, int nexemptions,
		 tk_scope_fn in_scope, void *scope_context, tk_bill *bill, tk_error *err)
{
	const tk_band_rule *rule;
	explanation why;
	bool		covered[TK_MAX_LINES];
	bool		quota_spared = false;
	bool		any_charged = false;
	bool		any_difference = false;
	const char *difference_spared_by = NULL;
	char		band_text[8];
	tk_status	status;

	memset(bill, 0, sizeof(*bill));
	bill->exemption = -1;
	why.buf = bill->explanation;
	why.len = 0;
	why.buf[0] = '\0';

	status = check_items(regime, items, nitems, err);
	if (status != TK_OK)
		return status;

	/* 2. the band */
	rule = ticket_tk_band_rule_for(regime, band);
	if (rule == NULL)
		return fail(err, TK_ERR_BAND_NOT_IN_REGIME, -1, -1, band, 0);
	bill->band = rule->band;
	explain(&why, "regime %s (%s)", regime->id, regime->legal_reference);
	if (rule->band != 0)
	{
		ticket_short_code_unpack(rule->band, band_text);
		explain(&why, band == 0 ? "no band declared: default band %s" : "band %s", band_text);
	}
	else if (regime->nbands > 0)
		explain(&why, "no band declared: amounts for citizens without a band");

	/* 3. exemptions */
	memset(covered, 0, sizeof(covered));
	for (int i = 0; i < nitems; i++)
		any_difference |= brand_difference_due(regime, &items[i]) > 0;
	for (int e = 0; e < nexemptions; e++)
	{
		const tk_exemption_rule *erule = exemption_rule_for(regime, &exemptions[e]);
		bool		applied = false;

		if (erule == NULL)
		{
			explain(&why, "exemption %s not recognised by this regime", exemptions[e].text);
			continue;
		}
		/* applied = covers some item, whether or not another exemption does */
		for (int i = 0; i < nitems; i++)
			if (rule_covers(erule, &exemptions[e], &items[i], in_scope, scope_context))
				covered[i] = applied = true;
		/* sparing the brand difference (step 7) is applying too */
		if (erule->spares_brand_difference && any_difference && difference_spared_by == NULL)
			difference_spared_by = exemptions[e].text;
		if (applied || (erule->spares_brand_difference && any_difference))
		{
			if (bill->exemption < 0)
				bill->exemption = e;
		}
		if (applied)
		{
			if (erule->spares_band_quota)
				quota_spared = true;
			explain(&why, "exemption %s applied", exemptions[e].text);
		}
		else if (!(erule->spares_brand_difference && any_difference))
			explain(&why, "exemption %s covers none of the items", exemptions[e].text);
	}
	for (int i = 0; i < nitems; i++)
		any_charged |= !covered[i];
	if (!any_charged)
		explain(&why, "every item exempt");
	else
	{
		/* 4-6 */
		switch (category_of(items[0].kind))
		{
			case CATEGORY_SPECIALIST:
				price_specialist(regime, rule, items, nitems, covered, quota_spared, bill, &why);
				break;
			case CATEGORY_DRUG:
				price_drugs(rule, items, nitems, covered, bill, &why);
				break;
			case CATEGORY_ER:
				price_er(regime, items, nitems, covered, bill, &why);
				break;
		}
	}
	/* 7: after the drug ticket and its cap, whatever covered the items */
	price_brand_difference(regime, items, nitems, difference_spared_by, bill, &why);
	bill->total = bill->base + bill->band_quota;
	if (bill->total > TK_MAX_AMOUNT)
		return fail(err, TK_ERR_AMOUNT_TOO_LARGE, -1, -1, bill->total, 0);
	return TK_OK;
}
