-- Messages in Italian: every error of the extension, the C code's
-- (errmsg, errdetail, errhint, and the reasons, hints, month and type names
-- they are built from) and the PL/pgSQL functions' (ticket.raise_error),
-- goes through gettext, catalogue ticket-15 built from extension/po/it.po;
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

--------------------------------------------------------------------------
-- 1. The C code
--------------------------------------------------------------------------

-- Fiscal codes: the reason after the colon (fiscal_code_type.c), a month
-- name in it, the hints.
SELECT 'CCCFBA85D03L219X'::fiscal_code;
\echo :LAST_ERROR_SQLSTATE
SELECT 'RSSMRA85D71L219X'::fiscal_code;
\echo :LAST_ERROR_SQLSTATE
SELECT 'RSSMRA85Z03L219X'::fiscal_code;
\echo :LAST_ERROR_SQLSTATE
SELECT 'RSSMRA8XD03L219X'::fiscal_code;
\echo :LAST_ERROR_SQLSTATE
SELECT '12345678901'::fiscal_code;
\echo :LAST_ERROR_SQLSTATE
SELECT fiscal_code_encode('Rossi', 'Mario', 'X', '1985-04-03', 'A944');
\echo :LAST_ERROR_SQLSTATE
SELECT fiscal_code_encode('Rossi', 'Mario', 'M', '0044-03-15 BC', 'A944');
\echo :LAST_ERROR_SQLSTATE
SELECT fiscal_code_encode('Rossi', 'Mario', 'M', '1985-04-03', 'Bologna');
\echo :LAST_ERROR_SQLSTATE
-- A letter the transliteration table does not cover: which name it is.
SELECT fiscal_code_encode('Muñoz', 'Mario', 'M', '1985-04-03', 'A944');
\echo :LAST_ERROR_SQLSTATE
SELECT fiscal_code_encode('Rossi', 'Iñigo', 'M', '1985-04-03', 'A944');
\echo :LAST_ERROR_SQLSTATE
SELECT transliterate_name('Ñ');
\echo :LAST_ERROR_SQLSTATE
-- The desk helpers (issue 16).
SELECT fiscal_code_normalize('RSS–MRA');
\echo :LAST_ERROR_SQLSTATE
SELECT fiscal_code_omocode('RSSMRA85T10A562S', 8);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM fiscal_code_candidates('RSSMRA85T10A562');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM fiscal_code_decode_partial('RSSMRA85T1');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM fiscal_code_decode_partial('RSSMRA85T32');
\echo :LAST_ERROR_SQLSTATE

-- Income bands and exemptions: the type's message, the reason, the hint.
SELECT '1RE'::income_band;
\echo :LAST_ERROR_SQLSTATE
SELECT ''::income_band;
\echo :LAST_ERROR_SQLSTATE
-- E07 parses since issue 18: the catalogue refuses it at pricing (TK008).
SELECT price(ARRAY['89.52'], 'RE1', ARRAY['E07']::exemption[], '2015-03-01');
\echo :LAST_ERROR_SQLSTATE
SELECT 'RE1'::exemption;
\echo :LAST_ERROR_SQLSTATE
SELECT '030.710'::exemption;
\echo :LAST_ERROR_SQLSTATE
SELECT 'B-2'::exemption;
\echo :LAST_ERROR_SQLSTATE

-- The reasons the functions return are data: English whatever lc_messages
-- says, a stable output for applications.
SELECT fiscal_code_error('RSSMRA85D71L219X') AS fiscal_code_error,
       income_band_error('1RE') AS income_band_error, exemption_error('QM') AS exemption_error;

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
SELECT price(ARRAY[ROW('X', 'exam', 'lab', 'NaN', 1)::item], NULL, NULL, '2015-03-01');
\echo :LAST_ERROR_SQLSTATE
SELECT price(ARRAY[ROW('X', 'exam', 'lab', 10, 1)::item, ROW('Y', 'drug', 'pharmacy', 10, 1)::item],
             NULL, NULL, '2025-06-01');
\echo :LAST_ERROR_SQLSTATE
SELECT income_band_for(-1, '2015-01-01');
\echo :LAST_ERROR_SQLSTATE

