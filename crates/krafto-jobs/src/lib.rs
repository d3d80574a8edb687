//! The outbox worker: claims due messages of every tenant from the transactional outbox —
//! only of the kinds it has a [`Handler`] for, so workers with different handlers can share
//! one outbox — hands each to its handler, and settles it — `done`, retried
//! later with exponential backoff, or parked as `dead` (the dead letter) after
//! [`WorkerConfig::max_attempts`] tries. Several workers may run at once: a claim is a lease
//! taken with `FOR UPDATE SKIP LOCKED`, so no message is handed to two of them while its
//! lease runs.
//!
//! Delivery is at least once: a worker that dies after delivering and before settling leaves
//! the message to be claimed again when its lease runs out, so handlers must be idempotent.
//! A failing, panicking or hanging handler never loses a message; it is retried and, in the
//! end, kept as `dead` with its last error.
//!
//! This crate must never read tenant data with its own pool: the worker role sees every
//! tenant's outbox and nothing else. A handler that needs tenant data opens
//! `db.tenant(&TenantScope::claimed(message))` on a platform-role pool of its own, so row-level security
//! applies to it like to any request.

use futures_util::future::{BoxFuture, join_all};
use krafto_db::models::OutboxMessage;
use krafto_db::{Db, DbError, DbRole};
use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

/// Why a handler could not deliver a message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct JobError {
    message: String,
    permanent: bool,
}

impl JobError {
    /// A failure worth retrying (a backend down, a timeout).
    pub fn retry(e: impl fmt::Display) -> Self {
        Self {
            message: e.to_string(),
            permanent: false,
        }
    }

    /// A failure no retry can fix (a malformed payload): the message goes `dead` at once.
    pub fn permanent(e: impl fmt::Display) -> Self {
        Self {
            message: e.to_string(),
            permanent: true,
        }
    }

    pub fn is_permanent(&self) -> bool {
        self.permanent
    }
}

/// Delivers the messages of one `kind`.
pub trait Handler: Send + Sync + fmt::Debug {
    /// Delivers one message. May run more than once for the same message, so it must be
    /// idempotent. For tenant data, use a platform-role pool and `db.tenant(&TenantScope::claimed(message))`.
    fn handle<'a>(&'a self, message: &'a OutboxMessage) -> BoxFuture<'a, Result<(), JobError>>;
}

/// How the worker claims, waits and retries.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerConfig {
    /// Messages claimed (and handled concurrently) at a time.
    pub batch_size: i64,
    /// How long a claim hides a message from other workers; a handler running longer than
    /// nine tenths of it is abandoned and the message retried.
    pub lease: Duration,
    /// Pause between polls when the outbox had nothing due.
    pub poll_interval: Duration,
    /// Attempts before a message is parked as `dead`.
    pub max_attempts: i32,
    /// Delay before the first retry; doubled for each further attempt.
    pub backoff_base: Duration,
    /// Longest delay between two attempts.
    pub backoff_cap: Duration,
    /// How long delivered messages are kept before the worker prunes them.
    pub retention: Duration,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            batch_size: 32,
            lease: Duration::from_secs(300),
            poll_interval: Duration::from_secs(1),
            max_attempts: 8,
            backoff_base: Duration::from_secs(5),
            backoff_cap: Duration::from_secs(3600),
            retention: Duration::from_secs(7 * 24 * 3600),
        }
    }
}

impl WorkerConfig {
    /// The delay after failed attempt number `attempt` (1-based): base, 2×base, 4×base, …,
    /// at most the cap.
    pub fn backoff(&self, attempt: i32) -> Duration {
        let doublings = u32::try_from(attempt.saturating_sub(1))
            .unwrap_or(0)
            .min(30);
        self.backoff_base
            .saturating_mul(2u32.saturating_pow(doublings))
            .min(self.backoff_cap)
    }

    fn handler_timeout(&self) -> Duration {
        self.lease.mul_f64(0.9)
    }
}

/// What one claim-and-handle round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct BatchReport {
    pub claimed: usize,
    pub done: usize,
    pub retried: usize,
    pub dead: usize,
    /// Settled by nobody: the lease ran out and another worker owns the message now, or the
    /// database refused the update (the lease will run out and the message be retried).
    pub unsettled: usize,
}

/// Why a worker could not be built.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error(
        "the outbox worker needs a pool acting as krafto_worker (DbRole::Worker), not {0}; \
         connect one with Db::connect(url, DbRole::Worker, n)"
    )]
    WrongRole(&'static str),
    #[error("the batch size must be between 1 and 1000, not {0}")]
    BatchSize(i64),
    #[error("max_attempts must be at least 1, not {0}")]
    MaxAttempts(i32),
}

/// Claims and delivers outbox messages.
pub struct Worker {
    db: Db,
    handlers: HashMap<String, Arc<dyn Handler>>,
    config: WorkerConfig,
}

impl fmt::Debug for Worker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Worker")
            .field("kinds", &self.kinds())
            .field("config", &self.config)
            .finish()
    }
}

