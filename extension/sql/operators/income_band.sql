CREATE CAST (ticket.income_band AS text) WITH FUNCTION ticket.text(ticket.income_band) AS ASSIGNMENT;

CREATE CAST (text AS ticket.income_band) WITH FUNCTION ticket.income_band(text) AS ASSIGNMENT;

CREATE CAST (character varying AS ticket.income_band) WITH FUNCTION ticket.income_band(text) AS ASSIGNMENT;

CREATE OPERATOR ticket.< (
    FUNCTION = ticket.income_band_lt,
    LEFTARG = ticket.income_band,
    RIGHTARG = ticket.income_band,
    COMMUTATOR = OPERATOR(ticket.>),
    NEGATOR = OPERATOR(ticket.>=),
    RESTRICT = scalarltsel,
    JOIN = scalarltjoinsel
);

COMMENT ON OPERATOR ticket.< (ticket.income_band, ticket.income_band) IS 'less than, in the order of the codes (as text)';

CREATE OPERATOR ticket.<= (
    FUNCTION = ticket.income_band_le,
    LEFTARG = ticket.income_band,
    RIGHTARG = ticket.income_band,
    COMMUTATOR = OPERATOR(ticket.>=),
    NEGATOR = OPERATOR(ticket.>),
    RESTRICT = scalarlesel,
    JOIN = scalarlejoinsel
);

COMMENT ON OPERATOR ticket.<= (ticket.income_band, ticket.income_band) IS 'less than or equal';

CREATE OPERATOR ticket.<> (
    FUNCTION = ticket.income_band_ne,
    LEFTARG = ticket.income_band,
    RIGHTARG = ticket.income_band,
    COMMUTATOR = OPERATOR(ticket.<>),
    NEGATOR = OPERATOR(ticket.=),
    RESTRICT = neqsel,
    JOIN = neqjoinsel
);

COMMENT ON OPERATOR ticket.<> (ticket.income_band, ticket.income_band) IS 'not equal';

CREATE OPERATOR ticket.= (
    FUNCTION = ticket.income_band_eq,
    LEFTARG = ticket.income_band,
    RIGHTARG = ticket.income_band,
    COMMUTATOR = OPERATOR(ticket.=),
    NEGATOR = OPERATOR(ticket.<>),
    MERGES,
    HASHES,
    RESTRICT = eqsel,
    JOIN = eqjoinsel
);

COMMENT ON OPERATOR ticket.= (ticket.income_band, ticket.income_band) IS 'equal: the same band code';

CREATE OPERATOR ticket.> (
    FUNCTION = ticket.income_band_gt,
    LEFTARG = ticket.income_band,
    RIGHTARG = ticket.income_band,
    COMMUTATOR = OPERATOR(ticket.<),
    NEGATOR = OPERATOR(ticket.<=),
    RESTRICT = scalargtsel,
    JOIN = scalargtjoinsel
);

COMMENT ON OPERATOR ticket.> (ticket.income_band, ticket.income_band) IS 'greater than';

CREATE OPERATOR ticket.>= (
    FUNCTION = ticket.income_band_ge,
    LEFTARG = ticket.income_band,
    RIGHTARG = ticket.income_band,
    COMMUTATOR = OPERATOR(ticket.<=),
    NEGATOR = OPERATOR(ticket.<),
    RESTRICT = scalargesel,
    JOIN = scalargejoinsel
);

COMMENT ON OPERATOR ticket.>= (ticket.income_band, ticket.income_band) IS 'greater than or equal';

CREATE OPERATOR FAMILY ticket.income_band_btree_ops USING btree;
ALTER OPERATOR FAMILY ticket.income_band_btree_ops USING btree ADD
    FUNCTION 2 (ticket.income_band, ticket.income_band) btint4sortsupport(internal) ,
    FUNCTION 4 (ticket.income_band, ticket.income_band) btequalimage(oid);

CREATE OPERATOR CLASS ticket.income_band_btree_ops
    DEFAULT FOR TYPE ticket.income_band USING btree FAMILY ticket.income_band_btree_ops AS
    OPERATOR 1 ticket.<(ticket.income_band,ticket.income_band) ,
    OPERATOR 2 ticket.<=(ticket.income_band,ticket.income_band) ,
    OPERATOR 3 ticket.=(ticket.income_band,ticket.income_band) ,
    OPERATOR 4 ticket.>=(ticket.income_band,ticket.income_band) ,
    OPERATOR 5 ticket.>(ticket.income_band,ticket.income_band) ,
    FUNCTION 1 (ticket.income_band, ticket.income_band) ticket.income_band_cmp(ticket.income_band,ticket.income_band);

CREATE OPERATOR FAMILY ticket.income_band_hash_ops USING hash;
ALTER OPERATOR FAMILY ticket.income_band_hash_ops USING hash ADD
    FUNCTION 2 (ticket.income_band, ticket.income_band) ticket.income_band_hash_extended(ticket.income_band,bigint);

CREATE OPERATOR CLASS ticket.income_band_hash_ops
    DEFAULT FOR TYPE ticket.income_band USING hash FAMILY ticket.income_band_hash_ops AS
    OPERATOR 1 ticket.=(ticket.income_band,ticket.income_band) ,
    FUNCTION 1 (ticket.income_band, ticket.income_band) ticket.income_band_hash(ticket.income_band);
