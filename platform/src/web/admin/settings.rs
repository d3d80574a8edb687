//! The marketplace's settings at `/admin/settings`: the catalog rules
//! (`marketplace::settings`) and the branding (`marketplace::branding`), with the fees agreed
//! with Krafto shown read-only.

use super::refused;
use crate::ctx::Ctx;
use crate::marketplace;
use crate::web::account::OperatorPage;
use crate::web::{Chrome, Field, api_failure, attach, render};
use askama::Template;
use krafto_api_types::catalog::MarketplaceSettingsPatch;
use krafto_api_types::control::BrandingPatch;
use krafto_core::catalog::REQUIRABLE_FIELDS;
use krafto_web::ApiError;
use poem::web::{Form, Redirect};
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
    fields: Vec<FieldChoice>,
    /// The branding form; the preview shows the saved brand (the page's own) and follows the
    /// typing with `krafto.js`.
    branding: Vec<Field>,
    display_name: String,
    tagline: String,
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

async fn settings_page(
    ctx: &Ctx<'_>,
    chrome: Chrome,
    error: Option<&ApiError>,
    typed: Option<&BrandingForm>,
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
        attach(rules.iter_mut().chain(&mut branding), e, chrome.locale)
    });
    let page = render(&SettingsPage {
        chrome: chrome.clone(),
        error: error_text,
        shop_review_required: s.shop_review_required,
        listing_review_required: s.listing_review_required,
        rules,
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

/// `GET /admin/settings`: the catalog rules and the marketplace's branding.
#[handler]
pub(crate) async fn show_settings(page: OperatorPage<'_>) -> Response {
    let OperatorPage { ctx, chrome, .. } = page;
    settings_page(&ctx, chrome, None, None).await
}

/// `POST /admin/settings`: `shop_review_required`, `listing_review_required` (checkboxes),
/// `min_photos`, `required_listing_fields` (repeated).
#[handler]
pub(crate) async fn save_settings(
    page: OperatorPage<'_>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let actor = page.actor();
    let OperatorPage { ctx, chrome, .. } = page;
    let value = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim());
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
        };
        marketplace::settings::update_settings(ctx.state, ctx.tenant, ctx.rid, &actor, &patch).await
    }
    .await;
    match done {
        Ok(_) => Redirect::see_other("/admin/settings").into_response(),
        Err(e) => settings_page(&ctx, chrome, Some(&e), None).await,
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
        Ok(_) => Redirect::see_other("/admin/settings").into_response(),
        Err(e) => settings_page(&ctx, chrome, Some(&e), Some(&form)).await,
    }
}
