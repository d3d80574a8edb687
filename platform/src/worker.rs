//! `platform worker`: the outbox worker with the handlers this deployment needs — money
//! (transfers, refunds, checkout holds), e-mail, and the search index sync when
//! `OPENSEARCH_URL` is set — and `platform search-reindex`, which
//! queues a full reindex through the same outbox.
//!
//! The worker pool (`krafto_worker`) only claims and settles messages; handlers read tenant
//! data through their own platform-role pool inside
//! `db.tenant(&TenantScope::claimed(message))`, never with the worker's rights.

use crate::commerce::checkout;
use crate::commerce::payouts::{self, MoneyJobError};
use crate::commerce::{releases, sweeps};
use crate::{AppState, Settings};
use anyhow::Context;
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use krafto_db::models::{MarketplaceSweep, OutboxMessage, Tenant, TenantFilter};
use krafto_db::{Db, DbRole, TenantScope};
use krafto_jobs::{Handler, JobError, Worker, WorkerConfig};
use krafto_mail::Mailer;
use krafto_search::OpenSearch;
use krafto_search::sync::{Indexer, KINDS, SyncTarget};
use secrecy::{ExposeSecret, SecretString};
use std::sync::Arc;
use uuid::Uuid;

/// Delivers `search.*` messages: re-reads the rows and writes the OpenSearch index.
#[derive(Debug)]
pub struct SearchSyncHandler {
    indexer: Indexer,
}

impl SearchSyncHandler {
    /// `db` must act as the platform role (`DbRole::App`).
    pub fn new(db: Db, engine: OpenSearch) -> anyhow::Result<Self> {
        Ok(Self {
            indexer: Indexer::new(db, engine)?,
        })
    }
}

impl Handler for SearchSyncHandler {
    fn handle<'a>(&'a self, message: &'a OutboxMessage) -> BoxFuture<'a, Result<(), JobError>> {
        async move {
            let target =
                SyncTarget::parse(&message.kind, &message.payload).map_err(JobError::permanent)?;
            self.indexer
                .sync(&TenantScope::claimed(message), target)
                .await
                .map(|_| ())
                .map_err(JobError::retry)
        }
        .boxed()
    }
}

fn opensearch(settings: &Settings, url: &SecretString) -> anyhow::Result<OpenSearch> {
    OpenSearch::new(url.expose_secret(), &settings.search.index_prefix)
        .map_err(|e| anyhow::anyhow!("{e}"))
}

/// Money and checkout jobs: transfers to sellers and marketplaces, refunds, the end of a
/// checkout's stock hold, and test-mode delayed payment failures.
#[derive(Debug)]
pub struct CommerceHandler {
    state: AppState,
}

impl Handler for CommerceHandler {
    fn handle<'a>(&'a self, message: &'a OutboxMessage) -> BoxFuture<'a, Result<(), JobError>> {
        async move {
            let id = |field: &str| {
                message
                    .payload
                    .get(field)
                    .and_then(|v| v.as_str())
                    .and_then(|v| v.parse::<Uuid>().ok())
                    .ok_or_else(|| JobError::permanent(format!("payload has no `{field}` id")))
            };
            let money = |r: Result<(), MoneyJobError>| {
                r.map_err(|e| match e {
                    MoneyJobError::Retry(m) => JobError::retry(m),
                    MoneyJobError::Refused(m) => JobError::permanent(m),
                })
            };
            let api = |r: Result<(), krafto_web::ApiError>| {
                r.map_err(|e| {
                    if e.status.is_server_error() {
                        JobError::retry(e.detail)
                    } else {
                        JobError::permanent(e.detail)
                    }
                })
            };
            let scope = TenantScope::claimed(message);
            match message.kind.as_str() {
                checkout::TRANSFER_KIND => {
                    money(payouts::send_transfer(&self.state, &scope, id("transfer_id")?).await)
                }
                checkout::REFUND_KIND => {
                    money(payouts::send_refund(&self.state, &scope, id("refund_id")?).await)
                }
                krafto_core::refund::STAFF_REFUND_JOB => api(
                    crate::commerce::refunds::staff_refund(&self.state, &scope, &message.payload)
                        .await,
                ),
                crate::commerce::stripe_fees::FEE_KIND => {
                    let txn = message
                        .payload
                        .get("balance_transaction")
                        .and_then(|v| v.as_str())
                        .ok_or_else(|| {
                            JobError::permanent("payload has no `balance_transaction`")
                        })?;
                    money(
                        crate::commerce::stripe_fees::record_fee(
                            &self.state,
                            &scope,
                            id("checkout_id")?,
                            txn,
                        )
                        .await,
                    )
                }
                checkout::REVERSE_KIND => money(
                    crate::commerce::refunds::send_reversal(
                        &self.state,
                        &scope,
                        id("reversal_id")?,
                    )
                    .await,
                ),
                releases::RELEASE_KIND => api(releases::release_transfer(
                    &self.state,
                    &scope,
                    id("transfer_id")?,
                    chrono::Utc::now(),
                )
                .await),
                MarketplaceSweep::JOB_KIND => match message.payload.get("sweep_id") {
                    Some(_) => {
                        money(sweeps::send_sweep(&self.state, &scope, id("sweep_id")?).await)
                    }
                    None => api(sweeps::sweep_marketplace_share(&self.state, &scope)
                        .await
                        .map(|_| ())),
                },
                checkout::EXPIRE_KIND => api(checkout::settle_failed(
                    &self.state,
                    &scope,
                    id("checkout_id")?,
                    None,
                    chrono::Utc::now().timestamp(),
                    "the payment did not arrive before the stock hold ended",
                )
                .await),
                checkout::TEST_OUTCOME_KIND => api(checkout::settle_failed(
                    &self.state,
                    &scope,
                    id("checkout_id")?,
                    None,
                    chrono::Utc::now().timestamp(),
                    "The payment failed after processing (test mode).",
                )
                .await),
                other => Err(JobError::permanent(format!("not a commerce job: {other}"))),
            }
        }
        .boxed()
    }
}

