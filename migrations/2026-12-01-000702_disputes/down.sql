SET LOCAL ROLE krafto_owner;
DELETE FROM ledger_entries WHERE kind IN ('dispute', 'dispute_fee');
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check CHECK (kind IN (
    'sale', 'shipping', 'commission', 'platform_fee', 'buyer_fee', 'transfer', 'refund', 'reversal'));
ALTER TABLE debts DROP COLUMN dispute_id;
ALTER TABLE transfer_reversals DROP COLUMN dispute_id;
DROP TABLE dispute_shares, disputes, payment_routes;
RESET ROLE;
