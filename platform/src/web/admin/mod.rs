//! The operator console at `/admin` on each marketplace's host: the review queue, reports,
//! categories, commission rates, catalog rules and branding, orders and the audit log, in
//! the marketplace's own brand. One file per resource; this module holds what they share and
//! re-exports the handlers the routes name.
//!
//! Every page and form takes an [`OperatorPage`](super::account::OperatorPage) (the sign-in
//! redirect or the branded 403 for anyone else), then calls the very use cases the operator
//! API calls (`moderation`, `marketplace`, `commerce::orders`); nothing here decides a rule of
//! its own. Forms post, then redirect back (no JavaScript needed); a refused form re-renders
//! its page with the API's explanation and status.

mod audit;
mod categories;
mod commissions;
mod dashboard;
mod disputes;
mod legal;
mod orders;
mod reconciliation;
mod refunds;
mod reports;
mod review;
mod settings;

pub(crate) use audit::show_audit;
pub(crate) use categories::{create_category, delete_category, show_categories, update_category};
pub(crate) use commissions::{remove_commission, save_commission, show_commissions};
pub(crate) use dashboard::show_dashboard;
pub(crate) use disputes::{save_dispute_evidence, show_disputes};
pub(crate) use legal::{save_legal, show_legal};
pub(crate) use orders::{cancel_order, order, orders_list, refund_order};
pub(crate) use reconciliation::show_reconciliation;
pub(crate) use refunds::{decide_request, refund_lines, show_refunds};
pub(crate) use reports::{resolve_report, show_reports};
pub(crate) use review::{
    approve_listing, approve_shop, approve_verification, reject_listing, reject_shop,
    reject_verification, show_review,
};
pub(crate) use settings::{remove_logo, save_branding, save_settings, show_settings, upload_logo};

use super::{Chrome, api_failure};
use krafto_api_types::Code;
use krafto_i18n::Locale;
use krafto_web::{ApiError, ApiResult};
use poem::Response;
use serde::Deserialize;
use uuid::Uuid;

/// A refused form: its page again with the reason on top and the API's status (4xx), or the
/// generic failure page (5xx).
fn refused(mut page: Response, chrome: Chrome, e: &ApiError) -> Response {
    if !e.status.is_client_error() {
        return api_failure(chrome, e);
    }
    page.set_status(e.status);
    page
}

fn uuid_or_404(locale: Locale, raw: &str) -> ApiResult<Uuid> {
    raw.parse().map_err(|_| {
        ApiError::not_found(
            Code::NotFound,
            locale.t_args("console-no-such-id", &[("id", raw.into())]),
        )
    })
}

/// A moment, written the way the page's language writes it.
fn date(locale: Locale, t: chrono::DateTime<chrono::Utc>) -> String {
    locale.date_time(t)
}

/// Who did something (`buyer`, `seller`, `operator`, `system`…) in the page's language; a
/// kind this page does not know is shown as recorded.
fn actor_kind(locale: Locale, kind: &str) -> String {
    match kind {
        "buyer" | "seller" | "operator" | "system" | "platform" => {
            locale.t(&format!("console-actor-{kind}"))
        }
        // Krafto's staff, from the control plane.
        "staff" => locale.t("console-actor-platform"),
        other => other.to_owned(),
    }
}

/// The page a form redirects to says what was done (`?done=saved`): see [`Flash`](crate::web::Flash).
#[derive(Debug, Deserialize)]
pub(crate) struct DoneQuery {
    done: Option<String>,
}

/// A form carrying a reason (rejecting a shop, listing or verification; cancelling or
/// refunding an order).
#[derive(Debug, Deserialize)]
pub(crate) struct ReasonForm {
    #[serde(default)]
    reason: String,
}
