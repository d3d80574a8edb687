//! A marketplace's operators, as staff see and make them: the list; an e-mail address
//! becomes an operator of the marketplace (a new account, or a buyer or seller promoted), who
//! then signs in at the marketplace's host with an e-mailed code; and removing one, which
//! ends their sessions.

use crate::ControlState;
use crate::provision::{find_locked, load_tenant, record};
use krafto_api_types::Code;
use krafto_api_types::control::{CreateOperator, OperatorList, OperatorView};
use krafto_core::Email;
use krafto_core::text::optional_line_text;
use krafto_db::TenantScope;
use krafto_db::models::{Actor, NewAuditEntry, RevokedToken, Tenant, User, UserSession};
use krafto_tenancy::TenantChanged;
use krafto_web::{ApiError, ApiResult};
use serde_json::json;
use uuid::Uuid;

/// Makes an e-mail address an operator of the marketplace (`POST /tenants/{id}/operators`
/// and the console's form).
pub(crate) async fn add(
    state: &ControlState,
    actor: &Actor,
    id: Uuid,
    input: &CreateOperator,
    request_id: Option<String>,
) -> ApiResult<OperatorView> {
    let (tenant, user) = make_operator(
        state,
        actor,
        id,
        &input.email,
        input.display_name.as_deref(),
        request_id,
    )
    .await?;
    Ok(view(state, &tenant, user))
}

fn view(state: &ControlState, tenant: &Tenant, user: User) -> OperatorView {
    OperatorView {
        id: user.id,
        tenant_id: tenant.id,
        email: user.email,
        role: user.role,
        display_name: user.display_name,
        sign_in_url: state.storefront(&state.slug_host(&tenant.slug)),
        last_sign_in_at: user.last_login_at,
    }
}

/// The marketplace's operators, by e-mail address (`GET /tenants/{id}/operators` and the
/// console's list).
pub(crate) async fn list(state: &ControlState, id: Uuid) -> ApiResult<OperatorList> {
    let tenant = load_tenant(state, id).await?;
    let mut tx = state.db.tenant(&TenantScope::staff(&tenant)).await?;
    let users = User::operators(&mut tx).await?;
    tx.commit().await?;
    Ok(OperatorList {
        items: users.into_iter().map(|u| view(state, &tenant, u)).collect(),
    })
}

/// Makes `email` an operator of the marketplace (creating the account, or promoting an
/// existing buyer or seller). Refuses an address that already is one.
pub(crate) async fn make_operator(
    state: &ControlState,
    actor: &Actor,
    id: Uuid,
    email: &str,
    display_name: Option<&str>,
    request_id: Option<String>,
) -> ApiResult<(Tenant, User)> {
    let email = Email::parse(email).map_err(|e| ApiError::field(e.at("email")))?;
    let display_name =
        optional_line_text(display_name, 120).map_err(|e| ApiError::field(e.at("display_name")))?;
    let tenant = load_tenant(state, id).await?;
    let mut tx = state.db.tenant(&TenantScope::staff(&tenant)).await?;
    let tenant = find_locked(&mut tx).await?;
    let (user, already) =
        User::make_operator(&mut tx, email.as_str(), display_name.as_deref()).await?;
    if already {
        return Err(ApiError::conflict(
            Code::OperatorExists,
            "email",
            format!("{email} is already an operator of this marketplace"),
        ));
    }
    record(
        &mut tx,
        NewAuditEntry::new(
            actor,
            "operator.added",
            format!("user:{}", user.id),
            json!({ "email": user.email }),
            request_id,
        ),
    )
    .await?;
    tx.commit().await?;
    // The user's role changed: instances caching that user must drop it.
    state
        .changes
        .publish(&TenantChanged {
            tenant_id: id,
            hosts: Vec::new(),
        })
        .await;
    Ok((tenant, user))
}

/// Takes the operator role from `user_id` in the marketplace `id` and revokes every session
/// they hold (their tokens carry the role), in one transaction; then announces the
/// revocations to every instance. 404 when they are no operator there.
pub(crate) async fn remove(
    state: &ControlState,
    actor: &Actor,
    id: Uuid,
    user_id: Uuid,
    request_id: Option<String>,
) -> ApiResult<()> {
    let tenant = load_tenant(state, id).await?;
    let mut tx = state.db.tenant(&TenantScope::staff(&tenant)).await?;
    let Some(user) = User::remove_operator(&mut tx, user_id).await? else {
        return Err(ApiError::not_found(
            Code::NotFound,
            "no operator of this marketplace has this id",
        ));
    };
    let revoked = UserSession::end_all(&mut tx, user.id).await?;
    RevokedToken::insert_many(&mut tx, &revoked).await?;
    record(
        &mut tx,
        NewAuditEntry::new(
            actor,
            "operator.removed",
            format!("user:{}", user.id),
            json!({ "email": user.email, "role": user.role, "sessions_ended": revoked.len() }),
            request_id,
        ),
    )
    .await?;
    tx.commit().await?;
    state.revocations.announce(&revoked).await;
    // The user's role changed: instances caching that user must drop it.
    state
        .changes
        .publish(&TenantChanged {
            tenant_id: id,
            hosts: Vec::new(),
        })
        .await;
    Ok(())
}
