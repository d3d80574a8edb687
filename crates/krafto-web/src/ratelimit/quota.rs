//! Quotas (`100/s`, `30/m`, `5/15m`) and the rate limits of both servers, read from the
//! environment.

use krafto_core::env::{Env, EnvError};
use std::num::NonZeroU32;
use std::time::Duration;

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
}
