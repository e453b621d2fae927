INSERT INTO ticket.priority_class (priority, description, max_wait_visit, max_wait_exam, shipped) VALUES
    ('B', 'short: within 10 days', 10, 10, true),
    ('D', 'deferrable: 30 days for visits, 60 for diagnostics', 30, 60, true),
    ('P', 'planned: within 120 days', 120, 120, true),
    ('U', 'urgent: within 72 hours', 3, 3, true);
