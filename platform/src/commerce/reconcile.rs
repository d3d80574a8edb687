//! Reconciliation (issue 13): per marketplace and UTC day, what our records say the payment
//! provider did (payments received, transfers, transfer reversals, refunds, disputes) against
//! what the provider reports, and the ledger against our records (every journal sums to zero;
//! per checkout, clearing's entries match the money recorded in and out; per seller, its
//! transfer and reversal entries match what was sent to it and taken back). Every difference
//! is kept, in words, with the run, for the operator console and the control plane.
//!
//! It only reads and reports: it never corrects a record, posts to the ledger or calls the
//! provider to move money.

use crate::AppState;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use krafto_core::money::Money;
use krafto_db::TenantScope;
use krafto_db::models::{
    LedgerMismatch, PaymentRoute, ReconciliationDifference, ReconciliationRun, RecordedMovement,
    Tenant, TenantFilter, ledger_mismatches, recorded_movements,
};
use krafto_payments::{GatewayMovement, MovementKind};
use krafto_web::ApiResult;
use std::collections::HashMap;
use uuid::Uuid;

/// How far past the day the provider's activity is read, each side: something we recorded
/// just before midnight may carry the provider's time just after it, and the other way.
const MARGIN_HOURS: i64 = 24;

/// One difference, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The code the pages put in words (`missing_at_gateway`, `unknown_at_gateway`,
    /// `amount_differs`, `currency_differs`, or a ledger check: `journal_unbalanced`,
    /// `clearing_sale`, `clearing_transfer`, `clearing_reversal`, `clearing_refund`,
    /// `clearing_dispute`, `seller_transfer`, `seller_reversal`).
    pub what: &'static str,
    /// The movement's kind (payment, transfer…) when it is about one.
    pub kind: Option<String>,
    /// What a person knows it by on our side: order numbers, a seller account, a journal.
    pub our_ref: Option<String>,
    pub gateway_id: Option<String>,
    pub ours: Option<i64>,
    pub theirs: Option<i64>,
    pub currency: Option<String>,
    /// In English, for the command line and logs.
    pub detail: String,
}

/// What one marketplace's day came to.
#[derive(Debug, Clone)]
pub struct DayReport {
    pub tenant_id: Uuid,
    pub slug: String,
    pub run_id: Uuid,
    pub day: NaiveDate,
    pub gateway_checked: bool,
    pub our_movements: usize,
    pub gateway_movements: usize,
    pub differences: Vec<Difference>,
    /// Why the provider could not be read, when it could not.
    pub error: Option<String>,
}

impl DayReport {
    pub fn status(&self) -> &'static str {
        if self.error.is_some() {
            "failed"
        } else if self.differences.is_empty() {
            "clean"
        } else {
            "differences"
        }
    }
}

/// Yesterday, UTC: the day the nightly job and the command reconcile by default.
pub fn yesterday() -> NaiveDate {
    (Utc::now() - Duration::days(1)).date_naive()
}

/// `[start, end)` of a UTC day.
pub fn day_bounds(day: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = day.and_time(chrono::NaiveTime::MIN).and_utc();
    (start, start + Duration::days(1))
}

fn money(minor: i64, currency: &str) -> String {
    format!("{} {currency}", Money::of(minor, currency).decimal())
}

fn kind_of(kind: &str) -> Option<MovementKind> {
    Some(match kind {
        "payment" => MovementKind::Payment,
        "transfer" => MovementKind::Transfer,
        "reversal" => MovementKind::Reversal,
        "refund" => MovementKind::Refund,
        "dispute" => MovementKind::Dispute,
        _ => return None,
    })
}

fn about(reference: &str) -> String {
    if reference.is_empty() {
        String::new()
    } else {
        format!(" ({reference})")
    }
}

