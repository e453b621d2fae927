-- ticket.audit_update (issue 19) pairs an UPDATE's old and new rows by
-- position when both sides hold as many rows and every pair has the same
-- key, and joins them on the key otherwise (a key changed); both ways
-- record the same rows.  Its DEBUG1 line says which way it took.
SET search_path = ticket, public;
SET lc_messages = 'C';
BEGIN;
INSERT INTO ticket.public_holiday (day, name, source)
VALUES ('2031-03-01', 'A', 'test'), ('2031-03-02', 'B', 'test'), ('2031-03-03', 'C', 'test');
-- Once undone first: the catalog caches it fills print DEBUG1 lines of their own.
SAVEPOINT warm_caches;
UPDATE ticket.public_holiday SET day = day + 10 WHERE day = '2031-03-01';
ROLLBACK TO SAVEPOINT warm_caches;
SET LOCAL client_min_messages = debug1;
-- Two rows changed, one not: by position; the unchanged row is not recorded.
UPDATE ticket.public_holiday SET name = CASE day WHEN '2031-03-02' THEN name ELSE name || '!' END
 WHERE day BETWEEN '2031-03-01' AND '2031-03-03';
-- A key changed: by key, recorded as the old row's DELETE and the new row's INSERT.
UPDATE ticket.public_holiday SET day = day + 10 WHERE day = '2031-03-01';
-- No row: by position, nothing recorded.
UPDATE ticket.public_holiday SET name = 'X' WHERE day = '2031-04-01';
RESET client_min_messages;
SELECT operation, row_key, old_row ->> 'name' AS old_name, new_row ->> 'name' AS new_name
  FROM ticket.audit_log
 WHERE table_name = 'ticket.public_holiday' AND txid = pg_current_xact_id() AND operation <> 'INSERT'
    OR table_name = 'ticket.public_holiday' AND txid = pg_current_xact_id() AND row_key = '2031-03-11'
 ORDER BY audit_id;
ROLLBACK;

-- Bookings: a payment and a move, paired by position; their events.
BEGIN;
INSERT INTO registry.gp (gp_code, fiscal_code, surname, given_name, asl_code)
VALUES ('GPPAIR', fiscal_code_encode('Bianchi', 'Luca', 'M', '1960-02-03', 'A944'), 'Bianchi', 'Luca', '080105');
INSERT INTO registry.citizen (fiscal_code, surname, given_name, sex, birth_date, birthplace, residence_asl, gp_code)
VALUES (fiscal_code_encode('Rossi', 'Mario', 'M', '1970-05-10', 'A944'), 'Rossi', 'Mario', 'M', '1970-05-10', 'A944',
        '080105', 'GPPAIR');
SELECT (fse.prescribe('080PAIR00000001', fiscal_code_encode('Rossi', 'Mario', 'M', '1970-05-10', 'A944'), 'GPPAIR',
                      ARRAY['88.74.1'], NULL, '2015-05-01')).nre AS rx1,
       (fse.prescribe('080PAIR00000002', fiscal_code_encode('Rossi', 'Mario', 'M', '1970-05-10', 'A944'), 'GPPAIR',
                      ARRAY['88.74.1'], NULL, '2015-05-01')).nre AS rx2 \gset
SELECT (cup.book(:'rx1', '2015-06-10')).booking_id AS b1, (cup.book(:'rx2', '2015-06-11')).booking_id AS b2 \gset
-- Once undone first: the catalog caches it fills print DEBUG1 lines of their own.
SAVEPOINT warm_caches;
SELECT (cup.pay(:b1)).status AS paid, (cup.move(:b2, '2015-06-20')).service_date AS moved \gset
ROLLBACK TO SAVEPOINT warm_caches;
SET LOCAL client_min_messages = debug1;
SELECT (cup.pay(:b1)).status AS paid, (cup.move(:b2, '2015-06-20')).service_date AS moved;
RESET client_min_messages;
SELECT kind, subject = :'b1' AS first, payload - 'amount' - 'paid_amount' AS payload
  FROM ticket.event WHERE kind IN ('paid', 'moved') AND subject IN (:'b1', :'b2') ORDER BY event_id;
-- A booking's id changed (only with its checks disabled: the superuser
-- here), another booking moved in the same statement: joined on the key,
-- the first booking's old row a DELETE and its new row an INSERT in the
-- audit, the other's move an UPDATE and a moved event.
ALTER TABLE cup.booking DISABLE TRIGGER booking_before_update;
-- Once undone first: the catalog caches it fills print DEBUG1 lines of their own.
SAVEPOINT warm_caches;
UPDATE cup.booking
   SET booking_id = CASE booking_id WHEN :b1 THEN booking_id + 1000000 ELSE booking_id END,
       service_date = CASE booking_id WHEN :b2 THEN service_date + 1 ELSE service_date END
 WHERE booking_id IN (:b1, :b2);
ROLLBACK TO SAVEPOINT warm_caches;
SET LOCAL client_min_messages = debug1;
UPDATE cup.booking
   SET booking_id = CASE booking_id WHEN :b1 THEN booking_id + 1000000 ELSE booking_id END,
       service_date = CASE booking_id WHEN :b2 THEN service_date + 1 ELSE service_date END
 WHERE booking_id IN (:b1, :b2);
RESET client_min_messages;
SELECT operation, row_key::bigint - :b1 AS key_offset, new_row ->> 'service_date' AS service_date
  FROM ticket.audit_log
 WHERE table_name = 'cup.booking' AND txid = pg_current_xact_id() AND operation <> 'INSERT'
    OR table_name = 'cup.booking' AND txid = pg_current_xact_id() AND row_key::bigint = :b1 + 1000000
 ORDER BY operation, key_offset, service_date;
SELECT kind, subject = :'b2' AS second, payload FROM ticket.event
 WHERE subject IN (:'b1', :'b2', (:b1 + 1000000)::text) AND kind NOT IN ('booked', 'paid')
 ORDER BY event_id;
ROLLBACK;

-- The statements are generated once a session for each list of trigger
-- arguments (the two tables above each used their own) and dropped when a
-- function changes: a redefined ticket.audit_update_query is followed at
-- once, in the same session.
BEGIN;
INSERT INTO ticket.public_holiday (day, name, source) VALUES ('2031-05-01', 'A', 'test');
UPDATE ticket.public_holiday SET name = 'B' WHERE day = '2031-05-01';
CREATE OR REPLACE FUNCTION ticket.audit_update_query(audit_arguments text[], paired boolean) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT 'INSERT INTO ticket.audit_log (table_name, operation, row_key, old_row, new_row)
                  SELECT $1, ''UPDATE'', ''redefined'', ''{}'', ''{}''' $$;
UPDATE ticket.public_holiday SET name = 'C' WHERE day = '2031-05-01';
SELECT row_key, new_row ->> 'name' AS new_name FROM ticket.audit_log
 WHERE table_name = 'ticket.public_holiday' AND txid = pg_current_xact_id() AND operation = 'UPDATE'
 ORDER BY audit_id;
ROLLBACK;
