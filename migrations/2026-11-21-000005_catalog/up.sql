-- Catalog: shops, their verification, listings and variants, buyer reports, the operator's
-- marketplace settings, and full-text + trigram search over listings.

-- Extensions are per database and need the migrating (owner or superuser) role.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS btree_gin;

SET LOCAL ROLE krafto_owner;

-- unaccent() is STABLE (its dictionary could change); indexes need an IMMUTABLE wrapper.
CREATE FUNCTION krafto_fold(input text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, input)) $$;

CREATE TABLE marketplace_settings (
    tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
    shop_review_required boolean NOT NULL DEFAULT true,
    listing_review_required boolean NOT NULL DEFAULT false,
    min_photos integer NOT NULL DEFAULT 1 CHECK (min_photos BETWEEN 0 AND 20),
    required_listing_fields text[] NOT NULL DEFAULT '{}'
        CHECK (required_listing_fields <@ ARRAY['category', 'dimensions', 'materials', 'weight', 'tags', 'style', 'processing_time']),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE shops (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    owner_id uuid NOT NULL,
    slug text NOT NULL CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    story text CHECK (length(story) <= 5000),
    city text CHECK (length(city) <= 100),
    region text CHECK (length(region) <= 100),
    country text CHECK (country ~ '^[A-Z]{2}$'),
    latitude double precision CHECK (latitude BETWEEN -90 AND 90),
    longitude double precision CHECK (longitude BETWEEN -180 AND 180),
    profile_image_url text CHECK (profile_image_url ~ '^https?://'),
    banner_url text CHECK (banner_url ~ '^https?://'),
    social_links jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(social_links) = 'object'),
    return_policy text CHECK (length(return_policy) <= 2000),
    processing_days_min integer CHECK (processing_days_min BETWEEN 0 AND 365),
    processing_days_max integer CHECK (processing_days_max BETWEEN 0 AND 365),
    languages text[] NOT NULL DEFAULT '{}',
    status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'pending_review', 'active', 'suspended')),
    status_reason text,
    verified boolean NOT NULL DEFAULT false,
    rating_avg numeric(3, 2),
    rating_count integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, slug),
    UNIQUE (tenant_id, owner_id),
    FOREIGN KEY (tenant_id, owner_id) REFERENCES users (tenant_id, id),
    CHECK ((latitude IS NULL) = (longitude IS NULL)),
    CHECK (processing_days_min IS NULL OR processing_days_max IS NULL OR processing_days_min <= processing_days_max)
);
CREATE INDEX shops_tenant_status_idx ON shops (tenant_id, status, updated_at);

CREATE TABLE shop_verifications (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    shop_id uuid NOT NULL,
    legal_name text NOT NULL CHECK (length(legal_name) BETWEEN 1 AND 200),
    business_type text NOT NULL CHECK (business_type IN ('individual', 'sole_trader', 'company', 'association')),
    address jsonb NOT NULL CHECK (jsonb_typeof(address) = 'object'),
    document_refs text[] NOT NULL CHECK (cardinality(document_refs) BETWEEN 1 AND 10),
    status text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'approved', 'rejected')),
    decision_reason text,
    decided_by uuid,
    submitted_at timestamptz NOT NULL DEFAULT now(),
    decided_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, shop_id) REFERENCES shops (tenant_id, id)
);
CREATE INDEX shop_verifications_shop_idx ON shop_verifications (tenant_id, shop_id, submitted_at DESC);
CREATE INDEX shop_verifications_queue_idx ON shop_verifications (tenant_id, status, submitted_at);

