//! The marketplace's settings at `/admin/settings`: the catalog rules and when sellers are
//! paid (`marketplace::settings`) and the branding (`marketplace::branding`), with the fees agreed
//! with Krafto shown read-only.

use super::refused;
use crate::ctx::Ctx;
use crate::marketplace;
use crate::web::account::OperatorPage;
use crate::web::{Chrome, Field, Flash, api_failure, attach, render};
use askama::Template;
use krafto_api_types::catalog::{
    MarketplaceSettingsPatch, PayoutTimingName, ReviewTimeUnitName, ReviewTimeView,
};
use krafto_api_types::control::BrandingPatch;
use krafto_core::catalog::REQUIRABLE_FIELDS;
use krafto_web::ApiError;
use poem::web::{Form, Query, Redirect};
use poem::{IntoResponse, Response, handler};
use poem_openapi::types::MaybeUndefined;
use serde::Deserialize;

struct FieldChoice {
    name: &'static str,
    /// The field's name for people.
    label: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "admin/settings.html")]
struct SettingsPage {
    chrome: Chrome,
    error: String,
    shop_review_required: bool,
    listing_review_required: bool,
    /// The minimum number of photos.
    rules: Vec<Field>,
    /// How long a review usually takes: an amount and its unit.
    review_time: Vec<Field>,
    /// When sellers are paid, and the days after delivery.
    payouts: Vec<Field>,
    fields: Vec<FieldChoice>,
    /// The branding form; the preview shows the saved brand (the page's own) and follows the
    /// typing with `krafto.js`.
    branding: Vec<Field>,
    display_name: String,
    tagline: String,
    /// The uploaded logo, with why the last upload was refused and the confirmation of the
    /// last change.
    logo: Option<krafto_api_types::ImageView>,
    logo_error: String,
    flash: Flash,
    max_mb: usize,
    /// The fees agreed with Krafto (shown; changed in the control plane).
    commission: String,
    platform_fee: String,
    buyer_fee: String,
}

/// The branding form as typed (kept when refused, so nothing typed is lost).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct BrandingForm {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    primary_color: String,
    #[serde(default)]
    accent_color: String,
    #[serde(default)]
    logo_url: String,
    #[serde(default)]
    tagline: String,
}

/// The review time and the payout timing as typed (kept when refused).
#[derive(Debug, Clone, Default)]
struct TypedReviewTime {
    amount: String,
    unit: String,
    payout_timing: String,
    payout_delay_days: String,
}

fn timing_text(t: PayoutTimingName) -> &'static str {
    match t {
        PayoutTimingName::AtPayment => "at_payment",
        PayoutTimingName::AtShipping => "at_shipping",
        PayoutTimingName::AfterDelivery => "after_delivery",
    }
}

/// What the page says besides its forms: a confirmation, or why a logo was refused.
#[derive(Debug, Default)]
struct Notes {
    flash: Flash,
    logo_error: String,
}

/// The confirmations of the settings page (`?done=`).
const FLASHES: &[(&str, &str)] = &[
    ("logo", "media-flash-marketplace-logo"),
    ("logo-removed", "media-flash-marketplace-logo-removed"),
    ("rules", "console-done-settings-saved"),
    ("branding", "console-done-branding-saved"),
];

