CREATE VIEW fse.prescription_expected AS
 SELECT p.nre,
    p.fiscal_code,
    p.prescribed_on,
    p.band,
    p.exemptions,
    ticket.effective_band(s.declared_band, p.prescribed_on) AS expected_band,
    s.exemptions AS expected_exemptions
   FROM (fse.prescription p
     CROSS JOIN LATERAL ticket.citizen_status(p.fiscal_code, p.prescribed_on) s(declared_band, exemptions));

COMMENT ON VIEW fse.prescription_expected IS 'every prescription with the band and exemption boxes the registry gives for its date (expected_*)';

COMMENT ON COLUMN fse.prescription_expected.nre IS 'the prescription (fse.prescription)';

COMMENT ON COLUMN fse.prescription_expected.fiscal_code IS 'its patient';

COMMENT ON COLUMN fse.prescription_expected.prescribed_on IS 'its date: the date of the registry its boxes show';

COMMENT ON COLUMN fse.prescription_expected.band IS 'the band box stored on the prescription';

COMMENT ON COLUMN fse.prescription_expected.exemptions IS 'the exemption box stored on the prescription';

COMMENT ON COLUMN fse.prescription_expected.expected_band IS 'the band the registry gives for the date, as its regime charges it (ticket.effective_band)';

COMMENT ON COLUMN fse.prescription_expected.expected_exemptions IS 'the exemptions the registry gives for the date, in code order';
