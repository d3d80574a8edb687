//! Conversions from stored models to API objects used by both servers, and the mapping of
//! persistence errors to API errors.

use krafto_api_types::control::{AuditEntryView, AuditPage};
use krafto_api_types::{ApiError, Branding, FeeSchedule};
use krafto_core::FeatureFlags;
use krafto_db::DbError;
use krafto_db::models::{AuditEntry, Tenant};
use std::collections::BTreeMap;

pub fn branding(t: &Tenant) -> Branding {
    Branding {
        display_name: t.display_name.clone(),
        logo_url: t.logo_url.clone(),
        primary_color: t.primary_color.clone(),
        accent_color: t.accent_color.clone(),
        tagline: t.tagline.clone(),
    }
}

pub fn fees(t: &Tenant) -> FeeSchedule {
    FeeSchedule {
        seller_commission_bps: t.seller_commission_bps,
        platform_fee_bps: t.platform_fee_bps,
        minimum_order_minor: t.minimum_order_minor,
    }
}

/// The stored flags, completed with every known flag (new ones off).
pub fn feature_flags(t: &Tenant) -> FeatureFlags {
    let stored: BTreeMap<String, bool> =
        serde_json::from_value(t.features.clone()).unwrap_or_default();
    FeatureFlags::from_stored(stored)
}

/// Maps a persistence error at the HTTP boundary: an exhausted or unreachable pool is a 503
/// (retry later), a missing row a 404, anything else a logged 500.
pub fn db_error(e: DbError) -> ApiError {
    db_error_ref(&e)
}

/// [`db_error`] for a shared error (from a cache loader).
pub fn db_error_ref(e: &DbError) -> ApiError {
    match e {
        DbError::Unavailable(_) => ApiError::unavailable(
            "database_unavailable",
            "the database is busy or unreachable; retry in a moment",
        ),
        _ if e.is_not_found() => ApiError::not_found("not_found", "no such resource"),
        _ => ApiError::internal(e),
    }
}

/// One page of audit entries with its cursor ; a full page carries the cursor of the next.
pub fn audit_page(rows: Vec<AuditEntry>, limit: i64) -> AuditPage {
    let next_cursor = (i64::try_from(rows.len()).unwrap_or(0) == limit)
        .then(|| rows.last().map(|r| r.id.to_string()))
        .flatten();
    AuditPage {
        items: rows
            .into_iter()
            .map(|r| AuditEntryView {
                id: r.id,
                tenant_id: r.tenant_id,
                actor_kind: r.actor_kind,
                actor: r.actor_label,
                action: r.action,
                target: r.target,
                details: r.details,
                request_id: r.request_id,
                at: r.created_at,
            })
            .collect(),
        next_cursor,
    }
}
