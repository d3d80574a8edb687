//! Reports at `/admin/reports`: what buyers flagged, oldest first, and the form that resolves
//! or dismisses each one (`moderation::reports`).

use super::{DoneQuery, date, refused, uuid_or_404};
use crate::ctx::Ctx;
use crate::moderation;
use crate::web::account::OperatorPage;
use crate::web::{Chrome, Field, Flash, api_failure, attach, render};
use askama::Template;
use krafto_api_types::catalog::{ReportDecision, ReportOutcome};
use krafto_core::catalog::ReportStatus;
use krafto_db::models::Shop;
use krafto_web::ApiError;
use poem::web::{Form, Path, Query, Redirect};
use poem::{IntoResponse, Response, handler};
use serde::Deserialize;

struct ReportItem {
    id: String,
    /// The closing form's outcome and note.
    fields: Vec<Field>,
    reason: String,
    details: String,
    /// What was reported (listing or shop), in the page's language.
    target_kind: String,
    target_href: String,
    /// The link's text to what was reported.
    see_target: String,
    since: String,
}

#[derive(Template)]
#[template(path = "admin/reports.html")]
struct ReportsPage {
    chrome: Chrome,
    error: String,
    flash: Flash,
    reports: Vec<ReportItem>,
}

/// The form closing report `id`.
fn resolve_fields(chrome: &Chrome, id: &str) -> Vec<Field> {
    vec![
        Field::new("outcome", &chrome.t("console-report-outcome"), "resolved")
            .id(&format!("outcome-{id}"))
            .radio(vec![
                ("resolved".into(), chrome.t("console-report-resolved")),
                ("dismissed".into(), chrome.t("console-report-dismissed")),
            ]),
        Field::new("resolution", &chrome.t("console-report-note"), "")
            .id(&format!("resolution-{id}"))
            .required()
            .attr("maxlength", "1000"),
    ]
}

/// The open reports; a refused form is said above them, and on the fields of its report
/// (`sent`, the id in its address).
async fn reports_page(
    ctx: &Ctx<'_>,
    chrome: Chrome,
    flash: Flash,
    error: Option<(&ApiError, &str)>,
) -> Response {
    let p = match moderation::review::pending(ctx.state, ctx.tenant).await {
        Ok(p) => p,
        Err(e) => return api_failure(chrome, &e),
    };
    let mut tx = match ctx.tx().await {
        Ok(tx) => tx,
        Err(e) => return api_failure(chrome, &e),
    };
    let mut items = Vec::new();
    for r in p.reports {
        // Shops are linked by slug; a shop gone since is shown without a link.
        let target_href = match r.target_kind.as_str() {
            "listing" => format!("/listings/{}", r.target_id),
            _ => Shop::find(&mut tx, r.target_id)
                .await
                .map(|s| format!("/shops/{}", s.slug))
                .unwrap_or_default(),
        };
        let (target_kind, see_target) = match r.target_kind.as_str() {
            "listing" | "shop" => (
                chrome.t(&format!("console-report-target-{}", r.target_kind)),
                chrome.t(&format!("console-report-see-{}", r.target_kind)),
            ),
            other => (other.to_owned(), other.to_owned()),
        };
        // Reasons are the report form's codes, said as the buyer was offered them.
        let reason = match r.reason.as_str() {
            "prohibited_item"
            | "counterfeit"
            | "offensive"
            | "misleading"
            | "intellectual_property"
            | "other" => chrome.t(&format!("report-reason-{}", r.reason.replace('_', "-"))),
            _ => r.reason,
        };
        items.push(ReportItem {
            id: r.id.to_string(),
            fields: resolve_fields(&chrome, &r.id.to_string()),
            reason,
            details: r.details.unwrap_or_default(),
            target_kind,
            target_href,
            see_target,
            since: date(chrome.locale, r.created_at),
        });
    }
    if let Err(e) = tx.commit().await {
        return api_failure(chrome, &ApiError::from(e));
    }
    let error_text = error.map_or_else(String::new, |(e, sent)| {
        let fields = items
            .iter_mut()
            .filter(|r| r.id == sent)
            .flat_map(|r| &mut r.fields);
        attach(fields, e, chrome.locale)
    });
    let page = render(&ReportsPage {
        chrome: chrome.clone(),
        flash,
        error: error_text,
        reports: items,
    });
    match error {
        Some((e, _)) => refused(page, chrome, e),
        None => page,
    }
}

/// `GET /admin/reports`: open reports, oldest first.
#[handler]
pub(crate) async fn show_reports(page: OperatorPage<'_>, Query(q): Query<DoneQuery>) -> Response {
    let OperatorPage { ctx, chrome, .. } = page;
    let flash = Flash::from_done(
        q.done.as_deref(),
        &[("closed", "console-done-report-closed")],
    );
    reports_page(&ctx, chrome, flash, None).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct ResolveForm {
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    resolution: String,
}

/// `POST /admin/reports/{id}/resolve` (`outcome` resolved or dismissed, `resolution` note)
#[handler]
pub(crate) async fn resolve_report(
    page: OperatorPage<'_>,
    Path(id): Path<String>,
    Form(form): Form<ResolveForm>,
) -> Response {
    let actor = page.actor();
    let OperatorPage { ctx, chrome, .. } = page;
    let done = async {
        let id = uuid_or_404(chrome.locale, &id)?;
        let outcome = match ReportStatus::parse(&form.outcome) {
            Ok(ReportStatus::Resolved) => ReportOutcome::Resolved,
            Ok(ReportStatus::Dismissed) => ReportOutcome::Dismissed,
            Ok(ReportStatus::Open) | Err(_) => {
                return Err(ApiError::field(krafto_core::FieldError::new(
                    "outcome",
                    chrome.t("console-report-choose-outcome"),
                )));
            }
        };
        let decision = ReportDecision {
            outcome,
            resolution: form.resolution.clone().into(),
        };
        moderation::reports::resolve_report(ctx.state, ctx.tenant, ctx.rid, &actor, id, &decision)
            .await
    }
    .await;
    match done {
        Ok(_) => Redirect::see_other("/admin/reports?done=closed").into_response(),
        Err(e) => reports_page(&ctx, chrome, Flash::default(), Some((&e, &id))).await,
    }
}
