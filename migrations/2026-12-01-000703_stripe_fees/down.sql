SET LOCAL ROLE krafto_owner;
UPDATE order_events SET actor_kind = 'operator' WHERE actor_kind = 'staff';
ALTER TABLE order_events DROP CONSTRAINT order_events_actor_kind_check;
ALTER TABLE order_events ADD CONSTRAINT order_events_actor_kind_check
    CHECK (actor_kind IN ('buyer', 'seller', 'operator', 'system'));
DELETE FROM debt_recoveries WHERE debt_id IN (SELECT id FROM debts WHERE reason = 'fee');
DELETE FROM debts WHERE reason = 'fee';
ALTER TABLE debts DROP CONSTRAINT debts_reason_check;
ALTER TABLE debts ADD CONSTRAINT debts_reason_check CHECK (reason IN ('refund', 'dispute'));
DELETE FROM ledger_entries WHERE kind = 'stripe_fee';
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check CHECK (kind IN (
    'sale', 'shipping', 'commission', 'platform_fee', 'buyer_fee', 'transfer', 'refund', 'reversal',
    'dispute', 'dispute_fee'));
ALTER TABLE checkouts DROP COLUMN stripe_fee_minor;
RESET ROLE;
