//! Platform settings, read once from the environment.

use anyhow::{Context, bail};
use secrecy::SecretString;
use std::path::PathBuf;

/// Settings of the platform server.
#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: String,
    pub base_domain: String,
    pub root_key: SecretString,
    pub mail_dir: Option<PathBuf>,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub redis_url: Option<String>,
    pub db_pool_size: usize,
    pub trust_forwarded_for: bool,
    /// Search with OpenSearch at this URL (kept in sync by `platform worker`); Postgres
    /// search when unset. May carry credentials: never log it.
    pub opensearch_url: Option<String>,
    /// Prefix of the OpenSearch index name (`{prefix}listings`).
    pub opensearch_index_prefix: String,
    /// Payments: Stripe with `STRIPE_SECRET_KEY`, the built-in test gateway otherwise.
    pub payments: krafto_payments::PaymentSettings,
    /// How storefront links in e-mails are written, `{host}` replaced: `https://{host}` by
    /// default, `http://{host}:8080` in local development.
    pub storefront_url: String,
    /// How long a checkout holds stock while the buyer pays.
    pub checkout_hold: std::time::Duration,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn required(name: &str, hint: &str) -> anyhow::Result<String> {
    var(name).with_context(|| format!("{name} is not set: {hint}"))
}

impl Settings {
    pub fn from_env() -> anyhow::Result<Self> {
        let db_pool_size = match var("KRAFTO_DB_POOL_SIZE") {
            Some(v) => v
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=1000).contains(n))
                .with_context(|| {
                    format!("KRAFTO_DB_POOL_SIZE must be a number from 1 to 1000, got `{v}`")
                })?,
            None => 16,
        };
        let base_domain = var("KRAFTO_BASE_DOMAIN").unwrap_or_else(|| "localhost".to_owned());
        if krafto_core::HostName::parse(&base_domain).is_err() {
            bail!("KRAFTO_BASE_DOMAIN `{base_domain}` is not a host name (e.g. krafto.example)");
        }
        Ok(Self {
            database_url: required(
                "DATABASE_URL",
                "a Postgres URL, e.g. postgres://postgres@127.0.0.1:5432/krafto",
            )?,
            base_domain,
            root_key: SecretString::from(required(
                "KRAFTO_ROOT_KEY",
                "64 hex characters; generate one with `tenant-admin keygen`",
            )?),
            mail_dir: var("KRAFTO_MAIL_DIR").map(PathBuf::from),
            smtp_url: var("SMTP_URL"),
            mail_from: var("KRAFTO_MAIL_FROM")
                .unwrap_or_else(|| "Krafto <no-reply@krafto.example>".to_owned()),
            redis_url: var("REDIS_URL"),
            db_pool_size,
            trust_forwarded_for: var("KRAFTO_TRUST_FORWARDED_FOR")
                .is_some_and(|v| v == "1" || v == "true"),
            opensearch_url: var("OPENSEARCH_URL"),
            opensearch_index_prefix: var("OPENSEARCH_INDEX_PREFIX")
                .unwrap_or_else(|| krafto_search::opensearch::DEFAULT_INDEX_PREFIX.to_owned()),
            payments: krafto_payments::PaymentSettings::from_env().map_err(anyhow::Error::msg)?,
            storefront_url: {
                let url =
                    var("KRAFTO_STOREFRONT_URL").unwrap_or_else(|| "https://{host}".to_owned());
                if !url.contains("{host}") {
                    bail!(
                        "KRAFTO_STOREFRONT_URL must contain `{{host}}`, e.g. http://{{host}}:8080"
                    );
                }
                url
            },
            checkout_hold: match var("KRAFTO_CHECKOUT_HOLD_MINUTES") {
                Some(v) => v
                    .parse::<u64>()
                    .ok()
                    .filter(|n| (1..=1440).contains(n))
                    .map(|m| std::time::Duration::from_secs(m * 60))
                    .with_context(|| {
                        format!("KRAFTO_CHECKOUT_HOLD_MINUTES must be 1 to 1440, got `{v}`")
                    })?,
                None => std::time::Duration::from_secs(30 * 60),
            },
        })
    }
}
