/* extension/scripts/ticket--0.1--0.2.sql */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION ticket UPDATE TO '0.2'" to load this file. \quit

--------------------------------------------------------------------------
-- ticket.income_band and ticket.exemption types
--------------------------------------------------------------------------

-- Two 4-byte pass-by-value types with one storage: the code (1 to 6
-- characters from 0-9 and A-Z) packed as a base-37 number, minus 2^31, in
-- an int4 (layout in ticket.h).  The stored order is the text order of the
-- codes, so comparison and hashing are the server's own int4 functions
-- (LANGUAGE internal, as contrib isn does with int8).  Input validates
-- syntax only and never reads a table: which bands and exemptions apply on
-- a date is rule data.

CREATE TYPE ticket.income_band;

CREATE FUNCTION ticket.income_band_in(cstring)
RETURNS ticket.income_band
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ticket.income_band_in(cstring) IS
'input function of income_band: trims ASCII whitespace, folds case; 22P02 with the reason on invalid input';

CREATE FUNCTION ticket.income_band_out(ticket.income_band)
RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ticket.income_band_out(ticket.income_band) IS
'output function of income_band: the code in upper case';

CREATE FUNCTION ticket.income_band_recv(internal)
RETURNS ticket.income_band
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ticket.income_band_recv(internal) IS
'binary input of income_band: the code''s characters, validated as text';

CREATE FUNCTION ticket.income_band_send(ticket.income_band)
RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ticket.income_band_send(ticket.income_band) IS
'binary output of income_band: the code''s characters (1 to 6 bytes)';

CREATE TYPE ticket.income_band (
    INPUT = ticket.income_band_in,
    OUTPUT = ticket.income_band_out,
    RECEIVE = ticket.income_band_recv,
    SEND = ticket.income_band_send,
    INTERNALLENGTH = 4,
    PASSEDBYVALUE,
    ALIGNMENT = int4,
    STORAGE = plain
);
COMMENT ON TYPE ticket.income_band IS
'income band code of the Emilia-Romagna ticket (RE1, RE2, RE3 in 2011-2018; QB, QM in 2019-2020): 1 to 6 letters or digits, a letter first; which bands exist on a date is rule data';

CREATE TYPE ticket.exemption;

CREATE FUNCTION ticket.exemption_in(cstring)
RETURNS ticket.exemption
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ticket.exemption_in(cstring) IS
'input function of exemption: trims ASCII whitespace, folds case, checks the syntax of the code''s family; 22P02 with the reason on invalid input';

CREATE FUNCTION ticket.exemption_out(ticket.exemption)
RETURNS cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ticket.exemption_out(ticket.exemption) IS
'output function of exemption: the code in upper case';

CREATE FUNCTION ticket.exemption_recv(internal)
RETURNS ticket.exemption
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ticket.exemption_recv(internal) IS
'binary input of exemption: the code''s characters, validated as text';

CREATE FUNCTION ticket.exemption_send(ticket.exemption)
RETURNS bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ticket.exemption_send(ticket.exemption) IS
'binary output of exemption: the code''s characters (1 to 6 bytes)';

CREATE TYPE ticket.exemption (
    INPUT = ticket.exemption_in,
    OUTPUT = ticket.exemption_out,
    RECEIVE = ticket.exemption_recv,
    SEND = ticket.exemption_send,
    INTERNALLENGTH = 4,
    PASSEDBYVALUE,
    ALIGNMENT = int4,
    STORAGE = plain
);
COMMENT ON TYPE ticket.exemption IS
'exemption code (codice di esenzione) of one of the families income, regional, invalidity, pregnancy, prevention, other, chronic, rare; the syntax of each family is checked on input';

-- Casts to and from text, assignment casts as for fiscal_code; C functions,
-- not I/O conversion, because loading text columns is the bulk path.
CREATE FUNCTION ticket.income_band(text)
RETURNS ticket.income_band
AS 'MODULE_PATHNAME', 'income_band_from_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ticket.income_band(text) IS
'cast text to income_band (the same validation and errors as the input function)';

CREATE FUNCTION ticket.text(ticket.income_band)
RETURNS text
AS 'MODULE_PATHNAME', 'income_band_to_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION ticket.text(ticket.income_band) IS
'cast income_band to text: the code';

CREATE CAST (text AS ticket.income_band) WITH FUNCTION ticket.income_band(text) AS ASSIGNMENT;
CREATE CAST (ticket.income_band AS text) WITH FUNCTION ticket.text(ticket.income_band) AS ASSIGNMENT;
CREATE CAST (varchar AS ticket.income_band) WITH FUNCTION ticket.income_band(text) AS ASSIGNMENT;

CREATE FUNCTION ticket.exemption(text)
RETURNS ticket.exemption
AS 'MODULE_PATHNAME', 'exemption_from_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ticket.exemption(text) IS
'cast text to exemption (the same validation and errors as the input function)';

CREATE FUNCTION ticket.text(ticket.exemption)
RETURNS text
AS 'MODULE_PATHNAME', 'exemption_to_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION ticket.text(ticket.exemption) IS
'cast exemption to text: the code';

CREATE CAST (text AS ticket.exemption) WITH FUNCTION ticket.exemption(text) AS ASSIGNMENT;
CREATE CAST (ticket.exemption AS text) WITH FUNCTION ticket.text(ticket.exemption) AS ASSIGNMENT;
CREATE CAST (varchar AS ticket.exemption) WITH FUNCTION ticket.exemption(text) AS ASSIGNMENT;

