CREATE VIEW fse.prescription_expected AS
 SELECT p.nre,
    p.fiscal_code,
    p.prescribed_on,
    p.band,
    p.exemptions,
    ticket.effective_band(d.band, p.prescribed_on) AS expected_band,
    COALESCE(g.exemptions, '{}'::ticket.exemption[]) AS expected_exemptions
   FROM ((fse.prescription p
     LEFT JOIN LATERAL ( SELECT d_1.band
           FROM registry.declaration d_1
          WHERE ((d_1.fiscal_code OPERATOR(ticket.=) p.fiscal_code) AND (d_1.applies_from <= p.prescribed_on) AND ((d_1.valid_until IS NULL) OR (d_1.valid_until > p.prescribed_on)))) d ON (true))
     LEFT JOIN LATERAL ( SELECT array_agg(g_1.exemption ORDER BY g_1.exemption) AS exemptions
           FROM registry.exemption_grant g_1
          WHERE ((g_1.fiscal_code OPERATOR(ticket.=) p.fiscal_code) AND (lower(g_1.effective) <= p.prescribed_on) AND (upper_inf(g_1.effective) OR (upper(g_1.effective) > p.prescribed_on)))) g ON (true));

COMMENT ON VIEW fse.prescription_expected IS 'every prescription with the band and exemption boxes the registry gives for its date (expected_*)';

COMMENT ON COLUMN fse.prescription_expected.nre IS 'the prescription (fse.prescription)';

COMMENT ON COLUMN fse.prescription_expected.fiscal_code IS 'its patient';

COMMENT ON COLUMN fse.prescription_expected.prescribed_on IS 'its date: the date of the registry its boxes show';

COMMENT ON COLUMN fse.prescription_expected.band IS 'the band box stored on the prescription';

COMMENT ON COLUMN fse.prescription_expected.exemptions IS 'the exemption box stored on the prescription';

COMMENT ON COLUMN fse.prescription_expected.expected_band IS 'the band the registry gives for the date, as its regime charges it (ticket.effective_band)';

COMMENT ON COLUMN fse.prescription_expected.expected_exemptions IS 'the exemptions the registry gives for the date, in code order';
