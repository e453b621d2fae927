CREATE FUNCTION fse.prescribe(nre text, citizen ticket.fiscal_code, gp_code text, services text[], priority text DEFAULT NULL::text, prescribed_on date DEFAULT CURRENT_DATE) RETURNS fse.prescription
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    written fse.prescription;
BEGIN
    PERFORM ticket.refuse_long_text('fse.prescribe', 'nre', nre, 64);
    PERFORM ticket.refuse_long_text('fse.prescribe', 'gp_code', gp_code, 16);
    PERFORM ticket.refuse_long_text('fse.prescribe', 'priority', priority, 16);
    PERFORM ticket.refuse_long_text('fse.prescribe', 'services', array_to_string(services, ','), 2000);
    INSERT INTO fse.prescription (nre, fiscal_code, gp_code, prescribed_on, priority, services)
    VALUES (upper(btrim(nre)), citizen, gp_code, prescribed_on, upper(priority), services)
    RETURNING * INTO written;
    RETURN written;
END;
$$;

COMMENT ON FUNCTION fse.prescribe(nre text, citizen ticket.fiscal_code, gp_code text, services text[], priority text, prescribed_on date) IS 'writes an electronic prescription; its band and exemption boxes come from the registry; VOLATILE because it writes';

REVOKE ALL ON FUNCTION fse.prescribe(nre text, citizen ticket.fiscal_code, gp_code text, services text[], priority text, prescribed_on date) FROM PUBLIC;
GRANT ALL ON FUNCTION fse.prescribe(nre text, citizen ticket.fiscal_code, gp_code text, services text[], priority text, prescribed_on date) TO ticket_gp;
