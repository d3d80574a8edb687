SET LOCAL ROLE krafto_owner;
DROP TRIGGER tenants_branding_in_scope ON tenants;
CREATE TRIGGER tenants_branding_in_scope
    BEFORE UPDATE OF display_name, logo_url, primary_color, accent_color, tagline ON tenants
    FOR EACH ROW EXECUTE FUNCTION tenants_branding_in_scope();
REVOKE UPDATE (logo_image) ON tenants FROM krafto_app;
ALTER TABLE tenants DROP COLUMN logo_image;
ALTER TABLE shops DROP COLUMN logo_image, DROP COLUMN banner_image;
DROP TABLE listing_photos;
RESET ROLE;