-- Comparison: the server's int4 functions on the stored value, which is the
-- text order of the codes in the C collation (a prefix first).
CREATE FUNCTION ticket.income_band_eq(ticket.income_band, ticket.income_band)
RETURNS boolean AS 'int4eq' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION ticket.income_band_eq(ticket.income_band, ticket.income_band) IS 'implementation of = for income_band';
CREATE FUNCTION ticket.income_band_ne(ticket.income_band, ticket.income_band)
RETURNS boolean AS 'int4ne' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION ticket.income_band_ne(ticket.income_band, ticket.income_band) IS 'implementation of <> for income_band';
CREATE FUNCTION ticket.income_band_lt(ticket.income_band, ticket.income_band)
RETURNS boolean AS 'int4lt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION ticket.income_band_lt(ticket.income_band, ticket.income_band) IS 'implementation of < for income_band (text order of the codes)';
CREATE FUNCTION ticket.income_band_le(ticket.income_band, ticket.income_band)
RETURNS boolean AS 'int4le' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION ticket.income_band_le(ticket.income_band, ticket.income_band) IS 'implementation of <= for income_band (text order of the codes)';
CREATE FUNCTION ticket.income_band_gt(ticket.income_band, ticket.income_band)
RETURNS boolean AS 'int4gt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION ticket.income_band_gt(ticket.income_band, ticket.income_band) IS 'implementation of > for income_band (text order of the codes)';
CREATE FUNCTION ticket.income_band_ge(ticket.income_band, ticket.income_band)
RETURNS boolean AS 'int4ge' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION ticket.income_band_ge(ticket.income_band, ticket.income_band) IS 'implementation of >= for income_band (text order of the codes)';
CREATE FUNCTION ticket.income_band_cmp(ticket.income_band, ticket.income_band)
RETURNS integer AS 'btint4cmp' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION ticket.income_band_cmp(ticket.income_band, ticket.income_band) IS 'btree support: -1, 0 or 1 in the text order of the codes';
CREATE FUNCTION ticket.income_band_hash(ticket.income_band)
RETURNS integer AS 'hashint4' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION ticket.income_band_hash(ticket.income_band) IS 'hash support: hashint4 of the stored value';
CREATE FUNCTION ticket.income_band_hash_extended(ticket.income_band, bigint)
RETURNS bigint AS 'hashint4extended' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION ticket.income_band_hash_extended(ticket.income_band, bigint) IS 'hash support: hashint4extended of the stored value';

CREATE FUNCTION ticket.exemption_eq(ticket.exemption, ticket.exemption)
RETURNS boolean AS 'int4eq' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION ticket.exemption_eq(ticket.exemption, ticket.exemption) IS 'implementation of = for exemption';
CREATE FUNCTION ticket.exemption_ne(ticket.exemption, ticket.exemption)
RETURNS boolean AS 'int4ne' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION ticket.exemption_ne(ticket.exemption, ticket.exemption) IS 'implementation of <> for exemption';
CREATE FUNCTION ticket.exemption_lt(ticket.exemption, ticket.exemption)
RETURNS boolean AS 'int4lt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION ticket.exemption_lt(ticket.exemption, ticket.exemption) IS 'implementation of < for exemption (text order of the codes)';
CREATE FUNCTION ticket.exemption_le(ticket.exemption, ticket.exemption)
RETURNS boolean AS 'int4le' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION ticket.exemption_le(ticket.exemption, ticket.exemption) IS 'implementation of <= for exemption (text order of the codes)';
CREATE FUNCTION ticket.exemption_gt(ticket.exemption, ticket.exemption)
RETURNS boolean AS 'int4gt' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION ticket.exemption_gt(ticket.exemption, ticket.exemption) IS 'implementation of > for exemption (text order of the codes)';
CREATE FUNCTION ticket.exemption_ge(ticket.exemption, ticket.exemption)
RETURNS boolean AS 'int4ge' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION ticket.exemption_ge(ticket.exemption, ticket.exemption) IS 'implementation of >= for exemption (text order of the codes)';
CREATE FUNCTION ticket.exemption_cmp(ticket.exemption, ticket.exemption)
RETURNS integer AS 'btint4cmp' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION ticket.exemption_cmp(ticket.exemption, ticket.exemption) IS 'btree support: -1, 0 or 1 in the text order of the codes';
CREATE FUNCTION ticket.exemption_hash(ticket.exemption)
RETURNS integer AS 'hashint4' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION ticket.exemption_hash(ticket.exemption) IS 'hash support: hashint4 of the stored value';
CREATE FUNCTION ticket.exemption_hash_extended(ticket.exemption, bigint)
RETURNS bigint AS 'hashint4extended' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION ticket.exemption_hash_extended(ticket.exemption, bigint) IS 'hash support: hashint4extended of the stored value';

