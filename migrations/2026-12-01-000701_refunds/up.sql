-- Refunds per order line: buyers ask, sellers and operators decide, and an executed refund
-- gives back exactly its allocation (krafto_core::refund) through the gateway, reverses the
-- sellers' and the marketplace's transfers in proportion, and turns what a connected account
-- could not give back into a debt netted from its next transfers.

SET LOCAL ROLE krafto_owner;

-- Whether Krafto gives its own fee back when an order is refunded (otherwise the marketplace
-- returns it out of its share). Set by Krafto staff in the control plane.
ALTER TABLE tenants ADD COLUMN refund_platform_fee boolean NOT NULL DEFAULT false;

-- Where an order's money stands, apart from its fulfilment.
ALTER TABLE orders ADD COLUMN payment_status text NOT NULL DEFAULT 'paid'
    CHECK (payment_status IN ('paid', 'partially_refunded', 'refunded'));

-- The order's history says who asked for or made a refund, how much and why, besides its
-- moves (from_status = to_status when the status did not change).
ALTER TABLE order_events
    ADD COLUMN kind text NOT NULL DEFAULT 'status'
        CHECK (kind IN ('status', 'refund_requested', 'refund_declined', 'refund')),
    ADD COLUMN amount_minor bigint CHECK (amount_minor >= 0);

-- A buyer's (or anyone's) request to refund some units of some lines of one order.
CREATE TABLE refund_requests (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    order_id uuid NOT NULL,
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'declined', 'withdrawn')),
    reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
    requested_by text NOT NULL CHECK (requested_by IN ('buyer', 'seller', 'operator', 'staff')),
    requested_by_id uuid,
    decided_by text CHECK (decided_by IN ('buyer', 'seller', 'operator', 'staff', 'system')),
    decided_by_id uuid,
    decision_reason text CHECK (length(decision_reason) <= 1000),
    decided_at timestamptz,
    refund_id uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
    CHECK ((status = 'open') = (decided_at IS NULL))
);
CREATE INDEX refund_requests_order_idx ON refund_requests (tenant_id, order_id);
CREATE INDEX refund_requests_open_idx ON refund_requests (tenant_id, created_at) WHERE status = 'open';

CREATE TABLE refund_request_lines (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    request_id uuid NOT NULL,
    order_line_id uuid NOT NULL,
    quantity integer NOT NULL CHECK (quantity > 0),
    -- True while the request is open: one open request per line.
    open boolean NOT NULL DEFAULT true,
    PRIMARY KEY (tenant_id, request_id, order_line_id),
    FOREIGN KEY (tenant_id, request_id) REFERENCES refund_requests (tenant_id, id),
    FOREIGN KEY (tenant_id, order_line_id) REFERENCES order_lines (tenant_id, id)
);
CREATE UNIQUE INDEX refund_request_lines_one_open ON refund_request_lines (tenant_id, order_line_id) WHERE open;

-- An executed refund's allocation (what the buyer gets back, and from whom). Refunds made
-- before this migration (whole orders, sold-out checkouts) have no rows here.
ALTER TABLE refunds
    ADD COLUMN currency text CHECK (currency ~ '^[A-Z]{3}$'),
    ADD COLUMN items_minor bigint NOT NULL DEFAULT 0 CHECK (items_minor >= 0),
    ADD COLUMN shipping_minor bigint NOT NULL DEFAULT 0 CHECK (shipping_minor >= 0),
    ADD COLUMN buyer_fee_minor bigint NOT NULL DEFAULT 0 CHECK (buyer_fee_minor >= 0),
    ADD COLUMN seller_minor bigint NOT NULL DEFAULT 0 CHECK (seller_minor >= 0),
    ADD COLUMN tenant_minor bigint NOT NULL DEFAULT 0 CHECK (tenant_minor >= 0),
    ADD COLUMN platform_minor bigint NOT NULL DEFAULT 0 CHECK (platform_minor >= 0),
    ADD COLUMN allocated boolean NOT NULL DEFAULT false,
    ADD COLUMN actor_kind text CHECK (actor_kind IN ('buyer', 'seller', 'operator', 'staff', 'system')),
    ADD COLUMN actor_id uuid,
    ADD COLUMN request_id uuid,
    ADD FOREIGN KEY (tenant_id, request_id) REFERENCES refund_requests (tenant_id, id),
    ADD CHECK (NOT allocated OR amount_minor = items_minor + shipping_minor + buyer_fee_minor),
    ADD CHECK (NOT allocated OR amount_minor = seller_minor + tenant_minor + platform_minor);
CREATE INDEX refunds_order_idx ON refunds (tenant_id, order_id);

