//! Payment configuration from the environment, shared by both servers.

use crate::{GatewayError, PaymentGateway, StripeConfig, StripeGateway, TestGateway};
use secrecy::SecretString;
use std::sync::Arc;

/// How Krafto takes payments. With no `STRIPE_SECRET_KEY`, the built-in test gateway.
#[derive(Debug, Clone, Default)]
pub struct PaymentSettings {
    pub stripe: Option<StripeConfig>,
    /// Signing secrets of the platform webhook endpoint (several while rotating).
    pub webhook_secrets: Vec<SecretString>,
    /// Signing secrets of the Connect webhook endpoint.
    pub connect_webhook_secrets: Vec<SecretString>,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn secrets(name: &str) -> Vec<SecretString> {
    var(name)
        .map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| SecretString::from(s.to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

impl PaymentSettings {
    /// Reads `STRIPE_SECRET_KEY`, `STRIPE_API_BASE`, `STRIPE_WEBHOOK_SECRETS` and
    /// `STRIPE_CONNECT_WEBHOOK_SECRETS` (comma-separated `whsec_…` values).
    pub fn from_env() -> Result<Self, String> {
        let stripe = var("STRIPE_SECRET_KEY").map(|key| StripeConfig {
            secret_key: SecretString::from(key),
            base_url: var("STRIPE_API_BASE"),
        });
        let settings = Self {
            webhook_secrets: secrets("STRIPE_WEBHOOK_SECRETS"),
            connect_webhook_secrets: secrets("STRIPE_CONNECT_WEBHOOK_SECRETS"),
            stripe,
        };
        if settings.stripe.is_some() && settings.webhook_secrets.is_empty() {
            return Err("STRIPE_SECRET_KEY is set but STRIPE_WEBHOOK_SECRETS is not: payments could never be confirmed; add the endpoint's whsec_… secret".to_owned());
        }
        Ok(settings)
    }

    /// The gateway these settings select.
    pub fn gateway(&self) -> Result<Arc<dyn PaymentGateway>, GatewayError> {
        Ok(match &self.stripe {
            Some(config) => Arc::new(StripeGateway::new(config.clone())?),
            None => Arc::new(TestGateway::new()),
        })
    }
}
