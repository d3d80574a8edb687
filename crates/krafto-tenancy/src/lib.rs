//! Host → tenant resolution with a per-instance cache, and its invalidation across
//! instances over Redis pub/sub.
//!
//! Resolution never falls back to a default tenant: an unknown host stays unknown (and is
//! remembered briefly as such so floods of junk hosts do not reach the database).
//!
//! Redis is a help, never a dependency of a change: publishing gives up after
//! [`PUBLISH_TIMEOUT`] (the change is committed; it is logged), and while the subscription
//! does not answer its health check the cache keeps entries only [`CacheTtl::unlinked`],
//! since changes made meanwhile go unheard.

use fred::clients::SubscriberClient;
use fred::prelude::*;
use krafto_core::{HostName, normalize_host};
use krafto_db::models::Tenant;
use krafto_db::{Db, DbError};
use moka::Expiry;
use moka::future::Cache;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// The Redis channel carrying tenant changes.
pub const CHANNEL: &str = "krafto:tenant-changes";

/// Longest a change waits to be published before it is given up (and logged).
pub const PUBLISH_TIMEOUT: Duration = Duration::from_secs(1);

/// How often the subscription's link is checked, and how long the check may take.
const HEALTH_INTERVAL: Duration = Duration::from_secs(1);

/// A resolved marketplace, shared by every request of its host until invalidated.
pub type TenantRef = Arc<Tenant>;

/// Cache lifetimes.
#[derive(Debug, Clone, Copy)]
pub struct CacheTtl {
    /// How long a found tenant is trusted without hearing of a change.
    pub found: Duration,
    /// How long an unknown host is remembered as unknown.
    pub unknown: Duration,
    /// How long a found tenant is trusted while the invalidation link is down.
    pub unlinked: Duration,
}

impl CacheTtl {
    /// With Redis invalidation, entries can live long; without, staleness is bounded by a
    /// short TTL only.
    pub fn for_invalidation(redis: bool) -> Self {
        if redis {
            Self {
                found: Duration::from_secs(300),
                unknown: Duration::from_secs(2),
                unlinked: Duration::from_secs(3),
            }
        } else {
            Self {
                found: Duration::from_secs(5),
                unknown: Duration::from_secs(2),
                unlinked: Duration::from_secs(5),
            }
        }
    }
}

/// Entries' lifetimes, shortened while the invalidation link is down.
#[derive(Clone)]
struct TtlPolicy {
    ttl: CacheTtl,
    linked: Arc<AtomicBool>,
}

impl TtlPolicy {
    fn found(&self) -> Duration {
        if self.linked.load(Ordering::Relaxed) {
            self.ttl.found
        } else {
            self.ttl.unlinked
        }
    }
}

impl Expiry<String, Option<TenantRef>> for TtlPolicy {
    fn expire_after_create(
        &self,
        _key: &String,
        value: &Option<TenantRef>,
        _now: Instant,
    ) -> Option<Duration> {
        Some(if value.is_some() {
            self.found()
        } else {
            self.ttl.unknown
        })
    }
}

impl Expiry<DerivedKey, Derived> for TtlPolicy {
    fn expire_after_create(
        &self,
        _key: &DerivedKey,
        _value: &Derived,
        _now: Instant,
    ) -> Option<Duration> {
        Some(self.found())
    }
}

/// What changed about a tenant: its id and every host that may be cached for it (old and
/// new), so negative entries of freshly added hosts are dropped too.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TenantChanged {
    pub tenant_id: Uuid,
    pub hosts: Vec<String>,
}

/// Resolves hosts to tenants through a moka cache.
#[derive(Clone)]
pub struct TenantResolver {
    db: Db,
    base_domain: Arc<str>,
    cache: Cache<String, Option<TenantRef>>,
    /// Data derived from a tenant (its public face, one of its users), dropped together
    /// with it. Keyed by tenant, kind, and an id within the kind (nil when there is one).
    derived: Cache<DerivedKey, Derived>,
    /// Whether changes are being heard (always, without Redis: lifetimes are short then).
    linked: Arc<AtomicBool>,
}

