//! Krafto staff: signing in with e-mail and password, and how a staff member is named as
//! the author of a change in a marketplace's audit log.

use crate::ControlState;
use chrono::Utc;
use krafto_api_types::Code;
use krafto_api_types::control::TokenResponse;
use krafto_auth::{StaffIdentity, StaffSessionToken};
use krafto_core::Email;
use krafto_db::models::{Actor, RevokedToken, Staff, StaffSession};
use krafto_web::ratelimit::{Bucket, Limiter, RateLimitConfig};
use krafto_web::{ApiError, ApiResult};
use secrecy::SecretString;

/// A staff member as the author of a change (audit log).
pub(crate) fn actor(staff: &StaffIdentity) -> Actor {
    Actor {
        kind: "staff",
        id: Some(staff.staff_id),
        label: staff.email.clone(),
    }
}

/// Limits on staff password attempts: per client address, and per e-mail address (known or
/// not, so the limit reveals nothing). An address whose quota is spent is locked until one
/// attempt has refilled, even for the right password.
#[derive(Debug, Clone)]
pub struct LoginLimits {
    client: Option<Bucket>,
    address: Option<Bucket>,
}

impl LoginLimits {
    pub fn new(limiter: &Limiter, config: &RateLimitConfig) -> Self {
        Self {
            client: limiter.bucket("staff_login_client", config.staff_login_client),
            address: limiter.bucket("staff_login_address", config.staff_login_address),
        }
    }

    /// Spends one attempt of `client` and of `address`; the 429 to answer when either is
    /// spent.
    async fn spend(&self, client: Option<&str>, address: &str) -> ApiResult<()> {
        if let (Some(bucket), Some(client)) = (&self.client, client) {
            let d = bucket.check(client).await;
            if !d.allowed {
                return Err(d.refusal("sign-in attempts from your network"));
            }
        }
        if let Some(bucket) = &self.address {
            let d = bucket.check(address).await;
            if !d.allowed {
                return Err(d.refusal("sign-in attempts for this address: it is locked for now"));
            }
        }
        Ok(())
    }
}

/// Exchanges a staff e-mail and password for a token (`POST /auth/login` and the console's
/// sign-in form), after spending one attempt of the client's and the address's limits
/// (429 `rate_limited` when spent). A wrong address, an unknown or disabled account and a
/// wrong password are one answer, 401 `invalid_credentials`, and take the same time: each
/// verifies one Argon2 hash (a dummy one when there is no account), off the request threads.
pub(crate) async fn login(
    state: &ControlState,
    email: &str,
    password: &str,
    client: Option<&str>,
) -> ApiResult<TokenResponse> {
    let refused = || {
        ApiError::unauthenticated("wrong e-mail or password").with_code(Code::InvalidCredentials)
    };
    state
        .login_limits
        .spend(client, &email.trim().to_lowercase())
        .await?;
    let password = SecretString::from(password.to_owned());
    let Ok(email) = Email::parse(email) else {
        check_password(password, None).await?;
        return Err(refused());
    };
    let mut tx = state.db.control().await?;
    let staff = Staff::find_by_email(&mut tx, email.as_str())
        .await?
        .filter(|s| !s.disabled);
    let hash = staff.as_ref().map(|s| s.password_hash.clone());
    let (true, Some(staff)) = (check_password(password, hash).await?, staff) else {
        return Err(refused());
    };
    let (token, expires_at) = state
        .keys
        .mint_staff(
            &StaffIdentity {
                staff_id: staff.id,
                email: staff.email,
            },
            Utc::now(),
        )
        .map_err(|e| ApiError::internal(&e))?;
    let revocation_id = state
        .keys
        .revocation_id(&token)
        .map_err(|e| ApiError::internal(&e))?;
    Staff::touch_login(&mut tx, staff.id).await?;
    StaffSession::record(&mut tx, &revocation_id, staff.id, expires_at).await?;
    tx.commit().await?;
    Ok(TokenResponse { token, expires_at })
}

/// The staff member a token speaks for, unless it is invalid, expired or revoked.
pub(crate) fn verify(state: &ControlState, token: &str) -> Option<StaffSessionToken> {
    let session = state.keys.verify_staff_session(token).ok()?;
    (!state
        .revocations
        .list()
        .contains_any(&session.revocation_ids))
    .then_some(session)
}

/// Signs a staff token out: revoked on every instance (nothing to do for an invalid one).
pub(crate) async fn sign_out(state: &ControlState, token: &str) -> ApiResult<()> {
    let Some(session) = verify(state, token) else {
        return Ok(());
    };
    let expires = chrono::DateTime::from_timestamp(session.expires, 0)
        .unwrap_or_else(|| Utc::now() + krafto_auth::STAFF_TOKEN_TTL);
    let tokens: Vec<_> = session
        .revocation_ids
        .into_iter()
        .map(|id| (id, expires))
        .collect();
    state.revocations.revoke(&tokens).await?;
    Ok(())
}

/// Removes a staff member (`tenant-admin staff remove`): disables the account and revokes
/// every session it holds, in one transaction. Returns the revoked sessions to announce
/// (`krafto_auth::revocation::publish`), or `None` when there is no such staff member.
pub async fn remove(
    db: &krafto_db::Db,
    email: &str,
) -> anyhow::Result<Option<Vec<(String, chrono::DateTime<Utc>)>>> {
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("staff e-mail: {e}"))?;
    let mut tx = db.control().await?;
    let Some(staff) = Staff::disable(&mut tx, email.as_str()).await? else {
        return Ok(None);
    };
    let revoked = StaffSession::end_all(&mut tx, staff.id).await?;
    RevokedToken::insert_many(&mut tx, &revoked).await?;
    tx.commit().await?;
    Ok(Some(revoked))
}

/// Whether `password` matches `stored`, verified on the blocking pool (an Argon2 check
/// holds a thread for tens of milliseconds). Without a stored hash, a dummy one is verified
/// instead, so the answer takes as long, and is false.
async fn check_password(password: SecretString, stored: Option<String>) -> ApiResult<bool> {
    tokio::task::spawn_blocking(move || match stored {
        Some(hash) => krafto_auth::verify_password(&password, &hash),
        None => {
            krafto_auth::verify_password_dummy(&password);
            false
        }
    })
    .await
    .map_err(|e| ApiError::internal(&e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    /// On a one-thread runtime, a ticker only ticks while the password check waits
    /// elsewhere: a check on the request thread would hold the thread until it ends.
    #[tokio::test(flavor = "current_thread")]
    async fn password_checks_never_hold_the_request_thread_even_for_unknown_addresses() {
        for stored in [
            None,
            Some(krafto_auth::hash_password(&SecretString::from("right password")).unwrap()),
        ] {
            let ticks = AtomicU32::new(0);
            let done = std::sync::atomic::AtomicBool::new(false);
            let check = async {
                let ok = check_password(SecretString::from("wrong password"), stored.clone())
                    .await
                    .unwrap();
                done.store(true, Ordering::SeqCst);
                ok
            };
            let ticker = async {
                while !done.load(Ordering::SeqCst) {
                    tokio::task::yield_now().await;
                    ticks.fetch_add(1, Ordering::SeqCst);
                }
            };
            let (ok, ()) = tokio::join!(check, ticker);
            assert!(!ok);
            assert!(
                ticks.load(Ordering::SeqCst) > 1,
                "the check held the only runtime thread ({stored:?})"
            );
        }
    }
}
