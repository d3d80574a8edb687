//! Ending sessions: a token signed out of (page or API) is revoked on every instance
//! through [`krafto_auth::Revocations`]. (Sessions are recorded where tokens are minted,
//! [`crate::otp::session_token`]; the control plane ends all of an operator's when it removes
//! them.)

use crate::{AppState, CurrentTenant};
use krafto_web::ApiResult;

/// Revokes `token` if it is a valid session of this marketplace (anything else is already
/// no session: nothing to do).
pub(crate) async fn end(state: &AppState, tenant: &CurrentTenant, token: &str) -> ApiResult<()> {
    let Ok(session) = state.verifier.verify_session(token, tenant.id) else {
        return Ok(());
    };
    let expires = chrono::DateTime::from_timestamp(session.expires, 0)
        .unwrap_or_else(|| chrono::Utc::now() + krafto_auth::USER_TOKEN_TTL);
    let tokens: Vec<_> = session
        .revocation_ids
        .iter()
        .map(|id| (id.clone(), expires))
        .collect();
    state.revocations.revoke(&tokens).await?;
    Ok(())
}
