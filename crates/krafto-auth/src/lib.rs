//! Authentication: biscuit tokens signed by the deployment root key, e-mail one-time codes,
//! and staff password hashing.
//!
//! Token verification is local (signature, expiry, tenant match, and the in-memory list of
//! revoked tokens) and must never read the database on the request path. Codes and
//! passwords are never stored or logged in the clear.

pub mod revocation;

pub use revocation::{RevocationList, Revocations};

use argon2::Argon2;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use biscuit_auth::macros::{authorizer, biscuit};
use biscuit_auth::{Algorithm, Biscuit, KeyPair, PrivateKey, PublicKey};
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use krafto_core::Role;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use std::time::SystemTime;
use uuid::Uuid;

/// How long a marketplace user's session token lives.
pub const USER_TOKEN_TTL: Duration = Duration::days(7);
/// How long a staff token lives.
pub const STAFF_TOKEN_TTL: Duration = Duration::hours(12);

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error(
        "KRAFTO_ROOT_KEY must be 64 hex characters (an ed25519 private key); generate one with `tenant-admin keygen`"
    )]
    BadRootKey,
    #[error("the token is malformed, forged, expired or for another audience")]
    InvalidToken,
    #[error("could not mint a token: {0}")]
    Mint(String),
}

/// Who a verified platform token speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserClaims {
    pub tenant_id: Uuid,
    pub user_id: Uuid,
    pub role: Role,
}

/// A verified staff token: the claims plus the e-mail it was minted for (for audit labels).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffIdentity {
    pub staff_id: Uuid,
    pub email: String,
}

/// A verified user token: its claims, expiry (unix seconds) and revocation ids (hex, one per
/// block).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserSessionToken {
    pub claims: UserClaims,
    pub expires: i64,
    pub revocation_ids: Vec<String>,
}

/// A verified staff token: who, its expiry (unix seconds) and revocation ids (hex).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffSessionToken {
    pub identity: StaffIdentity,
    pub expires: i64,
    pub revocation_ids: Vec<String>,
}

fn revocation_ids(biscuit: &Biscuit) -> Vec<String> {
    biscuit
        .revocation_identifiers()
        .iter()
        .map(hex::encode)
        .collect()
}

/// Mints and verifies tokens with the deployment's root key pair.
#[derive(Clone)]
pub struct TokenKeys {
    root: std::sync::Arc<KeyPair>,
    public: PublicKey,
    /// Derived from the root key; keys the one-time-code hashes.
    code_key: [u8; 32],
    /// Derived from the root key; keys the pages' form tokens.
    form_key: [u8; 32],
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenKeys")
            .field("public", &self.public.to_bytes_hex())
            .finish()
    }
}

impl TokenKeys {
    /// Loads the root key from its hex form (as in `KRAFTO_ROOT_KEY`).
    pub fn from_hex(secret: &SecretString) -> Result<Self, AuthError> {
        let hex_key = secret.expose_secret().trim();
        if hex_key.len() != 64 {
            return Err(AuthError::BadRootKey);
        }
        let private = PrivateKey::from_bytes_hex(hex_key, Algorithm::Ed25519)
            .map_err(|_| AuthError::BadRootKey)?;
        Ok(Self::from_private(&private))
    }

    /// A fresh random key (tests, `tenant-admin keygen`).
    pub fn generate() -> Self {
        Self::from_private(&KeyPair::new().private())
    }

    fn from_private(private: &PrivateKey) -> Self {
        let root = KeyPair::from(private);
        let derive = |purpose: &[u8]| -> [u8; 32] {
            let mut h = Sha256::new();
            h.update(purpose);
            h.update(private.to_bytes().as_slice());
            h.finalize().into()
        };
        Self {
            public: root.public(),
            root: std::sync::Arc::new(root),
            code_key: derive(b"krafto one-time code key v1\0"),
            form_key: derive(b"krafto form token key v1\0"),
        }
    }

    /// The key of the pages' form tokens (`krafto_web::csrf`), derived from the root key so
    /// every instance agrees without another secret.
    pub fn form_key(&self) -> [u8; 32] {
        self.form_key
    }

    /// The private key as hex, for `tenant-admin keygen`.
    pub fn private_hex(&self) -> SecretString {
        SecretString::from(self.root.private().to_bytes_hex())
    }

