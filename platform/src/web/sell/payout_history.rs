//! The seller's payout history at `/sell/payouts/history`: each Stripe payout to their bank
//! with its date, where it stands and its amount in words, and what it contains (sales,
//! refunds, debts withheld, commissions, by order); and the same as a CSV download.

use super::{Tab, failed};
use crate::commerce::payout_history as history;
use crate::web::account::SellerPage;
use crate::web::{Chrome, render};
use askama::Template;
use krafto_api_types::commerce::{PayoutState, PayoutView};
use krafto_core::Money;
use krafto_i18n::Locale;
use poem::http::header;
use poem::web::Query;
use poem::{IntoResponse, Response, handler};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub(crate) struct PageQuery {
    page: Option<i64>,
}

/// One payout, in words.
struct PayoutRow {
    date: String,
    status: String,
    failed: bool,
    amount: String,
    /// When it is expected in the bank, or why it failed (empty otherwise).
    note: String,
    lines: Vec<String>,
}

#[derive(Template)]
#[template(path = "sell/payout_history.html")]
struct PayoutHistoryPage {
    chrome: Chrome,
    tab: Tab,
    payouts: Vec<PayoutRow>,
    newer: Option<i64>,
    older: Option<i64>,
}

fn status_words(locale: Locale, s: PayoutState) -> String {
    locale.t(match s {
        PayoutState::Pending => "payouts-status-pending",
        PayoutState::InTransit => "payouts-status-in_transit",
        PayoutState::Paid => "payouts-status-paid",
        PayoutState::Failed => "payouts-status-failed",
        PayoutState::Canceled => "payouts-status-canceled",
    })
}

fn row(locale: Locale, p: &PayoutView) -> PayoutRow {
    let note = match (p.status, p.arrival_date) {
        (PayoutState::Failed, _) => history::failure_words(locale, p.failure_code.as_deref()),
        (PayoutState::Pending | PayoutState::InTransit, Some(at)) => locale.t_args(
            "payouts-history-arrival",
            &[("date", locale.date(at.date_naive()).into())],
        ),
        _ => String::new(),
    };
    PayoutRow {
        date: locale.date(p.created_at.date_naive()),
        status: status_words(locale, p.status),
        failed: p.status == PayoutState::Failed,
        amount: locale.money(&Money::of(p.amount_minor, &p.currency)),
        note,
        lines: p
            .movements
            .iter()
            .map(|m| {
                let kind = history::kind_words(locale, m.kind);
                let amount = locale.money(&Money::of(m.amount_minor, &m.currency));
                match &m.order_number {
                    Some(order) => locale.t_args(
                        "payouts-line-order",
                        &[
                            ("kind", kind.into()),
                            ("order", order.as_str().into()),
                            ("amount", amount.into()),
                        ],
                    ),
                    None => locale.t_args(
                        "payouts-line",
                        &[("kind", kind.into()), ("amount", amount.into())],
                    ),
                }
            })
            .collect(),
    }
}

/// `GET /sell/payouts/history`: the shop's payouts, newest first, twenty a page.
#[handler]
pub(crate) async fn payout_history(page: SellerPage<'_>, Query(q): Query<PageQuery>) -> Response {
    let SellerPage { ctx, chrome, user } = page;
    let number = q.page.unwrap_or(1).max(1);
    let loaded = history::of_seller(ctx.state, ctx.tenant, &user, Some(number), None).await;
    let h = match loaded {
        Ok(h) => h,
        Err(e) => return failed(chrome, &e),
    };
    let locale = chrome.locale;
    render(&PayoutHistoryPage {
        tab: Tab::Payouts,
        payouts: h.items.iter().map(|p| row(locale, p)).collect(),
        newer: (number > 1).then_some(number - 1),
        older: h.next_page,
        chrome,
    })
}

/// `GET /sell/payouts/history.csv`: the same history as a CSV file, headers in the
/// marketplace's language.
#[handler]
pub(crate) async fn payout_history_csv(page: SellerPage<'_>) -> Response {
    let SellerPage { ctx, chrome, user } = page;
    match history::csv_of_seller(ctx.state, ctx.tenant, &user).await {
        Ok(text) => text
            .with_content_type("text/csv; charset=utf-8")
            .with_header(
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"payouts.csv\"",
            )
            .into_response(),
        Err(e) => failed(chrome, &e),
    }
}
