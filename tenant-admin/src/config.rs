//! Control-plane settings, read once from the environment: the same concern structs as the
//! platform's ([`krafto_web::config`]), through the same reader, plus its listen address.
//! Secrets stay [`secrecy::SecretString`]s until the line that connects with them.

use krafto_core::env::{Env, EnvError};
use krafto_web::config::{
    AuthConfig, DatabaseConfig, LimitsConfig, MetricsConfig, RedisConfig, SiteConfig,
};

/// Database connections per control-plane instance when `KRAFTO_DB_POOL_SIZE` is unset
/// (staff traffic is light).
pub const DEFAULT_DB_POOL_SIZE: usize = 8;

#[derive(Debug, Clone)]
pub struct Settings {
    /// `host:port` of `tenant-admin serve` (`TENANT_ADMIN_ADDR`; `--addr` wins).
    pub listen_addr: String,
    pub site: SiteConfig,
    /// Honours `KRAFTO_DB_POOL_SIZE` like the platform (default [`DEFAULT_DB_POOL_SIZE`]).
    pub database: DatabaseConfig,
    /// Publishes tenant changes to platform instances; `None` without Redis.
    pub redis: Option<RedisConfig>,
    pub auth: AuthConfig,
    /// Stripe Connect provisioning (the test gateway without `STRIPE_SECRET_KEY`).
    pub payments: krafto_payments::PaymentSettings,
    /// Staff login limits (`KRAFTO_RATE_LIMIT_STAFF_LOGIN_*`, `KRAFTO_REDIS_PREFIX`).
    pub rate_limits: krafto_web::ratelimit::RateLimitConfig,
    /// The request deadline.
    pub limits: LimitsConfig,
    /// Where `/metrics` is served.
    pub metrics: MetricsConfig,
    /// The trusted proxies in front of the console (`KRAFTO_TRUST_FORWARDED_FOR`,
    /// `KRAFTO_TRUSTED_PROXY_HOPS`, as the platform): the scheme is read from
    /// `X-Forwarded-Proto` (HSTS, `Secure` cookies, the forms' origin check) and staff login
    /// limits count the client address from `X-Forwarded-For`.
    pub proxy: krafto_web::config::ProxyConfig,
}

impl Settings {
    pub fn from_env(env: &Env) -> Result<Self, EnvError> {
        Ok(Self {
            listen_addr: env.string_or("TENANT_ADMIN_ADDR", "0.0.0.0:8081")?,
            site: SiteConfig::from_env(env)?,
            database: DatabaseConfig::from_env(env, DEFAULT_DB_POOL_SIZE)?,
            redis: RedisConfig::from_env(env)?,
            auth: AuthConfig::from_env(env)?,
            payments: krafto_payments::PaymentSettings::from_env(env)?,
            rate_limits: krafto_web::ratelimit::RateLimitConfig::from_env(env)?,
            limits: LimitsConfig::from_env(env)?,
            metrics: MetricsConfig::from_env(env)?,
            proxy: krafto_web::config::ProxyConfig::from_env(env)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_control_plane_honours_the_pool_size_and_never_prints_its_secrets() {
        let env = Env::from_pairs([
            ("DATABASE_URL", "postgres://control:secret-1@db/krafto"),
            ("KRAFTO_ROOT_KEY", "secret-2"),
            ("REDIS_URL", "redis://:secret-3@cache"),
            ("KRAFTO_DB_POOL_SIZE", "3"),
        ]);
        let settings = Settings::from_env(&env).unwrap();
        assert_eq!(settings.database.pool_size, 3);
        let debug = format!("{settings:?}");
        assert!(!debug.contains("secret-"), "{debug}");
    }
}