    /// Mints a session token for a marketplace user.
    pub fn mint_user(
        &self,
        claims: UserClaims,
        now: DateTime<Utc>,
    ) -> Result<(String, DateTime<Utc>), AuthError> {
        let expires = now + USER_TOKEN_TTL;
        let token = biscuit!(
            r#"
            tenant({tenant});
            user({user});
            role({role});
            expires_at({expires_secs});
            check if time($t), $t < {expires};
            "#,
            tenant = claims.tenant_id.to_string(),
            user = claims.user_id.to_string(),
            role = claims.role.as_str(),
            expires_secs = expires.timestamp(),
            expires = SystemTime::from(expires),
        )
        .build(&self.root)
        .and_then(|b| b.to_base64())
        .map_err(|e| AuthError::Mint(e.to_string()))?;
        Ok((token, expires))
    }

    /// Verifies a user token presented on the host of `host_tenant`. A token minted for any
    /// other tenant, a staff token, an expired or forged one: all refused the same way.
    pub fn verify_user(&self, token: &str, host_tenant: Uuid) -> Result<UserClaims, AuthError> {
        self.verify_user_until(token, host_tenant)
            .map(|(claims, _)| claims)
    }

    /// Like [`TokenKeys::verify_user`], also returning when the token expires (unix seconds).
    pub fn verify_user_until(
        &self,
        token: &str,
        host_tenant: Uuid,
    ) -> Result<(UserClaims, i64), AuthError> {
        self.verify_user_session(token, host_tenant)
            .map(|s| (s.claims, s.expires))
    }

    /// Like [`TokenKeys::verify_user`], also returning the token's expiry and revocation ids
    /// (without checking them against any revocation list).
    pub fn verify_user_session(
        &self,
        token: &str,
        host_tenant: Uuid,
    ) -> Result<UserSessionToken, AuthError> {
        let biscuit =
            Biscuit::from_base64(token.trim(), self.public).map_err(|_| AuthError::InvalidToken)?;
        let host = host_tenant.to_string();
        let mut authorizer = authorizer!(
            r#"
            host_tenant({host_tenant});
            allow if tenant($t), host_tenant($t), user($u), role($r);
            deny if true;
            "#,
            host_tenant = host,
        )
        .time()
        .set_limits(limits())
        .build(&biscuit)
        .map_err(|_| AuthError::InvalidToken)?;
        authorizer
            .authorize()
            .map_err(|_| AuthError::InvalidToken)?;
        let facts: Vec<(String, String, i64)> = authorizer
            .query("data($u, $r, $e) <- user($u), role($r), expires_at($e)")
            .map_err(|_| AuthError::InvalidToken)?;
        let (user, role, expires) = facts.into_iter().next().ok_or(AuthError::InvalidToken)?;
        let claims = UserClaims {
            tenant_id: host_tenant,
            user_id: Uuid::parse_str(&user).map_err(|_| AuthError::InvalidToken)?,
            role: Role::parse(&role).map_err(|_| AuthError::InvalidToken)?,
        };
        Ok(UserSessionToken {
            claims,
            expires,
            revocation_ids: revocation_ids(&biscuit),
        })
    }

    /// Mints a control-plane token for a staff member.
    pub fn mint_staff(
        &self,
        claims: &StaffIdentity,
        now: DateTime<Utc>,
    ) -> Result<(String, DateTime<Utc>), AuthError> {
        let expires = now + STAFF_TOKEN_TTL;
        let token = biscuit!(
            r#"
            staff({staff}, {email});
            expires_at({expires_secs});
            check if time($t), $t < {expires};
            "#,
            staff = claims.staff_id.to_string(),
            email = claims.email.clone(),
            expires_secs = expires.timestamp(),
            expires = SystemTime::from(expires),
        )
        .build(&self.root)
        .and_then(|b| b.to_base64())
        .map_err(|e| AuthError::Mint(e.to_string()))?;
        Ok((token, expires))
    }

    /// Verifies a control-plane token; marketplace tokens are refused.
    pub fn verify_staff(&self, token: &str) -> Result<StaffIdentity, AuthError> {
        self.verify_staff_session(token).map(|s| s.identity)
    }

