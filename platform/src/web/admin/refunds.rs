//! Refunds in the console: `/admin/refunds` (the open requests, oldest first, and what
//! sellers and the marketplace owe back), and the order page's refund forms (refund lines,
//! the delivery too if asked; accept or decline a buyer's request). `commerce::refunds`
//! decides, as for the operator API; a refused form shows the order page again with why.

use super::date;
use super::orders::{Sent, order_page};
use crate::commerce::refunds::{self as refunding, RefundBy, RefundNow};
use crate::ctx::Ctx;
use crate::web::account::OperatorPage;
use crate::web::refunds::{RefundForm, RefusedDecision};
use crate::web::{Chrome, Flash, api_failure, not_found, render};
use askama::Template;
use chrono::Utc;
use krafto_api_types::refunds::{DebtView, RefundRequestView};
use krafto_core::Money;
use krafto_db::TenantTx;
use krafto_db::models::{Order, Shop};
use krafto_i18n::Locale;
use krafto_web::{ApiError, ApiResult};
use poem::http::StatusCode;
use poem::web::{Form, Path, Redirect};
use poem::{IntoResponse, Response, handler};
use serde::Deserialize;
use std::collections::HashMap;
use uuid::Uuid;

/// An open request as the list shows it.
struct RequestRow {
    number: String,
    shop: String,
    items: String,
    reason: String,
    at: String,
    /// How long it has waited ("il y a 3 jours"), and since when.
    age: String,
    since: String,
}

/// A debt as the list shows it.
struct DebtRow {
    /// Who owes: a shop by its name, or the marketplace.
    who: String,
    amount: String,
    recovered: String,
    left: String,
    /// "remboursement", "litige".
    cause: String,
    number: Option<String>,
    since: String,
    /// "réglée le 3 décembre 2026", "en cours de recouvrement".
    state: String,
    settled: bool,
}

#[derive(Template)]
#[template(path = "admin/refunds.html")]
struct RefundsPage {
    chrome: Chrome,
    requests: Vec<RequestRow>,
    debts: Vec<DebtRow>,
}

/// The shop of each order number, by name.
async fn shops_of_orders(
    tx: &mut TenantTx,
    numbers: impl Iterator<Item = &str>,
) -> ApiResult<HashMap<String, String>> {
    let mut names: HashMap<Uuid, String> = HashMap::new();
    let mut out = HashMap::new();
    for n in numbers {
        if out.contains_key(n) {
            continue;
        }
        let Some(o) = Order::by_number(tx, n).await? else {
            continue;
        };
        let name = match names.get(&o.shop_id) {
            Some(name) => name.clone(),
            None => {
                let name = Shop::find(tx, o.shop_id).await?.name;
                names.insert(o.shop_id, name.clone());
                name
            }
        };
        out.insert(n.to_owned(), name);
    }
    Ok(out)
}

/// The shops that owe, by their ledger account (`seller:<id>`), by name.
async fn shops_of_debts(
    tx: &mut TenantTx,
    debts: &[DebtView],
) -> ApiResult<HashMap<String, String>> {
    let mut out = HashMap::new();
    for d in debts {
        if let Some(id) = d
            .recipient
            .strip_prefix("seller:")
            .and_then(|i| i.parse::<Uuid>().ok())
            && !out.contains_key(&d.recipient)
            && let Ok(s) = Shop::find(tx, id).await
        {
            out.insert(d.recipient.clone(), s.name);
        }
    }
    Ok(out)
}

/// How long ago, in days, in words.
fn age(locale: Locale, at: chrono::DateTime<Utc>) -> String {
    let days = (Utc::now() - at).num_days().max(0);
    locale.t_args("refund-age", &[("days", days.into())])
}

fn request_row(
    locale: Locale,
    r: &RefundRequestView,
    shops: &HashMap<String, String>,
) -> RequestRow {
    RequestRow {
        number: r.order_number.clone(),
        shop: shops.get(&r.order_number).cloned().unwrap_or_default(),
        items: r
            .lines
            .iter()
            .map(|l| format!("{} × {}", l.title, l.quantity))
            .collect::<Vec<_>>()
            .join(", "),
        reason: r.reason.clone(),
        at: r.created_at.to_rfc3339(),
        age: age(locale, r.created_at),
        since: date(locale, r.created_at),
    }
}

fn debt_row(locale: Locale, d: &DebtView, shops: &HashMap<String, String>) -> DebtRow {
    let money = |m: i64| locale.money(&Money::of(m, &d.currency));
    DebtRow {
        who: match d.recipient.as_str() {
            "tenant" => locale.t("refund-debtor-marketplace"),
            r => shops
                .get(r)
                .cloned()
                .unwrap_or_else(|| locale.t("audit-gone")),
        },
        amount: money(d.amount_minor),
        recovered: money(d.recovered_minor),
        left: money((d.amount_minor - d.recovered_minor).max(0)),
        cause: locale.t(if d.reason == "dispute" {
            "refund-debt-dispute"
        } else {
            "refund-debt-refund"
        }),
        number: d.order_number.clone(),
        since: locale.date(d.created_at.date_naive()),
        state: match d.settled_at {
            Some(at) => locale.t_args(
                "refund-debt-settled",
                &[("date", locale.date(at.date_naive()).into())],
            ),
            None => locale.t("refund-debt-open"),
        },
        settled: d.settled_at.is_some(),
    }
}

