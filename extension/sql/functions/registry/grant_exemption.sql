CREATE FUNCTION registry.grant_exemption(citizen ticket.fiscal_code, exemption ticket.exemption, valid_from date, source text, valid_until date DEFAULT NULL::date, granted_at timestamp with time zone DEFAULT now()) RETURNS registry.exemption_grant
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    granted registry.exemption_grant;
BEGIN
    PERFORM ticket.refuse_long_text('registry.grant_exemption', 'source', source, 200);
    INSERT INTO registry.exemption_grant (fiscal_code, exemption, valid, source, granted_at)
    VALUES (citizen, exemption, daterange(valid_from, valid_until), source, granted_at)
    RETURNING * INTO granted;
    RETURN granted;
END;
$$;

COMMENT ON FUNCTION registry.grant_exemption(citizen ticket.fiscal_code, exemption ticket.exemption, valid_from date, source text, valid_until date, granted_at timestamp with time zone) IS 'grants an exemption from valid_from to valid_until (exclusive; income exemptions default to the next 1 April); VOLATILE because it writes';

REVOKE ALL ON FUNCTION registry.grant_exemption(citizen ticket.fiscal_code, exemption ticket.exemption, valid_from date, source text, valid_until date, granted_at timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION registry.grant_exemption(citizen ticket.fiscal_code, exemption ticket.exemption, valid_from date, source text, valid_until date, granted_at timestamp with time zone) TO ticket_registry_operator;
