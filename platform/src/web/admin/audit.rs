//! The audit log at `/admin/audit`: who did what in this marketplace, newest first
//! (`marketplace::audit`).

use super::{actor_kind, date};
use crate::marketplace;
use crate::web::account::OperatorPage;
use crate::web::{Chrome, api_failure, render};
use askama::Template;
use poem::web::Query;
use poem::{Response, handler};
use serde::Deserialize;
use uuid::Uuid;

struct AuditRow {
    at: String,
    actor: String,
    action: String,
    target: String,
    details: String,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditLogPage {
    chrome: Chrome,
    entries: Vec<AuditRow>,
    next: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct AuditQuery {
    cursor: Option<String>,
}

/// `GET /admin/audit?cursor=`: who did what, newest first, 50 a page.
#[handler]
pub(crate) async fn show_audit(page: OperatorPage<'_>, Query(q): Query<AuditQuery>) -> Response {
    let OperatorPage { ctx, chrome, .. } = page;
    // A cursor that is not one of ours starts from the newest entry again.
    let locale = chrome.locale;
    let cursor = q.cursor.as_deref().and_then(|c| c.parse::<Uuid>().ok());
    match marketplace::audit::audit(ctx.state, ctx.tenant, cursor, Some(50)).await {
        Ok(p) => render(&AuditLogPage {
            chrome,
            next: p.next_cursor.map(|c| format!("/admin/audit?cursor={c}")),
            entries: p
                .items
                .into_iter()
                .map(|e| AuditRow {
                    at: date(locale, e.at),
                    actor: format!("{} {}", actor_kind(locale, &e.actor_kind), e.actor),
                    action: e.action,
                    target: e.target,
                    details: e.details.to_string(),
                })
                .collect(),
        }),
        Err(e) => api_failure(chrome, &e),
    }
}
