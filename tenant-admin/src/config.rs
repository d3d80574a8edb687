//! Control-plane settings, read once from the environment.

use anyhow::{Context, bail};
use secrecy::SecretString;

#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: String,
    pub base_domain: String,
    pub root_key: SecretString,
    pub redis_url: Option<String>,
    pub db_pool_size: usize,
    /// How storefront links are written, `{host}` replaced: `https://{host}` by default,
    /// `http://{host}:8080` in local development.
    pub storefront_url: String,
    /// Stripe Connect provisioning (the test gateway without `STRIPE_SECRET_KEY`).
    pub payments: krafto_payments::PaymentSettings,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl Settings {
    pub fn from_env() -> anyhow::Result<Self> {
        let base_domain = var("KRAFTO_BASE_DOMAIN").unwrap_or_else(|| "localhost".to_owned());
        if krafto_core::HostName::parse(&base_domain).is_err() {
            bail!("KRAFTO_BASE_DOMAIN `{base_domain}` is not a host name (e.g. krafto.example)");
        }
        let storefront_url =
            var("KRAFTO_STOREFRONT_URL").unwrap_or_else(|| "https://{host}".to_owned());
        if !storefront_url.contains("{host}") {
            bail!("KRAFTO_STOREFRONT_URL must contain `{{host}}`, e.g. http://{{host}}:8080");
        }
        Ok(Self {
            database_url: var("DATABASE_URL")
                .context("DATABASE_URL is not set: a Postgres URL, e.g. postgres://postgres@127.0.0.1:5432/krafto")?,
            base_domain,
            root_key: SecretString::from(
                var("KRAFTO_ROOT_KEY").context("KRAFTO_ROOT_KEY is not set: 64 hex characters; generate one with `tenant-admin keygen`")?,
            ),
            redis_url: var("REDIS_URL"),
            db_pool_size: 8,
            storefront_url,
            payments: krafto_payments::PaymentSettings::from_env().map_err(anyhow::Error::msg)?,
        })
    }
}