/// Sends `mail.send` messages (rendered when enqueued, in the transaction that caused them).
#[derive(Debug)]
pub struct MailHandler {
    mailer: Mailer,
}

impl Handler for MailHandler {
    fn handle<'a>(&'a self, message: &'a OutboxMessage) -> BoxFuture<'a, Result<(), JobError>> {
        async move {
            let field = |f: &str| {
                message
                    .payload
                    .get(f)
                    .and_then(|v| v.as_str())
                    .map(str::to_owned)
                    .ok_or_else(|| JobError::permanent(format!("mail payload has no `{f}`")))
            };
            let optional = |f: &str| {
                message
                    .payload
                    .get(f)
                    .and_then(|v| v.as_str())
                    .map(str::to_owned)
            };
            let email = krafto_mail::Email {
                to: field("to")?,
                subject: field("subject")?,
                body: field("body")?,
                from_name: optional("from_name"),
                reply_to: optional("reply_to"),
            };
            self.mailer.send(&email).await.map_err(|e| match e {
                krafto_mail::MailError::Address(_) => JobError::permanent(e),
                other => JobError::retry(other),
            })
        }
        .boxed()
    }
}

/// Fetches the photos a CSV import names by URL (`listing_photos.fetch`) and stores them
/// like uploads. A refused URL or file (a non-public address, not a picture, too large, a
/// 4xx) is not retried; a timeout, a network error or a 5xx is.
#[derive(Debug)]
pub struct PhotoFetchHandler {
    state: AppState,
}

impl Handler for PhotoFetchHandler {
    fn handle<'a>(&'a self, message: &'a OutboxMessage) -> BoxFuture<'a, Result<(), JobError>> {
        use krafto_media::{FetchError, MediaError};
        async move {
            let p = &message.payload;
            let listing_id = p
                .get("listing_id")
                .and_then(|v| v.as_str())
                .and_then(|v| v.parse::<Uuid>().ok())
                .ok_or_else(|| JobError::permanent("payload has no `listing_id`"))?;
            let url = p
                .get("url")
                .and_then(|v| v.as_str())
                .ok_or_else(|| JobError::permanent("payload has no `url`"))?;
            let alt = p.get("alt").and_then(|v| v.as_str()).unwrap_or_default();
            let img = match self.state.media.ingest_url(message.tenant_id, url).await {
                Ok(img) => img,
                Err(MediaError::Fetch(
                    e @ (FetchError::Timeout | FetchError::Http(_) | FetchError::Unresolved),
                )) => return Err(JobError::retry(e)),
                Err(MediaError::Fetch(FetchError::Status(s))) if s >= 500 => {
                    return Err(JobError::retry(format!("the server answered {s}")));
                }
                Err(e @ MediaError::Store(_)) => return Err(JobError::retry(e)),
                Err(e) => {
                    tracing::warn!(%listing_id, error = %e, "an imported photo was refused");
                    return Err(JobError::permanent(e));
                }
            };
            let scope = TenantScope::claimed(message);
            let mut tx = self
                .state
                .db
                .tenant(&scope)
                .await
                .map_err(JobError::retry)?;
            crate::catalog::photos::add_fetched(&self.state, &mut tx, listing_id, url, alt, img)
                .await
                .map_err(|e| JobError::retry(e.detail))?;
            tx.commit().await.map_err(JobError::retry)
        }
        .boxed()
    }
}