/// Our movements against the provider's, by the provider's id. `ours` are those we recorded
/// in the day and any the provider's day names; `theirs_day` the provider's movements of the
/// day, `theirs_near` those of the day and the margins around it.
fn compare_movements(
    day: (DateTime<Utc>, DateTime<Utc>),
    ours: &[RecordedMovement],
    theirs_day: &[&GatewayMovement],
    theirs_near: &[&GatewayMovement],
) -> Vec<Difference> {
    let mut out = Vec::new();
    let near: HashMap<(&str, MovementKind), &GatewayMovement> = theirs_near
        .iter()
        .map(|g| ((g.gateway_id.as_str(), g.kind), *g))
        .collect();
    for m in ours.iter().filter(|m| m.at >= day.0 && m.at < day.1) {
        let Some(kind) = kind_of(&m.kind) else {
            continue;
        };
        match near.get(&(m.gateway_id.as_str(), kind)) {
            None => out.push(Difference {
                what: "missing_at_gateway",
                kind: Some(m.kind.clone()),
                our_ref: Some(m.reference.clone()),
                gateway_id: Some(m.gateway_id.clone()),
                ours: Some(m.amount_minor),
                theirs: None,
                currency: Some(m.currency.clone()),
                detail: format!(
                    "{} {}{} of {} is recorded but the provider does not report it",
                    m.kind,
                    m.gateway_id,
                    about(&m.reference),
                    money(m.amount_minor, &m.currency)
                ),
            }),
            Some(g) if g.currency != m.currency => out.push(Difference {
                what: "currency_differs",
                kind: Some(m.kind.clone()),
                our_ref: Some(m.reference.clone()),
                gateway_id: Some(m.gateway_id.clone()),
                ours: Some(m.amount_minor),
                theirs: Some(g.amount_minor),
                currency: Some(m.currency.clone()),
                detail: format!(
                    "{} {}{}: recorded in {}, the provider reports {}",
                    m.kind,
                    m.gateway_id,
                    about(&m.reference),
                    m.currency,
                    g.currency
                ),
            }),
            Some(g) if g.amount_minor != m.amount_minor => out.push(Difference {
                what: "amount_differs",
                kind: Some(m.kind.clone()),
                our_ref: Some(m.reference.clone()),
                gateway_id: Some(m.gateway_id.clone()),
                ours: Some(m.amount_minor),
                theirs: Some(g.amount_minor),
                currency: Some(m.currency.clone()),
                detail: format!(
                    "{} {}{}: {} recorded, {} at the provider",
                    m.kind,
                    m.gateway_id,
                    about(&m.reference),
                    money(m.amount_minor, &m.currency),
                    money(g.amount_minor, &g.currency)
                ),
            }),
            Some(_) => {}
        }
    }
    for g in theirs_day {
        let known = ours
            .iter()
            .any(|m| m.gateway_id == g.gateway_id && kind_of(&m.kind) == Some(g.kind));
        if !known {
            out.push(Difference {
                what: "unknown_at_gateway",
                kind: Some(g.kind.as_str().to_owned()),
                our_ref: None,
                gateway_id: Some(g.gateway_id.clone()),
                ours: None,
                theirs: Some(g.amount_minor),
                currency: Some(g.currency.clone()),
                detail: format!(
                    "the provider reports {} {} of {} that we have no record of",
                    g.kind.as_str(),
                    g.gateway_id,
                    money(g.amount_minor, &g.currency)
                ),
            });
        }
    }
    out
}

fn ledger_difference(m: LedgerMismatch) -> Difference {
    let detail = match m.what.as_str() {
        "journal_unbalanced" => format!(
            "ledger journal {} does not sum to zero: {} left over",
            m.reference,
            money(m.ledger_minor, &m.currency)
        ),
        "seller_transfer" | "seller_reversal" => format!(
            "{} {} in the ledger, {} in the records ({})",
            m.reference,
            money(m.ledger_minor, &m.currency),
            money(m.records_minor, &m.currency),
            m.what.trim_start_matches("seller_")
        ),
        other => format!(
            "checkout{}: clearing's {} entries come to {}, the records to {}",
            about(&m.reference),
            other.trim_start_matches("clearing_"),
            money(m.ledger_minor, &m.currency),
            money(m.records_minor, &m.currency)
        ),
    };
    let what = match m.what.as_str() {
        "journal_unbalanced" => "journal_unbalanced",
        "clearing_sale" => "clearing_sale",
        "clearing_transfer" => "clearing_transfer",
        "clearing_reversal" => "clearing_reversal",
        "clearing_refund" => "clearing_refund",
        "clearing_dispute" => "clearing_dispute",
        "seller_transfer" => "seller_transfer",
        _ => "seller_reversal",
    };
    Difference {
        what,
        kind: None,
        our_ref: Some(m.reference),
        gateway_id: None,
        ours: Some(m.ledger_minor),
        theirs: Some(m.records_minor),
        currency: Some(m.currency),
        detail,
    }
}

/// Whether a movement is this marketplace's: by our metadata, else (disputes) by the
/// payment it is about.
async fn belongs(
    tx: &mut krafto_db::TenantTx,
    tenant_id: Uuid,
    g: &GatewayMovement,
    routes: &mut HashMap<String, Option<Uuid>>,
) -> ApiResult<bool> {
    if let Some(t) = &g.tenant_id {
        return Ok(*t == tenant_id.to_string());
    }
    let Some(payment) = &g.payment_id else {
        return Ok(false);
    };
    if !routes.contains_key(payment) {
        let route = PaymentRoute::find(tx, payment).await?.map(|r| r.tenant_id);
        routes.insert(payment.clone(), route);
    }
    Ok(routes.get(payment).copied().flatten() == Some(tenant_id))
}

