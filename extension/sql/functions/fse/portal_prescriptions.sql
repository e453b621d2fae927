CREATE FUNCTION fse.portal_prescriptions(authenticated ticket.fiscal_code, citizen ticket.fiscal_code) RETURNS SETOF fse.prescription
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
BEGIN
    PERFORM fse.portal_check(authenticated, citizen);
    PERFORM ticket.audit_read('fse.portal_prescriptions', citizen, jsonb_build_object('authenticated', authenticated));
    RETURN QUERY
        SELECT p.* FROM fse.prescription p WHERE p.fiscal_code = citizen ORDER BY p.prescribed_on, p.nre;
END;
$$;

COMMENT ON FUNCTION fse.portal_prescriptions(authenticated ticket.fiscal_code, citizen ticket.fiscal_code) IS 'the portal: a citizen''s electronic prescriptions with their band and exemption boxes, for the authenticated person (fse.portal_check); VOLATILE because it records the read';

REVOKE ALL ON FUNCTION fse.portal_prescriptions(authenticated ticket.fiscal_code, citizen ticket.fiscal_code) FROM PUBLIC;
GRANT ALL ON FUNCTION fse.portal_prescriptions(authenticated ticket.fiscal_code, citizen ticket.fiscal_code) TO ticket_fse_portal;