    /// Like [`TokenKeys::verify_staff`], also returning the token's expiry and revocation
    /// ids (without checking them against any revocation list).
    pub fn verify_staff_session(&self, token: &str) -> Result<StaffSessionToken, AuthError> {
        let biscuit =
            Biscuit::from_base64(token.trim(), self.public).map_err(|_| AuthError::InvalidToken)?;
        let mut authorizer = authorizer!(
            r#"
            allow if staff($s, $e);
            deny if true;
            "#
        )
        .time()
        .set_limits(limits())
        .build(&biscuit)
        .map_err(|_| AuthError::InvalidToken)?;
        authorizer
            .authorize()
            .map_err(|_| AuthError::InvalidToken)?;
        let facts: Vec<(String, String)> = authorizer
            .query("data($s, $e) <- staff($s, $e)")
            .map_err(|_| AuthError::InvalidToken)?;
        let (staff, email) = facts.into_iter().next().ok_or(AuthError::InvalidToken)?;
        let expires: Vec<(i64,)> = authorizer
            .query("data($e) <- expires_at($e)")
            .map_err(|_| AuthError::InvalidToken)?;
        Ok(StaffSessionToken {
            identity: StaffIdentity {
                staff_id: Uuid::parse_str(&staff).map_err(|_| AuthError::InvalidToken)?,
                email,
            },
            // Tokens minted before the fact existed live at most this long.
            expires: expires
                .first()
                .map(|(e,)| *e)
                .unwrap_or_else(|| (Utc::now() + STAFF_TOKEN_TTL).timestamp()),
            revocation_ids: revocation_ids(&biscuit),
        })
    }

    /// The revocation id of a token this key signed (its first block's), as sessions are
    /// recorded by: revoking it revokes the token and anything derived from it.
    pub fn revocation_id(&self, token: &str) -> Result<String, AuthError> {
        let biscuit =
            Biscuit::from_base64(token.trim(), self.public).map_err(|_| AuthError::InvalidToken)?;
        revocation_ids(&biscuit)
            .into_iter()
            .next()
            .ok_or(AuthError::InvalidToken)
    }

    /// The keyed hash stored for a one-time code. Keyed (HMAC) because six digits are
    /// trivially brute-forced from a plain hash; bound to tenant and e-mail so a hash is
    /// worthless anywhere else.
    pub fn hash_code(&self, tenant_id: Uuid, email: &str, code: &str) -> String {
        hex::encode(
            self.code_mac(tenant_id, email, code)
                .finalize()
                .into_bytes(),
        )
    }

    /// Constant-time comparison of a presented code with a stored hash.
    pub fn code_matches(
        &self,
        tenant_id: Uuid,
        email: &str,
        code: &str,
        stored_hash: &str,
    ) -> bool {
        let Ok(stored) = hex::decode(stored_hash) else {
            return false;
        };
        self.code_mac(tenant_id, email, code)
            .verify_slice(&stored)
            .is_ok()
    }

    /// The keyed hash of an e-mail address, as the control plane's per-address counters
    /// store it: the same in every marketplace, and no use without the root key.
    pub fn address_hash(&self, email: &str) -> String {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.code_key).expect("HMAC takes any key length");
        mac.update(b"address\0");
        mac.update(email.trim().to_lowercase().as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// The access token of a guest order: an HMAC of the order id, so it needs no storage and
    /// survives resending the e-mail; it opens that one order and nothing else.
    pub fn order_access_token(&self, tenant_id: Uuid, order_id: Uuid) -> String {
        hex::encode(&self.order_mac(tenant_id, order_id).finalize().into_bytes()[..20])
    }

    /// Constant-time check of a presented order access token.
    pub fn order_token_matches(&self, tenant_id: Uuid, order_id: Uuid, presented: &str) -> bool {
        let Ok(bytes) = hex::decode(presented) else {
            return false;
        };
        self.order_mac(tenant_id, order_id)
            .verify_truncated_left(&bytes)
            .is_ok()
            && bytes.len() == 20
    }

    fn order_mac(&self, tenant_id: Uuid, order_id: Uuid) -> Hmac<Sha256> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.code_key).expect("HMAC takes any key length");
        mac.update(b"order-access\0");
        mac.update(tenant_id.as_bytes());
        mac.update(order_id.as_bytes());
        mac
    }

    fn code_mac(&self, tenant_id: Uuid, email: &str, code: &str) -> Hmac<Sha256> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.code_key).expect("HMAC takes any key length");
        mac.update(tenant_id.as_bytes());
        mac.update(email.as_bytes());
        mac.update(b"\0");
        mac.update(code.as_bytes());
        mac
    }
}

