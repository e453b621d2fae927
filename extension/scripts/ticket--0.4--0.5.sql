/* extension/scripts/ticket--0.4--0.5.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION ticket UPDATE TO '0.5'" to load this file. \quit

--------------------------------------------------------------------------
-- 0.5: documentation in the catalog -- every column of the views that
-- ticket.check_consistency() compares with the stored rows says what it is,
-- so that \d+ explains them as it does the tables.
--------------------------------------------------------------------------

COMMENT ON COLUMN cup.booking_expected.booking_id IS 'the booking (cup.booking)';
COMMENT ON COLUMN cup.booking_expected.fiscal_code IS 'its patient';
COMMENT ON COLUMN cup.booking_expected.service_date IS 'its service date: the date of the rules and the registry that price it';
COMMENT ON COLUMN cup.booking_expected.status IS 'its status (only booked bookings follow the registry)';
COMMENT ON COLUMN cup.booking_expected.bill IS 'the bill stored on the booking';
COMMENT ON COLUMN cup.booking_expected.expected_bill IS 'the bill ticket.price gives today for the services, with the band and exemptions in force on the service date';

COMMENT ON COLUMN fse.prescription_expected.nre IS 'the prescription (fse.prescription)';
COMMENT ON COLUMN fse.prescription_expected.fiscal_code IS 'its patient';
COMMENT ON COLUMN fse.prescription_expected.prescribed_on IS 'its date: the date of the registry its boxes show';
COMMENT ON COLUMN fse.prescription_expected.band IS 'the band box stored on the prescription';
COMMENT ON COLUMN fse.prescription_expected.exemptions IS 'the exemption box stored on the prescription';
COMMENT ON COLUMN fse.prescription_expected.expected_band IS 'the band the registry gives for the date, as its regime charges it (ticket.effective_band)';
COMMENT ON COLUMN fse.prescription_expected.expected_exemptions IS 'the exemptions the registry gives for the date, in code order';

COMMENT ON COLUMN fse.profile_expected.fiscal_code IS 'the citizen';
COMMENT ON COLUMN fse.profile_expected.declaration_id IS 'the current declaration (valid_until IS NULL), or NULL';
COMMENT ON COLUMN fse.profile_expected.band IS 'its declared band';
COMMENT ON COLUMN fse.profile_expected.band_from IS 'the day it applies from';
COMMENT ON COLUMN fse.profile_expected.exemptions IS 'every exemption grant not wholly revoked, with the dates it covers';
