-- A textual fingerprint of everything the extension defines, for comparing
-- an updated installation with a fresh one (pg_dump prints only
-- CREATE EXTENSION for an extension's members, so it cannot).
\pset format unaligned
\pset tuples_only on
\pset footer off
WITH ext AS (SELECT oid, extconfig, extcondition FROM pg_extension WHERE extname = 'ticket'),
members AS (
    SELECT d.classid, d.objid, d.objsubid FROM pg_depend d, ext
     WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'
)
SELECT 'member: ' || pg_describe_object(classid, objid, objsubid)
       || coalesce(' -- ' || obj_description(objid, (SELECT relname FROM pg_class WHERE oid = classid)), '')
  FROM members
UNION ALL
SELECT 'function: ' || pg_get_functiondef(objid)
  FROM members JOIN pg_proc p ON p.oid = objid WHERE classid = 'pg_proc'::regclass AND p.prokind <> 'a'
UNION ALL
SELECT format('column: %s.%s %s%s%s%s', c.oid::regclass, a.attname, format_type(a.atttypid, a.atttypmod),
              CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END,
              coalesce(' DEFAULT ' || pg_get_expr(ad.adbin, ad.adrelid), ''),
              coalesce(' -- ' || col_description(c.oid, a.attnum), ''))
  FROM members JOIN pg_class c ON c.oid = objid AND classid = 'pg_class'::regclass
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
UNION ALL
SELECT format('constraint: %s %s %s', co.conrelid::regclass, co.conname, pg_get_constraintdef(co.oid))
  FROM members JOIN pg_constraint co ON co.conrelid = objid AND classid = 'pg_class'::regclass
UNION ALL
SELECT 'index: ' || pg_get_indexdef(i.indexrelid)
  FROM members JOIN pg_index i ON i.indrelid = objid AND classid = 'pg_class'::regclass
UNION ALL
SELECT 'trigger: ' || pg_get_triggerdef(t.oid) || ' -- enabled ' || t.tgenabled::text
  FROM members JOIN pg_trigger t ON t.tgrelid = objid AND classid = 'pg_class'::regclass AND NOT t.tgisinternal
UNION ALL
SELECT format('config: %s %s', c::regclass, cond)
  FROM ext, unnest(ext.extconfig, ext.extcondition) AS u(c, cond)
UNION ALL
SELECT format('grant: %s %s', c.oid::regclass, c.relacl)
  FROM members JOIN pg_class c ON c.oid = objid AND classid = 'pg_class'::regclass
UNION ALL
SELECT format('column grant: %s.%s %s', c.oid::regclass, a.attname, a.attacl)
  FROM members JOIN pg_class c ON c.oid = objid AND classid = 'pg_class'::regclass
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attacl IS NOT NULL
UNION ALL
SELECT format('row security: %s enabled %s forced %s', c.oid::regclass, c.relrowsecurity, c.relforcerowsecurity)
  FROM members JOIN pg_class c ON c.oid = objid AND classid = 'pg_class'::regclass AND c.relkind = 'r'
UNION ALL
SELECT format('policy: %s %s %s permissive %s to %s using (%s) with check (%s)', pol.polrelid::regclass,
              pol.polname, pol.polcmd, pol.polpermissive, pol.polroles::regrole[],
              pg_get_expr(pol.polqual, pol.polrelid), pg_get_expr(pol.polwithcheck, pol.polrelid))
  FROM members JOIN pg_policy pol ON pol.polrelid = objid AND classid = 'pg_class'::regclass
UNION ALL
SELECT format('function grant: %s %s', p.oid::regprocedure, p.proacl)
  FROM members JOIN pg_proc p ON p.oid = objid AND classid = 'pg_proc'::regclass
UNION ALL
SELECT format('schema grant: %s %s', n.nspname, n.nspacl)
  FROM members JOIN pg_namespace n ON n.oid = objid AND classid = 'pg_namespace'::regclass
UNION ALL
-- the schema CREATE EXTENSION makes (ticket.control), not a member
SELECT format('schema grant: %s %s -- %s', n.nspname, n.nspacl, obj_description(n.oid, 'pg_namespace'))
  FROM pg_namespace n WHERE n.nspname = 'ticket'
UNION ALL
-- comments on what belongs to the members' tables
SELECT format('comment: constraint %s %s -- %s', co.conrelid::regclass, co.conname, obj_description(co.oid, 'pg_constraint'))
  FROM members JOIN pg_constraint co ON co.conrelid = objid AND classid = 'pg_class'::regclass
 WHERE obj_description(co.oid, 'pg_constraint') IS NOT NULL
UNION ALL
SELECT format('comment: index %s -- %s', i.indexrelid::regclass, obj_description(i.indexrelid, 'pg_class'))
  FROM members JOIN pg_index i ON i.indrelid = objid AND classid = 'pg_class'::regclass
 WHERE obj_description(i.indexrelid, 'pg_class') IS NOT NULL
UNION ALL
SELECT format('comment: trigger %s %s -- %s', t.tgrelid::regclass, t.tgname, obj_description(t.oid, 'pg_trigger'))
  FROM members JOIN pg_trigger t ON t.tgrelid = objid AND classid = 'pg_class'::regclass
 WHERE obj_description(t.oid, 'pg_trigger') IS NOT NULL
UNION ALL
SELECT format('comment: policy %s %s -- %s', pol.polrelid::regclass, pol.polname, obj_description(pol.oid, 'pg_policy'))
  FROM members JOIN pg_policy pol ON pol.polrelid = objid AND classid = 'pg_class'::regclass
 WHERE obj_description(pol.oid, 'pg_policy') IS NOT NULL
UNION ALL
-- publications of the extension's tables
SELECT format('publication: %s %s', p.pubname, pr.prrelid::regclass)
  FROM members JOIN pg_publication_rel pr ON pr.prrelid = objid AND classid = 'pg_class'::regclass
  JOIN pg_publication p ON p.oid = pr.prpubid
UNION ALL
-- how many rows each of its tables holds (shipped rules; nothing else)
SELECT format('rows: %s %s', c.oid::regclass,
              (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %s', c.oid::regclass),
                                                   false, true, '')))[1]::text)
  FROM members JOIN pg_class c ON c.oid = objid AND classid = 'pg_class'::regclass AND c.relkind = 'r'
ORDER BY 1;

-- the shipped rows, which upgrade scripts must leave as a fresh install has them
SELECT 'rows: regime ' || md5(string_agg(r::text, '|' ORDER BY r.regime_id)) FROM ticket.regime r;
SELECT 'rows: regime_band ' || md5(string_agg(b::text, '|' ORDER BY b.regime_id, b.band::text)) FROM ticket.regime_band b;
SELECT 'rows: exemption_rule ' || md5(string_agg(e::text, '|' ORDER BY e.regime_id, e.exemption::text, e.family)) FROM ticket.exemption_rule e;
SELECT 'rows: exemption_scope ' || md5(string_agg(s::text, '|' ORDER BY s.exemption::text, s.service_code)) FROM ticket.exemption_scope s;
SELECT 'rows: service ' || md5(string_agg(v::text, '|' ORDER BY v.code, v.effective_from)) FROM ticket.service v;
SELECT 'rows: nre_region ' || md5(string_agg(n::text, '|' ORDER BY n.region_code)) FROM ticket.nre_region n;
SELECT 'rows: priority_class ' || md5(string_agg(p::text, '|' ORDER BY p.priority)) FROM ticket.priority_class p;
SELECT 'rows: asl ' || md5(string_agg(a::text, '|' ORDER BY a.asl_code)) FROM registry.asl a;
