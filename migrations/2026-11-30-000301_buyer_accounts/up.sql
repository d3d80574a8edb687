-- Buyers' accounts (issue 12): a phone on the profile, an address book, and pickup places
-- for delivery options collected at the seller's.

SET LOCAL ROLE krafto_owner;

-- The buyer's phone, given on their account page (prefills checkout). `erased_at` marks an
-- account whose personal data was erased at its owner's request (its orders are kept).
ALTER TABLE users
    ADD COLUMN phone text CHECK (length(phone) BETWEEN 5 AND 32),
    ADD COLUMN erased_at timestamptz;

-- A buyer's saved delivery addresses; at most one is the default.
CREATE TABLE buyer_addresses (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    user_id uuid NOT NULL,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    line1 text NOT NULL CHECK (length(line1) BETWEEN 1 AND 200),
    line2 text CHECK (length(line2) <= 200),
    postal_code text NOT NULL CHECK (length(postal_code) BETWEEN 1 AND 20),
    city text NOT NULL CHECK (length(city) BETWEEN 1 AND 100),
    region text CHECK (length(region) <= 200),
    country text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    is_default boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX buyer_addresses_user_idx ON buyer_addresses (tenant_id, user_id, created_at);
CREATE UNIQUE INDEX buyer_addresses_one_default_idx ON buyer_addresses (tenant_id, user_id) WHERE is_default;
ALTER TABLE buyer_addresses ENABLE ROW LEVEL SECURITY;
ALTER TABLE buyer_addresses FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON buyer_addresses
    USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid))
    WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));

-- A delivery option collected at the seller's: where and when. An option with a pickup
-- place is a pickup option (the buyer gives no shipping address for it).
CREATE TABLE pickup_places (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    option_id uuid NOT NULL,
    address text NOT NULL CHECK (length(address) BETWEEN 1 AND 300),
    hours text NOT NULL CHECK (length(hours) BETWEEN 1 AND 300),
    PRIMARY KEY (tenant_id, option_id),
    FOREIGN KEY (tenant_id, option_id) REFERENCES shipping_options (tenant_id, id) ON DELETE CASCADE
);
ALTER TABLE pickup_places ENABLE ROW LEVEL SECURITY;
ALTER TABLE pickup_places FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON pickup_places
    USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid))
    WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));

GRANT SELECT, INSERT, UPDATE, DELETE ON buyer_addresses, pickup_places TO krafto_app;

RESET ROLE;
