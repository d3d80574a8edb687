DROP TABLE staff;
DROP TABLE tenant_domains;
DROP TABLE tenants;
