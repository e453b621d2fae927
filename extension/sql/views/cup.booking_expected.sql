CREATE VIEW cup.booking_expected AS
 SELECT b.booking_id,
    b.fiscal_code,
    b.service_date,
    b.status,
    b.bill,
    ticket.price(p.services, ticket.effective_band(d.band, b.service_date), COALESCE(g.exemptions, '{}'::ticket.exemption[]), b.service_date) AS expected_bill
   FROM (((cup.booking b
     JOIN fse.prescription p ON ((p.nre = b.nre)))
     LEFT JOIN LATERAL ( SELECT d_1.band
           FROM registry.declaration d_1
          WHERE ((d_1.fiscal_code OPERATOR(ticket.=) b.fiscal_code) AND (d_1.applies_from <= b.service_date) AND ((d_1.valid_until IS NULL) OR (d_1.valid_until > b.service_date)))) d ON (true))
     LEFT JOIN LATERAL ( SELECT array_agg(g_1.exemption ORDER BY g_1.exemption) AS exemptions
           FROM registry.exemption_grant g_1
          WHERE ((g_1.fiscal_code OPERATOR(ticket.=) b.fiscal_code) AND (lower(g_1.effective) <= b.service_date) AND (upper_inf(g_1.effective) OR (upper(g_1.effective) > b.service_date)))) g ON (true))
  WHERE (b.status <> 'cancelled'::text);

COMMENT ON VIEW cup.booking_expected IS 'every live booking with the bill it would get now (expected_bill); unpaid bookings must hold exactly that';

COMMENT ON COLUMN cup.booking_expected.booking_id IS 'the booking (cup.booking)';

COMMENT ON COLUMN cup.booking_expected.fiscal_code IS 'its patient';

COMMENT ON COLUMN cup.booking_expected.service_date IS 'its service date: the date of the rules and the registry that price it';

COMMENT ON COLUMN cup.booking_expected.status IS 'its status (only booked bookings follow the registry)';

COMMENT ON COLUMN cup.booking_expected.bill IS 'the bill stored on the booking';

COMMENT ON COLUMN cup.booking_expected.expected_bill IS 'the bill ticket.price gives today for the services, with the band and exemptions in force on the service date';
