//! The marketplace's look on its storefront (name, colours, logo, tagline), as its
//! operators change it.

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