type DerivedKey = (Uuid, &'static str, Uuid);
type Derived = Arc<dyn std::any::Any + Send + Sync>;

impl std::fmt::Debug for TenantResolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TenantResolver")
            .field("base_domain", &self.base_domain)
            .field("entries", &self.cache.entry_count())
            .finish()
    }
}

impl TenantResolver {
    pub fn new(db: Db, base_domain: &str, ttl: CacheTtl) -> Self {
        let linked = Arc::new(AtomicBool::new(true));
        let policy = TtlPolicy {
            ttl,
            linked: linked.clone(),
        };
        let cache = Cache::builder()
            .max_capacity(100_000)
            .expire_after(policy.clone())
            .support_invalidation_closures()
            .build();
        let derived = Cache::builder()
            .max_capacity(100_000)
            .expire_after(policy)
            .support_invalidation_closures()
            .build();
        Self {
            db,
            base_domain: base_domain.to_ascii_lowercase().into(),
            cache,
            derived,
            linked,
        }
    }

    /// Records whether the invalidation link works. When it goes down everything cached is
    /// dropped and later entries live [`CacheTtl::unlinked`]; when it comes back everything
    /// is dropped again, since changes may have been missed meanwhile.
    pub fn set_linked(&self, linked: bool) {
        if self.linked.swap(linked, Ordering::SeqCst) != linked {
            if linked {
                tracing::info!("tenant change link restored; dropping the tenant cache");
            } else {
                tracing::warn!("tenant change link down; tenant cache entries now live seconds");
            }
            self.invalidate_all();
        }
    }

    /// Whether changes are being heard.
    pub fn is_linked(&self) -> bool {
        self.linked.load(Ordering::SeqCst)
    }

    pub fn base_domain(&self) -> &str {
        &self.base_domain
    }

    /// The tenant a raw `Host` header names, if any. Concurrent misses for one host share a
    /// single database lookup.
    pub async fn resolve(&self, raw_host: &str) -> Result<Option<TenantRef>, Arc<DbError>> {
        let Some(host) = normalize_host(raw_host) else {
            return Ok(None);
        };
        let db = &self.db;
        let base = &self.base_domain;
        self.cache
            .try_get_with(host.clone(), async move { lookup(db, base, &host).await })
            .await
    }

    /// The tenant a raw `Host` header names, if it is cached now: never asks the database
    /// (for pages answered when the database may be what failed).
    pub async fn cached(&self, raw_host: &str) -> Option<TenantRef> {
        let host = normalize_host(raw_host)?;
        self.cache.get(&host).await.flatten()
    }

    /// Per-tenant derived data of kind `name` (and `key` within it), loaded once and kept
    /// until the tenant changes or the cache TTL passes. Errors are not cached. Each `name`
    /// must always hold the same type `T`.
    pub async fn derived<T, E, F>(
        &self,
        tenant: Uuid,
        name: &'static str,
        key: Uuid,
        load: F,
    ) -> Result<Arc<T>, Arc<E>>
    where
        T: Send + Sync + 'static,
        E: Send + Sync + 'static,
        F: Future<Output = Result<T, E>>,
    {
        let value = self
            .derived
            .try_get_with((tenant, name, key), async move {
                load.await.map(|v| Arc::new(v) as Derived)
            })
            .await?;
        Ok(value
            .downcast::<T>()
            .unwrap_or_else(|_| panic!("derived tenant data `{name}` stored with another type")))
    }

    /// Drops what is cached for this tenant and these hosts.
    pub async fn invalidate(&self, change: &TenantChanged) {
        for host in &change.hosts {
            self.cache.invalidate(host).await;
        }
        let id = change.tenant_id;
        // Cannot fail: invalidation closures are enabled in `new`.
        let _ = self
            .cache
            .invalidate_entries_if(move |_, v| v.as_ref().is_some_and(|t| t.id == id));
        let _ = self.derived.invalidate_entries_if(move |k, _| k.0 == id);
    }

    pub fn invalidate_all(&self) {
        self.cache.invalidate_all();
        self.derived.invalidate_all();
    }
}

async fn lookup(db: &Db, base_domain: &str, host: &str) -> Result<Option<TenantRef>, DbError> {
    let Ok(name) = HostName::parse(host) else {
        return Ok(None);
    };
    let mut tx = db.control().await?;
    let tenant = match name.slug_under(base_domain) {
        Some(slug) => Tenant::find_by_slug(&mut tx, slug).await?,
        None => Tenant::find_by_domain(&mut tx, name.as_str()).await?,
    };
    tx.commit().await?;
    Ok(tenant.map(Arc::new))
}