-- An NRE whose region is not a Ministry code, a priority that is not a class.
SELECT prescription_max_wait('999A00000000001', 'B', ARRAY['89.7'], '2020-01-01');
\echo :LAST_ERROR_SQLSTATE
SELECT prescription_max_wait('080A00000000001', 'Z', ARRAY['89.7'], '2020-01-01');
\echo :LAST_ERROR_SQLSTATE

-- The rule tables' protection (a trigger in C): message, detail and hint,
-- for a new row and for a shipped one.
INSERT INTO service (code, effective_from, description, branch, kind, tariff, synthetic, source, shipped)
VALUES ('X.1', '2020-01-01', 'x', 'lab', 'exam', 1, true, 'test', true);
\echo :LAST_ERROR_SQLSTATE
UPDATE regime SET description = 'x' WHERE regime_id = 'ER-BASELINE';
\echo :LAST_ERROR_SQLSTATE

-- Inconsistent rules: the detail is built with psprintf (rules_cache.c).
BEGIN;
INSERT INTO regime (regime_id, effective_from, legal_reference, description, default_band, specialist_cap)
VALUES ('BAD', '2030-01-01', 'test', 'test', 'ZZ', 36.15);
SELECT price(ARRAY['89.52'], NULL, NULL, '2030-03-01');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;

--------------------------------------------------------------------------
-- 2. The PL/pgSQL functions: each of their errors, raised through
-- ticket.raise_error, in a transaction rolled back at the end (each
-- failing statement rolled back to its own savepoint).  The context would
-- quote the call: not shown.
--------------------------------------------------------------------------
\set SHOW_CONTEXT never
\set ON_ERROR_ROLLBACK on
BEGIN;
INSERT INTO registry.gp (gp_code, fiscal_code, surname, given_name, asl_code)
VALUES ('GPI18N', fiscal_code_encode('Bianchi', 'Luca', 'M', '1960-02-03', 'F257'), 'Bianchi', 'Luca', '080105');
INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl, gp_code)
SELECT fiscal_code_encode(s, g, x, b, 'A944'), s, g, x, b, 'A944', '080105', 'GPI18N'
  FROM (VALUES ('Rossi', 'Mario', 'M', date '1970-05-10'), ('Costa', 'Elena', 'F', date '1965-08-08'),
               ('Neri', 'Bruno', 'M', date '1940-01-01')) AS v(s, g, x, b);
SELECT fiscal_code_encode('Rossi', 'Mario', 'M', '1970-05-10', 'A944') AS mario,
       fiscal_code_encode('Costa', 'Elena', 'F', '1965-08-08', 'A944') AS elena,
       fiscal_code_encode('Neri', 'Bruno', 'M', '1940-01-01', 'A944') AS bruno,
       fiscal_code_encode('Verdi', 'Giuseppe', 'M', '1950-01-01', 'A944') AS nobody \gset
SELECT (fse.prescribe('080I18N00000001', :'mario', 'GPI18N', ARRAY['88.74.1'], NULL, '2015-05-01')).nre AS rx1,
       (fse.prescribe('080I18N00000002', :'mario', 'GPI18N', ARRAY['88.74.1'], NULL, '2015-05-01')).nre AS rx2,
       (fse.prescribe('080I18N00000003', :'bruno', 'GPI18N', ARRAY['88.74.1'], NULL, '2015-05-01')).nre AS rx3,
       (fse.prescribe('080I18N00000004', :'bruno', 'GPI18N', ARRAY['88.74.1'], NULL, '2015-05-01')).nre AS rx4 \gset
SELECT (cup.book(:'rx1', '2015-06-10')).booking_id AS b1,
       (cup.book(:'rx2', '2015-06-10')).booking_id AS b2,
       (cup.book(:'rx3', '2015-06-10')).booking_id AS b3 \gset
SELECT (registry.self_certify(:'mario', 'RE2', 'cup_desk', 'op1', '2015-06-01', NULL, NULL, '2015-05-01')).declaration_id AS d1 \gset
SELECT (registry.grant_exemption(:'elena', 'C01', '2015-01-01', 'asl_certificate', NULL, '2015-01-01')).grant_id AS g1 \gset
UPDATE registry.citizen SET death_date = '2016-01-01' WHERE fiscal_code = :'bruno';

