CREATE VIEW cup.booking_expected AS
 SELECT b.booking_id,
    b.fiscal_code,
    b.service_date,
    b.status,
    b.bill,
    ticket.price(p.services, ticket.effective_band(s.declared_band, b.service_date), s.exemptions, b.service_date) AS expected_bill
   FROM ((cup.booking b
     JOIN fse.prescription p ON ((p.nre = b.nre)))
     CROSS JOIN LATERAL ticket.citizen_status(b.fiscal_code, b.service_date) s(declared_band, exemptions))
  WHERE (b.status <> 'cancelled'::text);

COMMENT ON VIEW cup.booking_expected IS 'every live booking with the bill it would get now (expected_bill); unpaid bookings must hold exactly that';

COMMENT ON COLUMN cup.booking_expected.booking_id IS 'the booking (cup.booking)';

COMMENT ON COLUMN cup.booking_expected.fiscal_code IS 'its patient';

COMMENT ON COLUMN cup.booking_expected.service_date IS 'its service date: the date of the rules and the registry that price it';

COMMENT ON COLUMN cup.booking_expected.status IS 'its status (only booked bookings follow the registry)';

COMMENT ON COLUMN cup.booking_expected.bill IS 'the bill stored on the booking';

COMMENT ON COLUMN cup.booking_expected.expected_bill IS 'the bill ticket.price gives today for the services, with the band and exemptions in force on the service date';
