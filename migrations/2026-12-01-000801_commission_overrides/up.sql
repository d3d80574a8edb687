-- Commission overrides (issue 13): a marketplace's operators agree another seller
-- commission rate with a shop, or set one for a category (and its subcategories without
-- one of their own). The rule that picks a line's rate is krafto_core::commission; the rate
-- is frozen in the checkout's plan and on each order line, so changing or removing an
-- override never reprices a past sale.

SET LOCAL ROLE krafto_owner;

CREATE TABLE commission_overrides (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    -- Exactly one of the two.
    shop_id uuid,
    category_id uuid,
    -- Never below the marketplace's platform fee when set (checked by the platform, which
    -- knows the fee; the fee is paid out of the commission).
    commission_bps integer NOT NULL CHECK (commission_bps BETWEEN 0 AND 10000),
    note text CHECK (length(note) BETWEEN 1 AND 300),
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by uuid,
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by uuid,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT commission_overrides_one_target CHECK ((shop_id IS NULL) <> (category_id IS NULL)),
    CONSTRAINT commission_overrides_one_per_shop UNIQUE (tenant_id, shop_id),
    CONSTRAINT commission_overrides_one_per_category UNIQUE (tenant_id, category_id),
    -- A deleted category takes its override with it; shops are never deleted, only closed.
    FOREIGN KEY (tenant_id, shop_id) REFERENCES shops (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, category_id) REFERENCES categories (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id) ON DELETE SET NULL (created_by),
    FOREIGN KEY (tenant_id, updated_by) REFERENCES users (tenant_id, id) ON DELETE SET NULL (updated_by)
);
ALTER TABLE commission_overrides ENABLE ROW LEVEL SECURITY;
ALTER TABLE commission_overrides FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON commission_overrides
    USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid))
    WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE, DELETE ON commission_overrides TO krafto_app;

RESET ROLE;
