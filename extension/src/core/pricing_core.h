/*
 * pricing_core.h
 *		Pure-C tariff engine: the co-payment of one prescription under one
 *		regime.  No postgres.h, no allocation, no table access: the fmgr glue
 *		(pricing.c) compiles the rule tables into these structures once per
 *		backend and hands them in; the unit tests and the fuzzer do the same
 *		with literals.
 *
 * Money is integer cents (int64) throughout.  TK_NONE in a rule amount means
 * "the regime has no such rule" (for instance no fixed visit ticket before
 * 29 August 2011), and the items fall back to the sum-of-tariffs rule.
 *
 * The algorithm, in the order it is applied (extension/doc/ticket.md,
 * "How a prescription is priced", says the same in prose):
 *	1. checks: at least one item; tariffs >= 0; quantities 1..TK_MAX_QUANTITY;
 *	   every item of one category (specialist, drug, emergency room: accesses,
 *	   further consultations, exams); specialist items of one branch and at
 *	   most max_items services (the sum of quantities); an emergency-room
 *	   prescription with consultations or exams has an access item too
 *	   (they are asked for during an access: TK_ERR_ER_WITHOUT_ACCESS).
 *	2. the band: the given one must be a band of the regime; no band means
 *	   the regime's default band, or its no-band amounts when it has none.
 *	3. exemptions written on the prescription: each is matched to the
 *	   regime's rule for its code, else for its family; unmatched ones are
 *	   ignored (and said so).  A rule covers every item (all), the items in
 *	   its scope list (listed) or first visits (first_visit), and every drug
 *	   item when it covers all drugs; drug items only
 *	   when it spares the drug quota, emergency-room items (accesses,
 *	   consultations, exams) only when it spares the emergency-room ticket.
 *	   Covered items cost nothing.
 *	4. specialist, on the items not covered:
 *	   - any ambulatory surgery with a fixed ticket: that ticket, once, for
 *	     the whole prescription (it includes its visits and exams);
 *	   - only visits, with fixed visit tickets: the sum of those tickets;
 *	   - otherwise: the fixed CT/MRI ticket of the band once if there is a
 *	     CT/MRI item, plus the sum of the other tariffs capped at
 *	     specialist_cap, plus the band quota when that sum exceeds
 *	     quota_threshold (unless an applied exemption spares the quota).
 *	5. drugs: packs not covered x the band's amount per pack, capped per
 *	   prescription.
 *	6. emergency room: the access ticket for each chargeable access (triage
 *	   codes listed by the regime) not covered.  Only when some access is
 *	   charged (a chargeable code, not covered, and the regime has an access
 *	   ticket), the items not covered also pay: each further consultation
 *	   er_consultation x quantity (TK_NONE: no such rule, nothing), and the
 *	   exams the sum of tariff x quantity capped at er_exam_cap per
 *	   prescription (TK_NONE: no such rule, nothing -- before May 2011 they
 *	   were part of the access).  An access that does not pay (red, yellow,
 *	   orange triage; covered by an exemption) makes its consultations and
 *	   exams free too (§2.5: S25, S26, S61).
 *	7. brand difference (every regime: L. 405/2001, national since 1 December
 *	   2001, before the first regime): a drug item with a reference price
 *	   below its price (tariff) pays the difference, per pack, on top of
 *	   steps 5 and 3 -- outside the drug cap and whatever exemption covers
 *	   the item (§2.6, §9 item 2: S13 S46, S19) -- unless an exemption
 *	   written on the prescription has a rule that spares the brand
 *	   difference (war invalids, terrorism victims: every drug item, whatever
 *	   its coverage).  The prescriber's "not substitutable" mark spares the
 *	   difference of the items it is on only when the regime says so
 *	   (not_substitutable_spares_brand_difference): false in every shipped
 *	   regime, as L. 405/2001 art. 7 c. 4 puts the difference on the
 *	   patient then too; true is the reading of the regional pages (S13
 *	   S46) and of issue 18.  Otherwise the mark is only said.
 *	   The difference is part of base.
 *	   Checked in step 1: a reference price only on a drug, 0..TK_MAX_AMOUNT.
 */
#ifndef PRICING_CORE_H
#define PRICING_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int64_t tk_cents;

