DROP TABLE audit_log;
DROP TABLE one_time_codes;
DROP TABLE categories;
DROP TABLE users;
