//! Payment configuration from the environment, shared by both servers.

use crate::{GatewayError, PaymentGateway, StripeConfig, StripeGateway, TestGateway};
use krafto_core::env::{Env, EnvError};
use secrecy::SecretString;
use std::sync::Arc;

/// How Krafto takes payments. With no `STRIPE_SECRET_KEY`, the built-in test gateway.
/// Keys and webhook secrets are [`SecretString`]s: `Debug` shows `[REDACTED]`.
#[derive(Debug, Clone, Default)]
pub struct PaymentSettings {
    pub stripe: Option<StripeConfig>,
    /// Signing secrets of the platform webhook endpoint (several while rotating).
    pub webhook_secrets: Vec<SecretString>,
    /// Signing secrets of the Connect webhook endpoint.
    pub connect_webhook_secrets: Vec<SecretString>,
}

impl PaymentSettings {
    /// Reads `STRIPE_SECRET_KEY`, `STRIPE_API_BASE`, `STRIPE_WEBHOOK_SECRETS` and
    /// `STRIPE_CONNECT_WEBHOOK_SECRETS` (comma-separated `whsec_…` values).
    pub fn from_env(env: &Env) -> Result<Self, EnvError> {
        let stripe = match env.secret("STRIPE_SECRET_KEY")? {
            Some(secret_key) => Some(StripeConfig {
                secret_key,
                base_url: env.optional("STRIPE_API_BASE")?,
            }),
            None => None,
        };
        let settings = Self {
            webhook_secrets: env.secret_list("STRIPE_WEBHOOK_SECRETS")?,
            connect_webhook_secrets: env.secret_list("STRIPE_CONNECT_WEBHOOK_SECRETS")?,
            stripe,
        };
        if settings.stripe.is_some() && settings.webhook_secrets.is_empty() {
            return Err(EnvError::missing(
                "STRIPE_WEBHOOK_SECRETS",
                "it is required with STRIPE_SECRET_KEY, or payments could never be confirmed; \
                 add the endpoint's whsec_… secret",
            ));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stripe_keys_and_webhook_secrets_never_show_in_debug_output() {
        let env = Env::from_pairs([
            ("STRIPE_SECRET_KEY", "sk_test_do-not-print"),
            (
                "STRIPE_WEBHOOK_SECRETS",
                "whsec_one-do-not-print, whsec_two",
            ),
            (
                "STRIPE_CONNECT_WEBHOOK_SECRETS",
                "whsec_connect-do-not-print",
            ),
        ]);
        let settings = PaymentSettings::from_env(&env).unwrap();
        assert_eq!(settings.webhook_secrets.len(), 2);
        let debug = format!("{settings:?}");
        assert!(!debug.contains("do-not-print"), "{debug}");
        assert!(!debug.contains("whsec_two"), "{debug}");
    }

    #[test]
    fn a_stripe_key_without_webhook_secrets_is_refused_naming_the_missing_variable() {
        let env = Env::from_pairs([("STRIPE_SECRET_KEY", "sk_test_do-not-print")]);
        let e = PaymentSettings::from_env(&env).unwrap_err().to_string();
        assert!(e.starts_with("STRIPE_WEBHOOK_SECRETS is not set"), "{e}");
        assert!(!e.contains("do-not-print"), "{e}");
        assert!(PaymentSettings::from_env(&Env::from_pairs::<&str, &str>([])).is_ok());
    }
}
