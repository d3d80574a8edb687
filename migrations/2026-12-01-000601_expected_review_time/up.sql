-- How long the marketplace's review of a shop, a listing or a verification usually takes,
-- as its operators say it to sellers ("usually within 2 days"): an amount of hours or days.
-- marketplace_settings keeps its row-level security and grants (000005); new columns are
-- covered by the table's grants.

SET LOCAL ROLE krafto_owner;

ALTER TABLE marketplace_settings
    ADD COLUMN review_time_amount integer NOT NULL DEFAULT 2,
    ADD COLUMN review_time_unit text NOT NULL DEFAULT 'days'
        CHECK (review_time_unit IN ('hours', 'days')),
    ADD CONSTRAINT marketplace_settings_review_time_range CHECK (
        (review_time_unit = 'hours' AND review_time_amount BETWEEN 1 AND 168)
        OR (review_time_unit = 'days' AND review_time_amount BETWEEN 1 AND 30)
    );

RESET ROLE;
