SET LOCAL ROLE krafto_owner;

-- Control-plane tables: one row per marketplace, its hosts, and Krafto staff. They carry no
-- row-level security; instead the platform role may only read the two it routes with.
CREATE TABLE tenants (
    id uuid PRIMARY KEY,
    slug text NOT NULL UNIQUE
        CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$' AND slug NOT LIKE '%--%'),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    suspended_reason text,
    template text NOT NULL CHECK (template IN ('handmade', 'farm', 'b2b')),
    currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    locale text NOT NULL CHECK (locale ~ '^[a-z]{2,3}(-[A-Z]{2})?$'),
    display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 120),
    logo_url text CHECK (logo_url ~ '^https?://'),
    primary_color text NOT NULL CHECK (primary_color ~ '^#[0-9a-f]{6}$'),
    accent_color text NOT NULL CHECK (accent_color ~ '^#[0-9a-f]{6}$'),
    tagline text CHECK (length(tagline) <= 200),
    seller_commission_bps integer NOT NULL CHECK (seller_commission_bps BETWEEN 0 AND 10000),
    platform_fee_bps integer NOT NULL CHECK (platform_fee_bps BETWEEN 0 AND 10000),
    minimum_order_minor bigint NOT NULL DEFAULT 0 CHECK (minimum_order_minor >= 0),
    features jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(features) = 'object'),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (platform_fee_bps <= seller_commission_bps),
    CHECK ((status = 'suspended') = (suspended_reason IS NOT NULL))
);
CREATE INDEX tenants_status_id_idx ON tenants (status, id);

-- Custom domains. `{slug}.{base domain}` hosts are implicit and never stored here.
CREATE TABLE tenant_domains (
    host text PRIMARY KEY CHECK (host = lower(host) AND host ~ '^[a-z0-9.-]+$'),
    tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    verified boolean NOT NULL DEFAULT false,
    is_primary boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tenant_domains_tenant_idx ON tenant_domains (tenant_id);
CREATE UNIQUE INDEX tenant_domains_one_primary ON tenant_domains (tenant_id) WHERE is_primary;

CREATE TABLE staff (
    id uuid PRIMARY KEY,
    email text NOT NULL UNIQUE CHECK (email = lower(email)),
    password_hash text NOT NULL,
    disabled boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_login_at timestamptz
);

GRANT SELECT ON tenants, tenant_domains TO krafto_app, krafto_worker;
GRANT SELECT, INSERT, UPDATE, DELETE ON tenants, tenant_domains, staff TO krafto_control;

RESET ROLE;
