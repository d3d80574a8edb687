//! The seller's side of refunds on the dashboard: the forms of an order's page (refund units
//! at once, accept or decline a buyer's request), the open requests the orders list shows,
//! and, for the payouts page, what refunds took back and what the shop owes, in words.
//!
//! `commerce::refunds` decides who may refund what; this module only turns forms into its
//! inputs and its answers into pages. It never decides a refund rule.

use super::orders::{Sent, order_page};
use super::{failed, with_status};
use crate::commerce::refunds::{self as refunding, RefundNow};
use crate::commerce::selling as sales;
use crate::ctx::Ctx;
use crate::web::Flash;
use crate::web::account::SellerPage;
use crate::web::refunds::{RefundForm, RefusedDecision, who};
use krafto_api_types::Code;
use krafto_api_types::commerce::{OrderView, SellerBalance};
use krafto_api_types::refunds::{DebtView, RefundRequestView, SettlementName};
use krafto_auth::UserClaims;
use krafto_core::Money;
use krafto_i18n::Locale;
use krafto_web::{ApiError, ApiResult};
use poem::http::StatusCode;
use poem::web::{Form, Path, Redirect};
use poem::{IntoResponse, Response, handler};
use serde::Deserialize;
use uuid::Uuid;

/// An open request as the orders list shows it.
pub(crate) struct OpenRequestRow {
    pub number: String,
    pub at: String,
    pub when: String,
    pub items: String,
    pub reason: String,
}

pub(crate) fn open_request_rows(
    locale: Locale,
    requests: &[RefundRequestView],
) -> Vec<OpenRequestRow> {
    requests
        .iter()
        .map(|r| OpenRequestRow {
            number: r.order_number.clone(),
            at: r.created_at.to_rfc3339(),
            when: locale.date_time(r.created_at),
            items: r
                .lines
                .iter()
                .map(|l| format!("{} × {}", l.title, l.quantity))
                .collect::<Vec<_>>()
                .join(", "),
            reason: r.reason.clone(),
        })
        .collect()
}

/// The order's page, after a form of it: its confirmation (`done`) on top.
fn back_to(number: &str, done: &str) -> Response {
    Redirect::see_other(format!(
        "/sell/orders/{}?done={done}#refunds",
        krafto_core::text::percent_encode(number)
    ))
    .into_response()
}

/// A refusal the order page explains (what was sent was wrong, or the order moved on);
/// anything else is the dashboard's failure page.
fn explained(e: &ApiError) -> bool {
    e.status.is_client_error() && e.status != StatusCode::NOT_FOUND && e.code != Code::NoShop
}

/// The order's page again, with the refused form.
async fn shown_again(
    ctx: &Ctx<'_>,
    chrome: crate::web::Chrome,
    user: &UserClaims,
    number: &str,
    e: &ApiError,
    sent: Sent<'_>,
) -> Response {
    match sales::order(ctx.state, ctx.tenant, user, number).await {
        Ok(o) => with_status(
            order_page(chrome, o, Flash::default(), Some(sent)),
            e.status,
        ),
        Err(e) => failed(chrome, &e),
    }
}

