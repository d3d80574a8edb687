-- When sellers are paid (issue 13): the marketplace's payout timing, transfers held until
-- they are due, the charge every transfer of a checkout is funded from, and the sweep that
-- pays the marketplace the share it was owed while its Connect account was not ready.

SET LOCAL ROLE krafto_owner;

-- When sellers are paid: at payment, when the order ships, or N days after delivery (a hold
-- for disputes). marketplace_settings keeps its row-level security and grants (000005).
ALTER TABLE marketplace_settings
    ADD COLUMN payout_timing text NOT NULL DEFAULT 'at_payment'
        CHECK (payout_timing IN ('at_payment', 'at_shipping', 'after_delivery')),
    ADD COLUMN payout_delay_days integer NOT NULL DEFAULT 7
        CHECK (payout_delay_days BETWEEN 0 AND 60);

-- The charge behind the checkout's payment: transfers name it as their source, so they wait
-- for its funds instead of drawing on the platform's available balance.
ALTER TABLE checkouts
    ADD COLUMN charge_id text CHECK (length(charge_id) BETWEEN 1 AND 255);

-- Money the marketplace was owed while its Connect account was not ready, paid in one
-- transfer per currency once it is. Its lines are the per-checkout transfers it pays
-- (transfers.sweep_id), so the ledger records each checkout's share as any transfer.
CREATE TABLE marketplace_sweeps (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    destination text NOT NULL,
    amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
    idempotency_key text NOT NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    gateway_id text,
    last_error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, idempotency_key)
);
-- At most one sweep in flight per currency.
CREATE UNIQUE INDEX marketplace_sweeps_one_pending_idx
    ON marketplace_sweeps (tenant_id, currency) WHERE status = 'pending';
ALTER TABLE marketplace_sweeps ENABLE ROW LEVEL SECURITY;
ALTER TABLE marketplace_sweeps FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON marketplace_sweeps
    USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid))
    WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE ON marketplace_sweeps TO krafto_app;

-- Held transfers (recorded, not yet due) and when they fall due; an amount that refunds
-- brought down to 0 (nothing is sent); the sweep that pays a marketplace's share.
ALTER TABLE transfers
    DROP CONSTRAINT transfers_status_check,
    ADD CONSTRAINT transfers_status_check CHECK (status IN ('held', 'pending', 'sent', 'failed')),
    DROP CONSTRAINT transfers_amount_minor_check,
    ADD CONSTRAINT transfers_amount_minor_check CHECK (amount_minor >= 0),
    ADD COLUMN release_at timestamptz,
    ADD COLUMN sweep_id uuid,
    ADD CONSTRAINT transfers_sweep_fkey FOREIGN KEY (tenant_id, sweep_id)
        REFERENCES marketplace_sweeps (tenant_id, id);
CREATE INDEX transfers_held_idx ON transfers (tenant_id, release_at) WHERE status = 'held';
CREATE INDEX transfers_order_idx ON transfers (tenant_id, order_id) WHERE order_id IS NOT NULL;
CREATE INDEX transfers_sweep_idx ON transfers (tenant_id, sweep_id) WHERE sweep_id IS NOT NULL;

RESET ROLE;
