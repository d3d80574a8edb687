//! The settings both servers share, one struct per concern, each read through
//! [`krafto_core::env::Env`]: the database, Redis, the token root key and where the
//! marketplaces live. Each server's own settings compose these with the concerns only it
//! has.
//!
//! Secrets (URLs that may carry credentials, keys) are [`SecretString`]s: `Debug` prints
//! `[REDACTED]`, and callers expose them only where they connect or sign. Nothing here may
//! log or format a secret.

use krafto_core::HostName;
use krafto_core::env::{Env, EnvError, TimeUnit};
use krafto_db::{Db, DbResult, DbRole, DbTimeouts};
use secrecy::{ExposeSecret, SecretString};
use std::time::Duration;

/// The Postgres database: `DATABASE_URL`, `KRAFTO_DB_POOL_SIZE`,
/// `KRAFTO_DB_STATEMENT_TIMEOUT_MS`, `KRAFTO_DB_ACQUIRE_TIMEOUT_MS`.
#[derive(Debug, Clone)]
pub struct DatabaseConfig {
    /// A superuser or owner URL (servers `SET ROLE` to their own roles); may carry a
    /// password.
    pub url: SecretString,
    /// Connections in this server's pool (per instance).
    pub pool_size: usize,
    /// How long a statement, and getting a connection, may take.
    pub timeouts: DbTimeouts,
}

impl DatabaseConfig {
    /// What `DATABASE_URL` must be.
    const URL_EXPECTED: &str = "a Postgres URL of a superuser or the schema owner (servers \
         SET ROLE to their own roles), e.g. postgres://postgres@127.0.0.1:5432/krafto";

    /// Reads the URL and the pool size, `default_pool_size` when `KRAFTO_DB_POOL_SIZE` is
    /// unset (each server has its own).
    pub fn from_env(env: &Env, default_pool_size: usize) -> Result<Self, EnvError> {
        let defaults = DbTimeouts::default();
        Ok(Self {
            url: Self::url_from_env(env)?,
            pool_size: env.number("KRAFTO_DB_POOL_SIZE", 1..=1000, default_pool_size)?,
            timeouts: DbTimeouts {
                statement: env.duration(
                    "KRAFTO_DB_STATEMENT_TIMEOUT_MS",
                    TimeUnit::Milliseconds,
                    100..=3_600_000,
                    millis(defaults.statement),
                )?,
                acquire: env.duration(
                    "KRAFTO_DB_ACQUIRE_TIMEOUT_MS",
                    TimeUnit::Milliseconds,
                    100..=60_000,
                    millis(defaults.acquire),
                )?,
            },
        })
    }

    /// The pool of this server acting as `role`.
    pub fn connect(&self, role: DbRole) -> DbResult<Db> {
        Db::connect_with(
            self.url.expose_secret(),
            role,
            self.pool_size,
            self.timeouts,
        )
    }