-- registry.lock_citizen: a citizen not in the registry (23503), with the
-- hint of each writer; another caller's own word (with a %) goes into a
-- general sentence.
SELECT registry.self_certify(:'nobody', 'RE1', 'cup_desk', 'op1', '2015-01-01');
\echo :LAST_ERROR_SQLSTATE
SELECT registry.grant_exemption(:'nobody', 'C01', '2015-01-01', 'asl_certificate');
\echo :LAST_ERROR_SQLSTATE
SELECT fse.prescribe('080I18N00000009', :'nobody', 'GPI18N', ARRAY['88.74.1'], NULL, '2015-05-01');
\echo :LAST_ERROR_SQLSTATE
SELECT registry.lock_citizen(:'nobody', '2015-01-01', 'booking');
\echo :LAST_ERROR_SQLSTATE
SELECT registry.lock_citizen(:'nobody', '2015-01-01', 'payment');
\echo :LAST_ERROR_SQLSTATE
SELECT registry.lock_citizen(:'nobody', '2015-01-01', 'revocation');
\echo :LAST_ERROR_SQLSTATE
SELECT registry.lock_citizen(:'nobody', '2015-01-01', 'audit of 100% of rows');
\echo :LAST_ERROR_SQLSTATE
-- ... and a dead citizen (TK010), for each writer.
SELECT registry.self_certify(:'bruno', 'RE1', 'cup_desk', 'op1', '2016-02-01');
\echo :LAST_ERROR_SQLSTATE
SELECT registry.grant_exemption(:'bruno', 'C01', '2016-02-01', 'asl_certificate');
\echo :LAST_ERROR_SQLSTATE
SELECT fse.prescribe('080I18N00000009', :'bruno', 'GPI18N', ARRAY['88.74.1'], NULL, '2016-02-01');
\echo :LAST_ERROR_SQLSTATE
SELECT cup.book(:'rx4', '2016-02-01');
\echo :LAST_ERROR_SQLSTATE
SELECT cup.move(:b3, '2016-02-01');
\echo :LAST_ERROR_SQLSTATE
SELECT registry.lock_citizen(:'bruno', '2016-02-01', 'payment');
\echo :LAST_ERROR_SQLSTATE
SELECT registry.lock_citizen(:'bruno', '2016-02-01', 'revocation');
\echo :LAST_ERROR_SQLSTATE
SELECT registry.lock_citizen(:'bruno', '2016-02-01', 'audit of 100% of rows');
\echo :LAST_ERROR_SQLSTATE

-- registry.citizen_check
INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl)
VALUES (fiscal_code_encode('Bassi', 'Carla', 'F', '1980-03-03', 'Z999'), 'Bassi', 'Carla', 'F', '1980-03-03', 'Z999', '080105');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl)
VALUES (fiscal_code_encode('Bassi', 'Carla', 'F', '1980-03-03', 'A944'), 'Bassi', 'Carla', 'F', '1980-03-04', 'A944', '080105');
\echo :LAST_ERROR_SQLSTATE

-- registry.declaration_before_insert
INSERT INTO registry.declaration (fiscal_code, band, declarant, channel, operator, applies_from, valid_until)
VALUES (:'mario', 'RE1', :'mario', 'cup_desk', 'op1', '2015-07-01', '2015-08-01');
\echo :LAST_ERROR_SQLSTATE
SELECT registry.self_certify(:'mario', 'RE1', 'cup_desk', 'op1', '2015-07-01', :'elena');
\echo :LAST_ERROR_SQLSTATE
SELECT registry.self_certify(:'mario', 'QB', 'cup_desk', 'op1', '2015-07-01');
\echo :LAST_ERROR_SQLSTATE
SELECT registry.self_certify(:'mario', 'RE1', 'cup_desk', 'op1', '2021-07-01');
\echo :LAST_ERROR_SQLSTATE
SELECT registry.self_certify(:'mario', 'RE1', 'cup_desk', 'op1', '2015-03-01');
\echo :LAST_ERROR_SQLSTATE

-- registry.refuse_history_change: the hints are the triggers' arguments.
DELETE FROM registry.declaration WHERE declaration_id = :d1;
\echo :LAST_ERROR_SQLSTATE
UPDATE registry.declaration SET operator = 'op2' WHERE declaration_id = :d1;
\echo :LAST_ERROR_SQLSTATE
DELETE FROM registry.exemption_grant WHERE grant_id = :g1;
\echo :LAST_ERROR_SQLSTATE
UPDATE registry.exemption_grant SET source = 'mef_list' WHERE grant_id = :g1;
\echo :LAST_ERROR_SQLSTATE
DELETE FROM fse.prescription WHERE nre = :'rx1';
\echo :LAST_ERROR_SQLSTATE

