-- Function bodies are checked when first run, not when created, as in
-- pg_dump's scripts: the files come one object at a time, and a function
-- may name a table a later file creates.  CREATE EXTENSION restores the
-- setting when the script ends.
SET LOCAL check_function_bodies = false;
