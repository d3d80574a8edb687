//! The answer of one check, as headers and as the 429 problem.

use poem::http::{HeaderMap, HeaderValue};
use std::time::Duration;

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

#[cfg(test)]
mod tests {
    use super::*;

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
