CREATE VIEW fse.profile_expected AS
 SELECT c.fiscal_code,
    d.declaration_id,
    d.band,
    d.applies_from AS band_from,
    COALESCE(e.exemptions, '{}'::registry.exemption_period[]) AS exemptions
   FROM ((registry.citizen c
     LEFT JOIN registry.declaration d ON (((d.fiscal_code OPERATOR(ticket.=) c.fiscal_code) AND (d.valid_until IS NULL))))
     LEFT JOIN LATERAL ( SELECT array_agg(ROW(g.exemption, g.effective, g.source)::registry.exemption_period ORDER BY (lower(g.effective)), g.exemption, g.grant_id) AS exemptions
           FROM registry.exemption_grant g
          WHERE ((g.fiscal_code OPERATOR(ticket.=) c.fiscal_code) AND (NOT isempty(g.effective)))) e ON (true))
  WHERE ((d.declaration_id IS NOT NULL) OR (e.exemptions IS NOT NULL));

COMMENT ON VIEW fse.profile_expected IS 'the FSE profile each citizen with a declaration or an exemption should have, computed from the registry';

COMMENT ON COLUMN fse.profile_expected.fiscal_code IS 'the citizen';

COMMENT ON COLUMN fse.profile_expected.declaration_id IS 'the current declaration (valid_until IS NULL), or NULL';

COMMENT ON COLUMN fse.profile_expected.band IS 'its declared band';

COMMENT ON COLUMN fse.profile_expected.band_from IS 'the day it applies from';

COMMENT ON COLUMN fse.profile_expected.exemptions IS 'every exemption grant not wholly revoked, with the dates it covers';
