//! Storefront reports: a signed-in buyer reports a listing or a shop to the marketplace's
//! operators (the same `file_report` as the store API).

use super::account::SignedInPage;
use super::{Chrome, Field, api_failure, message, render, summary};
use crate::catalog::browse::file_report;
use askama::Template;
use krafto_api_types::catalog::{ReportInput, ReportReason, ReportTarget};
use krafto_db::models::{Listing, Shop};
use poem::http::StatusCode;
use poem::web::{Form, Query};
use poem::{Response, handler};
use serde::Deserialize;
use uuid::Uuid;

/// The reasons, as the form sends them; their words are the messages `report-reason-…`.
const REASONS: &[&str] = &[
    "prohibited_item",
    "counterfeit",
    "offensive",
    "misleading",
    "intellectual_property",
    "other",
];

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    chrome: Chrome,
    what: String,
    kind: &'static str,
    target_id: String,
    target_name: String,
    error: String,
}

impl ReportPage {
    fn fields(&self) -> [Field; 2] {
        [
            Field::new("reason", &self.chrome.t("report-reason"), "")
                .required()
                .radio(
                    REASONS
                        .iter()
                        .map(|v| {
                            let key = format!("report-reason-{}", v.replace('_', "-"));
                            ((*v).to_owned(), self.chrome.t(&key))
                        })
                        .collect(),
                ),
            Field::new("details", &self.chrome.t("report-details"), "")
                .kind("textarea")
                .attr("rows", "4")
                .attr("maxlength", "2000"),
        ]
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct TargetQuery {
    listing: Option<String>,
    shop: Option<String>,
}

/// `GET /report?listing={id}` or `?shop={slug}`: the report form (sign in first).
#[handler]
pub(crate) async fn report_form(Query(q): Query<TargetQuery>, page: SignedInPage<'_>) -> Response {
    let SignedInPage { ctx, chrome, .. } = page;
    let found = async {
        let mut tx = ctx.tx().await?;
        let target = match (&q.listing, &q.shop) {
            (Some(id), _) => match id.parse::<Uuid>() {
                Ok(id) => Listing::find(&mut tx, id)
                    .await
                    .ok()
                    .map(|l| ("listing", "report-a-listing", l.id, l.title)),
                Err(_) => None,
            },
            (None, Some(slug)) => Shop::find_by_slug(&mut tx, slug)
                .await?
                .map(|s| ("shop", "report-a-shop", s.id, s.name)),
            (None, None) => None,
        };
        tx.commit().await?;
        Ok::<_, krafto_web::ApiError>(target)
    }
    .await;
    match found {
        Ok(Some((kind, what, id, name))) => render(&ReportPage {
            what: chrome.t(what),
            chrome,
            kind,
            target_id: id.to_string(),
            target_name: name,
            error: String::new(),
        }),
        Ok(None) => crate::web::not_found(chrome),
        Err(e) => api_failure(chrome, &e),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct ReportForm {
    target_kind: String,
    target_id: String,
    reason: String,
    #[serde(default)]
    details: String,
}

/// `POST /report`: files the report. Signed out, its route sends to `/sign-in` with no page
/// to come back to (`/report` alone has nothing to report).
#[handler]
pub(crate) async fn report_submit(page: SignedInPage<'_>, form: Form<ReportForm>) -> Response {
    let SignedInPage { ctx, chrome, user } = page;
    let reason = match form.reason.as_str() {
        "prohibited_item" => Some(ReportReason::ProhibitedItem),
        "counterfeit" => Some(ReportReason::Counterfeit),
        "offensive" => Some(ReportReason::Offensive),
        "misleading" => Some(ReportReason::Misleading),
        "intellectual_property" => Some(ReportReason::IntellectualProperty),
        "other" => Some(ReportReason::Other),
        _ => None,
    };
    let target_kind = match form.target_kind.as_str() {
        "listing" => Some(ReportTarget::Listing),
        "shop" => Some(ReportTarget::Shop),
        _ => None,
    };
    let (Some(reason), Some(target_kind), Ok(target_id)) =
        (reason, target_kind, form.target_id.parse::<Uuid>())
    else {
        let (heading, text) = (
            chrome.t("report-not-sent"),
            chrome.t("report-choose-reason"),
        );
        return message(chrome, StatusCode::UNPROCESSABLE_ENTITY, &heading, &text);
    };
    let input = ReportInput {
        target_kind,
        target_id,
        reason,
        details: Some(form.details.clone())
            .filter(|d| !d.trim().is_empty())
            .map(Into::into),
    };
    match file_report(ctx.state, ctx.tenant, user.user_id, &input).await {
        Ok(_) => {
            let (heading, text) = (chrome.t("report-thanks"), chrome.t("report-sent"));
            message(chrome, StatusCode::CREATED, &heading, &text)
        }
        Err(e) if e.status.is_client_error() => {
            let heading = chrome.t("report-not-sent");
            {
                let said = summary(&e, chrome.locale);
                message(chrome, e.status, &heading, &said)
            }
        }
        Err(e) => api_failure(chrome, &e),
    }
}
