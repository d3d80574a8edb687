//! The console's home at `/admin`: what waits for a decision, and the money.

use crate::commerce::orders;
use crate::moderation;
use crate::web::account::OperatorPage;
use crate::web::{Chrome, api_failure, render};
use askama::Template;
use krafto_core::Money;
use krafto_web::ApiError;
use poem::{Response, handler};

struct Balance {
    account: String,
    amount: String,
}

#[derive(Template)]
#[template(path = "admin/dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    shops: usize,
    listings: usize,
    verifications: usize,
    reports: usize,
    gmv: String,
    balances: Vec<Balance>,
    /// Requests refused by the rate limits over the last 24 hours.
    refused: u64,
}

/// `GET /admin`: what waits for a decision, and the money.
#[handler]
pub(crate) async fn show_dashboard(page: OperatorPage<'_>) -> Response {
    let OperatorPage { ctx, chrome, .. } = page;
    let loaded = async {
        let pending = moderation::review::pending(ctx.state, ctx.tenant).await?;
        let mut tx = ctx.tx().await?;
        let ledger = orders::ledger_totals(&mut tx).await?;
        tx.commit().await?;
        Ok::<_, ApiError>((pending, ledger))
    }
    .await;
    let (pending, (gmv, balances)) = match loaded {
        Ok(l) => l,
        Err(e) => return api_failure(chrome, &e),
    };
    let refused = crate::ratelimit::report(ctx.state, ctx.tenant)
        .await
        .refused_total;
    render(&DashboardPage {
        shops: pending.shops.len(),
        listings: pending.listings.len(),
        verifications: pending.verifications.len(),
        reports: pending.reports.len(),
        gmv: chrome.locale.money(&Money::of(gmv, &ctx.tenant.currency)),
        balances: balances
            .into_iter()
            .map(|b| Balance {
                amount: chrome.locale.money(&Money::of(b.amount_minor, &b.currency)),
                account: b.account,
            })
            .collect(),
        refused,
        chrome,
    })
}
