CREATE FUNCTION ticket.text(ticket.exemption) RETURNS text
    LANGUAGE c IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'exemption_to_text';

COMMENT ON FUNCTION ticket.text(ticket.exemption) IS 'cast exemption to text: the code';

CREATE FUNCTION ticket.text(ticket.fiscal_code) RETURNS text
    LANGUAGE c IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'fiscal_code_to_text';

COMMENT ON FUNCTION ticket.text(ticket.fiscal_code) IS 'cast fiscal_code to text: the code as stored';

CREATE FUNCTION ticket.text(ticket.income_band) RETURNS text
    LANGUAGE c IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'income_band_to_text';

COMMENT ON FUNCTION ticket.text(ticket.income_band) IS 'cast income_band to text: the code';

REVOKE ALL ON FUNCTION ticket.text(ticket.exemption) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.text(ticket.exemption) TO ticket_library;

REVOKE ALL ON FUNCTION ticket.text(ticket.fiscal_code) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.text(ticket.fiscal_code) TO ticket_library;

REVOKE ALL ON FUNCTION ticket.text(ticket.income_band) FROM PUBLIC;
GRANT ALL ON FUNCTION ticket.text(ticket.income_band) TO ticket_library;
