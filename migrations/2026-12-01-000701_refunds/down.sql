SET LOCAL ROLE krafto_owner;
DROP TABLE debt_recoveries, debts, transfer_reversals, refund_lines, refund_request_lines, refund_requests;
DELETE FROM ledger_entries WHERE kind = 'reversal';
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_kind_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check CHECK (kind IN (
    'sale', 'shipping', 'commission', 'platform_fee', 'buyer_fee', 'transfer', 'refund'));
DROP INDEX transfers_recipient_idx;
ALTER TABLE transfers DROP COLUMN netted_at;
ALTER TABLE transfers DROP CONSTRAINT transfers_amount_minor_check;
ALTER TABLE transfers ADD CONSTRAINT transfers_amount_minor_check CHECK (amount_minor > 0);
DROP INDEX refunds_order_idx;
ALTER TABLE refunds DROP COLUMN request_id, DROP COLUMN actor_id, DROP COLUMN actor_kind,
    DROP COLUMN allocated, DROP COLUMN platform_minor, DROP COLUMN tenant_minor,
    DROP COLUMN seller_minor, DROP COLUMN buyer_fee_minor, DROP COLUMN shipping_minor,
    DROP COLUMN items_minor, DROP COLUMN currency;
ALTER TABLE orders DROP COLUMN payment_status;
DELETE FROM order_events WHERE kind <> 'status';
ALTER TABLE order_events DROP COLUMN amount_minor, DROP COLUMN kind;
ALTER TABLE tenants DROP COLUMN refund_platform_fee;
RESET ROLE;
