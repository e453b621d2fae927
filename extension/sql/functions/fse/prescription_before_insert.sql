CREATE FUNCTION fse.prescription_before_insert() RETURNS trigger
    LANGUAGE c SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS 'MODULE_PATHNAME', 'fse_prescription_before_insert';

COMMENT ON FUNCTION fse.prescription_before_insert() IS 'trigger (C): boxes not written by hand (428C9), NRE region (22P02), priority (23503), a living patient (23503, TK010) whose lock it takes, a practising GP (TK017), valid services (TK001-TK006); fills the band and exemption boxes and the maximum wait; VOLATILE because it writes';

REVOKE ALL ON FUNCTION fse.prescription_before_insert() FROM PUBLIC;
