CREATE TABLE ticket.regime (
    regime_id text NOT NULL,
    effective_from date NOT NULL,
    legal_reference text NOT NULL,
    description text NOT NULL,
    default_band ticket.income_band,
    specialist_cap numeric(8,2),
    quota_threshold numeric(8,2) DEFAULT 10.00 NOT NULL,
    quota numeric(8,2),
    ct_mri numeric(8,2),
    first_visit numeric(8,2),
    control_visit numeric(8,2),
    ambulatory_surgery numeric(8,2),
    surgery_fixed_codes text[],
    drug_per_pack numeric(8,2),
    drug_cap numeric(8,2),
    er_access numeric(8,2),
    er_chargeable_codes text[] DEFAULT '{}'::text[] NOT NULL,
    max_items integer DEFAULT 8 NOT NULL,
    shipped boolean DEFAULT false NOT NULL,
    adjustment_grace_days integer,
    status text DEFAULT 'enacted'::text NOT NULL,
    adjustment_until date,
    er_consultation numeric(8,2),
    er_exam_cap numeric(8,2),
    not_substitutable_spares_brand_difference boolean DEFAULT false NOT NULL,
    CONSTRAINT regime_adjustment_grace_days_check CHECK (((adjustment_grace_days >= 0) AND (adjustment_grace_days <= 3660))),
    CONSTRAINT regime_ambulatory_surgery_check CHECK ((ambulatory_surgery >= (0)::numeric)),
    CONSTRAINT regime_control_visit_check CHECK ((control_visit >= (0)::numeric)),
    CONSTRAINT regime_ct_mri_check CHECK ((ct_mri >= (0)::numeric)),
    CONSTRAINT regime_drug_cap_check CHECK ((drug_cap >= (0)::numeric)),
    CONSTRAINT regime_drug_per_pack_check CHECK ((drug_per_pack >= (0)::numeric)),
    CONSTRAINT regime_effective_from_check CHECK (isfinite(effective_from)),
    CONSTRAINT regime_er_access_check CHECK ((er_access >= (0)::numeric)),
    CONSTRAINT regime_er_consultation_check CHECK ((er_consultation >= (0)::numeric)),
    CONSTRAINT regime_er_exam_cap_check CHECK ((er_exam_cap >= (0)::numeric)),
    CONSTRAINT regime_first_visit_check CHECK ((first_visit >= (0)::numeric)),
    CONSTRAINT regime_legal_reference_check CHECK ((legal_reference <> ''::text)),
    CONSTRAINT regime_max_items_check CHECK (((max_items >= 1) AND (max_items <= 64))),
    CONSTRAINT regime_quota_check CHECK ((quota >= (0)::numeric)),
    CONSTRAINT regime_quota_threshold_check CHECK ((quota_threshold >= (0)::numeric)),
    CONSTRAINT regime_regime_id_check CHECK ((regime_id ~ '^[A-Za-z0-9][A-Za-z0-9_.-]*$'::text)),
    CONSTRAINT regime_specialist_cap_check CHECK ((specialist_cap >= (0)::numeric)),
    CONSTRAINT regime_status_check CHECK ((status = ANY (ARRAY['draft'::text, 'enacted'::text])))
);

ALTER TABLE ONLY ticket.regime REPLICA IDENTITY FULL;

COMMENT ON TABLE ticket.regime IS 'a set of co-payment rules in force from effective_from until the next regime; amounts NULL = the rule does not exist in this regime';

COMMENT ON COLUMN ticket.regime.regime_id IS 'short name shown on bills, e.g. ER-2011-08-29';

COMMENT ON COLUMN ticket.regime.effective_from IS 'first service date the regime applies to';

COMMENT ON COLUMN ticket.regime.legal_reference IS 'the act that enacted it (DGR number and date)';

COMMENT ON COLUMN ticket.regime.description IS 'what the regime changed, in a line';

COMMENT ON COLUMN ticket.regime.default_band IS 'band charged when a citizen has none on record (2019: QM); NULL = the no-band amounts of this row';

COMMENT ON COLUMN ticket.regime.specialist_cap IS 'cap on the sum of tariffs of a specialist prescription (36.15); NULL = no cap';

COMMENT ON COLUMN ticket.regime.quota_threshold IS 'the band quota applies when the tariff sum exceeds this (10.00)';

COMMENT ON COLUMN ticket.regime.quota IS 'per-prescription quota for citizens without a band (2011: the top amount, 15.00)';

