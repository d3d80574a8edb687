SET LOCAL ROLE krafto_owner;
DROP TABLE commission_overrides;
RESET ROLE;
