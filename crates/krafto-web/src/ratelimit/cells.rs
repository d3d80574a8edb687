//! The quota state of one bucket in this process: per key, the GCRA "theoretical arrival
//! time" (when the key's quota would be whole again), what this instance spent since it
//! last told Redis, and when it last heard from Redis.
//!
//! Times are microseconds since the limiter started ([`Cells::now`]), the unit of the Redis
//! scripts too, which answer in durations (never instants) so that no two clocks are
//! compared.

use super::Decision;
use dashmap::DashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long what Redis said about a key lets a batched bucket decide for it alone: two
/// syncs. A key busy on this instance is heard about at every sync and stays warm; a quiet
/// one asks Redis again.
pub const WARM: Duration = Duration::from_millis(100);

#[derive(Debug, Clone, Copy, Default)]
struct Cell {
    /// When the key's quota is whole again (microseconds since start).
    tat: u64,
    /// Requests allowed here and not yet told to Redis.
    pending: u32,
    /// When Redis last told us the key's state (0: never).
    heard: u64,
}

/// GCRA state per key; cheap to share.
pub(super) struct Cells {
    started: Instant,
    /// One request's share of the quota, in microseconds (at least 1).
    emission: u64,
    limit: u32,
    map: DashMap<String, Cell>,
    /// Keys whose `pending` went from 0 to 1 since the last sync.
    dirty: Mutex<Vec<String>>,
    checks: AtomicU64,
}

impl Cells {
    pub(super) fn new(started: Instant, emission: Duration, limit: u32) -> Self {
        Self {
            started,
            emission: u64::try_from(emission.as_micros())
                .unwrap_or(u64::MAX)
                .max(1),
            limit,
            map: DashMap::new(),
            dirty: Mutex::new(Vec::new()),
            checks: AtomicU64::new(0),
        }
    }

    pub(super) fn emission_us(&self) -> u64 {
        self.emission
    }

    pub(super) fn limit(&self) -> u32 {
        self.limit
    }

    /// Microseconds since the limiter started.
    pub(super) fn now(&self) -> u64 {
        micros_since(self.started)
    }

    /// Whether Redis told us about `key` recently enough to decide for it here.
    pub(super) fn is_warm(&self, key: &str, now: u64) -> bool {
        self.map
            .get(key)
            .is_some_and(|c| c.heard > 0 && now.saturating_sub(c.heard) < WARM.as_micros() as u64)
    }

    /// Spends one request of `key`'s quota here, if there is one left; `count` marks it to
    /// be told to Redis at the next sync.
    pub(super) fn spend(&self, key: &str, now: u64, count: bool) -> Decision {
        if self.checks.fetch_add(1, Ordering::Relaxed) % 4096 == 4095 {
            self.forget_whole(now);
        }
        let mut newly_dirty = false;
        let decision = {
            let mut cell = match self.map.get_mut(key) {
                Some(c) => c,
                None => self.map.entry(key.to_owned()).or_default(),
            };
            let d = gcra(&mut cell.tat, now, self.emission, self.limit);
            if d.allowed && count {
                newly_dirty = cell.pending == 0;
                cell.pending = cell.pending.saturating_add(1);
            }
            d
        };
        if newly_dirty {
            self.dirty
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(key.to_owned());
        }
        decision
    }

    /// Records what Redis answered for `key` at `now`: its quota is whole again in
    /// `backlog` microseconds, not counting requests spent here since the question left.
    pub(super) fn heard(&self, key: &str, now: u64, backlog: u64) {
        let mut cell = match self.map.get_mut(key) {
            Some(c) => c,
            None => self.map.entry(key.to_owned()).or_default(),
        };
        let unsent = u64::from(cell.pending).saturating_mul(self.emission);
        cell.tat = cell
            .tat
            .max(now.saturating_add(backlog).saturating_add(unsent));
        cell.heard = now.max(1);
    }

    /// Takes what was spent here since the last sync: each key with its count.
    pub(super) fn take_pending(&self) -> Vec<(String, u32)> {
        let keys = std::mem::take(&mut *self.dirty.lock().unwrap_or_else(|e| e.into_inner()));
        keys.into_iter()
            .filter_map(|key| {
                let n = self
                    .map
                    .get_mut(&key)
                    .map(|mut c| std::mem::take(&mut c.pending))?;
                (n > 0).then_some((key, n))
            })
            .collect()
    }