#define TK_NONE ((tk_cents) -1)		/* no such rule in this regime */
#define TK_MAX_QUANTITY 1000
#define TK_MAX_LINES 64			/* items on one prescription */
#define TK_MAX_AMOUNT ((tk_cents) 99999999)	/* numeric(8,2) at the SQL surface */
#define TK_EXPLANATION_LEN 600
#define TK_MAX_REPLACED 8		/* earlier bands one band carries over */

typedef enum tk_kind
{
	TK_FIRST_VISIT = 0,
	TK_CONTROL_VISIT,
	TK_EXAM,
	TK_CT_MRI,
	TK_AMBULATORY_SURGERY,
	TK_DRUG,
	TK_ER_ACCESS,
	TK_ER_CONSULTATION,			/* a further consultant visit PS asked for */
	TK_ER_EXAM,					/* an exam PS prescribed */
	TK_KIND_COUNT
} tk_kind;

/* Kind names as they appear in ticket.item.kind and ticket.service.kind. */
extern const char *const tk_kind_names[TK_KIND_COUNT];
extern int	ticket_tk_kind_from_name(const char *name);	/* -1 when unknown */

/* "specialist services", "drugs" or "emergency-room access": kinds of one
 * category can share a prescription, kinds of two cannot. */
extern const char *ticket_tk_category_name(tk_kind kind);

/* Amounts that depend on the band (or on having no band). */
typedef struct tk_band_rule
{
	uint32_t	band;			/* packed band code; 0 in a regime's no_band */
	tk_cents	quota;			/* per-prescription quota, or TK_NONE */
	tk_cents	ct_mri;			/* fixed CT/MRI ticket, or TK_NONE */
	tk_cents	drug_per_pack;	/* or TK_NONE: no drug ticket */
	tk_cents	drug_cap;		/* per prescription, or TK_NONE: no cap */
	int			nreplaces;		/* bands of an earlier regime a declaration */
	uint32_t	replaces[TK_MAX_REPLACED];	/* of which counts as this band */
} tk_band_rule;

typedef enum tk_coverage
{
	TK_COVERS_ALL = 0,
	TK_COVERS_LISTED,			/* the services in the exemption's scope list */
	TK_COVERS_FIRST_VISIT
} tk_coverage;

typedef struct tk_exemption_rule
{
	uint32_t	code;			/* packed exemption code, or 0: a family rule */
	int			family;			/* family number when code == 0 */
	tk_coverage coverage;
	bool		spares_band_quota;
	bool		spares_drugs;
	bool		spares_er;
	bool		covers_all_drugs;	/* every drug item, whatever the coverage
									 * (2025: invalidity codes partial for
									 * services); needs spares_drugs */
	bool		age_limited;	/* only citizens aged max_age or less */
	int			max_age;		/* (2025: FA2, children up to 14, S29 S30):
								 * applied where a citizen's exemptions on a
								 * day are read (ticket.citizen_status) */
	bool		spares_brand_difference;	/* no brand difference on any drug
											 * item (step 7) */
} tk_exemption_rule;

typedef struct tk_regime
{
	const char *id;
	const char *legal_reference;
	int32_t		effective_from; /* days since 2000-01-01 (PostgreSQL's date) */
	uint32_t	default_band;	/* band charged when none is declared, or 0 */
	tk_band_rule no_band;		/* amounts without a band (default_band == 0) */
	int			nbands;
	const tk_band_rule *bands;
	tk_cents	specialist_cap; /* or TK_NONE: no cap */
	tk_cents	quota_threshold;	/* quota when the tariff sum exceeds it */
	tk_cents	first_visit;	/* fixed ticket of a visit-only prescription, or TK_NONE */
	tk_cents	control_visit;
	tk_cents	ambulatory_surgery; /* fixed surgery ticket, or TK_NONE */
	bool		all_surgery_fixed;	/* false: only surgery_codes have it */
	int			nsurgery_codes;
	const char *const *surgery_codes;
	tk_cents	er_access;		/* per chargeable access, or TK_NONE */
	int			ner_codes;		/* chargeable triage codes (item.code) */
	const char *const *er_codes;
	tk_cents	er_consultation;	/* per further consultation, or TK_NONE */
	tk_cents	er_exam_cap;	/* cap of the PS exams, or TK_NONE: none charged */
	bool		not_substitutable_spares_brand_difference;	/* step 7 */
	int			max_items;		/* services per specialist prescription */
	int			nexemptions;
	const tk_exemption_rule *exemptions;
} tk_regime;

