-- ticket.audit_update (issue 19) pairs an UPDATE's old and new rows by
-- position when both sides hold as many rows and every pair has the same
-- key, and joins them on the key otherwise (a key changed); both ways
-- record the same rows.  Its DEBUG1 line says which way it took.
SET search_path = ticket, public;
SET lc_messages = 'C';
BEGIN;
INSERT INTO ticket.public_holiday (day, name, source)
VALUES ('2031-03-01', 'A', 'test'), ('2031-03-02', 'B', 'test'), ('2031-03-03', 'C', 'test');
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
