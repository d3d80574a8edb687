//! The console's home at `/admin`: what waits for a decision, and the money.

use crate::commerce::orders;
use crate::marketplace;
use crate::moderation;
use crate::web::account::OperatorPage;
use crate::web::{Chrome, api_failure, render};
use askama::Template;
use krafto_core::Money;
use krafto_db::models::{LegalKind, Shop};
use krafto_web::ApiError;
use poem::{Response, handler};
use std::collections::HashMap;
use uuid::Uuid;

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
    /// The legal pages not written yet, by title (a to-do until there are none).
    legal_missing: String,
    /// Refund requests waiting for an answer (a to-do while there are some).
    refund_requests: usize,
}

/// A ledger account as operators know it: a shop by its name, the marketplace's own
/// accounts in words.
fn account_name(chrome: &Chrome, account: &str, shops: &HashMap<Uuid, String>) -> String {
    if let Some(id) = account.strip_prefix("seller:") {
        let name = id
            .parse::<Uuid>()
            .ok()
            .and_then(|id| shops.get(&id).cloned())
            .unwrap_or_else(|| chrome.t("audit-gone"));
        return chrome.t1("console-account-seller", "shop", name);
    }
    let key = format!("console-account-{account}");
    if chrome.locale.has(&key) {
        chrome.t(&key)
    } else {
        account.replace('_', " ")
    }
}

/// `GET /admin`: what waits for a decision, and the money.
#[handler]
pub(crate) async fn show_dashboard(page: OperatorPage<'_>) -> Response {
    let OperatorPage { ctx, chrome, .. } = page;
    let loaded = async {
        let pending = moderation::review::pending(ctx.state, ctx.tenant).await?;
        let mut tx = ctx.tx().await?;
        let ledger = orders::ledger_totals(&mut tx).await?;
        let mut shops = HashMap::new();
        for b in &ledger.1 {
            if let Some(id) = b
                .account
                .strip_prefix("seller:")
                .and_then(|i| i.parse::<Uuid>().ok())
                && let Ok(s) = Shop::find(&mut tx, id).await
            {
                shops.insert(id, s.name);
            }
        }
        tx.commit().await?;
        let legal = marketplace::legal::written(ctx.state, ctx.tenant).await?;
        let refund_requests = super::refunds::open_count(&ctx).await?;
        Ok::<_, ApiError>((pending, ledger, shops, legal, refund_requests))
    }
    .await;
    let (pending, (gmv, balances), shops, legal, refund_requests) = match loaded {
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
                account: account_name(&chrome, &b.account, &shops),
            })
            .collect(),
        legal_missing: LegalKind::ALL
            .into_iter()
            .filter(|k| !legal.iter().any(|p| p.kind == *k))
            .map(|k| crate::web::store::legal::title(&chrome, k))
            .collect::<Vec<_>>()
            .join(", "),
        refused,
        refund_requests,
        chrome,
    })
}
