//! Signing in with e-mailed one-time codes: issue (rate-limited, hashed at rest, expiring)
//! and verify (attempt-limited, single use).
//!
//! Guesses are bound to one code: asking for a code answers a `challenge` (the code's id)
//! that checking it must present, and wrong guesses count against that code alone. A code
//! with too many wrong guesses is dead; asking again gives a new code with fresh attempts.
//! Nobody but the requester knows a code's challenge, so nobody else can burn it, and a
//! code requested later by someone else does not replace it.
//!
//! Requests are limited per address across every marketplace (a control-plane counter of
//! the address's keyed hash, [`OtpAddressRequest`]) and per client address within the
//! marketplace.

use crate::{AppState, CurrentTenant};
use chrono::{Duration, Utc};
use krafto_api_types::Code;
use krafto_api_types::store::{SignedIn, UserView};
use krafto_auth::{UserClaims, generate_code, is_code_shaped};
use krafto_core::{Email, Role};
use krafto_db::models::{OneTimeCode, OtpAddressRequest, User, UserSession};
use krafto_mail::Email as Mail;
use krafto_web::{ApiError, ApiResult};
use uuid::Uuid;

/// Limits of the one-time-code flow.
#[derive(Debug, Clone, Copy)]
pub struct OtpPolicy {
    pub code_ttl: Duration,
    /// Wrong guesses a code survives.
    pub max_attempts: i32,
    /// The window the two request limits count over.
    pub window: Duration,
    /// Codes one e-mail address may be sent in the window, across every marketplace.
    pub max_per_email: i64,
    /// Codes one client address may ask for in the window, in one marketplace.
    pub max_per_ip: i64,
}

impl Default for OtpPolicy {
    fn default() -> Self {
        Self {
            code_ttl: Duration::minutes(10),
            max_attempts: 5,
            window: Duration::minutes(15),
            max_per_email: 5,
            max_per_ip: 30,
        }
    }
}

/// A session token for `user` carrying their current role (after sign-in, or when the role
/// changes, e.g. on opening a shop), remembered as one of their sessions so that removing
/// them from a role can end it.
pub(crate) async fn session_token(
    state: &AppState,
    tenant: &CurrentTenant,
    user: &User,
    now: chrono::DateTime<Utc>,
) -> ApiResult<(String, chrono::DateTime<Utc>)> {
    let role = Role::parse(&user.role).map_err(|e| ApiError::internal(&e))?;
    let (token, expires_at) = state
        .keys
        .mint_user(
            UserClaims {
                tenant_id: tenant.id,
                user_id: user.id,
                role,
            },
            now,
        )
        .map_err(|e| ApiError::internal(&e))?;
    let revocation_id = state
        .keys
        .revocation_id(&token)
        .map_err(|e| ApiError::internal(&e))?;
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    UserSession::record(&mut tx, &revocation_id, user.id, expires_at).await?;
    tx.commit().await?;
    Ok((token, expires_at))
}

pub(crate) fn user_view(u: User) -> UserView {
    UserView {
        id: u.id,
        email: u.email,
        role: u.role,
        display_name: u.display_name,
        created_at: u.created_at,
    }
}

