-- extension/bin/replay/session.sql: the psql settings every phase of the
-- replay starts with (\ir from each phase file): stop at the first error,
-- quiet notices, the extension on the path, bare rows until the report.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET search_path = public, ticket;
\pset tuples_only on
\pset format unaligned
