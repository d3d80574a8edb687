//! Krafto staff: signing in with e-mail and password, and how a staff member is named as
//! the author of a change in a marketplace's audit log.

use crate::ControlState;
use chrono::Utc;
use krafto_api_types::Code;
use krafto_api_types::control::TokenResponse;
use krafto_auth::StaffIdentity;
use krafto_core::Email;
use krafto_db::models::{Actor, Staff};
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

/// Exchanges a staff e-mail and password for a token (`POST /auth/login` and the console's
/// sign-in form). A wrong address, an unknown or disabled account and a wrong password are
/// one answer, 401 `invalid_credentials`, and take the same time.
pub(crate) async fn login(
    state: &ControlState,
    email: &str,
    password: &str,
) -> ApiResult<TokenResponse> {
    let refused = || {
        ApiError::unauthenticated("wrong e-mail or password").with_code(Code::InvalidCredentials)
    };
    let password = SecretString::from(password.to_owned());
    let Ok(email) = Email::parse(email) else {
        krafto_auth::verify_password_dummy(&password);
        return Err(refused());
    };
    let mut tx = state.db.control().await?;
    let staff = Staff::find_by_email(&mut tx, email.as_str()).await?;
    let Some(staff) = staff.filter(|s| !s.disabled) else {
        krafto_auth::verify_password_dummy(&password);
        return Err(refused());
    };
    let hash = staff.password_hash.clone();
    let ok = tokio::task::spawn_blocking(move || krafto_auth::verify_password(&password, &hash))
        .await
        .map_err(|e| ApiError::internal(&e))?;
    if !ok {
        return Err(refused());
    }
    Staff::touch_login(&mut tx, staff.id).await?;
    tx.commit().await?;
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
    Ok(TokenResponse { token, expires_at })
}
