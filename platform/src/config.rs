//! Platform settings, read once from the environment: the concerns it shares with the
//! control plane ([`krafto_web::config`]) composed with its own (HTTP, search, mail,
//! checkout, and the worker's).
//!
//! Every variable goes through [`krafto_core::env::Env`]; secrets (URLs that may carry
//! credentials, keys) stay [`SecretString`]s until the line that connects with them, so no
//! `Debug` output of these structs can show one.

use krafto_core::env::{Env, EnvError, TimeUnit};
use krafto_web::config::{
    AuthConfig, DatabaseConfig, LimitsConfig, MetricsConfig, RedisConfig, SiteConfig,
};
use secrecy::SecretString;
use std::path::PathBuf;
use std::time::Duration;

/// Database connections per platform instance when `KRAFTO_DB_POOL_SIZE` is unset.
pub const DEFAULT_DB_POOL_SIZE: usize = 16;

/// Settings of the platform server (and its `worker`, `demo-catalog`, `search-reindex`
/// commands).
#[derive(Debug, Clone)]
pub struct Settings {
    pub http: HttpConfig,
    pub site: SiteConfig,
    pub database: DatabaseConfig,
    /// Tenant changes over pub/sub; `None` on a single instance.
    pub redis: Option<RedisConfig>,
    pub auth: AuthConfig,
    pub search: SearchConfig,
    pub mail: MailConfig,
    /// Payments: Stripe with `STRIPE_SECRET_KEY`, the built-in test gateway otherwise.
    pub payments: krafto_payments::PaymentSettings,
    pub checkout: CheckoutConfig,
    /// Rate limits of the API and sign-in (`KRAFTO_RATE_LIMIT_*`, `KRAFTO_REDIS_PREFIX`).
    pub rate_limits: krafto_web::ratelimit::RateLimitConfig,
    /// The request deadline.
    pub limits: LimitsConfig,
    /// Where `/metrics` is served.
    pub metrics: MetricsConfig,
    /// Uploaded pictures: storage (`KRAFTO_MEDIA_DIR` or `KRAFTO_S3_*`) and limits.
    pub media: krafto_media::MediaConfig,
}

impl Settings {
    pub fn from_env(env: &Env) -> Result<Self, EnvError> {
        Ok(Self {
            http: HttpConfig::from_env(env)?,
            site: SiteConfig::from_env(env)?,
            database: DatabaseConfig::from_env(env, DEFAULT_DB_POOL_SIZE)?,
            redis: RedisConfig::from_env(env)?,
            auth: AuthConfig::from_env(env)?,
            search: SearchConfig::from_env(env)?,
            mail: MailConfig::from_env(env)?,
            payments: krafto_payments::PaymentSettings::from_env(env)?,
            checkout: CheckoutConfig::from_env(env)?,
            rate_limits: krafto_web::ratelimit::RateLimitConfig::from_env(env)?,
            limits: LimitsConfig::from_env(env)?,
            metrics: MetricsConfig::from_env(env)?,
            media: krafto_media::MediaConfig::from_env(env)?,
        })
    }
}

/// How `platform serve` listens: `PLATFORM_ADDR`, `KRAFTO_TRUST_FORWARDED_FOR`,
/// `KRAFTO_TRUSTED_PROXY_HOPS`.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// `host:port` to listen on (`--addr` wins).
    pub listen_addr: String,
    /// The trusted proxies in front of the server.
    pub proxy: krafto_web::config::ProxyConfig,
}

impl HttpConfig {
    pub fn from_env(env: &Env) -> Result<Self, EnvError> {
        Ok(Self {
            listen_addr: env.string_or("PLATFORM_ADDR", "0.0.0.0:8080")?,
            proxy: krafto_web::config::ProxyConfig::from_env(env)?,
        })
    }
}

/// Listing search: `OPENSEARCH_URL`, `OPENSEARCH_INDEX_PREFIX`.
#[derive(Debug, Clone)]
pub struct SearchConfig {
    /// Search with OpenSearch at this URL (kept in sync by `platform worker`); Postgres
    /// search when unset. May carry credentials.
    pub opensearch_url: Option<SecretString>,
    /// Prefix of the OpenSearch index name (`{prefix}listings`).
    pub index_prefix: String,
}

impl SearchConfig {
    pub fn from_env(env: &Env) -> Result<Self, EnvError> {
        Ok(Self {
            opensearch_url: env.secret("OPENSEARCH_URL")?,
            index_prefix: env.string_or(
                "OPENSEARCH_INDEX_PREFIX",
                krafto_search::opensearch::DEFAULT_INDEX_PREFIX,
            )?,
        })
    }
}

/// Outgoing e-mail: `KRAFTO_MAIL_DIR`, `SMTP_URL`, `KRAFTO_MAIL_FROM`.
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// Write every e-mail as a file here (wins over `smtp_url`).
    pub dir: Option<PathBuf>,
    /// `smtp://…` or `smtps://…`; may carry credentials.
    pub smtp_url: Option<SecretString>,
    /// Sender address.
    pub from: String,
}

impl MailConfig {
    pub fn from_env(env: &Env) -> Result<Self, EnvError> {
        Ok(Self {
            dir: env.optional("KRAFTO_MAIL_DIR")?.map(PathBuf::from),
            smtp_url: env.secret("SMTP_URL")?,
            from: env.string_or("KRAFTO_MAIL_FROM", "Krafto <no-reply@krafto.example>")?,
        })
    }
}

