CREATE FUNCTION ticket.raise_error(sqlstate text, message text, args text[] DEFAULT '{}'::text[], detail text DEFAULT NULL::text, hint text DEFAULT NULL::text, detail_args text[] DEFAULT '{}'::text[], hint_args text[] DEFAULT '{}'::text[]) RETURNS void
    LANGUAGE c PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'ticket_raise_error';

COMMENT ON FUNCTION ticket.raise_error(sqlstate text, message text, args text[], detail text, hint text, detail_args text[], hint_args text[]) IS 'raises an error (never returns): SQLSTATE sqlstate (five digits or upper-case letters, not class 00; 22023 otherwise), the message, detail and hint templates translated through the extension''s message catalogue (lc_messages) and filled in as PL/pgSQL RAISE does (each % takes the next argument of args, detail_args, hint_args; %% is a %; NULL is <NULL>; arguments left over are ignored); VOLATILE because it raises';

REVOKE ALL ON FUNCTION ticket.raise_error(sqlstate text, message text, args text[], detail text, hint text, detail_args text[], hint_args text[]) FROM PUBLIC;
