CREATE CAST (ticket.fiscal_code AS text) WITH FUNCTION ticket.text(ticket.fiscal_code) AS ASSIGNMENT;

CREATE CAST (text AS ticket.fiscal_code) WITH FUNCTION ticket.fiscal_code(text) AS ASSIGNMENT;

CREATE CAST (character varying AS ticket.fiscal_code) WITH FUNCTION ticket.fiscal_code(text) AS ASSIGNMENT;

CREATE OPERATOR ticket.< (
    FUNCTION = ticket.fiscal_code_lt,
    LEFTARG = ticket.fiscal_code,
    RIGHTARG = ticket.fiscal_code,
    COMMUTATOR = OPERATOR(ticket.>),
    NEGATOR = OPERATOR(ticket.>=),
    RESTRICT = scalarltsel,
    JOIN = scalarltjoinsel
);

COMMENT ON OPERATOR ticket.< (ticket.fiscal_code, ticket.fiscal_code) IS 'less than, in the byte order of the stored codes';

CREATE OPERATOR ticket.<= (
    FUNCTION = ticket.fiscal_code_le,
    LEFTARG = ticket.fiscal_code,
    RIGHTARG = ticket.fiscal_code,
    COMMUTATOR = OPERATOR(ticket.>=),
    NEGATOR = OPERATOR(ticket.>),
    RESTRICT = scalarlesel,
    JOIN = scalarlejoinsel
);

COMMENT ON OPERATOR ticket.<= (ticket.fiscal_code, ticket.fiscal_code) IS 'less than or equal';

CREATE OPERATOR ticket.<> (
    FUNCTION = ticket.fiscal_code_ne,
    LEFTARG = ticket.fiscal_code,
    RIGHTARG = ticket.fiscal_code,
    COMMUTATOR = OPERATOR(ticket.<>),
    NEGATOR = OPERATOR(ticket.=),
    RESTRICT = neqsel,
    JOIN = neqjoinsel
);

COMMENT ON OPERATOR ticket.<> (ticket.fiscal_code, ticket.fiscal_code) IS 'not equal';

CREATE OPERATOR ticket.= (
    FUNCTION = ticket.fiscal_code_eq,
    LEFTARG = ticket.fiscal_code,
    RIGHTARG = ticket.fiscal_code,
    COMMUTATOR = OPERATOR(ticket.=),
    NEGATOR = OPERATOR(ticket.<>),
    MERGES,
    HASHES,
    RESTRICT = eqsel,
    JOIN = eqjoinsel
);

COMMENT ON OPERATOR ticket.= (ticket.fiscal_code, ticket.fiscal_code) IS 'equal: the same stored code (an omocode is a different code: compare fiscal_code_canonical)';

CREATE OPERATOR ticket.> (
    FUNCTION = ticket.fiscal_code_gt,
    LEFTARG = ticket.fiscal_code,
    RIGHTARG = ticket.fiscal_code,
    COMMUTATOR = OPERATOR(ticket.<),
    NEGATOR = OPERATOR(ticket.<=),
    RESTRICT = scalargtsel,
    JOIN = scalargtjoinsel
);

COMMENT ON OPERATOR ticket.> (ticket.fiscal_code, ticket.fiscal_code) IS 'greater than';

CREATE OPERATOR ticket.>= (
    FUNCTION = ticket.fiscal_code_ge,
    LEFTARG = ticket.fiscal_code,
    RIGHTARG = ticket.fiscal_code,
    COMMUTATOR = OPERATOR(ticket.<=),
    NEGATOR = OPERATOR(ticket.<),
    RESTRICT = scalargesel,
    JOIN = scalargejoinsel
);

COMMENT ON OPERATOR ticket.>= (ticket.fiscal_code, ticket.fiscal_code) IS 'greater than or equal';

CREATE OPERATOR FAMILY ticket.fiscal_code_btree_ops USING btree;

CREATE OPERATOR CLASS ticket.fiscal_code_btree_ops
    DEFAULT FOR TYPE ticket.fiscal_code USING btree FAMILY ticket.fiscal_code_btree_ops AS
    OPERATOR 1 ticket.<(ticket.fiscal_code,ticket.fiscal_code) ,
    OPERATOR 2 ticket.<=(ticket.fiscal_code,ticket.fiscal_code) ,
    OPERATOR 3 ticket.=(ticket.fiscal_code,ticket.fiscal_code) ,
    OPERATOR 4 ticket.>=(ticket.fiscal_code,ticket.fiscal_code) ,
    OPERATOR 5 ticket.>(ticket.fiscal_code,ticket.fiscal_code) ,
    FUNCTION 1 (ticket.fiscal_code, ticket.fiscal_code) ticket.fiscal_code_cmp(ticket.fiscal_code,ticket.fiscal_code);

CREATE OPERATOR FAMILY ticket.fiscal_code_hash_ops USING hash;
ALTER OPERATOR FAMILY ticket.fiscal_code_hash_ops USING hash ADD
    FUNCTION 2 (ticket.fiscal_code, ticket.fiscal_code) ticket.fiscal_code_hash_extended(ticket.fiscal_code,bigint);

CREATE OPERATOR CLASS ticket.fiscal_code_hash_ops
    DEFAULT FOR TYPE ticket.fiscal_code USING hash FAMILY ticket.fiscal_code_hash_ops AS
    OPERATOR 1 ticket.=(ticket.fiscal_code,ticket.fiscal_code) ,
    FUNCTION 1 (ticket.fiscal_code, ticket.fiscal_code) ticket.fiscal_code_hash(ticket.fiscal_code);