/// Checkout: `KRAFTO_CHECKOUT_HOLD_MINUTES`.
#[derive(Debug, Clone)]
pub struct CheckoutConfig {
    /// How long a checkout holds stock while the buyer pays.
    pub hold: Duration,
}

impl CheckoutConfig {
    pub fn from_env(env: &Env) -> Result<Self, EnvError> {
        Ok(Self {
            hold: env.duration(
                "KRAFTO_CHECKOUT_HOLD_MINUTES",
                TimeUnit::Minutes,
                1..=1440,
                30,
            )?,
        })
    }
}

/// `platform worker`: `KRAFTO_WORKER_POLL_MS`, `KRAFTO_WORKER_BATCH`,
/// `KRAFTO_WORKER_MAX_ATTEMPTS` (its command-line flags win).
#[derive(Debug, Clone, Copy)]
pub struct WorkerSettings {
    /// Pause between polls of an empty outbox.
    pub poll_interval: Duration,
    /// Messages claimed and handled concurrently per round.
    pub batch_size: i64,
    /// Attempts before a message is parked as `dead`.
    pub max_attempts: i32,
}

impl WorkerSettings {
    pub fn from_env(env: &Env) -> Result<Self, EnvError> {
        Ok(Self {
            poll_interval: env.duration(
                "KRAFTO_WORKER_POLL_MS",
                TimeUnit::Milliseconds,
                1..=3_600_000,
                1000,
            )?,
            batch_size: env.number("KRAFTO_WORKER_BATCH", 1..=1000, 32)?,
            max_attempts: env.number("KRAFTO_WORKER_MAX_ATTEMPTS", 1..=1000, 8)?,
        })
    }

    /// The outbox worker's configuration: these, and the defaults for the rest.
    pub fn worker_config(&self) -> krafto_jobs::WorkerConfig {
        krafto_jobs::WorkerConfig {
            poll_interval: self.poll_interval,
            batch_size: self.batch_size,
            max_attempts: self.max_attempts,
            ..krafto_jobs::WorkerConfig::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_secret_of_the_platform_settings_shows_in_their_debug_output() {
        let env = Env::from_pairs([
            ("DATABASE_URL", "postgres://app:secret-1@db/krafto"),
            ("REDIS_URL", "redis://:secret-2@cache:6379"),
            ("KRAFTO_ROOT_KEY", "secret-3"),
            ("OPENSEARCH_URL", "https://search:secret-4@search:9200"),
            ("SMTP_URL", "smtps://mailer:secret-5@smtp.example"),
            ("STRIPE_SECRET_KEY", "sk_test_secret-6"),
            ("STRIPE_WEBHOOK_SECRETS", "whsec_secret-7"),
            ("STRIPE_CONNECT_WEBHOOK_SECRETS", "whsec_secret-8"),
            ("KRAFTO_S3_BUCKET", "pictures"),
            ("KRAFTO_S3_ACCESS_KEY_ID", "id"),
            ("KRAFTO_S3_SECRET_ACCESS_KEY", "secret-9"),
        ]);
        let settings = Settings::from_env(&env).unwrap();
        let debug = format!("{settings:?}");
        assert!(!debug.contains("secret-"), "{debug}");
        assert!(debug.contains("pool_size: 16"), "{debug}");
    }

    #[test]
    fn forwarded_for_entries_are_trusted_only_when_asked_one_proxy_by_default() {
        let hops = |pairs: &[(&str, &str)]| {
            HttpConfig::from_env(&Env::from_pairs(pairs.iter().copied()))
                .map(|h| h.proxy.trusted_hops())
        };
        assert_eq!(hops(&[]).unwrap(), 0);
        assert_eq!(hops(&[("KRAFTO_TRUSTED_PROXY_HOPS", "2")]).unwrap(), 0);
        assert_eq!(hops(&[("KRAFTO_TRUST_FORWARDED_FOR", "1")]).unwrap(), 1);
        let two = [
            ("KRAFTO_TRUST_FORWARDED_FOR", "yes"),
            ("KRAFTO_TRUSTED_PROXY_HOPS", "2"),
        ];
        assert_eq!(hops(&two).unwrap(), 2);
        let e = hops(&[("KRAFTO_TRUSTED_PROXY_HOPS", "0")]).unwrap_err();
        assert_eq!(e.name(), "KRAFTO_TRUSTED_PROXY_HOPS");
    }

    #[test]
    fn the_worker_reads_its_variables_with_their_ranges() {
        let none = Env::from_pairs::<&str, &str>([]);
        let w = WorkerSettings::from_env(&none).unwrap().worker_config();
        assert_eq!(w.poll_interval, Duration::from_secs(1));
        assert_eq!((w.batch_size, w.max_attempts), (32, 8));
        let env = Env::from_pairs([("KRAFTO_WORKER_BATCH", "5000")]);
        let e = WorkerSettings::from_env(&env).unwrap_err().to_string();
        assert_eq!(
            e,
            "KRAFTO_WORKER_BATCH must be a number from 1 to 1000, got `5000`"
        );
    }
}
