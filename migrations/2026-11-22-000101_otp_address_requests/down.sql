SET LOCAL ROLE krafto_owner;
DROP TABLE otp_address_requests;
RESET ROLE;