/// `GET /admin/refunds`: the buyers' open refund requests, oldest first, and what sellers
/// and the marketplace owe back because a refund could not be taken from their account.
#[handler]
pub(crate) async fn show_refunds(page: OperatorPage<'_>) -> Response {
    let OperatorPage { ctx, chrome, .. } = page;
    let loaded = async {
        let mut tx = ctx.tx().await?;
        let requests = refunding::open_requests(&mut tx, None).await?;
        let debts = refunding::debts(&mut tx, None).await?;
        let order_shops =
            shops_of_orders(&mut tx, requests.iter().map(|r| r.order_number.as_str())).await?;
        let debt_shops = shops_of_debts(&mut tx, &debts).await?;
        tx.commit().await?;
        Ok::<_, ApiError>((requests, debts, order_shops, debt_shops))
    }
    .await;
    let (requests, debts, order_shops, debt_shops) = match loaded {
        Ok(l) => l,
        Err(e) => return api_failure(chrome, &e),
    };
    let locale = chrome.locale;
    render(&RefundsPage {
        requests: requests
            .iter()
            .map(|r| request_row(locale, r, &order_shops))
            .collect(),
        debts: debts
            .iter()
            .map(|d| debt_row(locale, d, &debt_shops))
            .collect(),
        chrome,
    })
}

/// How many requests wait for an answer (the dashboard's to-do).
pub(super) async fn open_count(ctx: &Ctx<'_>) -> ApiResult<usize> {
    let mut tx = ctx.tx().await?;
    let n = refunding::open_requests(&mut tx, None).await?.len();
    tx.commit().await?;
    Ok(n)
}

fn back_to(number: &str, done: &str) -> Response {
    Redirect::see_other(format!(
        "/admin/orders/{}?done={done}#refunds",
        krafto_core::text::percent_encode(number)
    ))
    .into_response()
}

/// A refusal the order page explains; a missing order or request is the 404 page, anything
/// else the failure page.
async fn refused(
    ctx: &Ctx<'_>,
    chrome: Chrome,
    number: &str,
    e: &ApiError,
    sent: Sent<'_>,
) -> Response {
    if e.status == StatusCode::NOT_FOUND || !e.status.is_client_error() {
        return api_failure(chrome, e);
    }
    order_page(ctx, chrome, number, Flash::default(), Some(sent)).await
}

/// `POST /admin/orders/{number}/refunds`: refunds units of any order at once (`qty-…` per
/// line; `with_shipping` gives the delivery back too), saying why (`reason`).
#[handler]
pub(crate) async fn refund_lines(
    page: OperatorPage<'_>,
    Path(number): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let operator = page.user.user_id;
    let OperatorPage { ctx, chrome, .. } = page;
    let found = async {
        let mut tx = ctx.tx().await?;
        let v = crate::commerce::orders::operator_view(&mut tx, &number).await?;
        tx.commit().await?;
        Ok::<_, ApiError>(v)
    }
    .await;
    let v = match found {
        Ok(v) => v,
        Err(e) => return api_failure(chrome, &e),
    };
    let form = RefundForm::read(pairs, &v);
    let done = async {
        form.check(&v, "say why: the buyer is told")?;
        refunding::refund_now(
            ctx.state,
            &ctx.scope(),
            ctx.tenant,
            &number,
            RefundBy::operator(operator),
            RefundNow {
                units: &form.units,
                with_shipping: form.ticked("with_shipping"),
                reason: Some(&form.reason),
            },
        )
        .await
    }
    .await;
    match done {
        Ok(_) => back_to(&number, "lines-refunded"),
        Err(e) => refused(&ctx, chrome, &number, &e, Sent::Refund(&e, &form)).await,
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct DecisionForm {
    #[serde(default)]
    reason: String,
}

/// `POST /admin/orders/{number}/refund-requests/{id}/{accept|decline}`: decides any
/// request of the marketplace; declining says why (`reason`, the buyer is told).
#[handler]
pub(crate) async fn decide_request(
    page: OperatorPage<'_>,
    Path((number, id, decision)): Path<(String, String, String)>,
    Form(form): Form<DecisionForm>,
) -> Response {
    let operator = page.user.user_id;
    let OperatorPage { ctx, chrome, .. } = page;
    let accept = match decision.as_str() {
        "accept" => true,
        "decline" => false,
        _ => return not_found(chrome),
    };
    let Ok(id) = id.parse::<Uuid>() else {
        return not_found(chrome);
    };
    let decided = refunding::decide(
        ctx.state,
        ctx.tenant,
        id,
        RefundBy::operator(operator),
        accept,
        Some(form.reason.as_str()).filter(|r| !r.trim().is_empty()),
    )
    .await;
    match decided {
        Ok(r) => back_to(
            &r.order_number,
            if accept { "accepted" } else { "declined" },
        ),
        Err(e) => {
            let d = RefusedDecision {
                id,
                error: &e,
                reason: form.reason.clone(),
            };
            refused(&ctx, chrome, &number, &e, Sent::Decision(d)).await
        }
    }
}
