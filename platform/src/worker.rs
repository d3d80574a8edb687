//! `platform worker`: the outbox worker with the handlers this deployment needs — today the
//! search index sync, when `OPENSEARCH_URL` is set — and `platform search-reindex`, which
//! queues a full reindex through the same outbox.
//!
//! The worker pool (`krafto_worker`) only claims and settles messages; handlers read tenant
//! data through their own platform-role pool inside `db.tenant(message.tenant_id)`, never
//! with the worker's rights.

use crate::Settings;
use anyhow::Context;
use futures_util::FutureExt;
use futures_util::future::BoxFuture;
use krafto_db::models::{OutboxMessage, Tenant, TenantFilter};
use krafto_db::{Db, DbRole};
use krafto_jobs::{Handler, JobError, Worker, WorkerConfig};
use krafto_search::OpenSearch;
use krafto_search::sync::{Indexer, KINDS, SyncTarget};
use std::sync::Arc;

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
                .sync(message.tenant_id, target)
                .await
                .map(|_| ())
                .map_err(JobError::retry)
        }
        .boxed()
    }
}

fn opensearch(settings: &Settings, url: &str) -> anyhow::Result<OpenSearch> {
    OpenSearch::new(url, &settings.opensearch_index_prefix).map_err(|e| anyhow::anyhow!("{e}"))
}

/// The worker for `settings`, with every handler they enable.
pub fn build(settings: &Settings, config: WorkerConfig) -> anyhow::Result<Worker> {
    let claims = Db::connect(&settings.database_url, DbRole::Worker, 2)?;
    let mut worker = Worker::new(claims, config)?;
    if let Some(url) = &settings.opensearch_url {
        let db = Db::connect(&settings.database_url, DbRole::App, settings.db_pool_size)?;
        let handler: Arc<dyn Handler> =
            Arc::new(SearchSyncHandler::new(db, opensearch(settings, url)?)?);
        for kind in KINDS {
            worker = worker.register(kind, handler.clone());
        }
    }
    Ok(worker)
}

/// Runs the worker until `shutdown` resolves (finishing the batch in hand).
pub async fn run(
    settings: &Settings,
    config: WorkerConfig,
    shutdown: impl std::future::Future<Output = ()>,
) -> anyhow::Result<()> {
    let worker = build(settings, config)?;
    worker.run(shutdown).await;
    Ok(())
}

/// Queues a full reindex of every tenant (or of the one with `tenant_slug`); the worker does
/// the work. Returns the number of tenants queued.
pub async fn queue_reindex(
    settings: &Settings,
    tenant_slug: Option<&str>,
) -> anyhow::Result<usize> {
    if settings.opensearch_url.is_none() {
        anyhow::bail!(
            "OPENSEARCH_URL is not set: Postgres search reads the tables directly and needs no reindex"
        );
    }
    let db = Db::connect(&settings.database_url, DbRole::App, 2)?;
    let mut tenants = Vec::new();
    let mut tx = db.unscoped().await?;
    match tenant_slug {
        Some(slug) => tenants.push(
            Tenant::find_by_slug(&mut tx, slug)
                .await?
                .with_context(|| format!("no tenant with the slug `{slug}`"))?
                .id,
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
                tenants.extend(page.iter().map(|t| t.id));
                if page.len() < 500 {
                    break;
                }
            }
        }
    }
    tx.commit().await?;
    for id in &tenants {
        let mut tx = db.tenant(*id).await?;
        krafto_search::sync::announce(&mut tx, *id, SyncTarget::Tenant).await?;
        tx.commit().await?;
    }
    Ok(tenants.len())
}