/// Reconciles one marketplace's day against `activity` (the provider's movements of the
/// day and [`MARGIN_HOURS`] around it, every marketplace's; `Err` when it could not be read,
/// `None` when the provider keeps no books), and stores the run.
pub async fn reconcile_tenant(
    state: &AppState,
    tenant: &Tenant,
    day: NaiveDate,
    activity: Result<Option<&[GatewayMovement]>, String>,
) -> ApiResult<DayReport> {
    let started_at = Utc::now();
    let bounds = day_bounds(day);
    let scope = TenantScope::resolved(tenant);
    let mut tx = state.db.tenant(&scope).await?;
    let mut routes = HashMap::new();
    let mut near = Vec::new();
    if let Ok(Some(all)) = &activity {
        for g in all.iter() {
            if belongs(&mut tx, tenant.id, g, &mut routes).await? {
                near.push(g);
            }
        }
    }
    let (from, to) = (bounds.0.timestamp(), bounds.1.timestamp());
    let theirs_day: Vec<&GatewayMovement> = near
        .iter()
        .copied()
        .filter(|g| (from..to).contains(&g.created))
        .collect();
    let ids: Vec<String> = theirs_day.iter().map(|g| g.gateway_id.clone()).collect();
    let ours = recorded_movements(&mut tx, bounds.0, bounds.1, &ids).await?;
    let mut differences = match &activity {
        Ok(Some(_)) => compare_movements(bounds, &ours, &theirs_day, &near),
        _ => Vec::new(),
    };
    differences.extend(
        ledger_mismatches(&mut tx)
            .await?
            .into_iter()
            .map(ledger_difference),
    );
    let report = DayReport {
        tenant_id: tenant.id,
        slug: tenant.slug.clone(),
        run_id: Uuid::now_v7(),
        day,
        gateway_checked: matches!(activity, Ok(Some(_))),
        our_movements: ours
            .iter()
            .filter(|m| m.at >= bounds.0 && m.at < bounds.1)
            .count(),
        gateway_movements: theirs_day.len(),
        differences,
        error: activity.err(),
    };
    let count = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
    let run = ReconciliationRun {
        tenant_id: tenant.id,
        id: report.run_id,
        day,
        status: report.status().to_owned(),
        gateway_checked: report.gateway_checked,
        differences: count(report.differences.len()),
        our_movements: count(report.our_movements),
        gateway_movements: count(report.gateway_movements),
        error: report.error.clone(),
        started_at,
        finished_at: Utc::now(),
    };
    let rows: Vec<ReconciliationDifference> = report
        .differences
        .iter()
        .enumerate()
        .map(|(i, d)| ReconciliationDifference {
            tenant_id: tenant.id,
            run_id: report.run_id,
            position: count(i),
            what: d.what.to_owned(),
            our_ref: d.our_ref.clone(),
            gateway_id: d.gateway_id.clone(),
            our_amount_minor: d.ours,
            their_amount_minor: d.theirs,
            currency: d.currency.clone(),
            detail: d.detail.clone(),
        })
        .collect();
    ReconciliationRun::record(&mut tx, &run, &rows).await?;
    tx.commit().await?;
    Ok(report)
}

/// The provider's movements around `day` (see [`MARGIN_HOURS`]): `Ok(None)` when it keeps no
/// books.
pub async fn provider_activity(
    state: &AppState,
    day: NaiveDate,
) -> Result<Option<Vec<GatewayMovement>>, String> {
    if !state.gateway.keeps_books() {
        return Ok(None);
    }
    let (start, end) = day_bounds(day);
    let margin = Duration::hours(MARGIN_HOURS);
    state
        .gateway
        .list_activity((start - margin).timestamp(), (end + margin).timestamp())
        .await
        .map(Some)
        .map_err(|e| e.to_string())
}

/// Reconciles `day` for every marketplace, or the one with `slug`, calling `progress` after
/// each. A marketplace that cannot be reconciled is logged and left out.
pub async fn reconcile_day(
    state: &AppState,
    day: NaiveDate,
    slug: Option<&str>,
    mut progress: impl FnMut(&DayReport),
) -> anyhow::Result<Vec<DayReport>> {
    let mut tenants = Vec::new();
    let mut tx = state.db.control().await?;
    match slug {
        Some(slug) => tenants.push(
            Tenant::find_by_slug(&mut tx, slug)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no marketplace with the slug `{slug}`"))?,
        ),
        None => {
            let mut after = None;
            loop {
                let page = Tenant::list(
                    &mut tx,
                    &TenantFilter {
                        after,
                        limit: 500,
                        ..TenantFilter::default()
                    },
                )
                .await?;
                after = page.last().map(|t| t.id);
                let last = page.len() < 500;
                tenants.extend(page);
                if last {
                    break;
                }
            }
        }
    }
    tx.commit().await?;
    let activity = provider_activity(state, day).await;
    let mut reports = Vec::new();
    for tenant in &tenants {
        let theirs = match &activity {
            Ok(a) => Ok(a.as_deref()),
            Err(e) => Err(e.clone()),
        };
        match reconcile_tenant(state, tenant, day, theirs).await {
            Ok(report) => {
                progress(&report);
                reports.push(report);
            }
            Err(e) => {
                tracing::warn!(tenant.id = %tenant.id, error = %e.detail, "cannot reconcile the marketplace");
            }
        }
    }
    Ok(reports)
}
