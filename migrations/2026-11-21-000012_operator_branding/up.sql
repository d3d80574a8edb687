-- Operators restyle their own marketplace from its console: the platform may change the
-- branding columns of `tenants` and nothing else of it (fees, status, slug and the Connect
-- account stay with the control plane). `tenants` has no row-level security, so the
-- platform's code scopes every such update to the tenant its host resolved to.
SET LOCAL ROLE krafto_owner;
GRANT UPDATE (display_name, logo_url, primary_color, accent_color, tagline, updated_at)
    ON tenants TO krafto_app;
RESET ROLE;