/// Issues a code and mails it; returns its challenge (what checking it must present). The
/// code row is committed only if the mail was accepted, so a failed send leaves nothing
/// behind and the user can simply ask again.
pub(crate) async fn start(
    state: &AppState,
    tenant: &CurrentTenant,
    email: &Email,
    ip: Option<&str>,
) -> ApiResult<Uuid> {
    let policy = state.otp;
    let now = Utc::now();
    let since = now - policy.window;
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    // Serialises requests for one address in every marketplace, so concurrent requests
    // cannot slip past the limit.
    let address = state.keys.address_hash(email.as_str());
    let retry_after = u64::try_from(policy.window.num_seconds()).unwrap_or(900);
    if OtpAddressRequest::lock_and_count_since(&mut tx, &address, since).await?
        >= policy.max_per_email
    {
        return Err(ApiError::rate_limited(
            format!(
                "too many codes requested for {email}; wait a few minutes and use the latest code you received"
            ),
            retry_after,
        ));
    }
    if let Some(ip) = ip
        && OneTimeCode::count_for_ip_since(&mut tx, ip, since).await? >= policy.max_per_ip
    {
        return Err(ApiError::rate_limited(
            "too many sign-in codes requested from your network; wait a few minutes",
            retry_after,
        ));
    }
    let code = generate_code();
    let challenge = Uuid::now_v7();
    OtpAddressRequest::record(&mut tx, &address, now, since).await?;
    OneTimeCode::insert(
        &mut tx,
        &OneTimeCode {
            tenant_id: tenant.id,
            id: challenge,
            email: email.as_str().to_owned(),
            code_hash: state.keys.hash_code(tenant.id, email.as_str(), &code),
            requested_ip: ip.map(str::to_owned),
            attempts: 0,
            expires_at: now + policy.code_ttl,
            consumed_at: None,
            created_at: now,
        },
    )
    .await?;
    let minutes = policy.code_ttl.num_minutes();
    let locale = krafto_i18n::Locale::of_tag(&tenant.locale);
    let name = tenant.display_name.as_str();
    let mail = Mail {
        to: email.as_str().to_owned(),
        subject: locale.t_args(
            "mail-code-subject",
            &[("code", code.as_str().into()), ("name", name.into())],
        ),
        body: format!(
            "{}\n\n    {code}\n\n{}\n",
            locale.t_args("mail-code-intro", &[("name", name.into())]),
            locale.t_args("mail-code-expiry", &[("minutes", minutes.into())]),
        ),
        from_name: Some(tenant.display_name.clone()),
        reply_to: tenant.support_email.clone(),
    };
    if let Err(e) = state.mailer.send(&mail).await {
        tracing::error!(error = %e, "sign-in code e-mail failed");
        return Err(ApiError::unavailable(
            Code::MailUnavailable,
            "we could not send the e-mail right now; try again shortly",
        ));
    }
    tx.commit().await?;
    Ok(challenge)
}

/// Checks the code of `challenge` and signs the user in (creating a buyer account on first
/// sign-in), giving them the guest orders placed with the address the code proved.
pub(crate) async fn verify(
    state: &AppState,
    tenant: &CurrentTenant,
    email: &Email,
    code: &str,
    challenge: &str,
) -> ApiResult<SignedIn> {
    if !is_code_shaped(code) {
        return Err(ApiError::field(krafto_core::FieldError::new(
            "code",
            "must be the 6-digit code from the e-mail",
        )));
    }
    let policy = state.otp;
    let now = Utc::now();
    let no_code = || {
        ApiError::unauthenticated("no code is pending for this address; request a new one")
            .with_code(Code::InvalidCode)
    };
    let Ok(challenge) = Uuid::parse_str(challenge.trim()) else {
        return Err(no_code());
    };
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let Some(otp) = OneTimeCode::open_for_update(&mut tx, challenge, email.as_str()).await? else {
        return Err(no_code());
    };
    if otp.expires_at <= now {
        return Err(
            ApiError::unauthenticated("this code has expired; request a new one")
                .with_code(Code::CodeExpired),
        );
    }
    if otp.attempts >= policy.max_attempts {
        return Err(ApiError::rate_limited(
            "too many wrong attempts for this code; request a new one",
            0,
        )
        .with_code(Code::TooManyAttempts));
    }
    if !state
        .keys
        .code_matches(tenant.id, email.as_str(), code, &otp.code_hash)
    {
        let attempts = OneTimeCode::record_failed_attempt(&mut tx, otp.id).await?;
        tx.commit().await?;
        let left = (policy.max_attempts - attempts).max(0);
        return Err(
            ApiError::unauthenticated(format!("wrong code; {left} attempt(s) left"))
                .with_code(Code::InvalidCode),
        );
    }
    OneTimeCode::consume(&mut tx, email.as_str()).await?;
    let (user, new_account) = User::sign_in(&mut tx, email.as_str()).await?;
    // The code proved the address: the guest orders placed with it are this user's now.
    crate::accounts::claim_guest_orders(&mut tx, user.id, &user.email).await?;
    tx.commit().await?;
    let (token, expires_at) = session_token(state, tenant, &user, now).await?;
    Ok(SignedIn {
        token,
        expires_at,
        user: user_view(user),
        new_account,
    })
}
