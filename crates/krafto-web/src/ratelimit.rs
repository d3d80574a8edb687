//! Rate limits for both servers: GCRA quotas (`100/s`, `30/m`, `5/15m`) kept per key,
//! shared through Redis across instances when `REDIS_URL` is set (one Lua script, timed by
//! Redis's own clock) and kept in this process otherwise (`governor`).
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

use fred::prelude::*;
use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use krafto_core::env::{Env, EnvError};
use poem::http::{HeaderMap, HeaderValue};
use std::collections::BTreeMap;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long a check waits for Redis before deciding locally.
pub const REDIS_DEADLINE: Duration = Duration::from_millis(150);
/// How long checks stay local after Redis failed once.
pub const REDIS_PAUSE: Duration = Duration::from_secs(5);

/// A number of requests per period. The whole quota may be spent at once; it then refills
/// evenly (one request every `period / limit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Quota {
    pub limit: NonZeroU32,
    pub period: Duration,
}

impl Quota {
    /// `limit` requests per `period` (`period` at least a millisecond).
    pub fn new(limit: u32, period: Duration) -> Option<Self> {
        let limit = NonZeroU32::new(limit)?;
        (period >= Duration::from_millis(1)).then_some(Self { limit, period })
    }

    /// Reads `100/s`, `30/m`, `5/15m`, `1000/h`; `off` (no limit) is `None`.
    pub fn parse(text: &str) -> Result<Option<Self>, String> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("off") {
            return Ok(None);
        }
        let expected = || format!("`{text}` is not a quota such as 100/s, 30/m, 5/15m or off");
        let (limit, per) = text.split_once('/').ok_or_else(expected)?;
        let limit: u32 = limit.trim().parse().map_err(|_| expected())?;
        let per = per.trim();
        let unit_at = per
            .find(|c: char| !c.is_ascii_digit())
            .ok_or_else(expected)?;
        let count: u64 = match &per[..unit_at] {
            "" => 1,
            n => n.parse().map_err(|_| expected())?,
        };
        let unit = match &per[unit_at..] {
            "s" => 1,
            "m" => 60,
            "h" => 3600,
            _ => return Err(expected()),
        };
        Self::new(limit, Duration::from_secs(count.saturating_mul(unit)))
            .map(Some)
            .ok_or_else(expected)
    }

    /// The time one request takes to refill.
    pub fn emission(&self) -> Duration {
        self.period / self.limit.get()
    }

    fn governor(&self) -> governor::Quota {
        governor::Quota::with_period(self.emission().max(Duration::from_nanos(1)))
            .map(|q| q.allow_burst(self.limit))
            .unwrap_or_else(|| governor::Quota::per_second(self.limit))
    }
}

impl std::fmt::Display for Quota {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let secs = self.period.as_secs();
        match secs {
            1 => write!(f, "{}/s", self.limit),
            60 => write!(f, "{}/m", self.limit),
            3600 => write!(f, "{}/h", self.limit),
            s if s % 3600 == 0 && s > 0 => write!(f, "{}/{}h", self.limit, s / 3600),
            s if s % 60 == 0 && s > 0 => write!(f, "{}/{}m", self.limit, s / 60),
            s => write!(f, "{}/{}s", self.limit, s),
        }
    }
}

/// The rate limits of both servers, from the environment. Each is a [`Quota`] (`off` turns
/// one off); the defaults let a busy marketplace and a benchmark client through and stop
/// floods and guessing.
#[derive(Debug, Clone)]
pub struct RateLimitConfig {
    /// `KRAFTO_RATE_LIMIT_MARKETPLACE` (default `5000/s`): API requests to one marketplace,
    /// from everyone together.
    pub marketplace: Option<Quota>,
    /// `KRAFTO_RATE_LIMIT_CLIENT` (default `1000/s`): API requests from one client address.
    pub client: Option<Quota>,
    /// `KRAFTO_RATE_LIMIT_SIGN_IN` (default `30/m`): sign-in requests (asking for a code,
    /// entering one) from one client address.
    pub sign_in: Option<Quota>,
    /// `KRAFTO_RATE_LIMIT_STAFF_LOGIN_CLIENT` (default `20/10m`): staff password attempts from
    /// one client address.
    pub staff_login_client: Option<Quota>,
    /// `KRAFTO_RATE_LIMIT_STAFF_LOGIN_ADDRESS` (default `5/15m`): staff password attempts for
    /// one e-mail address, whoever makes them; spent, the address is locked until one
    /// attempt has refilled (3 minutes with the default).
    pub staff_login_address: Option<Quota>,
    /// `KRAFTO_REDIS_PREFIX` (default `krafto`): the prefix of the Redis keys this deployment
    /// writes, so that deployments can share one Redis.
    pub redis_prefix: String,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        let q = |text: &str| Quota::parse(text).ok().flatten();
        Self {
            marketplace: q("5000/s"),
            client: q("1000/s"),
            sign_in: q("30/m"),
            staff_login_client: q("20/10m"),
            staff_login_address: q("5/15m"),
            redis_prefix: "krafto".to_owned(),
        }
    }
}

