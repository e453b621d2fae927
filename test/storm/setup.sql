-- test/storm/setup.sql: what the storm's pgbench scripts need, on top of
-- the population of test/fixtures/population_2020.sql (bench.pop: citizen i
-- -> fiscal code, GP; state on 31 March 2020: two declarations each, the
-- open one from 2019-04-01, band QB or QM; 1.6 future unpaid bookings per
-- citizen in April-October 2020).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE SCHEMA storm;
-- NREs of the storm's prescriptions: '080S' + 11 digits.
CREATE SEQUENCE storm.nre_seq;
-- The last event before the storm: what the storm did is counted from the
-- outbox events after it.
CREATE TABLE storm.mark AS SELECT coalesce(max(event_id), 0) AS last_event FROM ticket.event;
