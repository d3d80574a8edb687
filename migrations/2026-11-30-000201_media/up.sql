-- Pictures people upload, stored by krafto-media (object storage) and named here by their
-- content address (`image_key`, 64 hex digits) and the widths stored of each.

SET LOCAL ROLE krafto_owner;

-- A listing's uploaded photos, in the seller's order. (`listings.photos` keeps the photos
-- given by URL, and shows the uploaded ones first: see platform's catalog::photos.)
CREATE TABLE listing_photos (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    id uuid NOT NULL,
    listing_id uuid NOT NULL,
    position integer NOT NULL CHECK (position BETWEEN 0 AND 1000),
    alt text NOT NULL DEFAULT '' CHECK (length(alt) <= 300),
    image_key text NOT NULL CHECK (image_key ~ '^[0-9a-f]{64}$'),
    widths integer[] NOT NULL CHECK (cardinality(widths) BETWEEN 1 AND 3 AND 0 < ALL (widths)),
    width integer NOT NULL CHECK (width > 0),
    height integer NOT NULL CHECK (height > 0),
    -- Where an imported photo was fetched from (CSV import); NULL for uploads.
    source_url text CHECK (source_url ~ '^https?://'),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, listing_id) REFERENCES listings (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX listing_photos_listing_idx ON listing_photos (tenant_id, listing_id, position);

ALTER TABLE listing_photos ENABLE ROW LEVEL SECURITY;
ALTER TABLE listing_photos FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON listing_photos
    USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid))
    WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE, DELETE ON listing_photos TO krafto_app;
GRANT SELECT ON listing_photos TO krafto_control;

-- A shop's uploaded logo and banner: {key, widths, width, height}.
ALTER TABLE shops
    ADD COLUMN logo_image jsonb CHECK (jsonb_typeof(logo_image) = 'object'),
    ADD COLUMN banner_image jsonb CHECK (jsonb_typeof(banner_image) = 'object');

-- The marketplace's uploaded logo, changed by its operators like the rest of the branding
-- (and held to the same scope by the trigger of 000013, which now watches it too).
ALTER TABLE tenants
    ADD COLUMN logo_image jsonb CHECK (jsonb_typeof(logo_image) = 'object');
GRANT UPDATE (logo_image) ON tenants TO krafto_app;
DROP TRIGGER tenants_branding_in_scope ON tenants;
CREATE TRIGGER tenants_branding_in_scope
    BEFORE UPDATE OF display_name, logo_url, logo_image, primary_color, accent_color, tagline ON tenants
    FOR EACH ROW EXECUTE FUNCTION tenants_branding_in_scope();

RESET ROLE;
