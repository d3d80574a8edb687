//! The marketplace's rules: whether shops and listings need a review, how long a review
//! usually takes (as sellers are told), the minimum number of photos, the listing fields
//! sellers must fill in, and when sellers are paid (at payment, at shipping, or some days
//! after delivery).

use crate::catalog::record;
use crate::{AppState, CurrentTenant};
use krafto_api_types::catalog::{
    MarketplaceSettingsPatch, MarketplaceSettingsView, PayoutTimingName, ReviewTimeUnitName,
    ReviewTimeView,
};
use krafto_core::FieldError;
use krafto_core::catalog::{REQUIRABLE_FIELDS, ReviewTime, ReviewTimeUnit};
use krafto_core::commerce::{PayoutTiming, payout_delay_days};
use krafto_db::models::{Actor, MarketplaceSettings};
use krafto_web::{ApiError, ApiResult, RequestId};
use poem_openapi::types::ToJSON;
use serde_json::json;

fn settings_view(s: MarketplaceSettings) -> MarketplaceSettingsView {
    MarketplaceSettingsView {
        shop_review_required: s.shop_review_required,
        listing_review_required: s.listing_review_required,
        min_photos: s.min_photos,
        expected_review_time: review_time_view(s.review_time()),
        required_listing_fields: s.required_listing_fields,
        payout_timing: payout_timing_name(s.payout_timing),
        payout_delay_days: s.payout_delay_days,
    }
}

pub(crate) fn payout_timing_name(t: PayoutTiming) -> PayoutTimingName {
    match t {
        PayoutTiming::AtPayment => PayoutTimingName::AtPayment,
        PayoutTiming::AtShipping => PayoutTimingName::AtShipping,
        PayoutTiming::AfterDelivery => PayoutTimingName::AfterDelivery,
    }
}

fn payout_timing_of(t: PayoutTimingName) -> PayoutTiming {
    match t {
        PayoutTimingName::AtPayment => PayoutTiming::AtPayment,
        PayoutTimingName::AtShipping => PayoutTiming::AtShipping,
        PayoutTimingName::AfterDelivery => PayoutTiming::AfterDelivery,
    }
}

pub(crate) fn review_time_view(t: ReviewTime) -> ReviewTimeView {
    ReviewTimeView {
        amount: t.amount(),
        unit: match t.unit() {
            ReviewTimeUnit::Hours => ReviewTimeUnitName::Hours,
            ReviewTimeUnit::Days => ReviewTimeUnitName::Days,
        },
    }
}

/// A review time in the audit log's words (`2 days`).
/// A review time as given (API or console), held to its unit's bounds.
pub(crate) fn parse_review_time(v: &ReviewTimeView) -> Result<ReviewTime, krafto_core::Invalid> {
    let unit = match v.unit {
        ReviewTimeUnitName::Hours => ReviewTimeUnit::Hours,
        ReviewTimeUnitName::Days => ReviewTimeUnit::Days,
    };
    ReviewTime::new(v.amount, unit)
}

/// How long a review usually takes in `locale` ("2 days", "48 heures").
pub(crate) fn review_time_text(locale: krafto_i18n::Locale, t: ReviewTime) -> String {
    locale.t_args(
        match t.unit() {
            ReviewTimeUnit::Hours => "review-time-hours",
            ReviewTimeUnit::Days => "review-time-days",
        },
        &[("n", t.amount().into())],
    )
}

/// How long a review usually takes in this marketplace, in `locale`.
pub(crate) async fn review_time(
    state: &AppState,
    tenant: &CurrentTenant,
    locale: krafto_i18n::Locale,
) -> ApiResult<String> {
    let mut tx = state.db.tenant(&tenant.scope()).await?;
    let s = MarketplaceSettings::get(&mut tx).await?;
    tx.commit().await?;
    Ok(review_time_text(locale, s.review_time()))
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

/// Changes the rules (reviews, minimum photos, mandatory listing fields, payout timing);
/// every invalid field is named and nothing is written.
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
    let review_time = match &body.expected_review_time {
        Some(v) => match parse_review_time(v) {
            Ok(t) => Some(t),
            Err(e) => {
                problems.push(e.at("expected_review_time.amount"));
                None
            }
        },
        None => None,
    };
    if let Some(Err(e)) = body.payout_delay_days.map(payout_delay_days) {
        problems.push(e.at("payout_delay_days"));
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
    if let Some(t) = review_time {
        s.review_time_amount = t.amount();
        s.review_time_unit = t.unit();
    }
    if let Some(t) = body.payout_timing {
        s.payout_timing = payout_timing_of(t);
    }
    if let Some(days) = body.payout_delay_days {
        s.payout_delay_days = days;
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
