-- Reconciliation (issue 13): per marketplace and UTC day, our records and ledger compared with
-- what the payment provider reports; each run and the differences it found, so the operator
-- console and the control plane can show the latest.

SET LOCAL ROLE krafto_owner;

CREATE TABLE reconciliation_runs (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    -- The UTC day compared.
    day date NOT NULL,
    -- clean: nothing differs; differences: see reconciliation_differences; failed: the
    -- provider could not be read (error says why).
    status text NOT NULL CHECK (status IN ('clean', 'differences', 'failed')),
    -- Whether the provider's books were read (the built-in test gateway keeps none).
    gateway_checked boolean NOT NULL,
    differences integer NOT NULL DEFAULT 0 CHECK (differences >= 0),
    -- What was compared: our movements, and the provider's, that day.
    our_movements integer NOT NULL DEFAULT 0 CHECK (our_movements >= 0),
    gateway_movements integer NOT NULL DEFAULT 0 CHECK (gateway_movements >= 0),
    error text,
    started_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX reconciliation_runs_day_idx ON reconciliation_runs (tenant_id, day DESC, finished_at DESC);

-- One difference: what differs, our reference (an order number, a transfer, an account) and
-- the provider's id, with both amounts when there are two.
CREATE TABLE reconciliation_differences (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    run_id uuid NOT NULL,
    position integer NOT NULL CHECK (position >= 0),
    -- A code the pages put in words (see krafto-i18n reconcile-what-*).
    what text NOT NULL CHECK (what ~ '^[a-z_]{1,64}$'),
    our_ref text,
    gateway_id text,
    our_amount_minor bigint,
    their_amount_minor bigint,
    currency text CHECK (currency ~ '^[A-Z]{3}$'),
    -- The same in English, for the command line and logs.
    detail text NOT NULL,
    PRIMARY KEY (tenant_id, run_id, position),
    FOREIGN KEY (tenant_id, run_id) REFERENCES reconciliation_runs (tenant_id, id) ON DELETE CASCADE
);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['reconciliation_runs', 'reconciliation_differences'] LOOP
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
GRANT SELECT, INSERT ON reconciliation_runs, reconciliation_differences TO krafto_app;
GRANT SELECT ON reconciliation_runs, reconciliation_differences TO krafto_control;

RESET ROLE;