impl RateLimitConfig {
    pub fn from_env(env: &Env) -> Result<Self, EnvError> {
        let d = Self::default();
        let quota = |name: &str, default: Option<Quota>| -> Result<Option<Quota>, EnvError> {
            match env.optional(name)? {
                None => Ok(default),
                Some(v) => Quota::parse(&v).map_err(|_| {
                    EnvError::invalid(name, &v, "a quota such as 100/s, 30/m or 5/15m, or off")
                }),
            }
        };
        let redis_prefix = env.string_or("KRAFTO_REDIS_PREFIX", &d.redis_prefix)?;
        if redis_prefix.is_empty() || redis_prefix.contains(char::is_whitespace) {
            return Err(EnvError::invalid(
                "KRAFTO_REDIS_PREFIX",
                &redis_prefix,
                "a word without spaces, e.g. krafto",
            ));
        }
        Ok(Self {
            marketplace: quota("KRAFTO_RATE_LIMIT_MARKETPLACE", d.marketplace)?,
            client: quota("KRAFTO_RATE_LIMIT_CLIENT", d.client)?,
            sign_in: quota("KRAFTO_RATE_LIMIT_SIGN_IN", d.sign_in)?,
            staff_login_client: quota(
                "KRAFTO_RATE_LIMIT_STAFF_LOGIN_CLIENT",
                d.staff_login_client,
            )?,
            staff_login_address: quota(
                "KRAFTO_RATE_LIMIT_STAFF_LOGIN_ADDRESS",
                d.staff_login_address,
            )?,
            redis_prefix,
        })
    }

    /// Limits so high that nothing a test does reaches them (tests of a limit set their own).
    pub fn unlimited_for_tests(redis_prefix: &str) -> Self {
        let q = Quota::new(1_000_000, Duration::from_secs(1));
        Self {
            marketplace: q,
            client: q,
            sign_in: q,
            staff_login_client: q,
            staff_login_address: q,
            redis_prefix: redis_prefix.to_owned(),
        }
    }
}

/// The answer of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    /// Until the quota is whole again.
    pub reset: Duration,
    /// Until the next request would be allowed (zero when allowed).
    pub retry_after: Duration,
}

impl Decision {
    /// Of two decisions for one request, the one to report: a refusal, else the one with
    /// the fewest requests left.
    pub fn tighter(self, other: Decision) -> Decision {
        match (self.allowed, other.allowed) {
            (true, false) => other,
            (false, true) => self,
            _ if other.remaining < self.remaining => other,
            _ => self,
        }
    }

    /// Whole seconds to wait before retrying (at least 1 when refused).
    pub fn retry_after_secs(&self) -> u64 {
        ceil_secs(self.retry_after).max(u64::from(!self.allowed))
    }

    /// Adds `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` (and `Retry-After`
    /// when refused).
    pub fn write_headers(&self, headers: &mut HeaderMap) {
        headers.insert("ratelimit-limit", HeaderValue::from(self.limit));
        headers.insert("ratelimit-remaining", HeaderValue::from(self.remaining));
        headers.insert("ratelimit-reset", HeaderValue::from(ceil_secs(self.reset)));
        if !self.allowed {
            headers.insert("retry-after", HeaderValue::from(self.retry_after_secs()));
        }
    }

    /// The 429 problem for this refusal; `what` names what was limited ("requests from your
    /// network").
    pub fn refusal(&self, what: &str) -> crate::ApiError {
        let secs = self.retry_after_secs();
        crate::ApiError::rate_limited(
            format!(
                "too many {what}; retry in {secs} second{}",
                if secs == 1 { "" } else { "s" }
            ),
            secs,
        )
    }
}

