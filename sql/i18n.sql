-- Messages in Italian: the C code's messages (errmsg, errdetail, errhint)
-- go through gettext, catalogue ticket-15 built from extension/po/it.po;
-- lc_messages picks the language of the session.  SET lc_messages needs the
-- operating system's it_IT.UTF-8 locale (ticket_install_deps generates it);
-- without it the SET fails and every message below stays English.
-- Each error is followed by its SQLSTATE, the same in every language.
\set VERBOSITY default
SET search_path = ticket, public;
SET lc_messages = 'it_IT.UTF-8';
-- Dates in the messages follow DateStyle (pg_regress sets Postgres, MDY):
-- ISO reads the same in Italian and English.
SET DateStyle = 'ISO, DMY';

-- Fiscal codes.  The reason after the colon is built in fiscal_code_type.c
-- (fiscal_code_reason) out of gettext's reach: it stays English for now.
SELECT 'CCCFBA85D03L219X'::fiscal_code;
\echo :LAST_ERROR_SQLSTATE
SELECT fiscal_code_encode('Rossi', 'Mario', 'X', '1985-04-03', 'A944');
\echo :LAST_ERROR_SQLSTATE

-- An income band the regime does not define, with its detail.
SELECT price(ARRAY['89.52'], 'QB', NULL, '2015-03-01');
\echo :LAST_ERROR_SQLSTATE
SELECT price(ARRAY['89.52'], 'RE1', NULL, '2021-03-01');
\echo :LAST_ERROR_SQLSTATE

-- Pricing errors of ticket.price.
SELECT price(ARRAY['89.52'], NULL, NULL, '2008-12-31');
\echo :LAST_ERROR_SQLSTATE
SELECT price(ARRAY['99.99'], NULL, NULL, '2015-03-01');
\echo :LAST_ERROR_SQLSTATE
SELECT price(ARRAY['89.52', '90.62.2'], NULL, NULL, '2015-03-01');
\echo :LAST_ERROR_SQLSTATE
SELECT price(ARRAY['89.52','89.52','89.52','89.52','89.52','89.52','89.52','89.52','89.52'], NULL, NULL, '2015-03-01');
\echo :LAST_ERROR_SQLSTATE
SELECT price(ARRAY[ROW('X', 'exam', 'lab', 1, 1001)::item], NULL, NULL, '2015-03-01');
\echo :LAST_ERROR_SQLSTATE
SELECT income_band_for(-1, '2015-01-01');
\echo :LAST_ERROR_SQLSTATE

-- An NRE whose region is not a Ministry code, a priority that is not a class.
SELECT prescription_max_wait('999A00000000001', 'B', ARRAY['89.7'], '2020-01-01');
\echo :LAST_ERROR_SQLSTATE
SELECT prescription_max_wait('080A00000000001', 'Z', ARRAY['89.7'], '2020-01-01');
\echo :LAST_ERROR_SQLSTATE

-- The rule tables' protection (a trigger in C): message, detail and hint.
INSERT INTO service (code, effective_from, description, branch, kind, tariff, synthetic, source, shipped)
VALUES ('X.1', '2020-01-01', 'x', 'lab', 'exam', 1, true, 'test', true);
\echo :LAST_ERROR_SQLSTATE

-- Not translated: PL/pgSQL RAISE in the extension's scripts (no gettext).
\set SHOW_CONTEXT never
SELECT cup.cancel(-1);
\echo :LAST_ERROR_SQLSTATE
\set SHOW_CONTEXT errors

-- Back to the server's default (C in pg_regress): English again.
RESET lc_messages;
SELECT prescription_max_wait('999A00000000001', 'B', ARRAY['89.7'], '2020-01-01');
\echo :LAST_ERROR_SQLSTATE
SELECT price(ARRAY['89.52'], 'QB', NULL, '2015-03-01');
\echo :LAST_ERROR_SQLSTATE