typedef struct tk_item
{
	const char *code;
	tk_kind		kind;
	const char *branch;
	tk_cents	tariff;			/* a drug's: the price of the pack dispensed */
	int32_t		quantity;
	bool		has_reference_price;	/* drugs: the reference price of its */
	tk_cents	reference_price;	/* class, per pack (step 7) */
	bool		not_substitutable;	/* the prescriber's mark (step 7) */
} tk_item;

/* An exemption written on the prescription. */
typedef struct tk_exemption
{
	uint32_t	code;
	int			family;
	const char *text;			/* the code as text, for the explanation */
} tk_exemption;

/* Is service_code in the scope list of exemption?  (Supplied by the caller.) */
typedef bool (*tk_scope_fn) (void *context, uint32_t exemption, const char *service_code);

typedef struct tk_bill
{
	tk_cents	total;
	tk_cents	base;			/* everything but the band quota */
	tk_cents	band_quota;
	tk_cents	brand_difference;	/* the part of base step 7 charged */
	uint32_t	band;			/* band whose amounts applied, 0 if none */
	int			exemption;		/* index into the prescription's exemptions, -1 */
	char		explanation[TK_EXPLANATION_LEN];
} tk_bill;

typedef enum tk_status
{
	TK_OK = 0,
	TK_ERR_NO_ITEMS,
	TK_ERR_TOO_MANY_LINES,		/* value = lines */
	TK_ERR_NEGATIVE_TARIFF,		/* item */
	TK_ERR_QUANTITY,			/* item */
	TK_ERR_INCOMPATIBLE_KINDS,	/* item, item2 */
	TK_ERR_MIXED_BRANCHES,		/* item, item2 */
	TK_ERR_TOO_MANY_ITEMS,		/* value = services, value2 = max */
	TK_ERR_BAND_NOT_IN_REGIME,	/* (band) */
	TK_ERR_AMOUNT_TOO_LARGE,
	TK_ERR_REFERENCE_PRICE,		/* item, value: on a non-drug, or out of range */
	TK_ERR_ER_WITHOUT_ACCESS	/* item: a consultation or exam, no access */
} tk_status;

typedef struct tk_error
{
	tk_status	status;
	int			item;			/* 0-based index */
	int			item2;
	int64_t		value;
	int64_t		value2;
} tk_error;

/* The regime in force on a day: regimes sorted by effective_from; NULL if none. */
extern const tk_regime *ticket_tk_find_regime(const tk_regime *regimes, int nregimes, int32_t day);

/* The band a regime charges for a declared one: the band itself if the
 * regime defines it, else the band of the regime that replaces it (2019: QB
 * for RE1-RE3), else 0 (none: the default band or the no-band amounts). */
extern uint32_t ticket_tk_charged_band(const tk_regime *regime, uint32_t band);

/* The regime's rule for an exemption: its own code's, else its family's, or NULL. */
extern const tk_exemption_rule *ticket_tk_exemption_rule_for(const tk_regime *regime,
															 uint32_t code, int family);

/* Completed years of age on day of a citizen born on birth (both days since
 * 2000-01-01, proleptic Gregorian): a birthday of 29 February falls on
 * 1 March in common years. */
extern int	ticket_tk_age_on(int32_t birth, int32_t day);

/* Whether an exemption in effect on day applies to a citizen born on birth
 * under regime: false only when its rule limits the age and the citizen is
 * older (2025: FA2 stops at 15).  No rule: true (pricing says it is not
 * recognised). */
extern bool ticket_tk_exemption_applies_at_age(const tk_regime *regime, uint32_t code,
												int family, int32_t birth, int32_t day);

/* The band rule for a band (0 = none declared), or NULL if the regime lacks it. */
extern const tk_band_rule *ticket_tk_band_rule_for(const tk_regime *regime, uint32_t band);

extern tk_status ticket_tk_price(const tk_regime *regime,
						  const tk_item *items, int nitems,
						  uint32_t band,
						  const tk_exemption *exemptions, int nexemptions,
						  tk_scope_fn in_scope, void *scope_context,
						  tk_bill *bill, tk_error *err);

#endif							/* PRICING_CORE_H */
