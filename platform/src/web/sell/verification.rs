//! The shop's identity verification at `/sell/verification`.

use super::{Errors, FormData, Tab, failed, with_status};
use crate::catalog::selling;
use crate::web::account::SellerPage;
use crate::web::buy::country_field;
use crate::web::{Chrome, Field, attach, render};
use askama::Template;
use krafto_api_types::Code;
use krafto_api_types::catalog::{Address, BusinessType, VerificationInput};
use krafto_core::catalog::VerificationStatus;
use krafto_web::ApiError;
use poem::http::StatusCode;
use poem::web::{Form, Redirect};
use poem::{IntoResponse, Response, handler};
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "sell/verification.html")]
struct VerificationPage {
    chrome: Chrome,
    tab: Tab,
    /// The latest submission's state, when there is one.
    status: Option<String>,
    reason: Option<String>,
    can_submit: bool,
    fields: Vec<Field>,
    error: String,
}

const BUSINESS_TYPES: [&str; 4] = ["individual", "sole_trader", "company", "association"];

/// The page with its form filled from `values` (keyed by input name) and the form's own
/// conversion `errors`; a refusal of the API is marked on its fields.
fn verification_page(
    chrome: Chrome,
    latest: Option<krafto_api_types::catalog::VerificationView>,
    values: &HashMap<String, String>,
    errors: &Errors,
    refusal: Option<&ApiError>,
    review_time: &str,
) -> Response {
    let status = latest.as_ref().map(|v| v.status.clone());
    let locale = chrome.locale;
    let text = |n: &str, key: &str| Field::filled(n, &locale.t(key), values, errors);
    let mut business_types = vec![(String::new(), locale.t("sell-choose"))];
    business_types.extend(BUSINESS_TYPES.iter().map(|v| {
        let key = format!("sell-business-{}", v.replace('_', "-"));
        ((*v).to_owned(), locale.t(&key))
    }));
    let mut fields = vec![
        text("business_type", "sell-business-type")
            .select(business_types)
            .required(),
        text("legal_name", "sell-legal-name").required(),
        text("line1", "checkout-line1")
            .api("address.line1")
            .required(),
        text("line2", "checkout-line2").api("address.line2"),
        text("postal_code", "checkout-postal-code")
            .api("address.postal_code")
            .required(),
        text("city", "checkout-city").api("address.city").required(),
        country_field(
            "country",
            "address.country",
            values.get("country").map_or("", String::as_str),
            locale,
        )
        .error(errors.get("country").cloned())
        .required(),
        text("documents", "sell-documents")
            .api("document_refs")
            .kind("textarea")
            .attr("rows", "3"),
    ];
    let error = refusal.map_or_else(String::new, |e| attach(&mut fields, e, chrome.locale));
    render(&VerificationPage {
        chrome,
        tab: Tab::Overview,
        can_submit: match status.as_deref().map(VerificationStatus::parse) {
            Some(Ok(VerificationStatus::Submitted | VerificationStatus::Approved)) => false,
            Some(Ok(VerificationStatus::Rejected) | Err(_)) | None => true,
        },
        reason: latest.and_then(|v| v.decision_reason),
        status: status.map(|s| {
            locale.t_args(
                &format!("sell-verification-{s}"),
                &[("time", review_time.into())],
            )
        }),
        fields,
        error,
    })
}

/// `GET /sell/verification`: the verification's state, and the form when one may submit.
#[handler]
pub(crate) async fn verification(page: SellerPage<'_>) -> Response {
    let SellerPage { ctx, chrome, user } = page;
    let latest = match selling::verification(ctx.state, ctx.tenant, &user).await {
        Ok(v) => Some(v),
        Err(e) if e.code == Code::NoVerification => None,
        Err(e) => return failed(chrome, &e),
    };
    let review_time =
        match crate::marketplace::settings::review_time(ctx.state, ctx.tenant, chrome.locale).await
        {
            Ok(t) => t,
            Err(e) => return failed(chrome, &e),
        };
    verification_page(
        chrome,
        latest,
        &HashMap::new(),
        &Errors::new(),
        None,
        &review_time,
    )
}

/// `POST /sell/verification`: sends the details for the marketplace to check.
#[handler]
pub(crate) async fn submit_verification(
    page: SellerPage<'_>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let SellerPage { ctx, chrome, user } = page;
    let f = FormData::from(pairs);
    let mut errors = Errors::new();
    let business_type = match f.get("business_type") {
        "individual" => Some(BusinessType::Individual),
        "sole_trader" => Some(BusinessType::SoleTrader),
        "company" => Some(BusinessType::Company),
        "association" => Some(BusinessType::Association),
        _ => {
            errors.insert("business_type".into(), "choose a business type".into());
            None
        }
    };
    let result = match business_type {
        Some(business_type) => {
            let input = VerificationInput {
                legal_name: f.get("legal_name").to_owned().into(),
                business_type,
                address: Address {
                    line1: f.get("line1").to_owned().into(),
                    line2: f.opt("line2").map(Into::into),
                    postal_code: f.get("postal_code").to_owned().into(),
                    city: f.get("city").to_owned().into(),
                    country: f.get("country").to_owned().into(),
                },
                document_refs: f
                    .get("documents")
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(Into::into)
                    .collect(),
            };
            selling::submit_verification(ctx.state, ctx.tenant, &user, ctx.rid, &input).await
        }
        None => Err(ApiError::validation(Vec::new())),
    };
    match result {
        Ok(_) => Redirect::see_other("/sell?done=verification").into_response(),
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => with_status(
            verification_page(chrome, None, &f.values(), &errors, Some(&e), ""),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(e) => failed(chrome, &e),
    }
}