/// The worker for `settings`, with every handler they enable.
pub async fn build(settings: &Settings, config: WorkerConfig) -> anyhow::Result<Worker> {
    let state = AppState::from_settings(settings).await?;
    build_with(settings, state, config).await
}

/// [`build`] with a state made by the caller (tests: a fetcher that reaches their loopback
/// HTTP server).
pub async fn build_with(
    settings: &Settings,
    state: AppState,
    config: WorkerConfig,
) -> anyhow::Result<Worker> {
    let claims = Db::connect_with(
        settings.database.url.expose_secret(),
        DbRole::Worker,
        2,
        settings.database.timeouts,
    )?;
    let mut worker = Worker::new(claims, config)?;
    worker = worker.register(
        crate::catalog::photos::FETCH_KIND,
        Arc::new(PhotoFetchHandler {
            state: state.clone(),
        }),
    );
    let commerce: Arc<dyn Handler> = Arc::new(CommerceHandler {
        state: state.clone(),
    });
    for kind in [
        checkout::TRANSFER_KIND,
        checkout::REFUND_KIND,
        checkout::REVERSE_KIND,
        crate::commerce::stripe_fees::FEE_KIND,
        krafto_core::refund::STAFF_REFUND_JOB,
        releases::RELEASE_KIND,
        MarketplaceSweep::JOB_KIND,
        checkout::EXPIRE_KIND,
        checkout::TEST_OUTCOME_KIND,
    ] {
        worker = worker.register(kind, commerce.clone());
    }
    worker = worker.register(
        checkout::MAIL_KIND,
        Arc::new(MailHandler {
            mailer: state.mailer.clone(),
        }),
    );
    if let Some(url) = &settings.search.opensearch_url {
        let db = settings.database.connect(DbRole::App)?;
        let handler: Arc<dyn Handler> =
            Arc::new(SearchSyncHandler::new(db, opensearch(settings, url)?)?);
        for kind in KINDS {
            worker = worker.register(kind, handler.clone());
        }
    }
    Ok(worker)
}

/// Runs the worker until `shutdown` resolves (finishing the batch in hand), with the
/// payouts pass every [`PAYOUTS_PASS_EVERY`] beside it.
pub async fn run(
    settings: &Settings,
    config: WorkerConfig,
    shutdown: impl std::future::Future<Output = ()>,
) -> anyhow::Result<()> {
    let state = AppState::from_settings(settings).await?;
    let worker = build_with(settings, state.clone(), config).await?;
    let passes = async {
        let mut every = tokio::time::interval(PAYOUTS_PASS_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            match payouts_pass(&state, chrono::Utc::now()).await {
                Ok(p) if p.released + p.sweeps > 0 => tracing::info!(
                    released = p.released,
                    sweeps = p.sweeps,
                    "payouts pass released held transfers or swept marketplace shares"
                ),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "payouts pass failed; the next one retries"),
            }
        }
    };
    let nightly = async {
        let mut every = tokio::time::interval(RECONCILE_CHECK_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            // Boxed: the pass is large, and this loop lives inside the worker's own future.
            if let Err(e) = Box::pin(reconcile_pass(&state)).await {
                tracing::warn!(error = %e, "reconciliation failed; the next check retries");
            }
        }
    };
    // The passes never end by themselves: the worker's end (after `shutdown`) stops them, and
    // an unfinished pass only rolls back its open transaction.
    tokio::select! {
        () = worker.run(shutdown) => {}
        () = passes => {}
        () = nightly => {}
    }
    Ok(())
}

/// How often the worker checks whether yesterday was reconciled.
pub const RECONCILE_CHECK_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

