-- The extension installs cleanly and lands in schema ticket.
CREATE EXTENSION ticket CASCADE;
SELECT extname, extversion, extnamespace::regnamespace, extrelocatable
  FROM pg_extension WHERE extname = 'ticket';
-- The install script refuses to run outside CREATE EXTENSION: tested by its
-- \echo guard being the first statement (psql would stop there).
