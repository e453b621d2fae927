CREATE TYPE ticket.item AS (
	code text,
	kind text,
	branch text,
	tariff numeric(8,2),
	quantity integer
);

COMMENT ON TYPE ticket.item IS 'one line of a prescription: kind is first_visit, control_visit, exam, ct_mri, ambulatory_surgery, drug, er_access, er_consultation (a further consultation asked for in the emergency room) or er_exam (an exam the emergency room prescribed)';