/// The nightly reconciliation: once a UTC day (the first check after midnight, or at
/// start), reconciles yesterday for every marketplace that has no run of yesterday yet, so
/// several workers and restarts do it once per marketplace at most (two workers racing may
/// both run a marketplace; a run only reads and reports, so that is harmless). Returns the
/// marketplaces reconciled.
pub async fn reconcile_pass(state: &AppState) -> anyhow::Result<usize> {
    use crate::commerce::reconcile;
    let day = reconcile::yesterday();
    let mut done = 0;
    let mut after = None;
    let activity = std::cell::OnceCell::new();
    loop {
        let mut tx = state.db.control().await?;
        let page = Tenant::list(
            &mut tx,
            &TenantFilter {
                after,
                limit: 500,
                ..TenantFilter::default()
            },
        )
        .await?;
        tx.commit().await?;
        after = page.last().map(|t| t.id);
        for tenant in &page {
            let scope = TenantScope::resolved(tenant);
            let mut tx = state.db.tenant(&scope).await?;
            let ran = krafto_db::models::ReconciliationRun::of_day(&mut tx, day).await?;
            tx.commit().await?;
            if ran {
                continue;
            }
            if activity.get().is_none() {
                let _ = activity.set(reconcile::provider_activity(state, day).await);
            }
            let theirs = match activity.get() {
                Some(Ok(a)) => Ok(a.as_deref()),
                Some(Err(e)) => Err(e.clone()),
                None => Ok(None),
            };
            match reconcile::reconcile_tenant(state, tenant, day, theirs).await {
                Ok(r) => {
                    done += 1;
                    if r.differences.is_empty() && r.error.is_none() {
                        tracing::info!(tenant.id = %tenant.id, %day, "reconciled: no differences");
                    } else {
                        tracing::warn!(tenant.id = %tenant.id, %day, differences = r.differences.len(), status = r.status(), "reconciliation found differences");
                    }
                }
                Err(e) => {
                    tracing::warn!(tenant.id = %tenant.id, error = %e.detail, "cannot reconcile the marketplace");
                }
            }
        }
        if page.len() < 500 {
            return Ok(done);
        }
    }
}

/// How often the worker looks for held transfers past due and marketplace shares to sweep.
pub const PAYOUTS_PASS_EVERY: std::time::Duration = std::time::Duration::from_secs(600);

/// What one payouts pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PayoutsPass {
    /// Held transfers that fell due and were queued for sending.
    pub released: usize,
    /// Marketplace sweeps recorded and queued.
    pub sweeps: usize,
}

/// Every marketplace (a suspended one's sellers are still owed their money): releases its held transfers due at `now` and sweeps its owed
/// share if its Connect account is ready. The jobs queued by order moves and account events
/// do this as it happens; the pass makes sure a lost job never strands money. A marketplace
/// that fails is logged and skipped (the next pass retries it).
pub async fn payouts_pass(
    state: &AppState,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<PayoutsPass> {
    let mut pass = PayoutsPass::default();
    let mut after = None;
    loop {
        let mut tx = state.db.control().await?;
        let page = Tenant::list(
            &mut tx,
            &TenantFilter {
                after,
                limit: 500,
                ..TenantFilter::default()
            },
        )
        .await?;
        tx.commit().await?;
        after = page.last().map(|t| t.id);
        for tenant in &page {
            // Listed from the control tables just above: resolved here.
            let scope = TenantScope::resolved(tenant);
            match releases::release_due_transfers(state, &scope, now).await {
                Ok(n) => pass.released += n,
                Err(e) => {
                    tracing::warn!(tenant.id = %tenant.id, error = %e.detail, "cannot release due transfers");
                }
            }
            if checkout::marketplace_account(tenant).is_some() {
                match sweeps::sweep_marketplace_share(state, &scope).await {
                    Ok(made) => pass.sweeps += made.len(),
                    Err(e) => {
                        tracing::warn!(tenant.id = %tenant.id, error = %e.detail, "cannot sweep the marketplace's share");
                    }
                }
            }
        }
        if page.len() < 500 {
            return Ok(pass);
        }
    }
}

/// Queues a full reindex of every tenant (or of the one with `tenant_slug`); the worker does
/// the work. Returns the number of tenants queued.
pub async fn queue_reindex(
    settings: &Settings,
    tenant_slug: Option<&str>,
) -> anyhow::Result<usize> {
    if settings.search.opensearch_url.is_none() {
        anyhow::bail!(
            "OPENSEARCH_URL is not set: Postgres search reads the tables directly and needs no reindex"
        );
    }
    let db = Db::connect(settings.database.url.expose_secret(), DbRole::App, 2)?;
    let mut tenants = Vec::new();
    let mut tx = db.control().await?;
    match tenant_slug {
        Some(slug) => tenants.push(
            Tenant::find_by_slug(&mut tx, slug)
                .await?
                .with_context(|| format!("no tenant with the slug `{slug}`"))?,
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
                let last_page = page.len() < 500;
                tenants.extend(page);
                if last_page {
                    break;
                }
            }
        }
    }
    tx.commit().await?;
    for tenant in &tenants {
        // Loaded by slug (or listed) from the control tables just above: resolved here.
        let mut tx = db.tenant(&TenantScope::resolved(tenant)).await?;
        krafto_search::sync::announce(&mut tx, SyncTarget::Tenant).await?;
        tx.commit().await?;
    }
    Ok(tenants.len())
}
