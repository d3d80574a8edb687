-- Stripe's processing fee of each charge, read from its balance transaction, so that the
-- marketplace's net is true: the fee leaves clearing and is borne by the marketplace (taken
-- from its transfer of that checkout when not yet sent, otherwise owed and netted from its
-- next transfer).

SET LOCAL ROLE krafto_owner;

ALTER TABLE checkouts ADD COLUMN stripe_fee_minor bigint CHECK (stripe_fee_minor >= 0);

ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check CHECK (kind IN (
    'sale', 'shipping', 'commission', 'platform_fee', 'buyer_fee', 'transfer', 'refund', 'reversal',
    'dispute', 'dispute_fee', 'stripe_fee'));

ALTER TABLE debts DROP CONSTRAINT debts_reason_check;
ALTER TABLE debts ADD CONSTRAINT debts_reason_check CHECK (reason IN ('refund', 'dispute', 'fee'));

-- Krafto staff may refund an order (from the control plane): its history says so.
ALTER TABLE order_events DROP CONSTRAINT order_events_actor_kind_check;
ALTER TABLE order_events ADD CONSTRAINT order_events_actor_kind_check
    CHECK (actor_kind IN ('buyer', 'seller', 'operator', 'staff', 'system'));

RESET ROLE;
