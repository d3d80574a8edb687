//! Rate limits for both servers: GCRA quotas (`100/s`, `30/m`, `5/15m`) kept per key, in
//! this process ([`cells`]) and, when `REDIS_URL` is set, shared through Redis across
//! instances (Lua scripts timed by Redis's own clock, [`redis`]). A bucket is either exact
//! (every check asks Redis: sign-in and password quotas, whose requests are few) or batched
//! (a hot key is decided here and synced every [`SYNC_EVERY`]: the per-client and
//! per-marketplace request quotas, so that limiting costs an API request no Redis round
//! trip).
//!
//! Answers carry the separate-field form of the IETF draft `RateLimit` headers
//! (draft-ietf-httpapi-ratelimit-headers): `RateLimit-Limit` (requests the quota allows in
//! its window), `RateLimit-Remaining` (requests left right now) and `RateLimit-Reset`
//! (seconds until the quota is whole again). A refusal is a 429 problem, code
//! `rate_limited`, with `Retry-After` in seconds and the same wait in its detail.
//!
//! If Redis fails or does not answer within [`REDIS_DEADLINE`], the check falls back to this
//! instance's local limiter, and Redis is left alone for [`REDIS_PAUSE`]: never a hang, never
//! an open door. Fallbacks are logged (at most once a minute) and counted in
//! `rate_limit_redis_fallbacks_total`.
//!
//! Requests refused per marketplace are counted for its operators ([`Limiter::record_limited`],
//! [`Limiter::limited_last_day`]) and in the Prometheus counter `rate_limited_requests_total`.
//! Keys may hold client addresses and e-mail addresses: nothing here logs a key.

mod cells;
mod decision;
mod quota;
mod redis;

use cells::Cells;
pub use cells::WARM;
pub use decision::Decision;
use fred::prelude::*;
pub use quota::{Quota, RateLimitConfig};
pub use redis::SYNC_EVERY;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

/// How long a check waits for Redis before deciding locally.
pub const REDIS_DEADLINE: Duration = Duration::from_millis(150);
/// How long checks stay local after Redis failed once.
pub const REDIS_PAUSE: Duration = Duration::from_secs(5);

struct Shared {
    redis: Option<Client>,
    prefix: String,
    started: Instant,
    /// Microseconds since `started` before which checks do not ask Redis.
    redis_paused_until: AtomicU64,
    /// Microseconds since `started` of the last fallback warning.
    last_warning: AtomicU64,
    /// Buckets synced in batches ([`Limiter::batched_bucket`]).
    batched: Mutex<Vec<Weak<BucketInner>>>,
    /// Refused requests per marketplace, kind and hour, counted here (what operators read
    /// when there is no Redis).
    local_counts: moka::sync::Cache<(uuid::Uuid, &'static str, u64), Arc<AtomicU64>>,
    /// Refusals not yet added to Redis's counters, by counter key.
    unsent_counts: Mutex<HashMap<String, u64>>,
    /// Held by a sync from start to end, so that [`Limiter::sync_now`] returns once what
    /// was spent before it is in Redis.
    syncing: tokio::sync::Mutex<()>,
}

impl Shared {
    fn now(&self) -> u64 {
        cells::micros_since(self.started)
    }

    /// Whether checks may ask Redis at `now` (there is one, and it has not failed lately).
    fn redis_usable(&self, now: u64) -> bool {
        self.redis.is_some() && now >= self.redis_paused_until.load(Ordering::Relaxed)
    }

    fn key(&self, bucket: &str, key: &str) -> String {
        format!("{}:rl:{bucket}:{key}", self.prefix)
    }

    fn batched_buckets(&self) -> Vec<Arc<BucketInner>> {
        let mut list = self.batched.lock().unwrap_or_else(|e| e.into_inner());
        list.retain(|b| b.strong_count() > 0);
        list.iter().filter_map(Weak::upgrade).collect()
    }

    /// Leaves Redis alone for [`REDIS_PAUSE`] after it failed, warning at most once a minute.
    fn fell_back(&self, bucket: &str, why: &str) {
        let now = self.now();
        self.redis_paused_until
            .store(now + REDIS_PAUSE.as_micros() as u64, Ordering::Relaxed);
        metrics::counter!("rate_limit_redis_fallbacks_total").increment(1);
        let last = self.last_warning.load(Ordering::Relaxed);
        if (last == 0 || now.saturating_sub(last) >= 60_000_000)
            && self
                .last_warning
                .compare_exchange(last, now.max(1), Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            tracing::warn!(
                error = why,
                bucket,
                "rate limits: Redis failed; limiting on this instance alone for now"
            );
        }
    }

    fn take_counts(&self) -> Vec<(String, u64)> {
        std::mem::take(&mut *self.unsent_counts.lock().unwrap_or_else(|e| e.into_inner()))
            .into_iter()
            .collect()
    }