CREATE OPERATOR ticket.= (
    LEFTARG = ticket.income_band, RIGHTARG = ticket.income_band,
    FUNCTION = ticket.income_band_eq,
    COMMUTATOR = OPERATOR(ticket.=), NEGATOR = OPERATOR(ticket.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR ticket.<> (
    LEFTARG = ticket.income_band, RIGHTARG = ticket.income_band,
    FUNCTION = ticket.income_band_ne,
    COMMUTATOR = OPERATOR(ticket.<>), NEGATOR = OPERATOR(ticket.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR ticket.< (
    LEFTARG = ticket.income_band, RIGHTARG = ticket.income_band,
    FUNCTION = ticket.income_band_lt,
    COMMUTATOR = OPERATOR(ticket.>), NEGATOR = OPERATOR(ticket.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR ticket.<= (
    LEFTARG = ticket.income_band, RIGHTARG = ticket.income_band,
    FUNCTION = ticket.income_band_le,
    COMMUTATOR = OPERATOR(ticket.>=), NEGATOR = OPERATOR(ticket.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR ticket.> (
    LEFTARG = ticket.income_band, RIGHTARG = ticket.income_band,
    FUNCTION = ticket.income_band_gt,
    COMMUTATOR = OPERATOR(ticket.<), NEGATOR = OPERATOR(ticket.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR ticket.>= (
    LEFTARG = ticket.income_band, RIGHTARG = ticket.income_band,
    FUNCTION = ticket.income_band_ge,
    COMMUTATOR = OPERATOR(ticket.<=), NEGATOR = OPERATOR(ticket.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);

CREATE OPERATOR ticket.= (
    LEFTARG = ticket.exemption, RIGHTARG = ticket.exemption,
    FUNCTION = ticket.exemption_eq,
    COMMUTATOR = OPERATOR(ticket.=), NEGATOR = OPERATOR(ticket.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR ticket.<> (
    LEFTARG = ticket.exemption, RIGHTARG = ticket.exemption,
    FUNCTION = ticket.exemption_ne,
    COMMUTATOR = OPERATOR(ticket.<>), NEGATOR = OPERATOR(ticket.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR ticket.< (
    LEFTARG = ticket.exemption, RIGHTARG = ticket.exemption,
    FUNCTION = ticket.exemption_lt,
    COMMUTATOR = OPERATOR(ticket.>), NEGATOR = OPERATOR(ticket.>=),
    RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
CREATE OPERATOR ticket.<= (
    LEFTARG = ticket.exemption, RIGHTARG = ticket.exemption,
    FUNCTION = ticket.exemption_le,
    COMMUTATOR = OPERATOR(ticket.>=), NEGATOR = OPERATOR(ticket.>),
    RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
CREATE OPERATOR ticket.> (
    LEFTARG = ticket.exemption, RIGHTARG = ticket.exemption,
    FUNCTION = ticket.exemption_gt,
    COMMUTATOR = OPERATOR(ticket.<), NEGATOR = OPERATOR(ticket.<=),
    RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
CREATE OPERATOR ticket.>= (
    LEFTARG = ticket.exemption, RIGHTARG = ticket.exemption,
    FUNCTION = ticket.exemption_ge,
    COMMUTATOR = OPERATOR(ticket.<=), NEGATOR = OPERATOR(ticket.<),
    RESTRICT = scalargesel, JOIN = scalargejoinsel
);

-- Default operator classes.  btree also takes int4's sort support (a
-- faster comparator for sorts) and btequalimage (equal values are equal
-- bytes), so that indexes deduplicate: a band column holds few values.
CREATE OPERATOR CLASS ticket.income_band_btree_ops
DEFAULT FOR TYPE ticket.income_band USING btree AS
    OPERATOR 1 ticket.<,
    OPERATOR 2 ticket.<=,
    OPERATOR 3 ticket.=,
    OPERATOR 4 ticket.>=,
    OPERATOR 5 ticket.>,
    FUNCTION 1 ticket.income_band_cmp(ticket.income_band, ticket.income_band),
    FUNCTION 2 pg_catalog.btint4sortsupport(internal),
    FUNCTION 4 pg_catalog.btequalimage(oid);

CREATE OPERATOR CLASS ticket.income_band_hash_ops
DEFAULT FOR TYPE ticket.income_band USING hash AS
    OPERATOR 1 ticket.=,
    FUNCTION 1 ticket.income_band_hash(ticket.income_band),
    FUNCTION 2 ticket.income_band_hash_extended(ticket.income_band, bigint);

CREATE OPERATOR CLASS ticket.exemption_btree_ops
DEFAULT FOR TYPE ticket.exemption USING btree AS
    OPERATOR 1 ticket.<,
    OPERATOR 2 ticket.<=,
    OPERATOR 3 ticket.=,
    OPERATOR 4 ticket.>=,
    OPERATOR 5 ticket.>,
    FUNCTION 1 ticket.exemption_cmp(ticket.exemption, ticket.exemption),
    FUNCTION 2 pg_catalog.btint4sortsupport(internal),
    FUNCTION 4 pg_catalog.btequalimage(oid);

CREATE OPERATOR CLASS ticket.exemption_hash_ops
DEFAULT FOR TYPE ticket.exemption USING hash AS
    OPERATOR 1 ticket.=,
    FUNCTION 1 ticket.exemption_hash(ticket.exemption),
    FUNCTION 2 ticket.exemption_hash_extended(ticket.exemption, bigint);

-- Validation of text without raising, and the family of an exemption.
CREATE FUNCTION ticket.income_band_is_valid(text)
RETURNS boolean
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ticket.income_band_is_valid(text) IS
'true when the text is a valid income band (the input function would accept it); never raises';

CREATE FUNCTION ticket.income_band_error(text)
RETURNS text
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ticket.income_band_error(text) IS
'NULL when the text is a valid income band, otherwise the reason the input function gives';

CREATE FUNCTION ticket.exemption_is_valid(text)
RETURNS boolean
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ticket.exemption_is_valid(text) IS
'true when the text is a valid exemption code (the input function would accept it); never raises';

CREATE FUNCTION ticket.exemption_error(text)
RETURNS text
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ticket.exemption_error(text) IS
'NULL when the text is a valid exemption code, otherwise the reason the input function gives';

CREATE FUNCTION ticket.exemption_family(ticket.exemption)
RETURNS text
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ticket.exemption_family(ticket.exemption) IS
'income, regional, invalidity, pregnancy, prevention, other, chronic or rare, from the syntax of the code';

--------------------------------------------------------------------------
-- Rules as data: regimes, their bands, their exemption rules, the service
-- catalogue.  Every amount of every decree is a row here; the C engine
-- (extension/src/core/pricing_core.c) holds none.  A regime is in force from
-- its effective_from until the next regime's, so enacting a decree is one
-- INSERT and never an UPDATE of the rows before it.
--
-- Rows shipped by the extension carry shipped = true and are left out of
-- pg_dump (the install script recreates them); rows users add are dumped.
-- Shipped rows cannot be changed or deleted (a later regime supersedes them;
-- a correction comes as an extension upgrade script).
--------------------------------------------------------------------------

CREATE TABLE ticket.regime (
    regime_id           text PRIMARY KEY CHECK (regime_id ~ '^[A-Za-z0-9][A-Za-z0-9_.-]*$'),
    effective_from      date NOT NULL UNIQUE CHECK (isfinite(effective_from)),
    legal_reference     text NOT NULL CHECK (legal_reference <> ''),
    description         text NOT NULL,
    default_band        ticket.income_band,
    specialist_cap      numeric(8,2) CHECK (specialist_cap >= 0),
    quota_threshold     numeric(8,2) NOT NULL DEFAULT 10.00 CHECK (quota_threshold >= 0),
    quota               numeric(8,2) CHECK (quota >= 0),
    ct_mri              numeric(8,2) CHECK (ct_mri >= 0),
    first_visit         numeric(8,2) CHECK (first_visit >= 0),
    control_visit       numeric(8,2) CHECK (control_visit >= 0),
    ambulatory_surgery  numeric(8,2) CHECK (ambulatory_surgery >= 0),
    surgery_fixed_codes text[],
    drug_per_pack       numeric(8,2) CHECK (drug_per_pack >= 0),
    drug_cap            numeric(8,2) CHECK (drug_cap >= 0),
    er_access           numeric(8,2) CHECK (er_access >= 0),
    er_chargeable_codes text[] NOT NULL DEFAULT '{}',
    max_items           integer NOT NULL DEFAULT 8 CHECK (max_items BETWEEN 1 AND 64),
    shipped             boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE ticket.regime IS
'a set of co-payment rules in force from effective_from until the next regime; amounts NULL = the rule does not exist in this regime';
COMMENT ON COLUMN ticket.regime.regime_id IS 'short name shown on bills, e.g. ER-2011-08-29';
COMMENT ON COLUMN ticket.regime.effective_from IS 'first service date the regime applies to';
COMMENT ON COLUMN ticket.regime.legal_reference IS 'the act that enacted it (DGR number and date)';
COMMENT ON COLUMN ticket.regime.default_band IS 'band charged when a citizen has none on record (2019: QM); NULL = the no-band amounts of this row';
COMMENT ON COLUMN ticket.regime.specialist_cap IS 'cap on the sum of tariffs of a specialist prescription (36.15); NULL = no cap';
COMMENT ON COLUMN ticket.regime.quota_threshold IS 'the band quota applies when the tariff sum exceeds this (10.00)';
COMMENT ON COLUMN ticket.regime.quota IS 'per-prescription quota for citizens without a band (2011: the top amount, 15.00)';
COMMENT ON COLUMN ticket.regime.ct_mri IS 'fixed CT/MRI ticket for citizens without a band; NULL = CT/MRI priced by tariff';
COMMENT ON COLUMN ticket.regime.first_visit IS 'fixed ticket of a first visit on a visit-only prescription; NULL = by tariff';
COMMENT ON COLUMN ticket.regime.control_visit IS 'fixed ticket of a control visit on a visit-only prescription; NULL = by tariff';
COMMENT ON COLUMN ticket.regime.ambulatory_surgery IS 'fixed ticket of a prescription with ambulatory surgery; NULL = by tariff';
COMMENT ON COLUMN ticket.regime.surgery_fixed_codes IS 'service codes that get the fixed surgery ticket; NULL = every ambulatory_surgery service';
COMMENT ON COLUMN ticket.regime.drug_per_pack IS 'drug ticket per pack for citizens without a band; NULL = no drug ticket';
COMMENT ON COLUMN ticket.regime.drug_cap IS 'cap of the drug ticket per prescription; NULL = no cap';
COMMENT ON COLUMN ticket.regime.er_access IS 'emergency-room ticket per chargeable access';
COMMENT ON COLUMN ticket.regime.er_chargeable_codes IS 'er_access service codes that pay (white and green triage)';
COMMENT ON COLUMN ticket.regime.max_items IS 'services (sum of quantities) allowed on one specialist prescription';
COMMENT ON COLUMN ticket.regime.shipped IS 'true for rows the extension ships (not dumped, not editable)';

CREATE TABLE ticket.regime_band (
    regime_id      text NOT NULL REFERENCES ticket.regime ON DELETE CASCADE,
    band           ticket.income_band NOT NULL,
    income_range   numrange NOT NULL CHECK (NOT isempty(income_range) AND lower(income_range) >= 0),
    quota          numeric(8,2) CHECK (quota >= 0),
    ct_mri         numeric(8,2) CHECK (ct_mri >= 0),
    drug_per_pack  numeric(8,2) CHECK (drug_per_pack >= 0),
    drug_cap       numeric(8,2) CHECK (drug_cap >= 0),
    shipped        boolean NOT NULL DEFAULT false,
    PRIMARY KEY (regime_id, band)
);
COMMENT ON TABLE ticket.regime_band IS
'the income bands a regime defines, the family fiscal income each covers, and the amounts that depend on the band';
COMMENT ON COLUMN ticket.regime_band.income_range IS 'family fiscal gross income in euros, bounds as the decree states them';
COMMENT ON COLUMN ticket.regime_band.quota IS 'per-prescription quota of the band';
COMMENT ON COLUMN ticket.regime_band.ct_mri IS 'fixed CT/MRI ticket of the band';
COMMENT ON COLUMN ticket.regime_band.drug_per_pack IS 'drug ticket per pack of the band';
COMMENT ON COLUMN ticket.regime_band.drug_cap IS 'cap of the drug ticket per prescription of the band';

CREATE TABLE ticket.exemption_rule (
    regime_id          text NOT NULL REFERENCES ticket.regime ON DELETE CASCADE,
    exemption          ticket.exemption,
    family             text CHECK (family IN ('income', 'regional', 'invalidity', 'pregnancy',
                                              'prevention', 'other', 'chronic', 'rare')),
    coverage           text NOT NULL CHECK (coverage IN ('all', 'listed', 'first_visit')),
    spares_band_quota  boolean NOT NULL,
    spares_drugs       boolean NOT NULL,
    spares_er          boolean NOT NULL,
    note               text,
    shipped            boolean NOT NULL DEFAULT false,
    CHECK ((exemption IS NULL) <> (family IS NULL)),
    UNIQUE (regime_id, exemption),
    UNIQUE (regime_id, family)
);
COMMENT ON TABLE ticket.exemption_rule IS
'what an exemption written on a prescription covers under a regime: a rule for one code beats the rule for its family';
COMMENT ON COLUMN ticket.exemption_rule.coverage IS 'all = every service; listed = the services of ticket.exemption_scope; first_visit = first visits only (FA2)';
COMMENT ON COLUMN ticket.exemption_rule.spares_band_quota IS 'no band quota on a prescription the exemption applies to';
COMMENT ON COLUMN ticket.exemption_rule.spares_drugs IS 'drug items it covers pay no drug ticket';
COMMENT ON COLUMN ticket.exemption_rule.spares_er IS 'emergency-room accesses it covers pay no ticket';

CREATE TABLE ticket.exemption_scope (
    exemption     ticket.exemption NOT NULL,
    service_code  text NOT NULL,
    synthetic     boolean NOT NULL DEFAULT false,
    shipped       boolean NOT NULL DEFAULT false,
    PRIMARY KEY (exemption, service_code)
);
COMMENT ON TABLE ticket.exemption_scope IS
'services covered by a partial exemption (coverage = listed), e.g. the follow-up tests of a chronic disease';

CREATE TABLE ticket.service (
    code            text NOT NULL CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]*$'),
    effective_from  date NOT NULL CHECK (isfinite(effective_from)),
    description     text NOT NULL,
    branch          text NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('first_visit', 'control_visit', 'exam', 'ct_mri',
                                                   'ambulatory_surgery', 'drug', 'er_access')),
    tariff          numeric(8,2) CHECK (tariff >= 0),
    withdrawn       boolean NOT NULL DEFAULT false,
    synthetic       boolean NOT NULL,
    source          text NOT NULL,
    shipped         boolean NOT NULL DEFAULT false,
    PRIMARY KEY (code, effective_from),
    CHECK (withdrawn OR tariff IS NOT NULL)
);
COMMENT ON TABLE ticket.service IS
'service catalogue (nomenclatore): a row is in force from effective_from until the next row of the same code; withdrawn rows end a code';
COMMENT ON COLUMN ticket.service.synthetic IS 'true: the tariff is invented for examples and tests, not an official figure';
COMMENT ON COLUMN ticket.service.source IS 'where the tariff comes from';

-- What pg_dump keeps: the rows users add.
SELECT pg_catalog.pg_extension_config_dump('ticket.regime', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('ticket.regime_band', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('ticket.exemption_rule', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('ticket.exemption_scope', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('ticket.service', 'WHERE NOT shipped');

GRANT SELECT ON ticket.regime, ticket.regime_band, ticket.exemption_rule,
                ticket.exemption_scope, ticket.service TO PUBLIC;

-- Keep the per-backend rule cache honest: any change to a rule table, in any
-- session, invalidates it (the next price() call recompiles the rules).
CREATE FUNCTION ticket.rules_changed()
RETURNS trigger
AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION ticket.rules_changed() IS
'trigger: tells every backend that the rules changed; VOLATILE because it sends a cache invalidation';

-- Shipped rows are the extension's: only its scripts change them.
CREATE FUNCTION ticket.protect_shipped_rows()
RETURNS trigger
AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION ticket.protect_shipped_rows() IS
'trigger: refuses to insert, change or delete shipped rows outside the extension''s scripts; VOLATILE because it guards writes';

CREATE TRIGGER rules_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ticket.regime
    FOR EACH STATEMENT EXECUTE FUNCTION ticket.rules_changed();
CREATE TRIGGER rules_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ticket.regime_band
    FOR EACH STATEMENT EXECUTE FUNCTION ticket.rules_changed();
CREATE TRIGGER rules_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ticket.exemption_rule
    FOR EACH STATEMENT EXECUTE FUNCTION ticket.rules_changed();
CREATE TRIGGER rules_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ticket.exemption_scope
    FOR EACH STATEMENT EXECUTE FUNCTION ticket.rules_changed();
CREATE TRIGGER rules_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ticket.service
    FOR EACH STATEMENT EXECUTE FUNCTION ticket.rules_changed();

CREATE TRIGGER protect_shipped_rows BEFORE INSERT OR UPDATE OR DELETE ON ticket.regime
    FOR EACH ROW EXECUTE FUNCTION ticket.protect_shipped_rows();
CREATE TRIGGER protect_shipped_rows BEFORE INSERT OR UPDATE OR DELETE ON ticket.regime_band
    FOR EACH ROW EXECUTE FUNCTION ticket.protect_shipped_rows();
CREATE TRIGGER protect_shipped_rows BEFORE INSERT OR UPDATE OR DELETE ON ticket.exemption_rule
    FOR EACH ROW EXECUTE FUNCTION ticket.protect_shipped_rows();
CREATE TRIGGER protect_shipped_rows BEFORE INSERT OR UPDATE OR DELETE ON ticket.exemption_scope
    FOR EACH ROW EXECUTE FUNCTION ticket.protect_shipped_rows();
CREATE TRIGGER protect_shipped_rows BEFORE INSERT OR UPDATE OR DELETE ON ticket.service
    FOR EACH ROW EXECUTE FUNCTION ticket.protect_shipped_rows();
CREATE TRIGGER protect_shipped_rows_truncate BEFORE TRUNCATE ON ticket.regime
    FOR EACH STATEMENT EXECUTE FUNCTION ticket.protect_shipped_rows();
CREATE TRIGGER protect_shipped_rows_truncate BEFORE TRUNCATE ON ticket.regime_band
    FOR EACH STATEMENT EXECUTE FUNCTION ticket.protect_shipped_rows();
CREATE TRIGGER protect_shipped_rows_truncate BEFORE TRUNCATE ON ticket.exemption_rule
    FOR EACH STATEMENT EXECUTE FUNCTION ticket.protect_shipped_rows();
CREATE TRIGGER protect_shipped_rows_truncate BEFORE TRUNCATE ON ticket.exemption_scope
    FOR EACH STATEMENT EXECUTE FUNCTION ticket.protect_shipped_rows();
CREATE TRIGGER protect_shipped_rows_truncate BEFORE TRUNCATE ON ticket.service
    FOR EACH STATEMENT EXECUTE FUNCTION ticket.protect_shipped_rows();

--------------------------------------------------------------------------
-- The engine's SQL surface
--------------------------------------------------------------------------

CREATE TYPE ticket.item AS (
    code      text,
    kind      text,
    branch    text,
    tariff    numeric(8,2),
    quantity  integer
);
COMMENT ON TYPE ticket.item IS
'one line of a prescription: kind is first_visit, control_visit, exam, ct_mri, ambulatory_surgery, drug or er_access';

CREATE TYPE ticket.bill AS (
    total        numeric(8,2),
    base         numeric(8,2),
    band_quota   numeric(8,2),
    regime       text,
    band         ticket.income_band,
    exemption    ticket.exemption,
    explanation  text
);
COMMENT ON TYPE ticket.bill IS
'what a prescription costs: total = base + band_quota; the regime, band and exemption applied; the rules that fired';

CREATE FUNCTION ticket.price(items ticket.item[], band ticket.income_band,
                             exemptions ticket.exemption[], on_date date)
RETURNS ticket.bill
AS 'MODULE_PATHNAME', 'ticket_price_items' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION ticket.price(ticket.item[], ticket.income_band, ticket.exemption[], date) IS
'the co-payment of one prescription under the regime in force on on_date; band NULL = no declaration on record';

CREATE FUNCTION ticket.price(codes text[], band ticket.income_band,
                             exemptions ticket.exemption[], on_date date)
RETURNS ticket.bill
AS 'MODULE_PATHNAME', 'ticket_price_codes' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION ticket.price(text[], ticket.income_band, ticket.exemption[], date) IS
'the co-payment of one prescription of catalogue services (ticket.service in force on on_date), one of each code';

CREATE FUNCTION ticket.income_band_for(income numeric, on_date date)
RETURNS ticket.income_band
AS 'MODULE_PATHNAME', 'ticket_income_band_for' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ticket.income_band_for(numeric, date) IS
'the band of a family fiscal income under the regime in force on on_date; NULL when the regime prints no code for it (over 100,000 in 2011, any income from September 2020)';

CREATE FUNCTION ticket.regime_for(on_date date)
RETURNS text
AS 'MODULE_PATHNAME', 'ticket_regime_for' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION ticket.regime_for(date) IS
'the regime_id in force on a date (error TK005 when none)';

CREATE FUNCTION ticket.rules_cache_info(OUT regimes integer, OUT bands integer,
                                        OUT exemption_rules integer, OUT scope_entries integer,
                                        OUT bytes bigint, OUT builds bigint)
RETURNS record
AS 'MODULE_PATHNAME', 'ticket_rules_cache_info' LANGUAGE C VOLATILE PARALLEL RESTRICTED;
COMMENT ON FUNCTION ticket.rules_cache_info() IS
'size of this backend''s compiled rule cache and how many times it was built; VOLATILE because it reports backend state';

--------------------------------------------------------------------------
-- The Emilia-Romagna regimes, 2009 to 2025 (../shared/docs/ticket-rules.md;
-- section numbers below refer to it).  Choices where the sources are
-- uncertain ([U] there) are made here, in data, and said in comments.
--------------------------------------------------------------------------

INSERT INTO ticket.regime (regime_id, effective_from, legal_reference, description,
    default_band, specialist_cap, quota_threshold, quota, ct_mri, first_visit, control_visit,
    ambulatory_surgery, surgery_fixed_codes, drug_per_pack, drug_cap, er_access,
    er_chargeable_codes, max_items, shipped)
VALUES
    -- Before the income bands: the national rules, sum of tariffs capped at
    -- 36.15 per prescription, the national 10-euro quota suspended in ER
    -- 2009-2011 (§0), no regional drug ticket (§0, [P]).  The engine prices
    -- services from 1 January 2009; earlier dates are outside its scope.
    ('ER-BASELINE', '2009-01-01',
     'national rules (cap 36.15 per prescription); national 10-euro quota suspended in Emilia-Romagna 2009-2011',
     'before the income bands', NULL, 36.15, 10.00, NULL, NULL, NULL, NULL,
     NULL, NULL, NULL, NULL, 25.00, '{PS-WHITE,PS-GREEN}', 8, true),
    -- DGR 1190/2011 (§1, §2): bands RE1-RE3; no code and the top amounts
    -- above 100,000 euros or without a declaration (the regime's own
    -- amounts below: quota 15, CT/MRI 70, drugs 3 per pack up to 6).  Fixed
    -- visit tickets 23/18; surgery 46.15 only for cataract (13.41) and
    -- carpal tunnel (04.43) (§2.4).  The quota applies when the tariffs
    -- exceed 10 euros (§2.1).  CT/MRI fixed ticket once per prescription
    -- (§2.3 [U]: per exam or per prescription; chosen per prescription).
    ('ER-2011-08-29', '2011-08-29', 'DGR 1190 of 4 August 2011',
     'income bands RE1-RE3 with a per-prescription quota', NULL, 36.15, 10.00, 15.00, 70.00,
     23.00, 18.00, 46.15, '{13.41,04.43}', 3.00, 6.00, 25.00, '{PS-WHITE,PS-GREEN}', 8, true),
    -- Giunta decision of 19 December 2011, from 1 February 2012 (§2.4, §3.1):
    -- the 46.15 surgery ticket extends to all complex ambulatory surgery;
    -- the tariff update is in ticket.service rows of the same date.
    ('ER-2012-02-01', '2012-02-01', 'Giunta decision of 19 December 2011 (tariff update, ambulatory surgery)',
     'fixed ticket for all complex ambulatory surgery', NULL, 36.15, 10.00, 15.00, 70.00,
     23.00, 18.00, 46.15, NULL, 3.00, 6.00, 25.00, '{PS-WHITE,PS-GREEN}', 8, true),
    -- DGR 2075/2018 (§3.3): QB up to 100,000, QM above or without data (the
    -- default).  QB/QM CT/MRI amounts are [U]; chosen 36.15 and 70.
    ('ER-2019-01-01', '2019-01-01', 'DGR 2075 of 3 December 2018',
     'QB/QM bands; quota only for QM; FA2 first-visit exemption', 'QM', 36.15, 10.00, NULL, NULL,
     23.00, 18.00, 46.15, NULL, NULL, NULL, 25.00, '{PS-WHITE,PS-GREEN}', 8, true),
    -- DGR 1044/2020 (§3.4): quota and bands abolished, drug ticket abolished,
    -- CT/MRI and surgery 36.15 for everyone.
    ('ER-2020-09-01', '2020-09-01', 'DGR 1044 of 24 August 2020',
     'no income bands, no quota, no drug ticket', NULL, 36.15, 10.00, NULL, 36.15,
     23.00, 18.00, 36.15, NULL, NULL, NULL, 25.00, '{PS-WHITE,PS-GREEN}', 8, true),
    -- DGR 390/2025 (§3.6): drug ticket 2.20 per pack, at most 4.00 per
    -- prescription.  First visit: 23 kept (§3.6 [U]: 23 or 25; AUSL Modena
    -- says 23).
    ('ER-2025-05-02', '2025-05-02', 'DGR 390 of 24 March 2025',
     'regional drug ticket; FA2 limited to children up to 14', NULL, 36.15, 10.00, NULL, 36.15,
     23.00, 18.00, 36.15, NULL, 2.20, 4.00, 25.00, '{PS-WHITE,PS-GREEN}', 8, true);

-- Bands.  RE1 ends at 36,152.00 inclusive: the band table of the sources
-- says "up to 36,152"; the 36,151.98 of E01 is a different rule (§1.2
-- open question, answered here).  Upper bounds inclusive as published.
INSERT INTO ticket.regime_band (regime_id, band, income_range, quota, ct_mri, drug_per_pack, drug_cap, shipped)
SELECT r.regime_id, b.band::ticket.income_band, b.income_range::numrange,
       b.quota, b.ct_mri, b.drug_per_pack, b.drug_cap, true
  FROM (VALUES ('ER-2011-08-29'), ('ER-2012-02-01')) AS r(regime_id),
       (VALUES ('RE1', '[0,36152.00]',         0.00, 36.15, 0.00, 0.00),
               ('RE2', '(36152.00,70000.00]',  5.00, 50.00, 1.00, 2.00),
               ('RE3', '(70000.00,100000.00]', 10.00, 50.00, 2.00, 4.00))
       AS b(band, income_range, quota, ct_mri, drug_per_pack, drug_cap);

INSERT INTO ticket.regime_band (regime_id, band, income_range, quota, ct_mri, drug_per_pack, drug_cap, shipped)
VALUES ('ER-2019-01-01', 'QB', '[0,100000.00]', 0.00, 36.15, 0.00, 0.00, true),
       ('ER-2019-01-01', 'QM', '(100000.00,)', 15.00, 70.00, 3.00, 6.00, true);

-- Exemption rules (§4).  Income exemptions and the "total" invalidity codes
-- cover everything; disease, pregnancy, prevention and partial invalidity
-- codes cover the services of their scope list; FA2 first visits.  The band
-- quota is spared "within their scope" (§4.4): covered services pay nothing,
-- and the services an exemption does not cover are charged normally,
-- including the band quota, so no shipped partial rule sets
-- spares_band_quota (which would waive the quota for the whole prescription).
INSERT INTO ticket.exemption_rule (regime_id, exemption, family, coverage, spares_band_quota,
                                   spares_drugs, spares_er, note, shipped)
WITH seed (selector, is_family, coverage, spares_drugs, spares_er, from_regime, note) AS (VALUES
    ('income',     true,  'all',    true,  true,  'ER-BASELINE',   'E01-E04: total (§4.1)'),
    ('E99',        false, 'all',    false, false, 'ER-BASELINE',   'workers hit by the crisis: specialist services (§4.2)'),
    ('FA2',        false, 'first_visit', false, false, 'ER-2019-01-01', 'families with two or more dependent children: first visit (§3.3)'),
    ('invalidity', true,  'listed', true,  false, 'ER-BASELINE',   'partial invalidity codes: related services (§4.3)'),
    ('C01',        false, 'all',    true,  true,  'ER-BASELINE',   'civil invalid 100 %: total (§4.3)'),
    ('C02',        false, 'all',    true,  true,  'ER-BASELINE',   'civil invalid 100 % with allowance: total'),
    ('C03',        false, 'all',    true,  true,  'ER-BASELINE',   'civil invalid 67-99 %: total'),
    ('C04',        false, 'all',    true,  true,  'ER-BASELINE',   'civil-invalid minors: total'),
    ('C05',        false, 'all',    true,  true,  'ER-BASELINE',   'blind: total'),
    ('C06',        false, 'all',    true,  true,  'ER-BASELINE',   'deaf-mute: total'),
    ('G01',        false, 'all',    true,  true,  'ER-BASELINE',   'war invalids cat. 1-5: total'),
    ('L01',        false, 'all',    true,  true,  'ER-BASELINE',   'work invalids 80-100 %: total'),
    ('L02',        false, 'all',    true,  true,  'ER-BASELINE',   'work invalids 67-79 %: total'),
    ('S01',        false, 'all',    true,  true,  'ER-BASELINE',   'service invalids cat. 1: total'),
    ('S02',        false, 'all',    true,  true,  'ER-BASELINE',   'service invalids cat. 2-5: total'),
    ('V02',        false, 'all',    true,  true,  'ER-BASELINE',   'victims of terrorism, invalidity > 80 %: total'),
    ('pregnancy',  true,  'listed', false, false, 'ER-BASELINE',   'pregnancy protocol services; not valid for drugs (§4.3)'),
    ('prevention', true,  'listed', false, false, 'ER-BASELINE',   'screening services (§4.3)'),
    ('other',      true,  'listed', false, false, 'ER-BASELINE',   'B01 T01 I01 P01-P03 TDL01 PML: the listed services (§4.3)'),
    ('F01',        false, 'all',    true,  true,  'ER-BASELINE',   'prisoners: total'),
    ('X01',        false, 'all',    true,  true,  'ER-BASELINE',   'undocumented foreigners (STP), urgent care: total'),
    ('chronic',    true,  'listed', true,  false, 'ER-BASELINE',   'chronic diseases: related services and drugs (§4.4)'),
    ('rare',       true,  'listed', true,  false, 'ER-BASELINE',   'rare diseases: related services and drugs (§4.4)'))
SELECT r.regime_id,
       CASE WHEN NOT s.is_family THEN s.selector::ticket.exemption END,
       CASE WHEN s.is_family THEN s.selector END,
       s.coverage, s.coverage = 'all', s.spares_drugs, s.spares_er, s.note, true
  FROM seed s
  JOIN ticket.regime r ON r.effective_from >= (SELECT f.effective_from FROM ticket.regime f
                                                WHERE f.regime_id = s.from_regime);

--------------------------------------------------------------------------
-- Service catalogue: a sample.  No machine-readable regional nomenclatore
-- was found (§6): tariffs marked synthetic = true are invented for examples
-- and tests; the others are the figures quoted in §6 with their source.
--------------------------------------------------------------------------

INSERT INTO ticket.service (code, effective_from, description, branch, kind, tariff, synthetic, source, shipped)
VALUES
    ('89.7',    '2009-01-01', 'first specialist visit (cardiology)', 'cardiology', 'first_visit', 20.66, true, 'synthetic', true),
    ('89.01',   '2009-01-01', 'control visit (cardiology)', 'cardiology', 'control_visit', 12.91, true, 'synthetic', true),
    ('89.52',   '2009-01-01', 'electrocardiogram', 'cardiology', 'exam', 11.62, false, 'DM 22/7/1996 national tariff (§6, S47)', true),
    ('89.50',   '2009-01-01', 'Holter ECG', 'cardiology', 'exam', 61.97, false, 'DM 22/7/1996 national tariff (§6, S47)', true),
    ('89.54',   '2009-01-01', 'ECG monitoring (telemetry)', 'cardiology', 'exam', 46.48, false, 'DM 22/7/1996 national tariff (§6, S47)', true),
    ('89.44.2', '2009-01-01', 'walking test', 'cardiology', 'exam', 55.78, false, 'DM 22/7/1996 national tariff (§6, S47)', true),
    ('89.48.1', '2009-01-01', 'pacemaker check', 'cardiology', 'exam', 23.24, false, 'DM 22/7/1996 national tariff (§6, S47)', true),
    ('89.58.1', '2009-01-01', 'photoplethysmography, upper or lower limbs', 'cardiology', 'exam', 18.59, false, 'DM 22/7/1996 national tariff (§6, S47)', true),
    ('89.58.2', '2009-01-01', 'photoplethysmography, upper and lower limbs', 'cardiology', 'exam', 27.89, false, 'DM 22/7/1996 national tariff (§6, S47)', true),
    ('87.43.1', '2009-01-01', 'X-ray of ribs, sternum, clavicle', 'radiology', 'exam', 24.25, false, 'ER tariff before the 2012 update (§6, S24 [P]; code synthetic)', true),
    ('87.43.1', '2012-02-01', 'X-ray of ribs, sternum, clavicle', 'radiology', 'exam', 29.10, false, 'ER tariff from 1 February 2012 (§6, S24 [P]; code synthetic)', true),
    ('88.01.1', '2009-01-01', 'CT of the head', 'radiology', 'ct_mri', 88.00, true, 'synthetic', true),
    ('88.91.1', '2009-01-01', 'MRI of the brain', 'radiology', 'ct_mri', 180.00, true, 'synthetic', true),
    ('88.74.1', '2009-01-01', 'abdominal ultrasound', 'radiology', 'exam', 45.00, true, 'synthetic (the 45.00 ultrasound of §2.7)', true),
    ('90.43.2', '2009-01-01', 'triglycerides', 'laboratory', 'exam', 1.30, false, 'ER tariff before the 2012 update (§6, S24 [P]; code synthetic)', true),
    ('90.43.2', '2012-02-01', 'triglycerides', 'laboratory', 'exam', 2.00, false, 'ER tariff from 1 February 2012 (§6, S24 [P], "about 2.00")', true),
    ('90.27.1', '2009-01-01', 'glucose', 'laboratory', 'exam', 1.17, true, 'synthetic', true),
    ('90.28.1', '2009-01-01', 'glycated haemoglobin (HbA1c)', 'laboratory', 'exam', 9.95, true, 'synthetic', true),
    ('90.62.2', '2009-01-01', 'complete blood count', 'laboratory', 'exam', 3.00, true, 'synthetic (the 3.00 lab test of §2.7)', true),
    ('13.41',   '2009-01-01', 'cataract phacoemulsification', 'ophthalmology', 'ambulatory_surgery', 800.00, true, 'synthetic', true),
    ('95.02',   '2009-01-01', 'eye examination', 'ophthalmology', 'first_visit', 20.66, true, 'synthetic', true),
    ('04.43',   '2009-01-01', 'carpal tunnel release', 'orthopaedics', 'ambulatory_surgery', 400.00, true, 'synthetic', true),
    ('77.56',   '2009-01-01', 'hammer toe repair', 'orthopaedics', 'ambulatory_surgery', 600.00, true, 'synthetic (T51 surgery, §2.4)', true),
    ('89.7.OR', '2009-01-01', 'first specialist visit (orthopaedics)', 'orthopaedics', 'first_visit', 20.66, true, 'synthetic', true),
    ('A-0001',  '2009-01-01', 'fascia A drug, one pack', 'pharmacy', 'drug', 7.50, true, 'synthetic', true),
    ('A-0002',  '2009-01-01', 'fascia A drug for diabetes (metformin), one pack', 'pharmacy', 'drug', 3.20, true, 'synthetic', true),
    ('PS-WHITE',  '2009-01-01', 'emergency-room access, white triage', 'emergency', 'er_access', 0.00, false, 'regional ticket rule (§2.5)', true),
    ('PS-GREEN',  '2009-01-01', 'emergency-room access, green triage', 'emergency', 'er_access', 0.00, false, 'regional ticket rule (§2.5)', true),
    ('PS-BLUE',   '2009-01-01', 'emergency-room access, light-blue triage', 'emergency', 'er_access', 0.00, false, 'regional ticket rule (§2.5)', true),
    ('PS-ORANGE', '2009-01-01', 'emergency-room access, orange triage', 'emergency', 'er_access', 0.00, false, 'regional ticket rule (§2.5)', true),
    ('PS-RED',    '2009-01-01', 'emergency-room access, red triage', 'emergency', 'er_access', 0.00, false, 'regional ticket rule (§2.5)', true);

-- Scope of partial exemptions: a synthetic sample (the real lists are
-- ministerial annexes).  013 diabetes: glucose, HbA1c, metformin;
-- 0A31 hypertension: ECG and cardiology control visit; M12: ultrasound.
INSERT INTO ticket.exemption_scope (exemption, service_code, synthetic, shipped)
VALUES ('013', '90.27.1', true, true), ('013', '90.28.1', true, true), ('013', 'A-0002', true, true),
       ('0A31', '89.52', true, true), ('0A31', '89.01', true, true),
       ('M12', '88.74.1', true, true),
       ('L03', '04.43', true, true), ('L03', '89.7.OR', true, true);