/// A command that fails instead of waiting for a reconnection, and gives up after `timeout`.
fn quick(timeout: Duration) -> Options {
    Options {
        timeout: Some(timeout),
        fail_fast: true,
        max_attempts: Some(1),
        ..Options::default()
    }
}

fn redis_builder(url: &str) -> Result<Builder, Error> {
    let config = Config::from_url(url)?;
    let mut builder = Builder::from_config(config);
    builder.set_policy(ReconnectPolicy::new_exponential(0, 100, 5_000, 2));
    builder.with_connection_config(|c| c.connection_timeout = Duration::from_secs(5));
    Ok(builder)
}

/// Announces tenant changes to every platform instance (no-op without Redis).
#[derive(Clone, Default)]
pub struct ChangePublisher {
    client: Option<Client>,
}

impl std::fmt::Debug for ChangePublisher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChangePublisher")
            .field("redis", &self.client.is_some())
            .finish()
    }
}

impl ChangePublisher {
    /// Connects when `redis_url` is given.
    pub async fn connect(redis_url: Option<&str>) -> Result<Self, Error> {
        let Some(url) = redis_url else {
            return Ok(Self::default());
        };
        let client = redis_builder(url)?.build()?;
        client.init().await?;
        Ok(Self {
            client: Some(client),
        })
    }

    /// Publishes a change, giving up after [`PUBLISH_TIMEOUT`] or at once when Redis is
    /// unreachable. Failure is logged, not returned: the change is committed, and the other
    /// instances' caches are short-lived while their link is down too.
    pub async fn publish(&self, change: &TenantChanged) {
        let Some(client) = &self.client else { return };
        let Ok(body) = serde_json::to_string(change) else {
            return;
        };
        let client = client.with_options(&quick(PUBLISH_TIMEOUT));
        let sent =
            tokio::time::timeout(PUBLISH_TIMEOUT, client.publish::<i64, _, _>(CHANNEL, body)).await;
        let error = match sent {
            Ok(Ok(_)) => return,
            Ok(Err(e)) => e.to_string(),
            Err(_) => format!("no answer within {} ms", PUBLISH_TIMEOUT.as_millis()),
        };
        tracing::warn!(error, tenant.id = %change.tenant_id, "could not publish a tenant change");
    }
}

/// Subscribes to tenant changes and applies them to `resolver` until the process ends. After
/// a reconnect everything is dropped, since messages may have been missed meanwhile.
pub async fn listen_for_changes(
    redis_url: &str,
    resolver: TenantResolver,
) -> Result<SubscriberClient, Error> {
    let subscriber = redis_builder(redis_url)?.build_subscriber_client()?;
    subscriber.init().await?;
    subscriber.manage_subscriptions();
    let mut messages = subscriber.message_rx();
    let mut reconnects = subscriber.reconnect_rx();
    subscriber.subscribe(CHANNEL).await?;
    let on_message = resolver.clone();
    tokio::spawn(async move {
        while let Ok(message) = messages.recv().await {
            let Some(text) = message.value.as_str() else {
                continue;
            };
            match serde_json::from_str::<TenantChanged>(&text) {
                Ok(change) => on_message.invalidate(&change).await,
                Err(e) => tracing::warn!(error = %e, "ignoring a malformed tenant change message"),
            }
        }
    });
    let on_reconnect = resolver.clone();
    tokio::spawn(async move {
        while reconnects.recv().await.is_ok() {
            tracing::info!("redis reconnected; dropping the tenant cache");
            on_reconnect.invalidate_all();
        }
    });
    // A link can fail silently (a frozen server, a partition): ask it to answer, every
    // second, and shorten the cache while it does not.
    let health = subscriber.clone();
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(HEALTH_INTERVAL);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let client = health.with_options(&quick(HEALTH_INTERVAL));
            let answered = tokio::time::timeout(HEALTH_INTERVAL, client.ping::<Value>(None)).await;
            resolver.set_linked(matches!(answered, Ok(Ok(_))));
        }
    });
    Ok(subscriber)
}
