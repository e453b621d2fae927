-- The emergency room from May 2011 (DGR 389/2011; §2.5, §9; S25 S26 S61):
-- each further consultant visit the PS doctor asks for 25.00
-- (er_consultation; S25 -- S13, an older regional page, says 23.00: the
-- current page of the Region is taken), the exams PS prescribes by tariff
-- up to 36.15 a prescription (er_exam_cap; S25), both only with an access
-- that pays.
INSERT INTO ticket.regime (regime_id, effective_from, legal_reference, description, default_band, specialist_cap, quota_threshold, quota, ct_mri, first_visit, control_visit, ambulatory_surgery, surgery_fixed_codes, drug_per_pack, drug_cap, er_access, er_chargeable_codes, max_items, shipped, adjustment_grace_days, adjustment_until, er_consultation, er_exam_cap) VALUES
    ('ER-2025-05-02', '2025-05-02', 'DGR 390 of 24 March 2025', 'regional drug ticket; FA2 limited to children up to 14', NULL, 36.15, 10.00, NULL, 36.15, 23.00, 18.00, 36.15, NULL, 2.20, 4.00, 25.00, '{PS-WHITE,PS-GREEN}', 8, true, NULL, NULL, 25.00, 36.15);

INSERT INTO ticket.exemption_rule (regime_id, exemption, family, coverage, spares_band_quota, spares_drugs, spares_er, note, shipped, covers_all_drugs, max_age, spares_brand_difference) VALUES
    ('ER-2025-05-02', 'C01', NULL, 'all', true, true, true, 'civil invalid 100 %: total (§4.3)', true, false, NULL, false),
    ('ER-2025-05-02', 'C02', NULL, 'all', true, true, true, 'civil invalid 100 % with allowance: total', true, false, NULL, false),
    ('ER-2025-05-02', 'C03', NULL, 'all', true, true, true, 'civil invalid 67-99 %: total', true, false, NULL, false),
    ('ER-2025-05-02', 'C04', NULL, 'all', true, true, true, 'civil-invalid minors: total', true, false, NULL, false),
    ('ER-2025-05-02', 'C05', NULL, 'all', true, true, true, 'blind: total', true, false, NULL, false),
    ('ER-2025-05-02', 'C06', NULL, 'all', true, true, true, 'deaf-mute: total', true, false, NULL, false),
    ('ER-2025-05-02', 'C07', NULL, 'listed', false, true, false, 'services for the invalidity assessment: not an invalidity, related services only as before (choice, §4.3)', true, false, NULL, false),
    ('ER-2025-05-02', 'E99', NULL, 'all', true, false, false, 'workers hit by the crisis: specialist services (§4.2)', true, false, NULL, false),
    ('ER-2025-05-02', 'F01', NULL, 'all', true, true, true, 'prisoners: total', true, false, NULL, false),
    ('ER-2025-05-02', 'FA2', NULL, 'first_visit', false, false, false, 'families with two or more dependent children (DGR 2076/2018): first visit; from 2 May 2025 children up to 14 only, not at 15 (max_age); grants by fiscal year, 1 April - 31 March, since 2022 (§3.3, §3.6, §9; S29 S30 S48)', true, false, 14, false),
    ('ER-2025-05-02', 'G01', NULL, 'all', true, true, true, 'war invalids cat. 1-5: total; no brand difference (§2.6, §9; S13 S46 S19)', true, false, NULL, true),
    ('ER-2025-05-02', 'G02', NULL, 'listed', false, true, false, 'war invalids cat. 6-8: as the invalidity family, every invalidity code: related services, every fascia A drug (§3.6, §9; S14 S27 S28); no brand difference (§2.6, §9; S13 S46 S19)', true, true, NULL, true),
    ('ER-2025-05-02', 'L01', NULL, 'all', true, true, true, 'work invalids 80-100 %: total', true, false, NULL, false),
    ('ER-2025-05-02', 'L02', NULL, 'all', true, true, true, 'work invalids 67-79 %: total', true, false, NULL, false),
    ('ER-2025-05-02', 'L04', NULL, 'listed', false, true, false, 'work injury or occupational disease: related services and related drugs only (§3.6, §9; S27 S28)', true, false, NULL, false),
    ('ER-2025-05-02', 'S01', NULL, 'all', true, true, true, 'service invalids cat. 1: total', true, false, NULL, false),
    ('ER-2025-05-02', 'S02', NULL, 'all', true, true, true, 'service invalids cat. 2-5: total', true, false, NULL, false),
    ('ER-2025-05-02', 'T12', NULL, 'all', true, true, false, '2012 earthquake: visits, exams and drugs from 11 June 2012 (§4.2 [C S53]; the code T12 is [U], §9 item 4; its dates are ticket.exemption_catalogue''s)', true, false, NULL, false),
    ('ER-2025-05-02', 'TDL01', NULL, 'listed', false, true, false, 'chronic pain therapy: related services and related drugs only (§3.6, §9; S27 S28)', true, false, NULL, false),
    ('ER-2025-05-02', 'V01', NULL, 'listed', false, true, false, 'victims of terrorism: as the invalidity family, every invalidity code: related services, every fascia A drug (§3.6, §9; S14 S27 S28); no brand difference (§2.6, §9; S13 S46 S19)', true, true, NULL, true),
    ('ER-2025-05-02', 'V02', NULL, 'all', true, true, true, 'victims of terrorism, invalidity > 80 %: total; no brand difference (§2.6, §9; S13 S46 S19)', true, false, NULL, true),
    ('ER-2025-05-02', 'X01', NULL, 'all', true, true, true, 'undocumented foreigners (STP), urgent care: total', true, false, NULL, false),
    ('ER-2025-05-02', NULL, 'chronic', 'listed', false, true, false, 'chronic diseases: related services and related drugs only (§3.6, §4.4, §9; S27)', true, false, NULL, false),
    ('ER-2025-05-02', NULL, 'income', 'all', true, true, true, 'E01-E04: total (§4.1)', true, false, NULL, false),
    ('ER-2025-05-02', NULL, 'invalidity', 'listed', false, true, false, 'every invalidity code (civil, war, work, service; G02 L03 S03 S04 N01 V01 too, partial for services): related services, every fascia A drug (§3.6, §9; S14 S27 S28)', true, true, NULL, false),
    ('ER-2025-05-02', NULL, 'other', 'listed', false, false, false, 'B01 T01 I01 P01-P03 TDL01 PML: the listed services (§4.3)', true, false, NULL, false),
    ('ER-2025-05-02', NULL, 'pregnancy', 'listed', false, false, false, 'pregnancy protocol services; not valid for drugs (§4.3)', true, false, NULL, false),
    ('ER-2025-05-02', NULL, 'prevention', 'listed', false, false, false, 'screening services (§4.3)', true, false, NULL, false),
    ('ER-2025-05-02', NULL, 'rare', 'listed', false, true, false, 'rare diseases: related services and related drugs only (§3.6, §4.4, §9; S27)', true, false, NULL, false);
