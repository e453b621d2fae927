CREATE TABLE ticket.role_binding (
    role_name name NOT NULL,
    asl_code text,
    gp_code text,
    bound_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT role_binding_one_scope CHECK ((num_nonnulls(asl_code, gp_code) = 1))
);

COMMENT ON TABLE ticket.role_binding IS 'what a CUP operator''s or GP''s role acts for: one ASL (its bookings) or one GP code (its patients); written by the DBA';

COMMENT ON COLUMN ticket.role_binding.role_name IS 'the login role (or a group role the policies see as current_user)';

COMMENT ON COLUMN ticket.role_binding.asl_code IS 'for a member of ticket_cup_operator: the ASL whose bookings it sees and changes';

COMMENT ON COLUMN ticket.role_binding.gp_code IS 'for a member of ticket_gp: the GP whose patients it sees and prescribes for';

COMMENT ON COLUMN ticket.role_binding.bound_at IS 'when the binding was written';

ALTER TABLE ONLY ticket.role_binding
    ADD CONSTRAINT role_binding_pkey PRIMARY KEY (role_name);

ALTER TABLE ONLY ticket.role_binding
    ADD CONSTRAINT role_binding_asl_code_fkey FOREIGN KEY (asl_code) REFERENCES registry.asl(asl_code);

ALTER TABLE ONLY ticket.role_binding
    ADD CONSTRAINT role_binding_gp_code_fkey FOREIGN KEY (gp_code) REFERENCES registry.gp(gp_code);

SELECT pg_catalog.pg_extension_config_dump('ticket.role_binding', '');
