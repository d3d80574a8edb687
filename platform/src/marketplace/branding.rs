//! The marketplace's look on its storefront (name, colours, logo, tagline), as its
//! operators change it: by the branding form or API, and by uploading a logo.

use crate::catalog::record;
use crate::{AppState, CurrentTenant};
use krafto_api_types::Branding;
use krafto_api_types::control::BrandingPatch;
use krafto_core::Problems;
use krafto_db::models::{Actor, Tenant, TenantChanges};
use krafto_web::{ApiError, ApiResult, RequestId};
use serde_json::json;

/// Restyles the marketplace (the same branding rules as the control plane), records the
/// change, and drops every instance's cached view of the tenant so the storefront shows it
/// on the next request.
pub(crate) async fn update_branding(
    state: &AppState,
    tenant: &CurrentTenant,
    rid: &RequestId,
    actor: &Actor,
    patch: &BrandingPatch,
) -> ApiResult<Branding> {
    let mut p = Problems::new();
    let mut changes = TenantChanges::default();
    krafto_web::views::branding_changes(patch, "", &mut p, &mut changes);
    p.finish().map_err(ApiError::validation)?;
    write(state, tenant, rid, actor, changes).await
}

/// Sets the marketplace's logo from an uploaded file: checked and re-encoded like every
/// picture (413 too large, 415 not a picture, 422 unreadable or too many pixels, naming
/// `field`), stored, then shown in the header instead of the logo URL. A refused file changes
/// nothing.
pub(crate) async fn set_logo(
    state: &AppState,
    tenant: &CurrentTenant,
    rid: &RequestId,
    actor: &Actor,
    field: &str,
    bytes: bytes::Bytes,
) -> ApiResult<Branding> {
    let processed =
        state.media.process(bytes).await.map_err(|e| {
            crate::catalog::photos::refused(field, &krafto_media::MediaError::Image(e))
        })?;
    let stored = state
        .media
        .put(tenant.id, &processed)
        .await
        .map_err(|e| ApiError::internal(&e))?;
    let value = serde_json::to_value(&stored).map_err(|e| ApiError::internal(&e))?;
    let changes = TenantChanges {
        logo_image: Some(Some(value)),
        ..TenantChanges::default()
    };
    write(state, tenant, rid, actor, changes).await
}

/// Removes the marketplace's uploaded logo (the logo URL, if any, shows again).
pub(crate) async fn remove_logo(
    state: &AppState,
    tenant: &CurrentTenant,
    rid: &RequestId,
    actor: &Actor,
) -> ApiResult<Branding> {
    let changes = TenantChanges {
        logo_image: Some(None),
        ..TenantChanges::default()
    };
    write(state, tenant, rid, actor, changes).await
}

/// Writes branding changes, records them (`branding.updated`, before and after), and drops
/// every instance's cached view of the tenant.
async fn write(
    state: &AppState,
    tenant: &CurrentTenant,
    rid: &RequestId,
    actor: &Actor,
    changes: TenantChanges,
) -> ApiResult<Branding> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    // `tenants` has no row-level security: the update names this marketplace's row only.
    let before = Tenant::find_for_update(&mut tx, tenant.id).await?;
    let after = Tenant::update(&mut tx, tenant.id, changes).await?;
    let (from, to) = (
        krafto_web::views::branding(&before),
        krafto_web::views::branding(&after),
    );
    record(
        &mut tx,
        actor,
        "branding.updated",
        "branding".to_owned(),
        json!({ "from": from, "to": to }),
        rid,
    )
    .await?;
    tx.commit().await?;
    state.tenant_changed(tenant.id).await;
    Ok(to)
}