/// Verifies user tokens, remembering each verified token (by its SHA-256) until it expires
/// or for five minutes, whichever is sooner: a signature check and a datalog run per
/// request would otherwise dominate the request path. Every answer, cached or not, is
/// checked against the revocation list.
#[derive(Clone)]
pub struct UserTokenVerifier {
    keys: TokenKeys,
    verified: moka::sync::Cache<[u8; 32], std::sync::Arc<UserSessionToken>>,
    revoked: RevocationList,
}

impl std::fmt::Debug for UserTokenVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserTokenVerifier")
            .field("cached", &self.verified.entry_count())
            .finish()
    }
}

impl UserTokenVerifier {
    pub fn new(keys: TokenKeys, revoked: RevocationList) -> Self {
        let verified = moka::sync::Cache::builder()
            .max_capacity(200_000)
            .time_to_live(std::time::Duration::from_secs(300))
            .build();
        Self {
            keys,
            verified,
            revoked,
        }
    }

    /// Same answer as [`TokenKeys::verify_user`], and a revoked token is refused alike.
    pub fn verify(&self, token: &str, host_tenant: Uuid) -> Result<UserClaims, AuthError> {
        self.verify_session(token, host_tenant).map(|s| s.claims)
    }

    /// Like [`UserTokenVerifier::verify`], with the token's expiry and revocation ids.
    pub fn verify_session(
        &self,
        token: &str,
        host_tenant: Uuid,
    ) -> Result<std::sync::Arc<UserSessionToken>, AuthError> {
        let key: [u8; 32] = Sha256::digest(token.trim().as_bytes()).into();
        let now = Utc::now().timestamp();
        let session = match self.verified.get(&key) {
            Some(s) => s,
            None => {
                let s = std::sync::Arc::new(self.keys.verify_user_session(token, host_tenant)?);
                self.verified.insert(key, s.clone());
                s
            }
        };
        if session.claims.tenant_id != host_tenant
            || session.expires <= now
            || self.revoked.contains_any(&session.revocation_ids)
        {
            return Err(AuthError::InvalidToken);
        }
        Ok(session)
    }
}

/// Datalog run limits. The library's default allows 1 ms, which a loaded machine overshoots
/// for even these tiny policies, refusing valid tokens; the facts and iterations stay small.
fn limits() -> biscuit_auth::AuthorizerLimits {
    biscuit_auth::AuthorizerLimits {
        max_time: std::time::Duration::from_millis(100),
        ..biscuit_auth::AuthorizerLimits::default()
    }
}

/// A uniformly random six-digit code, zero-padded.
pub fn generate_code() -> String {
    // Rejection sampling keeps every code equally likely.
    const LIMIT: u32 = u32::MAX - (u32::MAX % 1_000_000);
    loop {
        let n = OsRng.next_u32();
        if n < LIMIT {
            return format!("{:06}", n % 1_000_000);
        }
    }
}

/// Whether `code` has the shape of a sign-in code (six ASCII digits).
pub fn is_code_shaped(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())
}

/// Hashes a staff password with Argon2id and a random salt.
pub fn hash_password(password: &SecretString) -> Result<String, AuthError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.expose_secret().as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AuthError::Mint(e.to_string()))
}

