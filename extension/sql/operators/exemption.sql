CREATE CAST (ticket.exemption AS text) WITH FUNCTION ticket.text(ticket.exemption) AS ASSIGNMENT;

CREATE CAST (text AS ticket.exemption) WITH FUNCTION ticket.exemption(text) AS ASSIGNMENT;

CREATE CAST (character varying AS ticket.exemption) WITH FUNCTION ticket.exemption(text) AS ASSIGNMENT;

CREATE OPERATOR ticket.< (
    FUNCTION = ticket.exemption_lt,
    LEFTARG = ticket.exemption,
    RIGHTARG = ticket.exemption,
    COMMUTATOR = OPERATOR(ticket.>),
    NEGATOR = OPERATOR(ticket.>=),
    RESTRICT = scalarltsel,
    JOIN = scalarltjoinsel
);

COMMENT ON OPERATOR ticket.< (ticket.exemption, ticket.exemption) IS 'less than, in the order of the codes (as text)';

CREATE OPERATOR ticket.<= (
    FUNCTION = ticket.exemption_le,
    LEFTARG = ticket.exemption,
    RIGHTARG = ticket.exemption,
    COMMUTATOR = OPERATOR(ticket.>=),
    NEGATOR = OPERATOR(ticket.>),
    RESTRICT = scalarlesel,
    JOIN = scalarlejoinsel
);

COMMENT ON OPERATOR ticket.<= (ticket.exemption, ticket.exemption) IS 'less than or equal';

CREATE OPERATOR ticket.<> (
    FUNCTION = ticket.exemption_ne,
    LEFTARG = ticket.exemption,
    RIGHTARG = ticket.exemption,
    COMMUTATOR = OPERATOR(ticket.<>),
    NEGATOR = OPERATOR(ticket.=),
    RESTRICT = neqsel,
    JOIN = neqjoinsel
);

COMMENT ON OPERATOR ticket.<> (ticket.exemption, ticket.exemption) IS 'not equal';

CREATE OPERATOR ticket.= (
    FUNCTION = ticket.exemption_eq,
    LEFTARG = ticket.exemption,
    RIGHTARG = ticket.exemption,
    COMMUTATOR = OPERATOR(ticket.=),
    NEGATOR = OPERATOR(ticket.<>),
    MERGES,
    HASHES,
    RESTRICT = eqsel,
    JOIN = eqjoinsel
);

COMMENT ON OPERATOR ticket.= (ticket.exemption, ticket.exemption) IS 'equal: the same exemption code';

CREATE OPERATOR ticket.> (
    FUNCTION = ticket.exemption_gt,
    LEFTARG = ticket.exemption,
    RIGHTARG = ticket.exemption,
    COMMUTATOR = OPERATOR(ticket.<),
    NEGATOR = OPERATOR(ticket.<=),
    RESTRICT = scalargtsel,
    JOIN = scalargtjoinsel
);

COMMENT ON OPERATOR ticket.> (ticket.exemption, ticket.exemption) IS 'greater than';

CREATE OPERATOR ticket.>= (
    FUNCTION = ticket.exemption_ge,
    LEFTARG = ticket.exemption,
    RIGHTARG = ticket.exemption,
    COMMUTATOR = OPERATOR(ticket.<=),
    NEGATOR = OPERATOR(ticket.<),
    RESTRICT = scalargesel,
    JOIN = scalargejoinsel
);

COMMENT ON OPERATOR ticket.>= (ticket.exemption, ticket.exemption) IS 'greater than or equal';

CREATE OPERATOR FAMILY ticket.exemption_btree_ops USING btree;
ALTER OPERATOR FAMILY ticket.exemption_btree_ops USING btree ADD
    FUNCTION 2 (ticket.exemption, ticket.exemption) btint4sortsupport(internal) ,
    FUNCTION 4 (ticket.exemption, ticket.exemption) btequalimage(oid);

CREATE OPERATOR CLASS ticket.exemption_btree_ops
    DEFAULT FOR TYPE ticket.exemption USING btree FAMILY ticket.exemption_btree_ops AS
    OPERATOR 1 ticket.<(ticket.exemption,ticket.exemption) ,
    OPERATOR 2 ticket.<=(ticket.exemption,ticket.exemption) ,
    OPERATOR 3 ticket.=(ticket.exemption,ticket.exemption) ,
    OPERATOR 4 ticket.>=(ticket.exemption,ticket.exemption) ,
    OPERATOR 5 ticket.>(ticket.exemption,ticket.exemption) ,
    FUNCTION 1 (ticket.exemption, ticket.exemption) ticket.exemption_cmp(ticket.exemption,ticket.exemption);

CREATE OPERATOR FAMILY ticket.exemption_hash_ops USING hash;
ALTER OPERATOR FAMILY ticket.exemption_hash_ops USING hash ADD
    FUNCTION 2 (ticket.exemption, ticket.exemption) ticket.exemption_hash_extended(ticket.exemption,bigint);

CREATE OPERATOR CLASS ticket.exemption_hash_ops
    DEFAULT FOR TYPE ticket.exemption USING hash FAMILY ticket.exemption_hash_ops AS
    OPERATOR 1 ticket.=(ticket.exemption,ticket.exemption) ,
    FUNCTION 1 (ticket.exemption, ticket.exemption) ticket.exemption_hash(ticket.exemption);
