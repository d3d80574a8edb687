-- Commerce: payout accounts, shipping options, carts, checkouts, orders, the double-entry
-- ledger, transfers to connected accounts and the webhook de-duplication log.

SET LOCAL ROLE krafto_owner;

-- The marketplace's own Connect account (its commission is paid there) and what buyers pay
-- on top of item prices, if anything.
ALTER TABLE tenants
    ADD COLUMN buyer_fee_bps integer NOT NULL DEFAULT 0 CHECK (buyer_fee_bps BETWEEN 0 AND 10000),
    ADD COLUMN stripe_account_id text UNIQUE,
    ADD COLUMN stripe_charges_enabled boolean NOT NULL DEFAULT false,
    ADD COLUMN stripe_payouts_enabled boolean NOT NULL DEFAULT false,
    ADD COLUMN stripe_requirements text[] NOT NULL DEFAULT '{}',
    ADD COLUMN stripe_state_at bigint NOT NULL DEFAULT 0;
-- Account webhooks reach the platform, which may refresh the readiness columns only.
GRANT UPDATE (stripe_charges_enabled, stripe_payouts_enabled, stripe_requirements, stripe_state_at)
    ON tenants TO krafto_app;

-- Routes a connected account's events to its marketplace (a control-plane table: it holds
-- no tenant data beyond the mapping, so webhooks can be routed before a tenant is known).
CREATE TABLE payment_accounts (
    account_id text PRIMARY KEY CHECK (length(account_id) BETWEEN 1 AND 255),
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    holder text NOT NULL CHECK (holder IN ('tenant', 'seller')),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payment_accounts_tenant_idx ON payment_accounts (tenant_id);
GRANT SELECT, INSERT ON payment_accounts TO krafto_app, krafto_control;

-- A seller's Express account and its readiness (kept current by account.updated).
CREATE TABLE seller_accounts (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    shop_id uuid NOT NULL,
    account_id text NOT NULL,
    charges_enabled boolean NOT NULL DEFAULT false,
    payouts_enabled boolean NOT NULL DEFAULT false,
    details_submitted boolean NOT NULL DEFAULT false,
    requirements text[] NOT NULL DEFAULT '{}',
    -- `created` of the newest applied account event: older deliveries are ignored.
    state_at bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, shop_id),
    UNIQUE (tenant_id, account_id),
    FOREIGN KEY (tenant_id, shop_id) REFERENCES shops (tenant_id, id)
);

-- How a shop delivers: cost = base + per_item × units.
CREATE TABLE shipping_options (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    shop_id uuid NOT NULL,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    base_minor bigint NOT NULL CHECK (base_minor BETWEEN 0 AND 10000000),
    per_item_minor bigint NOT NULL CHECK (per_item_minor BETWEEN 0 AND 10000000),
    days_min integer NOT NULL CHECK (days_min BETWEEN 0 AND 365),
    days_max integer NOT NULL CHECK (days_max BETWEEN 0 AND 365),
    position integer NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, shop_id) REFERENCES shops (tenant_id, id),
    CHECK (days_min <= days_max)
);
CREATE INDEX shipping_options_shop_idx ON shipping_options (tenant_id, shop_id, position);

-- One cart per signed-in buyer, or per guest cart token (stored hashed).
CREATE TABLE carts (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    user_id uuid,
    guest_token_hash text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, user_id),
    UNIQUE (tenant_id, guest_token_hash),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
    CHECK ((user_id IS NULL) <> (guest_token_hash IS NULL))
);
CREATE INDEX carts_guest_age_idx ON carts (tenant_id, updated_at) WHERE user_id IS NULL;

CREATE TABLE cart_lines (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    cart_id uuid NOT NULL,
    listing_id uuid NOT NULL,
    variant_id uuid,
    quantity integer NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
    -- The unit price when the line was added, to tell the buyer when it changed.
    added_price_minor bigint NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, cart_id) REFERENCES carts (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, listing_id) REFERENCES listings (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, variant_id) REFERENCES listing_variants (tenant_id, id) ON DELETE CASCADE,
    UNIQUE NULLS NOT DISTINCT (tenant_id, cart_id, listing_id, variant_id)
);

