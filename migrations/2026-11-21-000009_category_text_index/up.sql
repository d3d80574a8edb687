-- Text within a category: one GIN index answers both conditions together. Without it the
-- planner walks the category's listings and checks the words row by row.
SET LOCAL ROLE krafto_owner;
CREATE INDEX listings_public_category_text_idx ON listings USING gin (tenant_id, category_id, search_doc) WHERE public;
RESET ROLE;
