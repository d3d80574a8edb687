SET LOCAL ROLE krafto_owner;

-- Sign-in codes requested per e-mail address across every marketplace, so that one address
-- cannot be flooded with codes by asking many marketplaces. A control-plane table: no
-- tenant, and no address either, only its keyed hash (HMAC with a key derived from the root
-- key), which cannot be turned back into an address without that key.
CREATE TABLE otp_address_requests (
    id uuid PRIMARY KEY,
    address_hash text NOT NULL CHECK (address_hash ~ '^[0-9a-f]{64}$'),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX otp_address_requests_address_idx ON otp_address_requests (address_hash, created_at);
CREATE INDEX otp_address_requests_created_idx ON otp_address_requests (created_at);

GRANT SELECT, INSERT, DELETE ON otp_address_requests TO krafto_app;

RESET ROLE;