/// The identity of a claimed message, kept outside its task so a panic cannot lose it.
struct Claimed {
    tenant_id: Uuid,
    id: Uuid,
    kind: String,
    attempt: i32,
}

enum Settled {
    Done,
    Retried(Duration),
    Dead,
    Unsettled,
}

impl Worker {
    /// A worker claiming with `db`, which must act as `krafto_worker`.
    pub fn new(db: Db, config: WorkerConfig) -> Result<Self, WorkerError> {
        if db.role() != DbRole::Worker {
            return Err(WorkerError::WrongRole(db.role().name()));
        }
        if !(1..=1000).contains(&config.batch_size) {
            return Err(WorkerError::BatchSize(config.batch_size));
        }
        if config.max_attempts < 1 {
            return Err(WorkerError::MaxAttempts(config.max_attempts));
        }
        Ok(Self {
            db,
            handlers: HashMap::new(),
            config,
        })
    }

    /// Routes messages of `kind` to `handler` (replacing any earlier one).
    pub fn register(mut self, kind: &str, handler: Arc<dyn Handler>) -> Self {
        self.handlers.insert(kind.to_owned(), handler);
        self
    }

    /// The kinds this worker delivers, sorted.
    pub fn kinds(&self) -> Vec<&str> {
        let mut k: Vec<&str> = self.handlers.keys().map(String::as_str).collect();
        k.sort_unstable();
        k
    }

    pub fn config(&self) -> &WorkerConfig {
        &self.config
    }

    /// Claims one batch of due messages, handles them concurrently and settles each.
    /// Errors only when the claim itself fails (database unreachable).
    pub async fn run_once(&self) -> Result<BatchReport, DbError> {
        let kinds: Vec<String> = self.handlers.keys().cloned().collect();
        if kinds.is_empty() {
            return Ok(BatchReport::default());
        }
        let mut tx = self.db.worker().await?;
        let messages =
            OutboxMessage::claim(&mut tx, &kinds, self.config.batch_size, self.config.lease)
                .await?;
        tx.commit().await?;
        let mut report = BatchReport {
            claimed: messages.len(),
            ..BatchReport::default()
        };
        if messages.is_empty() {
            return Ok(report);
        }
        let timeout = self.config.handler_timeout();
        let mut claimed = Vec::with_capacity(messages.len());
        let mut tasks = Vec::with_capacity(messages.len());
        for m in messages {
            claimed.push(Claimed {
                tenant_id: m.tenant_id,
                id: m.id,
                kind: m.kind.clone(),
                attempt: m.attempts,
            });
            let handler = self.handlers.get(&m.kind).cloned();
            // A task per message: a panicking handler fails its message, not the worker.
            tasks.push(tokio::spawn(async move {
                let Some(handler) = handler else {
                    return Err(JobError::retry(format!(
                        "claimed a message of kind `{}` without a handler for it",
                        m.kind
                    )));
                };
                match tokio::time::timeout(timeout, handler.handle(&m)).await {
                    Ok(outcome) => outcome,
                    Err(_) => Err(JobError::retry(format!(
                        "handler timed out after {} ms",
                        timeout.as_millis()
                    ))),
                }
            }));
        }
        let outcomes = join_all(tasks).await;
        for (c, joined) in claimed.into_iter().zip(outcomes) {
            let outcome = joined.unwrap_or_else(|e| {
                Err(JobError::retry(format!(
                    "handler panicked: {}",
                    panic_message(e)
                )))
            });
            match self.settle(&c, outcome).await {
                Settled::Done => report.done += 1,
                Settled::Retried(_) => report.retried += 1,
                Settled::Dead => report.dead += 1,
                Settled::Unsettled => report.unsettled += 1,
            }
        }
        tracing::info!(
            claimed = report.claimed,
            done = report.done,
            retried = report.retried,
            dead = report.dead,
            unsettled = report.unsettled,
            "outbox batch handled"
        );
        Ok(report)
    }

