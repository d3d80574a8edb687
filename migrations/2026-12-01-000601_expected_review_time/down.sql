SET LOCAL ROLE krafto_owner;
ALTER TABLE marketplace_settings
    DROP CONSTRAINT marketplace_settings_review_time_range,
    DROP COLUMN review_time_unit,
    DROP COLUMN review_time_amount;
RESET ROLE;
