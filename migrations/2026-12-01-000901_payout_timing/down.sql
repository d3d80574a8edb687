SET LOCAL ROLE krafto_owner;
DROP INDEX transfers_sweep_idx;
DROP INDEX transfers_order_idx;
DROP INDEX transfers_held_idx;
-- Held transfers become due at once; transfers refunds brought to 0 moved nothing.
UPDATE transfers SET status = 'pending' WHERE status = 'held';
DELETE FROM transfers WHERE amount_minor = 0;
ALTER TABLE transfers
    DROP CONSTRAINT transfers_sweep_fkey,
    DROP COLUMN sweep_id,
    DROP COLUMN release_at,
    DROP CONSTRAINT transfers_amount_minor_check,
    ADD CONSTRAINT transfers_amount_minor_check CHECK (amount_minor > 0),
    DROP CONSTRAINT transfers_status_check,
    ADD CONSTRAINT transfers_status_check CHECK (status IN ('pending', 'sent', 'failed'));
DROP TABLE marketplace_sweeps;
ALTER TABLE checkouts DROP COLUMN charge_id;
ALTER TABLE marketplace_settings DROP COLUMN payout_delay_days, DROP COLUMN payout_timing;
RESET ROLE;
