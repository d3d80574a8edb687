-- Buyer visibility as a column, so search reads one table and its partial indexes.
-- The rule mirrors krafto_core::catalog::visible_to_buyers (a test checks every status pair):
-- the listing is live (active or out_of_stock) and its shop is active.
SET LOCAL ROLE krafto_owner;

ALTER TABLE listings ADD COLUMN public boolean NOT NULL DEFAULT false;

CREATE FUNCTION listings_public_refresh() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    NEW.public := NEW.status IN ('active', 'out_of_stock')
        AND EXISTS (SELECT 1 FROM shops s WHERE s.tenant_id = NEW.tenant_id AND s.id = NEW.shop_id AND s.status = 'active');
    RETURN NEW;
END
$$;
CREATE TRIGGER listings_public_refresh
    BEFORE INSERT OR UPDATE OF status, shop_id ON listings
    FOR EACH ROW EXECUTE FUNCTION listings_public_refresh();

CREATE FUNCTION shops_status_refresh_listings() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    UPDATE listings SET status = status WHERE tenant_id = NEW.tenant_id AND shop_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER shops_status_refresh_listings
    AFTER UPDATE OF status ON shops
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION shops_status_refresh_listings();

-- Backfill as the owner: lift FORCE for the statement, then put it back.
ALTER TABLE listings NO FORCE ROW LEVEL SECURITY;
ALTER TABLE shops NO FORCE ROW LEVEL SECURITY;
UPDATE listings SET status = status;
ALTER TABLE listings FORCE ROW LEVEL SECURITY;
ALTER TABLE shops FORCE ROW LEVEL SECURITY;

-- Search reads only public listings: partial indexes per sort, for facets, and for text.
DROP INDEX listings_search_doc_idx;
DROP INDEX listings_search_trgm_idx;
DROP INDEX listings_tags_idx;
CREATE INDEX listings_public_newest_idx ON listings (tenant_id, created_at DESC, id DESC) WHERE public;
CREATE INDEX listings_public_price_idx ON listings (tenant_id, price_minor, id) WHERE public;
CREATE INDEX listings_public_trending_idx ON listings (tenant_id, trending_score DESC, id DESC) WHERE public;
CREATE INDEX listings_public_rating_idx ON listings (tenant_id, (coalesce(rating_avg, 0)) DESC, id DESC) WHERE public;
CREATE INDEX listings_public_facets_idx ON listings (tenant_id, category_id, price_minor) WHERE public;
CREATE INDEX listings_public_text_idx ON listings USING gin (tenant_id, search_doc) WHERE public;
CREATE INDEX listings_public_trgm_idx ON listings USING gin (tenant_id, search_text gin_trgm_ops) WHERE public;
CREATE INDEX listings_public_tags_idx ON listings USING gin (tenant_id, tags) WHERE public;

RESET ROLE;
