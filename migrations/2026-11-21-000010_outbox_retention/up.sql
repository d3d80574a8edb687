-- Delivered messages are kept for a while (to inspect), then the worker prunes them.
SET LOCAL ROLE krafto_owner;
GRANT DELETE ON outbox TO krafto_worker;
CREATE INDEX outbox_done_idx ON outbox (processed_at) WHERE status = 'done';
RESET ROLE;
