CREATE TABLE ticket.birthplace (
    code text NOT NULL,
    valid daterange NOT NULL,
    name text NOT NULL,
    name_ascii text NOT NULL,
    alt_name text,
    province text NOT NULL,
    kind text NOT NULL,
    istat_code text,
    source text NOT NULL,
    region text,
    CONSTRAINT birthplace_check CHECK (((kind = 'country'::text) = (code ~~ 'Z%'::text))),
    CONSTRAINT birthplace_code_check CHECK ((code ~ '^[A-ILMZ][0-9]{3}$'::text)),
    CONSTRAINT birthplace_kind_check CHECK ((kind = ANY (ARRAY['municipality'::text, 'country'::text]))),
    CONSTRAINT birthplace_name_check CHECK ((name <> ''::text)),
    CONSTRAINT birthplace_province_check CHECK ((province ~ '^[A-Z]{2}$'::text)),
    CONSTRAINT birthplace_valid_check CHECK (((NOT isempty(valid)) AND (NOT lower_inf(valid))))
);

COMMENT ON TABLE ticket.birthplace IS 'Belfiore codes of Italian municipalities and foreign states, one row per validity era; loaded with ticket_load_birthplaces.psql';

COMMENT ON COLUMN ticket.birthplace.code IS 'Belfiore (cadastral) code: positions 12-15 of a fiscal code';

COMMENT ON COLUMN ticket.birthplace.valid IS 'days on which this name/province was in force, [first day, day after the last)';

COMMENT ON COLUMN ticket.birthplace.name IS 'official name in that era (ANPR DENOMINAZIONE_IT, or the country name)';

COMMENT ON COLUMN ticket.birthplace.name_ascii IS 'transliterated name (ANPR DENOMTRASLITTERATA)';

COMMENT ON COLUMN ticket.birthplace.region IS 'the region of a municipality in that era (from ANPR IDREGIONE: its ISTAT name; ''territorio ex italiano'' for EX), NULL for a foreign state or where ANPR gives none';

COMMENT ON COLUMN ticket.birthplace.alt_name IS 'other official name (bilingual municipalities), if any';

COMMENT ON COLUMN ticket.birthplace.province IS 'two-letter province code of that era; EE for foreign states';

COMMENT ON COLUMN ticket.birthplace.kind IS 'municipality or country';

COMMENT ON COLUMN ticket.birthplace.istat_code IS 'ISTAT municipality code of that era';

COMMENT ON COLUMN ticket.birthplace.source IS 'where the row came from (file name of the load, or fixture)';

ALTER TABLE ONLY ticket.birthplace
    ADD CONSTRAINT birthplace_pkey PRIMARY KEY (code, valid, name);

GRANT SELECT ON TABLE ticket.birthplace TO ticket_library;

SELECT pg_catalog.pg_extension_config_dump('ticket.birthplace', '');