-- registry.exemption_grant_before_insert
INSERT INTO registry.exemption_grant (fiscal_code, exemption, valid, source, revoked_on, revoked_at, revocation_reason)
VALUES (:'elena', 'C02', '[2015-01-01,)', 'asl_certificate', '2015-02-01', now(), 'x');
\echo :LAST_ERROR_SQLSTATE
SELECT registry.grant_exemption(:'mario', 'E01', '2015-01-01', 'self_certification', '2016-12-31');
\echo :LAST_ERROR_SQLSTATE

-- fse.prescription_before_update
UPDATE fse.prescription SET priority = 'U' WHERE nre = :'rx1';
\echo :LAST_ERROR_SQLSTATE

-- cup.booking_before_update
UPDATE cup.booking SET booked_at = booked_at - interval '1 day' WHERE booking_id = :b1;
\echo :LAST_ERROR_SQLSTATE
UPDATE cup.booking SET paid_amount = 1 WHERE booking_id = :b1;
\echo :LAST_ERROR_SQLSTATE
SELECT cup.move(:b1, '2015-04-01');
\echo :LAST_ERROR_SQLSTATE
SELECT cup.complete(:b1);
\echo :LAST_ERROR_SQLSTATE
SELECT cup.pay(:b1, expected_amount => 1.00);
\echo :LAST_ERROR_SQLSTATE
SELECT (cup.pay(:b1)).status;
UPDATE cup.booking SET status = 'booked' WHERE booking_id = :b1;
\echo :LAST_ERROR_SQLSTATE
SELECT (cup.cancel(:b1)).status;
SELECT cup.pay(:b1);
\echo :LAST_ERROR_SQLSTATE
SELECT cup.cancel(:b1);
\echo :LAST_ERROR_SQLSTATE

-- cup.booking_refuse_delete
DELETE FROM cup.booking WHERE booking_id = :b2;
\echo :LAST_ERROR_SQLSTATE

-- cup.adjustment_before_update (the refund of the cancelled payment)
SELECT adjustment_id AS a1 FROM cup.adjustment WHERE booking_id = :b1 \gset
UPDATE cup.adjustment SET amount = 1 WHERE adjustment_id = :a1;
\echo :LAST_ERROR_SQLSTATE
SELECT (cup.settle_adjustment(:a1)).settled_at IS NOT NULL AS settled;
SELECT cup.settle_adjustment(:a1);
\echo :LAST_ERROR_SQLSTATE

-- What does not exist (P0002): cup.locked_booking, cup.settle_adjustment,
-- registry.revoke_exemption.
SELECT cup.pay(-1);
\echo :LAST_ERROR_SQLSTATE
SELECT cup.settle_adjustment(-1);
\echo :LAST_ERROR_SQLSTATE
SELECT registry.revoke_exemption(-1, '2015-01-01', 'x');
\echo :LAST_ERROR_SQLSTATE

-- The same errors in English, as RAISE wrote them, once lc_messages is
-- the server's default again (C in pg_regress).
RESET lc_messages;
SELECT cup.pay(-1);
\echo :LAST_ERROR_SQLSTATE
SELECT registry.self_certify(:'bruno', 'RE1', 'cup_desk', 'op1', '2016-02-01');
\echo :LAST_ERROR_SQLSTATE
SELECT cup.pay(:b1);
\echo :LAST_ERROR_SQLSTATE
UPDATE registry.declaration SET operator = 'op2' WHERE declaration_id = :d1;
\echo :LAST_ERROR_SQLSTATE
SELECT registry.lock_citizen(:'nobody', '2015-01-01', 'audit of 100% of rows');
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;
\set ON_ERROR_ROLLBACK off