/// Checks a password against a stored Argon2 hash.
pub fn verify_password(password: &SecretString, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|h| {
            Argon2::default()
                .verify_password(password.expose_secret().as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Burns the time of one password verification, so an unknown e-mail answers as slowly as a
/// wrong password (no account enumeration by timing).
pub fn verify_password_dummy(password: &SecretString) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let hash = DUMMY.get_or_init(|| {
        hash_password(&SecretString::from("krafto-dummy-password")).unwrap_or_default()
    });
    let _ = verify_password(password, hash);
}

/// A fresh random secret (256 bits, hex), e.g. a guest cart token.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// SHA-256 of a secret, hex: what is stored instead of the secret itself.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(tenant: Uuid) -> UserClaims {
        UserClaims {
            tenant_id: tenant,
            user_id: Uuid::now_v7(),
            role: Role::Operator,
        }
    }

    #[test]
    fn a_user_token_verifies_on_its_own_tenant_only() {
        let keys = TokenKeys::generate();
        let a = Uuid::now_v7();
        let b = Uuid::now_v7();
        let c = claims(a);
        let (token, _) = keys.mint_user(c, Utc::now()).unwrap();
        assert_eq!(keys.verify_user(&token, a).unwrap(), c);
        assert!(keys.verify_user(&token, b).is_err());
        assert!(
            keys.verify_staff(&token).is_err(),
            "a user token is not a staff token"
        );
    }

    #[test]
    fn the_caching_verifier_answers_like_the_keys_and_never_crosses_tenants() {
        let keys = TokenKeys::generate();
        let verifier = UserTokenVerifier::new(keys.clone(), RevocationList::default());
        let a = Uuid::now_v7();
        let c = claims(a);
        let (token, _) = keys.mint_user(c, Utc::now()).unwrap();
        assert_eq!(verifier.verify(&token, a).unwrap(), c);
        assert_eq!(verifier.verify(&token, a).unwrap(), c, "cached");
        assert!(
            verifier.verify(&token, Uuid::now_v7()).is_err(),
            "cached, other tenant"
        );
        let (old, _) = keys
            .mint_user(c, Utc::now() - USER_TOKEN_TTL - Duration::minutes(1))
            .unwrap();
        assert!(verifier.verify(&old, a).is_err());
        assert!(verifier.verify("garbage", a).is_err());
    }

    #[test]
    fn expired_and_foreign_tokens_are_refused() {
        let keys = TokenKeys::generate();
        let other = TokenKeys::generate();
        let a = Uuid::now_v7();
        let (old, _) = keys
            .mint_user(
                claims(a),
                Utc::now() - USER_TOKEN_TTL - Duration::minutes(1),
            )
            .unwrap();
        assert!(keys.verify_user(&old, a).is_err());
        let (forged, _) = other.mint_user(claims(a), Utc::now()).unwrap();
        assert!(keys.verify_user(&forged, a).is_err());
        assert!(keys.verify_user("not a token", a).is_err());
    }

    #[test]
    fn staff_tokens_verify_and_are_refused_as_user_tokens() {
        let keys = TokenKeys::generate();
        let staff = StaffIdentity {
            staff_id: Uuid::now_v7(),
            email: "ops@krafto.example".into(),
        };
        let (token, _) = keys.mint_staff(&staff, Utc::now()).unwrap();
        assert_eq!(keys.verify_staff(&token).unwrap(), staff);
        assert!(keys.verify_user(&token, Uuid::now_v7()).is_err());
    }

    #[test]
    fn root_key_round_trips_through_hex_and_bad_keys_are_named() {
        let keys = TokenKeys::generate();
        let again = TokenKeys::from_hex(&keys.private_hex()).unwrap();
        let t = Uuid::now_v7();
        let (token, _) = keys.mint_user(claims(t), Utc::now()).unwrap();
        assert!(again.verify_user(&token, t).is_ok());
        let err = TokenKeys::from_hex(&SecretString::from("abc")).unwrap_err();
        assert!(err.to_string().contains("KRAFTO_ROOT_KEY"));
    }

    #[test]
    fn codes_are_six_digits_and_hashes_are_bound_to_tenant_and_email() {
        let keys = TokenKeys::generate();
        let code = generate_code();
        assert!(is_code_shaped(&code));
        let t = Uuid::now_v7();
        let h = keys.hash_code(t, "a@example.com", &code);
        assert!(!h.contains(&code));
        assert!(keys.code_matches(t, "a@example.com", &code, &h));
        assert!(!keys.code_matches(t, "b@example.com", &code, &h));
        assert!(!keys.code_matches(Uuid::now_v7(), "a@example.com", &code, &h));
    }

    #[test]
    fn passwords_hash_and_verify() {
        let pw = SecretString::from("correct horse");
        let h = hash_password(&pw).unwrap();
        assert!(verify_password(&pw, &h));
        assert!(!verify_password(&SecretString::from("wrong"), &h));
    }
}
