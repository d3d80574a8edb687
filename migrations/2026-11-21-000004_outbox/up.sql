SET LOCAL ROLE krafto_owner;

-- Transactional outbox: written in the same transaction as the change it announces, claimed
-- by the worker with FOR UPDATE SKIP LOCKED, retried with backoff, parked as 'dead'.
CREATE TABLE outbox (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    kind text NOT NULL CHECK (length(kind) BETWEEN 1 AND 100),
    payload jsonb NOT NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'dead')),
    attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    run_after timestamptz NOT NULL DEFAULT now(),
    locked_until timestamptz,
    last_error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    processed_at timestamptz,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX outbox_tenant_status_idx ON outbox (tenant_id, status, run_after);
-- The worker claims across tenants; per shard (Citus) this index is local, so it need not
-- lead with tenant_id.
CREATE INDEX outbox_claim_idx ON outbox (run_after) WHERE status = 'pending';

ALTER TABLE outbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE outbox FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON outbox
    USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid))
    WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));
-- The worker is the one reader of every tenant's messages, and it can touch nothing else.
CREATE POLICY worker_claims ON outbox TO krafto_worker USING (true) WITH CHECK (true);

GRANT SELECT, INSERT ON outbox TO krafto_app, krafto_control;
GRANT SELECT, UPDATE ON outbox TO krafto_worker;

RESET ROLE;
