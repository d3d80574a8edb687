//! Reading marketplaces as staff see them: one marketplace with its hosts, domains, fees,
//! flags and Stripe account; the searchable list; a marketplace's audit log. Changes are
//! in [`crate::provision`], [`crate::operators`] and [`crate::stripe`].

use crate::ControlState;
use crate::provision;
use crate::stripe;
use krafto_api_types::control::{
    AuditPage, DomainView, TemplateName, TenantPage, TenantStatusName, TenantView,
};
use krafto_core::{FieldError, TenantStatus};
use krafto_db::TenantScope;
use krafto_db::models::{AuditEntry, Tenant, TenantDomain, TenantFilter};
use krafto_web::views;
use krafto_web::{ApiError, ApiResult};
use uuid::Uuid;

fn template_name(t: &str) -> TemplateName {
    match t {
        "farm" => TemplateName::Farm,
        "b2b" => TemplateName::B2b,
        _ => TemplateName::Handmade,
    }
}

/// A stored marketplace status as the API names it.
pub(crate) fn status_name(s: TenantStatus) -> TenantStatusName {
    match s {
        TenantStatus::Active => TenantStatusName::Active,
        TenantStatus::Suspended => TenantStatusName::Suspended,
    }
}

/// The marketplace status an API name means.
pub(crate) fn status_of(s: TenantStatusName) -> TenantStatus {
    match s {
        TenantStatusName::Active => TenantStatus::Active,
        TenantStatusName::Suspended => TenantStatus::Suspended,
    }
}

/// A custom domain as the API shows it.
pub(crate) fn domain_view(d: TenantDomain) -> DomainView {
    DomainView {
        host: d.host,
        verified: d.verified,
        primary: d.is_primary,
        created_at: d.created_at,
    }
}

fn tenant_view(state: &ControlState, t: &Tenant, domains: Vec<TenantDomain>) -> TenantView {
    let mut hosts = vec![state.slug_host(&t.slug)];
    hosts.extend(
        domains
            .iter()
            .filter(|d| d.verified)
            .map(|d| d.host.clone()),
    );
    TenantView {
        powered_by: t.powered_by,
        public_api: t.public_api,
        support_email: t.support_email.clone(),
        id: t.id,
        slug: t.slug.clone(),
        name: t.name.clone(),
        status: status_name(t.status),
        suspended_reason: t.suspended_reason.clone(),
        template: template_name(&t.template),
        currency: t.currency.clone(),
        locale: t.locale.clone(),
        branding: views::branding(t),
        fees: views::fees(t),
        buyer_fee_bps: t.buyer_fee_bps,
        stripe: stripe::account_view(state, t),
        features: views::feature_flags(t).as_map().clone(),
        hosts,
        domains: domains.into_iter().map(domain_view).collect(),
        created_at: t.created_at,
        updated_at: t.updated_at,
    }
}

/// The marketplace with its domains; 404 `tenant_not_found` when there is none.
pub(crate) async fn view(state: &ControlState, id: Uuid) -> ApiResult<TenantView> {
    let mut tx = state.db.control().await?;
    let tenant = Tenant::find(&mut tx, id)
        .await
        .map_err(provision::tenant_missing(id))?;
    let domains = TenantDomain::for_tenant(&mut tx, id).await?;
    tx.commit().await?;
    Ok(tenant_view(state, &tenant, domains))
}

/// A page size of 1–200 (50 when absent), or the 422 naming `limit`.
fn page_limit(limit: Option<i64>) -> ApiResult<i64> {
    let limit = limit.unwrap_or(50);
    if (1..=200).contains(&limit) {
        Ok(limit)
    } else {
        Err(ApiError::field(FieldError::new(
            "limit",
            "must be between 1 and 200",
        )))
    }
}

/// One page of marketplaces, oldest first, filtered by status and by a case-insensitive
/// substring of slug, name or custom domain (`GET /tenants` and the console's list).
pub(crate) async fn list(
    state: &ControlState,
    status: Option<TenantStatusName>,
    q: Option<&str>,
    cursor: Option<Uuid>,
    limit: Option<i64>,
) -> ApiResult<TenantPage> {
    let limit = page_limit(limit)?;
    let status = status.map(status_of);
    let mut tx = state.db.control().await?;
    let filter = TenantFilter {
        status,
        query: q.map(str::trim).filter(|s| !s.is_empty()),
        after: cursor,
        limit,
    };
    let tenants = Tenant::list(&mut tx, &filter).await?;
    let ids: Vec<Uuid> = tenants.iter().map(|t| t.id).collect();
    let mut domains = TenantDomain::for_tenants(&mut tx, &ids).await?;
    tx.commit().await?;
    let next_cursor = (i64::try_from(tenants.len()).unwrap_or(0) == limit)
        .then(|| tenants.last().map(|t| t.id.to_string()))
        .flatten();
    let items = tenants
        .iter()
        .map(|t| {
            let mine: Vec<TenantDomain> = domains.extract_if(.., |d| d.tenant_id == t.id).collect();
            tenant_view(state, t, mine)
        })
        .collect();
    Ok(TenantPage { items, next_cursor })
}

/// One page of the marketplace's audit log, newest first (`GET /tenants/{id}/audit` and the
/// console's tenant page).
pub(crate) async fn audit(
    state: &ControlState,
    id: Uuid,
    cursor: Option<Uuid>,
    limit: Option<i64>,
) -> ApiResult<AuditPage> {
    let limit = page_limit(limit)?;
    let tenant = provision::load_tenant(state, id).await?;
    let mut tx = state.db.tenant(&TenantScope::staff(&tenant)).await?;
    let rows = AuditEntry::page(&mut tx, cursor, limit).await?;
    tx.commit().await?;
    Ok(views::audit_page(rows, limit))
}
