SET LOCAL ROLE krafto_owner;
ALTER TABLE categories DROP COLUMN names;
DROP TABLE legal_pages;
REVOKE UPDATE (support_email) ON tenants FROM krafto_app;
ALTER TABLE tenants DROP COLUMN support_email, DROP COLUMN public_api, DROP COLUMN powered_by;
RESET ROLE;
