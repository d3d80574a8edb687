-- `tenants` has no row-level security (hosts resolve across marketplaces), so the branding
-- grant of 000012 let the platform's role restyle any marketplace if its code ever named the
-- wrong row. The database now holds the line itself: when the platform's role changes a
-- marketplace's branding, the row must be the marketplace its transaction is scoped to
-- (`app.tenant_id`, set by `Db::tenant`). The control plane's role is not concerned.
SET LOCAL ROLE krafto_owner;
CREATE FUNCTION tenants_branding_in_scope() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_user = 'krafto_app'
        AND NEW.id IS DISTINCT FROM NULLIF(current_setting('app.tenant_id', true), '')::uuid
    THEN
        RAISE EXCEPTION 'a marketplace may change only its own branding'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER tenants_branding_in_scope
    BEFORE UPDATE OF display_name, logo_url, primary_color, accent_color, tagline ON tenants
    FOR EACH ROW EXECUTE FUNCTION tenants_branding_in_scope();
RESET ROLE;