/// `POST /sell/orders/{number}/refunds`: refunds units of the order at once (`qty-…` per
/// line), saying why (`reason`): the buyer is told, and the seller's part comes out of
/// their earnings.
#[handler]
pub(crate) async fn refund_units(
    page: SellerPage<'_>,
    Path(number): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let SellerPage { ctx, chrome, user } = page;
    let v = match sales::order(ctx.state, ctx.tenant, &user, &number).await {
        Ok(v) => v,
        Err(e) => return failed(chrome, &e),
    };
    let form = RefundForm::read(pairs, &v);
    let done = async {
        form.check(&v, "say why: the buyer is told")?;
        let by = sales::refund_by(ctx.state, ctx.tenant, &user).await?;
        refunding::refund_now(
            ctx.state,
            &ctx.scope(),
            ctx.tenant,
            &number,
            by,
            RefundNow {
                units: &form.units,
                with_shipping: false,
                reason: Some(&form.reason),
            },
        )
        .await
    }
    .await;
    match done {
        Ok(_) => back_to(&number, "refunded"),
        Err(e) if explained(&e) => {
            shown_again(&ctx, chrome, &user, &number, &e, Sent::Refund(&e, &form)).await
        }
        Err(e) => failed(chrome, &e),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct DecisionForm {
    #[serde(default)]
    reason: String,
}

/// `POST /sell/orders/{number}/refund-requests/{id}/{accept|decline}`: decides a buyer's
/// request on one of the shop's orders; declining says why (`reason`, the buyer is told).
#[handler]
pub(crate) async fn decide_request(
    page: SellerPage<'_>,
    Path((number, id, decision)): Path<(String, String, String)>,
    Form(form): Form<DecisionForm>,
) -> Response {
    let SellerPage { ctx, chrome, user } = page;
    let (Ok(id), Some(accept)) = (
        id.parse::<Uuid>(),
        match decision.as_str() {
            "accept" => Some(true),
            "decline" => Some(false),
            _ => None,
        },
    ) else {
        return crate::web::not_found(chrome);
    };
    let done = async {
        let by = sales::refund_by(ctx.state, ctx.tenant, &user).await?;
        refunding::decide(
            ctx.state,
            ctx.tenant,
            id,
            by,
            accept,
            Some(&form.reason)
                .filter(|r| !r.trim().is_empty())
                .map(String::as_str),
        )
        .await
    }
    .await;
    match done {
        Ok(r) => back_to(
            &r.order_number,
            if accept { "accepted" } else { "declined" },
        ),
        Err(e) if explained(&e) => {
            let refused = RefusedDecision {
                id,
                error: &e,
                reason: form.reason.clone(),
            };
            shown_again(&ctx, chrome, &user, &number, &e, Sent::Decision(refused)).await
        }
        Err(e) => failed(chrome, &e),
    }
}

// ---- The payouts page's block: what refunds took back, and what the shop owes ----

/// What refunds took back from the shop and what it owes, each in a sentence, for the
/// payouts page (`sell/taken_back.html`).
#[derive(Default)]
pub(crate) struct TakenBack {
    /// Why the pending balance is below zero (empty when it is not).
    pub negative: String,
    /// What the shop owes now, one sentence per debt.
    pub owed: Vec<String>,
    /// What was taken back from transfers already sent (empty when nothing).
    pub reversed: String,
    /// Each refund of the recent orders that took money from the shop.
    pub refunds: Vec<String>,
    /// Debts paid off by later transfers.
    pub recovered: Vec<String>,
}

impl TakenBack {
    pub(crate) fn is_empty(&self) -> bool {
        self.negative.is_empty()
            && self.owed.is_empty()
            && self.reversed.is_empty()
            && self.refunds.is_empty()
            && self.recovered.is_empty()
    }
}

/// Why a debt was made, as the end of "à la suite …" ("d’un remboursement sur la commande
/// LYON-000042").
fn cause(locale: Locale, d: &DebtView) -> String {
    let kind = if d.reason == "dispute" {
        "dispute"
    } else {
        "refund"
    };
    match &d.order_number {
        Some(n) => locale.t_args(
            &format!("refund-cause-{kind}-order"),
            &[("number", n.as_str().into())],
        ),
        None => locale.t(&format!("refund-cause-{kind}")),
    }
}

/// The payouts page's explanation of refunds, reversals and debts (reads the shop's debts).
pub(crate) async fn taken_back(
    ctx: &Ctx<'_>,
    user: &UserClaims,
    locale: Locale,
    balance: &SellerBalance,
    recent: &[OrderView],
) -> ApiResult<TakenBack> {
    let debts = sales::debts(ctx.state, ctx.tenant, user).await?;
    let money = |m: i64, currency: &str| locale.money(&Money::of(m, currency));
    let mut t = TakenBack::default();
    if balance.pending_minor < 0 {
        t.negative = locale.t_args(
            "refund-payout-negative",
            &[(
                "amount",
                money(balance.pending_minor, &balance.currency).into(),
            )],
        );
    }
    for d in &debts {
        let left = d.amount_minor - d.recovered_minor;
        if d.settled_at.is_none() && left > 0 {
            let key = if d.recovered_minor > 0 {
                "refund-payout-owed-partly"
            } else {
                "refund-payout-owed"
            };
            t.owed.push(locale.t_args(
                key,
                &[
                    ("amount", money(left, &d.currency).into()),
                    ("recovered", money(d.recovered_minor, &d.currency).into()),
                    ("cause", cause(locale, d).into()),
                ],
            ));
        } else if let Some(at) = d.settled_at {
            t.recovered.push(locale.t_args(
                "refund-payout-recovered",
                &[
                    ("amount", money(d.amount_minor, &d.currency).into()),
                    ("cause", cause(locale, d).into()),
                    ("date", locale.date(at.date_naive()).into()),
                ],
            ));
        }
    }
    if balance.reversed_minor > 0 {
        t.reversed = locale.t_args(
            "refund-payout-reversed",
            &[(
                "amount",
                money(balance.reversed_minor, &balance.currency).into(),
            )],
        );
    }
    for o in recent {
        for r in &o.refunds {
            let Some(part) = r.seller_minor.filter(|p| *p > 0) else {
                continue;
            };
            t.refunds.push(
                locale.t_args(
                    "refund-payout-refund",
                    &[
                        ("number", o.number.as_str().into()),
                        ("date", locale.date(r.created_at.date_naive()).into()),
                        ("amount", money(r.amount_minor, &r.currency).into()),
                        ("reason", r.reason.as_str().into()),
                        ("part", money(part, &r.currency).into()),
                        (
                            "who",
                            who(locale, r.by.as_deref().unwrap_or("system")).into(),
                        ),
                        (
                            "state",
                            locale
                                .t(match r.status {
                                    SettlementName::Pending => "refund-state-pending",
                                    SettlementName::Sent => "refund-state-sent",
                                    SettlementName::Failed => "refund-state-failed",
                                })
                                .into(),
                        ),
                    ],
                ),
            );
        }
    }
    Ok(t)
}