    fn put_back_counts(&self, counts: Vec<(String, u64)>) {
        let mut unsent = self.unsent_counts.lock().unwrap_or_else(|e| e.into_inner());
        for (key, n) in counts {
            *unsent.entry(key).or_default() += n;
        }
    }
}

/// Makes [`Bucket`]s and keeps the refusal counts; cheap to clone.
#[derive(Clone)]
pub struct Limiter {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Limiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Limiter")
            .field("redis", &self.shared.redis.is_some())
            .field("prefix", &self.shared.prefix)
            .finish()
    }
}

impl Limiter {
    /// A limiter sharing its counts through Redis at `redis_url`, or local without one.
    /// With Redis, it syncs batched buckets every [`SYNC_EVERY`] while it lives.
    pub async fn connect(redis_url: Option<&str>, prefix: &str) -> Result<Self, Error> {
        let redis = match redis_url {
            Some(url) => {
                let mut builder = Builder::from_config(Config::from_url(url)?);
                builder.set_policy(ReconnectPolicy::new_exponential(0, 100, 5_000, 2));
                builder.with_connection_config(|c| {
                    c.connection_timeout = Duration::from_secs(5);
                });
                let client = builder.build()?;
                client.init().await?;
                Some(client)
            }
            None => None,
        };
        let limiter = Self::with(redis, prefix);
        if limiter.shared.redis.is_some() {
            redis::start_sync(&limiter.shared);
        }
        Ok(limiter)
    }

    /// A limiter of this process only.
    pub fn local(prefix: &str) -> Self {
        Self::with(None, prefix)
    }

    fn with(redis: Option<Client>, prefix: &str) -> Self {
        Self {
            shared: Arc::new(Shared {
                redis,
                prefix: prefix.to_owned(),
                started: Instant::now(),
                redis_paused_until: AtomicU64::new(0),
                last_warning: AtomicU64::new(0),
                batched: Mutex::new(Vec::new()),
                local_counts: moka::sync::Cache::builder()
                    .max_capacity(100_000)
                    .time_to_live(Duration::from_secs(redis::COUNT_TTL_SECS))
                    .build(),
                unsent_counts: Mutex::new(HashMap::new()),
                syncing: tokio::sync::Mutex::new(()),
            }),
        }
    }

    /// A bucket named `name` (part of its Redis keys) holding `quota` per key, every check
    /// of which asks Redis when there is one: exact across instances, one Redis round trip
    /// per check. For quotas that guard secrets (sign-in codes, passwords), whose requests
    /// are few. `None` when the quota is off.
    pub fn bucket(&self, name: &'static str, quota: Option<Quota>) -> Option<Bucket> {
        self.make(name, quota?, false)
    }

    /// A bucket for flood quotas (a client's or a marketplace's requests per second): a key
    /// asks Redis on its first check and whenever this instance has not heard about it for
    /// a second; in between, it is decided in this process and what it spent reaches Redis
    /// at the next sync, every [`SYNC_EVERY`]. So a hot key costs no Redis round trip, and
    /// instances together let through at most what each allows between two syncs beyond
    /// the quota. `None` when the quota is off.
    pub fn batched_bucket(&self, name: &'static str, quota: Option<Quota>) -> Option<Bucket> {
        let bucket = self.make(name, quota?, true)?;
        self.shared
            .batched
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Arc::downgrade(&bucket.inner));
        Some(bucket)
    }

    fn make(&self, name: &'static str, quota: Quota, batched: bool) -> Option<Bucket> {
        Some(Bucket {
            inner: Arc::new(BucketInner {
                name,
                quota,
                batched,
                cells: Cells::new(self.shared.started, quota.emission(), quota.limit.get()),
                shared: self.shared.clone(),
            }),
        })
    }

    /// Tells Redis now what the batched buckets spent, and returns once it is there (for
    /// tests: the sync task does it every [`SYNC_EVERY`]).
    pub async fn sync_now(&self) {
        redis::sync(&self.shared).await;
    }

    /// Counts a request refused on `marketplace` (named `slug` in metrics) by the limit
    /// `kind`, for its operators and Prometheus. Never waits for Redis: the count reaches
    /// it at the next sync.
    pub fn record_limited(&self, marketplace: uuid::Uuid, slug: &str, kind: &'static str) {
        metrics::counter!(
            "rate_limited_requests_total",
            "marketplace" => slug.to_owned(),
            "limit" => kind,
        )
        .increment(1);
        let hour = current_hour();
        if self.shared.redis.is_some() {
            let key = self.count_key(marketplace, kind, hour);
            *self
                .shared
                .unsent_counts
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .entry(key)
                .or_default() += 1;
        }
        self.shared
            .local_counts
            .get_with((marketplace, kind, hour), Default::default)
            .fetch_add(1, Ordering::Relaxed);
    }

    /// Requests refused on `marketplace` over the last 24 hours (this hour and the 23
    /// before), per limit kind among `kinds`: on every instance with Redis (up to the last
    /// sync), on this one without.
    pub async fn limited_last_day(
        &self,
        marketplace: uuid::Uuid,
        kinds: &[&'static str],
    ) -> BTreeMap<&'static str, u64> {
        let now = current_hour();
        let hours: Vec<u64> = (0..24).map(|h| now.saturating_sub(h)).collect();
        let mut counts: BTreeMap<&'static str, u64> = kinds.iter().map(|k| (*k, 0)).collect();
        if let Some(redis) = &self.shared.redis {
            let keys: Vec<String> = kinds
                .iter()
                .flat_map(|k| hours.iter().map(|h| self.count_key(marketplace, k, *h)))
                .collect();
            let read =
                tokio::time::timeout(REDIS_DEADLINE * 4, redis.mget::<Vec<Option<u64>>, _>(keys))
                    .await;
            match read {
                Ok(Ok(values)) => {
                    for (i, v) in values.into_iter().enumerate() {
                        if let Some(kind) = kinds.get(i / hours.len()) {
                            *counts.entry(kind).or_default() += v.unwrap_or(0);
                        }
                    }
                    return counts;
                }
                Ok(Err(e)) => tracing::warn!(error = %e, "could not read rate-limit counts"),
                Err(_) => tracing::warn!("could not read rate-limit counts: Redis did not answer"),
            }
        }
        for kind in kinds {
            for h in &hours {
                if let Some(n) = self.shared.local_counts.get(&(marketplace, *kind, *h)) {
                    *counts.entry(kind).or_default() += n.load(Ordering::Relaxed);
                }
            }
        }
        counts
    }

    fn count_key(&self, marketplace: uuid::Uuid, kind: &str, hour: u64) -> String {
        format!(
            "{}:rl:limited:{marketplace}:{kind}:{hour}",
            self.shared.prefix
        )
    }
}

