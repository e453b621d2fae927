CREATE FUNCTION registry.revoke_exemption(grant_id bigint, revoked_on date, reason text, revoked_at timestamp with time zone DEFAULT now()) RETURNS registry.exemption_grant
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
DECLARE
    revoked registry.exemption_grant;
BEGIN
    PERFORM ticket.refuse_long_text('registry.revoke_exemption', 'reason', reason, 500);
    UPDATE registry.exemption_grant g
       SET revoked_on = revoke_exemption.revoked_on, revocation_reason = reason,
           revoked_at = revoke_exemption.revoked_at
     WHERE g.grant_id = revoke_exemption.grant_id
    RETURNING * INTO revoked;
    IF NOT FOUND THEN
        PERFORM ticket.raise_error('P0002', 'exemption grant % does not exist', ARRAY[grant_id::text]);
    END IF;
    RETURN revoked;
END;
$$;

COMMENT ON FUNCTION registry.revoke_exemption(grant_id bigint, revoked_on date, reason text, revoked_at timestamp with time zone) IS 'revokes an exemption grant from revoked_on (once; TK018 if already revoked); VOLATILE because it writes';

REVOKE ALL ON FUNCTION registry.revoke_exemption(grant_id bigint, revoked_on date, reason text, revoked_at timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION registry.revoke_exemption(grant_id bigint, revoked_on date, reason text, revoked_at timestamp with time zone) TO ticket_registry_operator;
