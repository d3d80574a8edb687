//! The Redis side of the limits: GCRA scripts timed by Redis's own clock, and the sync that
//! tells Redis, every [`SYNC_EVERY`], what each instance spent on its hot keys and hears
//! back what every instance spent together. Scripts answer durations in microseconds, never
//! instants, so no two clocks are compared.

use super::{Decision, REDIS_DEADLINE, Shared};
use fred::prelude::*;
use std::sync::Arc;
use std::time::Duration;

/// How often each instance tells Redis what it spent on hot keys.
pub const SYNC_EVERY: Duration = Duration::from_millis(50);

/// Keys per script call, so no call holds Redis long.
const KEYS_PER_CALL: usize = 256;

/// Spends one request of `KEYS[1]` if its quota has room. `ARGV`: emission, limit.
/// Returns `{allowed, remaining, backlog_us, retry_us}`, the backlog being how long until
/// the quota is whole again.
const CHECK: &str = r"
local emission = tonumber(ARGV[1])
local window = emission * tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
if tat + emission > now + window then
  return {0, 0, tat - now, tat + emission - window - now}
end
tat = tat + emission
redis.call('SET', KEYS[1], string.format('%d', tat), 'PX', math.ceil((tat - now) / 1000))
return {1, math.floor((now + window - tat) / emission), tat - now, 0}
";

/// Adds what an instance spent on each key (`ARGV[2 + i]` requests on `KEYS[i]`), whatever
/// is left, with a debt of at most one more window. `ARGV`: emission, limit, counts.
/// Returns each key's backlog in microseconds.
const SPEND: &str = r"
local emission = tonumber(ARGV[1])
local window = emission * tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local out = {}
for i, key in ipairs(KEYS) do
  local tat = tonumber(redis.call('GET', key) or now)
  if tat < now then tat = now end
  tat = math.min(tat + emission * tonumber(ARGV[i + 2]), now + 2 * window)
  redis.call('SET', key, string.format('%d', tat), 'PX', math.ceil((tat - now) / 1000) + 1)
  out[i] = tat - now
end
return out
";

/// Adds `ARGV[1 + i]` to the counter `KEYS[i]`, which lives `ARGV[1]` seconds.
const COUNT: &str = r"
for i, key in ipairs(KEYS) do
  redis.call('INCRBY', key, ARGV[i + 1])
  redis.call('EXPIRE', key, ARGV[1])
end
return #KEYS
";

/// How long a refusal counter lives in Redis (operators read the last 24 hours).
pub(super) const COUNT_TTL_SECS: u64 = 25 * 3600;

/// Spends one request of `key` on Redis: the decision, and the key's backlog.
pub(super) async fn check(
    redis: &Client,
    key: String,
    emission_us: u64,
    limit: u32,
) -> Result<(Decision, u64), Error> {
    let (allowed, remaining, backlog, retry): (i64, i64, i64, i64) = redis
        .eval(CHECK, vec![key], vec![emission_us, u64::from(limit)])
        .await?;
    let us = |v: i64| u64::try_from(v).unwrap_or(0);
    let decision = Decision {
        allowed: allowed == 1,
        limit,
        remaining: u32::try_from(remaining.max(0)).unwrap_or(0).min(limit),
        reset: Duration::from_micros(us(backlog)),
        retry_after: Duration::from_micros(us(retry)),
    };
    Ok((decision, us(backlog)))
}

/// Runs [`sync`] every [`SYNC_EVERY`] while the limiter lives.
pub(super) fn start_sync(shared: &Arc<Shared>) {
    let weak = Arc::downgrade(shared);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(SYNC_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let Some(shared) = weak.upgrade() else { break };
            sync(&shared).await;
        }
    });
}

/// Tells Redis what this instance spent on each key since the last sync and keeps what it
/// answers, for every bucket shared this way; adds the refusals counted since. While Redis
/// is paused after a failure, what was spent is forgotten (the instance limits alone).
pub(super) async fn sync(shared: &Shared) {
    let Some(redis) = &shared.redis else { return };
    let _one_at_a_time = shared.syncing.lock().await;
    let paused = !shared.redis_usable(shared.now());
    for bucket in shared.batched_buckets() {
        let cells = &bucket.cells;
        let pending = cells.take_pending();
        if paused || pending.is_empty() {
            continue;
        }
        for chunk in pending.chunks(KEYS_PER_CALL) {
            let keys: Vec<String> = chunk
                .iter()
                .map(|(k, _)| shared.key(bucket.name, k))
                .collect();
            let mut args = vec![cells.emission_us(), u64::from(cells.limit())];
            args.extend(chunk.iter().map(|(_, n)| u64::from(*n)));
            let answer = tokio::time::timeout(
                REDIS_DEADLINE * 2,
                redis.eval::<Vec<i64>, _, _, _>(SPEND, keys, args),
            )
            .await;
            match answer {
                Ok(Ok(backlogs)) => {
                    let now = cells.now();
                    for ((key, _), backlog) in chunk.iter().zip(backlogs) {
                        cells.heard(key, now, u64::try_from(backlog).unwrap_or(0));
                    }
                }
                Ok(Err(e)) => return shared.fell_back(bucket.name, &e.to_string()),
                Err(_) => return shared.fell_back(bucket.name, "no answer in time"),
            }
        }
    }
    if paused {
        return;
    }
    let counts = shared.take_counts();
    if counts.is_empty() {
        return;
    }
    let keys: Vec<String> = counts.iter().map(|(k, _)| k.clone()).collect();
    let mut args = vec![COUNT_TTL_SECS];
    args.extend(counts.iter().map(|(_, n)| *n));
    let sent = tokio::time::timeout(
        REDIS_DEADLINE * 2,
        redis.eval::<i64, _, _, _>(COUNT, keys, args),
    )
    .await;
    if !matches!(sent, Ok(Ok(_))) {
        tracing::warn!("could not count rate-limited requests in Redis; trying again later");
        shared.put_back_counts(counts);
    }
}
