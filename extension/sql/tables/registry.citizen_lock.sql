CREATE TABLE registry.citizen_lock (
    fiscal_code ticket.fiscal_code NOT NULL,
    revision bigint NOT NULL
)
WITH (fillfactor='50');

COMMENT ON TABLE registry.citizen_lock IS 'one row per citizen that writes about them update first, so that they are serialised (and a REPEATABLE READ race is a serialization failure)';

COMMENT ON COLUMN registry.citizen_lock.fiscal_code IS 'the citizen';

COMMENT ON COLUMN registry.citizen_lock.revision IS 'how many writes about the citizen took the lock';

ALTER TABLE ONLY registry.citizen_lock
    ADD CONSTRAINT citizen_lock_pkey PRIMARY KEY (fiscal_code);

ALTER TABLE ONLY registry.citizen_lock
    ADD CONSTRAINT citizen_lock_fiscal_code_fkey FOREIGN KEY (fiscal_code) REFERENCES registry.citizen(fiscal_code) ON DELETE CASCADE;
