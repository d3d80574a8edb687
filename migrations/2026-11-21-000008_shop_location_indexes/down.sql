DROP INDEX shops_latitude_idx;
DROP INDEX shops_region_idx;
DROP INDEX shops_city_idx;