    async fn settle(&self, c: &Claimed, outcome: Result<(), JobError>) -> Settled {
        let result = async {
            let mut tx = self.db.worker().await?;
            let settled = match &outcome {
                Ok(()) => OutboxMessage::complete(&mut tx, c.tenant_id, c.id, c.attempt)
                    .await?
                    .then_some(Settled::Done),
                Err(e) if e.is_permanent() || c.attempt >= self.config.max_attempts => {
                    OutboxMessage::bury(&mut tx, c.tenant_id, c.id, c.attempt, &e.to_string())
                        .await?
                        .then_some(Settled::Dead)
                }
                Err(e) => {
                    let delay = self.config.backoff(c.attempt);
                    OutboxMessage::retry_later(
                        &mut tx,
                        c.tenant_id,
                        c.id,
                        c.attempt,
                        &e.to_string(),
                        delay,
                    )
                    .await?
                    .then_some(Settled::Retried(delay))
                }
            };
            tx.commit().await?;
            Ok::<_, DbError>(settled.unwrap_or(Settled::Unsettled))
        }
        .await;
        let settled = match result {
            Ok(s) => s,
            Err(e) => {
                tracing::error!(
                    tenant.id = %c.tenant_id, message.id = %c.id, kind = %c.kind, error = %e,
                    "could not settle an outbox message; it will be retried when its lease runs out"
                );
                return Settled::Unsettled;
            }
        };
        let error = outcome.err().map(|e| e.to_string()).unwrap_or_default();
        match &settled {
            Settled::Done => tracing::debug!(
                tenant.id = %c.tenant_id, message.id = %c.id, kind = %c.kind, attempt = c.attempt,
                "outbox message delivered"
            ),
            Settled::Retried(delay) => tracing::warn!(
                tenant.id = %c.tenant_id, message.id = %c.id, kind = %c.kind, attempt = c.attempt,
                retry_in_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX), error = %error,
                "outbox message failed; retrying later"
            ),
            Settled::Dead => tracing::error!(
                tenant.id = %c.tenant_id, message.id = %c.id, kind = %c.kind, attempt = c.attempt,
                error = %error,
                "outbox message is dead: no more retries (status 'dead' in the outbox table)"
            ),
            Settled::Unsettled => tracing::warn!(
                tenant.id = %c.tenant_id, message.id = %c.id, kind = %c.kind, attempt = c.attempt,
                "lost the claim on an outbox message before settling it (lease ran out?); \
                 another worker owns it now"
            ),
        }
        settled
    }

    /// Deletes delivered messages older than the retention, a bounded batch at a time.
    pub async fn prune(&self) -> Result<usize, DbError> {
        let secs = i64::try_from(self.config.retention.as_secs()).unwrap_or(i64::MAX);
        let mut tx = self.db.worker().await?;
        let n = OutboxMessage::prune_done(&mut tx, secs, 10_000).await?;
        tx.commit().await?;
        Ok(n)
    }

    /// Claims and delivers until `shutdown` resolves, then returns after finishing the batch
    /// in hand. Polls every `poll_interval` while the outbox is empty, and at once while full
    /// batches keep coming.
    pub async fn run(&self, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        if self.handlers.is_empty() {
            tracing::warn!(
                "the outbox worker has no handlers in this configuration, so it claims nothing \
                 (set OPENSEARCH_URL to keep the search index in sync)"
            );
        }
        tracing::info!(
            kinds = ?self.kinds(),
            batch_size = self.config.batch_size,
            poll_interval_ms = u64::try_from(self.config.poll_interval.as_millis()).unwrap_or(u64::MAX),
            "outbox worker started"
        );
        let mut failures: u32 = 0;
        let mut last_prune: Option<std::time::Instant> = None;
        loop {
            if last_prune.is_none_or(|t| t.elapsed() >= Duration::from_secs(60)) {
                last_prune = Some(std::time::Instant::now());
                match self.prune().await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(pruned = n, "pruned delivered outbox messages"),
                    Err(e) => tracing::warn!(error = %e, "cannot prune delivered outbox messages"),
                }
            }
            let pause = match self.run_once().await {
                Ok(r) => {
                    failures = 0;
                    if i64::try_from(r.claimed).unwrap_or(i64::MAX) >= self.config.batch_size {
                        Duration::ZERO
                    } else {
                        self.config.poll_interval
                    }
                }
                Err(e) => {
                    failures = failures.saturating_add(1);
                    let pause = self
                        .config
                        .poll_interval
                        .saturating_mul(2u32.saturating_pow(failures.min(6)))
                        .min(Duration::from_secs(60));
                    tracing::error!(
                        error = %e,
                        retry_in_ms = u64::try_from(pause.as_millis()).unwrap_or(u64::MAX),
                        "cannot claim outbox messages; is the database up and migrated?"
                    );
                    pause
                }
            };
            tokio::select! {
                biased;
                () = &mut shutdown => break,
                () = tokio::time::sleep(pause) => {}
            }
        }
        tracing::info!("outbox worker stopped");
    }
}

fn panic_message(e: tokio::task::JoinError) -> String {
    if !e.is_panic() {
        return e.to_string();
    }
    let payload = e.into_panic();
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a non-text panic".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_the_base_up_to_the_cap() {
        let c = WorkerConfig {
            backoff_base: Duration::from_secs(5),
            backoff_cap: Duration::from_secs(60),
            ..WorkerConfig::default()
        };
        let delays: Vec<u64> = (1..=6).map(|a| c.backoff(a).as_secs()).collect();
        assert_eq!(delays, [5, 10, 20, 40, 60, 60]);
        assert_eq!(c.backoff(0), Duration::from_secs(5));
        assert_eq!(c.backoff(i32::MAX), Duration::from_secs(60));
    }

    #[test]
    fn errors_say_whether_a_retry_can_help() {
        assert!(!JobError::retry("down").is_permanent());
        assert!(JobError::permanent("bad payload").is_permanent());
        assert_eq!(JobError::retry("down").to_string(), "down");
    }
}