async fn settings_page(
    ctx: &Ctx<'_>,
    chrome: Chrome,
    error: Option<&ApiError>,
    typed: Option<&BrandingForm>,
    typed_review: Option<&TypedReviewTime>,
    notes: Notes,
) -> Response {
    let tenant = ctx.tenant;
    let s = match marketplace::settings::settings(ctx.state, tenant).await {
        Ok(s) => s,
        Err(e) => return api_failure(chrome, &e),
    };
    let stored = BrandingForm {
        display_name: tenant.display_name.clone(),
        primary_color: tenant.primary_color.clone(),
        accent_color: tenant.accent_color.clone(),
        logo_url: tenant.logo_url.clone().unwrap_or_default(),
        tagline: tenant.tagline.clone().unwrap_or_default(),
    };
    let b = typed.cloned().unwrap_or(stored);
    let mut rules = vec![
        Field::new(
            "min_photos",
            &chrome.t("console-settings-min-photos"),
            s.min_photos.to_string(),
        )
        .kind("number")
        .required()
        .attr("min", "0")
        .attr("max", "20"),
    ];
    let review = typed_review.cloned().unwrap_or_else(|| TypedReviewTime {
        amount: s.expected_review_time.amount.to_string(),
        unit: match s.expected_review_time.unit {
            ReviewTimeUnitName::Hours => "hours",
            ReviewTimeUnitName::Days => "days",
        }
        .to_owned(),
        payout_timing: timing_text(s.payout_timing).to_owned(),
        payout_delay_days: s.payout_delay_days.to_string(),
    });
    let mut payouts = vec![
        Field::new(
            "payout_timing",
            &chrome.t("console-settings-payout-timing"),
            review.payout_timing.clone(),
        )
        .select(
            [
                PayoutTimingName::AtPayment,
                PayoutTimingName::AtShipping,
                PayoutTimingName::AfterDelivery,
            ]
            .into_iter()
            .map(|t| {
                let text = timing_text(t);
                (
                    text.to_owned(),
                    chrome.t(&format!(
                        "console-settings-payout-{}",
                        text.replace('_', "-")
                    )),
                )
            })
            .collect(),
        ),
        Field::new(
            "payout_delay_days",
            &chrome.t("console-settings-payout-delay"),
            review.payout_delay_days.clone(),
        )
        .kind("number")
        .required()
        .attr("min", "0")
        .attr("max", "60")
        .hint(&chrome.t("console-settings-payout-delay-hint")),
    ];
    let mut review_time = vec![
        Field::new(
            "review_time_amount",
            &chrome.t("console-settings-review-amount"),
            review.amount,
        )
        .api("expected_review_time.amount")
        .kind("number")
        .required()
        .attr("min", "1")
        .attr("max", "168"),
        Field::new(
            "review_time_unit",
            &chrome.t("console-settings-review-unit"),
            review.unit,
        )
        .api("expected_review_time.unit")
        .select(vec![
            (
                "hours".to_owned(),
                chrome.t("console-settings-review-hours"),
            ),
            ("days".to_owned(), chrome.t("console-settings-review-days")),
        ]),
    ];
    let colour = |name: &str, label: &str, value: &str| {
        Field::new(name, label, value)
            .required()
            .autocomplete("off")
            .attr("pattern", "#[0-9a-fA-F]{6}")
            .attr("maxlength", "7")
    };
    let mut branding = vec![
        Field::new(
            "display_name",
            &chrome.t("console-branding-name"),
            &b.display_name,
        )
        .required()
        .attr("maxlength", "120"),
        colour(
            "primary_color",
            &chrome.t("console-branding-primary"),
            &b.primary_color,
        ),
        colour(
            "accent_color",
            &chrome.t("console-branding-accent"),
            &b.accent_color,
        ),
        Field::new("logo_url", &chrome.t("console-branding-logo"), &b.logo_url)
            .kind("url")
            .attr("maxlength", "2000"),
        Field::new("tagline", &chrome.t("console-branding-tagline"), &b.tagline)
            .attr("maxlength", "200"),
    ];
    let error_text = error.map_or_else(String::new, |e| {
        attach(
            rules
                .iter_mut()
                .chain(&mut review_time)
                .chain(&mut payouts)
                .chain(&mut branding),
            e,
            chrome.locale,
        )
    });
    let page = render(&SettingsPage {
        chrome: chrome.clone(),
        error: error_text,
        shop_review_required: s.shop_review_required,
        listing_review_required: s.listing_review_required,
        rules,
        review_time,
        payouts,
        fields: REQUIRABLE_FIELDS
            .iter()
            .map(|f| FieldChoice {
                name: f,
                label: chrome.t(&format!("console-field-{}", f.replace('_', "-"))),
                checked: s.required_listing_fields.iter().any(|r| r == f),
            })
            .collect(),
        branding,
        display_name: b.display_name,
        tagline: b.tagline,
        logo: krafto_web::views::branding(tenant).logo,
        logo_error: notes.logo_error,
        flash: notes.flash,
        max_mb: ctx.state.media.limits.max_bytes / (1024 * 1024),
        commission: chrome
            .locale
            .percent_bps(tenant.seller_commission_bps.into()),
        platform_fee: chrome.locale.percent_bps(tenant.platform_fee_bps.into()),
        buyer_fee: chrome.locale.percent_bps(tenant.buyer_fee_bps.into()),
    });
    match error {
        Some(e) => refused(page, chrome, e),
        None => page,
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct DoneQuery {
    done: Option<String>,
}

/// `GET /admin/settings`: the catalog rules and the marketplace's branding.
#[handler]
pub(crate) async fn show_settings(page: OperatorPage<'_>, Query(q): Query<DoneQuery>) -> Response {
    let OperatorPage { ctx, chrome, .. } = page;
    let notes = Notes {
        flash: Flash::from_done(q.done.as_deref(), FLASHES),
        ..Notes::default()
    };
    settings_page(&ctx, chrome, None, None, None, notes).await
}

/// `POST /admin/settings`: `shop_review_required`, `listing_review_required` (checkboxes),
/// `min_photos`, `review_time_amount` with `review_time_unit` (`hours` or `days`),
/// `required_listing_fields` (repeated), `payout_timing` (`at_payment`, `at_shipping` or
/// `after_delivery`) and `payout_delay_days`.
#[handler]
pub(crate) async fn save_settings(
    page: OperatorPage<'_>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let actor = page.actor();
    let OperatorPage { ctx, chrome, .. } = page;
    let value = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim());
    let typed_review = TypedReviewTime {
        amount: value("review_time_amount").unwrap_or("").to_owned(),
        unit: value("review_time_unit").unwrap_or("").to_owned(),
        payout_timing: value("payout_timing").unwrap_or("").to_owned(),
        payout_delay_days: value("payout_delay_days").unwrap_or("").to_owned(),
    };
    let done = async {
        let min_photos = match value("min_photos").unwrap_or("") {
            "" => None,
            v => Some(v.parse::<i32>().map_err(|_| {
                ApiError::field(krafto_core::FieldError::new(
                    "min_photos",
                    chrome.t("console-settings-min-photos-invalid"),
                ))
            })?),
        };
        let expected_review_time = match (typed_review.amount.as_str(), typed_review.unit.as_str())
        {
            ("", "") => None,
            (amount, unit) => {
                let amount = amount.parse::<i32>().map_err(|_| {
                    ApiError::field(krafto_core::FieldError::new(
                        "expected_review_time.amount",
                        chrome.t("console-settings-review-invalid"),
                    ))
                })?;
                let unit = match unit {
                    "hours" => ReviewTimeUnitName::Hours,
                    "days" => ReviewTimeUnitName::Days,
                    _ => {
                        return Err(ApiError::field(krafto_core::FieldError::new(
                            "expected_review_time.unit",
                            chrome.t("console-settings-review-unit-invalid"),
                        )));
                    }
                };
                Some(ReviewTimeView { amount, unit })
            }
        };
        let payout_timing = match typed_review.payout_timing.as_str() {
            "" => None,
            "at_payment" => Some(PayoutTimingName::AtPayment),
            "at_shipping" => Some(PayoutTimingName::AtShipping),
            "after_delivery" => Some(PayoutTimingName::AfterDelivery),
            _ => {
                return Err(ApiError::field(krafto_core::FieldError::new(
                    "payout_timing",
                    chrome.t("console-settings-payout-timing-invalid"),
                )));
            }
        };
        let payout_delay_days = match typed_review.payout_delay_days.as_str() {
            "" => None,
            v => Some(v.parse::<i32>().map_err(|_| {
                ApiError::field(krafto_core::FieldError::new(
                    "payout_delay_days",
                    chrome.t("console-settings-payout-delay-invalid"),
                ))
            })?),
        };
        let patch = MarketplaceSettingsPatch {
            // An unticked checkbox sends nothing: absent means off.
            shop_review_required: Some(value("shop_review_required").is_some()),
            listing_review_required: Some(value("listing_review_required").is_some()),
            min_photos,
            required_listing_fields: Some(
                pairs
                    .iter()
                    .filter(|(k, _)| k == "required_listing_fields")
                    .map(|(_, v)| v.clone().into())
                    .collect(),
            ),
            expected_review_time,
            payout_timing,
            payout_delay_days,
        };
        marketplace::settings::update_settings(ctx.state, ctx.tenant, ctx.rid, &actor, &patch).await
    }
    .await;
    match done {
        Ok(_) => Redirect::see_other("/admin/settings?done=rules").into_response(),
        Err(e) => {
            settings_page(
                &ctx,
                chrome,
                Some(&e),
                None,
                Some(&typed_review),
                Notes::default(),
            )
            .await
        }
    }
}

/// `POST /admin/branding`: `display_name`, `primary_color`, `accent_color` (`#rrggbb`),
/// `logo_url` and `tagline` (blank removes them).
#[handler]
pub(crate) async fn save_branding(
    page: OperatorPage<'_>,
    Form(form): Form<BrandingForm>,
) -> Response {
    let actor = page.actor();
    let OperatorPage { ctx, chrome, .. } = page;
    let optional = |v: &str| match v.trim() {
        "" => MaybeUndefined::Null,
        v => MaybeUndefined::Value(v.into()),
    };
    let patch = BrandingPatch {
        display_name: Some(form.display_name.clone().into()),
        logo_url: optional(&form.logo_url),
        primary_color: Some(form.primary_color.clone().into()),
        accent_color: Some(form.accent_color.clone().into()),
        tagline: optional(&form.tagline),
    };
    match marketplace::branding::update_branding(ctx.state, ctx.tenant, ctx.rid, &actor, &patch)
        .await
    {
        Ok(_) => Redirect::see_other("/admin/settings?done=branding#branding").into_response(),
        Err(e) => settings_page(&ctx, chrome, Some(&e), Some(&form), None, Notes::default()).await,
    }
}

/// `POST /admin/branding/logo` (`multipart/form-data`, the file as `image`): the
/// marketplace's logo, through the same checks and pipeline as the API. A refused file
/// changes nothing and the page says why.
#[handler]
pub(crate) async fn upload_logo(page: OperatorPage<'_>, parts: poem::web::Multipart) -> Response {
    let actor = page.actor();
    let OperatorPage { ctx, chrome, .. } = page;
    let max = ctx.state.media.limits.max_bytes;
    let result = match crate::web::upload::read(parts, max).await.image {
        Ok(bytes) => {
            marketplace::branding::set_logo(ctx.state, ctx.tenant, ctx.rid, &actor, "image", bytes)
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Redirect::see_other("/admin/settings?done=logo#logo").into_response(),
        Err(e) => {
            let Some(text) = crate::web::upload::refusal(chrome.locale, &e, max / (1024 * 1024))
            else {
                return api_failure(chrome, &e);
            };
            let notes = Notes {
                logo_error: text,
                ..Notes::default()
            };
            let mut r = settings_page(&ctx, chrome, None, None, None, notes).await;
            r.set_status(e.status);
            r
        }
    }
}

/// `POST /admin/branding/logo/remove`: removes the uploaded logo.
#[handler]
pub(crate) async fn remove_logo(page: OperatorPage<'_>) -> Response {
    let actor = page.actor();
    let OperatorPage { ctx, chrome, .. } = page;
    match marketplace::branding::remove_logo(ctx.state, ctx.tenant, ctx.rid, &actor).await {
        Ok(_) => Redirect::see_other("/admin/settings?done=logo-removed#logo").into_response(),
        Err(e) => api_failure(chrome, &e),
    }
}
