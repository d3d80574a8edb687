//! Storefront reports: a signed-in buyer reports a listing or a shop to the marketplace's
//! operators (the same `file_report` as the store API).

use super::account::SignedInPage;
use super::{Chrome, api_failure, message, render};
use crate::catalog::browse::file_report;
use crate::ctx::Ctx;
use askama::Template;
use krafto_api_types::catalog::{ReportInput, ReportReason, ReportTarget};
use krafto_db::models::{Listing, Shop};
use poem::http::StatusCode;
use poem::web::{Form, Query, Redirect};
use poem::{IntoResponse, Response, handler};
use serde::Deserialize;
use uuid::Uuid;

const REASONS: &[(&str, &str)] = &[
    ("prohibited_item", "It is not allowed on this marketplace"),
    ("counterfeit", "It is counterfeit"),
    ("offensive", "It is offensive"),
    ("misleading", "The description is misleading"),
    ("intellectual_property", "It copies someone's work"),
    ("other", "Something else"),
];

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    chrome: Chrome,
    what: &'static str,
    kind: &'static str,
    target_id: String,
    target_name: String,
    reasons: &'static [(&'static str, &'static str)],
    error: String,
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
                    .map(|l| ("listing", "a listing", l.id, l.title)),
                Err(_) => None,
            },
            (None, Some(slug)) => Shop::find_by_slug(&mut tx, slug)
                .await?
                .map(|s| ("shop", "a shop", s.id, s.name)),
            (None, None) => None,
        };
        tx.commit().await?;
        Ok::<_, krafto_web::ApiError>(target)
    }
    .await;
    match found {
        Ok(Some((kind, what, id, name))) => render(&ReportPage {
            chrome,
            what,
            kind,
            target_id: id.to_string(),
            target_name: name,
            reasons: REASONS,
            error: String::new(),
        }),
        Ok(None) => message(
            chrome,
            StatusCode::NOT_FOUND,
            "Not found",
            "There is nothing to report at this address.",
        ),
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

/// `POST /report`: files the report.
///
/// Not a [`SignedInPage`]: signed out, it sends to `/sign-in` with no page to come back to
/// (`/report` alone has nothing to report), as it always has.
#[handler]
pub(crate) async fn report_submit(ctx: Ctx<'_>, form: Form<ReportForm>) -> Response {
    let chrome = Chrome::of(ctx.req, ctx.state, ctx.tenant);
    let Some(user) = ctx.session() else {
        return Redirect::see_other("/sign-in").into_response();
    };
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
        return message(
            chrome,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Not sent",
            "Choose a reason for your report and send it again.",
        );
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
        Ok(_) => message(
            chrome,
            StatusCode::CREATED,
            "Thank you",
            "Your report reached the marketplace's team. They review every report.",
        ),
        Err(e) if e.status.is_client_error() => message(chrome, e.status, "Not sent", &e.detail),
        Err(e) => api_failure(chrome, &e),
    }
}