CREATE TABLE refund_lines (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    refund_id uuid NOT NULL,
    order_line_id uuid NOT NULL,
    quantity integer NOT NULL CHECK (quantity > 0),
    amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
    seller_net_minor bigint NOT NULL CHECK (seller_net_minor >= 0),
    tenant_share_minor bigint NOT NULL CHECK (tenant_share_minor >= 0),
    platform_fee_minor bigint NOT NULL CHECK (platform_fee_minor >= 0),
    PRIMARY KEY (tenant_id, refund_id, order_line_id),
    FOREIGN KEY (tenant_id, refund_id) REFERENCES refunds (tenant_id, id),
    FOREIGN KEY (tenant_id, order_line_id) REFERENCES order_lines (tenant_id, id),
    CHECK (amount_minor = seller_net_minor + tenant_share_minor + platform_fee_minor)
);
CREATE INDEX refund_lines_line_idx ON refund_lines (tenant_id, order_line_id);

-- A transfer not yet sent may be reduced by a refund, down to nothing.
ALTER TABLE transfers DROP CONSTRAINT transfers_amount_minor_check;
ALTER TABLE transfers ADD CONSTRAINT transfers_amount_minor_check CHECK (amount_minor >= 0);
-- When the recipient's debts were netted from this transfer (once, before it is sent).
ALTER TABLE transfers ADD COLUMN netted_at timestamptz;
CREATE INDEX transfers_recipient_idx ON transfers (tenant_id, recipient, status);

-- Money taken back from a connected account: part of a transfer reversed at the gateway.
CREATE TABLE transfer_reversals (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    transfer_id uuid NOT NULL,
    refund_id uuid,
    recipient text NOT NULL CHECK (recipient = 'tenant' OR recipient ~ '^seller:[0-9a-f-]{36}$'),
    amount_minor bigint NOT NULL CHECK (amount_minor > 0),
    currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    idempotency_key text NOT NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    gateway_id text,
    last_error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, idempotency_key),
    FOREIGN KEY (tenant_id, transfer_id) REFERENCES transfers (tenant_id, id),
    FOREIGN KEY (tenant_id, refund_id) REFERENCES refunds (tenant_id, id)
);
CREATE INDEX transfer_reversals_transfer_idx ON transfer_reversals (tenant_id, transfer_id);

-- What a seller (or the marketplace) owes back because a reversal could not be made: netted
-- from its next transfers until recovered.
CREATE TABLE debts (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    recipient text NOT NULL CHECK (recipient = 'tenant' OR recipient ~ '^seller:[0-9a-f-]{36}$'),
    currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    amount_minor bigint NOT NULL CHECK (amount_minor > 0),
    recovered_minor bigint NOT NULL DEFAULT 0 CHECK (recovered_minor BETWEEN 0 AND amount_minor),
    reason text NOT NULL CHECK (reason IN ('refund', 'dispute')),
    refund_id uuid,
    reversal_id uuid,
    order_id uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    settled_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, reversal_id),
    FOREIGN KEY (tenant_id, refund_id) REFERENCES refunds (tenant_id, id),
    FOREIGN KEY (tenant_id, reversal_id) REFERENCES transfer_reversals (tenant_id, id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
    CHECK ((settled_at IS NOT NULL) = (recovered_minor = amount_minor))
);
CREATE INDEX debts_open_idx ON debts (tenant_id, recipient, created_at) WHERE settled_at IS NULL;

CREATE TABLE debt_recoveries (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    debt_id uuid NOT NULL,
    transfer_id uuid NOT NULL,
    amount_minor bigint NOT NULL CHECK (amount_minor > 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, debt_id) REFERENCES debts (tenant_id, id),
    FOREIGN KEY (tenant_id, transfer_id) REFERENCES transfers (tenant_id, id)
);
CREATE INDEX debt_recoveries_debt_idx ON debt_recoveries (tenant_id, debt_id);
CREATE INDEX debt_recoveries_transfer_idx ON debt_recoveries (tenant_id, transfer_id);

-- Money coming back from a connected account is a ledger movement of its own.
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check CHECK (kind IN (
    'sale', 'shipping', 'commission', 'platform_fee', 'buyer_fee', 'transfer', 'refund', 'reversal'));

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['refund_requests', 'refund_request_lines', 'refund_lines',
                             'transfer_reversals', 'debts', 'debt_recoveries'] LOOP
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
GRANT SELECT, INSERT, UPDATE ON refund_requests, refund_request_lines, transfer_reversals, debts TO krafto_app;
-- History is append-only.
GRANT SELECT, INSERT ON refund_lines, debt_recoveries TO krafto_app;
GRANT SELECT ON refund_requests, refund_lines, refunds, transfers, transfer_reversals, debts TO krafto_control;

RESET ROLE;
