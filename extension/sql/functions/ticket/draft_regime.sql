CREATE FUNCTION ticket.draft_regime(from_regime text, new_regime text, effective_from date) RETURNS text
    LANGUAGE plpgsql STRICT SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
BEGIN
    PERFORM ticket.refuse_long_text('ticket.draft_regime', 'from_regime', from_regime, 100);
    PERFORM ticket.refuse_long_text('ticket.draft_regime', 'new_regime', new_regime, 100);
    -- Everything of from_regime but its name, its date and its status: the
    -- rows a rules administrator edits before ticket.simulate.
    INSERT INTO ticket.regime (regime_id, effective_from, legal_reference, description, default_band,
                               specialist_cap, quota_threshold, quota, ct_mri, first_visit, control_visit,
                               ambulatory_surgery, surgery_fixed_codes, drug_per_pack, drug_cap, er_access,
                               er_chargeable_codes, max_items, adjustment_grace_days, adjustment_until, er_consultation,
                               er_exam_cap, not_substitutable_spares_brand_difference, status)
    SELECT new_regime, draft_regime.effective_from, r.legal_reference,
           pg_catalog.concat('draft copied from ', r.regime_id),
           r.default_band, r.specialist_cap, r.quota_threshold, r.quota, r.ct_mri, r.first_visit,
           r.control_visit, r.ambulatory_surgery, r.surgery_fixed_codes, r.drug_per_pack, r.drug_cap,
           r.er_access, r.er_chargeable_codes, r.max_items, r.adjustment_grace_days, r.adjustment_until,
           r.er_consultation, r.er_exam_cap, r.not_substitutable_spares_brand_difference, 'draft'
      FROM ticket.regime r
     WHERE r.regime_id OPERATOR(pg_catalog.=) from_regime;
    IF NOT FOUND THEN
        PERFORM ticket.raise_error('P0002', 'regime % does not exist', ARRAY[from_regime]);
    END IF;
    INSERT INTO ticket.regime_band (regime_id, band, income_range, quota, ct_mri, drug_per_pack, drug_cap,
                                    replaces)
    SELECT new_regime, b.band, b.income_range, b.quota, b.ct_mri, b.drug_per_pack, b.drug_cap, b.replaces
      FROM ticket.regime_band b
     WHERE b.regime_id OPERATOR(pg_catalog.=) from_regime;
    INSERT INTO ticket.exemption_rule (regime_id, exemption, family, coverage, spares_band_quota,
                                       spares_drugs, spares_er, note, covers_all_drugs, max_age,
                                       spares_brand_difference)
    SELECT new_regime, e.exemption, e.family, e.coverage, e.spares_band_quota, e.spares_drugs,
           e.spares_er, e.note, e.covers_all_drugs, e.max_age, e.spares_brand_difference
      FROM ticket.exemption_rule e
     WHERE e.regime_id OPERATOR(pg_catalog.=) from_regime;
    RETURN new_regime;
END;
$$;

COMMENT ON FUNCTION ticket.draft_regime(from_regime text, new_regime text, effective_from date) IS 'copies a regime, its bands and its exemption rules into a draft regime new_regime from effective_from, not in force (status draft: no booking, price or date look-up sees it) until ticket.enact_regime; returns new_regime; runs as the owner, audited as the caller; VOLATILE because it writes';

REVOKE ALL ON FUNCTION ticket.draft_regime(from_regime text, new_regime text, effective_from date) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.draft_regime(from_regime text, new_regime text, effective_from date) TO ticket_rules_admin;
