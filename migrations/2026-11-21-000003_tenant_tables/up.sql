SET LOCAL ROLE krafto_owner;

-- Tenant tables. Each one: tenant_id NOT NULL, a primary key that leads with tenant_id,
-- foreign keys that include tenant_id, forced row-level security with the one policy shape.

CREATE TABLE users (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    email text NOT NULL CHECK (email = lower(email) AND length(email) <= 254),
    role text NOT NULL CHECK (role IN ('buyer', 'seller', 'operator')),
    display_name text CHECK (length(display_name) <= 120),
    created_at timestamptz NOT NULL DEFAULT now(),
    last_login_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, email)
);
CREATE INDEX users_tenant_role_idx ON users (tenant_id, role);

CREATE TABLE categories (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    parent_id uuid,
    slug text NOT NULL CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    description text CHECK (length(description) <= 1000),
    position integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, slug),
    FOREIGN KEY (tenant_id, parent_id) REFERENCES categories (tenant_id, id),
    CHECK (parent_id IS DISTINCT FROM id)
);
CREATE INDEX categories_tenant_parent_idx ON categories (tenant_id, parent_id, position);

CREATE TABLE one_time_codes (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    email text NOT NULL,
    code_hash text NOT NULL,
    requested_ip text,
    attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    expires_at timestamptz NOT NULL,
    consumed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX one_time_codes_email_idx ON one_time_codes (tenant_id, email, created_at DESC);
CREATE INDEX one_time_codes_ip_idx ON one_time_codes (tenant_id, requested_ip, created_at DESC);

-- Append-only: who did what to which tenant. The platform and control plane may insert and
-- read, never change or delete.
CREATE TABLE audit_log (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    actor_kind text NOT NULL CHECK (actor_kind IN ('staff', 'operator', 'user', 'system')),
    actor_id uuid,
    actor_label text NOT NULL,
    action text NOT NULL,
    target text NOT NULL,
    details jsonb NOT NULL DEFAULT '{}',
    request_id text,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_log_tenant_time_idx ON audit_log (tenant_id, created_at DESC, id DESC);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['users', 'categories', 'one_time_codes', 'audit_log'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format(
            'CREATE POLICY tenant_isolation ON %I
                USING (tenant_id = (SELECT NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid))
                WITH CHECK (tenant_id = (SELECT NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid))',
            t);
    END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE, DELETE ON users, categories, one_time_codes TO krafto_app;
GRANT SELECT, INSERT ON audit_log TO krafto_app;
GRANT SELECT, INSERT, UPDATE ON users, categories TO krafto_control;
GRANT SELECT, INSERT ON audit_log TO krafto_control;

RESET ROLE;
