-- The emergency room from May 2011 (DGR 389/2011; §2.5, §9; S25 S26 S61):
-- each further consultant visit the PS doctor asks for 25.00
-- (er_consultation; S25 -- S13, an older regional page, says 23.00: the
-- current page of the Region is taken), the exams PS prescribes by tariff
-- up to 36.15 a prescription (er_exam_cap; S25), both only with an access
-- that pays.
INSERT INTO ticket.regime (regime_id, effective_from, legal_reference, description, default_band, specialist_cap, quota_threshold, quota, ct_mri, first_visit, control_visit, ambulatory_surgery, surgery_fixed_codes, drug_per_pack, drug_cap, er_access, er_chargeable_codes, max_items, shipped, adjustment_grace_days, adjustment_until, er_consultation, er_exam_cap) VALUES
    ('ER-2011-05-01', '2011-05-01', 'DGR 389/2011 (emergency room by appropriateness); national rules otherwise', 'emergency room: white and green triage pay 25.00 an access, 25.00 a further consultation, PS exams up to 36.15 (S25 S26 S61; S13 23.00 not taken)', NULL, 36.15, 10.00, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 25.00, '{PS-WHITE,PS-GREEN}', 8, true, NULL, NULL, 25.00, 36.15);

INSERT INTO ticket.exemption_rule (regime_id, exemption, family, coverage, spares_band_quota, spares_drugs, spares_er, note, shipped) VALUES
    ('ER-2011-05-01', 'C01', NULL, 'all', true, true, true, 'civil invalid 100 %: total (§4.3)', true),
    ('ER-2011-05-01', 'C02', NULL, 'all', true, true, true, 'civil invalid 100 % with allowance: total', true),
    ('ER-2011-05-01', 'C03', NULL, 'all', true, true, true, 'civil invalid 67-99 %: total', true),
    ('ER-2011-05-01', 'C04', NULL, 'all', true, true, true, 'civil-invalid minors: total', true),
    ('ER-2011-05-01', 'C05', NULL, 'all', true, true, true, 'blind: total', true),
    ('ER-2011-05-01', 'C06', NULL, 'all', true, true, true, 'deaf-mute: total', true),
    ('ER-2011-05-01', 'E99', NULL, 'all', true, false, false, 'workers hit by the crisis: specialist services (§4.2)', true),
    ('ER-2011-05-01', 'F01', NULL, 'all', true, true, true, 'prisoners: total', true),
    ('ER-2011-05-01', 'G01', NULL, 'all', true, true, true, 'war invalids cat. 1-5: total', true),
    ('ER-2011-05-01', 'L01', NULL, 'all', true, true, true, 'work invalids 80-100 %: total', true),
    ('ER-2011-05-01', 'L02', NULL, 'all', true, true, true, 'work invalids 67-79 %: total', true),
    ('ER-2011-05-01', 'S01', NULL, 'all', true, true, true, 'service invalids cat. 1: total', true),
    ('ER-2011-05-01', 'S02', NULL, 'all', true, true, true, 'service invalids cat. 2-5: total', true),
    ('ER-2011-05-01', 'V02', NULL, 'all', true, true, true, 'victims of terrorism, invalidity > 80 %: total', true),
    ('ER-2011-05-01', 'X01', NULL, 'all', true, true, true, 'undocumented foreigners (STP), urgent care: total', true),
    ('ER-2011-05-01', NULL, 'chronic', 'listed', false, true, false, 'chronic diseases: related services and drugs (§4.4)', true),
    ('ER-2011-05-01', NULL, 'income', 'all', true, true, true, 'E01-E04: total (§4.1)', true),
    ('ER-2011-05-01', NULL, 'invalidity', 'listed', false, true, false, 'partial invalidity codes: related services (§4.3)', true),
    ('ER-2011-05-01', NULL, 'other', 'listed', false, false, false, 'B01 T01 I01 P01-P03 TDL01 PML: the listed services (§4.3)', true),
    ('ER-2011-05-01', NULL, 'pregnancy', 'listed', false, false, false, 'pregnancy protocol services; not valid for drugs (§4.3)', true),
    ('ER-2011-05-01', NULL, 'prevention', 'listed', false, false, false, 'screening services (§4.3)', true),
    ('ER-2011-05-01', NULL, 'rare', 'listed', false, true, false, 'rare diseases: related services and drugs (§4.4)', true);

-- The brand difference (price over the reference price of the drug's class,
-- L. 405/2001 art. 7, national since 1 December 2001) is paid by exempt and
-- non-exempt alike, except war invalids (G01, G02) and victims of terrorism
-- (V01, V02) (§2.6, §4.3, §9 item 2; S13 S46 S19).  G02 and V01 have no row
-- of their own otherwise: the invalidity family's, copied.
UPDATE ticket.exemption_rule SET spares_brand_difference = true,
       note = note || '; no brand difference (§2.6, §9; S13 S46 S19)'
 WHERE regime_id = 'ER-2011-05-01' AND exemption IN ('G01', 'V02');
INSERT INTO ticket.exemption_rule (regime_id, exemption, family, coverage, spares_band_quota, spares_drugs, spares_er, note, shipped, covers_all_drugs, spares_brand_difference) VALUES
    ('ER-2011-05-01', 'G02', NULL, 'listed', false, true, false, 'war invalids cat. 6-8: as the invalidity family, related services (§4.3); no brand difference (§2.6, §9; S13 S46 S19)', true, false, true),
    ('ER-2011-05-01', 'V01', NULL, 'listed', false, true, false, 'victims of terrorism: as the invalidity family, related services (§4.3); no brand difference (§2.6, §9; S13 S46 S19)', true, false, true);
