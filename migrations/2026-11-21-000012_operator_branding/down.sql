SET LOCAL ROLE krafto_owner;
REVOKE UPDATE (display_name, logo_url, primary_color, accent_color, tagline, updated_at)
    ON tenants FROM krafto_app;
RESET ROLE;
