CREATE TABLE ticket.regime_band (
    regime_id text NOT NULL,
    band ticket.income_band NOT NULL,
    income_range numrange NOT NULL,
    quota numeric(8,2),
    ct_mri numeric(8,2),
    drug_per_pack numeric(8,2),
    drug_cap numeric(8,2),
    shipped boolean DEFAULT false NOT NULL,
    replaces ticket.income_band[] DEFAULT '{}'::ticket.income_band[] NOT NULL,
    CONSTRAINT regime_band_ct_mri_check CHECK ((ct_mri >= (0)::numeric)),
    CONSTRAINT regime_band_drug_cap_check CHECK ((drug_cap >= (0)::numeric)),
    CONSTRAINT regime_band_drug_per_pack_check CHECK ((drug_per_pack >= (0)::numeric)),
    CONSTRAINT regime_band_income_range_check CHECK (((NOT isempty(income_range)) AND (lower(income_range) >= (0)::numeric))),
    CONSTRAINT regime_band_quota_check CHECK ((quota >= (0)::numeric))
);

ALTER TABLE ONLY ticket.regime_band REPLICA IDENTITY FULL;

COMMENT ON TABLE ticket.regime_band IS 'the income bands a regime defines, the family fiscal income each covers, and the amounts that depend on the band';

COMMENT ON COLUMN ticket.regime_band.regime_id IS 'the regime that defines the band';

COMMENT ON COLUMN ticket.regime_band.band IS 'the band code printed on prescriptions (RE1, QB, ...)';

COMMENT ON COLUMN ticket.regime_band.income_range IS 'family fiscal gross income in euros, bounds as the decree states them';

COMMENT ON COLUMN ticket.regime_band.quota IS 'per-prescription quota of the band';

COMMENT ON COLUMN ticket.regime_band.ct_mri IS 'fixed CT/MRI ticket of the band';

COMMENT ON COLUMN ticket.regime_band.drug_per_pack IS 'drug ticket per pack of the band';

COMMENT ON COLUMN ticket.regime_band.drug_cap IS 'cap of the drug ticket per prescription of the band';

COMMENT ON COLUMN ticket.regime_band.shipped IS 'true for rows the extension ships (not dumped, not editable)';

COMMENT ON COLUMN ticket.regime_band.replaces IS 'bands of earlier regimes a declaration of which is charged as this band (2019: QB replaces RE1, RE2, RE3); a declared band neither defined nor replaced gets the default band';

ALTER TABLE ONLY ticket.regime_band
    ADD CONSTRAINT regime_band_pkey PRIMARY KEY (regime_id, band);

ALTER TABLE ONLY ticket.regime_band
    ADD CONSTRAINT regime_band_regime_id_fkey FOREIGN KEY (regime_id) REFERENCES ticket.regime(regime_id) ON DELETE CASCADE;

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE ticket.regime_band TO ticket_rules_admin;
GRANT SELECT ON TABLE ticket.regime_band TO ticket_library;

SELECT pg_catalog.pg_extension_config_dump('ticket.regime_band', 'WHERE NOT shipped');
