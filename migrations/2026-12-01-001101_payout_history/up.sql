-- Sellers' payout history (issue 13): the Stripe payouts of each seller's connected account,
-- kept current by `payout.*` events on the Connect endpoint in any order and any number of
-- deliveries. What a payout contains is read from transfers, reversals and debt recoveries
-- (see platform/src/commerce/payout_history.rs).

SET LOCAL ROLE krafto_owner;

CREATE TABLE seller_payouts (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    -- Stripe's payout id (`po_…`).
    gateway_id text NOT NULL CHECK (length(gateway_id) BETWEEN 1 AND 255),
    shop_id uuid NOT NULL,
    amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
    currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    status text NOT NULL CHECK (status IN ('pending', 'in_transit', 'paid', 'failed', 'canceled')),
    -- When Stripe created the payout (the end of what it pays out) and when it arrives.
    payout_created_at timestamptz NOT NULL,
    arrival_date timestamptz,
    failure_code text CHECK (length(failure_code) <= 255),
    failure_message text CHECK (length(failure_message) <= 2000),
    -- `created` of the newest event applied: older deliveries leave the row as it is.
    state_at bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, gateway_id),
    FOREIGN KEY (tenant_id, shop_id) REFERENCES shops (tenant_id, id)
);
CREATE INDEX seller_payouts_shop_idx ON seller_payouts (tenant_id, shop_id, payout_created_at DESC);

ALTER TABLE seller_payouts ENABLE ROW LEVEL SECURITY;
ALTER TABLE seller_payouts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON seller_payouts
    USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid))
    WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE ON seller_payouts TO krafto_app;
GRANT SELECT ON seller_payouts TO krafto_control;

RESET ROLE;
