CREATE FUNCTION ticket.trigger_expects(tg_name name, tg_relid oid, tg_when text, tg_level text, tg_op text, tables regclass[], firings text[]) RETURNS void
    LANGUAGE c STABLE PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'ticket_trigger_expects';

COMMENT ON FUNCTION ticket.trigger_expects(tg_name name, tg_relid oid, tg_when text, tg_level text, tg_op text, tables regclass[], firings text[]) IS 'raises 39P01 (trigger_protocol_violated) unless TG_RELID is one of tables and "TG_WHEN TG_LEVEL TG_OP" one of firings (such as ''BEFORE ROW INSERT''): the first statement of every PL/pgSQL trigger function of the extension';

REVOKE ALL ON FUNCTION ticket.trigger_expects(tg_name name, tg_relid oid, tg_when text, tg_level text, tg_op text, tables regclass[], firings text[]) FROM PUBLIC;