fn current_hour() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() / 3600)
        .unwrap_or(0)
}

struct BucketInner {
    name: &'static str,
    quota: Quota,
    batched: bool,
    cells: Cells,
    shared: Arc<Shared>,
}

/// One quota applied per key (a client address, a marketplace, an e-mail address).
#[derive(Clone)]
pub struct Bucket {
    inner: Arc<BucketInner>,
}

impl std::fmt::Debug for Bucket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bucket")
            .field("name", &self.inner.name)
            .field("quota", &self.inner.quota.to_string())
            .field("batched", &self.inner.batched)
            .finish()
    }
}

impl Bucket {
    pub fn quota(&self) -> Quota {
        self.inner.quota
    }

    /// Spends one request of `key`'s quota, if there is one left.
    pub async fn check(&self, key: &str) -> Decision {
        let inner = &*self.inner;
        let (cells, shared) = (&inner.cells, &inner.shared);
        let now = cells.now();
        let redis = match &shared.redis {
            Some(redis) if shared.redis_usable(now) => redis,
            _ => return cells.spend(key, now, false),
        };
        if inner.batched && cells.is_warm(key, now) {
            return cells.spend(key, now, true);
        }
        let asked = redis::check(
            redis,
            shared.key(inner.name, key),
            cells.emission_us(),
            cells.limit(),
        );
        match tokio::time::timeout(REDIS_DEADLINE, asked).await {
            Ok(Ok((decision, backlog))) => {
                cells.heard(key, cells.now(), backlog);
                decision
            }
            Ok(Err(e)) => {
                shared.fell_back(inner.name, &e.to_string());
                cells.spend(key, now, false)
            }
            Err(_) => {
                shared.fell_back(inner.name, "no answer in time");
                cells.spend(key, now, false)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_local_bucket_allows_its_quota_then_says_when_to_retry() {
        let limiter = Limiter::local("t");
        let bucket = limiter
            .bucket("test", Quota::new(3, Duration::from_secs(60)))
            .unwrap();
        let first = bucket.check("a").await;
        assert!(first.allowed);
        assert_eq!((first.limit, first.remaining), (3, 2));
        assert!(bucket.check("a").await.allowed);
        let last = bucket.check("a").await;
        assert_eq!((last.allowed, last.remaining), (true, 0));
        let refused = bucket.check("a").await;
        assert!(!refused.allowed);
        let secs = refused.retry_after_secs();
        assert!((19..=20).contains(&secs), "{secs}");
        let mut headers = poem::http::HeaderMap::new();
        refused.write_headers(&mut headers);
        assert_eq!(headers["ratelimit-limit"], "3");
        assert_eq!(headers["ratelimit-remaining"], "0");
        assert_eq!(headers["retry-after"], secs.to_string().as_str());
        assert!(
            refused
                .refusal("requests")
                .detail
                .ends_with(&format!("retry in {secs} seconds"))
        );
        assert!(bucket.check("b").await.allowed, "keys do not share a quota");
    }
}
