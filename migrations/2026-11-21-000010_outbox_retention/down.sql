DROP INDEX outbox_done_idx;
REVOKE DELETE ON outbox FROM krafto_worker;