COMMENT ON COLUMN ticket.regime.ct_mri IS 'fixed CT/MRI ticket for citizens without a band; NULL = CT/MRI priced by tariff';

COMMENT ON COLUMN ticket.regime.first_visit IS 'fixed ticket of a first visit on a visit-only prescription; NULL = by tariff';

COMMENT ON COLUMN ticket.regime.control_visit IS 'fixed ticket of a control visit on a visit-only prescription; NULL = by tariff';

COMMENT ON COLUMN ticket.regime.ambulatory_surgery IS 'fixed ticket of a prescription with ambulatory surgery; NULL = by tariff';

COMMENT ON COLUMN ticket.regime.surgery_fixed_codes IS 'service codes that get the fixed surgery ticket; NULL = every ambulatory_surgery service';

COMMENT ON COLUMN ticket.regime.drug_per_pack IS 'drug ticket per pack for citizens without a band; NULL = no drug ticket';

COMMENT ON COLUMN ticket.regime.drug_cap IS 'cap of the drug ticket per prescription; NULL = no cap';

COMMENT ON COLUMN ticket.regime.er_access IS 'emergency-room ticket per chargeable access';

COMMENT ON COLUMN ticket.regime.er_chargeable_codes IS 'er_access service codes that pay (white and green triage)';

COMMENT ON COLUMN ticket.regime.er_consultation IS 'emergency room: ticket of each further consultant visit the PS doctor asks for, charged only with an access that pays (from May 2011: 25.00, S25); NULL = no such ticket';

COMMENT ON COLUMN ticket.regime.er_exam_cap IS 'emergency room: the exams PS prescribes are charged by tariff up to this amount a prescription, only with an access that pays (from May 2011: 36.15, S25); NULL = no exam ticket';

COMMENT ON COLUMN ticket.regime.not_substitutable_spares_brand_difference IS 'true: a drug the prescriber marked not substitutable pays no brand difference (regional pages S13 S46, issue 18); false: it pays it (L. 405/2001 art. 7 c. 4), every shipped regime';

COMMENT ON COLUMN ticket.regime.max_items IS 'services (sum of quantities) allowed on one specialist prescription';

COMMENT ON COLUMN ticket.regime.shipped IS 'true for rows the extension ships (not dumped, not editable)';

COMMENT ON COLUMN ticket.regime.adjustment_grace_days IS 'days after a service within which a later band or exemption still adjusts a paid booking (2011 transition: 60); NULL = paid bookings are final';

COMMENT ON COLUMN ticket.regime.adjustment_until IS 'last day a later band or exemption still adjusts a paid booking of this regime (2011 transition: 2011-09-30, S3 S4 S5); NULL = only adjustment_grace_days limits it';

COMMENT ON COLUMN ticket.regime.status IS 'enacted: in force from effective_from; draft: a copy being edited (ticket.draft_regime), priced only by name (ticket.simulate) until ticket.enact_regime';

ALTER TABLE ONLY ticket.regime
    ADD CONSTRAINT regime_pkey PRIMARY KEY (regime_id);

CREATE UNIQUE INDEX regime_effective_from_key ON ticket.regime USING btree (effective_from) WHERE (status = 'enacted'::text);

COMMENT ON INDEX ticket.regime_effective_from_key IS 'one enacted regime per date (the date look-up); drafts may share a date, with each other and with an enacted regime, as alternatives';

GRANT SELECT,INSERT,DELETE ON TABLE ticket.regime TO ticket_rules_admin;
-- Every column but status: a draft is put in force by ticket.enact_regime
-- (which re-prices), never by hand, and an enacted regime is never a draft
-- again (ticket.discard_regime would delete it).  A new column is added
-- to this list.
GRANT UPDATE(regime_id, effective_from, legal_reference, description, default_band, specialist_cap, quota_threshold,
             quota, ct_mri, first_visit, control_visit, ambulatory_surgery, surgery_fixed_codes, drug_per_pack,
             drug_cap, er_access, er_chargeable_codes, max_items, shipped, adjustment_grace_days,
             adjustment_until, er_consultation, er_exam_cap, not_substitutable_spares_brand_difference)
    ON TABLE ticket.regime TO ticket_rules_admin;
GRANT SELECT ON TABLE ticket.regime TO ticket_library;

SELECT pg_catalog.pg_extension_config_dump('ticket.regime', 'WHERE NOT shipped');
