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

-- (C section end)
