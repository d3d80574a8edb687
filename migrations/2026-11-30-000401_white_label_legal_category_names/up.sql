SET LOCAL ROLE krafto_owner;

-- White label: a marketplace names Krafto only when its plan shows "Powered by"; its
-- e-mails answer to its own support address; its public API documentation is on its host
-- only when it opens its API. Staff set the first and the last; operators set their
-- reply-to address themselves.
ALTER TABLE tenants
    ADD COLUMN powered_by boolean NOT NULL DEFAULT false,
    ADD COLUMN public_api boolean NOT NULL DEFAULT false,
    ADD COLUMN support_email text CHECK (support_email IS NULL OR (length(support_email) <= 254 AND support_email ~ '^[^@[:space:]]+@[^@[:space:]]+$'));
GRANT UPDATE (support_email) ON tenants TO krafto_app;

-- The marketplace's legal pages (terms of sale, legal notice, privacy, contact), written by
-- its operators in the marketplace's language.
CREATE TABLE legal_pages (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    kind text NOT NULL CHECK (kind IN ('terms', 'legal_notice', 'privacy', 'contact')),
    body text NOT NULL CHECK (length(body) <= 100000),
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by uuid,
    PRIMARY KEY (tenant_id, kind),
    FOREIGN KEY (tenant_id, updated_by) REFERENCES users (tenant_id, id) ON DELETE SET NULL (updated_by)
);
ALTER TABLE legal_pages ENABLE ROW LEVEL SECURITY;
ALTER TABLE legal_pages FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON legal_pages
    USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid))
    WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE, DELETE ON legal_pages TO krafto_app;

-- A category's name in each language the marketplace shows (`{"en": "Ceramics"}`); `name`
-- stays the name in the marketplace's own language and the fallback.
ALTER TABLE categories
    ADD COLUMN names jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(names) = 'object');

RESET ROLE;