CREATE TABLE listings (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    shop_id uuid NOT NULL,
    title text NOT NULL CHECK (length(title) BETWEEN 1 AND 140),
    description text NOT NULL DEFAULT '' CHECK (length(description) <= 10000),
    price_minor bigint NOT NULL CHECK (price_minor > 0 AND price_minor <= 100000000),
    currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    quantity integer NOT NULL CHECK (quantity BETWEEN 0 AND 1000000),
    category_id uuid,
    tags text[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 20),
    materials text[] NOT NULL DEFAULT '{}' CHECK (cardinality(materials) <= 20),
    length_mm integer CHECK (length_mm > 0),
    width_mm integer CHECK (width_mm > 0),
    height_mm integer CHECK (height_mm > 0),
    weight_g integer CHECK (weight_g > 0),
    processing_days integer CHECK (processing_days BETWEEN 0 AND 365),
    style text CHECK (length(style) <= 60),
    photos jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(photos) = 'array'),
    status text NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'pending_review', 'active', 'out_of_stock', 'rejected', 'archived')),
    status_reason text,
    trending_score double precision NOT NULL DEFAULT 0,
    rating_avg numeric(3, 2),
    rating_count integer NOT NULL DEFAULT 0,
    search_doc tsvector,
    search_text text,
    published_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, shop_id) REFERENCES shops (tenant_id, id),
    FOREIGN KEY (tenant_id, category_id) REFERENCES categories (tenant_id, id)
);
CREATE INDEX listings_shop_idx ON listings (tenant_id, shop_id, status, created_at DESC);
CREATE INDEX listings_browse_idx ON listings (tenant_id, status, created_at DESC, id);
CREATE INDEX listings_price_idx ON listings (tenant_id, status, price_minor, id);
CREATE INDEX listings_category_idx ON listings (tenant_id, category_id, status);
CREATE INDEX listings_review_idx ON listings (tenant_id, status, updated_at) WHERE status = 'pending_review';
CREATE INDEX listings_search_doc_idx ON listings USING gin (tenant_id, search_doc);
CREATE INDEX listings_search_trgm_idx ON listings USING gin (tenant_id, search_text gin_trgm_ops);
CREATE INDEX listings_tags_idx ON listings USING gin (tenant_id, tags);

CREATE TABLE listing_variants (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    listing_id uuid NOT NULL,
    sku text CHECK (length(sku) BETWEEN 1 AND 64),
    options jsonb NOT NULL CHECK (jsonb_typeof(options) = 'object'),
    price_minor bigint CHECK (price_minor > 0 AND price_minor <= 100000000),
    quantity integer NOT NULL CHECK (quantity BETWEEN 0 AND 1000000),
    position integer NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, listing_id) REFERENCES listings (tenant_id, id) ON DELETE CASCADE,
    UNIQUE (tenant_id, listing_id, sku)
);
CREATE INDEX listing_variants_listing_idx ON listing_variants (tenant_id, listing_id, position);

CREATE TABLE reports (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    reporter_id uuid,
    target_kind text NOT NULL CHECK (target_kind IN ('listing', 'shop')),
    target_id uuid NOT NULL,
    reason text NOT NULL CHECK (reason IN ('prohibited_item', 'counterfeit', 'offensive', 'misleading', 'intellectual_property', 'other')),
    details text CHECK (length(details) <= 2000),
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'dismissed')),
    resolution text,
    resolved_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, reporter_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX reports_queue_idx ON reports (tenant_id, status, created_at);

-- Search fields follow the listing (and its shop's name) automatically.
CREATE FUNCTION listings_search_refresh() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    shop_name text;
BEGIN
    SELECT s.name INTO shop_name FROM shops s WHERE s.tenant_id = NEW.tenant_id AND s.id = NEW.shop_id;
    NEW.search_doc :=
        setweight(to_tsvector('simple', krafto_fold(NEW.title)), 'A')
        || setweight(to_tsvector('simple', krafto_fold(array_to_string(NEW.tags, ' ') || ' ' || array_to_string(NEW.materials, ' '))), 'B')
        || setweight(to_tsvector('simple', krafto_fold(coalesce(shop_name, ''))), 'B')
        || setweight(to_tsvector('simple', krafto_fold(NEW.description)), 'C');
    NEW.search_text := krafto_fold(NEW.title || ' ' || array_to_string(NEW.tags, ' ') || ' '
        || array_to_string(NEW.materials, ' ') || ' ' || coalesce(shop_name, ''));
    RETURN NEW;
END
$$;
CREATE TRIGGER listings_search_refresh
    BEFORE INSERT OR UPDATE OF title, description, tags, materials, shop_id ON listings
    FOR EACH ROW EXECUTE FUNCTION listings_search_refresh();

CREATE FUNCTION shops_rename_refresh_listings() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    UPDATE listings SET title = title WHERE tenant_id = NEW.tenant_id AND shop_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER shops_rename_refresh_listings
    AFTER UPDATE OF name ON shops
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION shops_rename_refresh_listings();

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['marketplace_settings', 'shops', 'shop_verifications', 'listings', 'listing_variants', 'reports'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format(
            'CREATE POLICY tenant_isolation ON %I
                USING (tenant_id = (SELECT NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid))
                WITH CHECK (tenant_id = (SELECT NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid))',
            t);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO krafto_app', t);
    END LOOP;
END
$$;
GRANT SELECT, INSERT, UPDATE ON marketplace_settings TO krafto_control;
-- The control plane may read the catalog of the tenant it manages (support, moderation).
GRANT SELECT ON shops, listings TO krafto_control;

RESET ROLE;