fn ceil_secs(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

type Local = governor::DefaultKeyedRateLimiter<String, StateInformationMiddleware>;

/// GCRA on Redis, in microseconds of Redis's clock. Returns
/// `{allowed, remaining, reset_us, retry_us}`.
const GCRA: &str = r"
local emission = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local window = emission * limit
local allow_at = tat + emission - window
if now < allow_at then
  return {0, 0, tat - now, allow_at - now}
end
local new_tat = tat + emission
redis.call('SET', KEYS[1], string.format('%d', new_tat), 'PX', math.ceil((new_tat - now) / 1000))
return {1, math.floor((now + window - new_tat) / emission), new_tat - now, 0}
";

struct Shared {
    redis: Option<Client>,
    prefix: String,
    started: Instant,
    /// Milliseconds since `started` before which checks do not ask Redis.
    redis_paused_until: AtomicU64,
    /// Milliseconds since `started` of the last fallback warning.
    last_warning: AtomicU64,
    /// Refused requests per marketplace, kind and hour, when there is no Redis.
    local_counts: moka::sync::Cache<(uuid::Uuid, &'static str, u64), Arc<AtomicU64>>,
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
        Ok(Self::with(redis, prefix))
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
                local_counts: moka::sync::Cache::builder()
                    .max_capacity(100_000)
                    .time_to_live(Duration::from_secs(25 * 3600))
                    .build(),
            }),
        }
    }

    /// A bucket named `name` (part of its Redis keys and metrics) holding `quota` per key;
    /// `None` when the quota is off.
    pub fn bucket(&self, name: &'static str, quota: Option<Quota>) -> Option<Bucket> {
        let quota = quota?;
        Some(Bucket {
            inner: Arc::new(BucketInner {
                name,
                quota,
                local: governor::RateLimiter::keyed(quota.governor())
                    .with_middleware::<StateInformationMiddleware>(),
                shared: self.shared.clone(),
                checks: AtomicU64::new(0),
            }),
        })
    }

    /// Counts a request refused on `marketplace` (named `slug` in metrics) by the limit
    /// `kind`, for its operators and Prometheus. Never waits for Redis.
    pub fn record_limited(&self, marketplace: uuid::Uuid, slug: &str, kind: &'static str) {
        metrics::counter!(
            "rate_limited_requests_total",
            "marketplace" => slug.to_owned(),
            "limit" => kind,
        )
        .increment(1);
        let hour = current_hour();
        match self.shared.redis.clone() {
            Some(redis) => {
                let key = self.count_key(marketplace, kind, hour);
                tokio::spawn(async move {
                    let counted = async {
                        redis.incr::<i64, _>(&key).await?;
                        redis.expire::<i64, _>(&key, 25 * 3600, None).await
                    };
                    if let Err(e) = tokio::time::timeout(REDIS_DEADLINE * 4, counted)
                        .await
                        .unwrap_or_else(|_| Err(Error::new(ErrorKind::Timeout, "no answer")))
                    {
                        tracing::warn!(error = %e, "could not count a rate-limited request");
                    }
                });
            }
            None => {
                self.shared
                    .local_counts
                    .get_with((marketplace, kind, hour), Default::default)
                    .fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// Requests refused on `marketplace` over the last 24 hours (this hour and the 23
    /// before), per limit kind among `kinds`.
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
    local: Local,
    shared: Arc<Shared>,
    checks: AtomicU64,
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
            .finish()
    }
}

impl Bucket {
    pub fn quota(&self) -> Quota {
        self.inner.quota
    }

    /// Spends one request of `key`'s quota, if there is one left.
    pub async fn check(&self, key: &str) -> Decision {
        let inner = &self.inner;
        let shared = &inner.shared;
        if let Some(redis) = &shared.redis {
            let now_ms = shared.started.elapsed().as_millis() as u64;
            if now_ms >= shared.redis_paused_until.load(Ordering::Relaxed) {
                match tokio::time::timeout(REDIS_DEADLINE, self.check_redis(redis, key)).await {
                    Ok(Ok(d)) => return d,
                    Ok(Err(e)) => self.fell_back(now_ms, &e.to_string()),
                    Err(_) => self.fell_back(now_ms, "no answer in time"),
                }
            }
        }
        self.check_local(key)
    }

    fn fell_back(&self, now_ms: u64, why: &str) {
        let shared = &self.inner.shared;
        shared
            .redis_paused_until
            .store(now_ms + REDIS_PAUSE.as_millis() as u64, Ordering::Relaxed);
        metrics::counter!("rate_limit_redis_fallbacks_total").increment(1);
        let last = shared.last_warning.load(Ordering::Relaxed);
        if (last == 0 || now_ms.saturating_sub(last) >= 60_000)
            && shared
                .last_warning
                .compare_exchange(last, now_ms.max(1), Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            tracing::warn!(
                error = why,
                bucket = self.inner.name,
                "rate limits: Redis failed; limiting on this instance alone for now"
            );
        }
    }

    async fn check_redis(&self, redis: &Client, key: &str) -> Result<Decision, Error> {
        let inner = &self.inner;
        let emission_us = (inner.quota.emission().as_micros() as u64).max(1);
        let limit = inner.quota.limit.get();
        let redis_key = format!("{}:rl:{}:{key}", inner.shared.prefix, inner.name);
        let (allowed, remaining, reset_us, retry_us): (i64, i64, i64, i64) = redis
            .eval(GCRA, vec![redis_key], vec![emission_us, u64::from(limit)])
            .await?;
        let us = |v: i64| Duration::from_micros(u64::try_from(v).unwrap_or(0));
        Ok(Decision {
            allowed: allowed == 1,
            limit,
            remaining: u32::try_from(remaining.max(0)).unwrap_or(0).min(limit),
            reset: us(reset_us),
            retry_after: us(retry_us),
        })
    }

    fn check_local(&self, key: &str) -> Decision {
        let inner = &self.inner;
        // Forget keys whose quota is whole again, now and then, so the map stays small.
        if inner.checks.fetch_add(1, Ordering::Relaxed) % 4096 == 4095 {
            inner.local.retain_recent();
        }
        let limit = inner.quota.limit.get();
        let emission = inner.quota.emission();
        match inner.local.check_key(&key.to_owned()) {
            Ok(snapshot) => {
                let remaining = snapshot.remaining_burst_capacity().min(limit);
                Decision {
                    allowed: true,
                    limit,
                    remaining,
                    reset: emission * (limit - remaining),
                    retry_after: Duration::ZERO,
                }
            }
            Err(not_until) => {
                let wait = not_until.wait_time_from(DefaultClock::default().now());
                Decision {
                    allowed: false,
                    limit,
                    remaining: 0,
                    reset: wait + emission * (limit - 1),
                    retry_after: wait.max(Duration::from_millis(1)),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotas_read_and_print_the_way_they_are_written() {
        for text in [
            "100/s", "30/m", "5/15m", "1000/h", "20/10m", "7/2h", "3/90s",
        ] {
            let q = Quota::parse(text).unwrap().unwrap();
            assert_eq!(q.to_string(), text);
        }
        assert_eq!(Quota::parse("off").unwrap(), None);
        let q = Quota::parse("5/15m").unwrap().unwrap();
        assert_eq!(q.emission(), Duration::from_secs(180));
        for bad in ["", "5", "0/s", "5/", "5/x", "x/s", "5/0m", "5/-1m"] {
            assert!(Quota::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn limits_come_from_the_environment_and_a_bad_one_is_named() {
        let env = Env::from_pairs([
            ("KRAFTO_RATE_LIMIT_CLIENT", "10/s"),
            ("KRAFTO_RATE_LIMIT_SIGN_IN", "off"),
        ]);
        let c = RateLimitConfig::from_env(&env).unwrap();
        assert_eq!(c.client.unwrap().to_string(), "10/s");
        assert_eq!(c.sign_in, None);
        assert_eq!(c.marketplace.unwrap().to_string(), "5000/s");
        assert_eq!(c.redis_prefix, "krafto");
        let env = Env::from_pairs([("KRAFTO_RATE_LIMIT_MARKETPLACE", "lots")]);
        let e = RateLimitConfig::from_env(&env).unwrap_err();
        assert_eq!(e.name(), "KRAFTO_RATE_LIMIT_MARKETPLACE");
    }

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
        let mut headers = HeaderMap::new();
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

    #[test]
    fn the_tighter_decision_is_the_refusal_or_the_one_with_less_left() {
        let d = |allowed, remaining| Decision {
            allowed,
            limit: 10,
            remaining,
            reset: Duration::ZERO,
            retry_after: Duration::ZERO,
        };
        assert_eq!(d(true, 5).tighter(d(true, 2)), d(true, 2));
        assert_eq!(d(true, 1).tighter(d(false, 0)), d(false, 0));
        assert_eq!(d(false, 0).tighter(d(true, 0)), d(false, 0));
    }
}
