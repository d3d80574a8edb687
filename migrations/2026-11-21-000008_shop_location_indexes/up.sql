-- Search filters shops by folded city and region and by a latitude band. Expression indexes
-- give the planner statistics for those expressions (and a way in), so it estimates how many
-- shops match instead of guessing.
SET LOCAL ROLE krafto_owner;
CREATE INDEX shops_city_idx ON shops (tenant_id, krafto_fold(city));
CREATE INDEX shops_region_idx ON shops (tenant_id, krafto_fold(region));
CREATE INDEX shops_latitude_idx ON shops (tenant_id, latitude) WHERE latitude IS NOT NULL;
RESET ROLE;
