//! The marketplace's catalog rules: whether shops and listings need a review, the minimum
//! number of photos, and the listing fields sellers must fill in.

use crate::catalog::record;
use crate::{AppState, CurrentTenant};
use krafto_api_types::catalog::{MarketplaceSettingsPatch, MarketplaceSettingsView};
use krafto_core::FieldError;
use krafto_core::catalog::REQUIRABLE_FIELDS;
use krafto_db::models::{Actor, MarketplaceSettings};
use krafto_web::{ApiError, ApiResult, RequestId};
use poem_openapi::types::ToJSON;
use serde_json::json;

fn settings_view(s: MarketplaceSettings) -> MarketplaceSettingsView {
    MarketplaceSettingsView {
        shop_review_required: s.shop_review_required,
        listing_review_required: s.listing_review_required,
        min_photos: s.min_photos,
        required_listing_fields: s.required_listing_fields,
    }
}

/// The marketplace's catalog rules.
pub(crate) async fn settings(
    state: &AppState,
    tenant: &CurrentTenant,
) -> ApiResult<MarketplaceSettingsView> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let s = MarketplaceSettings::get(&mut tx).await?;
    tx.commit().await?;
    Ok(settings_view(s))
}

/// Changes the catalog rules (reviews, minimum photos, mandatory listing fields); every
/// invalid field is named and nothing is written.
pub(crate) async fn update_settings(
    state: &AppState,
    tenant: &CurrentTenant,
    rid: &RequestId,
    actor: &Actor,
    body: &MarketplaceSettingsPatch,
) -> ApiResult<MarketplaceSettingsView> {
    let mut problems = Vec::new();
    if body.min_photos.is_some_and(|n| !(0..=20).contains(&n)) {
        problems.push(FieldError::new("min_photos", "must be between 0 and 20"));
    }
    if let Some(fields) = &body.required_listing_fields {
        for f in fields {
            if !REQUIRABLE_FIELDS.contains(&f.as_str()) {
                problems.push(FieldError::new(
                    "required_listing_fields",
                    format!(
                        "unknown field `{f}` (one of {})",
                        REQUIRABLE_FIELDS.join(", ")
                    ),
                ));
            }
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::validation(problems));
    }
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let mut s = MarketplaceSettings::get(&mut tx).await?;
    let before = settings_view(s.clone());
    if let Some(v) = body.shop_review_required {
        s.shop_review_required = v;
    }
    if let Some(v) = body.listing_review_required {
        s.listing_review_required = v;
    }
    if let Some(v) = body.min_photos {
        s.min_photos = v;
    }
    if let Some(v) = &body.required_listing_fields {
        let mut fields = v.clone();
        fields.sort();
        fields.dedup();
        s.required_listing_fields = fields.into_iter().map(Into::into).collect();
    }
    s.updated_at = chrono::Utc::now();
    let s = MarketplaceSettings::save(&mut tx, &s).await?;
    let after = settings_view(s.clone());
    record(
        &mut tx,
        actor,
        "settings.updated",
        "settings".to_owned(),
        json!({ "from": before.to_json(), "to": after.to_json() }),
        rid,
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}
