//! `/admin/reconciliation`: the marketplace's latest reconciliation runs (see
//! `commerce::reconcile`) and every difference they found, in the operator's words. It only
//! reads: runs are made by the nightly job and `platform reconcile`.

use crate::web::account::OperatorPage;
use crate::web::{Chrome, api_failure, render};
use askama::Template;
use krafto_core::Money;
use krafto_db::models::{ReconciliationDifference, ReconciliationRun, Shop};
use krafto_web::ApiError;
use poem::{Response, handler};
use uuid::Uuid;

/// How many runs the page shows.
const RUNS: i64 = 14;

struct RunView {
    day: String,
    status: String,
    clean: bool,
    ledger_only: bool,
    differences: Vec<String>,
}

#[derive(Template)]
#[template(path = "admin/reconciliation.html")]
struct ReconciliationPage {
    chrome: Chrome,
    runs: Vec<RunView>,
}

/// A difference in the page's language: amounts through the locale, our side by order
/// number or shop name, never an id.
fn in_words(chrome: &Chrome, d: &ReconciliationDifference, shop: Option<&str>) -> String {
    let currency = d.currency.as_deref().unwrap_or("EUR");
    let money = |m: Option<i64>| {
        m.map(|m| chrome.locale.money(&Money::of(m, currency)))
            .unwrap_or_default()
    };
    let kind = d
        .gateway_id
        .as_deref()
        .map(|id| match id.split('_').next().unwrap_or_default() {
            "pi" => "payment",
            "tr" => "transfer",
            "trr" => "reversal",
            "re" => "refund",
            _ => "dispute",
        })
        .map(|k| chrome.t(&format!("reconcile-kind-{k}")))
        .unwrap_or_default();
    let reference = match (shop, d.our_ref.as_deref()) {
        (Some(name), _) => name.to_owned(),
        (None, Some(r)) if r.parse::<Uuid>().is_err() && !r.contains(':') => r.to_owned(),
        _ => String::new(),
    };
    let key = format!("reconcile-what-{}", d.what);
    if !chrome.locale.has(&key) {
        return d.detail.clone();
    }
    let mut text = chrome.locale.t_args(
        &key,
        &[
            ("kind", kind.into()),
            ("ref", reference.into()),
            ("ours", money(d.our_amount_minor).into()),
            ("theirs", money(d.their_amount_minor).into()),
        ],
    );
    // The message starts with the movement's kind: capitalise it.
    if let Some(first) = text.chars().next() {
        text = first.to_uppercase().collect::<String>() + &text[first.len_utf8()..];
    }
    text
}

/// `GET /admin/reconciliation`.
#[handler]
pub(crate) async fn show_reconciliation(page: OperatorPage<'_>) -> Response {
    let OperatorPage { ctx, chrome, .. } = page;
    let loaded = async {
        let mut tx = ctx.tx().await?;
        let runs = ReconciliationRun::latest(&mut tx, RUNS).await?;
        let mut views = Vec::new();
        for run in runs {
            let mut differences = Vec::new();
            for d in ReconciliationRun::differences(&mut tx, run.id).await? {
                let shop = match d
                    .our_ref
                    .as_deref()
                    .and_then(|r| r.strip_prefix("seller:"))
                    .and_then(|id| id.parse::<Uuid>().ok())
                {
                    Some(id) => Shop::find(&mut tx, id).await.ok().map(|s| s.name),
                    None => None,
                };
                differences.push(in_words(&chrome, &d, shop.as_deref()));
            }
            let status = match run.status.as_str() {
                "clean" => chrome.t("reconcile-status-clean"),
                "failed" => chrome.t("reconcile-status-failed"),
                _ => chrome.t1(
                    "reconcile-status-differences",
                    "n",
                    i64::from(run.differences),
                ),
            };
            views.push(RunView {
                day: chrome.t1("reconcile-run", "day", chrome.locale.date(run.day)),
                clean: run.status == "clean",
                ledger_only: !run.gateway_checked,
                status,
                differences,
            });
        }
        tx.commit().await?;
        Ok::<_, ApiError>(views)
    }
    .await;
    match loaded {
        Ok(runs) => render(&ReconciliationPage { chrome, runs }),
        Err(e) => api_failure(chrome, &e),
    }
}
