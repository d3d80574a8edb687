SET LOCAL ROLE krafto_owner;
DROP TABLE staff_sessions;
DROP TABLE user_sessions;
DROP TABLE revoked_tokens;
RESET ROLE;