    /// Forgets keys whose quota is whole and that owe Redis nothing, so the map stays
    /// small.
    fn forget_whole(&self, now: u64) {
        self.map.retain(|_, c| c.tat > now || c.pending > 0);
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.map.len()
    }
}

/// Microseconds since `started`: the limiter's one clock.
pub(super) fn micros_since(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX)
}

/// One GCRA step: spends one emission of `tat` at `now` if the quota has room. The same
/// arithmetic as the Redis script.
fn gcra(tat: &mut u64, now: u64, emission: u64, limit: u32) -> Decision {
    let window = emission.saturating_mul(u64::from(limit));
    let start = (*tat).max(now);
    let us = Duration::from_micros;
    if start.saturating_add(emission) > now.saturating_add(window) {
        return Decision {
            allowed: false,
            limit,
            remaining: 0,
            reset: us(start - now),
            retry_after: us(start + emission - window - now).max(Duration::from_micros(1)),
        };
    }
    *tat = start + emission;
    let remaining = (now + window - *tat) / emission;
    Decision {
        allowed: true,
        limit,
        remaining: u32::try_from(remaining).unwrap_or(limit).min(limit),
        reset: us(*tat - now),
        retry_after: Duration::ZERO,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: u64 = 1_000_000;

    #[test]
    fn gcra_allows_the_burst_then_refills_one_request_per_emission() {
        // 3 per minute: one request refills every 20 s.
        let (emission, mut tat) = (20 * S, 0);
        let now = 100 * S;
        let left: Vec<u32> = (0..3)
            .map(|_| gcra(&mut tat, now, emission, 3))
            .inspect(|d| assert!(d.allowed))
            .map(|d| d.remaining)
            .collect();
        assert_eq!(left, [2, 1, 0]);
        let refused = gcra(&mut tat, now, emission, 3);
        assert!(!refused.allowed);
        assert_eq!(refused.retry_after, Duration::from_secs(20));
        assert_eq!(refused.reset, Duration::from_secs(60));
        assert_eq!(tat, now + 60 * S, "a refusal spends nothing");
        assert!(!gcra(&mut tat, now + 20 * S - 1, emission, 3).allowed);
        let back = gcra(&mut tat, now + 20 * S, emission, 3);
        assert_eq!((back.allowed, back.remaining), (true, 0));
    }

    #[test]
    fn spending_marks_keys_for_redis_once_and_hearing_adds_what_others_spent() {
        let cells = Cells::new(Instant::now(), Duration::from_secs(20), 3);
        let now = 5 * S;
        assert!(!cells.is_warm("a", now));
        assert!(cells.spend("a", now, true).allowed);
        assert!(cells.spend("a", now, true).allowed);
        assert!(cells.spend("b", now, false).allowed);
        assert_eq!(cells.take_pending(), [("a".to_owned(), 2)]);
        assert_eq!(cells.take_pending(), [], "taken once");
        assert!(
            cells.spend("a", now, true).allowed,
            "our third, not yet told"
        );
        // Redis answers the sync of our two: with one spent elsewhere, whole in 60 s. Our
        // third is added: four spent in all, the quota is 3, one refills in 40 s.
        cells.heard("a", now, 60 * S);
        assert!(cells.is_warm("a", now + 1));
        assert!(!cells.is_warm("a", now + WARM.as_micros() as u64));
        let d = cells.spend("a", now, true);
        assert!(!d.allowed);
        assert_eq!(d.retry_after, Duration::from_secs(40), "{d:?}");
    }

    #[test]
    fn keys_whose_quota_is_whole_are_forgotten() {
        let cells = Cells::new(Instant::now(), Duration::from_millis(1), 10);
        for i in 0..100 {
            cells.spend(&format!("k{i}"), 0, false);
        }
        assert_eq!(cells.len(), 100);
        cells.forget_whole(S);
        assert_eq!(cells.len(), 0);
    }
}
