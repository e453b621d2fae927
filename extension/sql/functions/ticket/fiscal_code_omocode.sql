CREATE FUNCTION ticket.fiscal_code_omocode(code ticket.fiscal_code, level integer) RETURNS ticket.fiscal_code
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'fiscal_code_omocode';

COMMENT ON FUNCTION ticket.fiscal_code_omocode(code ticket.fiscal_code, level integer) IS 'the form of the code at an omocode level 0..7: the first level digits from the right substituted, check character recomputed; other kinds: the code itself';

REVOKE ALL ON FUNCTION ticket.fiscal_code_omocode(code ticket.fiscal_code, level integer) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.fiscal_code_omocode(code ticket.fiscal_code, level integer) TO ticket_library;
