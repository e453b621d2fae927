INSERT INTO registry.asl (asl_code, name, shipped) VALUES
    ('080101', 'AUSL di Piacenza', true),
    ('080102', 'AUSL di Parma', true),
    ('080103', 'AUSL di Reggio Emilia', true),
    ('080104', 'AUSL di Modena', true),
    ('080105', 'AUSL di Bologna', true),
    ('080106', 'AUSL di Imola', true),
    ('080109', 'AUSL di Ferrara', true),
    ('080114', 'AUSL della Romagna', true);
