//! Payouts at `/sell/payouts`: whether buyers can pay the shop, its balance (with what the
//! marketplace holds until it is due, and when, in words), its commission rate, the
//! commission taken on each order, and the way to Stripe's onboarding.

use super::refunds::{TakenBack, taken_back};
use super::{FeeRow, FlashQuery, Tab, failed, fee_row, flash};
use crate::commerce::selling as sales;
use crate::web::Flash;
use crate::web::account::SellerPage;
use crate::web::{Chrome, render};
use askama::Template;
use krafto_api_types::commerce::{HeldPayout, PayoutWait};
use krafto_core::Money;
use krafto_web::ApiError;
use poem::web::{Query, Redirect};
use poem::{IntoResponse, Response, handler};

#[derive(Template)]
#[template(path = "sell/payouts.html")]
struct PayoutsPage {
    chrome: Chrome,
    tab: Tab,
    ready: bool,
    connected: bool,
    requirements: Vec<String>,
    test_mode: bool,
    earned: String,
    transferred: String,
    refunded: String,
    pending: String,
    /// The shop's commission rate in words ("Commission : 8 % (taux négocié)").
    commission: String,
    /// Without a negotiated rate, the categories that pay another rate, in words.
    category_rates: Vec<String>,
    /// Held until due (empty when nothing is).
    held_total: String,
    /// Each held payout, in words: how much, for which order, and when it is paid.
    held: Vec<String>,
    orders: Vec<FeeRow>,
    flash: Flash,
    /// Refunds, reversals and debts in words (`refunds::taken_back`).
    taken_back: TakenBack,
}

/// `GET /sell/payouts`: whether buyers can pay the shop, its balance from the ledger, and
/// what each recent order paid out after commission.
#[handler]
pub(crate) async fn payouts(page: SellerPage<'_>, Query(q): Query<FlashQuery>) -> Response {
    let SellerPage { ctx, chrome, user } = page;
    let loaded = async {
        let status = sales::payout_status(ctx.state, ctx.tenant, &user).await?;
        let balance = sales::payout_balance(ctx.state, ctx.tenant, &user).await?;
        let recent = sales::recent_orders(ctx.state, ctx.tenant, &user, 20).await?;
        let rate = crate::marketplace::commissions::of_seller(ctx.state, ctx.tenant, &user).await?;
        let rules = crate::marketplace::settings::settings(ctx.state, ctx.tenant).await?;
        Ok::<_, ApiError>((status, balance, recent, rate, rules.payout_delay_days))
    }
    .await;
    let (status, balance, recent, rate, delay_days) = match loaded {
        Ok(v) => v,
        Err(e) => return failed(chrome, &e),
    };
    let locale = chrome.locale;
    let money = |m: i64| locale.money(&Money::of(m, &balance.currency));
    let taken_back = match taken_back(&ctx, &user, locale, &balance, &recent).await {
        Ok(t) => t,
        Err(e) => return failed(chrome, &e),
    };
    render(&PayoutsPage {
        tab: Tab::Payouts,
        ready: status.ready,
        connected: status.account_id.is_some(),
        requirements: status.requirements,
        test_mode: status.test_mode,
        earned: money(balance.earned_minor),
        transferred: money(balance.transferred_minor),
        refunded: money(balance.refunded_minor),
        pending: money(balance.pending_minor),
        commission: chrome.t1(
            if rate.negotiated {
                "sell-commission-negotiated"
            } else {
                "sell-commission-marketplace"
            },
            "rate",
            locale.percent_bps(rate.commission_bps.into()),
        ),
        category_rates: rate
            .categories
            .iter()
            .map(|(name, bps)| {
                chrome.t2(
                    "sell-commission-category",
                    "name",
                    name.as_str(),
                    "rate",
                    locale.percent_bps((*bps).into()),
                )
            })
            .collect(),
        held_total: if balance.held.is_empty() {
            String::new()
        } else {
            money(balance.held_minor)
        },
        held: balance
            .held
            .iter()
            .map(|h| held_words(locale, h, delay_days))
            .collect(),
        orders: recent.iter().map(|o| fee_row(o, locale)).collect(),
        flash: flash(q.done.as_deref()),
        taken_back,
        chrome,
    })
}

/// A held payout in a sentence: "€28.50 for order LYON-0001: paid on 8 December 2026".
fn held_words(locale: krafto_i18n::Locale, h: &HeldPayout, delay_days: i32) -> String {
    let amount = locale.money(&Money::of(h.amount_minor, &h.currency));
    let order = h.order_number.clone().unwrap_or_default();
    match (h.waiting_for, h.due_at) {
        (PayoutWait::DueDate, Some(at)) => locale.t_args(
            "sell-held-due",
            &[
                ("amount", amount.into()),
                ("order", order.into()),
                ("date", locale.date(at.date_naive()).into()),
            ],
        ),
        (PayoutWait::Shipping, _) => locale.t_args(
            "sell-held-shipping",
            &[("amount", amount.into()), ("order", order.into())],
        ),
        (PayoutWait::Delivery | PayoutWait::DueDate, _) => locale.t_args(
            "sell-held-delivery",
            &[
                ("amount", amount.into()),
                ("order", order.into()),
                ("days", delay_days.into()),
            ],
        ),
    }
}

/// `POST /sell/payouts/onboarding`: on to Stripe's onboarding (or the test page), back to
/// `/sell/payouts` afterwards.
#[handler]
pub(crate) async fn payouts_onboarding(page: SellerPage<'_>) -> Response {
    let SellerPage { ctx, chrome, user } = page;
    match sales::payouts_onboarding(ctx.state, ctx.tenant, &user, None).await {
        Ok(link) => Redirect::see_other(&link.url).into_response(),
        Err(e) => failed(chrome, &e),
    }
}
