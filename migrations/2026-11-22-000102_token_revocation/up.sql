SET LOCAL ROLE krafto_owner;

-- Revoked tokens, by the revocation id of their biscuit (hex): a control-plane table with no
-- tenant data. Every instance keeps the unexpired ones in memory and checks each
-- authenticated request against them; rows past their token's expiry are pruned.
CREATE TABLE revoked_tokens (
    revocation_id text PRIMARY KEY CHECK (revocation_id ~ '^[0-9a-f]+$' AND length(revocation_id) <= 512),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX revoked_tokens_revoked_idx ON revoked_tokens (revoked_at);
CREATE INDEX revoked_tokens_expires_idx ON revoked_tokens (expires_at);

-- The tokens handed to a marketplace's users, so that removing an operator ends every
-- session they hold. A tenant table.
CREATE TABLE user_sessions (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    revocation_id text NOT NULL CHECK (revocation_id ~ '^[0-9a-f]+$' AND length(revocation_id) <= 512),
    user_id uuid NOT NULL,
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, revocation_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX user_sessions_user_idx ON user_sessions (tenant_id, user_id, expires_at);
ALTER TABLE user_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON user_sessions
    USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid))
    WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));

-- The tokens handed to staff, so that removing a staff member or changing their password
-- ends every session they hold.
CREATE TABLE staff_sessions (
    revocation_id text PRIMARY KEY CHECK (revocation_id ~ '^[0-9a-f]+$' AND length(revocation_id) <= 512),
    staff_id uuid NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX staff_sessions_staff_idx ON staff_sessions (staff_id, expires_at);

GRANT SELECT, INSERT, DELETE ON revoked_tokens TO krafto_app, krafto_control;
GRANT SELECT, INSERT, DELETE ON user_sessions TO krafto_app, krafto_control;
GRANT SELECT, INSERT, DELETE ON staff_sessions TO krafto_control;

RESET ROLE;