-- A checkout: one payment for a whole multi-shop cart. `plan` is the immutable snapshot of
-- what was bought (shops, lines, prices, delivery), from which orders are made on payment.
CREATE TABLE checkouts (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    cart_id uuid NOT NULL,
    buyer_id uuid,
    email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    phone text CHECK (length(phone) BETWEEN 5 AND 32),
    address jsonb NOT NULL CHECK (jsonb_typeof(address) = 'object'),
    currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    items_minor bigint NOT NULL CHECK (items_minor >= 0),
    shipping_minor bigint NOT NULL CHECK (shipping_minor >= 0),
    buyer_fee_minor bigint NOT NULL CHECK (buyer_fee_minor >= 0),
    total_minor bigint NOT NULL CHECK (total_minor = items_minor + shipping_minor + buyer_fee_minor),
    -- Rates in force at checkout (snapshotted again on every order line).
    commission_bps integer NOT NULL,
    platform_fee_bps integer NOT NULL,
    buyer_fee_bps integer NOT NULL,
    plan jsonb NOT NULL,
    status text NOT NULL DEFAULT 'creating'
        CHECK (status IN ('creating', 'awaiting_payment', 'paid', 'failed', 'refund_due')),
    gateway text NOT NULL CHECK (gateway IN ('stripe', 'test')),
    payment_id text,
    client_secret text,
    idempotency_key text NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    request_hash text NOT NULL,
    failure_reason text,
    expires_at timestamptz NOT NULL,
    -- `created` of the newest applied payment event.
    payment_state_at bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    paid_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, idempotency_key),
    UNIQUE (tenant_id, payment_id),
    FOREIGN KEY (tenant_id, buyer_id) REFERENCES users (tenant_id, id)
);

-- Human-readable order numbers, counted per marketplace.
CREATE TABLE order_counters (
    tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
    last_value bigint NOT NULL
);

CREATE TABLE orders (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    number text NOT NULL,
    checkout_id uuid NOT NULL,
    shop_id uuid NOT NULL,
    buyer_id uuid,
    email text NOT NULL,
    phone text,
    address jsonb NOT NULL,
    status text NOT NULL DEFAULT 'placed'
        CHECK (status IN ('placed', 'confirmed', 'shipped', 'out_for_delivery', 'delivered', 'cancelled', 'refunded')),
    currency text NOT NULL,
    items_minor bigint NOT NULL CHECK (items_minor >= 0),
    shipping_minor bigint NOT NULL CHECK (shipping_minor >= 0),
    buyer_fee_minor bigint NOT NULL CHECK (buyer_fee_minor >= 0),
    total_minor bigint NOT NULL CHECK (total_minor = items_minor + shipping_minor + buyer_fee_minor),
    commission_minor bigint NOT NULL CHECK (commission_minor >= 0),
    platform_fee_minor bigint NOT NULL CHECK (platform_fee_minor >= 0),
    seller_net_minor bigint NOT NULL CHECK (seller_net_minor >= 0),
    shipping_option text NOT NULL,
    tracking_number text,
    access_token_hash text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, number),
    UNIQUE (tenant_id, checkout_id, shop_id),
    FOREIGN KEY (tenant_id, checkout_id) REFERENCES checkouts (tenant_id, id),
    FOREIGN KEY (tenant_id, shop_id) REFERENCES shops (tenant_id, id),
    FOREIGN KEY (tenant_id, buyer_id) REFERENCES users (tenant_id, id),
    CHECK (items_minor = seller_net_minor + commission_minor)
);
CREATE INDEX orders_shop_idx ON orders (tenant_id, shop_id, created_at DESC);
CREATE INDEX orders_buyer_idx ON orders (tenant_id, buyer_id, created_at DESC) WHERE buyer_id IS NOT NULL;
CREATE INDEX orders_recent_idx ON orders (tenant_id, created_at DESC);

-- Every line snapshots the price and the rates of the sale, and the resulting amounts.
CREATE TABLE order_lines (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    order_id uuid NOT NULL,
    listing_id uuid NOT NULL,
    variant_id uuid,
    title text NOT NULL,
    variant_label text,
    unit_price_minor bigint NOT NULL CHECK (unit_price_minor > 0),
    quantity integer NOT NULL CHECK (quantity > 0),
    amount_minor bigint NOT NULL CHECK (amount_minor = unit_price_minor * quantity),
    commission_bps integer NOT NULL CHECK (commission_bps BETWEEN 0 AND 10000),
    platform_fee_bps integer NOT NULL CHECK (platform_fee_bps BETWEEN 0 AND 10000),
    seller_net_minor bigint NOT NULL CHECK (seller_net_minor >= 0),
    tenant_share_minor bigint NOT NULL CHECK (tenant_share_minor >= 0),
    platform_fee_minor bigint NOT NULL CHECK (platform_fee_minor >= 0),
    position integer NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
    CHECK (amount_minor = seller_net_minor + tenant_share_minor + platform_fee_minor)
);
CREATE INDEX order_lines_order_idx ON order_lines (tenant_id, order_id, position);

