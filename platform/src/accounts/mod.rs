//! A buyer's own account: their profile (name and phone, which prefill checkout), their
//! address book, the guest orders their e-mail proves are theirs, and the erasure of their
//! personal data. Called alike by the store API (`/store/me`) and the account pages; the
//! rules live here once.
//!
//! It must never show or change another user's data: every query names the signed-in user,
//! inside their marketplace's transaction (row-level security is the other wall).

pub(crate) mod addresses;

use crate::{AppState, CurrentTenant};
use krafto_api_types::Code;
use krafto_api_types::account::{AccountProfile, DeleteAccount, ProfileInput};
use krafto_auth::UserClaims;
use krafto_core::{FieldError, Role};
use krafto_db::TenantTx;
use krafto_db::models::{Profile, UserSession};
use krafto_web::{ApiError, ApiResult};
use poem::http::StatusCode;

fn view(p: Profile) -> AccountProfile {
    AccountProfile {
        email: p.email,
        display_name: p.display_name,
        phone: p.phone,
        role: p.role,
    }
}

/// 401 for a token whose account was erased (or never existed here).
fn gone(e: krafto_db::DbError) -> ApiError {
    if e.is_not_found() {
        ApiError::unauthenticated("this account no longer exists")
    } else {
        e.into()
    }
}

/// The signed-in user's profile, inside the caller's transaction.
pub(crate) async fn profile_in(tx: &mut TenantTx, user: &UserClaims) -> ApiResult<AccountProfile> {
    Ok(view(Profile::find(tx, user.user_id).await.map_err(gone)?))
}

/// The signed-in user's profile.
pub(crate) async fn profile(
    state: &AppState,
    tenant: &CurrentTenant,
    user: &UserClaims,
) -> ApiResult<AccountProfile> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let p = profile_in(&mut tx, user).await?;
    tx.commit().await?;
    Ok(p)
}

/// A phone number as people type it: digits, spaces and `+ - ( ) .`, 5 to 32 characters.
/// Blank is no phone.
pub(crate) fn phone(raw: Option<&str>, field: &str) -> Result<Option<String>, FieldError> {
    let Some(p) = raw.map(str::trim).filter(|p| !p.is_empty()) else {
        return Ok(None);
    };
    if (5..=32).contains(&p.len())
        && p.chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c))
        && p.chars().any(|c| c.is_ascii_digit())
    {
        Ok(Some(p.to_owned()))
    } else {
        Err(FieldError::new(
            field,
            "must be a phone number (digits, spaces, + - ( ) .)",
        ))
    }
}

/// Sets the signed-in user's name and phone (blank clears them).
pub(crate) async fn update_profile(
    state: &AppState,
    tenant: &CurrentTenant,
    user: &UserClaims,
    input: &ProfileInput,
) -> ApiResult<AccountProfile> {
    let mut problems = Vec::new();
    let name = input
        .display_name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    if name.is_some_and(|n| n.chars().count() > 120) {
        problems.push(FieldError::new("display_name", "at most 120 characters"));
    }
    let phone = phone(input.phone.as_deref(), "phone").unwrap_or_else(|e| {
        problems.push(e);
        None
    });
    if !problems.is_empty() {
        return Err(ApiError::validation(problems));
    }
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let p = Profile::update(&mut tx, user.user_id, name, phone.as_deref())
        .await
        .map_err(gone)?;
    tx.commit().await?;
    // `GET /me` caches the user with the marketplace: drop it everywhere.
    state.tenant_changed(tenant.id).await;
    Ok(view(p))
}

/// Gives a user who just proved their e-mail (a sign-in code) the guest orders placed with
/// it in this marketplace, in the sign-in's transaction.
pub(crate) async fn claim_guest_orders(
    tx: &mut TenantTx,
    user_id: uuid::Uuid,
    email: &str,
) -> ApiResult<usize> {
    Ok(Profile::claim_guest_orders(tx, user_id, email).await?)
}

/// Erases the signed-in buyer's personal data once they confirm with their e-mail: name,
/// phone, e-mail (replaced by a pseudonym), saved addresses and cart go; their orders stay
/// for the accounts without e-mail, phone or address; every session of theirs ends. Refused
/// while an order is on its way (409 `orders_in_progress`: the seller needs the address)
/// and for sellers and operators (409 `conflict`: their shop or marketplace needs them).
pub(crate) async fn delete_account(
    state: &AppState,
    tenant: &CurrentTenant,
    user: &UserClaims,
    input: &DeleteAccount,
) -> ApiResult<()> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let profile = Profile::find(&mut tx, user.user_id).await.map_err(gone)?;
    if !input
        .confirm_email
        .trim()
        .eq_ignore_ascii_case(&profile.email)
    {
        return Err(ApiError::field(FieldError::new(
            "confirm_email",
            "type the e-mail address of this account to confirm",
        )));
    }
    if user.role != Role::Buyer || profile.role != "buyer" {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            Code::Conflict,
            "a seller's or operator's account is closed by the marketplace's operator: contact them",
        ));
    }
    // Guest orders placed with the address since the last sign-in are the buyer's too:
    // erased with the rest (and waited for while on their way).
    Profile::claim_guest_orders(&mut tx, user.user_id, &profile.email).await?;
    if Profile::has_open_orders(&mut tx, user.user_id).await? {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            Code::OrdersInProgress,
            "some of your orders are still on their way: you can delete your account once they are delivered or cancelled",
        ));
    }
    let pseudonym = format!("erased-{}@erased.invalid", user.user_id.simple());
    Profile::erase(&mut tx, user.user_id, &pseudonym).await?;
    let sessions = UserSession::end_all(&mut tx, user.user_id).await?;
    // Revoked before the erasure commits: if revoking fails, nothing is erased and the
    // buyer can try again; if the commit fails, they are only signed out.
    state.revocations.revoke(&sessions).await?;
    tx.commit().await?;
    state.tenant_changed(tenant.id).await;
    tracing::info!(user.id = %user.user_id, "a buyer's personal data was erased at their request");
    Ok(())
}
