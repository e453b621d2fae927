INSERT INTO ticket.exemption_scope (exemption, service_code, synthetic, shipped) VALUES
    ('013', '90.27.1', true, true),
    ('013', '90.28.1', true, true),
    ('013', 'A-0002', true, true),
    ('0A31', '89.01', true, true),
    ('0A31', '89.52', true, true),
    ('L03', '04.43', true, true),
    ('L03', '89.7.OR', true, true),
    ('M12', '88.74.1', true, true);