    /// Only `DATABASE_URL` (commands that open one connection, such as migrations).
    pub fn url_from_env(env: &Env) -> Result<SecretString, EnvError> {
        env.required_secret("DATABASE_URL", Self::URL_EXPECTED)
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// How long a request may take before it is answered 503: `KRAFTO_REQUEST_TIMEOUT_SECS`.
#[derive(Debug, Clone, Copy)]
pub struct LimitsConfig {
    /// The request deadline ([`crate::deadline::Deadline`]).
    pub request_timeout: Duration,
}

impl LimitsConfig {
    pub fn from_env(env: &Env) -> Result<Self, EnvError> {
        Ok(Self {
            request_timeout: env.duration(
                "KRAFTO_REQUEST_TIMEOUT_SECS",
                TimeUnit::Seconds,
                1..=3600,
                30,
            )?,
        })
    }
}

impl Default for LimitsConfig {
    fn default() -> Self {
        Self {
            request_timeout: Duration::from_secs(30),
        }
    }
}

/// Where Prometheus reads `/metrics`: `KRAFTO_METRICS_ADDR`, `KRAFTO_METRICS_TOKEN`. With
/// neither, metrics are not served at all.
#[derive(Debug, Clone, Default)]
pub struct MetricsConfig {
    /// `host:port` of an internal listener serving `/metrics` alone (keep it off the public
    /// network: loopback, or a cluster-internal address).
    pub addr: Option<String>,
    /// A bearer token that opens `/metrics` on the public listeners too.
    pub token: Option<SecretString>,
}

impl MetricsConfig {
    pub fn from_env(env: &Env) -> Result<Self, EnvError> {
        Ok(Self {
            addr: env.optional("KRAFTO_METRICS_ADDR")?,
            token: env.secret("KRAFTO_METRICS_TOKEN")?,
        })
    }
}

/// The proxies in front of a server: `KRAFTO_TRUST_FORWARDED_FOR`,
/// `KRAFTO_TRUSTED_PROXY_HOPS`. Both servers read them alike.
#[derive(Debug, Clone, Copy)]
pub struct ProxyConfig {
    /// Take the client address from `X-Forwarded-For` and the scheme from
    /// `X-Forwarded-Proto` (only behind a trusted ingress).
    pub trust_forwarded_for: bool,
    /// How many trusted proxies append to `X-Forwarded-For` in front of the server: the
    /// client is that many entries from the right.
    pub hops: usize,
}

impl Default for ProxyConfig {
    fn default() -> Self {
        Self {
            trust_forwarded_for: false,
            hops: 1,
        }
    }
}

impl ProxyConfig {
    pub fn from_env(env: &Env) -> Result<Self, EnvError> {
        Ok(Self {
            trust_forwarded_for: env.flag("KRAFTO_TRUST_FORWARDED_FOR", false)?,
            hops: env.number("KRAFTO_TRUSTED_PROXY_HOPS", 1..=10, 1)?,
        })
    }

    /// Proxies whose `X-Forwarded-For` entries are trusted: none unless trusting.
    pub fn trusted_hops(&self) -> usize {
        if self.trust_forwarded_for {
            self.hops
        } else {
            0
        }
    }
}

/// Redis (`REDIS_URL`), optional as a whole: without it everything works on one instance.
#[derive(Debug, Clone)]
pub struct RedisConfig {
    /// `redis://…`; may carry a password.
    pub url: SecretString,
}

impl RedisConfig {
    /// `None` when `REDIS_URL` is unset.
    pub fn from_env(env: &Env) -> Result<Option<Self>, EnvError> {
        Ok(env.secret("REDIS_URL")?.map(|url| Self { url }))
    }
}

/// Token signing: `KRAFTO_ROOT_KEY`.
#[derive(Debug, Clone)]
pub struct AuthConfig {
    /// The ed25519 private key, 64 hex characters, that signs every token.
    pub root_key: SecretString,
}

impl AuthConfig {
    pub fn from_env(env: &Env) -> Result<Self, EnvError> {
        Ok(Self {
            root_key: env.required_secret(
                "KRAFTO_ROOT_KEY",
                "64 hex characters; generate one with `tenant-admin keygen`",
            )?,
        })
    }
}

/// Where the marketplaces live and how links to them are written: `KRAFTO_BASE_DOMAIN`,
/// `KRAFTO_STOREFRONT_URL`.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// Marketplaces answer at `{slug}.{base_domain}`; lowercase, no trailing dot.
    pub base_domain: String,
    /// Storefront links, `{host}` replaced: `https://{host}` by default, `http://{host}:8080`
    /// in local development.
    pub storefront_url: String,
}

impl SiteConfig {
    pub fn from_env(env: &Env) -> Result<Self, EnvError> {
        let raw = env.string_or("KRAFTO_BASE_DOMAIN", "localhost")?;
        let base_domain = HostName::parse(&raw)
            .map_err(|e| {
                EnvError::invalid(
                    "KRAFTO_BASE_DOMAIN",
                    &raw,
                    format!("a host name (e.g. krafto.example): it {e}"),
                )
            })?
            .into_string();
        let storefront_url = env.string_or("KRAFTO_STOREFRONT_URL", "https://{host}")?;
        if !storefront_url.contains("{host}") {
            return Err(EnvError::invalid(
                "KRAFTO_STOREFRONT_URL",
                &storefront_url,
                "a URL containing `{host}`, e.g. http://{host}:8080",
            ));
        }
        Ok(Self {
            base_domain,
            storefront_url,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn shared_settings_never_show_their_secrets_in_debug_output() {
        let env = Env::from_pairs([
            ("DATABASE_URL", "postgres://app:db-password@db/krafto"),
            ("REDIS_URL", "redis://:redis-password@cache:6379"),
            ("KRAFTO_ROOT_KEY", "root-key-material"),
            ("KRAFTO_METRICS_TOKEN", "metrics-token"),
        ]);
        let db = DatabaseConfig::from_env(&env, 8).unwrap();
        let redis = RedisConfig::from_env(&env).unwrap();
        let auth = AuthConfig::from_env(&env).unwrap();
        let metrics = MetricsConfig::from_env(&env).unwrap();
        assert_eq!(db.pool_size, 8);
        assert_eq!(
            db.url.expose_secret(),
            "postgres://app:db-password@db/krafto"
        );
        let debug = format!("{db:?} {redis:?} {auth:?} {metrics:?}");
        for secret in [
            "db-password",
            "redis-password",
            "root-key-material",
            "metrics-token",
        ] {
            assert!(!debug.contains(secret), "{debug}");
        }
    }

    #[test]
    fn the_pool_size_is_read_for_every_server_with_its_own_default() {
        let url = ("DATABASE_URL", "postgres://db/krafto");
        let env = Env::from_pairs([url]);
        assert_eq!(DatabaseConfig::from_env(&env, 8).unwrap().pool_size, 8);
        let env = Env::from_pairs([url, ("KRAFTO_DB_POOL_SIZE", "24")]);
        assert_eq!(DatabaseConfig::from_env(&env, 8).unwrap().pool_size, 24);
        let env = Env::from_pairs([url, ("KRAFTO_DB_POOL_SIZE", "0")]);
        let e = DatabaseConfig::from_env(&env, 8).unwrap_err();
        assert_eq!(e.name(), "KRAFTO_DB_POOL_SIZE");
    }

    #[test]
    fn database_and_request_deadlines_have_defaults_and_name_a_bad_value() {
        let url = ("DATABASE_URL", "postgres://db/krafto");
        let db = DatabaseConfig::from_env(&Env::from_pairs([url]), 8).unwrap();
        assert_eq!(db.timeouts, DbTimeouts::default());
        let env = Env::from_pairs([
            url,
            ("KRAFTO_DB_STATEMENT_TIMEOUT_MS", "2500"),
            ("KRAFTO_DB_ACQUIRE_TIMEOUT_MS", "800"),
        ]);
        let db = DatabaseConfig::from_env(&env, 8).unwrap();
        assert_eq!(db.timeouts.statement, Duration::from_millis(2500));
        assert_eq!(db.timeouts.acquire, Duration::from_millis(800));
        let env = Env::from_pairs([url, ("KRAFTO_DB_ACQUIRE_TIMEOUT_MS", "0")]);
        let e = DatabaseConfig::from_env(&env, 8).unwrap_err();
        assert_eq!(e.name(), "KRAFTO_DB_ACQUIRE_TIMEOUT_MS");
        let none = Env::from_pairs::<&str, &str>([]);
        let limits = LimitsConfig::from_env(&none).unwrap();
        assert_eq!(limits.request_timeout, Duration::from_secs(30));
        let env = Env::from_pairs([("KRAFTO_REQUEST_TIMEOUT_SECS", "soon")]);
        let e = LimitsConfig::from_env(&env).unwrap_err();
        assert_eq!(e.name(), "KRAFTO_REQUEST_TIMEOUT_SECS");
    }

    #[test]
    fn the_base_domain_is_normalised_and_a_bad_one_is_named() {
        let env = Env::from_pairs([("KRAFTO_BASE_DOMAIN", "Krafto.Example.")]);
        assert_eq!(
            SiteConfig::from_env(&env).unwrap().base_domain,
            "krafto.example"
        );
        let env = Env::from_pairs([("KRAFTO_BASE_DOMAIN", "not a host")]);
        let e = SiteConfig::from_env(&env).unwrap_err().to_string();
        assert!(
            e.starts_with("KRAFTO_BASE_DOMAIN must be a host name"),
            "{e}"
        );
        assert!(e.ends_with("got `not a host`"), "{e}");
        let env = Env::from_pairs([("KRAFTO_STOREFRONT_URL", "https://shop.example")]);
        let e = SiteConfig::from_env(&env).unwrap_err();
        assert_eq!(e.name(), "KRAFTO_STOREFRONT_URL");
        assert!(
            RedisConfig::from_env(&Env::from_pairs::<&str, &str>([]))
                .unwrap()
                .is_none()
        );
    }
}
