CREATE FUNCTION ticket.refuse_long_text(function_name text, argument text, value text, max_characters integer) RETURNS void
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'ticket', 'pg_temp'
    AS $$
BEGIN
    IF length(value) > max_characters THEN
        PERFORM ticket.raise_error('22001', 'argument % of % is % characters long: at most % are accepted',
                                   ARRAY[argument, function_name, length(value)::text, max_characters::text]);
    END IF;
END;
$$;

COMMENT ON FUNCTION ticket.refuse_long_text(function_name text, argument text, value text, max_characters integer) IS 'refuses (22001) a text argument of an API function longer than its documented maximum, without quoting it; internal';

REVOKE ALL ON FUNCTION ticket.refuse_long_text(function_name text, argument text, value text, max_characters integer) FROM PUBLIC;
