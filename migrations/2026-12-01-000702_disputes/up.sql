-- Disputes and chargebacks (seed 002, seed 000 P-REF-02, A-DISP-01): a record per Stripe
-- dispute, kept current by `charge.dispute.*` events in any order and any number of
-- deliveries; the money it withdrew charged to the sellers of the disputed orders (and taken
-- back from their transfers, as for refunds); evidence prepared by the operator.

SET LOCAL ROLE krafto_owner;

-- Routes a payment's events (disputes name the payment intent, not our metadata) to its
-- marketplace: a control-plane table holding only the mapping, like payment_accounts.
CREATE TABLE payment_routes (
    payment_id text PRIMARY KEY CHECK (length(payment_id) BETWEEN 1 AND 255),
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payment_routes_tenant_idx ON payment_routes (tenant_id);
GRANT SELECT, INSERT ON payment_routes TO krafto_app, krafto_control;

-- Payments made before this migration, marketplace by marketplace (checkouts are behind
-- row-level security, even for their owner).
DO $$
DECLARE
    t uuid;
BEGIN
    FOR t IN SELECT id FROM tenants LOOP
        PERFORM set_config('app.tenant_id', t::text, true);
        INSERT INTO payment_routes (payment_id, tenant_id)
            SELECT payment_id, tenant_id FROM checkouts WHERE payment_id IS NOT NULL
            ON CONFLICT DO NOTHING;
    END LOOP;
    PERFORM set_config('app.tenant_id', '', true);
END
$$;

CREATE TABLE disputes (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    -- Stripe's dispute id (`dp_…`).
    gateway_id text NOT NULL CHECK (length(gateway_id) BETWEEN 1 AND 255),
    checkout_id uuid NOT NULL,
    payment_id text NOT NULL,
    charge_id text,
    amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
    currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    reason text NOT NULL,
    -- Stripe's status: warning_needs_response, warning_under_review, warning_closed,
    -- needs_response, under_review, won, lost (kept as Stripe says it).
    status text NOT NULL CHECK (length(status) BETWEEN 1 AND 64),
    evidence_due_by timestamptz,
    -- `created` of the newest event applied to the status: older deliveries leave it.
    state_at bigint NOT NULL DEFAULT 0,
    -- The money movements, each posted once whatever the order of the events.
    withdrawn_minor bigint NOT NULL DEFAULT 0 CHECK (withdrawn_minor >= 0),
    fee_minor bigint NOT NULL DEFAULT 0 CHECK (fee_minor >= 0),
    withdrawn_at timestamptz,
    reinstated_minor bigint NOT NULL DEFAULT 0 CHECK (reinstated_minor >= 0),
    fee_returned_minor bigint NOT NULL DEFAULT 0 CHECK (fee_returned_minor >= 0),
    reinstated_at timestamptz,
    -- What the operator prepares for Stripe (text, tracking, uploaded file ids).
    evidence jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(evidence) = 'object'),
    evidence_submitted_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, gateway_id),
    FOREIGN KEY (tenant_id, checkout_id) REFERENCES checkouts (tenant_id, id)
);
CREATE INDEX disputes_checkout_idx ON disputes (tenant_id, checkout_id);
CREATE INDEX disputes_open_idx ON disputes (tenant_id, evidence_due_by)
    WHERE status NOT IN ('won', 'lost', 'warning_closed');

-- Each seller's part of a dispute's money (withdrawn, fee, reinstated).
CREATE TABLE dispute_shares (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    dispute_id uuid NOT NULL,
    order_id uuid NOT NULL,
    recipient text NOT NULL CHECK (recipient ~ '^seller:[0-9a-f-]{36}$'),
    amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
    fee_minor bigint NOT NULL CHECK (fee_minor >= 0),
    PRIMARY KEY (tenant_id, dispute_id, order_id),
    FOREIGN KEY (tenant_id, dispute_id) REFERENCES disputes (tenant_id, id),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);

ALTER TABLE transfer_reversals ADD COLUMN dispute_id uuid,
    ADD FOREIGN KEY (tenant_id, dispute_id) REFERENCES disputes (tenant_id, id);
ALTER TABLE debts ADD COLUMN dispute_id uuid,
    ADD FOREIGN KEY (tenant_id, dispute_id) REFERENCES disputes (tenant_id, id);

ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check CHECK (kind IN (
    'sale', 'shipping', 'commission', 'platform_fee', 'buyer_fee', 'transfer', 'refund', 'reversal',
    'dispute', 'dispute_fee'));

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['disputes', 'dispute_shares'] LOOP
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
GRANT SELECT, INSERT, UPDATE ON disputes TO krafto_app;
GRANT SELECT, INSERT ON dispute_shares TO krafto_app;
GRANT SELECT ON disputes, dispute_shares TO krafto_control;

RESET ROLE;
