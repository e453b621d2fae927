CREATE FUNCTION fse.portal_check(authenticated ticket.fiscal_code, citizen ticket.fiscal_code) RETURNS void
    LANGUAGE plpgsql STABLE SECURITY DEFINER PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
BEGIN
    IF authenticated IS NULL OR citizen IS NULL
       OR NOT registry.may_declare_for(authenticated, citizen, ticket.local_day(now())) THEN
        PERFORM ticket.raise_error('42501', '% may not see the FSE of %',
                                   ARRAY[coalesce(authenticated::text, 'NULL'), coalesce(citizen::text, 'NULL')],
                                   detail => 'Through the portal a citizen sees their own data, and a parent or guardian a minor''s.');
    END IF;
END;
$$;

COMMENT ON FUNCTION fse.portal_check(authenticated ticket.fiscal_code, citizen ticket.fiscal_code) IS 'refuses (42501) unless the authenticated person is the citizen, or a parent or guardian of the minor citizen today';

REVOKE ALL ON FUNCTION fse.portal_check(authenticated ticket.fiscal_code, citizen ticket.fiscal_code) FROM PUBLIC;
