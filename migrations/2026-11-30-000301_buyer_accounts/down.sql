SET LOCAL ROLE krafto_owner;
DROP TABLE pickup_places;
DROP TABLE buyer_addresses;
ALTER TABLE users DROP COLUMN erased_at, DROP COLUMN phone;
RESET ROLE;