--------------------------------------------------------------------------
-- 3. ticket.raise_error itself (back in Italian after the rollback)
--------------------------------------------------------------------------
SHOW lc_messages;
-- RAISE's placeholders: each % the next argument, %% a %, NULL <NULL>;
-- arguments left over are ignored; a template the catalogue does not hold
-- stays as it is; detail and hint are templates too.
SELECT raise_error('TK999', 'a % b %% c % d', ARRAY['x', NULL, 'unused']);
\echo :LAST_ERROR_SQLSTATE
SELECT raise_error('P0001', 'booking % does not exist', ARRAY['7'],
                   detail => 'detail % here', detail_args => ARRAY['1'], hint => 'Pay it with cup.pay.');
\echo :LAST_ERROR_SQLSTATE
SELECT raise_error('P0001', '');
\echo :LAST_ERROR_SQLSTATE
-- Its own errors.
SELECT raise_error('TK999', '% and %', ARRAY['x']);
\echo :LAST_ERROR_SQLSTATE
SELECT raise_error('TK999', '% and %', ARRAY[['x', 'y']]);
\echo :LAST_ERROR_SQLSTATE
SELECT raise_error('tk999', 'x');
\echo :LAST_ERROR_SQLSTATE
SELECT raise_error('TK99', 'x');
\echo :LAST_ERROR_SQLSTATE
SELECT raise_error('00000', 'x');
\echo :LAST_ERROR_SQLSTATE
SELECT raise_error(NULL, 'x');
\echo :LAST_ERROR_SQLSTATE
SELECT raise_error('TK999', NULL);
\echo :LAST_ERROR_SQLSTATE

--------------------------------------------------------------------------
-- 4. Back to English: the C code's messages as before.
--------------------------------------------------------------------------
RESET lc_messages;
SELECT 'RSSMRA85D71L219X'::fiscal_code;
\echo :LAST_ERROR_SQLSTATE
SELECT prescription_max_wait('999A00000000001', 'B', ARRAY['89.7'], '2020-01-01');
\echo :LAST_ERROR_SQLSTATE
SELECT price(ARRAY['89.52'], 'QB', NULL, '2015-03-01');
\echo :LAST_ERROR_SQLSTATE
SELECT 'RE1'::exemption;
\echo :LAST_ERROR_SQLSTATE

--------------------------------------------------------------------------
-- 5. The catalogues agree with the code.
--------------------------------------------------------------------------
-- test/i18n/check-messages.pl: the templates the scripts pass to
-- ticket.raise_error are in the catalogue of messages.c, which it.po
-- translates whole (msgfmt: nothing fuzzy or untranslated).
\set check_messages `perl test/i18n/check-messages.pl 2>&1`
\echo :check_messages
-- Every template of the catalogue is used by a function of the extension,
-- or is an argument of one of its triggers: none left behind.
\set templates `perl test/i18n/check-messages.pl --list`
SELECT count(*) > 50 AS catalogue_listed FROM regexp_split_to_table(:'templates', E'\n');
SELECT c.template AS unused_template
  FROM regexp_split_to_table(:'templates', E'\n') AS c(template)
 WHERE NOT EXISTS (
           SELECT 1 FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                                                 AND d.deptype = 'e'
                                                 AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'ticket')
            WHERE strpos(p.prosrc, quote_literal(c.template)) > 0)
   AND NOT EXISTS (
           SELECT 1 FROM pg_trigger t
            WHERE NOT t.tgisinternal
              AND c.template = ANY (string_to_array(encode(t.tgargs, 'escape'), '\000')));
-- The arguments of the triggers whose function raises through
-- ticket.raise_error (the hints of registry.refuse_history_change) are
-- templates of the catalogue.
SELECT t.tgrelid::regclass AS on_table, t.tgname, a AS untranslated_trigger_argument
  FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid,
       unnest(string_to_array(encode(t.tgargs, 'escape'), '\000')) AS a
 WHERE NOT t.tgisinternal AND p.prosrc LIKE '%ticket.raise_error%' AND a <> ''
   AND a <> ALL (string_to_array(:'templates', E'\n'))
 ORDER BY 1, 2;
-- No function of the extension raises with RAISE any more: its message
-- would not be translated.
SELECT p.oid::regprocedure AS raises_untranslated
  FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'ticket')
   AND p.prosrc ~* '\mRAISE\M'
 ORDER BY 1;
-- ... while 12 of them raise through ticket.raise_error.
SELECT count(*) AS raise_through_raise_error
  FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'ticket')
   AND p.prosrc LIKE '%ticket.raise_error(%';
