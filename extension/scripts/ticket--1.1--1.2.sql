/* extension/scripts/ticket--1.1--1.2.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION ticket UPDATE TO '1.2'" to load this file. \quit

--------------------------------------------------------------------------
-- 1.2: security by construction.  No role borrows the extension's power:
--   * every function is closed to PUBLIC and granted to the shipped roles
--     that need it; trigger functions and internal helpers to nobody, so
--     nobody but the owner attaches them to a table of their own;
--   * every trigger function checks the table, timing, level and event it
--     fires for (ticket.trigger_expects, C), and the C triggers check the
--     type of every column they read;
--   * owner-run code reads only the extension's own tables;
--   * every write to health data or money is audited;
--   * NOTIFY carries only committed events; a shipped consumer role reads
--     the outbox;
--   * input limits, and no oracle of existence.
--------------------------------------------------------------------------

--------------------------------------------------------------------------
-- C: trigger contracts (trigger_contract.c)
--------------------------------------------------------------------------

-- The C triggers check their own contract (trigger_contract_check); the
-- PL/pgSQL ones call this as their first statement.  STABLE, not
-- IMMUTABLE: the error names relations from the catalogue.  Not STRICT:
-- NULL TG_ variables (a call outside a trigger) fail rather than pass.
CREATE FUNCTION ticket.trigger_expects(tg_name name, tg_relid oid, tg_when text, tg_level text,
                                       tg_op text, tables regclass[], firings text[])
RETURNS void
AS 'MODULE_PATHNAME', 'ticket_trigger_expects'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL SAFE;
COMMENT ON FUNCTION ticket.trigger_expects(name, oid, text, text, text, regclass[], text[]) IS
'raises 39P01 (trigger_protocol_violated) unless TG_RELID is one of tables and "TG_WHEN TG_LEVEL TG_OP" one of firings (such as ''BEFORE ROW INSERT''): the first statement of every PL/pgSQL trigger function of the extension';
REVOKE EXECUTE ON FUNCTION ticket.trigger_expects(name, oid, text, text, text, regclass[], text[]) FROM PUBLIC;

-- (C section end)