-- Who moved an order, when and why.
CREATE TABLE order_events (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    order_id uuid NOT NULL,
    from_status text,
    to_status text NOT NULL,
    actor_kind text NOT NULL CHECK (actor_kind IN ('buyer', 'seller', 'operator', 'system')),
    actor_id uuid,
    reason text CHECK (length(reason) <= 1000),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
CREATE INDEX order_events_order_idx ON order_events (tenant_id, order_id, created_at);

-- The double-entry ledger. Amounts are signed (debit positive, credit negative); every
-- journal (one business event) sums to zero, checked at commit. Accounts:
-- `clearing` (money held on the Krafto Stripe balance), `seller:<shop id>`, `tenant`,
-- `platform` (Krafto).
CREATE TABLE ledger_entries (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    journal_id uuid NOT NULL,
    checkout_id uuid NOT NULL,
    order_id uuid,
    account text NOT NULL CHECK (account ~ '^(clearing|tenant|platform|seller:[0-9a-f-]{36})$'),
    kind text NOT NULL CHECK (kind IN ('sale', 'shipping', 'commission', 'platform_fee', 'buyer_fee', 'transfer', 'refund')),
    amount_minor bigint NOT NULL CHECK (amount_minor <> 0),
    currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, checkout_id) REFERENCES checkouts (tenant_id, id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
CREATE INDEX ledger_entries_journal_idx ON ledger_entries (tenant_id, journal_id);
CREATE INDEX ledger_entries_account_idx ON ledger_entries (tenant_id, account, created_at);
CREATE INDEX ledger_entries_checkout_idx ON ledger_entries (tenant_id, checkout_id);

CREATE FUNCTION ledger_journal_balances() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    imbalance bigint;
BEGIN
    SELECT sum(amount_minor) INTO imbalance FROM ledger_entries
        WHERE tenant_id = NEW.tenant_id AND journal_id = NEW.journal_id;
    IF imbalance <> 0 THEN
        RAISE EXCEPTION 'ledger journal % does not balance (off by %)', NEW.journal_id, imbalance
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER ledger_journal_balances AFTER INSERT ON ledger_entries
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_journal_balances();

-- Money sent from the platform balance to a connected account; the key makes the gateway
-- call idempotent whatever the retries.
CREATE TABLE transfers (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    checkout_id uuid NOT NULL,
    order_id uuid,
    recipient text NOT NULL CHECK (recipient = 'tenant' OR recipient ~ '^seller:[0-9a-f-]{36}$'),
    destination text NOT NULL,
    amount_minor bigint NOT NULL CHECK (amount_minor > 0),
    currency text NOT NULL,
    idempotency_key text NOT NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    gateway_id text,
    last_error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, idempotency_key),
    FOREIGN KEY (tenant_id, checkout_id) REFERENCES checkouts (tenant_id, id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
CREATE INDEX transfers_checkout_idx ON transfers (tenant_id, checkout_id);

-- Refunds asked of the gateway (order cancellations and refunds).
CREATE TABLE refunds (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    checkout_id uuid NOT NULL,
    order_id uuid,
    amount_minor bigint NOT NULL CHECK (amount_minor > 0),
    reason text NOT NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    gateway_id text,
    last_error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, checkout_id) REFERENCES checkouts (tenant_id, id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);

-- Webhook events already applied, written in the same transaction as their effects.
CREATE TABLE webhook_events (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    event_id text NOT NULL,
    kind text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, event_id)
);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['seller_accounts', 'shipping_options', 'carts', 'cart_lines', 'checkouts',
                             'order_counters', 'orders', 'order_lines', 'order_events', 'ledger_entries',
                             'transfers', 'refunds', 'webhook_events'] LOOP
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
GRANT SELECT, INSERT, UPDATE, DELETE ON seller_accounts, shipping_options, carts, cart_lines TO krafto_app;
GRANT SELECT, INSERT, UPDATE ON checkouts, order_counters, orders, transfers, refunds TO krafto_app;
-- History is append-only.
GRANT SELECT, INSERT ON order_lines, order_events, ledger_entries, webhook_events TO krafto_app;
GRANT SELECT ON orders, order_lines, ledger_entries, seller_accounts TO krafto_control;

RESET ROLE;
