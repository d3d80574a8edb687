SET LOCAL ROLE krafto_owner;
DROP TRIGGER tenants_branding_in_scope ON tenants;
DROP FUNCTION tenants_branding_in_scope();
RESET ROLE;
